"""The link emulator of bench/linkemu.py, through real sockets on loopback.

The peers are small threaded TCP servers (an echo, and a sink that answers ``!`` to each
newline) and a real http.server. Timings are measured against the emulated link's figures with
tolerances wide enough for a loaded two-core machine, yet narrow enough to tell a shared rate from
a per-connection one, and a pipelined latency from a stop-and-wait one.
"""

from __future__ import annotations

import http.client
import http.server
import os
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from bench.linkemu import LinkEmulator

RATE_BPS = 256_000  # 32,000 bytes a second
TIMEOUT_S = 10.0


class Peers(socketserver.ThreadingTCPServer):
    """A threaded TCP server; ``received`` holds, per ended connection, the bytes it read."""

    allow_reuse_address = True

    def __init__(self, handle: Callable[[socket.socket], int]) -> None:
        self.received: list[int] = []
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer.received.append(handle(self.request))

        super().__init__(("127.0.0.1", 0), Handler)
        self.port = self.server_address[1]

    def wait_received(self, connections: int) -> list[int]:
        deadline = time.monotonic() + TIMEOUT_S
        while len(self.received) < connections:
            assert time.monotonic() < deadline, "the peer did not see its connections end"
            time.sleep(0.01)
        return self.received


def echo(sock: socket.socket) -> int:
    received = 0
    try:
        while data := sock.recv(65536):
            received += len(data)
            sock.sendall(data)
    except OSError:
        pass
    return received


def sink(sock: socket.socket) -> int:
    """Reads everything; answers ``!`` whenever what it read so far ends with a newline."""
    received = 0
    try:
        while data := sock.recv(65536):
            received += len(data)
            if data.endswith(b"\n"):
                sock.sendall(b"!")
    except OSError:
        pass
    return received


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[socket.socket], int]], Peers]]:
    servers: list[Peers] = []

    def start(handle: Callable[[socket.socket], int]) -> Peers:
        server = Peers(handle)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def connect(link: LinkEmulator) -> socket.socket:
    return socket.create_connection(("127.0.0.1", link.port), timeout=TIMEOUT_S)


def exchange(sock: socket.socket, message: bytes) -> float:
    """Send a message ending with a newline to the sink; seconds until its ``!`` came back."""
    began = time.monotonic()
    sock.sendall(message)
    assert sock.recv(1) == b"!"
    return time.monotonic() - began


def read_until_closed(sock: socket.socket) -> tuple[bytes, type[OSError] | None]:
    """Everything the socket receives until its end, and the error that ended it, if any."""
    received = bytearray()
    try:
        while data := sock.recv(65536):
            received += data
    except OSError as error:
        return bytes(received), type(error)
    return bytes(received), None


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_rate_is_one_bucket_per_direction_shared_by_connections(serve) -> None:
    peers = serve(echo)
    size = 16_384
    finished: list[float] = []
    with LinkEmulator("127.0.0.1", peers.port, rate_bps=RATE_BPS) as link:
        clients = [connect(link), connect(link)]

        def send_and_read_back(sock: socket.socket) -> None:
            sock.sendall(b"x" * size)
            received = 0
            while received < size:
                received += len(sock.recv(65536))
            finished.append(time.monotonic() - began)

        threads = [threading.Thread(target=send_and_read_back, args=(sock,)) for sock in clients]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT_S)
        stats = link.stats()
        for sock in clients:
            sock.close()

    # 32 KiB each way at 32,000 B/s: 1.02 s, the echo following a chunk (32 ms) behind. A rate
    # per connection would take half that, one bucket for both directions twice that.
    link_time = 2 * size * 8 / RATE_BPS
    assert link_time * 0.95 <= max(finished) <= link_time * 1.3
    assert min(finished) >= link_time * 0.8  # the connections shared the rate chunk by chunk
    assert (stats.client_to_server, stats.server_to_client) == (2 * size, 2 * size)
    assert [c.client_to_server for c in stats.per_connection] == [size, size]
    assert stats.connections == 2 and stats.cuts == 0


def test_latency_is_a_pipelined_delay_line(serve) -> None:
    peers = serve(sink)
    latency = 0.1
    with LinkEmulator("127.0.0.1", peers.port, rate_bps=RATE_BPS, latency_s=latency) as link:
        with connect(link) as sock:
            first = exchange(sock, b"\n")  # the handshake's round trip, then one round trip
            round_trip = exchange(sock, b"\n")
            bulk = exchange(sock, b"x" * 16_383 + b"\n")

    assert 4 * latency <= first <= 4 * latency + 0.2
    assert 2 * latency <= round_trip <= 2 * latency + 0.1
    # 16 KiB at 32,000 B/s is 0.51 s, plus one round trip for the last byte and the answer.
    # Waiting a round trip per chunk (640 bytes) would take more than 5 s.
    link_time = 16_384 * 8 / RATE_BPS
    assert link_time + 2 * latency <= bulk <= link_time * 1.2 + 2 * latency + 0.1


def test_a_cut_lets_exactly_n_bytes_across_counting_both_directions(serve) -> None:
    peers = serve(echo)
    with LinkEmulator("127.0.0.1", peers.port, cut_after_bytes=10_000) as link:
        with connect(link) as sock:
            sock.sendall(b"x" * 8_000)
            echoed, error = read_until_closed(sock)
        stats = link.stats()

    assert error is None  # the stream ended after every byte that crossed
    assert stats.total == 10_000 and stats.cuts == 1
    assert len(echoed) == stats.server_to_client
    assert peers.wait_received(1) == [stats.client_to_server]
    assert stats.per_connection[0].cut and not stats.per_connection[0].open


@pytest.mark.parametrize("scope", ["link", "connection"])
def test_cut_scope(serve, scope: str) -> None:
    peers = serve(sink)
    with LinkEmulator("127.0.0.1", peers.port, cut_after_bytes=3_000, cut_scope=scope) as link:
        first, second = connect(link), connect(link)
        wait_for(lambda: link.stats().connections == 2)
        first.sendall(b"x" * 5_000)
        assert read_until_closed(first) == (b"", None)
        after_first = link.stats()
        if scope == "connection":
            second.sendall(b"x" * 5_000)
        assert read_until_closed(second) == (b"", None)
        stats = link.stats()
        first.close()
        second.close()

    if scope == "link":  # the link dropped once, taking both connections with it
        assert [c.client_to_server for c in stats.per_connection] == [3_000, 0]
        assert stats.cuts == 1
    else:  # each connection has its own count
        assert after_first.per_connection[1].open and not after_first.per_connection[1].cut
        assert [c.client_to_server for c in stats.per_connection] == [3_000, 3_000]
        assert stats.cuts == 2
    assert all(c.cut for c in stats.per_connection)


def random_cuts(port: int, seed: int) -> list[int]:
    """Bytes each of six connections carried before its cut, each offering 10 KB."""
    with LinkEmulator("127.0.0.1", port, cut_after_bytes=(1_000, 8_000), seed=seed) as link:
        for _ in range(6):
            with connect(link) as sock:
                try:
                    sock.sendall(b"x" * 10_000)
                except OSError:
                    pass  # cut while sending
                read_until_closed(sock)
        stats = link.stats()
    assert stats.cuts == 6
    return [c.client_to_server for c in stats.per_connection]


def test_random_cuts_repeat_with_the_same_seed(serve) -> None:
    peers = serve(sink)
    cuts = random_cuts(peers.port, seed=7)
    assert all(1_000 <= cut <= 8_000 for cut in cuts)
    assert random_cuts(peers.port, seed=7) == cuts
    assert random_cuts(peers.port, seed=8) != cuts


def test_stalls_on_schedule_and_on_demand(serve) -> None:
    peers = serve(sink)
    with LinkEmulator("127.0.0.1", peers.port, stall=(5_000, 0.3)) as link:
        with connect(link) as sock:
            assert exchange(sock, b"\n") < 0.25
            assert exchange(sock, b"x" * 6_000 + b"\n") >= 0.3  # crosses byte 5,000
            assert link.stats().stalls == 1
            link.stall_now(0.2)
            assert exchange(sock, b"\n") >= 0.2
        stats = link.stats()
    assert stats.stalls == 2 and stats.cuts == 0
    assert stats.total == 2 + 6_002 + 2


def test_settings_change_at_runtime(serve) -> None:
    peers = serve(sink)
    with LinkEmulator("127.0.0.1", peers.port) as link:
        with connect(link) as sock:
            assert exchange(sock, b"\n") < 0.15
            link.configure(latency_s=0.1)
            assert exchange(sock, b"\n") >= 0.2
            link.configure(latency_s=0.0, cut_after_bytes=100)  # counted from now on
            sock.sendall(b"x" * 500)
            read_until_closed(sock)
        assert link.stats().total == 4 + 100


class Hello(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b"xin chao"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_port() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def get(connection: http.client.HTTPConnection) -> bytes:
    connection.request("GET", "/")
    return connection.getresponse().read()


def test_counters_count_http_headers_both_ways(http_port: int) -> None:
    request = b"GET / HTTP/1.0\r\nHost: city\r\n\r\n"
    with LinkEmulator("127.0.0.1", http_port) as link:
        with connect(link) as sock:
            sock.sendall(request)
            response, error = read_until_closed(sock)
        wait_for(lambda: not link.stats().per_connection[0].open)
        stats = link.stats()
    assert error is None and response.startswith(b"HTTP/1.1 200") and b"xin chao" in response
    assert (stats.client_to_server, stats.server_to_client) == (len(request), len(response))


def test_link_goes_down_and_comes_back(http_port: int) -> None:
    with LinkEmulator("127.0.0.1", http_port) as link:
        kept_alive = http.client.HTTPConnection("127.0.0.1", link.port, timeout=TIMEOUT_S)
        assert get(kept_alive) == b"xin chao"

        link.set_link(up=False)
        assert link.stats().cuts == 1 and link.stats().per_connection[0].cut
        with pytest.raises((OSError, http.client.HTTPException)):
            get(kept_alive)
        with pytest.raises((OSError, http.client.HTTPException)):
            get(http.client.HTTPConnection("127.0.0.1", link.port, timeout=TIMEOUT_S))
        assert link.stats().refused == 1

        link.set_link(up=True)
        kept_alive.close()
        assert get(kept_alive) == b"xin chao"  # http.client connects again
        kept_alive.close()
        stats = link.stats()
    assert stats.connections == 2 and stats.refused == 1 and stats.cuts == 1


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_stop_closes_every_socket_and_its_thread(serve) -> None:
    peers = serve(sink)
    threads_before = set(threading.enumerate())
    descriptors_before = open_descriptors()
    link = LinkEmulator("127.0.0.1", peers.port, rate_bps=64_000, latency_s=0.05).start()
    busy, idle = connect(link), connect(link)
    exchange(idle, b"\n")
    busy.sendall(b"x" * 20_000)  # 2.5 s of link time: still crossing when the link stops
    wait_for(lambda: link.stats().client_to_server > 2)

    began = time.monotonic()
    link.stop()
    assert time.monotonic() - began < 2
    assert [t for t in threading.enumerate() if t.name.startswith("linkemu")] == []
    for sock in (busy, idle):
        assert read_until_closed(sock)[0] == b""
        sock.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", link.port), timeout=TIMEOUT_S)
    peers.wait_received(2)
    wait_for(lambda: open_descriptors() <= descriptors_before)
    wait_for(lambda: set(threading.enumerate()) <= threads_before)  # the peers' threads end too
    link.stop()  # stopping twice is harmless
    assert link.stats().connections == 2

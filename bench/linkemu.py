"""Link emulator: a TCP proxy that behaves like a commune's slow and fragile link.

Owns the emulated link between a client and one target server, for tests/ and bench/: its
bandwidth, its latency, its stalls and its cuts, and the count of the bytes that crossed it (both
directions, HTTP headers included: the figure the benchmarks report; TCP/IP headers are not
emulated and not counted).

    with LinkEmulator("127.0.0.1", server_port, rate_bps=256_000, latency_s=0.15,
                      cut_after_bytes=(20_000, 200_000), seed=1) as link:
        client = SyncClient(link.url, ...)
        ...
        print(link.stats().total)

From a script in bench/, put the repository root on ``sys.path`` first (as the other bench
scripts do) and import ``bench.linkemu``.

The model, per direction (client → server is "up", server → client is "down"):

- **Bandwidth.** One transmitter per direction, shared by every connection: a virtual clock that
  each chunk reserves ``8 × size / rate_bps`` seconds on, one after the other, in the order the
  chunks were read. It is a token bucket one chunk deep: an idle link earns no credit to burst
  with later, as a real link would not. Chunks are 20 ms of link time (640 bytes at 256 kbit/s),
  between 256 bytes and 64 KiB. Each connection reads at most one chunk ahead of its reserved
  time, so a sender feels the link's pace through its socket buffers, and connections that send
  together share the rate chunk by chunk.
- **Latency.** A delay line: a chunk arrives ``latency_s`` after the transmitter finished it, and
  many chunks are on their way at once, so bulk throughput stays at the rate whatever the
  latency. At most 4 MiB per direction of a connection are on their way (a TCP window: with no
  rate limit and a long latency, that caps throughput). A new connection's bytes start one
  round trip (``2 × latency_s``) after it was accepted: TCP's handshake, which the client's
  kernel completes locally here, would cost that on the real link.
- **Counting.** A byte is counted when the emulator writes it toward its destination, after
  its latency: what crossed the link. Cuts and stalls are decided on that same count, so a cut
  "after N bytes" lets exactly N bytes across, counting both directions.
- **Cuts.** ``cut_after_bytes`` is a fixed count (cut every N bytes) or a ``(low, high)`` range
  (each count drawn uniformly, bounds included, from a generator seeded with ``seed``). With
  ``cut_scope="link"`` (the default) the count runs over all connections together and starts
  again after every cut, of whatever cause: the link drops every N bytes and takes every open
  connection with it. With ``cut_scope="connection"`` each connection draws its own count when
  it is accepted (in accept order) and only that connection is cut; a connection that ends first
  is never cut. A cut writes the last allowed byte, waits (at most 0.5 s) until the peers'
  kernels have acknowledged what was written to them, then ends both streams with a FIN and
  closes, so each application reads every counted byte and then the end of its stream (an RST
  would make the peer's kernel drop received bytes the application had not read yet, which a
  real cut does not do; a real cut would end in a read timeout, which only makes tests slow).
  Anything a peer sends after that is answered with an RST. Bytes still on their way are lost,
  as on a real link. The same seed and the same traffic give the same
  cuts at the same bytes (several connections sending at once may interleave differently).
- **Stalls.** ``stall=(after_bytes, duration_s)``: after every ``after_bytes`` bytes crossed (a
  count or a seeded range, counted like link-scope cuts but on its own generator) the link
  carries nothing, either way, for ``duration_s``; bytes already on their way arrive when it
  ends. ``stall_now()`` stalls it at once.
- **Link down.** ``set_link(up=False)`` cuts every open connection and resets new ones as soon
  as they are accepted (the client sees a connection reset), until ``set_link(up=True)``.

Threading: the emulator runs its own asyncio loop in one background thread, started by
``start()`` and ended, with every socket it opened, by ``stop()``. Every public method may be
called from any other thread: it hands its work to that loop and waits for it. ``stats()``
keeps answering after ``stop()`` with the final figures.
"""

from __future__ import annotations

import asyncio
import enum
import random
import socket
import struct
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Literal, TypeVar

try:  # Linux: bytes a socket holds that its peer has not acknowledged (SIOCOUTQ)
    from fcntl import ioctl
    from termios import TIOCOUTQ
except ImportError:  # Windows: a cut then waits only for the emulator's own buffers
    ioctl = None
    TIOCOUTQ = 0

ByteCount = int | tuple[int, int]
"""A byte count: fixed, or a ``(low, high)`` range to draw each count from (bounds included)."""

T = TypeVar("T")

UP, DOWN = 0, 1  # directions: client → server, server → client
CHUNK_TIME_S = 0.02  # link time of one chunk
CHUNK_MIN = 256
CHUNK_MAX = 64 * 1024
IN_FLIGHT_MAX = 4 * 1024 * 1024  # bytes on their way in one direction of one connection
FLUSH_TIMEOUT_S = 0.5  # longest wait, before a cut, for peers to acknowledge counted bytes
SERVER_NOTICE_S = 0.05  # a cut reaches the target server this much after the client
CALL_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class ConnectionStats:
    """One connection through the link: bytes that crossed it each way, and how it ended."""

    number: int  # 1, 2, … in accept order
    client_to_server: int
    server_to_client: int
    open: bool
    cut: bool  # ended by a cut of the emulator (not by a peer, nor by stop())


@dataclass(frozen=True)
class LinkStats:
    """The link's figures since start(): bytes that crossed it, connections, cuts, stalls."""

    client_to_server: int
    server_to_client: int
    connections: int  # accepted and forwarded
    refused: int  # reset on arrival because the link was down
    cuts: int  # cut events; one link-scope cut ends every open connection at once
    stalls: int
    per_connection: tuple[ConnectionStats, ...]

    @property
    def total(self) -> int:
        return self.client_to_server + self.server_to_client


class _End(enum.Enum):
    """How a direction of a connection ended, travelling the delay line behind its last bytes."""

    EOF = "eof"  # the sender shut its side down: a FIN
    RESET = "reset"  # the sender's connection failed: the whole connection is reset


class _Unset(enum.Enum):
    """The type of ``_UNSET``: a setting configure() was not given (None means "no limit")."""

    TOKEN = "unset"


_UNSET = _Unset.TOKEN


class _ByteTrigger:
    """Fires once every drawn count of bytes: a fixed count, or one drawn from a seeded range."""

    def __init__(self, count: ByteCount, rng: random.Random) -> None:
        low, high = (count, count) if isinstance(count, int) else count
        if not 1 <= low <= high:
            raise ValueError(f"byte count must be >= 1, or a range low <= high: {count!r}")
        self._low, self._high, self._rng = low, high, rng
        self.remaining = 0
        self.rearm()

    def rearm(self) -> None:
        self.remaining = self._rng.randint(self._low, self._high)

    def count(self, crossed: int) -> bool:
        """Count bytes that crossed (never more than ``remaining``); true when it fires.

        Once fired it lets nothing more cross until rearmed.
        """
        self.remaining -= crossed
        return self.remaining == 0


class _Transmitter:
    """One direction of the link: a virtual clock that every connection reserves time on."""

    def __init__(self) -> None:
        self.free_at = 0.0

    def reserve(self, size: int, now: float, rate_bps: float | None, not_before: float
                ) -> tuple[float, float]:
        """Reserve the link for ``size`` bytes; returns when sending them starts and ends."""
        start = max(now, self.free_at, not_before)
        self.free_at = start if rate_bps is None else start + size * 8 / rate_bps
        return start, self.free_at


class _DelayLine:
    """One direction of one connection: chunks on their way, each with its arrival time."""

    def __init__(self) -> None:
        self._chunks: asyncio.Queue[tuple[float, bytes | _End]] = asyncio.Queue()
        self._held = 0
        self._room = asyncio.Event()
        self._room.set()

    async def send(self, arrival: float, chunk: bytes) -> None:
        while self._held >= IN_FLIGHT_MAX:
            self._room.clear()
            await self._room.wait()
        self._held += len(chunk)
        self._chunks.put_nowait((arrival, chunk))

    def end(self, arrival: float, end: _End) -> None:
        self._chunks.put_nowait((arrival, end))

    async def receive(self) -> tuple[float, bytes | _End]:
        return await self._chunks.get()

    def delivered(self, size: int) -> None:
        self._held -= size
        if self._held < IN_FLIGHT_MAX:
            self._room.set()


class _Connection:
    """One client connection and its connection to the target; its state lives in the loop."""

    def __init__(self, number: int, client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                 cut_trigger: _ByteTrigger | None) -> None:
        self.number = number
        self.readers: list[asyncio.StreamReader | None] = [client[0], None]  # by direction
        self.writers: list[asyncio.StreamWriter | None] = [None, client[1]]  # by direction
        self.lines = (_DelayLine(), _DelayLine())
        self.crossed = [0, 0]
        self.cut_trigger = cut_trigger
        self.tasks: set[asyncio.Task[None]] = set()
        self.doomed = False  # being cut or stopped: nothing more crosses
        self.open = True
        self.cut = False
        self.lingering: asyncio.StreamWriter | None = None  # cut; the target not told yet

    def reset(self, *, hang_up: bool = False) -> None:
        """End the connection at once, every task but the caller cancelled: RST to both peers,
        or with ``hang_up`` (a cut) a FIN, so each peer still reads every byte that crossed;
        the target hears of it ``SERVER_NOTICE_S`` later (a server notices a dead link after
        its client does, and keeps reading what arrived before it)."""
        self.doomed = True
        self.open = False
        for direction, writer in enumerate(self.writers):
            if writer is None:
                continue
            if not hang_up:
                _reset(writer)
            elif direction == UP:  # toward the target server
                self.lingering = writer
                asyncio.get_running_loop().call_later(SERVER_NOTICE_S, _hang_up, writer)
            else:
                _hang_up(writer)
        current = asyncio.current_task()
        for task in self.tasks:
            if task is not current:
                task.cancel()

    def stats(self) -> ConnectionStats:
        return ConnectionStats(self.number, self.crossed[UP], self.crossed[DOWN], self.open,
                               self.cut)


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass  # already closed by its peer: nothing to reset
    writer.transport.abort()


def _hang_up(writer: asyncio.StreamWriter) -> None:
    """End the stream toward a peer with a FIN and close: the peer reads what its kernel
    holds, then the end. (An RST would make its kernel drop received bytes not yet read,
    which a cut link does not do.)"""
    try:
        if writer.can_write_eof():
            writer.write_eof()
    except (OSError, RuntimeError):
        pass
    writer.close()


def _unacknowledged(writer: asyncio.StreamWriter) -> int:
    pending = writer.transport.get_write_buffer_size()
    sock = writer.get_extra_info("socket")
    if ioctl is not None and sock is not None:
        try:
            pending += struct.unpack("i", ioctl(sock.fileno(), TIOCOUTQ, b"\0\0\0\0"))[0]
        except (OSError, ValueError):
            pass  # closed: nothing more will be acknowledged
    return pending


async def _sleep_until(moment: float) -> None:
    delay = moment - asyncio.get_running_loop().time()
    if delay > 0:
        await asyncio.sleep(delay)


class LinkEmulator:
    """A TCP proxy to ``target_host:target_port`` that emulates a slow, fragile link.

    ``rate_bps``: bits per second in each direction, shared by all connections (None: no limit).
    ``latency_s``: one-way delay, each direction (a round trip is twice this).
    ``cut_after_bytes``: cut after this many bytes crossed, both directions counted (None: never);
    ``cut_scope`` says whether the count runs over the whole link or per connection.
    ``stall``: ``(after_bytes, duration_s)``, the link stalls after every ``after_bytes`` bytes.
    ``seed``: seeds the draws of cut and stall counts, on separate generators.
    See the module docstring for the model.
    """

    def __init__(self, target_host: str, target_port: int, *, rate_bps: float | None = None,
                 latency_s: float = 0.0, cut_after_bytes: ByteCount | None = None,
                 cut_scope: Literal["link", "connection"] = "link",
                 stall: tuple[ByteCount, float] | None = None, seed: int = 0,
                 listen_host: str = "127.0.0.1", port: int = 0) -> None:
        if cut_scope not in ("link", "connection"):
            raise ValueError(f"cut_scope must be 'link' or 'connection': {cut_scope!r}")
        self.target = (target_host, target_port)
        self.cut_scope = cut_scope
        self._listen = (listen_host, port)
        self._cut_rng = random.Random(f"cut/{seed}")
        self._stall_rng = random.Random(f"stall/{seed}")
        self._rate_bps = rate_bps
        self._latency_s = latency_s
        self._cut_after = cut_after_bytes
        self._link_cut: _ByteTrigger | None = None
        self._stall: _ByteTrigger | None = None
        self._stall_s = 0.0
        self._apply(rate_bps, latency_s, cut_after_bytes, stall)
        self._transmitters = (_Transmitter(), _Transmitter())
        self._frozen_until = 0.0
        self._link_up = True
        self._connections: list[_Connection] = []
        self._refused = 0
        self._cuts = 0
        self._stalls = 0
        self._port: int | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._startup_error: OSError | None = None

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> LinkEmulator:
        """Listen and start forwarding; returns once ``port`` is known. An emulator runs once."""
        if self._thread is not None or self._port is not None:
            raise RuntimeError("this link emulator has already run: make a new one")
        ready = threading.Event()
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(ready),),
                                        name=f"linkemu->{self.target[0]}:{self.target[1]}",
                                        daemon=True)
        self._thread.start()
        ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            self._thread = None
            raise self._startup_error
        return self

    def stop(self) -> None:
        """Reset every connection, close the listening socket and end the thread."""
        if self._thread is None:
            return
        assert self._loop is not None and self._stopping is not None
        self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(CALL_TIMEOUT_S)
        if self._thread.is_alive():
            raise RuntimeError("the link emulator did not stop")
        self._thread = None
        self._loop = None

    def __enter__(self) -> LinkEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port clients connect to (the one given, or the one the system chose)."""
        if self._port is None:
            raise RuntimeError("the link emulator has not been started")
        return self._port

    @property
    def url(self) -> str:
        """``http://host:port`` of the emulator, for an HTTP client of the target."""
        return f"http://{self._listen[0]}:{self.port}"

    # -- runtime control -------------------------------------------------------------------

    def configure(self, *, rate_bps: float | None | _Unset = _UNSET,
                  latency_s: float | _Unset = _UNSET,
                  cut_after_bytes: ByteCount | None | _Unset = _UNSET,
                  stall: tuple[ByteCount, float] | None | _Unset = _UNSET) -> None:
        """Change settings from now on; those not given stay.

        Rate and latency apply to chunks read from now on. A new ``cut_after_bytes`` starts its
        count now (link scope) or applies to connections accepted from now on (connection
        scope); a new ``stall`` starts its count now.
        """

        async def apply() -> None:
            self._apply(rate_bps, latency_s, cut_after_bytes, stall)

        self._in_loop(apply)

    def set_link(self, *, up: bool) -> None:
        """Bring the link down (cut every connection, reset new ones) or back up."""

        async def switch() -> None:
            self._link_up = up
            if not up:
                await self._cut(self._open_connections())

        self._in_loop(switch)

    def cut_all(self) -> int:
        """Cut every open connection now (one cut event); returns how many were cut."""

        async def cut() -> int:
            return await self._cut(self._open_connections())

        return self._in_loop(cut)

    def stall_now(self, duration_s: float) -> None:
        """Let nothing cross the link, either way, for ``duration_s`` from now."""

        async def stall() -> None:
            self._stall_link(duration_s)

        self._in_loop(stall)

    def stats(self) -> LinkStats:
        """A consistent snapshot of the figures (the final ones once stopped)."""
        if self._thread is None:
            return self._snapshot()

        async def snapshot() -> LinkStats:
            return self._snapshot()

        return self._in_loop(snapshot)

    # -- settings --------------------------------------------------------------------------

    def _apply(self, rate_bps: float | None | _Unset, latency_s: float | _Unset,
               cut_after: ByteCount | None | _Unset,
               stall: tuple[ByteCount, float] | None | _Unset) -> None:
        """Validate and take the settings given (``_UNSET``: keep), arming new counts now."""
        if rate_bps is not _UNSET and rate_bps is not None and rate_bps <= 0:
            raise ValueError(f"rate_bps must be positive or None: {rate_bps!r}")
        if latency_s is not _UNSET and latency_s < 0:
            raise ValueError(f"latency_s must be >= 0: {latency_s!r}")
        if stall is not _UNSET and stall is not None and stall[1] < 0:
            raise ValueError(f"a stall's duration must be >= 0: {stall[1]!r}")
        # Drawing the counts also validates them (in either cut scope), before anything changes.
        link_cut = None
        if cut_after is not _UNSET and cut_after is not None:
            link_cut = _ByteTrigger(cut_after, self._cut_rng)
        stall_trigger = None
        if stall is not _UNSET and stall is not None:
            stall_trigger = _ByteTrigger(stall[0], self._stall_rng)
        if cut_after is not _UNSET:
            self._cut_after = cut_after
            self._link_cut = link_cut if self.cut_scope == "link" else None
        if stall is not _UNSET:
            self._stall = stall_trigger
            self._stall_s = 0.0 if stall is None else stall[1]
        if rate_bps is not _UNSET:
            self._rate_bps = rate_bps
        if latency_s is not _UNSET:
            self._latency_s = latency_s

    def _chunk_size(self) -> int:
        if self._rate_bps is None:
            return CHUNK_MAX
        return max(CHUNK_MIN, min(CHUNK_MAX, int(self._rate_bps / 8 * CHUNK_TIME_S)))

    # -- the loop's side -------------------------------------------------------------------

    def _in_loop(self, action: Callable[[], Coroutine[object, object, T]]) -> T:
        loop = self._loop
        if self._thread is None or loop is None:
            raise RuntimeError("the link emulator is not running")
        return asyncio.run_coroutine_threadsafe(action(), loop).result(CALL_TIMEOUT_S)

    async def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        supervisors: set[asyncio.Task[None]] = set()

        async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            supervisors.add(task)
            try:
                await self._forward(reader, writer)
            finally:
                supervisors.discard(task)

        try:
            server = await asyncio.start_server(accept, *self._listen)
        except OSError as error:
            self._startup_error = error
            ready.set()
            return
        self._port = server.sockets[0].getsockname()[1]
        ready.set()
        await self._stopping.wait()
        self._link_up = False  # a connection accepted from now on is reset on arrival
        server.close()
        for connection in self._open_connections():
            connection.reset()
        for connection in self._connections:
            if connection.lingering is not None and not connection.lingering.is_closing():
                _hang_up(connection.lingering)  # stopping: tell the target now
        if supervisors:
            await asyncio.wait(supervisors)
        await server.wait_closed()

    def _open_connections(self) -> list[_Connection]:
        return [connection for connection in self._connections if connection.open]

    def _snapshot(self) -> LinkStats:
        per_connection = tuple(connection.stats() for connection in self._connections)
        return LinkStats(sum(c.client_to_server for c in per_connection),
                         sum(c.server_to_client for c in per_connection),
                         len(self._connections), self._refused, self._cuts, self._stalls,
                         per_connection)

    async def _forward(self, client_reader: asyncio.StreamReader,
                       client_writer: asyncio.StreamWriter) -> None:
        """Serve one accepted connection from its handshake to its end."""
        if not self._link_up:
            self._refused += 1
            _reset(client_writer)
            return
        cut_trigger = None
        if self.cut_scope == "connection" and self._cut_after is not None:
            cut_trigger = _ByteTrigger(self._cut_after, self._cut_rng)
        connection = _Connection(len(self._connections) + 1, (client_reader, client_writer),
                                 cut_trigger)
        self._connections.append(connection)
        handshake = asyncio.current_task()
        assert handshake is not None
        connection.tasks.add(handshake)
        try:
            await asyncio.sleep(2 * self._latency_s)
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except asyncio.CancelledError:
            if connection.doomed:  # cut, or stopped, during the handshake
                return
            raise
        except OSError:  # the target refuses: so does the link
            connection.reset()
            return
        connection.tasks.discard(handshake)
        connection.readers[DOWN], connection.writers[UP] = server_reader, server_writer
        if connection.doomed:
            _reset(server_writer)
            return
        pumps = [asyncio.create_task(pump(connection, direction))
                 for direction in (UP, DOWN) for pump in (self._transmit, self._deliver)]
        connection.tasks.update(pumps)
        await asyncio.wait(pumps)
        if connection.open:  # both directions ended with a FIN: close both sockets
            for writer in (client_writer, server_writer):
                writer.close()
            for writer in (client_writer, server_writer):
                try:
                    await writer.wait_closed()
                except OSError:
                    pass  # its peer reset it meanwhile: closed all the same
            connection.open = False

    async def _transmit(self, connection: _Connection, direction: int) -> None:
        """Read one direction's bytes and send them through the link's transmitter."""
        reader = connection.readers[direction]
        assert reader is not None
        line = connection.lines[direction]
        transmitter = self._transmitters[direction]
        loop = asyncio.get_running_loop()
        sent_at = loop.time()
        try:
            while chunk := await reader.read(self._chunk_size()):
                start, sent_at = transmitter.reserve(len(chunk), loop.time(), self._rate_bps,
                                                     self._frozen_until)
                await line.send(sent_at + self._latency_s, chunk)
                await _sleep_until(start)  # read the next chunk while this one is sent
            end = _End.EOF
        except OSError:
            end = _End.RESET
        line.end(max(sent_at, loop.time()) + self._latency_s, end)

    async def _deliver(self, connection: _Connection, direction: int) -> None:
        """Write one direction's arriving bytes to their destination, counting them."""
        line = connection.lines[direction]
        writer = connection.writers[direction]
        assert writer is not None
        loop = asyncio.get_running_loop()
        while True:
            arrival, chunk = await line.receive()
            await _sleep_until(arrival)
            if chunk is _End.RESET:
                connection.reset()
                return
            try:
                if chunk is _End.EOF:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                written = 0
                while written < len(chunk):
                    while (frozen := self._frozen_until - loop.time()) > 0:
                        await asyncio.sleep(frozen)
                    if connection.doomed:
                        return
                    piece = chunk[written:written + self._crossable(connection, len(chunk) -
                                                                    written)]
                    writer.write(piece)
                    written += len(piece)
                    doomed = self._count(connection, direction, len(piece))
                    if doomed:
                        await self._cut(doomed)
                        return
                    await writer.drain()
            except OSError:  # the destination is gone
                connection.reset()
                return
            line.delivered(len(chunk))

    def _crossable(self, connection: _Connection, size: int) -> int:
        """How many of ``size`` bytes may cross before a cut or a stall falls due."""
        for trigger in (self._link_cut, connection.cut_trigger, self._stall):
            if trigger is not None:
                size = min(size, trigger.remaining)
        return size

    def _count(self, connection: _Connection, direction: int, crossed: int) -> list[_Connection]:
        """Count bytes that crossed; returns the connections a cut now due must end."""
        connection.crossed[direction] += crossed
        if self._stall is not None and self._stall.count(crossed):
            self._stall.rearm()
            self._stall_link(self._stall_s)
        if self._link_cut is not None and self._link_cut.count(crossed):
            return self._open_connections()
        if connection.cut_trigger is not None and connection.cut_trigger.count(crossed):
            return [connection]
        return []

    def _stall_link(self, duration_s: float) -> None:
        assert self._loop is not None
        self._frozen_until = max(self._frozen_until, self._loop.time() + duration_s)
        self._stalls += 1

    async def _cut(self, connections: list[_Connection]) -> int:
        """Cut connections: what was counted reaches the peers, then both sides get a FIN.

        The link's cut count starts again, whatever caused the cut.
        """
        if self._link_cut is not None:
            self._link_cut.rearm()
        connections = [connection for connection in connections if not connection.doomed]
        if not connections:
            return 0
        for connection in connections:
            connection.doomed = True
        self._cuts += 1
        writers = [w for connection in connections for w in connection.writers if w is not None]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + FLUSH_TIMEOUT_S
        while any(_unacknowledged(w) for w in writers) and loop.time() < deadline:
            await asyncio.sleep(0.001)
        for connection in connections:
            connection.cut = True
            connection.reset(hang_up=True)
        return len(connections)

"""docs/server.md's nginx example, as written there, in front of a real city server (SQLite):
a push cut mid-way still reaches the server frame by frame (``proxy_request_buffering off``), and
the proxy keeps its connection to the server open between requests (``keepalive``).

nginx comes from Debian (``.ci/run`` installs it). Without it the tests skip with the reason,
except under ``CI=true``, where that fails the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port, sign_in, stop_process
from tests.test_server_sync import pull, push_cut_in_third_frame

DOCS = Path(__file__).resolve().parents[1] / "docs" / "server.md"


def _nginx() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)),
        None)


def _documented_example(server_port: int) -> tuple[str, str]:
    """The ``upstream`` block and the ``location`` block of docs/server.md's nginx example, the
    upstream pointed at ``server_port`` instead of the example's 8470."""
    example = DOCS.read_text(encoding="utf-8").split("```nginx\n", 1)[1].split("```", 1)[0]
    assert "127.0.0.1:8470" in example, "the example no longer names 127.0.0.1:8470"
    upstream, location = example.replace("127.0.0.1:8470", f"127.0.0.1:{server_port}").split(
        "\n\nlocation", 1)
    return upstream, "location" + location


class Proxy:
    """nginx with the documented blocks, one worker, on a free loopback port."""

    def __init__(self, root: Path, server_port: int) -> None:
        self.root, self.port = root, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        upstream, location = _documented_example(server_port)
        # As root, nginx's workers would run as "nobody", which cannot enter pytest's folders.
        user = "user root;\n" if os.geteuid() == 0 else ""
        self.config = root / "nginx.conf"
        self.config.write_text(
            f"{user}worker_processes 1;\ndaemon off;\npid {root}/nginx.pid;\n"
            f"error_log {root}/error.log;\nevents {{}}\n"
            f"http {{\naccess_log off;\nclient_body_temp_path {root}/body;\n"
            f"proxy_temp_path {root}/proxy;\n{upstream}\n"
            f"server {{\nlisten 127.0.0.1:{self.port};\n{location}\n}}\n}}\n", encoding="utf-8")
        self.process: subprocess.Popen | None = None

    def start(self, nginx: str) -> None:
        checked = subprocess.run([nginx, "-t", "-c", str(self.config), "-p", str(self.root)],
                                 capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen([nginx, "-c", str(self.config), "-p", str(self.root)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"nginx did not start: {(self.root / 'error.log').read_text()}")

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture(scope="module")
def proxy(city_server, tmp_path_factory: pytest.TempPathFactory):
    nginx = _nginx()
    if nginx is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true needs nginx (apt-get install nginx)", pytrace=False)
        pytest.skip("nginx is not installed (apt-get install nginx)")
    started = Proxy(tmp_path_factory.mktemp("nginx"), city_server.port)
    started.start(nginx)
    yield started
    started.stop()


def _server_connections(port: int) -> set[int]:
    """The remote ports of the established TCP connections to the server's ``port``."""
    remote_ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            local, remote, state = line.split()[1:4]
            if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                remote_ports.add(int(remote.rsplit(":", 1)[1], 16))
    return remote_ports


def test_a_push_cut_at_the_proxy_keeps_the_frames_that_crossed(city_server, proxy) -> None:
    hoa = sign_in(city_server, "hoa", "mật-khẩu-hoa")
    # Through the proxy too, the server applies the whole frames while the request is open (a
    # buffering proxy would hold them until the body ends, and drop them at the cut).
    ops, mark = push_cut_in_third_frame(proxy.port, hoa)
    assert mark == ops[1]["seq"]
    names = {c["record"]["applicant"]["full_name"] for c in pull(proxy, hoa)[0]
             if c["id"] in {op["id"] for op in ops}}
    assert names == {"Người 0", "Người 1"}


def test_the_proxy_keeps_its_connection_to_the_server_open(city_server, proxy) -> None:
    hoa = sign_in(city_server, "hoa", "mật-khẩu-hoa")
    _changes, cursor = pull(proxy, hoa)
    seen: set[int] = set()
    for _ in range(10):
        answer = requests.get(f"{proxy.url}/v1/pull", params={"cursor": cursor}, headers=hoa,
                              timeout=30)
        assert answer.status_code == 200, answer.text
        open_now = _server_connections(city_server.port)
        assert open_now, "the proxy closed its connection to the server after a request"
        seen |= open_now
    # One nginx worker, one request at a time: one connection served them all.
    assert len(seen) == 1

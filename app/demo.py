"""The demo ``make run`` opens: a local city server with Xã Minh Châu (Hà Nội), demo users, and
a profile signed in to it holding a few hundred invented dossiers.

Everything lives in one folder (``.demo`` by default): ``server/`` (the city server's data,
SQLite) and ``profile/`` (the desktop profile). The server runs as a child process
(``communedesk-server serve``) on loopback; the profile's server address follows the port it got.
Made once, reused at every start. No Qt here: ui/demo.py opens the window on top of this.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

from app import sample_data
from app.clock import Clock
from app.dossier import VN_TZ
from app.profile import ProfilePaths, create_profile, open_profile
from app.store import Store
from app.syncing import sign_in

DEMO_COMMUNE = "09661"  # Xã Minh Châu, Hà Nội
DEMO_DOSSIERS = 300
DEMO_PASSPHRASE = "demo-passphrase"
# The demo's accounts: (username, role, display name); all share the demo password.
DEMO_USERS = (("hoa", "officer", "Nguyễn Thị Hoa"), ("lan", "specialist", "Trần Thị Lan"),
              ("minh", "leader", "Lê Văn Minh"))
DEMO_PASSWORD = "minhchau-demo"
PREFERRED_PORT = 8765


def fill_demo_dossiers(store: Store, count: int = DEMO_DOSSIERS) -> int:
    """``count`` invented dossiers received over the last three weeks (numbered by the store)."""
    today = Clock().now().astimezone(VN_TZ)
    start = (today - timedelta(days=21)).replace(hour=7, minute=0, second=0, microsecond=0)
    procedures = [(p.code, p.time_limit_days) for p in store.catalogue.current(today.date())]
    records = sample_data.dossier_records(count, procedures, seed=7, start=start, per_day=20)
    result = store.import_records(enumerate(
        (r for r in records if r["received_at"] < today.isoformat()), 1))
    return len(result.created)


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise OSError("no free port")


def _die_with_parent() -> None:
    """In the server child (Linux): stop when the app that started it dies, even by a crash,
    so no demo server is left holding its port."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class DemoCity:
    """The demo's city server, as a child process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data_dir = folder / "server"
        self.process: subprocess.Popen | None = None
        self.url = ""

    def _admin(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "server.cli", "--data-dir", str(self.data_dir),
                        *args], check=True, capture_output=True, timeout=300,
                       env={**os.environ, "COMMUNEDESK_PASSWORD": DEMO_PASSWORD})

    def prepare(self) -> None:
        """Create the server's database, the commune and the users (once)."""
        if (self.data_dir / "server.db").exists():
            return
        self._admin("init")
        for username, role, name in DEMO_USERS:
            self._admin("user", "add", "--commune", DEMO_COMMUNE, "--username", username,
                        "--role", role, "--name", name)

    def start(self, timeout: float = 60.0) -> str:
        port = _free_port(PREFERRED_PORT)
        self.url = f"http://127.0.0.1:{port}"
        log = (self.folder / "server.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "--data-dir", str(self.data_dir), "serve",
             "--port", str(port)], stdout=log, stderr=log,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the demo server stopped: see {self.folder / 'server.log'}")
            try:
                with urllib.request.urlopen(self.url + "/openapi.json", timeout=1):
                    return self.url
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the demo server did not start in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def prepare_profile(root: Path, url: str, passphrase: str = DEMO_PASSPHRASE,
                    count: int = DEMO_DOSSIERS) -> None:
    """Make the demo profile once (signed in as ``hoa``, with ``count`` dossiers); at every
    start point it at the server's current address."""
    if ProfilePaths(root).exists():
        store = open_profile(root, passphrase)
        store.set_setting("server.url", url)
    else:
        store = create_profile(root, passphrase, DEMO_COMMUNE, user_name=DEMO_USERS[0][2])
        sign_in(store, root, url, DEMO_USERS[0][0], DEMO_PASSWORD, device_name="demo")
        fill_demo_dossiers(store, count)
    store.db.close()

"""Shared test set-up: no real keychain, no real home folder, profiles in temporary folders.

Every test runs with HOME and the XDG folders pointed at its own temporary directory and with
an in-memory keyring, so nothing touches the user's keychain or data. ``cli`` runs the real
``communedesk`` console entry point in a subprocess with the same isolation (a file keyring
from keyrings.alt inside the temporary folder stands in for the OS keychain there).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import keyring
import keyring.backend
import pytest

from app.clock import FixedClock
from app.dossier import VN_TZ
from tests.postgres import PostgresServer
from tests.postgres import unavailable_reason as postgres_unavailable_reason

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PASSPHRASE = "mật khẩu thử nghiệm"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keychain that lives in this process only (stands in for the OS keychain)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                  ) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.delenv("COMMUNEDESK_PASSPHRASE", raising=False)
    monkeypatch.delenv("COMMUNEDESK_LANG", raising=False)
    return home


@pytest.fixture(autouse=True)
def memory_keyring() -> MemoryKeyring:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def clock() -> FixedClock:
    """Tuesday 6 January 2026, 09:00 in Hà Nội."""
    return FixedClock(datetime(2026, 1, 6, 9, 0, tzinfo=VN_TZ))


@pytest.fixture
def store(tmp_path: Path, clock: FixedClock):
    from app.profile import create_profile

    created = create_profile(tmp_path / "profile", PASSPHRASE, "09661", user_name="Nguyễn Thị Hoa",
                             clock=clock)
    yield created
    created.db.close()


def dossier_input(**overrides) -> dict:
    """A valid intake for birth registration, received Tuesday 06/01/2026 at 09:00."""
    record = {
        "procedure_code": "1.001193",
        "received_at": "2026-01-06T09:00:00+07:00",
        "applicant": {
            "full_name": "Nguyễn Văn Đức", "id_number": "001085012345",
            "date_of_birth": "1985-03-02", "sex": "male", "phone": "0912 345 678",
            "email": None, "address": "Thôn Bắc Hà, xã Minh Châu",
        },
        "papers": [{"name": "Tờ khai đăng ký khai sinh", "form": "original", "count": 1}],
    }
    record.update(overrides)
    return record


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Run ``communedesk --profile <tmp>/cli-profile ARGS`` as a real subprocess."""
    profile = tmp_path / "cli-profile"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path / "cli-home"),
        "XDG_DATA_HOME": str(tmp_path / "cli-home" / "data"),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "COMMUNEDESK_PASSPHRASE": PASSPHRASE,
        "PYTHONIOENCODING": "utf-8",
    }

    def run(*args: str, input_text: str | None = None, profile_dir: Path | None = None,
            extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "app.cli", "--profile",
                   str(profile_dir or profile), *args]
        return subprocess.run(command, capture_output=True, text=True, encoding="utf-8",
                              input=input_text, env={**env, **(extra_env or {})}, timeout=120,
                              cwd=Path(__file__).resolve().parents[1])

    run.profile = profile  # type: ignore[attr-defined]
    run.env = env  # type: ignore[attr-defined]
    return run


def load_json(text: str):
    return json.loads(text)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CityServer:
    """A real ``communedesk-server serve`` on loopback, with its data folder and admin CLI."""

    def __init__(self, data_dir: Path, db_url: str | None = None,
                 postgres: PostgresServer | None = None) -> None:
        self.data_dir = data_dir
        # None: the embedded default (SQLite in the data folder); else a postgresql:// URL.
        self.db_url = db_url or f"sqlite:///{data_dir / 'server.db'}"
        self.backend = "postgresql" if self.db_url.startswith("postgres") else "sqlite"
        self.postgres = postgres
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def admin(self, *args: str, password: str | None = None,
              check: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "COMMUNEDESK_PASSWORD": password or ""}
        done = subprocess.run(
            [sys.executable, "-m", "server.cli", "--data-dir", str(self.data_dir), *args],
            capture_output=True, text=True, env=env, timeout=120,
            cwd=Path(__file__).resolve().parents[1])
        if check and done.returncode != 0:
            raise AssertionError(f"{args}: {done.returncode} {done.stderr}")
        return done

    def init(self) -> subprocess.CompletedProcess:
        """``communedesk-server init --db URL`` (the URL is saved in the data folder)."""
        return self.admin("init", "--db", self.db_url)

    def engine(self):  # noqa: ANN201
        from server.db import make_engine

        return make_engine(self.db_url)

    def start(self, workers: int = 1, log_path: Path | None = None) -> None:
        """Serve; ``log_path``: the file that gets the server's stderr (its logs)."""
        import time
        import urllib.request

        log = log_path.open("ab") if log_path else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "--data-dir", str(self.data_dir), "serve",
                 "--port", str(self.port), "--workers", str(workers)],
                cwd=Path(__file__).resolve().parents[1],
                stdout=subprocess.DEVNULL, stderr=log)
        finally:
            if log_path:
                log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/openapi.json", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        stop_process(self.process)


def stop_process(process: subprocess.Popen | None) -> None:
    """Terminate ``process`` if it still runs; kill it if it has not ended 10 s later."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A module that sets ``DB_BACKENDS = BACKENDS`` runs its server tests on each backend
    (ids ``[sqlite]``, ``[postgresql]``); other modules run on SQLite only."""
    backends = getattr(metafunc.module, "DB_BACKENDS", None)
    if backends and "db_backend" in metafunc.fixturenames:
        metafunc.parametrize("db_backend", backends, indirect=True, scope="module")


@pytest.fixture(scope="session")
def postgres_server():
    """A private PostgreSQL for the session, started at first use. Without one the test skips
    with the reason, except under ``CI=true``, where that fails the run."""
    reason = postgres_unavailable_reason()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true needs PostgreSQL: {reason}", pytrace=False)
        pytest.skip(reason)
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def db_backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def new_db_url(db_backend: str, tmp_path: Path, request: pytest.FixtureRequest
               ) -> Callable[[], str]:
    """Makes a fresh, empty database URL on the backend under test."""
    names = iter(range(1, 1000))

    def make() -> str:
        if db_backend == "postgresql":
            return request.getfixturevalue("postgres_server").create_database()
        return f"sqlite:///{tmp_path / f'fresh-{next(names)}.db'}"

    return make


def make_city_server(data_dir: Path, db_backend: str, request: pytest.FixtureRequest
                     ) -> CityServer:
    """An initialised (not started) city server on the backend."""
    if db_backend == "postgresql":
        postgres = request.getfixturevalue("postgres_server")
        server = CityServer(data_dir, postgres.create_database(), postgres)
    else:
        server = CityServer(data_dir)
    server.init()
    return server


@pytest.fixture(scope="module")
def city_server(tmp_path_factory: pytest.TempPathFactory, db_backend: str,
                request: pytest.FixtureRequest):
    """A city server (SQLite, or PostgreSQL for ``[postgresql]``) with Xã Minh Châu (09661)
    and Phường Kim Liên (00226) users."""
    server = make_city_server(tmp_path_factory.mktemp("city"), db_backend, request)
    server.admin("user", "add", "--commune", "09661", "--username", "hoa", "--role", "officer",
                 "--name", "Nguyễn Thị Hoa", password="mật-khẩu-hoa")
    server.admin("user", "add", "--commune", "00226", "--username", "lan", "--role", "officer",
                 password="mật-khẩu-lan")
    server.start()
    yield server
    server.stop()


VERSION = {"X-CommuneDesk-Version": "0.1.0"}


def sign_in(server: CityServer, username: str, password: str) -> dict:
    """Headers of a freshly signed-in device of ``username`` (a new device id each time)."""
    import uuid

    import requests

    answer = requests.post(f"{server.url}/v1/auth/login", headers=VERSION, timeout=30, json={
        "username": username, "password": password, "device_id": str(uuid.uuid4()),
        "device_name": "máy thử"})
    assert answer.status_code == 200, answer.text
    return {**VERSION, "Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture(scope="module")
def hoa(city_server) -> dict:
    """A signed-in device of Xã Minh Châu (09661)."""
    return sign_in(city_server, "hoa", "mật-khẩu-hoa")


@pytest.fixture(scope="module")
def lan(city_server) -> dict:
    """A signed-in device of Phường Kim Liên (00226)."""
    return sign_in(city_server, "lan", "mật-khẩu-lan")


@pytest.fixture
def desk(tmp_path: Path, clock: FixedClock, qtbot):
    """An open profile (real SQLCipher file) with a running task helper, for the desktop app's
    tests (tests/ui_support.py)."""
    from tests.ui_support import close_desk, make_desk

    opened = make_desk(tmp_path / "desk", clock)
    yield opened
    close_desk(opened)


@pytest.fixture
def xvfb_display(tmp_path: Path):
    """A private X server (Xvfb) for tests that need a real window; its DISPLAY value.

    Without Xvfb the test skips with the reason, except under ``CI=true``, where that fails the
    run (.ci/run installs it)."""
    import shutil

    if shutil.which("Xvfb") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true needs Xvfb (apt-get install xvfb)", pytrace=False)
        pytest.skip("Xvfb is not installed")
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp",
         "-noreset"], pass_fds=(write_end,), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number:
        process.kill()
        process.wait()
        pytest.fail("Xvfb did not start", pytrace=False)
    yield f":{number}"
    stop_process(process)

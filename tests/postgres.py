"""A private PostgreSQL server for the test session, on loopback, in a temporary folder.

``PostgresServer.start()`` finds the binaries (``pg_config --bindir`` or the newest
``/usr/lib/postgresql/*/bin``), runs ``initdb`` into a temporary folder owned by the ``postgres``
user (PostgreSQL refuses to run as root, so commands go through ``runuser -u postgres --`` when
the tests run as root), and starts it on a free port with its socket in that folder.
``create_database()`` makes a fresh database and returns its ``postgresql://`` URL; ``stop()``
stops the server (``pg_ctl stop -m fast``) and removes the folder.

``unavailable_reason()`` says why no server can be started here (None when one can); the
fixtures in ``tests/conftest.py`` skip with that reason, or fail when ``CI=true``.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, newest version first; None when missing."""
    candidates: list[Path] = []
    if shutil.which("pg_config"):
        try:
            done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                                  timeout=10)
            if done.returncode == 0:
                candidates.append(Path(done.stdout.strip()))
        except (OSError, subprocess.SubprocessError):
            pass

    def version(path: str) -> tuple[int, ...]:
        name = Path(path).parent.name
        return tuple(int(p) for p in name.split(".") if p.isdigit())

    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                           key=version, reverse=True)]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def unavailable_reason() -> str | None:
    if find_bindir() is None:
        return "no PostgreSQL binaries (initdb, pg_ctl) found: install postgresql"
    if _is_root():
        if shutil.which("runuser") is None:
            return "running as root without runuser: cannot start PostgreSQL"
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run PostgreSQL"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg (3) is not installed"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        bindir = find_bindir()
        if bindir is None:
            raise RuntimeError("no PostgreSQL binaries found")
        self.bindir = bindir
        self.root: Path | None = None
        self.port = 0
        self._names = itertools.count(1)
        self.started = False

    @property
    def data_dir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if _is_root():
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              cwd=self.root, env={**os.environ, "LC_ALL": "C"})
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr}"
                               f"{done.stdout}{self._log_tail()}")
        return done

    def _log_tail(self) -> str:
        log = self.root / "log" if self.root else None
        if log and log.exists():
            return "\n--- server log ---\n" + log.read_text(errors="replace")[-2000:]
        return ""

    def start(self) -> PostgresServer:
        self.root = Path(tempfile.mkdtemp(prefix="communedesk-pg-"))
        if _is_root():
            import pwd

            account = pwd.getpwnam("postgres")
            os.chown(self.root, account.pw_uid, account.pw_gid)
        os.chmod(self.root, 0o700)
        self._run("initdb", "-D", str(self.data_dir), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--no-sync")
        for _attempt in range(3):
            self.port = _free_port()
            try:
                self._run("pg_ctl", "-D", str(self.data_dir), "-w", "-t", "60", "-l",
                          str(self.root / "log"), "-o",
                          f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                          "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                          "-c max_connections=200", "start")
                self.started = True
                return self
            except RuntimeError:
                continue
        self.stop()
        raise RuntimeError("PostgreSQL did not start" + self._log_tail())

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "communedesk") -> str:
        """A new empty database; its URL."""
        import psycopg

        name = f"{prefix}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def dump(self, url: str) -> bytes | None:
        """``pg_dump`` of a database (plain SQL), or None when pg_dump is missing."""
        pg_dump = self.bindir / "pg_dump"
        if not pg_dump.exists():
            return None
        done = subprocess.run([str(pg_dump), "--data-only", url], capture_output=True,
                              timeout=120)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode(errors="replace"))
        return done.stdout

    def stop(self) -> None:
        if self.root is None:
            return
        if self.started:
            try:
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
            except (RuntimeError, subprocess.SubprocessError):
                pass
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

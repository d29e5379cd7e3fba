"""Where the server's data lives: the data folder, its config, and the database engine.

The data folder holds ``server.json`` (the database URL, written 0600 because a PostgreSQL URL
may carry a password) and, for the embedded default, ``server.db`` (SQLite, WAL). A URL in
``COMMUNEDESK_DB_URL`` wins over the file, so production can keep the password out of it.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

T = TypeVar("T")
DATA_DIR_ENV = "COMMUNEDESK_SERVER_DATA_DIR"
DB_URL_ENV = "COMMUNEDESK_DB_URL"


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'server.db'}"


def save_url(data_dir: Path, url: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "server.json"
    config.write_text(json.dumps({"db_url": url}) + "\n", encoding="utf-8")
    os.chmod(config, 0o600)


def configured_url(data_dir: Path) -> str:
    if os.environ.get(DB_URL_ENV):
        return os.environ[DB_URL_ENV]
    config = data_dir / "server.json"
    if config.exists():
        return json.loads(config.read_text("utf-8"))["db_url"]
    return default_url(data_dir)


# The pool, per worker process: uvicorn runs each worker's blocking routes on up to 40
# threads, so the pool holds as many open connections as the threads that use them at once and
# a few more for streamed pull answers; beyond them a request waits for a connection (30 s).
# A worker keeps at most POOL_SIZE + POOL_OVERFLOW connections: size PostgreSQL's
# ``max_connections`` for workers × 40 plus the admin commands (docs/server.md).
POOL_SIZE = 20
POOL_OVERFLOW = 20


def make_engine(url: str) -> sa.Engine:
    """An engine for a ``sqlite:///…`` or ``postgresql://…`` URL (psycopg 3 for the latter)."""
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return _postgresql_engine(url)


IDLE_BEFORE_PING = 10.0
"""Seconds a PostgreSQL connection may rest in the pool and still be handed out unchecked."""

_RETURNED = "communedesk_returned"


def _postgresql_engine(url: str) -> sa.Engine:
    """PostgreSQL through psycopg 3. A connection that rested in the pool for more than
    IDLE_BEFORE_PING seconds is pinged before it is handed out, and replaced if PostgreSQL
    dropped it (a restart, an idle timeout): SQLAlchemy's ``pool_pre_ping`` pinged at every
    checkout, a round trip before each of a push's transactions and its account check, about
    a twentieth of a push's time on one core (docs/benchmarks.md). A connection in steady use
    is not pinged: if PostgreSQL drops it, the statement that finds out fails, SQLAlchemy
    renews every connection of the pool, and the device sends its push again, as after any
    failed request."""
    engine = sa.create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)

    @sa.event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_RETURNED)  # None: a new connection
        if returned is None or time.monotonic() - returned <= IDLE_BEFORE_PING:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool discards this connection and hands out another (SQLAlchemy's
            # "pessimistic disconnect handling").
            raise sa.exc.DisconnectionError(str(error)) from error

    return engine


def _sqlite_engine(url: str) -> sa.Engine:
    """SQLite with real transactions (SQLAlchemy's pysqlite recipe, "Serializable isolation").

    pysqlite's default opens a transaction only before the first INSERT/UPDATE/DELETE, so the
    reads before it run outside any transaction and may see a state that a concurrent writer
    changes before this one writes. Here the driver is in autocommit mode and SQLAlchemy's
    ``begin`` emits the BEGIN itself: ``engine.begin()`` is ``BEGIN IMMEDIATE`` (the write lock
    is taken first, so everything the block reads is current until it commits: writers are
    serialised, as PostgreSQL's row lock does per commune; within a process they queue on a
    lock rather than in SQLite's busy handler), and the transaction that
    ``engine.connect()`` starts at its first statement is a plain ``BEGIN`` (a consistent
    read snapshot under WAL, which never blocks on a writer).
    """
    engine = sa.create_engine(url, connect_args={"timeout": 30}, pool_size=POOL_SIZE,
                              max_overflow=POOL_OVERFLOW, pool_use_lifo=True)

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.isolation_level = None  # the driver emits no BEGIN of its own
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        # The writer's pages stay cached between its transactions (the pool hands the same
        # connection back: pool_use_lifo), rather than read again from the OS.
        cursor.execute("PRAGMA cache_size = -8192")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _sqlite_begin(connection: sa.Connection) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":  # server/loop_reads.py
            return
        mode = options.get(_BEGIN_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")

    writer = threading.Lock()

    @contextlib.contextmanager
    def begin_immediate() -> Iterator[sa.Connection]:
        # One writer at a time in this process: a thread waiting here wakes as soon as the
        # writer before it commits, where SQLite's busy handler would poll in growing sleeps
        # (up to 100 ms), leaving the core idle and starving unlucky writers for seconds.
        with writer, engine.connect() as connection:
            connection.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
            with connection.begin():
                yield connection

    engine.begin = begin_immediate  # type: ignore[method-assign]
    _combiners[engine] = _Combiner(engine)
    return engine


@contextlib.contextmanager
def reading(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A pooled connection for reads, its transaction ended with COMMIT rather than the
    ROLLBACK that closing ``engine.connect()`` sends (an error inside still rolls back).
    psycopg forgets every statement it prepared on a connection when that connection rolls
    back, so one read a push ended that way (the account check) kept every statement of the
    pushes on its connection from being prepared: PostgreSQL parsed and planned each of them
    every time, about 14 % of its work on a push (docs/benchmarks.md). On SQLite the two
    endings cost the same."""
    with engine.connect() as connection:
        yield connection
        connection.commit()


def write_together(engine: sa.Engine, work: Callable[[sa.Connection], T]) -> T:
    """``work(connection)`` in a write transaction, committed before this returns; what it
    returns, or what it raised (nothing of it written).

    On SQLite, the work of every thread that waits for the writer meanwhile is done in one
    transaction, each in its own savepoint, by whichever of them gets the writer first (a
    group commit): one commit and one wait for the disk for them all, where each commit's
    flush held the writer ~8 ms with the core idle (docs/benchmarks.md). On PostgreSQL, its
    own transaction: PostgreSQL already shares a flush among concurrent commits, and writers
    of different communes run side by side."""
    combiner = _combiners.get(engine)
    if combiner is None:
        with engine.begin() as connection:
            return work(connection)
    return combiner.run(work)


class _Work:
    """One caller's work for ``_Combiner``: done, with its value or its error, once run."""

    def __init__(self, work: Callable[[sa.Connection], Any]) -> None:
        self.work = work
        self.done = False
        self.value: Any = None
        self.error: BaseException | None = None


class _Combiner:
    """SQLite's group commit for ``write_together``: callers queue their work; the one that
    takes the turn does everything queued, each in a savepoint (a failing one is rolled back
    alone), and commits once; the others find theirs done when their turn comes."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.turn = threading.Lock()
        self.queue_lock = threading.Lock()
        self.queue: list[_Work] = []

    def run(self, work: Callable[[sa.Connection], T]) -> T:
        mine = _Work(work)
        with self.queue_lock:
            self.queue.append(mine)
        with self.turn:
            if not mine.done:
                with self.queue_lock:
                    queued, self.queue = self.queue, []
                self._run_all(queued)
        if mine.error is not None:
            raise mine.error
        return mine.value

    def _run_all(self, queued: list[_Work]) -> None:
        try:
            with self.engine.begin() as connection:
                for item in queued:
                    savepoint = connection.begin_nested()
                    try:
                        item.value = item.work(connection)
                    except Exception as error:  # noqa: BLE001 (handed to its caller)
                        savepoint.rollback()
                        item.error = error
                    else:
                        savepoint.commit()
        except BaseException as error:  # the commit failed or was interrupted: nothing written
            for item in queued:
                item.value, item.error = None, item.error or error
            if not isinstance(error, Exception):
                raise
        finally:
            for item in queued:
                item.done = True


_combiners: weakref.WeakKeyDictionary[sa.Engine, _Combiner] = weakref.WeakKeyDictionary()
_BEGIN_OPTION = "communedesk_sqlite_begin"

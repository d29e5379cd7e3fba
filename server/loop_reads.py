"""Reads that run on a worker's event loop: every request's token check and the empty pull.

Why not a worker thread, as every other database call here: under load a trip to uvicorn's
thread pool costs a request more than the reads themselves (the loop and the threads take turns
at the GIL), and these reads come with every request: an empty pull, the most frequent request a
city serves, went from about 580 to about 1,050 a second on one core when its reads moved here
(docs/benchmarks.md). So that is where they run, under rules that keep the loop responsive:

- only reads of a few rows by primary key or unique index (the token's row with its user and
  device, the commune's newest revision): nothing that can scan or wait for a writer. SQLite's
  WAL readers never wait for writers; PostgreSQL's plain reads never wait for row locks.
- one connection per worker, kept for these reads alone, used only from the loop's thread
  (which runs one of them at a time), so a read never waits for the pool, however busy the
  worker threads keep it;
- that connection is in autocommit mode: a read is one round trip, with no BEGIN or ROLLBACK
  around it;
- a connection the database dropped (a restart) is replaced, and the read tried once more.

Anything else, and every write, stays in the thread pool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

T = TypeVar("T")


class LoopReader:
    """``run(read)`` calls ``read(connection)`` on the worker's loop connection."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._connection: sa.Connection | None = None

    def run(self, read: Callable[[sa.Connection], T]) -> T:
        try:
            return read(self._open())
        except sa.exc.DBAPIError as error:
            if not error.connection_invalidated:
                raise
            self.close()
            return read(self._open())

    def _open(self) -> sa.Connection:
        if self._connection is None:
            self._connection = self.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT")
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

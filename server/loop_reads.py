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
  around it; the statement is compiled once and run on the driver's cursor
  (server/driver_sql.py: SQLAlchemy's execution of a cached statement took ~300 µs on
  PostgreSQL against ~140 µs from the driver);
- a connection the database dropped (a restart) is replaced, and the read tried once more.

Anything else, and every write, stays in the thread pool.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import sqlalchemy as sa

from server import driver_sql


class _Read:
    """A statement run on the driver's own cursor (``server/driver_sql.py``), its values passed
    through the column types' result processors, as SQLAlchemy would pass them (SQLite's
    datetimes and booleans)."""

    def __init__(self, statement: sa.Select, dialect: sa.Dialect) -> None:
        self.statement, self.dialect = statement, dialect
        columns = statement.selected_columns
        self.row_type = namedtuple("Row", list(columns.keys()))  # type: ignore[misc]
        self.processors = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                           for column in columns]

    def __call__(self, dbapi_connection: Any, params: dict[str, Any]) -> Any | None:
        found = driver_sql.rows(dbapi_connection, self.dialect, self.statement, params)
        if not found:
            return None
        return self.row_type(*(value if process is None else process(value)
                               for process, value in zip(self.processors, found[0],
                                                         strict=True)))


class LoopReader:
    """``row(statement, params)``: the first row of a statement (built once, at import) on the
    worker's loop connection, or None."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._connection: sa.Connection | None = None
        self._reads: dict[sa.Select, _Read] = {}

    def row(self, statement: sa.Select, params: dict[str, Any]) -> Any | None:
        read = self._reads.get(statement)
        if read is None:
            read = self._reads[statement] = _Read(statement, self.engine.dialect)
        try:
            return read(self._open(), params)
        except self.engine.dialect.loaded_dbapi.Error as error:
            if not self._dropped(error):
                raise
            self.close()
            return read(self._open(), params)

    def _dropped(self, error: Exception) -> bool:
        """Whether the database dropped the connection (then it is thrown away)."""
        assert self._connection is not None
        dbapi_connection = self._connection.connection.dbapi_connection
        if not self.engine.dialect.is_disconnect(error, dbapi_connection, None):
            return False
        self._connection.invalidate()
        return True

    def _open(self) -> Any:
        """The loop connection's driver connection (opened in autocommit mode)."""
        if self._connection is None:
            self._connection = self.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT")
        return self._connection.connection.driver_connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

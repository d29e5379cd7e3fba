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
  PostgreSQL against ~140 µs from the driver); on PostgreSQL it is prepared on the connection
  and run with one libpq call, its parameters sent as text and its values read in binary
  (``_PreparedRead``: an empty pull went from 579–794 to 427–461 µs of the worker's CPU in
  ``bench/pull_inprocess.py --backend postgresql``, docs/benchmarks.md);
- a connection the database dropped (a restart) is replaced, and the read tried once more.

Anything else, and every write, stays in the thread pool.
"""

from __future__ import annotations

import itertools
import re
import struct
from collections import namedtuple
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from psycopg import errors as pg_errors
from psycopg import pq

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


_POSTGRES_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_INT8, _INT4, _INT2 = struct.Struct("!q"), struct.Struct("!i"), struct.Struct("!h")

# PostgreSQL's binary output of the types the loop's statements select, by type OID.
_BINARY: dict[int, Callable[[bytes], Any]] = {
    16: lambda value: value != b"\x00",  # boolean
    20: lambda value: _INT8.unpack(value)[0],  # bigint
    23: lambda value: _INT4.unpack(value)[0],  # integer
    21: lambda value: _INT2.unpack(value)[0],  # smallint
    25: bytes.decode,  # text
    1043: bytes.decode,  # varchar
    1184: lambda value: _POSTGRES_EPOCH + timedelta(  # timestamptz: µs since 2000, UTC
        microseconds=_INT8.unpack(value)[0]),
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class _PreparedRead:
    """PostgreSQL: ``statement`` prepared on the loop connection under its own name and run
    with libpq's ``PQexecPrepared`` (psycopg's ``pgconn.exec_prepared``), one C call for the
    round trip; values come back in binary, read by each column's type (so neither DateStyle
    nor the session's time zone matters). A statement with a column type not in ``_BINARY``
    is refused when prepared, before any request depends on it."""

    _numbers = itertools.count(1)

    def __init__(self, statement: sa.Select, dialect: sa.Dialect) -> None:
        compiled = driver_sql.compiled(statement, dialect)
        self.compiled = compiled
        self.name = f"communedesk_loop_{next(self._numbers)}".encode()
        order: list[str] = []

        def number(match: re.Match[str]) -> str:
            order.append(match.group(1))
            return f"${len(order)}"

        self.sql = _PLACEHOLDER.sub(number, compiled.sql).encode()
        self.order = order
        self.row_type = namedtuple("Row", list(statement.selected_columns.keys()))  # type: ignore[misc]
        self.readers: list[Callable[[bytes], Any]] = []
        self.prepared_on: Any = None  # the pgconn it is prepared on (a new one after a drop)

    def _prepare(self, driver_connection: Any) -> Any:
        pgconn = driver_connection.pgconn
        if self.prepared_on is not pgconn:
            _checked(pgconn.prepare(self.name, self.sql), driver_connection)
            described = _checked(pgconn.describe_prepared(self.name), driver_connection)
            types = [described.ftype(i) for i in range(described.nfields)]
            unknown = [t for t in types if t not in _BINARY]
            if unknown:
                raise TypeError(f"no binary reader for PostgreSQL type OIDs {unknown}")
            self.readers = [_BINARY[t] for t in types]
            self.prepared_on = pgconn
        return pgconn

    def __call__(self, driver_connection: Any, params: dict[str, Any]) -> Any | None:
        pgconn = self._prepare(driver_connection)
        values = self.compiled.parameters(params)
        result = _checked(pgconn.exec_prepared(
            self.name, [None if values[name] is None else str(values[name]).encode()
                        for name in self.order], result_format=1), driver_connection)
        if result.ntuples == 0:
            return None
        return self.row_type(*(None if (value := result.get_value(0, i)) is None else read(value)
                               for i, read in enumerate(self.readers)))


def _checked(result: Any, driver_connection: Any) -> Any:
    """``result`` if it succeeded, else the exception psycopg's cursor raises for it."""
    if result.status in (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK):
        return result
    raise pg_errors.error_from_result(result, encoding=driver_connection.info.encoding)


class LoopReader:
    """``row(statement, params)``: the first row of a statement (built once, at import) on the
    worker's loop connection, or None."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._connection: sa.Connection | None = None
        self._reads: dict[sa.Select, _Read | _PreparedRead] = {}

    def row(self, statement: sa.Select, params: dict[str, Any]) -> Any | None:
        read = self._reads.get(statement)
        if read is None:
            dialect = self.engine.dialect
            kind = _PreparedRead if dialect.name == "postgresql" else _Read
            read = self._reads[statement] = kind(statement, dialect)
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

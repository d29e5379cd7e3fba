"""Statements on the server's busiest paths, run on the database driver's own cursor.

SQLAlchemy's execution of a statement, even one it has cached, costs more than many of the
queries it runs: on PostgreSQL ~300 µs against ~140 µs from the driver for the token check,
and about a quarter of a pushed operation's time went to building and executing a batch's ten
statements and to its per-row parameter handling (docs/benchmarks.md). The statements here
are SQLAlchemy Core statements built once, at import; each is compiled once for the engine's
dialect, and its parameters go to the driver as they are (``executemany`` for many rows).

Users: the token check and the empty pull (server/loop_reads.py) and a push batch's reads and
writes (server/sync_store.py). Everything else executes through SQLAlchemy. A batch's reads by
key go through ``send_unique``, one index probe a key on both databases.

``one_of(column, name)`` is a value-list test whose SQL does not depend on the list's length
(``IN (…)`` is rebuilt for every length): ``column IN (SELECT value FROM json_each(?))`` on
SQLite, ``column = ANY(ARRAY(SELECT json_array_elements_text(…)))`` on PostgreSQL; its
parameter is a Python list of text, sent as one JSON text on both (psycopg builds its own array
parameters in Python, value by value).
"""

from __future__ import annotations

import contextlib
import functools
import operator
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import visitors
from sqlalchemy.sql.expression import ColumnElement

from server.records import to_json


class OneOf(ColumnElement[bool]):
    """``column`` is one of the values of the list parameter ``name`` (``one_of``)."""

    inherit_cache = True
    type = sa.types.NullType()  # rendered as it is in a WHERE (a Boolean gets "= 1" on SQLite)

    def __init__(self, column: sa.ColumnElement[Any], name: str) -> None:
        self.column = column
        self.values = sa.bindparam(name)


def one_of(column: sa.ColumnElement[Any], name: str) -> OneOf:
    return OneOf(column, name)


@compiles(OneOf, "sqlite")
def _one_of_sqlite(element: OneOf, compiler: Any, **kw: Any) -> str:
    # Compiled SQL fragments only (a column and a bound parameter), never a value.
    column, values = compiler.process(element.column, **kw), compiler.process(element.values, **kw)
    return f"{column} IN (SELECT value FROM json_each({values}))"  # noqa: S608


@compiles(OneOf, "postgresql")
def _one_of_postgresql(element: OneOf, compiler: Any, **kw: Any) -> str:
    column, values = compiler.process(element.column, **kw), compiler.process(element.values, **kw)
    return f"{column} = ANY(ARRAY(SELECT json_array_elements_text({values}::json)))"


class _Compiled:
    """One statement compiled for one dialect (and, for an INSERT or UPDATE, one set of
    columns), with its parameters in the order or by the names the driver takes."""

    def __init__(self, statement: sa.Executable, dialect: sa.Dialect,
                 columns: tuple[str, ...] | None) -> None:
        compiled = statement.compile(dialect=dialect,
                                     column_keys=list(columns) if columns else None)
        self.sql = compiled.string
        self.positional = compiled.positiontup is not None
        names = (list(compiled.positiontup) if self.positional
                 else list(dict.fromkeys(compiled.bind_names.values())))
        self.names = names
        # Whether it answers with rows (a SELECT, or RETURNING): in pipeline mode the cursor
        # cannot tell before the answer has come.
        self.returns_rows = bool(getattr(statement, "exported_columns", ()))
        # Values the statement binds itself (``column == "epoch"``), unless given.
        self.defaults = {name: compiled.binds[name].effective_value for name in names
                         if not compiled.binds[name].required}
        if len(names) > 1:
            self.pick = operator.itemgetter(*names)  # a tuple of the values, in order
        else:
            self.pick = lambda values: tuple(values[name] for name in names)
        # The value lists of ``one_of``, sent as JSON text.
        self.lists = {element.values.key for element in visitors.iterate(statement)
                      if isinstance(element, OneOf)}

    def parameters(self, values: dict[str, Any]) -> tuple | dict:
        """The driver's parameters from ``values``, by name."""
        if self.defaults:
            values = {**self.defaults, **values}
        if self.lists:
            values = {**values, **{name: to_json(list(values[name])) for name in self.lists}}
        picked = self.pick(values)
        return picked if self.positional else dict(zip(self.names, picked, strict=True))


_compiled: dict[tuple[sa.Executable, str, tuple[str, ...] | None], _Compiled] = {}


def compiled(statement: sa.Executable, dialect: sa.Dialect,
             columns: tuple[str, ...] | None = None) -> _Compiled:
    """``statement`` compiled for ``dialect`` (once: remembered)."""
    key = (statement, dialect.name, columns)
    found = _compiled.get(key)
    if found is None:
        found = _compiled[key] = _Compiled(statement, dialect, columns)
    return found


@contextlib.contextmanager
def together(driver_connection: Any, dialect: sa.Dialect) -> Iterator[None]:
    """The statements sent inside go to the database without waiting for each other's
    answers: on PostgreSQL in pipeline mode (psycopg's ``pipeline()``), one round trip for all
    of them, where each took its own (and, with PostgreSQL on the server's core, two switches
    between the processes); on SQLite, in process, as they are. Results of ``send`` and
    ``send_unique`` are read with ``Pending.fetch``, inside or after the block (the first
    fetch inside waits for everything sent before it). An error of any statement is raised
    at the latest when the block ends."""
    if dialect.name == "postgresql":
        with driver_connection.pipeline():
            yield
    else:
        yield


class Pending:
    """A statement's rows, once the database has answered (``fetch``: plain tuples, values
    unconverted: integers and text on both databases; a SQLite boolean is 0 or 1, a
    timestamp its text)."""

    def __init__(self, cursor: Any | None, returns_rows: bool) -> None:
        self._cursor, self._returns_rows = cursor, returns_rows

    def fetch(self) -> list[tuple]:
        cursor = self._cursor
        if cursor is None:
            return []
        try:
            return cursor.fetchall() if self._returns_rows else []
        finally:
            cursor.close()
            self._cursor = None


def send(driver_connection: Any, dialect: sa.Dialect, statement: sa.Executable,
         values: dict[str, Any] | None = None) -> Pending:
    """Execute ``statement`` (built once, at import) on the driver's cursor; its rows come
    with ``fetch`` (in ``together``, once the database has answered)."""
    statement_sql = compiled(statement, dialect)
    cursor = driver_connection.cursor()
    try:
        cursor.execute(statement_sql.sql, statement_sql.parameters(values or {}))
    except BaseException:
        cursor.close()
        raise
    return Pending(cursor, statement_sql.returns_rows)


def rows(driver_connection: Any, dialect: sa.Dialect, statement: sa.Executable,
         values: dict[str, Any] | None = None) -> list[tuple]:
    """Every row of ``statement`` (built once, at import) as the driver gives it."""
    return send(driver_connection, dialect, statement, values).fetch()


def run_many(driver_connection: Any, dialect: sa.Dialect, statement: sa.Executable,
             value_rows: Sequence[dict[str, Any]]) -> None:
    """``statement`` once for each of ``value_rows`` (dicts with the same keys; for an
    INSERT or UPDATE the keys are its columns), in one ``executemany``."""
    if not value_rows:
        return
    columns = tuple(value_rows[0]) if isinstance(statement, (sa.Insert, sa.Update)) else None
    statement_sql = compiled(statement, dialect, columns)
    cursor = driver_connection.cursor()
    try:
        cursor.executemany(statement_sql.sql,
                           [statement_sql.parameters(row) for row in value_rows])
    finally:
        cursor.close()


def insert_rows(driver_connection: Any, dialect: sa.Dialect, table: sa.Table,
                value_rows: Sequence[dict[str, Any]]) -> None:
    """``value_rows`` (dicts with the same keys, the table's column names) into ``table``.
    PostgreSQL: one statement, whatever the number of rows, reading them from one array
    parameter a column, sent in binary (``INSERT … SELECT * FROM unnest(…)``): psycopg's
    ``executemany`` sends a statement a row and spent more time on each than the push spent
    on the row's merge, and rows sent as one JSON text (``json_to_recordset``, until 29
    November) had PostgreSQL parse that text twice (the ``json`` input check, then the rows),
    a third of its work on a records row (docs/benchmarks.md). SQLite: ``executemany``,
    which sqlite3 runs in C."""
    if not value_rows:
        return
    if dialect.name != "postgresql":
        run_many(driver_connection, dialect, _insert(table), value_rows)
        return
    columns = tuple(value_rows[0])
    key = (table, dialect.name, columns)
    sql = _array_inserts.get(key)
    if sql is None:
        preparer = dialect.identifier_preparer
        names = ", ".join(preparer.quote(name) for name in columns)
        arrays = ", ".join(f"%b::{_element_type(table.c[name].type, dialect)}[]"
                           for name in columns)
        sql = _array_inserts[key] = (  # names and types from the table: no value in the text
            f"INSERT INTO {preparer.format_table(table)} ({names}) "  # noqa: S608
            f"SELECT * FROM unnest({arrays})")
    cursor = driver_connection.cursor()
    try:
        cursor.execute(sql, [[row[name] for row in value_rows] for name in columns])
    finally:
        cursor.close()


_array_inserts: dict[tuple[sa.Table, str, tuple[str, ...]], str] = {}


def _element_type(column_type: sa.types.TypeEngine, dialect: sa.Dialect) -> str:
    """The type of a column's array parameter: text for text of any length (the INSERT
    checks a VARCHAR's length, as it does for any value), else the column's own type."""
    if isinstance(column_type, sa.String):
        return "text"
    return column_type.compile(dialect)


def send_unique(driver_connection: Any, dialect: sa.Dialect, table: sa.Table,
                columns: Sequence[str], key: Sequence[str], commune: str,
                key_values: Iterable[Sequence[Any]]) -> Pending:
    """Send the read of the rows (``columns``) of ``table`` in ``commune`` whose ``key``
    columns hold one of ``key_values`` (tuples in ``key``'s order); the rows come with
    ``Pending.fetch`` (``together``). ``commune_code`` and ``key`` must be a unique
    key of the table: each value is a probe of an index. When they are the primary key, that
    probe is certain whatever the planner knows; for another unique index (register_numbers
    by record) a planner without statistics may walk the primary key's prefix instead.

    With ``one_of`` tests instead, PostgreSQL scanned every row of the commune and compared
    each with the list whenever its statistics underrated the commune's share of the table (a
    new database until autovacuum's first ANALYZE: its prepared plans keep the scan; 32–45 ms a
    push at 6,000–18,000 records a commune, and growing). Here a key is joined to a LATERAL subquery
    with ``LIMIT 1``, which the planner cannot turn into such a scan. SQLite probes the index
    for ``(key) IN (SELECT … FROM json_each(?))`` by itself. The values go as one JSON
    parameter (a list of lists) on both."""
    values = list(dict.fromkeys(map(tuple, key_values)))  # each key once, in no set order
    if not values:
        return Pending(None, True)
    cache_key = (table, dialect.name, tuple(columns), tuple(key))
    sql = _lookups.get(cache_key)
    if sql is None:
        sql = _lookups[cache_key] = _unique_lookup(dialect, table, columns, key)
    parameters = (commune, to_json(values)) if dialect.name != "postgresql" else (
        to_json(values), commune)
    cursor = driver_connection.cursor()
    try:
        cursor.execute(sql, parameters)
    except BaseException:
        cursor.close()
        raise
    return Pending(cursor, True)


def _unique_lookup(dialect: sa.Dialect, table: sa.Table, columns: Sequence[str],
                   key: Sequence[str]) -> str:
    """``send_unique``'s SQL: names from the table (quoted), never a value."""
    quote = dialect.identifier_preparer.quote
    name = dialect.identifier_preparer.format_table(table)
    for column in columns:
        table.c[column]  # noqa: B018 (a KeyError for a name the table does not have)
    for column in key:  # compared as text (a cast to VARCHAR(n) would cut a longer value)
        if not isinstance(table.c[column].type, sa.String):
            raise TypeError(f"send_unique: {table.name}.{column} is not a text column")
    picked = ", ".join(f"{name}.{quote(column)}" for column in columns)
    if dialect.name == "postgresql":
        matches = " AND ".join(f"{name}.{quote(column)} = wanted.value ->> {i}"
                               for i, column in enumerate(key))
        return (f"SELECT found.* FROM json_array_elements(%s::json) AS wanted(value) "  # noqa: S608
                f"CROSS JOIN LATERAL (SELECT {picked} FROM {name} "
                f"WHERE {name}.commune_code = %s AND {matches} LIMIT 1) AS found")
    key_columns = ", ".join(f"{name}.{quote(column)}" for column in key)
    elements = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(key)))
    return (f"SELECT {picked} FROM {name} WHERE {name}.commune_code = ? "  # noqa: S608
            f"AND ({key_columns}) IN (SELECT {elements} FROM json_each(?))")


_lookups: dict[tuple[sa.Table, str, tuple[str, ...], tuple[str, ...]], str] = {}


@functools.cache
def _insert(table: sa.Table) -> sa.Insert:
    """The table's INSERT, one statement object for good: ``compiled`` remembers statements by
    identity, and a new ``table.insert()`` every call compiled it again and kept every copy."""
    return table.insert()


def driver(connection: sa.Connection) -> tuple[Any, sa.Dialect]:
    """The driver connection under an SQLAlchemy connection (in its transaction) and the
    dialect, for ``rows``, ``run_many`` and ``insert_rows``."""
    return connection.connection.driver_connection, connection.dialect


def keys(values: Iterable[Any]) -> list[Any]:
    """A value list for ``one_of``: sorted and without repeats."""
    return sorted(set(values))

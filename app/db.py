"""Opening the profile's SQLCipher database through sqlite-utils.

Owns the connection settings (raw 256-bit key, page size, WAL, foreign keys, busy timeout), the one
transaction helper every write uses (``BEGIN IMMEDIATE``, so two processes on one profile queue
for the write lock instead of failing half-way), with callbacks run once it commits, and the
one-statement insert of many rows (``insert_rows``). A ``Database`` belongs to the thread that
opened it; the UI's database worker owns one, the CLI another.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import sqlcipher3
import sqlite_utils

from app.errors import WrongPassphrase

BUSY_TIMEOUT_MS = 10_000
# 64 MiB of page cache: index pages of a 200,000-dossier profile stay decrypted in memory, which
# makes batched imports several times faster than SQLite's 2 MiB default (bench/core_bench.py).
CACHE_KIB = 65_536
# Pages of a new database: 16 KiB. A bulk import rewrites the index pages its rows land on, each
# encrypted and authenticated whole; with 16 KiB pages the writer of a 200,000-dossier import
# used 132 and 125 µs a dossier against 173 and 158 µs with SQLCipher's 4 KiB (alternating runs
# of bench/import_split.py --writer-only; decision 0014).
# SQLCipher must be told a file's page size before it can read it: a profile records it
# (app/profile.py), and files made before 27 November 2026 have 4 KiB pages.
PAGE_SIZE = 16_384
LEGACY_PAGE_SIZE = 4_096


def connect(path: Path, data_key: bytes, page_size: int = PAGE_SIZE) -> sqlite_utils.Database:
    """Open (or create) the encrypted database at ``path`` with ``data_key``; ``page_size`` is
    the file's (a new file gets it).

    Raises ``WrongPassphrase`` when the key does not open an existing file; nothing is written
    to the file before the key has been checked.
    """
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=True)
    # A raw key skips SQLCipher's own PBKDF2: the key is already random, so opening is fast.
    conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")  # noqa: S608 - hex of our own key
    conn.execute(f"PRAGMA cipher_page_size = {int(page_size)}")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        conn.close()
        raise WrongPassphrase("the key does not open the database") from None
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.execute("PRAGMA temp_store = MEMORY")
    return sqlite_utils.Database(conn)


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One write transaction: all of it commits, or none of it (invariant 1, the outbox).

    Nested use joins the outer transaction through sqlite-utils' savepoints.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    _after_commit[id(db)] = []
    try:
        yield db
    except BaseException:
        _after_commit.pop(id(db), None)
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
    for callback in _after_commit.pop(id(db), []):
        callback()


# Callbacks waiting for the open transaction of each database (keyed by the object's id; a
# database belongs to one thread, so each list is only touched by that thread).
_after_commit: dict[int, list[Callable[[], None]]] = {}


def after_commit(db: sqlite_utils.Database, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the transaction open on ``db`` commits (at once if none is open);
    a rollback drops it. Change notices use this, so a listener never sees uncommitted data."""
    waiting = _after_commit.get(id(db))
    if waiting is not None and db.conn.in_transaction:
        waiting.append(callback)
    else:
        callback()


def insert_rows(conn: sqlcipher3.Connection, into: str, rows: Sequence[Sequence[Any]],
                select: str | None = None, on_conflict: str = "", ordered: bool = False) -> None:
    """Insert ``rows`` with one statement: ``into`` is ``"table(column, ...)"``, and the rows
    (lists of text, integers and None) travel as one JSON array that SQLite unpacks itself.
    ``ordered`` inserts them in their order (an AUTOINCREMENT key that must follow it); it
    costs a sort. ``select`` picks the inserted values from each row ``r`` (default: its items
    in order, ``r->>0, r->>1, ...``); ``on_conflict`` is an upsert clause.

    ``executemany`` goes back to Python between rows; one statement lets SQLite do the whole
    batch without Python's interpreter lock, so a bulk import prepares its next batch on the
    other core meanwhile (``Store.import_records``).
    """
    if not rows:
        return
    insert_json_rows(conn, into, json.dumps(rows, ensure_ascii=False, separators=(",", ":")),
                     select or picks(len(rows[0])), on_conflict=on_conflict, ordered=ordered)


def picks(width: int) -> str:
    """The ``select`` of a row's first ``width`` items in order: ``r->>0, r->>1, ...``."""
    return ", ".join(f"r->>{i}" for i in range(width))


def insert_json_rows(conn: sqlcipher3.Connection, into: str, rows_json: str, select: str, *,
                     on_conflict: str = "", ordered: bool = False,
                     params: Sequence[Any] = ()) -> None:
    """``insert_rows`` for rows already serialised: ``rows_json`` is a JSON array of arrays,
    ``select`` picks each row ``r``'s values and may use ``params`` as ``?2``, ``?3``, ...
    (a bulk import's helpers build the JSON, so its writer runs little Python)."""
    unpack = "WITH batch(n, r) AS MATERIALIZED (SELECT key, jsonb(value) FROM json_each(?1))"
    statement = (f"{unpack} INSERT INTO {into} SELECT {select} FROM batch "  # noqa: S608
                 f"WHERE true {'ORDER BY n' if ordered else ''} {on_conflict}")
    conn.execute(statement, [rows_json, *params])

"""Which dossiers the dossier list shows, in which order, and the columns it displays.

The list works like Anki's browser: ``query_ids`` answers the rowids of every matching dossier in
display order (200,000 ints are cheap), and ``rows_for`` reads the display columns of one block
of them when the view scrolls there. Filters: statuses, a procedure, the deadline flags
(overdue, due today, due soon), the official a dossier is assigned to, and search text through
``app.search`` (accent-insensitive, at most ``SEARCH_LIMIT`` matches). Every sort has the
dossier code as its tie-breaker; the applicant sort is Vietnamese alphabetical order of the given
name (``applicant_sort_key``).

How it stays fast at 200,000 dossiers (docs/guide/dossier-list.md, figures in bench/ui_bench.py):
rowids come back as one JSON array (``json_group_array``: a third of the cost of fetching 200,000
rows); each filter is read alone through its own index (a set of rowids) and the sets are
intersected in Python; a small match set (a search, a deadline flag) is then sorted by SQLite,
a large one is kept in the order of the whole table's sorted rowid list, which a covering
``(column, code)`` index gives without touching the table. Everything in one query runs in one
read transaction, so the sets agree with each other while another thread writes.

"Overdue" and "due soon" are derived here, never stored (DOMAIN.md): overdue is an open status
(``app.status.OPEN``) with ``due_at`` before now; due soon is an open status due within the next
``list.due_soon_hours`` hours (a profile setting, default 24); due today is an open status due
before the end of today in Asia/Ho_Chi_Minh (including those already passed earlier today).
Checked together, the deadline flags widen each other (any of them), and narrow the other
filters (all of those).

Pure Python; parameterised SQL only. Runs on the database worker (ui/tasks.py) or the CLI's
thread, on the caller's store.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import IntEnum
from typing import Any

from app.dossier import VN_TZ, utc_text
from app.search import RANK_AT_MOST, search
from app.status import OPEN
from app.store import Store
from app.textnorm import vn_sort_key

SORT_COLUMNS = ("code", "applicant", "procedure", "status", "received_at", "due_at",
                "assigned_to", "sync_state")
DEFAULT_SORT = "code"  # newest first when descending: codes carry the day of receipt
SEARCH_LIMIT = 500
DUE_SOON_SETTING = "list.due_soon_hours"
DEFAULT_DUE_SOON_HOURS = 24.0
# Match sets up to this size are sorted by SQLite (a table read per match); larger ones are
# taken in the order of the sorted list of every dossier (index only). ~35 ms each way at
# 20,000 on the reference machine (bench/ui_bench.py).
SMALL_SET = 20_000
_OPEN_MARKS = ",".join(str(int(s)) for s in sorted(OPEN))
# ORDER BY columns of each sort (the code breaks ties; "procedure" is sorted by name in Python).
_ORDER = {
    "code": ("code",), "applicant": ("applicant_sort_key", "code"),
    "status": ("status", "code"), "received_at": ("received_at", "code"),
    "due_at": ("due_at", "code"), "assigned_to": ("assigned_to", "code"),
    "sync_state": ("sync_state", "code"),
}


@dataclass(frozen=True)
class DossierQuery:
    """What the list shows: filters (all must hold) and the sort."""

    statuses: frozenset[int] = frozenset()  # empty: every status
    procedure_code: str | None = None
    overdue: bool = False
    due_today: bool = False
    due_soon: bool = False
    assigned_to: str | None = None  # a username
    search: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = True

    def __post_init__(self) -> None:
        if self.sort not in SORT_COLUMNS:
            raise ValueError(f"unknown sort column {self.sort!r}")
        object.__setattr__(self, "statuses", frozenset(int(s) for s in self.statuses))

    @property
    def deadline_flags(self) -> bool:
        return self.overdue or self.due_today or self.due_soon


@dataclass(frozen=True, slots=True)
class DossierRow:
    """The display columns of one dossier (times as stored: UTC ISO 8601 ``…Z``)."""

    rowid: int
    id: str
    code: str
    applicant: str
    procedure_code: str
    procedure_name: str
    status: int
    received_at: str
    due_at: str
    assigned_to: str | None  # a username
    assignee: str | None  # the name to show: the staff list's, else the username
    sync_state: str
    sync_reason: str | None


@dataclass(frozen=True)
class IdList:
    """The answer to a query: rowids in display order and what the list says about them."""

    ids: list[int]
    search_capped: bool = False  # the search had more matches than it returns
    due_soon_hours: float = DEFAULT_DUE_SOON_HOURS


class Deadline(IntEnum):
    NONE = 0
    DUE_SOON = 1
    OVERDUE = 2


@dataclass(frozen=True)
class DeadlineWindow:
    """Now and the end of "due soon", as stored time text (compared as strings, cheaply)."""

    now: str
    soon_until: str

    @classmethod
    def at(cls, now: datetime, due_soon_hours: float) -> DeadlineWindow:
        return cls(utc_text(now), utc_text(now + timedelta(hours=due_soon_hours)))

    def of(self, status: int, due_at: str) -> Deadline:
        if status not in OPEN:
            return Deadline.NONE
        if due_at < self.now:
            return Deadline.OVERDUE
        if due_at < self.soon_until:
            return Deadline.DUE_SOON
        return Deadline.NONE


# ---------------------------------------------------------------------- settings and schema

def due_soon_hours(store: Store) -> float:
    """The ``list.due_soon_hours`` setting (hours before the due time a dossier turns amber)."""
    try:
        hours = float(store.setting(DUE_SOON_SETTING) or DEFAULT_DUE_SOON_HOURS)
    except ValueError:
        return DEFAULT_DUE_SOON_HOURS
    return hours if hours >= 0 else DEFAULT_DUE_SOON_HOURS


def _leading_index(store: Store, column: str) -> bool:
    """Whether some index of ``dossiers`` starts with ``column``."""
    for index in store.db.execute("PRAGMA index_list(dossiers)").fetchall():
        info = store.db.execute("SELECT name FROM pragma_index_info(?) WHERE seqno = 0",
                                [index[1]]).fetchone()
        if info and info[0] == column:
            return True
    return False


# ---------------------------------------------------------------------- the rowid list

@contextlib.contextmanager
def _snapshot(store: Store) -> Iterator[None]:
    """One read transaction (WAL: a consistent snapshot while another thread writes)."""
    conn = store.db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def _rowids(store: Store, sql: str, params: Iterable[Any] = ()) -> list[int]:
    """The rowids ``sql`` selects, in its order, read as one JSON array."""
    text = store.db.execute(
        f"SELECT json_group_array(rowid) FROM ({sql})", list(params)).fetchone()[0]  # noqa: S608
    return decode_ids(text) if text else []


def decode_ids(text: str, slice_chars: int = 65_536) -> list[int]:
    """A JSON array of integers, decoded a slice at a time: one ``json.loads`` of 200,000 ids
    holds the GIL for ~35 ms, which the GUI thread feels as a stall (bench/ui_bench.py);
    slices of ~64 KB let it run in between."""
    body = text.strip()[1:-1]
    ids: list[int] = []
    start = 0
    while start < len(body):
        end = body.find(",", start + slice_chars)
        end = len(body) if end < 0 else end
        ids.extend(json.loads(f"[{body[start:end]}]"))
        start = end + 1
    return ids


def _deadline_range(query: DossierQuery, now: datetime, hours: float
                    ) -> tuple[str | None, str] | None:
    """The due-time range the checked deadline flags cover together, or None.

    Each flag's range touches ``now`` (overdue ends there, due soon starts there, today holds
    it), so any union of them is one range: [lowest start, highest end).
    """
    if not query.deadline_flags:
        return None
    today = now.astimezone(VN_TZ).date()
    day_start = datetime.combine(today, time(0), VN_TZ)
    ranges: list[tuple[datetime | None, datetime]] = []
    if query.overdue:
        ranges.append((None, now))
    if query.due_today:
        ranges.append((day_start, day_start + timedelta(days=1)))
    if query.due_soon:
        ranges.append((now, now + timedelta(hours=hours)))
    starts = [start for start, _ in ranges]
    low = None if None in starts else min(s for s in starts if s is not None)
    return (utc_text(low) if low else None), utc_text(max(end for _, end in ranges))


def _conditions(store: Store, query: DossierQuery, now: datetime,
                hours: float) -> list[tuple[str, list[Any]]]:
    """One SQL condition per filter, each answerable from one index."""
    conditions: list[tuple[str, list[Any]]] = []
    if query.statuses:
        marks = ",".join("?" * len(query.statuses))
        conditions.append((f"status IN ({marks})", sorted(query.statuses)))
    if query.procedure_code:
        conditions.append(("procedure_code = ?", [query.procedure_code]))
    due = _deadline_range(query, now, hours)
    if due is not None:
        low, high = due
        if low is None:
            conditions.append((f"status IN ({_OPEN_MARKS}) AND due_at < ?", [high]))
        else:
            conditions.append((f"status IN ({_OPEN_MARKS}) AND due_at >= ? AND due_at < ?",
                               [low, high]))
    if query.assigned_to is not None:
        conditions.append(("assigned_to = ?", [query.assigned_to]))
    return conditions


def _order_by(query: DossierQuery) -> str:
    direction = "DESC" if query.descending else "ASC"
    columns = _ORDER[query.sort]
    return ", ".join(f"{column} {direction}" for column in columns)


def _procedure_groups(store: Store) -> list[tuple[str, list[int]]]:
    """(procedure code, versions) in Vietnamese order of their names; versions of one code
    that share a name form one group."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for procedure in store.catalogue.all_versions():
        key = (vn_sort_key(procedure.name), procedure.code, procedure.name)
        groups.setdefault(key, []).append(procedure.version)
    return [(code, versions) for (_, code, _), versions in sorted(groups.items())]


def _procedure_ranks(store: Store) -> dict[tuple[str, int], int]:
    return {(code, version): rank
            for rank, (code, versions) in enumerate(_procedure_groups(store))
            for version in versions}


def _sorted_by_procedure(store: Store, query: DossierQuery,
                         where: str = "", params: Iterable[Any] = ()) -> list[int]:
    """Rowids (all, or those ``where`` selects) by procedure name, then code."""
    ranks = _procedure_ranks(store)
    unknown = len(ranks)  # a procedure missing from the catalogue sorts after the others
    condition = f"WHERE {where}" if where else ""
    rows = store.db.execute(
        f"SELECT rowid, procedure_code, procedure_version, code FROM dossiers {condition}",  # noqa: S608
        list(params)).fetchall()
    rows.sort(key=lambda r: (ranks.get((r[1], r[2]), unknown), r[3]), reverse=query.descending)
    return [r[0] for r in rows]


def _sorted_all(store: Store, query: DossierQuery) -> list[int]:
    """Every dossier's rowid in the query's order (a covering index scan where one exists)."""
    if query.sort != "procedure":
        return _rowids(store, f"SELECT rowid FROM dossiers ORDER BY {_order_by(query)}")  # noqa: S608
    if not _leading_index(store, "procedure_code"):
        return _sorted_by_procedure(store, query)
    direction = "DESC" if query.descending else "ASC"
    groups = _procedure_groups(store)
    ordered: list[int] = []
    for code, versions in reversed(groups) if query.descending else groups:
        marks = ",".join("?" * len(versions))
        sql = ("SELECT rowid FROM dossiers WHERE procedure_code = ? AND procedure_version "  # noqa: S608
               f"IN ({marks}) ORDER BY code {direction}")
        ordered += _rowids(store, sql, [code, *versions])
    if len(ordered) < store.db.execute("SELECT count(*) FROM dossiers").fetchone()[0]:
        return _sorted_by_procedure(store, query)  # some procedure is not in the catalogue
    return ordered


def _sorted_subset(store: Store, query: DossierQuery, rowids: Iterable[int],
                   conditions: Iterable[tuple[str, list[Any]]] = ()) -> list[int]:
    """The given rowids that meet ``conditions``, in the query's order, sorted by SQLite."""
    conditions = list(conditions)
    where = " AND ".join(["rowid IN (SELECT value FROM json_each(?))",
                          *(f"({sql})" for sql, _ in conditions)])
    params = [json.dumps(list(rowids)), *(p for _, values in conditions for p in values)]
    if query.sort == "procedure":
        return _sorted_by_procedure(store, query, where, params)
    return _rowids(store, f"SELECT rowid FROM dossiers WHERE {where} "  # noqa: S608
                   f"ORDER BY {_order_by(query)}", params)


def _filtered(store: Store, query: DossierQuery,
              conditions: list[tuple[str, list[Any]]]) -> list[int]:
    """The rowids meeting every condition, in the query's order.

    The condition with the fewest matches (counted from its index) is read first; if it is
    small, SQLite checks the others and sorts; if not, each condition's set is read from its
    own index, the sets are intersected, and the whole sorted list is filtered by the result.
    """
    if len(conditions) > 1:
        counts = [store.db.execute(f"SELECT count(*) FROM dossiers WHERE {sql}",  # noqa: S608
                                   params).fetchone()[0] for sql, params in conditions]
        conditions = [c for _, c in sorted(zip(counts, conditions, strict=True),
                                           key=lambda pair: pair[0])]
    first_sql, first_params = conditions[0]
    first = _rowids(store, f"SELECT rowid FROM dossiers WHERE {first_sql}", first_params)  # noqa: S608
    if len(first) <= SMALL_SET:
        return _sorted_subset(store, query, first, conditions[1:]) if first else []
    matches = set(first)
    for sql, params in conditions[1:]:
        matches.intersection_update(
            _rowids(store, f"SELECT rowid FROM dossiers WHERE {sql}", params))  # noqa: S608
    return [rowid for rowid in _sorted_all(store, query) if rowid in matches]


def search_rowids(store: Store, text: str, limit: int | None = None
                  ) -> tuple[list[int], bool]:
    """Rowids of the dossiers ``app.search`` finds for ``text`` (at most ``limit``, by default
    ``SEARCH_LIMIT``), and whether it had more matches than it returned."""
    limit = limit or SEARCH_LIMIT
    hits = search(store.db, text, limit)
    if not hits:
        return [], False
    ids = json.dumps([hit["id"] for hit in hits])
    found = _rowids(store, "SELECT rowid FROM dossiers WHERE id IN "
                           "(SELECT value FROM json_each(?))", [ids])
    return found, len(hits) >= limit or len(hits) > RANK_AT_MOST


def query_ids(store: Store, query: DossierQuery, now: datetime) -> IdList:
    """The rowids of the dossiers ``query`` selects, in display order, with whether the
    search was cut short and the due-soon window."""
    hours = due_soon_hours(store)
    capped = False
    with _snapshot(store):
        conditions = _conditions(store, query, now, hours)
        if query.search.strip():
            found, capped = search_rowids(store, query.search)
            ids = _sorted_subset(store, query, found, conditions) if found else []
        elif not conditions:
            ids = _sorted_all(store, query)
        else:
            ids = _filtered(store, query, conditions)
    return IdList(ids, capped, hours)


def ids_for(store: Store, query: DossierQuery, now: datetime) -> list[int]:
    """The rowids of the dossiers ``query`` selects, in display order (all of them)."""
    return query_ids(store, query, now).ids


# ---------------------------------------------------------------------- display rows

def rows_for(store: Store, rowids: Iterable[int]) -> dict[int, DossierRow]:
    """The display columns of the dossiers ``rowids`` (one query; missing ones are left out)."""
    wanted = list(rowids)
    if not wanted:
        return {}
    rows = store.db.execute(
        "SELECT d.rowid, d.id, d.code, d.applicant_full_name, d.procedure_code, "
        "d.procedure_version, d.status, d.received_at, d.due_at, d.assigned_to, d.sync_state, "
        "d.sync_reason, s.display_name FROM dossiers d "
        "LEFT JOIN staff s ON s.username = d.assigned_to "
        "WHERE d.rowid IN (SELECT value FROM json_each(?))", [json.dumps(wanted)]).fetchall()
    names = {(p.code, p.version): p.name for p in store.catalogue.all_versions()}
    return {
        r[0]: DossierRow(r[0], r[1], r[2], r[3], r[4], names.get((r[4], r[5]), r[4]), r[6],
                         r[7], r[8], r[9], r[12] or r[9], r[10], r[11])
        for r in rows
    }


def procedure_choices(store: Store) -> list[tuple[str, str]]:
    """(code, name) of every procedure in the catalogue, its newest name, in Vietnamese
    alphabetical order of the names (the list's procedure filter)."""
    newest: dict[str, str] = {}
    for procedure in store.catalogue.all_versions():  # by code, then version
        newest[procedure.code] = procedure.name
    return sorted(newest.items(), key=lambda item: (vn_sort_key(item[1]), item[0]))

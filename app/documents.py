"""The correspondence registers in the local store: incoming and outgoing documents, their
events and attachments (Decree 30/2020; docs/decisions/0009, docs/correspondence.md).

Every write is one transaction holding the document row, its append-only event(s), the outbox
operations that carry them (invariant 1) and the folded search entry; listeners hear of the
document once it commits (change notices ``incoming_document`` / ``outgoing_document``). Text
is NFC on the way in, times are stored in UTC.

Numbers (invariant 8): only the device holding the lease of (kind, series) gives them
(app/leases.py). The number is ``max(number in the register, the server's last number of the
year) + 1`` in the year of the corrected clock at the moment it is given, checked and written
in one ``BEGIN IMMEDIATE`` transaction, and a unique index on (register_year, series, number)
makes a duplicate impossible to store. A voided outgoing number stays in the register and
counts. A device without the lease drafts outgoing documents and records arrivals without a
number, and the result names the holder.

Secret documents (any secrecy but ``none``) have their own series and keep metadata only:
attachments are refused (``SecretDocument``), a document with attachments does not become
secret (``SecretWithAttachments``), and the files of attachments a secret document has on the
server are never kept here (``of_secret_document``, ``drop_secret_files``). A person removes a
wrong attachment (or one that stands in the way of secrecy) with ``remove_attachment``: the row
goes, a tombstone travels to the server, the file leaves blobs/. "Overdue" and "due
soon" are derived from the deadline, never stored. Who may do what is ``DOCUMENT_ROLES`` (``check_role``); the functions
themselves do not look at roles, as in app/actions.py.

Functions take the ``Store`` and run on the thread that owns it; no user-facing text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

import jsonschema_rs
import sqlite_utils

from app import leases
from app import registers as reg
from app.db import transaction
from app.dossier import RESOURCES, VN_TZ, parse_time, utc_text
from app.errors import (
    AmbiguousAttachment,
    AmbiguousDocument,
    DocumentState,
    InvalidField,
    InvalidRecord,
    PossibleDuplicate,
    RoleNotAllowed,
    SecretDocument,
    SecretWithAttachments,
    UnknownAttachment,
    UnknownDocument,
)
from app.ids import new_id
from app.registers import INCOMING, OUTGOING
from app.store import (
    ATTACHMENT,
    DELETED,
    DOCUMENT_EVENT,
    INCOMING_DOCUMENT,
    OUTGOING_DOCUMENT,
    Store,
)
from app.textnorm import fold, nfc

RECORD_TYPE = {INCOMING: INCOMING_DOCUMENT, OUTGOING: OUTGOING_DOCUMENT}
KIND_OF = {INCOMING_DOCUMENT: INCOMING, OUTGOING_DOCUMENT: OUTGOING}
TABLE = {INCOMING: "incoming_documents", OUTGOING: "outgoing_documents"}
SEARCH_TABLE = {INCOMING: "incoming_search", OUTGOING: "outgoing_search"}
NUMBER = {INCOMING: "arrival_number", OUTGOING: "number"}

# The synced fields of each record type, in schema order (the outbox sends these, the pull
# writes these; everything else in the rows is local).
INCOMING_FIELDS = (
    "register_year", "series", "lease_epoch", "numbered_by", "doc_type", "summary", "urgency",
    "secrecy", "notes", "arrival_number", "arrived_at", "author", "number_symbol",
    "document_date", "recipient", "forwarded_at", "lead", "coordinators", "deadline",
    "directed_by", "directed_at", "assigned_to", "status", "reply_id", "source",
)
OUTGOING_FIELDS = (
    "register_year", "series", "lease_epoch", "numbered_by", "doc_type", "summary", "urgency",
    "secrecy", "notes", "number", "symbol", "issued_at", "issuer", "drafting_unit", "signer",
    "recipients", "archive_unit", "copies", "forwarded_at", "status", "void_reason",
    "answers_id",
)
FIELDS = {INCOMING: INCOMING_FIELDS, OUTGOING: OUTGOING_FIELDS}
EVENT_FIELDS = ("document_id", "document_kind", "kind", "actor", "at", "note")
LIST_FIELDS = frozenset({"coordinators", "recipients"})
TIME_FIELDS = frozenset({"arrived_at", "deadline", "directed_at", "issued_at"})
DATE_FIELDS = frozenset({"document_date", "forwarded_at"})
# The fields a number travels in; a number conflict (``lease_lost``, ``number_taken``) is
# about these, and settling it writes them all.
NUMBER_FIELDS = {
    INCOMING: ("register_year", "arrival_number", "lease_epoch", "numbered_by"),
    OUTGOING: ("register_year", "number", "symbol", "issued_at", "lease_epoch", "numbered_by",
               "status"),
}
NUMBER_CONFLICT_REASONS = frozenset({"lease_lost", "number_taken"})

# Fields a person edits with ``update_incoming`` / ``update_draft``. After an outgoing document
# is issued its content is on paper: only the register's own details still change.
INCOMING_EDITABLE = ("author", "number_symbol", "document_date", "doc_type", "summary",
                     "urgency", "secrecy", "recipient", "forwarded_at", "notes", "source")
DRAFT_EDITABLE = ("doc_type", "summary", "urgency", "secrecy", "notes", "issuer",
                  "drafting_unit", "signer", "recipients", "archive_unit", "copies",
                  "forwarded_at", "answers_id")
ISSUED_EDITABLE = ("notes", "archive_unit", "copies", "forwarded_at")

DEFAULT_ISSUER = "UBND"
ISSUER_SETTING = "documents.issuer"
DUE_SOON_SETTING = "documents.due_soon_hours"
DEFAULT_DUE_SOON_HOURS = 48.0
OPEN_INCOMING = ("registered", "directed", "in_progress")

# Who may do what (docs/correspondence.md). "" is a stand-alone profile (its owner does all).
DOCUMENT_ACTIONS = ("register", "number", "edit_incoming", "direct", "assign", "progress",
                    "link_reply", "complete", "draft", "edit_draft", "issue", "void", "attach",
                    "detach")
_EVERYTHING = frozenset(DOCUMENT_ACTIONS)
DOCUMENT_ROLES: Mapping[str, frozenset[str]] = {
    "clerk": frozenset({"register", "number", "edit_incoming", "assign", "progress",
                        "link_reply", "draft", "edit_draft", "issue", "void", "attach",
                        "detach"}),
    "leader": _EVERYTHING,
    "admin": _EVERYTHING,
    "specialist": frozenset({"assign", "progress", "link_reply", "complete", "draft",
                             "edit_draft", "attach", "detach"}),
    "officer": frozenset({"progress", "draft", "edit_draft", "attach", "detach"}),
    "": _EVERYTHING,
}


@dataclass(frozen=True)
class Registration:
    """What ``register_incoming`` did: the record, whether it got its arrival number, and when
    it did not, the lease (the holder to name; no holder: nobody holds it)."""

    record: dict[str, Any]
    numbered: bool
    lease: leases.Lease | None = None
    duplicates: tuple[dict[str, Any], ...] = ()  # registered anyway (``allow_duplicate``)


@dataclass(frozen=True)
class RegisterFilter:
    """Which entries a register list shows. Dates are Hà Nội calendar dates (arrival date for
    incoming, issue date for outgoing), both ends included. ``deadline``: ``overdue`` or
    ``due_soon`` (incoming documents not done)."""

    year: int | None = None
    series: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    statuses: tuple[str, ...] = ()
    urgent_only: bool = False
    deadline: str | None = None
    assigned_to: str | None = None
    text: str | None = None
    numbered_only: bool = False


# ---------------------------------------------------------------------- roles


def check_role(role: str, action: str) -> None:
    """``RoleNotAllowed`` unless ``role`` may take the document ``action``."""
    if action not in DOCUMENT_ROLES.get(role, frozenset()):
        raise RoleNotAllowed(f"{role or 'stand-alone'} may not {action}", role=role,
                             action=action)


def allowed_actions(store: Store, document_id: str, role: str) -> list[str]:
    """The actions ``role`` may take on the document now (for the detail screen's buttons).
    ``detach`` (remove an attachment) applies whenever the document has one, whatever its
    status or secrecy (``remove_attachment``)."""
    kind, row = resolve(store, document_id)
    permitted = DOCUMENT_ROLES.get(role, frozenset())
    if kind == INCOMING:
        applies = ["edit_incoming", "attach", "link_reply"]
        if row["arrival_number"] is None:
            applies.append("number")
        if row["status"] != "done":
            applies += ["direct", "assign", "progress", "complete"]
    else:
        applies = {"draft": ["edit_draft", "issue", "attach", "link_reply"],
                   "issued": ["edit_draft", "void", "attach", "link_reply"],
                   "void": []}[row["status"]]
    if row["secrecy"] != "none" and "attach" in applies:
        applies.remove("attach")
    if store.db.execute("SELECT 1 FROM attachments WHERE document_id = ? LIMIT 1",
                        [row["id"]]).fetchone():
        applies.append("detach")
    return [a for a in DOCUMENT_ACTIONS if a in applies and a in permitted]


# ---------------------------------------------------------------------- values


@cache
def _validator(kind: str) -> jsonschema_rs.Validator:
    name = {INCOMING: "incoming_document", OUTGOING: "outgoing_document"}[kind]
    schema = json.loads((RESOURCES / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    return jsonschema_rs.validator_for(schema)


def _validate(kind: str, record: Mapping[str, Any]) -> None:
    error = next(_validator(kind).iter_errors(dict(record)), None)
    if error is not None:
        where = ".".join(str(p) for p in error.instance_path) or "record"
        raise InvalidRecord(f"{where}: {error.message}"[:300], field=where.split(".")[0])


def _text(value: Any, field: str, *, required: bool = False) -> str | None:
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = " ".join(nfc(value).split()) if field != "notes" else nfc(value).strip()
    else:
        raise InvalidField(f"{field}: text expected", field=field)
    if required and not text:
        raise InvalidField(f"{field}: required", field=field)
    return text or None


def _texts(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidField(f"{field}: a list of texts expected", field=field)
    return [t for t in (_text(v, field) for v in value) if t]


def parse_date(value: Any, field: str) -> str | None:
    """A calendar date as stored (``YYYY-MM-DD``) from a ``date``, ``YYYY-MM-DD`` or
    ``dd/MM/yyyy``; None for nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(VN_TZ).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            day, month, year = (int(p) for p in text.split("/"))
            return date(year, month, day).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidField(f"{field}: not a date (dd/MM/yyyy or YYYY-MM-DD)",
                           field=field) from None


def parse_moment(value: Any, field: str, *, end_of_day: bool = False) -> str | None:
    """A moment as stored (UTC text) from a ``datetime``, an ISO 8601 time (no offset: Hà Nội
    time) or a bare date (its start, or with ``end_of_day`` its last second, in Hà Nội)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=VN_TZ)
        return utc_text(moment)
    if isinstance(value, date) or re.fullmatch(r"[\d/-]{8,10}", str(value).strip()):
        day = date.fromisoformat(parse_date(value, field) or "")
        moment = datetime.combine(day, time(23, 59, 59) if end_of_day else time(0, 0),
                                  tzinfo=VN_TZ)
        return utc_text(moment)
    text = str(value).strip()
    try:
        naive = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidField(f"{field}: not an ISO 8601 time", field=field) from None
    if naive.tzinfo is None:
        naive = naive.replace(tzinfo=VN_TZ)
    return utc_text(parse_time(naive.isoformat(), field))


def _choice(value: Any, field: str, choices: Iterable[str], default: str) -> str:
    choice = default if value in (None, "") else str(value)
    if choice not in choices:
        raise InvalidField(f"{field}: {choice!r} is not one of {', '.join(choices)}",
                           field=field)
    return choice


def _incoming_type(value: Any) -> str:
    """An incoming document's type: a Decree 30 abbreviation when it is one (``qđ`` → ``QĐ``),
    else the text as written (other bodies' types: NĐ, TT, …), up to 10 characters."""
    text = _text(value, "doc_type", required=True) or ""
    if reg.is_known_type(text):
        return reg.doc_type(text).abbreviation
    return text


def duplicate_key(number_symbol: str | None, author: str | None) -> str | None:
    """Folded number-symbol and issuing body (no accents, no case, no spaces in the symbol):
    two registrations of one document have the same key."""
    if not number_symbol or not author:
        return None
    return re.sub(r"\s+", "", fold(number_symbol)) + "|" + " ".join(fold(author).split())


def search_text(kind: str, record: Mapping[str, Any]) -> str:
    """The folded text indexed for a document: author, number and symbol, summary, symbol,
    recipients (and the receiving unit, signer, type name)."""
    parts: list[str] = [record.get("summary") or ""]
    if kind == INCOMING:
        parts += [record.get("author") or "", record.get("number_symbol") or "",
                  record.get("recipient") or ""]
    else:
        parts += [record.get("symbol") or "", record.get("signer") or "",
                  *(record.get("recipients") or [])]
    if reg.is_known_type(record.get("doc_type") or ""):
        parts.append(reg.doc_type(record["doc_type"]).vi)
    return fold(" ".join(p for p in parts if p))


def _match(query: str) -> str | None:
    words = re.findall(r"\w+", fold(nfc(query)))
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


# ---------------------------------------------------------------------- rows


def _row_values(kind: str, record: Mapping[str, Any]) -> dict[str, Any]:
    row = {name: record.get(name) for name in FIELDS[kind]}
    for name in LIST_FIELDS & set(row):
        row[name] = json.dumps(row[name] or [], ensure_ascii=False)
    if kind == INCOMING:
        row["duplicate_key"] = duplicate_key(record.get("number_symbol"), record.get("author"))
    return row


def _record_of(kind: str, row: Mapping[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {"id": row["id"]}
    for name in FIELDS[kind]:
        value = row[name]
        record[name] = json.loads(value) if name in LIST_FIELDS else value
    return record


def record_fields(db: sqlite_utils.Database, record_type: str,
                  ids: list[str]) -> dict[str, dict[str, Any]]:
    """The synced fields of documents or document events by id, as the outbox sends them
    (``Store.record_fields`` for these types)."""
    if record_type == DOCUMENT_EVENT:
        table, names = "document_events", EVENT_FIELDS
    else:
        kind = KIND_OF[record_type]
        table, names = TABLE[kind], FIELDS[kind]
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in db.query(f"SELECT * FROM {table} "  # noqa: S608 - fixed names
                            f"WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            found[row["id"]] = {n: (json.loads(row[n]) if n in LIST_FIELDS else row[n])
                                for n in names}
    return found


def write_row(store: Store, kind: str, document_id: str, record: Mapping[str, Any], *,
              rev: int, state: str, rowid: int | None) -> int:
    """Insert (``rowid`` None) or replace a document's row and search entry from the synced
    fields in ``record`` (the pull and conflict resolution use it; the caller holds the
    transaction and has made its number free). Returns the rowid."""
    row = _row_values(kind, record)
    row.update(rev=rev, sync_state=state, sync_reason=None,
               updated_at=utc_text(store.clock.now()))
    table, search = TABLE[kind], SEARCH_TABLE[kind]
    if rowid is None:
        columns = ["id", *row]
        rowid = store.db.execute(
            f"INSERT INTO {table}({', '.join(columns)}) "  # noqa: S608 - fixed columns
            f"VALUES ({', '.join('?' * len(columns))})", [document_id, *row.values()]).lastrowid
    else:
        store.db.execute(
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in row)} "  # noqa: S608
            "WHERE rowid = ?", [*row.values(), rowid])
        store.db.execute(f"DELETE FROM {search} WHERE rowid = ?", [rowid])  # noqa: S608
    store.db.execute(f"INSERT INTO {search}(rowid, text) VALUES (?, ?)",  # noqa: S608
                     [rowid, search_text(kind, record)])
    return rowid


def _insert(store: Store, kind: str, record: dict[str, Any], changes: Any) -> None:
    _validate(kind, {k: v for k, v in record.items() if v is not None or k == "id"})
    write_row(store, kind, record["id"], record, rev=0, state="pending", rowid=None)
    changes.enqueue(RECORD_TYPE[kind], record["id"], 0, None)


def _update(store: Store, kind: str, row: Mapping[str, Any], values: Mapping[str, Any],
            changes: Any) -> None:
    """Write changed fields of a document row (validated as a whole record), reindex it and
    queue the edit naming them."""
    record = {**_record_of(kind, row), **values}
    _validate(kind, {k: v for k, v in record.items() if v is not None or k == "id"})
    stored = _row_values(kind, record)
    columns = [c for c in stored if c in values or c == "duplicate_key"]
    table = TABLE[kind]
    store.db.execute(
        f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)}, "  # noqa: S608
        "updated_at = ? WHERE id = ?", [*(stored[c] for c in columns), changes.now, row["id"]])
    store.db.execute(f"DELETE FROM {SEARCH_TABLE[kind]} WHERE rowid = ?",  # noqa: S608
                     [row["_rowid"]])
    store.db.execute(f"INSERT INTO {SEARCH_TABLE[kind]}(rowid, text) VALUES (?, ?)",  # noqa: S608
                     [row["_rowid"], search_text(kind, record)])
    # A record the server refused to create (in error, never given a revision) is sent whole.
    names = None if row["sync_state"] == "error" and row["rev"] == 0 else list(values)
    changes.enqueue(RECORD_TYPE[kind], row["id"], row["rev"], names, edit=True)


def record_event(store: Store, changes: Any, kind: str, document_id: str, event_kind: str,
                 note: str = "") -> None:
    """An append-only event of a document in the caller's transaction, queued on ``changes``
    (a ``Store.changes()`` batch); itself a synced record (events never conflict)."""
    event_id = new_id()
    store.db.execute(
        "INSERT INTO document_events(id, document_id, document_kind, kind, actor, at, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [event_id, document_id, kind, event_kind, changes.actor, changes.now,
         nfc(note or "").strip()])
    changes.enqueue(DOCUMENT_EVENT, event_id, 0, None)


_event = record_event


def clean_text(value: Any, field: str) -> str | None:
    """Text as it enters the store: NFC, spaces collapsed (notes: trimmed), None if empty."""
    return _text(value, field)


def _commit(store: Store, changes: Any, kind: str, ids: Iterable[str]) -> None:
    changes.write(store.db, store.notices)
    store.notify(RECORD_TYPE[kind], ids)


def _row(store: Store, kind: str, document_id: str) -> dict[str, Any] | None:
    rows = list(store.db.query(
        f"SELECT rowid AS _rowid, * FROM {TABLE[kind]} WHERE id = ?",  # noqa: S608
        [document_id]))
    return rows[0] if rows else None


_UUID = re.compile(r"^[0-9a-fA-F-]{36}$")
_ID_PART = re.compile(r"^[0-9a-fA-F]{6,35}$")


def resolve(store: Store, key: str, kind: str | None = None) -> tuple[str, dict[str, Any]]:
    """(kind, row) of a document named by its id, the start or the end of its id (six hex
    digits or more: lists show the last eight, ``short_ref``), an outgoing symbol
    (``05/QĐ-UBND``, the latest year's), or an arrival number of this year's ordinary incoming
    register (``12``). ``UnknownDocument`` otherwise;
    ``AmbiguousDocument`` when the digits fit several ids."""
    key = nfc(key).strip()
    kinds = (kind,) if kind else reg.KINDS
    for k in kinds:
        table = TABLE[k]
        if _UUID.match(key):
            rows = [_row(store, k, key.lower())]
        elif _ID_PART.match(key):
            rows = _by_part_of_id(store, table, key.lower())
        elif k == OUTGOING and "/" in key:
            rows = list(store.db.query(
                "SELECT rowid AS _rowid, * FROM outgoing_documents WHERE symbol = ? "
                "ORDER BY register_year DESC LIMIT 1", [key]))
        elif k == INCOMING and key.isdigit():
            rows = list(store.db.query(
                "SELECT rowid AS _rowid, * FROM incoming_documents WHERE register_year = ? "
                "AND series = 'ordinary' AND arrival_number = ?",
                [reg.register_year(store.clock.now()), int(key)]))
        else:
            rows = []
        if rows and rows[0] is not None:
            return k, rows[0]
    raise UnknownDocument(key, document=key)


def short_ref(document_id: str) -> str:
    """How lists name a document: the last eight hex digits of its id. Ids are time-ordered
    (UUIDv7): documents made within a minute or so share their first eight digits, never
    (in practice) their random last ones. ``resolve`` takes it back."""
    return document_id[-8:]


def _by_part_of_id(store: Store, table: str, part: str) -> list[Mapping[str, Any]]:
    """The one row whose id starts or ends with the hex digits ``part``; none if no row does;
    ``AmbiguousDocument`` if several do (the person types more digits)."""
    found = {row["id"]: row for row in store.db.query(
        f"SELECT rowid AS _rowid, * FROM {table} WHERE id >= ? AND id < ? LIMIT 2",  # noqa: S608
        [part, part + "g"])}
    found.update((row["id"], row) for row in store.db.query(
        f"SELECT rowid AS _rowid, * FROM {table} WHERE id LIKE ? LIMIT 2",  # noqa: S608
        ["%" + part]))  # ``part`` is hex digits only: no LIKE wildcard in it
    if len(found) > 1:
        raise AmbiguousDocument(part, document=part)
    return list(found.values())


def _resolve(store: Store, kind: str, key: str) -> dict[str, Any]:
    return resolve(store, key, kind)[1]


# ---------------------------------------------------------------------- reading


def _flags(kind: str, record: dict[str, Any], now: str, soon: str) -> dict[str, Any]:
    urgent = reg.is_urgent(record["urgency"])
    if kind == INCOMING:
        deadline, open_ = record["deadline"], record["status"] in OPEN_INCOMING
        overdue = bool(deadline and open_ and deadline < now)
        due_soon = bool(deadline and open_ and now <= deadline < soon)
        label = (f"{record['arrival_number']:02d}" if record["arrival_number"] else None)
    else:
        overdue = due_soon = False
        label = record["symbol"]
    return {"urgent": urgent, "overdue": overdue, "due_soon": due_soon, "label": label}


def _window(store: Store) -> tuple[str, str]:
    now = store.clock.now()
    hours = float(store.setting(DUE_SOON_SETTING) or DEFAULT_DUE_SOON_HOURS)
    return utc_text(now), utc_text(now + timedelta(hours=hours))


def _present(store: Store, kind: str, row: Mapping[str, Any],
             window: tuple[str, str]) -> dict[str, Any]:
    record = _record_of(kind, row)
    record.update(kind=kind, rev=row["rev"], sync_state=row["sync_state"],
                  sync_reason=row["sync_reason"], updated_at=row["updated_at"])
    record.update(_flags(kind, record, *window))
    return record


def get(store: Store, key: str, kind: str | None = None) -> dict[str, Any]:
    """A document as the detail screen shows it: its synced fields, ``kind``, ``rev``,
    ``sync_state``, ``sync_reason``, and the derived ``urgent``, ``overdue``, ``due_soon`` and
    ``label`` (the arrival number or the symbol). Times in UTC storage form."""
    found_kind, row = resolve(store, key, kind)
    return _present(store, found_kind, row, _window(store))


def get_incoming(store: Store, key: str) -> dict[str, Any]:
    return get(store, key, INCOMING)


def get_outgoing(store: Store, key: str) -> dict[str, Any]:
    return get(store, key, OUTGOING)


def events(store: Store, document_id: str) -> list[dict[str, Any]]:
    """A document's history, oldest first."""
    return [dict(r) for r in store.db.query(
        "SELECT id, kind, actor, at, note FROM document_events WHERE document_id = ? "
        "ORDER BY at, rowid", [document_id])]


def is_overdue(record: Mapping[str, Any], now: datetime) -> bool:
    """Derived, never stored: an incoming document not done whose deadline has passed."""
    return bool(record.get("deadline") and record.get("status") in OPEN_INCOMING
                and record["deadline"] < utc_text(now))


def _where(store: Store, kind: str, flt: RegisterFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if flt.year is not None:
        where.append("register_year = ?")
        params.append(flt.year)
    if flt.series is not None:
        where.append("series = ?")
        params.append(reg.check_series(flt.series))
    moment = "arrived_at" if kind == INCOMING else "issued_at"
    if flt.date_from is not None:
        where.append(f"{moment} >= ?")
        params.append(parse_moment(flt.date_from, "from"))
    if flt.date_to is not None:
        where.append(f"{moment} <= ?")
        params.append(parse_moment(flt.date_to, "to", end_of_day=True))
    if flt.statuses:
        where.append(f"status IN ({','.join('?' * len(flt.statuses))})")
        params += list(flt.statuses)
    if flt.urgent_only:
        where.append("urgency != 'normal'")
    if flt.numbered_only:
        where.append(f"{NUMBER[kind]} IS NOT NULL")
    if flt.assigned_to is not None:
        where.append("assigned_to = ?" if kind == INCOMING else "0")
        params += [flt.assigned_to] if kind == INCOMING else []
    if flt.deadline is not None:
        if kind != INCOMING or flt.deadline not in ("overdue", "due_soon"):
            raise InvalidField("deadline: overdue or due_soon, for incoming documents",
                               field="deadline")
        now, soon = _window(store)
        where.append("status IN ('registered', 'directed', 'in_progress') "
                     "AND deadline IS NOT NULL")
        if flt.deadline == "overdue":
            where.append("deadline < ?")
            params.append(now)
        else:
            where.append("deadline >= ? AND deadline < ?")
            params += [now, soon]
    if flt.text:
        match = _match(flt.text)
        if match is None:
            where.append("0")
        else:
            where.append(f"rowid IN (SELECT rowid FROM {SEARCH_TABLE[kind]} "  # noqa: S608
                         f"WHERE {SEARCH_TABLE[kind]} MATCH ?)")
            params.append(match)
    return where, params


def _list(store: Store, kind: str, flt: RegisterFilter | None, limit: int | None,
          offset: int) -> list[dict[str, Any]]:
    where, params = _where(store, kind, flt or RegisterFilter())
    order = ("register_year, series, arrival_number NULLS LAST, arrived_at, id"
             if kind == INCOMING else
             "register_year NULLS LAST, series, number NULLS LAST, updated_at, id")
    sql = (f"SELECT rowid AS _rowid, * FROM {TABLE[kind]} "  # noqa: S608 - fixed parts
           f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order} "
           "LIMIT ? OFFSET ?")
    window = _window(store)
    return [_present(store, kind, row, window) for row in
            store.db.query(sql, [*params, -1 if limit is None else limit, offset])]


def list_incoming(store: Store, flt: RegisterFilter | None = None, *, limit: int | None = None,
                  offset: int = 0) -> list[dict[str, Any]]:
    """The incoming register in its order (year, series, arrival number; unnumbered arrivals
    last, by arrival time), filtered; each entry as ``get`` gives it."""
    return _list(store, INCOMING, flt, limit, offset)


def list_outgoing(store: Store, flt: RegisterFilter | None = None, *, limit: int | None = None,
                  offset: int = 0) -> list[dict[str, Any]]:
    """The outgoing register in its order (year, series, number; void entries in their place),
    then drafts; each entry as ``get`` gives it. ``statuses=("draft",)`` lists the drafts."""
    return _list(store, OUTGOING, flt, limit, offset)


def count(store: Store, kind: str, flt: RegisterFilter | None = None) -> int:
    where, params = _where(store, reg.check_kind(kind), flt or RegisterFilter())
    sql = (f"SELECT count(*) FROM {TABLE[kind]} "  # noqa: S608 - fixed parts
           f"{'WHERE ' + ' AND '.join(where) if where else ''}")
    return store.db.execute(sql, params).fetchone()[0]


def overdue(store: Store) -> list[dict[str, Any]]:
    """Incoming documents not done whose deadline has passed (derived, never stored)."""
    return list_incoming(store, RegisterFilter(deadline="overdue"))


def find_duplicates(store: Store, number_symbol: str | None, author: str | None, *,
                    document_date: Any = None, exclude_id: str | None = None
                    ) -> list[dict[str, Any]]:
    """Incoming documents already in the registers with the same number and symbol from the
    same issuing body (accents, case and spaces aside). With ``document_date``, one of
    another year's date is a different document (numbers restart every year)."""
    key = duplicate_key(_text(number_symbol, "number_symbol"), _text(author, "author"))
    if key is None:
        return []
    day = parse_date(document_date, "document_date")
    window = _window(store)
    found = []
    for row in store.db.query(
            "SELECT rowid AS _rowid, * FROM incoming_documents WHERE duplicate_key = ? "
            "ORDER BY register_year, arrival_number, arrived_at", [key]):
        if row["id"] == exclude_id:
            continue
        if day and row["document_date"] and row["document_date"][:4] != day[:4]:
            continue
        found.append(_present(store, INCOMING, row, window))
    return found


# ---------------------------------------------------------------------- numbering


def next_number(store: Store, kind: str, year: int, series: str, lease: leases.Lease) -> int:
    """max(number in the register of ``year``, the server's last one when it answered) + 1:
    voided numbers count, so nothing is reused and nothing is skipped."""
    local = store.db.execute(
        f"SELECT max({NUMBER[kind]}) FROM {TABLE[kind]} "  # noqa: S608 - fixed names
        "WHERE register_year = ? AND series = ?", [year, series]).fetchone()[0] or 0
    return max(local, lease.last_number(year)) + 1


def _numbering(store: Store, kind: str, series: str) -> tuple[leases.Lease, int, int, str]:
    """(lease, year, number, now) for the number given now; ``NotLeaseHolder`` if this device
    does not hold the lease. Inside the caller's write transaction."""
    lease = leases.require_holder(store, kind, series)
    now = store.clock.now()
    year = reg.register_year(now)
    return lease, year, next_number(store, kind, year, series, lease), utc_text(now)


# ---------------------------------------------------------------------- incoming


def _incoming_record(store: Store, fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(INCOMING_FIELDS) - {"id"})
    if unknown:
        raise InvalidField(f"{', '.join(unknown)}: not an incoming document field",
                           field=unknown[0])
    secrecy = _choice(fields.get("secrecy"), "secrecy", reg.SECRECY, "none")
    arrived_at = parse_moment(fields.get("arrived_at"), "arrived_at") or utc_text(
        store.clock.now())
    record: dict[str, Any] = {
        "id": str(fields.get("id") or new_id()),
        "register_year": reg.register_year(store.clock.now()),
        "series": reg.series_of(secrecy),
        "lease_epoch": None, "numbered_by": None,
        "doc_type": _incoming_type(fields.get("doc_type")),
        "summary": _text(fields.get("summary"), "summary", required=True),
        "urgency": _choice(fields.get("urgency"), "urgency", reg.URGENCY, "normal"),
        "secrecy": secrecy,
        "notes": _text(fields.get("notes"), "notes"),
        "arrival_number": None,
        "arrived_at": arrived_at,
        "author": _text(fields.get("author"), "author", required=True),
        "number_symbol": _text(fields.get("number_symbol"), "number_symbol"),
        "document_date": parse_date(fields.get("document_date"), "document_date"),
        "recipient": _text(fields.get("recipient"), "recipient"),
        "forwarded_at": parse_date(fields.get("forwarded_at"), "forwarded_at"),
        "lead": None, "coordinators": [], "deadline": None, "directed_by": None,
        "directed_at": None, "assigned_to": None, "status": "registered", "reply_id": None,
        "source": _choice(fields.get("source"), "source", ("paper", "electronic"), "paper"),
    }
    return record


def register_incoming(store: Store, fields: Mapping[str, Any], *, number: bool = True,
                      allow_duplicate: bool = False) -> Registration:
    """Record an arrival in the incoming register; with ``number``, give it the next arrival
    number if this device holds the incoming lease of its series.

    ``fields``: ``author``, ``doc_type``, ``summary`` (required); ``number_symbol``,
    ``document_date``, ``urgency``, ``secrecy``, ``recipient``, ``arrived_at`` (default now),
    ``source``, ``notes``, ``forwarded_at``, ``id``. A document with the same number and
    symbol from the same body already in the register raises ``PossibleDuplicate`` naming it,
    unless ``allow_duplicate``. Without the lease the arrival is stored unnumbered and the
    result's ``lease`` names the holder (the holder numbers it later: ``number_incoming``)."""
    record = _incoming_record(store, fields)
    with transaction(store.db):
        if _row(store, INCOMING, record["id"]) is not None:
            raise InvalidRecord(f"id {record['id']} already exists", field="id")
        duplicates = find_duplicates(store, record["number_symbol"], record["author"],
                                     document_date=record["document_date"])
        if duplicates and not allow_duplicate:
            first = duplicates[0]
            raise PossibleDuplicate(
                f"{record['number_symbol']} of {record['author']} is already registered",
                number_symbol=record["number_symbol"], author=record["author"],
                existing_id=first["id"], existing=_incoming_label(first))
        holder: leases.Lease | None = None
        if number:
            holder = leases.holder_of(store, INCOMING, record["series"])
        numbered = bool(holder and holder.mine)
        if numbered:
            lease, year, arrival, _ = _numbering(store, INCOMING, record["series"])
            record.update(register_year=year, arrival_number=arrival,
                          lease_epoch=lease.epoch, numbered_by=leases.this_device(store))
        changes = store.changes()
        _insert(store, INCOMING, record, changes)
        _event(store, changes, INCOMING, record["id"], "registered",
               reg.number_text(record["arrival_number"]) if numbered else "")
        _commit(store, changes, INCOMING, [record["id"]])
    return Registration(get(store, record["id"], INCOMING), numbered,
                        None if numbered else holder, tuple(duplicates))


def _incoming_label(record: Mapping[str, Any]) -> str:
    """How a person finds an entry: its arrival number/year and arrival date, or its id."""
    arrived = datetime.fromisoformat(record["arrived_at"].replace("Z", "+00:00")).astimezone(
        VN_TZ).strftime("%d/%m/%Y")
    if record.get("arrival_number"):
        return f"{reg.number_text(record['arrival_number'])}/{record['register_year']} " \
               f"({arrived})"
    return f"{short_ref(record['id'])} ({arrived})"


def number_incoming(store: Store, document_id: str) -> dict[str, Any]:
    """Give an unnumbered arrival (recorded by a device without the lease) its arrival number
    now. Holder only (``NotLeaseHolder``); a numbered one raises ``DocumentState``."""
    with transaction(store.db):
        row = _resolve(store, INCOMING, document_id)
        if row["arrival_number"] is not None:
            raise DocumentState("the document already has its arrival number",
                                status=row["status"], action="number")
        lease, year, arrival, _ = _numbering(store, INCOMING, row["series"])
        changes = store.changes()
        _update(store, INCOMING, row, {"register_year": year, "arrival_number": arrival,
                                       "lease_epoch": lease.epoch,
                                       "numbered_by": leases.this_device(store)}, changes)
        _event(store, changes, INCOMING, row["id"], "numbered", reg.number_text(arrival))
        _commit(store, changes, INCOMING, [row["id"]])
    return get(store, row["id"], INCOMING)


def update_incoming(store: Store, document_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Correct fields of an entry (``INCOMING_EDITABLE``). A numbered entry keeps its series:
    changing its secrecy between ordinary and secret raises ``DocumentState``. An entry with
    attachments does not become secret (``SecretWithAttachments``; nothing is written)."""
    unknown = sorted(set(values) - set(INCOMING_EDITABLE))
    if unknown:
        raise InvalidField(f"{', '.join(unknown)}: not editable", field=unknown[0])
    with transaction(store.db):
        row = _resolve(store, INCOMING, document_id)
        changed = _clean_incoming(values)
        if "secrecy" in changed:
            refuse_secret_with_attachments(store, row, changed["secrecy"])
            series = reg.series_of(changed["secrecy"])
            if series != row["series"]:
                if row["arrival_number"] is not None:
                    raise DocumentState("a numbered entry cannot move to the other series",
                                        status=row["status"], action="edit_incoming")
                changed["series"] = series
        changed = {k: v for k, v in changed.items() if row[k] != _stored(k, v)}
        if not changed:
            return get(store, row["id"], INCOMING)
        changes = store.changes()
        _update(store, INCOMING, row, changed, changes)
        _event(store, changes, INCOMING, row["id"], "edited", ", ".join(sorted(changed)))
        _commit(store, changes, INCOMING, [row["id"]])
    return get(store, row["id"], INCOMING)


def _stored(name: str, value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if name in LIST_FIELDS else value


def _clean_incoming(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name in DATE_FIELDS:
            cleaned[name] = parse_date(value, name)
        elif name == "doc_type":
            cleaned[name] = _incoming_type(value)
        elif name == "urgency":
            cleaned[name] = _choice(value, name, reg.URGENCY, "normal")
        elif name == "secrecy":
            cleaned[name] = _choice(value, name, reg.SECRECY, "none")
        elif name == "source":
            cleaned[name] = _choice(value, name, ("paper", "electronic"), "paper")
        else:
            cleaned[name] = _text(value, name, required=name in ("author", "summary"))
    return cleaned


def _open_incoming(store: Store, document_id: str, action: str) -> dict[str, Any]:
    row = _resolve(store, INCOMING, document_id)
    if row["status"] == "done":
        raise DocumentState("the document is done", status=row["status"], action=action)
    return row


def direct(store: Store, document_id: str, lead: str, coordinators: Iterable[str] = (),
           deadline: Any = None, note: str = "") -> dict[str, Any]:
    """The leader's direction: who leads, who co-ordinates, the deadline (a date means the end
    of that day in Hà Nội). Status ``directed`` (unless work has started); event ``directed``
    whose note is the lead's username on the first line, then ``note``."""
    lead_name = _text(lead, "lead", required=True)
    team = _texts(coordinators, "coordinators")
    due = parse_moment(deadline, "deadline", end_of_day=True)
    with transaction(store.db):
        row = _open_incoming(store, document_id, "direct")
        changes = store.changes()
        values = {"lead": lead_name, "coordinators": team, "deadline": due,
                  "directed_by": store.actor, "directed_at": changes.now}
        if row["status"] == "registered":
            values["status"] = "directed"
        _update(store, INCOMING, row, values, changes)
        _event(store, changes, INCOMING, row["id"], "directed",
               f"{lead_name}\n{nfc(note or '').strip()}")
        _commit(store, changes, INCOMING, [row["id"]])
    return get(store, row["id"], INCOMING)


def assign(store: Store, document_id: str, assignee: str | None, note: str = ""
           ) -> dict[str, Any]:
    """Hand the document to an official (None: nobody). Event ``assigned`` whose note is the
    assignee's username on the first line (empty when unassigned), then ``note``."""
    name = _text(assignee, "assigned_to")
    with transaction(store.db):
        row = _open_incoming(store, document_id, "assign")
        changes = store.changes()
        values: dict[str, Any] = {"assigned_to": name}
        if name and row["status"] in ("registered", "directed"):
            values["status"] = "in_progress"
        _update(store, INCOMING, row, values, changes)
        _event(store, changes, INCOMING, row["id"], "assigned",
               f"{name or ''}\n{nfc(note or '').strip()}")
        _commit(store, changes, INCOMING, [row["id"]])
    return get(store, row["id"], INCOMING)


def add_progress(store: Store, document_id: str, note: str) -> dict[str, Any]:
    """A progress note (event ``progress``); the document is then ``in_progress``."""
    text = _text(note, "note", required=True)
    with transaction(store.db):
        row = _open_incoming(store, document_id, "progress")
        changes = store.changes()
        if row["status"] != "in_progress":
            _update(store, INCOMING, row, {"status": "in_progress"}, changes)
        _event(store, changes, INCOMING, row["id"], "progress", text or "")
        _commit(store, changes, INCOMING, [row["id"]])
    return get(store, row["id"], INCOMING)


def link_reply(store: Store, incoming_id: str, outgoing_id: str) -> dict[str, Any]:
    """The outgoing document answers the incoming one: ``reply_id`` and ``answers_id`` set,
    an event ``replied`` on each. A void outgoing document answers nothing."""
    with transaction(store.db):
        incoming = _resolve(store, INCOMING, incoming_id)
        outgoing = _resolve(store, OUTGOING, outgoing_id)
        if outgoing["status"] == "void":
            raise DocumentState("a void document answers nothing", status="void",
                                action="link_reply")
        changes = store.changes()
        _update(store, INCOMING, incoming, {"reply_id": outgoing["id"]}, changes)
        if outgoing["answers_id"] != incoming["id"]:
            _update(store, OUTGOING, outgoing, {"answers_id": incoming["id"]}, changes)
        _event(store, changes, INCOMING, incoming["id"], "replied",
               outgoing["symbol"] or outgoing["id"])
        _event(store, changes, OUTGOING, outgoing["id"], "replied",
               _incoming_label(_record_of(INCOMING, incoming)))
        _commit(store, changes, INCOMING, [incoming["id"]])
        store.notify(OUTGOING_DOCUMENT, [outgoing["id"]])
    return get(store, incoming["id"], INCOMING)


def complete(store: Store, document_id: str, note: str = "") -> dict[str, Any]:
    """The document is dealt with (status ``done``; no longer overdue)."""
    with transaction(store.db):
        row = _open_incoming(store, document_id, "complete")
        changes = store.changes()
        _update(store, INCOMING, row, {"status": "done"}, changes)
        _event(store, changes, INCOMING, row["id"], "completed", note)
        _commit(store, changes, INCOMING, [row["id"]])
    return get(store, row["id"], INCOMING)


# ---------------------------------------------------------------------- outgoing


def _clean_outgoing(store: Store, values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name == "doc_type":
            cleaned[name] = reg.doc_type(_text(value, name, required=True) or "").abbreviation
        elif name == "urgency":
            cleaned[name] = _choice(value, name, reg.URGENCY, "normal")
        elif name == "secrecy":
            cleaned[name] = _choice(value, name, reg.SECRECY, "none")
        elif name == "recipients":
            cleaned[name] = _texts(value, name)
        elif name == "copies":
            try:
                cleaned[name] = int(value if value is not None else 1)
            except (TypeError, ValueError):
                raise InvalidField("copies: a whole number", field="copies") from None
        elif name == "forwarded_at":
            cleaned[name] = parse_date(value, name)
        elif name == "answers_id":
            cleaned[name] = _resolve(store, INCOMING, str(value))["id"] if value else None
        elif name == "issuer":
            cleaned[name] = _text(value, name) or store.setting(ISSUER_SETTING) or \
                DEFAULT_ISSUER
        else:
            cleaned[name] = _text(value, name, required=name == "summary")
    return cleaned


def draft_outgoing(store: Store, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A new outgoing draft. ``fields``: ``doc_type`` (Decree 30 abbreviation or ``CV``) and
    ``summary`` (required); ``signer``, ``recipients``, ``drafting_unit``, ``issuer``
    (default: setting ``documents.issuer``, else ``UBND``), ``copies``, ``urgency``,
    ``secrecy``, ``archive_unit``, ``notes``, ``answers_id``, ``id``. Any device may draft."""
    unknown = sorted(set(fields) - set(DRAFT_EDITABLE) - {"id"})
    if unknown:
        raise InvalidField(f"{', '.join(unknown)}: not a draft field", field=unknown[0])
    cleaned = _clean_outgoing(store, {"issuer": None, "copies": 1, "urgency": None,
                                      "secrecy": None, **{k: v for k, v in fields.items()
                                                          if k != "id"}})
    if "doc_type" not in cleaned or "summary" not in cleaned:
        raise InvalidField("doc_type and summary are required",
                           field="doc_type" if "doc_type" not in cleaned else "summary")
    record: dict[str, Any] = {name: None for name in OUTGOING_FIELDS}
    record.update(cleaned, id=str(fields.get("id") or new_id()),
                  series=reg.series_of(cleaned["secrecy"]), status="draft")
    record["recipients"] = record["recipients"] or []
    with transaction(store.db):
        if _row(store, OUTGOING, record["id"]) is not None:
            raise InvalidRecord(f"id {record['id']} already exists", field="id")
        changes = store.changes()
        _insert(store, OUTGOING, record, changes)
        _event(store, changes, OUTGOING, record["id"], "drafted")
        if record["answers_id"]:
            incoming = _row(store, INCOMING, record["answers_id"])
            if incoming is not None and incoming["reply_id"] is None:
                _update(store, INCOMING, incoming, {"reply_id": record["id"]}, changes)
                store.notify(INCOMING_DOCUMENT, [incoming["id"]])
        _commit(store, changes, OUTGOING, [record["id"]])
    return get(store, record["id"], OUTGOING)


def update_draft(store: Store, document_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Change a draft (``DRAFT_EDITABLE``); once issued only the register's details
    (``ISSUED_EDITABLE``: notes, archive unit, copies, forwarding date) still change, and a
    void entry changes no more (``DocumentState``). A draft with attachments does not become
    secret (``SecretWithAttachments``; nothing is written)."""
    with transaction(store.db):
        row = _resolve(store, OUTGOING, document_id)
        allowed = {"draft": DRAFT_EDITABLE, "issued": ISSUED_EDITABLE, "void": ()}[row["status"]]
        refused = sorted(set(values) - set(allowed))
        if refused:
            if set(refused) <= set(DRAFT_EDITABLE):
                raise DocumentState(f"{', '.join(refused)}: fixed once issued",
                                    status=row["status"], action="edit_draft")
            raise InvalidField(f"{', '.join(refused)}: not editable", field=refused[0])
        changed = _clean_outgoing(store, values)
        if "secrecy" in changed:
            refuse_secret_with_attachments(store, row, changed["secrecy"])
            changed["series"] = reg.series_of(changed["secrecy"])
        changed = {k: v for k, v in changed.items() if row[k] != _stored(k, v)}
        if not changed:
            return get(store, row["id"], OUTGOING)
        changes = store.changes()
        _update(store, OUTGOING, row, changed, changes)
        _event(store, changes, OUTGOING, row["id"], "edited", ", ".join(sorted(changed)))
        _commit(store, changes, OUTGOING, [row["id"]])
    return get(store, row["id"], OUTGOING)


def issue(store: Store, document_id: str) -> dict[str, Any]:
    """Give a draft its number now: holder of the outgoing lease of its series only
    (``NotLeaseHolder`` naming the holder). Number = max + 1 in (year, series) with voided
    ones counting, symbol formed (``05/QĐ-UBND``), ``issued_at`` = the store's clock,
    ``lease_epoch`` and ``numbered_by`` kept; event ``issued`` with the symbol."""
    with transaction(store.db):
        row = _resolve(store, OUTGOING, document_id)
        if row["status"] != "draft":
            raise DocumentState("only a draft is issued", status=row["status"], action="issue")
        lease, year, number, now = _numbering(store, OUTGOING, row["series"])
        values = {"register_year": year, "number": number,
                  "symbol": reg.symbol(number, row["doc_type"], row["issuer"],
                                       row["drafting_unit"]),
                  "issued_at": now, "lease_epoch": lease.epoch,
                  "numbered_by": leases.this_device(store), "status": "issued"}
        changes = store.changes()
        _update(store, OUTGOING, row, values, changes)
        _event(store, changes, OUTGOING, row["id"], "issued", values["symbol"])
        _commit(store, changes, OUTGOING, [row["id"]])
    return get(store, row["id"], OUTGOING)


def void(store: Store, document_id: str, reason: str) -> dict[str, Any]:
    """Cancel an issued document (a misprint, a paper never sent): it stays in the register
    with its number, marked void with ``reason``; the number is not reused."""
    text = _text(reason, "void_reason", required=True)
    with transaction(store.db):
        row = _resolve(store, OUTGOING, document_id)
        if row["status"] != "issued":
            raise DocumentState("only an issued document is voided", status=row["status"],
                                action="void")
        changes = store.changes()
        _update(store, OUTGOING, row, {"status": "void", "void_reason": text}, changes)
        _event(store, changes, OUTGOING, row["id"], "voided", text or "")
        _commit(store, changes, OUTGOING, [row["id"]])
    return get(store, row["id"], OUTGOING)


# ---------------------------------------------------------------------- attachments


def add_attachment(store: Store, document_id: str, data: bytes, file_name: str,
                   media_type: str) -> str:
    """Store a scan or PDF of a document (bytes encrypted in blobs/, metadata and outbox here).
    A secret document keeps metadata only: ``SecretDocument``, and nothing is written."""
    kind, row = resolve(store, document_id)
    if row["secrecy"] != "none":
        raise SecretDocument("a secret document keeps metadata only", document=row["id"],
                             secrecy=row["secrecy"])
    name = store.attachment_name(data, file_name)
    sha256 = store.blobs.put(data)
    attachment_id = new_id()
    with transaction(store.db):
        kind, row = resolve(store, row["id"], kind)  # still there, still not secret
        if row["secrecy"] != "none":  # made secret meanwhile: its bytes go too
            if not store.blob_named(sha256):
                store.blobs.discard(sha256)
            raise SecretDocument("a secret document keeps metadata only", document=row["id"],
                                 secrecy=row["secrecy"])
        store.db.execute(
            "INSERT INTO attachments(id, document_id, sha256, file_name, media_type, size, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [attachment_id, row["id"], sha256, name, media_type, len(data),
             utc_text(store.clock.now())])
        changes = store.changes()
        changes.enqueue(ATTACHMENT, attachment_id, 0, None)
        _commit(store, changes, kind, [row["id"]])
    return attachment_id


def attachments(store: Store, document_id: str) -> list[dict[str, Any]]:
    return [dict(r) for r in store.db.query(
        "SELECT id, sha256, file_name, media_type, size, created_at FROM attachments "
        "WHERE document_id = ? ORDER BY created_at, id", [document_id])]


def find_attachment(store: Store, document_id: str, key: str) -> dict[str, Any]:
    """The attachment of the document (its full id) named by ``key``: its id, the start or the
    end of its id (six hex digits or more; ``short_ref`` shows the last eight), or its file
    name when no other attachment of the document has it. ``UnknownAttachment`` when none
    fits, ``AmbiguousAttachment`` when several do."""
    text = nfc(key).strip()
    mine = attachments(store, document_id)
    found = [a for a in mine if a["id"] == text.lower()]
    if not found and _ID_PART.match(text):
        part = text.lower()
        found = [a for a in mine if a["id"].startswith(part) or a["id"].endswith(part)]
    if not found:
        found = [a for a in mine if a["file_name"] == text]
    if len(found) > 1:
        raise AmbiguousAttachment(text, document=document_id, attachment=text,
                                  count=len(found))
    if not found:
        raise UnknownAttachment(text, document=document_id, attachment=text)
    return found[0]


def remove_attachment(store: Store, document_id: str, attachment: str) -> dict[str, Any]:
    """Remove an attachment from a document (a wrong scan; or the files of a document that is
    to become secret, ``SecretWithAttachments``). ``attachment``: as ``find_attachment`` takes
    it. Returns the attachment removed (id, sha256, file_name, media_type, size, created_at).

    One transaction: the row goes; the outbox gets the tombstone ``{"deleted": true}`` (base
    revision 0: nothing but a removal ever writes ``deleted``, so it cannot conflict); the
    document gets the event ``attachment_removed`` whose note is the file name. Once it
    commits the file leaves blobs/ (overwritten, then unlinked) unless another attachment, of
    a dossier or a document, names the same bytes (``Store.discard_blob_when_unused``). The
    other machines of the commune drop the row and the file when they pull the tombstone
    (app/sync_local.py).

    An attachment made offline whose create operation is still in the outbox: that operation
    stays and goes up first, in order, but with no row left to read it carries the tombstone
    too (``Store.pending_operations``), so the attachment never reaches the server alive, and
    one the server got before the link was cut (its answer lost) is removed by the same
    tombstone. Nothing is taken out of the outbox, so the engine's resume after a cut is
    unchanged. Its bytes, never uploaded, go nowhere.

    Any status: a done or void document keeps its register entry, and a wrongly attached
    file must still be removable; a secret document's attachments (metadata only) too.
    Roles: ``detach`` in ``DOCUMENT_ROLES``, the same as ``attach`` (checked by the caller)."""
    with transaction(store.db):
        kind, row = resolve(store, document_id)
        found = find_attachment(store, row["id"], attachment)
        store.db.execute("DELETE FROM attachments WHERE id = ?", [found["id"]])
        changes = store.changes()
        changes.enqueue(ATTACHMENT, found["id"], 0, [DELETED])
        _event(store, changes, kind, row["id"], "attachment_removed", found["file_name"])
        store.discard_blob_when_unused(found["sha256"])
        _commit(store, changes, kind, [row["id"]])
    return found


def refuse_secret_with_attachments(store: Store, row: Mapping[str, Any],
                                   secrecy: str) -> None:
    """An ordinary document with attachments on this machine does not become secret: the
    person removes them first (``SecretWithAttachments``); nothing is deleted silently."""
    if secrecy == "none" or row["secrecy"] != "none":
        return
    (count,) = store.db.execute("SELECT count(*) FROM attachments WHERE document_id = ?",
                                [row["id"]]).fetchone()
    if count:
        raise SecretWithAttachments("a document with attachments cannot become secret",
                                    document=row["id"], secrecy=secrecy, attachments=count)


def of_secret_document(alias: str = "attachments") -> str:
    """SQL condition: the attachment row ``alias`` belongs to a secret document (any secrecy
    but ``none``). Such an attachment is metadata only on this machine: its bytes are never
    fetched, uploaded or kept (``blobs_to_fetch``, ``drop_secret_files``)."""
    return (f"({alias}.document_id IS NOT NULL AND ("  # noqa: S608 - alias: a fixed name
            f"EXISTS (SELECT 1 FROM incoming_documents s WHERE s.id = {alias}.document_id "
            "AND s.secrecy != 'none') OR "
            f"EXISTS (SELECT 1 FROM outgoing_documents s WHERE s.id = {alias}.document_id "
            "AND s.secrecy != 'none')))")


def is_secret_attachment(store: Store, attachment_id: str) -> bool:
    """Whether the attachment belongs to a secret document (its bytes stay off this machine)."""
    return store.db.execute(
        f"SELECT 1 FROM attachments WHERE id = ? AND {of_secret_document()}",  # noqa: S608
        [attachment_id]).fetchone() is not None


def drop_secret_files(store: Store, document_ids: Iterable[str] | None = None) -> list[str]:
    """Remove from the profile's blobs folder the files of the attachments of these documents
    (None: of every document) that are secret now, unless an attachment of a dossier or of an
    ordinary document has the same bytes; their rows stay, as metadata. Returns the SHA-256 of
    the files removed (``BlobStore.discard``: overwritten, then unlinked).

    Call it in the transaction that made the documents secret, before it commits: a crash
    between the two then leaves the files gone and the document as it was, which the next
    pull makes secret again (and the server answers no file of a secret document)."""
    query = (f"SELECT DISTINCT a.sha256 FROM attachments a WHERE {of_secret_document('a')} "  # noqa: S608
             f"AND NOT EXISTS (SELECT 1 FROM attachments b WHERE b.sha256 = a.sha256 "
             f"AND NOT {of_secret_document('b')})")
    if document_ids is None:
        found = {sha for (sha,) in store.db.execute(query)}
    else:
        ids, found = sorted(set(document_ids)), set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found.update(sha for (sha,) in store.db.execute(
                f"{query} AND a.document_id IN ({','.join('?' * len(chunk))})", chunk))
    dropped = sorted(sha for sha in found if store.blobs.has(sha))
    for sha in dropped:
        store.blobs.discard(sha)
    return dropped

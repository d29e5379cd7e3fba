"""The store API: the only write path to the profile's database.

Every change goes through a ``Store`` method that, in one transaction, writes the record, appends
the outbox operation that will carry it to the server, marks the record's sync state pending,
and keeps the search index current (ARCHITECTURE.md invariant 1). Text is NFC on the way in.
A ``Store`` wraps one connection and belongs to the thread that opened it.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import os
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlite3
import sqlite_utils

from app import dossier as records
from app.blobs import BlobStore
from app.catalogue import Catalogue, Procedure
from app.clock import Clock
from app.codes import CODE_PATTERN, STANDALONE_SLOT, CodeAllocator, Slot, SlotSource
from app.db import after_commit, insert_json_rows, insert_rows, picks, transaction
from app.errors import (
    DomainError,
    DuplicateCode,
    InvalidField,
    InvalidRecord,
    UnknownDossier,
)
from app.identity import CheckWarning, check_phone
from app.ids import new_id
from app.import_prep import (
    DOSSIER,
    DOSSIER_EVENT,
    EVENT_COLUMNS,
    OUTBOX_COLUMNS,
    ROW_COLUMNS,
    Batch,
    Prepared,
    batches_in_order,
    paused_cycle_collector,
    prepare,
    prepare_batch,
    prepare_in_helper,
    procedure_in,
    start_helper,
)
from app.notices import ChangeNotice, ChangeNotices
from app.search_index import search_text
from app.status import OPEN, Status, check_transition
from app.textnorm import fold, nfc
from app.workcalendar import DueTimeCalculator, OfficeHours, WorkCalendar

ATTACHMENT = "attachment"
# The correspondence registers (app/documents.py owns their rows and rules).
INCOMING_DOCUMENT = "incoming_document"
OUTGOING_DOCUMENT = "outgoing_document"
DOCUMENT_EVENT = "document_event"
DEFAULT_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
# Dossiers a batched-import transaction writes: large batches dirty each index page once for
# many rows (1,420/s at 5,000 against 1,880/s at 20,000 into 200,000 dossiers).
IMPORT_BATCH = 20_000
# Processes preparing a bulk import's batches while the calling thread writes them and
# prepares the pieces they have not started (``batches_in_order``, decision 0011). On two cores,
# one: the writer and the helper each have a core (two helpers took CPU from the writer: 4,319
# and 4,839/s against 4,931 and 5,362/s with one, alternating, bench/import_split.py). With three
# cores or more, two, which together prepare faster than one thread writes.
IMPORT_HELPERS = min(2, max(1, len(os.sched_getaffinity(0)) - 1)) if hasattr(
    os, "sched_getaffinity") else min(2, max(1, (os.cpu_count() or 2) - 1))
# Pieces a batch is prepared in. The writer can take back only a piece no helper has started,
# and a helper holds three at once (the one it prepares and two queued in the pool): pieces
# must be small beside a batch for some to be left.
IMPORT_PIECES = 16
# What an operation sends for a record this machine removed (docs/sync-protocol.md §5.1: a
# delete is ``{"fields": {"deleted": true}}``). Only attachments are ever removed here
# (app/documents.py ``remove_attachment``); dossiers and register entries are kept by law.
DELETED = "deleted"
REMOVABLE_TYPES = frozenset({ATTACHMENT})
# Record types whose rows carry a per-record sync state (events are append-only and need none).
STATEFUL_TABLES = {DOSSIER: "dossiers", ATTACHMENT: "attachments",
                   INCOMING_DOCUMENT: "incoming_documents",
                   OUTGOING_DOCUMENT: "outgoing_documents"}
# Settings whose change makes every store of the profile drop its cached catalogue or
# calculator (another thread's store may have installed reference data from the server).
REFERENCE_SETTINGS = ("catalogue.version", "calendar.version")


@dataclass(frozen=True)
class Operation:
    """One outbox operation, its field values read from the record as it is now."""

    seq: int
    op_id: str
    record_type: str
    record_id: str
    base_rev: int
    created: bool
    fields: dict[str, Any]


@dataclass
class ImportResult:
    """What a batch import did, line by line (1-based line numbers)."""

    created: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)
    lines: int = 0  # lines handled (blank lines of a file are not counted)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, code, detail)
    warnings: list[tuple[int, CheckWarning]] = field(default_factory=list)


class _Changes:
    """The outbox, sync-state, event and search-index rows of one transaction (new dossiers come
    with theirs ready: ``Store._write_prepared``).

    Gathered while the records are prepared and written with one statement per table, so a
    batch of a thousand dossiers costs a handful of statements, not thousands.
    """

    def __init__(self, now: str, actor: str) -> None:
        self.now, self.actor = now, actor
        self.dossiers: set[str] = set()  # whose views must refresh once this commits
        self._outbox: list[tuple] = []
        self._touched: dict[str, list[tuple[str]]] = {}
        self._events: list[tuple] = []
        self._unindex: list[tuple] = []
        self._index: list[tuple] = []

    def enqueue(self, record_type: str, record_id: str, base_rev: int,
                fields: Iterable[str] | None, *, edit: bool = False) -> None:
        """An outbox operation naming the changed ``fields`` (None: all fields, a new record).

        An ``edit`` makes the record pending again: one in error leaves it when a person edits
        it; a conflict stays until resolved. A new record is pending from its insert (the
        column's default).
        """
        names = None if fields is None else json.dumps(sorted(fields))
        if record_type == DOSSIER:
            self.dossiers.add(record_id)
        self._outbox.append(
            (new_id(), record_type, record_id, base_rev, names, self.now))
        if edit and record_type in STATEFUL_TABLES:
            self._touched.setdefault(STATEFUL_TABLES[record_type], []).append((record_id,))

    def event(self, dossier_id: str, kind: str, from_status: int | None, to_status: int | None,
              at: str, note: str, actor: str | None = None) -> None:
        """An append-only history event, itself a synced record (events never conflict)."""
        event = {"dossier_id": dossier_id, "kind": kind, "from_status": from_status,
                 "to_status": to_status, "actor": actor or self.actor, "at": at,
                 "note": nfc(note)}
        event_id = new_id()
        self.dossiers.add(dossier_id)
        self._events.append((event_id, *event.values()))
        self.enqueue(DOSSIER_EVENT, event_id, 0, None)

    def index(self, dossier_id: str, text: tuple[str, str], *, replace: bool = False) -> None:
        if replace:
            self._unindex.append((dossier_id,))
        self._index.append((text, dossier_id))

    def write(self, db: sqlite_utils.Database, notices: ChangeNotices | None = None) -> None:
        """Write the gathered rows; ``notices`` hears of the dossiers once the write commits."""
        if notices is not None:
            dossiers = frozenset(self.dossiers)
            after_commit(db, lambda: notices.publish(DOSSIER, dossiers))
        conn = db.conn
        insert_rows(conn, "dossier_events(id, dossier_id, kind, from_status, to_status, actor, at,"
                    " note)", self._events)
        if self._unindex:
            conn.execute("DELETE FROM dossier_search WHERE rowid IN (SELECT rowid FROM dossiers "
                         "WHERE id IN (SELECT value FROM json_each(?)))",
                         [json.dumps([dossier_id for (dossier_id,) in self._unindex])])
        insert_rows(conn, "dossier_search(rowid, names, other)",
                    [(dossier_id, *text) for text, dossier_id in self._index],
                    select="(SELECT rowid FROM dossiers WHERE id = r->>0), r->>1, r->>2")
        insert_rows(conn, "outbox(op_id, record_type, record_id, base_rev, fields, created_at)",
                    self._outbox, ordered=True)
        for table, ids in self._touched.items():
            conn.executemany(
                f"UPDATE {table} SET sync_reason = NULL, sync_state = CASE sync_state "  # noqa: S608
                "WHEN 'conflict' THEN 'conflict' ELSE 'pending' END WHERE id = ?", ids)


def _edited(row: Mapping[str, Any], names: Iterable[str]) -> Iterable[str] | None:
    """The fields an edit sends: the changed ones, or all of them (None) when the record's
    creation was refused by the server (in error, never given a revision), so the edit that
    takes it out of error creates it again."""
    if row["sync_state"] == "error" and row["rev"] == 0:
        return None
    return names


def _cache_keeper(store_ref: weakref.ref[Store]) -> Callable[[ChangeNotice], None]:
    """A listener that makes a store drop its cached catalogue and calculator when another
    store of the profile (another thread) installs reference data or changes office hours.
    Holds the store weakly: a closed store is not kept alive by the profile's notices."""

    def listener(notice: ChangeNotice) -> None:
        store = store_ref()
        if store is None or notice.record_type != "setting":
            return
        if "catalogue.version" in notice.ids:
            store.__dict__.pop("catalogue", None)
        if any(key in REFERENCE_SETTINGS or key.startswith("office_hours.")
               for key in notice.ids):
            store.__dict__.pop("due_calculator", None)

    return listener


def _json_array(rows: list[str]) -> str:
    return f"[{','.join(rows)}]"


@contextlib.contextmanager
def _import_helpers(count: int, context: tuple[Catalogue, DueTimeCalculator, str, date]
                    ) -> Iterator[ProcessPoolExecutor]:
    """``count`` helper processes for a bulk import, started fresh ("spawn": safe beside the
    GUI's threads and the open database) and stopped when it ends, unfinished work dropped."""
    pool = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"),
                               initializer=start_helper, initargs=context)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class Store:
    """The profile's records, reference data and outbox behind one API."""

    def __init__(self, db: sqlite_utils.Database, blobs: BlobStore, clock: Clock,
                 slot_source: SlotSource | None = None,
                 notices: ChangeNotices | None = None) -> None:
        self.db = db
        self.blobs = blobs
        self.clock = clock
        # Every store of one open profile shares these (app/workspace.py).
        self.notices = notices or ChangeNotices()
        self.slot_source: SlotSource = slot_source or self
        self._calendars: dict[str, WorkCalendar] = {}  # a version's content never changes
        self.notices.subscribe(_cache_keeper(weakref.ref(self)))

    # ---------------------------------------------------------------- settings

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def settings(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM settings").fetchall())

    def set_setting(self, key: str, value: str) -> None:
        """Local settings (server address, intervals, office hours, slot); never synced."""
        with transaction(self.db):
            self.db.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, nfc(value)],
            )
            self.notify("setting", [key])
        self.__dict__.pop("due_calculator", None)

    @property
    def actor(self) -> str:
        return self.setting("user.name") or "local"

    @property
    def unit_id(self) -> str:
        return self.setting("commune.unit_id") or self.setting("commune.code") or "local"

    def current_slot(self) -> Slot:
        """The slot the server gave this device (``codes.slot``), else the stand-alone range.

        This makes the store its own default ``SlotSource``; sync writes the setting.
        """
        value = self.setting("codes.slot")
        return Slot.from_setting(value) if value else STANDALONE_SLOT

    # ---------------------------------------------------------------- reference data

    def install_catalogue(self, catalogue: Catalogue, *, replace: bool = False) -> None:
        """Load (or add) the procedure versions of ``catalogue``; existing versions stay, or,
        with ``replace``, take the content ``catalogue`` gives them (the city server's
        catalogue closing a version's effective range when the law changes)."""
        rows = [
            {
                "code": p.code, "version": p.version,
                "effective_from": p.effective_from.isoformat(),
                "effective_to": p.effective_to.isoformat() if p.effective_to else None,
                "name": p.name, "field": p.field, "time_limit_days": p.time_limit_days,
                "verification_extension_days": p.verification_extension_days,
                "fee_vnd": p.fee_vnd, "catalogue_version": catalogue.version,
                "body": json.dumps(p.to_json(), ensure_ascii=False),
            }
            for p in catalogue.all_versions()
        ]
        with transaction(self.db):
            self.db["procedures"].insert_all(rows, ignore=not replace, replace=replace)
            self._put_setting("catalogue.version", catalogue.version)
            self.notify("setting", ["catalogue.version"])
        self.__dict__.pop("catalogue", None)

    def install_calendar(self, calendar: WorkCalendar) -> None:
        """Load a calendar snapshot and make it the one new dossiers are computed with."""
        with transaction(self.db):
            self.db["calendar_versions"].insert(
                {"version": calendar.version, "first_year": calendar.first_year,
                 "last_year": calendar.last_year, "loaded_at": records.utc_text(self.clock.now())},
                ignore=True,
            )
            self.db["calendar_days"].insert_all(
                ({"version": calendar.version, **row} for row in calendar.to_rows()), ignore=True
            )
            self._put_setting("calendar.version", calendar.version)
            self.notify("setting", ["calendar.version"])
        self.__dict__.pop("due_calculator", None)

    @cached_property
    def catalogue(self) -> Catalogue:
        bodies = self.db.execute("SELECT body FROM procedures ORDER BY code, version").fetchall()
        return Catalogue(
            self.setting("catalogue.version") or "",
            [Procedure.from_json(json.loads(body)) for (body,) in bodies],
        )

    def calendar(self, version: str | None = None) -> WorkCalendar:
        version = version or self.setting("calendar.version")
        cache = self._calendars
        if version not in cache:
            meta = self.db.execute(
                "SELECT first_year, last_year FROM calendar_versions WHERE version = ?", [version]
            ).fetchone()
            if meta is None:
                raise InvalidField(f"calendar version {version!r} is not installed",
                                   field="calendar_version")
            rows = self.db.execute(
                "SELECT date, kind, name FROM calendar_days WHERE version = ?", [version]
            ).fetchall()
            cache[version] = WorkCalendar.from_rows(
                version, meta[0], meta[1],
                [{"date": d, "kind": k, "name": n} for d, k, n in rows],
            )
        return cache[version]

    def office_hours(self) -> OfficeHours:
        return OfficeHours.from_settings(self.settings())

    def calculator(self, calendar_version: str | None = None) -> DueTimeCalculator:
        return DueTimeCalculator(self.calendar(calendar_version), self.office_hours())

    @cached_property
    def due_calculator(self) -> DueTimeCalculator:
        return self.calculator()

    def calculator_for(self, calendar_version: str) -> DueTimeCalculator:
        """The calculator of a dossier computed with ``calendar_version``: that calendar if
        this profile has it, else the current one (an imported due time, ``external``)."""
        return self.calculator(self._installed(calendar_version))

    def procedure_for(self, code: str, received_at: datetime,
                      version: int | None = None) -> Procedure:
        """The procedure version a dossier received at ``received_at`` is handled under."""
        return procedure_in(self.catalogue, code, received_at, version)

    # ---------------------------------------------------------------- internals

    def _put_setting(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value],
        )

    def today(self) -> date:
        """Today in Vietnam by the store's clock (corrected by the server's offset)."""
        return self.clock.now().astimezone(records.VN_TZ).date()

    def changes(self) -> _Changes:
        """A batch of outbox, event and search rows for the caller's transaction."""
        return _Changes(records.utc_text(self.clock.now()), self.actor)

    def notify(self, record_type: str, ids: Iterable[str]) -> None:
        """Tell listeners that these records changed, once the open transaction commits."""
        ids = frozenset(ids)
        after_commit(self.db, lambda: self.notices.publish(record_type, ids))

    def search_text_of(self, record: Mapping[str, Any]) -> tuple[str, str]:
        procedure = self.catalogue.get(record["procedure_code"], record["procedure_version"])
        return search_text(record, procedure.name)

    # ---------------------------------------------------------------- dossiers

    def resolve(self, id_or_code: str) -> dict[str, Any]:
        """The ``dossiers`` row of an id or a code; ``UnknownDossier`` when there is none."""
        key = id_or_code.strip()
        column = "code" if CODE_PATTERN.match(key) else "id"
        rows = list(self.db.query(
            f"SELECT rowid AS _rowid, * FROM dossiers WHERE {column} = ?", [key]))  # noqa: S608
        if not rows:
            raise UnknownDossier(key, dossier=key)
        return rows[0]

    def record(self, id_or_code: str) -> dict[str, Any]:
        """The canonical record of a dossier (times in +07:00)."""
        return records.row_to_record(self.resolve(id_or_code))

    def create_dossier(self, raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[CheckWarning]]:
        """Receive one dossier (intake): validate, number, compute its due time, store it.

        With no ``received_at`` it is received now, by the store's clock (corrected by the
        server's offset), so its code and due time follow the server's time."""
        if not raw.get("received_at"):
            raw = {**raw, "received_at": records.utc_text(self.clock.now())}
        record, warnings = records.normalize_input(raw, self.today())
        with transaction(self.db):
            if record["id"] and self._existing_ids([record["id"]]):
                raise InvalidRecord(f"id {record['id']} already exists", field="id")
            self._write_prepared([prepare(record, self.catalogue, self.due_calculator,
                                          self.actor)])
        return self.record(record["id"]), warnings

    def import_records(self, lines: Iterable[tuple[int, Any]], batch_size: int = IMPORT_BATCH,
                       helpers: int = IMPORT_HELPERS,
                       progress: Callable[[int], None] | None = None) -> ImportResult:
        """Import dossiers ``(line number, JSON text or object)``; bad lines are reported, not
        fatal.

        Each batch is one transaction written with one statement per table. A line the
        database refuses makes the batch retry line by line, each in a savepoint, so that line
        is reported and the others still go in. An import of more than one batch is prepared
        (parsed, validated, due times, rows as JSON: app/import_prep.py) in pieces of
        1/``IMPORT_PIECES`` batch by ``helpers`` helper processes, ahead of this thread, which
        writes, and by this thread too when the piece it needs is not ready: the writes run in
        SQLite without Python's interpreter lock, so the import keeps every core busy (decision
        0011). A single batch is prepared here, since starting a process costs more than it
        saves.
        ``progress`` hears the number of lines handled so far each time a batch is written.
        """
        result = ImportResult()
        source = iter(lines)
        context = (self.catalogue, self.due_calculator, self.actor, self.today())
        failure: list[Exception] = []  # the source's error: raised once what came before it is in

        def read(count: int) -> list[tuple[int, Any]]:
            if failure:
                return []
            try:
                return list(itertools.islice(source, count))
            except Exception as error:  # noqa: BLE001 - re-raised below, after the writes
                failure.append(error)
                return []

        with paused_cycle_collector():
            if len(chunk := read(batch_size)) < batch_size:
                self._import_batch(prepare_batch(chunk, *context), result, progress)
            else:
                # A batch's pieces: IMPORT_PIECES (fewer for tiny batches) of nearly equal sizes.
                per_batch = min(IMPORT_PIECES, batch_size)
                sizes = [batch_size // per_batch + (index < batch_size % per_batch)
                         for index in range(per_batch)]

                def later_pieces() -> Iterator[list[tuple[int, Any]]]:
                    for size in itertools.cycle(sizes):
                        if not (piece := read(size)):
                            return
                        yield piece

                bounds = itertools.pairwise(itertools.accumulate(sizes, initial=0))
                pieces = itertools.chain((chunk[start:end] for start, end in bounds),
                                         later_pieces())
                with _import_helpers(helpers, context) as pool:
                    # Each helper is given a batch's pieces (and the two its pool queues)
                    # ahead of the writer: enough to keep it busy while a batch is written.
                    # More would only lengthen what the writer writes alone at the end, after
                    # the helpers have prepared the last piece.
                    for batch in batches_in_order(
                            pieces, lambda lines: pool.submit(prepare_in_helper, lines),
                            (per_batch + 2) * helpers, lambda lines: prepare_batch(lines, *context),
                            per_batch):
                        self._import_batch(batch, result, progress)
        if failure:
            raise failure[0]
        return result

    def _import_batch(self, batch: Batch, result: ImportResult,
                      progress: Callable[[int], None] | None = None) -> None:
        self._write_batch(batch, result)
        result.lines += batch.lines
        if progress is not None:
            progress(result.lines)

    def _write_batch(self, batch: Batch, result: ImportResult) -> None:
        result.errors += batch.errors
        result.warnings += batch.warnings
        with transaction(self.db):
            present = self._existing_ids([item.id for item in batch.items])
            fresh: list[Prepared] = []
            for item in batch.items:
                if item.id in present:
                    result.already_present.append(item.id)
                else:
                    present.add(item.id)
                    fresh.append(item)
            try:
                with self.db.atomic():
                    self._write_prepared(fresh)
                result.created += [item.id for item in fresh]
                result.errors.sort()
                return
            except (DomainError, sqlite3.DatabaseError):
                pass  # find the line at fault below, one savepoint each
            for item in fresh:
                try:
                    with self.db.atomic():
                        self._write_prepared([item])
                    result.created.append(item.id)
                except (DomainError, sqlite3.DatabaseError) as error:
                    code = getattr(error, "code", "database_refused")
                    result.errors.append((item.line_no, code,
                                          getattr(error, "detail", str(error))))
            result.errors.sort()

    def _existing_ids(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` are dossiers here, in one statement answering one row."""
        return set(json.loads(self.db.execute(
            "SELECT json_group_array(id) FROM dossiers "
            "WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]).fetchone()[0]))

    def _write_prepared(self, batch: list[Prepared]) -> None:
        """Insert prepared dossiers inside the caller's transaction: each takes its code (the
        one it came with, or the slot's next of its day) and the write time. The rows come as
        JSON text (``Prepared``), so this only numbers, joins texts and runs one statement a
        table: the Python of a bulk import stays in its helper processes."""
        if not batch:
            return
        now = records.utc_text(self.clock.now())
        codes = CodeAllocator(self.db, self.unit_id, self.slot_source.current_slot())
        given = [item.code for item in batch if item.code]
        taken = set(json.loads(self.db.execute(
            "SELECT json_group_array(code) FROM dossiers "
            "WHERE code IN (SELECT value FROM json_each(?))", [json.dumps(given)]).fetchone()[0]))
        codes.load(item.received_day for item in batch if not item.code)
        dossiers: list[str] = []
        search: list[str] = []
        for item in batch:
            code = item.code
            if code:
                if code in taken:
                    raise DuplicateCode(f"code {code} belongs to another dossier", code=code)
                taken.add(code)
            else:
                code = codes.take(item.received_day)
            code_json = json.dumps(code)
            dossiers.append(f"[{code_json},{item.row}]")
            # The folded code leads the other text: '"code' + ' other…"'.
            search.append(f"[{item.search},{json.dumps(fold(code))[:-1]}{item.other[1:]}]")
        conn = self.db.conn
        insert_json_rows(conn, f"dossiers(code, {', '.join(ROW_COLUMNS)}, updated_at)",
                         _json_array(dossiers), f"{picks(len(ROW_COLUMNS) + 1)}, ?2",
                         params=[now])
        insert_json_rows(conn, f"dossier_events({', '.join(EVENT_COLUMNS)})",
                         _json_array([item.event for item in batch]), picks(len(EVENT_COLUMNS)))
        insert_json_rows(conn, "dossier_search(rowid, names, other)", _json_array(search),
                         "(SELECT rowid FROM dossiers WHERE id = r->>0), r->>1, r->>2")
        insert_json_rows(conn, f"outbox({', '.join(OUTBOX_COLUMNS)}, created_at)",
                         _json_array([item.outbox for item in batch]),
                         f"{picks(len(OUTBOX_COLUMNS))}, ?2", params=[now], ordered=True)
        codes.flush()
        self.notify(DOSSIER, [item.id for item in batch])

    def set_field(self, id_or_code: str, field: str, value: str) -> list[CheckWarning]:
        """Change one editable field (``notes``, ``applicant.phone``, ``applicant.address``)."""
        column = records.column_of(field)
        text = nfc(value).strip()
        warnings: list[CheckWarning] = []
        new_value: str | None = text or None
        if field == "applicant.phone" and text:
            e164, warnings = check_phone(text)
            new_value = e164 or text
        if field == "notes":
            new_value = text
        with transaction(self.db):
            row = self.resolve(id_or_code)
            changes = self.changes()
            self.db.execute(
                f"UPDATE dossiers SET {column} = ?, updated_at = ? WHERE id = ?",  # noqa: S608
                [new_value, changes.now, row["id"]],
            )
            if field != "applicant.address":
                changes.index(row["id"], self.search_text_of(self.record(row["id"])), replace=True)
            changes.enqueue(DOSSIER, row["id"], row["rev"], _edited(row, [field]),
                            edit=True)
            changes.write(self.db, self.notices)
        return warnings

    def transition(self, id_or_code: str, status: int, note: str = "") -> dict[str, Any]:
        """Move a dossier to ``status`` if the state machine allows it; records the event.

        Leaving "supplement requested" for "processing" stops the pause of rule 6: the due
        time moves later by the office hours the dossier waited for the citizen.
        """
        with transaction(self.db):
            row = self.resolve(id_or_code)
            target = check_transition(row["status"], status)
            changed: dict[str, Any] = {"status": int(target)}
            if row["status"] == Status.SUPPLEMENT_REQUESTED and target == Status.PROCESSING:
                paused_from = self.db.execute(
                    "SELECT max(at) FROM dossier_events WHERE dossier_id = ? AND to_status = ?",
                    [row["id"], int(Status.SUPPLEMENT_REQUESTED)],
                ).fetchone()[0]
                if paused_from:
                    calculator = self.calculator_for(row["calendar_version"])
                    changed["due_at"] = records.utc_text(calculator.pause(
                        records.parse_time(row["due_at"]), records.parse_time(paused_from),
                        self.clock.now()))
            return self.update_dossier(row["id"], changed, "status", note)

    def update_dossier(self, id_or_code: str, changed: Mapping[str, Any], event_kind: str,
                       note: str = "") -> dict[str, Any]:
        """Change workflow fields of a dossier and record why, in one transaction (the
        caller's, when one is open): the row, the history event ``event_kind`` with ``note``,
        and the outbox operation naming the changed fields, so they travel as an edit.

        ``changed`` maps ``WORKFLOW_FIELDS`` (app/dossier.py) to stored values (times in UTC
        storage form). A ``status`` in it must be a move the state machine allows
        (``IllegalTransition``) and the event carries the move; other events carry no status
        (the rule-6 pause finds its start by ``to_status``). Returns the record as it is now.
        """
        unknown = sorted(set(changed) - set(records.WORKFLOW_FIELDS))
        if unknown:
            raise InvalidField(f"{', '.join(unknown)}: not a workflow field", field=unknown[0])
        with transaction(self.db):
            row = self.resolve(id_or_code)
            values = dict(changed)
            from_status = to_status = None
            if "status" in values:
                from_status = row["status"]
                to_status = values["status"] = int(check_transition(row["status"],
                                                                    values["status"]))
            changes = self.changes()
            if values:
                assignments = ", ".join(f"{column} = ?" for column in values)
                self.db.execute(
                    f"UPDATE dossiers SET {assignments}, updated_at = ? WHERE id = ?",  # noqa: S608 - WORKFLOW_FIELDS
                    [*values.values(), changes.now, row["id"]],
                )
                changes.enqueue(DOSSIER, row["id"], row["rev"], _edited(row, values), edit=True)
            changes.event(row["id"], event_kind, from_status, to_status, changes.now, note)
            changes.write(self.db, self.notices)
            return self.record(row["id"])

    def renumber(self, dossier_id: str) -> str:
        """Give a dossier the next free code of this device's slot on its day of receipt,
        inside the caller's transaction (a stand-alone code the commune already used,
        docs/decisions/0001). Returns the new code."""
        row = self.resolve(dossier_id)
        allocator = CodeAllocator(self.db, self.unit_id, self.slot_source.current_slot())
        code = allocator.take(records.parse_time(row["received_at"]).astimezone(
            records.VN_TZ).date())
        allocator.flush()
        self.db.execute("UPDATE dossiers SET code = ? WHERE id = ?", [code, row["id"]])
        self.db.execute("DELETE FROM dossier_search WHERE rowid = ?", [row["_rowid"]])
        self.db.execute("INSERT INTO dossier_search(rowid, names, other) VALUES (?, ?, ?)",
                        [row["_rowid"], *self.search_text_of(self.record(row["id"]))])
        return code

    def _installed(self, calendar_version: str) -> str | None:
        """``calendar_version`` if this profile has it, else None (the current calendar)."""
        found = self.db.execute(
            "SELECT 1 FROM calendar_versions WHERE version = ?", [calendar_version]).fetchone()
        return calendar_version if found else None

    def events(self, dossier_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query(
            "SELECT kind, from_status, to_status, actor, at, note FROM dossier_events "
            "WHERE dossier_id = ? ORDER BY at, rowid", [dossier_id])]

    def sync_state(self, record_type: str, record_id: str) -> tuple[str, str | None] | None:
        """(state, reason) of a record: pending, synced, conflict, or error with its reason."""
        table = STATEFUL_TABLES[record_type]
        row = self.db.execute(
            f"SELECT sync_state, sync_reason FROM {table} WHERE id = ?",  # noqa: S608
            [record_id]).fetchone()
        return (row[0], row[1]) if row else None

    def log_access(self, action: str, record_id: str | None) -> None:
        """Note a read of personal data (who, when, what) in the access log."""
        with transaction(self.db):
            self.db.execute(
                "INSERT INTO access_log(at, actor, action, record_id) VALUES (?, ?, ?, ?)",
                [records.utc_text(self.clock.now()), self.actor, action, record_id])

    def list_dossiers(self, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """A page of dossiers in Vietnamese alphabetical order of the applicant's given name."""
        return [dict(r) for r in self.db.query(
            "SELECT id, code, applicant_full_name, procedure_code, status, received_at, due_at "
            "FROM dossiers ORDER BY applicant_sort_key, code LIMIT ? OFFSET ?", [limit, offset])]

    def export_records(self, page: int = 1000) -> Iterator[dict[str, Any]]:
        """Every dossier as a canonical record, ordered by code then id (stable across machines)."""
        after = ("", "")
        while True:
            rows = self.db.execute(
                "SELECT rowid AS _rowid, * FROM dossiers WHERE (code, id) > (?, ?) "
                "ORDER BY code, id LIMIT ?", [*after, page]).fetchall()
            if not rows:
                return
            names = [d[0] for d in self.db.execute(
                "SELECT rowid AS _rowid, * FROM dossiers LIMIT 0").description]
            dicts = [dict(zip(names, r, strict=True)) for r in rows]
            for d in dicts:
                yield records.row_to_record(d)
            after = (dicts[-1]["code"], dicts[-1]["id"])

    # ---------------------------------------------------------------- outbox

    def pending_operations(self, limit: int = 500, after: int = 0) -> list[Operation]:
        """The oldest unanswered operations after ``after`` (a ``seq``), with the current values
        of the fields they name.

        A record changed twice before a push sends its latest values twice (the server keeps
        the first answer per operation id); a new record sends all its fields. A record removed
        here (an attachment: ``REMOVABLE_TYPES``) has no row left to read: every operation of
        it still waiting, its create included, sends the tombstone ``{"deleted": true}``, in
        order, so one that reached the server with its answer lost is removed there too.
        """
        rows = self.db.execute(
            "SELECT seq, op_id, record_type, record_id, base_rev, fields FROM outbox "
            "WHERE sent_at IS NULL AND seq > ? ORDER BY seq LIMIT ?", [after, limit]).fetchall()
        current: dict[tuple[str, str], dict[str, Any]] = {}
        for record_type in {row[2] for row in rows}:
            ids = sorted({row[3] for row in rows if row[2] == record_type})
            current.update(((record_type, i), v) for i, v in
                           self.record_fields(record_type, ids).items())
        operations = []
        for seq, op_id, record_type, record_id, base_rev, names in rows:
            key = (record_type, record_id)
            if key not in current and record_type in REMOVABLE_TYPES:
                fields = {DELETED: True}
            else:
                values = current[key]
                fields = values if names is None else {n: values[n] for n in json.loads(names)}
            operations.append(Operation(seq, op_id, record_type, record_id, base_rev,
                                        names is None, fields))
        return operations

    def record_fields(self, record_type: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Dotted-path field values of records of one type, by id."""
        if record_type in (INCOMING_DOCUMENT, OUTGOING_DOCUMENT, DOCUMENT_EVENT):
            from app.documents import record_fields  # here: app.documents imports this module

            return record_fields(self.db, record_type, ids)
        table = {DOSSIER: "dossiers", DOSSIER_EVENT: "dossier_events",
                 ATTACHMENT: "attachments"}[record_type]
        rows: list[dict[str, Any]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows += self.db.query(
                f"SELECT * FROM {table} WHERE id IN ({','.join('?' * len(chunk))})",  # noqa: S608
                chunk)
        if record_type != DOSSIER:
            hidden = {"id", "sync_state", "sync_reason", "blob_uploaded"}
            # An attachment names its dossier or its document, never both: the other is absent.
            owners = ("dossier_id", "document_id") if record_type == ATTACHMENT else ()
            return {r["id"]: {k: v for k, v in r.items()
                              if k not in hidden and not (k in owners and v is None)}
                    for r in rows}
        return {r["id"]: records.flatten_fields(records.row_to_record(r)) for r in rows}

    # ---------------------------------------------------------------- attachments

    def attachment_name(self, data: bytes, file_name: str) -> str:
        """The stored name of an attachment (NFC, no folder) once its size is within the
        ``attachments.max_bytes`` setting; ``InvalidField`` otherwise. For dossiers and
        documents alike."""
        limit = int(self.setting("attachments.max_bytes") or DEFAULT_MAX_ATTACHMENT_BYTES)
        if len(data) > limit:
            raise InvalidField(f"attachment larger than {limit} bytes", field="attachment",
                               size=len(data), limit=limit)
        name = nfc(Path(file_name).name).strip()
        if not name:
            raise InvalidField("attachment needs a file name", field="file_name")
        return name

    def add_attachment(self, id_or_code: str, data: bytes, file_name: str,
                       media_type: str) -> str:
        """Store a scan or PDF for a dossier: bytes encrypted in blobs/, metadata + outbox here."""
        name = self.attachment_name(data, file_name)
        sha256 = self.blobs.put(data)
        attachment = {"id": new_id(), "sha256": sha256, "file_name": name,
                      "media_type": media_type, "size": len(data),
                      "created_at": records.utc_text(self.clock.now())}
        with transaction(self.db):
            row = self.resolve(id_or_code)
            attachment["dossier_id"] = row["id"]
            self.db["attachments"].insert(attachment)
            changes = self.changes()
            changes.enqueue(ATTACHMENT, attachment["id"], 0, None)
            changes.dossiers.add(row["id"])
            changes.write(self.db, self.notices)
        return attachment["id"]

    def attachments(self, dossier_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query(
            "SELECT id, sha256, file_name, media_type, size, created_at FROM attachments "
            "WHERE dossier_id = ? ORDER BY created_at, id", [dossier_id])]

    def discard_blob_when_unused(self, sha256: str) -> None:
        """Once the open transaction commits, remove the file of these bytes from blobs/
        (``BlobStore.discard``: overwritten, then unlinked) unless an attachment row still names
        them then; a rollback keeps it. For an attachment removed here or by a pulled tombstone.
        After the commit, not before: a removal that fails never costs the bytes of an
        attachment that stays (a crash in between leaves an unused encrypted file, invariant 7).
        """

        def discard() -> None:
            if not self.blob_named(sha256):
                try:
                    self.blobs.discard(sha256)
                except OSError:
                    pass  # the removal stands; the unused file stays encrypted (invariant 7)

        after_commit(self.db, discard)

    def blob_named(self, sha256: str) -> bool:
        """Whether an attachment row (of a dossier or a document) names these bytes."""
        return self.db.execute("SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1",
                               [sha256]).fetchone() is not None

    def attachment_bytes(self, attachment_id: str) -> bytes:
        row = self.db.execute(
            "SELECT sha256 FROM attachments WHERE id = ?", [attachment_id]).fetchone()
        if row is None:
            raise UnknownDossier(attachment_id, attachment=attachment_id)
        return self.blobs.get(row[0])

    # ---------------------------------------------------------------- status

    def status(self) -> dict[str, Any]:
        """Counts a person (and ``status --json``) looks at; overdue is derived, never stored."""
        now = records.utc_text(self.clock.now())
        open_marks = ",".join(str(int(s)) for s in OPEN)

        def one(sql: str, *args: Any) -> Any:
            row = self.db.execute(sql, args).fetchone()
            return row[0] if row else None

        return {
            "commune": self.setting("commune.code"),
            "unit_id": self.unit_id,
            "dossiers": one("SELECT count(*) FROM dossiers"),
            "pending": one("SELECT count(*) FROM outbox WHERE sent_at IS NULL"),
            "conflicts": one("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL"),
            "errors": sum(one(f"SELECT count(*) FROM {table} "  # noqa: S608 - fixed names
                              "WHERE sync_state = 'error'") for table in STATEFUL_TABLES.values()),
            "overdue": one(f"SELECT count(*) FROM dossiers WHERE status IN ({open_marks}) "  # noqa: S608
                           "AND due_at < ?", now),
            "last_sync": one("SELECT value FROM sync_meta WHERE key = 'last_sync'"),
            "calendar_version": self.setting("calendar.version"),
            "catalogue_version": self.setting("catalogue.version"),
            "device_id": self.setting("device.id"),  # made at first sign-in (app/syncing.py)
        }

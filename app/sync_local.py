"""The store's sync half: what ``sync.local.SyncStore`` asks of the profile, on a ``Store``.

Owns every write the sync engine causes: answers to pushed operations (operations done, records
synced, conflicts stored with both values, rejected records in error), pulled pages applied with
their cursor in one transaction, blobs uploaded and fetched, the city's reference data (staff
list, catalogue, calendar). The rules (docs/sync-protocol.md
§5.3): a pulled record with no pending local operation takes the server's values; one with
pending operations keeps the fields they change and takes the others; a record in error keeps
its local values until a person edits it. Pulled events and attachments whose dossier is not
here yet are parked and applied when it comes. The correspondence registers follow the same
rules (incoming and outgoing documents, their events and attachments; docs/correspondence.md),
plus two of their own. An attachment of a secret document is metadata only here: its file is
never fetched nor uploaded, and a page that leaves a document secret removes the files of its
attachments before it commits. And a pulled document whose number another local document
holds takes it, and the local one loses it into a ``number_taken`` conflict for a person,
never a silent renumbering (invariant 8). The commune's register leases are replaced at each sync
(``set_leases``). Belongs to the thread that owns the ``Store``.
"""

from __future__ import annotations

import json
from typing import Any

import sqlcipher3.dbapi2 as sqlite3

from app import documents as docs
from app import dossier as records
from app import leases as register_leases
from app.catalogue import Catalogue, UnknownProcedure
from app.db import transaction
from app.errors import DomainError, InvalidField
from app.ids import new_id
from app.search_index import search_text, sort_key
from app.store import (
    ATTACHMENT,
    DELETED,
    DOCUMENT_EVENT,
    DOSSIER,
    DOSSIER_EVENT,
    INCOMING_DOCUMENT,
    OUTGOING_DOCUMENT,
    STATEFUL_TABLES,
    Store,
)
from app.textnorm import nfc
from app.workcalendar import WorkCalendar
from sync.local import REFERENCE_ETAG, BlobRef, ResultCounts
from sync.protocol import Change, Operation, OpResult

ALL_FIELDS = None  # a pending create: every field is local
EVENT_COLUMNS = ("id", "dossier_id", "kind", "from_status", "to_status", "actor", "at", "note")
ATTACHMENT_COLUMNS = ("id", "dossier_id", "document_id", "sha256", "file_name", "media_type",
                      "size", "created_at")
DOCUMENT_EVENT_COLUMNS = ("id", *docs.EVENT_FIELDS)
DOCUMENT_TYPES = (INCOMING_DOCUMENT, OUTGOING_DOCUMENT)
CHILD_TABLES = {DOSSIER_EVENT: ("dossier_events", EVENT_COLUMNS),
                DOCUMENT_EVENT: ("document_events", DOCUMENT_EVENT_COLUMNS),
                ATTACHMENT: ("attachments", ATTACHMENT_COLUMNS)}
LEASES_REFUSED = "leases_refused"  # sync value: why the last lease list was not kept


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class LocalSyncStore:
    """``sync.local.SyncStore`` implemented on the profile's ``Store``."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    # ------------------------------------------------------------------ sync state

    def sync_value(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM sync_meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_sync_values(self, values: dict[str, str]) -> None:
        with transaction(self.db):
            self._put(values)

    def _put(self, values: dict[str, str]) -> None:
        self.db.conn.executemany(
            "INSERT INTO sync_meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", list(values.items()))

    def pending_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0]

    def first_unanswered(self) -> int | None:
        return self.db.execute("SELECT min(seq) FROM outbox WHERE sent_at IS NULL").fetchone()[0]

    def operations_after(self, seq: int, limit: int) -> list[Operation]:
        return [Operation(op.op_id, op.seq, op.record_type, op.record_id,
                          0 if op.created else op.base_rev, op.created, op.fields)
                for op in self.store.pending_operations(limit, after=seq)]

    # ------------------------------------------------------------------ answers

    def apply_results(self, results: list[OpResult]) -> ResultCounts:
        applied = conflicts = rejected = 0
        now = records.utc_text(self.store.clock.now())
        with transaction(self.db):
            touched: set[tuple[str, str]] = set()
            for result in results:
                row = self.db.execute(
                    "SELECT record_type, record_id FROM outbox WHERE op_id = ? AND sent_at IS NULL",
                    [result.op_id]).fetchone()
                if row is None:
                    continue  # answered before (a repeated answer after a cut)
                record_type, record_id = row
                outcome = result.outcome
                self.db.execute("UPDATE outbox SET sent_at = ?, outcome = ? WHERE op_id = ?",
                                [now, outcome, result.op_id])
                if outcome == "applied":
                    applied += 1
                    touched.add((record_type, record_id))
                elif outcome == "conflict":
                    conflicts += 1
                    self._store_conflicts(record_type, record_id, result, now)
                else:
                    rejected += 1
                    self._set_state(record_type, record_id, "error",
                                    f"{result.code}: {result.reason}")
            for record_type, record_id in touched:
                self._settle(record_type, record_id)
            self._notify_answered(results)
        return ResultCounts(applied, conflicts, rejected)

    def _notify_answered(self, results: list[OpResult]) -> None:
        """Tell the views whose sync state changed: the dossiers of the answered operations."""
        ops = [r.op_id for r in results]
        touched: dict[str, set[str]] = {DOSSIER: set()}
        for start in range(0, len(ops), 500):
            chunk = ops[start : start + 500]
            for record_type, record_id in self.db.execute(
                    f"SELECT record_type, record_id FROM outbox "  # noqa: S608
                    f"WHERE op_id IN ({','.join('?' * len(chunk))})", chunk):
                target = self._state_target(record_type, record_id)
                if target and target[0] in _NOTICE_OF_TABLE:
                    touched.setdefault(_NOTICE_OF_TABLE[target[0]], set()).add(target[1])
        for notice, ids in touched.items():
            self.store.notify(notice, ids)
        if any(r.outcome == "conflict" for r in results):
            self.store.notify("conflict", [r.op_id for r in results if r.outcome == "conflict"])

    def fail_operation(self, operation: Operation, code: str, reason: str) -> None:
        now = records.utc_text(self.store.clock.now())
        with transaction(self.db):
            self.db.execute("UPDATE outbox SET sent_at = ?, outcome = 'failed' WHERE op_id = ?",
                            [now, operation.op_id])
            self._set_state(operation.type, operation.id, "error", f"{code}: {reason}"[:300])
            target = self._state_target(operation.type, operation.id)
            if target and target[0] in _NOTICE_OF_TABLE:
                self.store.notify(_NOTICE_OF_TABLE[target[0]], [target[1]])

    def _store_conflicts(self, record_type: str, record_id: str, result: OpResult,
                         now: str) -> None:
        local = self._local_fields(record_type, record_id) or {}
        for path, server_value in (result.fields or {}).items():
            self.db.execute(
                "UPDATE conflicts SET resolved_at = ? WHERE record_type = ? AND record_id = ? "
                "AND field = ? AND resolved_at IS NULL", [now, record_type, record_id, path])
            self.db.execute(
                "INSERT INTO conflicts(id, record_type, record_id, field, local_value, "
                "server_value, created_at, server_rev, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [new_id(), record_type, record_id, path, _dumps(local.get(path)),
                 _dumps(server_value), now, result.rev or 0, result.reason])
        self._set_state(record_type, record_id, "conflict", None)

    def _local_fields(self, record_type: str, record_id: str) -> dict[str, Any] | None:
        return self.store.record_fields(record_type, [record_id]).get(record_id)

    def _state_target(self, record_type: str, record_id: str) -> tuple[str, str] | None:
        """The table and id holding the sync state of a record (an event's is its dossier's or
        its document's)."""
        if record_type in STATEFUL_TABLES:
            return STATEFUL_TABLES[record_type], record_id
        if record_type == DOSSIER_EVENT:
            row = self.db.execute("SELECT dossier_id FROM dossier_events WHERE id = ?",
                                  [record_id]).fetchone()
            return ("dossiers", row[0]) if row else None
        if record_type == DOCUMENT_EVENT:
            row = self.db.execute(
                "SELECT document_kind, document_id FROM document_events WHERE id = ?",
                [record_id]).fetchone()
            return (docs.TABLE[row[0]], row[1]) if row else None
        return None

    def _set_state(self, record_type: str, record_id: str, state: str,
                   reason: str | None) -> None:
        target = self._state_target(record_type, record_id)
        if target is not None:
            self.db.execute(f"UPDATE {target[0]} SET sync_state = ?, sync_reason = ? "  # noqa: S608
                            "WHERE id = ?", [state, reason, target[1]])

    def _settle(self, record_type: str, record_id: str) -> None:
        """A record is synced once no operation of it waits and no conflict is open."""
        if record_type not in STATEFUL_TABLES:
            return
        waiting = self.db.execute(
            "SELECT 1 FROM outbox WHERE record_type = ? AND record_id = ? AND sent_at IS NULL "
            "UNION ALL SELECT 1 FROM conflicts WHERE record_type = ? AND record_id = ? "
            "AND resolved_at IS NULL LIMIT 1",
            [record_type, record_id, record_type, record_id]).fetchone()
        if waiting is None:
            self.db.execute(
                f"UPDATE {STATEFUL_TABLES[record_type]} SET sync_state = 'synced', "  # noqa: S608
                "sync_reason = NULL WHERE id = ? AND sync_state = 'pending'", [record_id])

    # ------------------------------------------------------------------ pull

    def apply_page(self, changes: list[Change], cursor: str) -> None:
        with transaction(self.db):
            dossiers = {c.id for c in changes if c.type == DOSSIER}
            dossiers.update(str(c.record["dossier_id"]) for c in changes
                            if c.type in (DOSSIER_EVENT, ATTACHMENT) and c.record
                            and c.record.get("dossier_id"))
            self.store.notify(DOSSIER, dossiers)
            documents = {c.id for c in changes if c.type in DOCUMENT_TYPES}
            documents.update(str(c.record["document_id"]) for c in changes
                             if c.type in (DOCUMENT_EVENT, ATTACHMENT) and c.record
                             and c.record.get("document_id"))
            for record_type in DOCUMENT_TYPES:  # a listener re-reads the ids it knows
                self.store.notify(record_type, documents)
            for change in changes:
                if change.type == DOSSIER:
                    self._pulled_dossier(change)
                elif change.type in DOCUMENT_TYPES:
                    self._pulled_document(change)
                elif change.type in CHILD_TABLES:
                    self._pulled_child(change)
                # Types this version does not know yet are left to a newer version.
            # A document that is secret now keeps metadata only: the files of its attachments
            # leave this machine before the page commits (docs/correspondence.md).
            docs.drop_secret_files(self.store, documents)
            self._put({"cursor": cursor})

    def restart_pull(self) -> None:
        with transaction(self.db):
            self.db.execute("DELETE FROM sync_meta WHERE key = 'cursor'")

    def _pending_fields(self, record_type: str, record_id: str) -> set[str] | None:
        """Fields a pull must not overwrite: changed by unanswered operations of the record, or
        in an open conflict (a person chooses); None: all of them."""
        names = {field for (field,) in self.db.execute(
            "SELECT field FROM conflicts WHERE record_type = ? AND record_id = ? "
            "AND resolved_at IS NULL", [record_type, record_id])}
        for (fields,) in self.db.execute(
                "SELECT fields FROM outbox WHERE record_type = ? AND record_id = ? "
                "AND sent_at IS NULL", [record_type, record_id]):
            if fields is None:
                return ALL_FIELDS
            names.update(json.loads(fields))
        return names

    def _pulled_dossier(self, change: Change) -> None:
        local = self.db.execute("SELECT rowid, sync_state FROM dossiers WHERE id = ?",
                                [change.id]).fetchone()
        if change.deleted:
            return  # dossiers are kept by law; this client never deletes one
        server = _flat_dossier(change.record or {})
        if local is None:
            self.write_dossier(change.id, server, change.rev, None, "synced")
            self._unpark(change.id)
            return
        rowid, state = local
        pending = self._pending_fields(DOSSIER, change.id)
        if state == "error":
            pending = ALL_FIELDS  # kept as the person left it, until they edit it
        if pending is ALL_FIELDS:
            self.db.execute("UPDATE dossiers SET rev = max(rev, ?) WHERE id = ?",
                            [change.rev, change.id])
            return
        merged = {**server, **{k: v for k, v in (self._local_fields(DOSSIER, change.id)
                                                 or {}).items() if k in pending}}
        waiting = self.db.execute(
            "SELECT 1 FROM outbox WHERE record_type = ? AND record_id = ? AND sent_at IS NULL",
            [DOSSIER, change.id]).fetchone()
        new_state = "conflict" if state == "conflict" else ("pending" if waiting else "synced")
        self.write_dossier(change.id, merged, change.rev, rowid, new_state)

    def write_dossier(self, dossier_id: str, fields: dict[str, Any], rev: int,
                       rowid: int | None, state: str) -> None:
        """Insert or replace a dossier's row and search entry from ``fields``."""
        record = records.unflatten_fields(dossier_id, fields)
        self._free_code(record["code"], dossier_id)
        row = records.record_to_row(records.stored_times(dict(record)))
        row.update(applicant_sort_key=sort_key(record), rev=rev, sync_state=state,
                   sync_reason=None, updated_at=records.utc_text(self.store.clock.now()))
        if rowid is None:
            columns = list(row)
            rowid = self.db.execute(
                f"INSERT INTO dossiers({', '.join(columns)}) "  # noqa: S608 - fixed columns
                f"VALUES ({', '.join('?' * len(columns))})", [row[c] for c in columns]).lastrowid
        else:
            self.db.execute(
                f"UPDATE dossiers SET {', '.join(f'{c} = ?' for c in row)} "  # noqa: S608
                "WHERE rowid = ?", [*row.values(), rowid])
            self.db.execute("DELETE FROM dossier_search WHERE rowid = ?", [rowid])
        self.db.execute("INSERT INTO dossier_search(rowid, names, other) VALUES (?, ?, ?)",
                        [rowid, *search_text(record, self._procedure_name(record))])

    def _procedure_name(self, record: dict[str, Any]) -> str:
        try:
            return self.store.catalogue.get(record["procedure_code"],
                                            record["procedure_version"]).name
        except (UnknownProcedure, KeyError):
            return ""

    def _free_code(self, code: str, owner: str) -> None:
        """Make ``code`` free for ``owner``: a local dossier the server never accepted that
        holds it (two stand-alone machines, docs/decisions/0001) gets a new code from this
        device's slot, and a conflict tells a person to hand the citizen a new slip."""
        row = self.db.execute("SELECT id FROM dossiers WHERE code = ? AND id != ?",
                              [code, owner]).fetchone()
        if row is None:
            return
        other = row[0]
        new_code = self.store.renumber(other)
        now = records.utc_text(self.store.clock.now())
        self.db.execute("UPDATE conflicts SET resolved_at = ? WHERE record_type = ? AND "
                        "record_id = ? AND field = 'code' AND resolved_at IS NULL",
                        [now, DOSSIER, other])
        self.db.execute(
            "INSERT INTO conflicts(id, record_type, record_id, field, local_value, server_value,"
            " created_at, server_rev, reason) VALUES (?, ?, ?, 'code', ?, ?, ?, 0, 'code_taken')",
            [new_id(), DOSSIER, other, _dumps(code), _dumps(new_code), now])
        self.db.execute("UPDATE dossiers SET sync_state = 'conflict' WHERE id = ?", [other])

    def _parent_here(self, record_type: str, record: dict[str, Any]) -> tuple[Any, bool]:
        """The id of the dossier or document an event or attachment belongs to, and whether
        that record is here."""
        if record_type == DOCUMENT_EVENT or (record_type == ATTACHMENT
                                             and record.get("document_id")):
            parent = record.get("document_id")
            kind = record.get("document_kind")
            tables = [docs.TABLE[kind]] if kind in docs.TABLE else list(docs.TABLE.values())
        else:
            parent, tables = record.get("dossier_id"), ["dossiers"]
        here = any(self.db.execute(f"SELECT 1 FROM {table} WHERE id = ?",  # noqa: S608
                                   [parent]).fetchone() for table in tables)
        return parent, here

    def _pulled_child(self, change: Change) -> None:
        """An event or attachment: written once; parked until its dossier or document is
        here. An attachment of a secret document is written as metadata only: its bytes are
        never fetched (``blobs_to_fetch``), whether the document came before it, after it
        (parked until then) or turns secret later (``docs.drop_secret_files``).

        A removed attachment (a tombstone, ``documents.remove_attachment`` on some machine)
        leaves this one: its row, a parked copy waiting for its document, and, once the page
        commits, its file unless another attachment names the same bytes. One removed here
        whose tombstone has not left the outbox is not brought back by a page read before."""
        table, columns = CHILD_TABLES[change.type]
        if change.deleted:
            if table == "attachments":
                row = self.db.execute("SELECT sha256 FROM attachments WHERE id = ?",
                                      [change.id]).fetchone()
                self.db.execute("DELETE FROM attachments WHERE id = ?", [change.id])
                self.db.execute("DELETE FROM parked_changes WHERE record_type = ? "
                                "AND record_id = ?", [change.type, change.id])
                if row is not None:
                    self.store.discard_blob_when_unused(row[0])
            return
        if table == "attachments" and self.db.execute(
                "SELECT 1 FROM outbox WHERE record_type = ? AND record_id = ? "
                "AND sent_at IS NULL AND fields = ?",
                [change.type, change.id, json.dumps([DELETED])]).fetchone():
            return  # removed here; the tombstone on its way wins
        record = {**(change.record or {}), "id": change.id}
        parent, here = self._parent_here(change.type, record)
        if not here:
            self.db.execute(
                "INSERT OR REPLACE INTO parked_changes(record_type, record_id, dossier_id, body) "
                "VALUES (?, ?, ?, ?)", [change.type, change.id, str(parent), _dumps(record)])
            return
        values = [record.get(c) for c in columns]
        if table in ("dossier_events", "document_events"):
            values[columns.index("note")] = values[columns.index("note")] or ""
            self.db.execute(
                f"INSERT OR IGNORE INTO {table}({', '.join(columns)}) "  # noqa: S608
                f"VALUES ({', '.join('?' * len(columns))})", values)
        else:
            self.db.execute(
                f"INSERT OR IGNORE INTO attachments({', '.join(columns)}, sync_state, "  # noqa: S608
                f"blob_uploaded) VALUES ({', '.join('?' * len(columns))}, 'synced', 1)", values)

    def _unpark(self, parent_id: str) -> None:
        """Apply the events and attachments that waited for this dossier or document (the
        ``dossier_id`` column of ``parked_changes`` holds either)."""
        parked = self.db.execute(
            "SELECT record_type, body FROM parked_changes WHERE dossier_id = ?",
            [parent_id]).fetchall()
        self.db.execute("DELETE FROM parked_changes WHERE dossier_id = ?", [parent_id])
        for record_type, body in parked:
            record = json.loads(body)
            if record_type in CHILD_TABLES:
                self._pulled_child(Change(record_type, record["id"], 1, record))

    # ------------------------------------------------------------------ documents

    def _pulled_document(self, change: Change) -> None:
        """An incoming or outgoing document, by the dossier rules (pending fields stay, a
        record in error keeps its values). Each is written in its own savepoint: one the
        database refuses (a corrupt answer) is noted in the sync state as
        ``refused_change.<type>.<id>`` and the rest of the page goes on (invariant 9)."""
        if change.deleted:
            return  # registers are kept by law; this client never deletes an entry
        key = f"refused_change.{change.type}.{change.id}"
        try:
            with self.db.atomic():
                self._write_pulled_document(change)
        except (sqlite3.DatabaseError, DomainError, ValueError, TypeError, KeyError) as error:
            self._put({key: str(error)[:300]})
            return
        self.db.execute("DELETE FROM sync_meta WHERE key = ?", [key])

    def _write_pulled_document(self, change: Change) -> None:
        kind = docs.KIND_OF[change.type]
        table = docs.TABLE[kind]
        server = _flat_document(kind, change.record or {})
        local = self.db.execute(f"SELECT rowid, sync_state FROM {table} WHERE id = ?",  # noqa: S608
                                [change.id]).fetchone()
        if local is None:
            self._free_number(kind, server, change.id)
            docs.write_row(self.store, kind, change.id, server, rev=change.rev, state="synced",
                           rowid=None)
            self._unpark(change.id)
            return
        rowid, state = local
        pending = self._pending_fields(change.type, change.id)
        if state == "error":
            pending = ALL_FIELDS  # kept as the person left it, until they edit it
        if pending is ALL_FIELDS:
            self.db.execute(f"UPDATE {table} SET rev = max(rev, ?) WHERE id = ?",  # noqa: S608
                            [change.rev, change.id])
            return
        mine = self._local_fields(change.type, change.id) or {}
        merged = {**server, **{k: v for k, v in mine.items() if k in pending}}
        waiting = self.db.execute(
            "SELECT 1 FROM outbox WHERE record_type = ? AND record_id = ? AND sent_at IS NULL",
            [change.type, change.id]).fetchone()
        new_state = "conflict" if state == "conflict" else ("pending" if waiting else "synced")
        self._free_number(kind, merged, change.id)
        docs.write_row(self.store, kind, change.id, merged, rev=change.rev, state=new_state,
                       rowid=rowid)

    def _free_number(self, kind: str, record: dict[str, Any], owner: str) -> None:
        """Make the number ``record`` carries free for ``owner``: another local document that
        holds it (numbered offline by a holder whose lease was moved, docs/decisions/0009)
        loses it here and keeps it in a ``number_taken`` conflict for a person to settle; it
        is never renumbered."""
        column, table = docs.NUMBER[kind], docs.TABLE[kind]
        number = record.get(column)
        if number is None:
            return
        row = self.db.execute(
            f"SELECT id, rev, rowid FROM {table} WHERE register_year = ? "  # noqa: S608
            f"AND series = ? AND {column} = ? AND id != ?",
            [record.get("register_year"), record.get("series"), number, owner]).fetchone()
        if row is None:
            return
        other, rev, rowid = row
        record_type = docs.RECORD_TYPE[kind]
        kept = docs.record_fields(self.db, record_type, [other])[other]
        cleared = {column: None, **({"symbol": None} if kind == docs.OUTGOING else {})}
        docs.write_row(self.store, kind, other, {**kept, **cleared}, rev=rev, state="conflict",
                       rowid=rowid)
        now = records.utc_text(self.store.clock.now())
        self.db.execute("UPDATE conflicts SET resolved_at = ? WHERE record_type = ? AND "
                        "record_id = ? AND field = ? AND resolved_at IS NULL",
                        [now, record_type, other, column])
        self.db.execute(
            "INSERT INTO conflicts(id, record_type, record_id, field, local_value, server_value,"
            " created_at, server_rev, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'number_taken')",
            [new_id(), record_type, other, column, _dumps(kept.get(column)),
             _dumps(None), now, rev])
        self.store.notify(record_type, [other])
        self.store.notify("conflict", [other])

    # ------------------------------------------------------------------ leases

    def set_leases(self, leases: list[dict[str, Any]]) -> None:
        """Keep the commune's leases as ``GET /v1/leases`` gave them, replacing the copy. A
        malformed list changes nothing (the sync value ``leases_refused`` says why): the
        copy kept is the last good one, and the next sync asks again."""
        try:
            register_leases.keep_leases(self.store, leases, replace=True)
        except (ValueError, TypeError) as error:
            self.set_sync_values({LEASES_REFUSED: str(error)[:300]})
            return
        with transaction(self.db):
            self.db.execute("DELETE FROM sync_meta WHERE key = ?", [LEASES_REFUSED])

    # ------------------------------------------------------------------ reference data

    def apply_reference(self, reference: dict[str, Any], etag: str | None) -> list[str]:
        refused: list[str] = []
        staff = _staff_rows(reference.get("staff"))
        if staff is None:
            refused.append("staff")
        catalogue, calendar = None, None
        document = reference.get("catalogue")
        if document is not None:
            try:
                if document["version"] != self.store.setting("catalogue.version"):
                    catalogue = Catalogue.from_json(document["body"])
                    # The server's versions replace the same (code, version) here; versions
                    # only this machine has stay: together they must still make a catalogue.
                    merged = {(p.code, p.version): p for p in self.store.catalogue.all_versions()}
                    merged.update({(p.code, p.version): p for p in catalogue.all_versions()})
                    Catalogue(catalogue.version, merged.values())
            except (ValueError, TypeError, KeyError, AttributeError):  # CatalogueError too
                refused.append("catalogue")
        document = reference.get("calendar")
        if document is not None:
            try:
                if document["version"] != self.store.setting("calendar.version"):
                    calendar = WorkCalendar.from_snapshot(document["body"])
            except (ValueError, TypeError, KeyError, AttributeError):
                refused.append("calendar")
        with transaction(self.db):
            if staff is not None:
                before = {name for (name,) in self.db.execute("SELECT username FROM staff")}
                self.db.execute("DELETE FROM staff")
                self.db.conn.executemany(
                    "INSERT OR REPLACE INTO staff(username, display_name, role) VALUES (?, ?, ?)",
                    staff)
                self.store.notify("staff", before | {row[0] for row in staff})
            if catalogue is not None:
                self.store.install_catalogue(catalogue, replace=True)
            if calendar is not None:
                self.store.install_calendar(calendar)
            if etag and not refused:
                self._put({REFERENCE_ETAG: etag})
            elif refused:  # what is kept now matches no version of the server's: ask again
                self.db.execute("DELETE FROM sync_meta WHERE key = ?", [REFERENCE_ETAG])
        return refused

    # ------------------------------------------------------------------ blobs

    def blobs_to_upload(self) -> list[BlobRef]:
        return [BlobRef(sha, size) for sha, size in self.db.execute(
            "SELECT sha256, max(size) FROM attachments WHERE blob_uploaded = 0 "  # noqa: S608
            f"AND sync_state = 'synced' AND NOT {docs.of_secret_document()} "
            "GROUP BY sha256 ORDER BY min(created_at)")]

    def blob_uploaded(self, sha256: str) -> None:
        with transaction(self.db):
            self.db.execute("UPDATE attachments SET blob_uploaded = 1 WHERE sha256 = ?",
                            [sha256])

    def blob_bytes(self, sha256: str) -> bytes:
        return self.store.blobs.get(sha256)

    def blobs_to_fetch(self) -> list[BlobRef]:
        """The files this machine lacks, but never one of a secret document's attachment
        (metadata only; the bytes come when an ordinary attachment names the same ones)."""
        rows = self.db.execute(
            "SELECT sha256, max(size) FROM attachments "  # noqa: S608
            f"WHERE NOT {docs.of_secret_document()} GROUP BY sha256 ORDER BY min(created_at)")
        return [BlobRef(sha, size) for sha, size in rows if not self.store.blobs.has(sha)]

    def store_blob(self, sha256: str, data: bytes) -> None:
        if self.store.blobs.put(data) != sha256:
            raise ValueError("the bytes do not have this SHA-256")


_NOTICE_OF_TABLE = {"dossiers": DOSSIER, "incoming_documents": INCOMING_DOCUMENT,
                    "outgoing_documents": OUTGOING_DOCUMENT}
_DOCUMENT_DEFAULTS = {"urgency": "normal", "secrecy": "none", "coordinators": [],
                      "recipients": [], "copies": 1, "source": "paper"}


def _flat_document(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    """The synced fields of a pulled document, with the defaults of its schema filled in and
    its times in the storage form (UTC)."""
    flat = {name: record.get(name) for name in docs.FIELDS[kind]}
    for name, value in _DOCUMENT_DEFAULTS.items():
        if name in flat and flat[name] is None:
            flat[name] = value
    if flat["status"] is None:
        flat["status"] = "registered" if kind == docs.INCOMING else "draft"
    if flat["series"] is None:
        flat["series"] = "ordinary" if flat["secrecy"] == "none" else "secret"
    for name in docs.TIME_FIELDS & set(flat):
        if isinstance(flat[name], str):
            try:
                flat[name] = records.utc_text(records.parse_time(flat[name], name))
            except InvalidField:
                pass  # kept as the server sent it
    for name in docs.LIST_FIELDS & set(flat):
        if not isinstance(flat[name], list):
            flat[name] = []
    if kind == docs.OUTGOING and flat["number"] is None:
        # A symbol is made of the number: the server keeps one whose number it refused (the
        # operation's other fields apply); shown here it would look like a second 03/TB-UBND.
        flat["symbol"] = None
    return flat


def _flat_dossier(record: dict[str, Any]) -> dict[str, Any]:
    """Dotted-path fields of a pulled dossier record, with the local defaults filled in."""
    applicant = record.get("applicant") or {}
    flat = {key: record.get(key) for key in records.RECORD_KEYS
            if key not in ("id", "applicant")}
    flat.update({f"applicant.{key}": applicant.get(key) for key in records.PERSON_KEYS})
    defaults = {"co_applicants": [], "papers": [], "sets_count": 1,
                "result_delivery": "counter", "notes": "", "channel": 1, "status": 1,
                "procedure_version": 1, "calendar_version": "external",
                **records.LATER_KEY_DEFAULTS}
    for key, value in defaults.items():
        if flat.get(key) is None:
            flat[key] = value
    return flat


def _staff_rows(staff: Any) -> list[tuple[str, str | None, str]] | None:
    """(username, display_name, role) rows of the reference data's staff list, or None when it
    is malformed (then the list kept stays as it was)."""
    if not isinstance(staff, list):
        return None
    rows = []
    for person in staff:
        if not isinstance(person, dict):
            return None
        username, name, role = (person.get(k) for k in ("username", "display_name", "role"))
        if not (isinstance(username, str) and 0 < len(username) <= 100
                and isinstance(role, str) and 0 < len(role) <= 40
                and (name is None or (isinstance(name, str) and len(name) <= 200))):
            return None
        rows.append((nfc(username), (nfc(name).strip() or None) if name else None, role))
    return rows

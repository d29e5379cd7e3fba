"""The server side of push and pull (docs/sync-protocol.md §5): operations applied at most once
per commune, per-commune revisions taken under a lock, pages of changes by revision.

Every statement filters on the caller's commune (invariant 6). One call of ``apply_ops``
applies a batch, the operations of one or more whole frames (those that arrived together,
server/sync_routes.py), all or none: in one transaction (on SQLite, in a savepoint of a
transaction that other pushes' batches may share: ``db.write_together``). Revisions come from
the commune's ``last_rev``, read first under the commune's row lock (PostgreSQL
``SELECT … FOR UPDATE``; SQLite: ``BEGIN IMMEDIATE``, one writer) and written back once a
batch; the lock serialises the commune's writers, so revision order is commit order and no
cursor can skip a late commit. A batch is applied set-wise: one read each of its records,
dossier codes, register numbers and earlier answers, an index probe a key
(``driver_sql.send_unique``), sent with the lock in one round trip on PostgreSQL
(``driver_sql.together``); merges in memory in operation order; then the writes, one
statement (or one ``executemany``) a table, sent together too, all on the driver's cursor
(server/driver_sql.py). Only a stored record can hold a code or number row, so only a stored
record that moves to another code or number has its old row deleted: a push of new records
deletes nothing (a code's row is found by its record, which no index of dossier_codes
leads with).

Register numbers (docs/decisions/0009, docs/sync-protocol.md §7.1): an operation that gives an
incoming or outgoing document its number (or changes it, or moves a numbered document to another
year or series) is checked under the same lock against the commune's leases and the numbers its
registers hold (``register_numbers``, whose primary key also makes a number unique); a number
that fails is not applied, nor are the fields that go with it (``NUMBER_GROUP``), the
operation's other fields are, and the answer is a conflict on the number and each of those
fields with reason ``lease_lost`` or ``number_taken``.

Secret documents keep metadata only (docs/decisions/0009): an attachment created for (or moved
to) a document of the commune that is secret, as the batch has left it so far, is rejected
(``secret_metadata_only``). A document with attachments may still be made secret: the
classification applies, and the clients drop the files (docs/correspondence.md).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa

from server import leases, schema
from server.db import reading, write_together
from server.driver_sql import (
    driver,
    insert_rows,
    keys,
    one_of,
    rows,
    run_many,
    send,
    send_unique,
    together,
)
from server.records import merge, record_types, to_json

EPOCH_SETTING = "epoch"
NUMBER_GROUP = {
    "incoming_document": ("lease_epoch", "numbered_by"),
    "outgoing_document": ("lease_epoch", "numbered_by", "symbol", "issued_at", "status"),
}
"""The fields that only make sense with a document's number: refused with it (besides the
year, and the series of an already numbered document)."""
DOCUMENT_TYPES = ("incoming_document", "outgoing_document")


_c, _r, _codes, _n = schema.communes, schema.records, schema.dossier_codes, schema.register_numbers
_o, _d = schema.op_results, schema.devices
_p = sa.bindparam
# A batch's statements, built once and run on the driver's cursor (server/driver_sql.py).
_LAST_REV = sa.select(_c.c.last_rev).where(_c.c.code == _p("commune")).with_for_update()
_SET_LAST_REV = _c.update().where(_c.c.code == _p("commune")).values(last_rev=_p("new_rev"))
_UPDATE_RECORDS = _r.update().where(_r.c.commune_code == _p("k_commune"),
                                    _r.c.type == _p("k_type"), _r.c.id == _p("k_id"))
_DELETE_CODES = _codes.delete().where(_codes.c.commune_code == _p("commune"),
                                      one_of(_codes.c.record_id, "ids"))
_DELETE_NUMBERS = _n.delete().where(_n.c.commune_code == _p("commune"), _n.c.kind == _p("kind"),
                                    one_of(_n.c.record_id, "ids"))
_MARK = (_d.update().where(_d.c.id == _p("device"))
         .values(applied_through=sa.case((_d.c.applied_through < _p("top"), _p("top")),
                                         else_=_d.c.applied_through))
         .returning(_d.c.applied_through))


def lock_commune(connection: sa.Connection, commune: str) -> int:
    """Take the commune's row lock (PostgreSQL; on SQLite ``engine.begin()`` is
    ``BEGIN IMMEDIATE``: one writer) before anything is read, so that the batch's duplicate
    check and merges see every earlier commit and two batches of one commune never interleave
    (no lost update, no double insert of an answer); the commune's last revision. A push
    batch sends the same statement ahead of its reads (``_Batch``)."""
    [(last_rev,)] = rows(*driver(connection), _LAST_REV, {"commune": commune})
    return last_rev


@cache
def _dossier_code_pattern() -> re.Pattern[str]:
    return re.compile(record_types()["dossier"].schema["properties"]["code"]["pattern"])


def _is_dossier_code(code: Any) -> bool:
    """Whether ``code`` has the shape the dossier schema gives codes (short, no NUL: it is
    a key of the ``dossier_codes`` table)."""
    return isinstance(code, str) and _dossier_code_pattern().search(code) is not None


@dataclass
class _Stored:
    """One record as the batch has left it so far."""

    rev: int
    body: dict[str, Any] | None  # None: not stored
    field_revs: dict[str, int]
    field_writers: dict[str, str]
    in_database: bool  # there is a row to update (else one to insert)
    changed: bool = False
    code_changed: bool = False


class _Batch:
    """One batch's reads, made up front (every record, dossier code and answer it can touch,
    one query each), the state its operations leave in memory, and its writes, made at the end
    (``executemany``). Operations are applied in order against that state, so the answers are
    those of applying them one by one."""

    def __init__(self, connection: sa.Connection, commune: str, device_id: str,
                 ops: list[dict[str, Any]]) -> None:
        self.connection, self.commune, self.device_id = connection, commune, device_id
        db = self.db = driver(connection)
        types = record_types()
        wanted = {(op["type"], op["id"]) for op in ops if op["type"] in types}
        # The documents the batch's attachments name (either kind: the record says no more),
        # read with them to refuse a secret one's attachment (``_secret_parent``).
        wanted |= {(document_type, op["fields"]["document_id"]) for op in ops
                   if op["type"] == "attachment"
                   and isinstance(op["fields"].get("document_id"), str)
                   for document_type in DOCUMENT_TYPES}
        looked_up = keys(op["fields"]["code"] for op in ops if op["type"] == "dossier"
                         and _is_dossier_code(op["fields"].get("code")))
        # Register numbers: what each document of the batch holds now; owners of numbers and
        # the leases are read when an operation first needs them.
        documents = {(leases.REGISTERS[op["type"]][0], op["id"]) for op in ops
                     if op["type"] in leases.REGISTERS}
        # The lock first (``lock_commune``), then every read, sent together (one round trip
        # on PostgreSQL): the reads run once the lock is granted, so they see every commit
        # before it.
        with together(*db):
            lock = send(*db, _LAST_REV, {"commune": commune})
            found_records = send_unique(
                *db, _r, ("type", "id", "rev", "body", "field_revs", "field_writers",
                          "sole_writer"), ("type", "id"), commune, wanted)
            found_codes = send_unique(*db, _codes, ("code", "record_id"), ("code",), commune,
                                      ((code,) for code in looked_up))
            found_numbers = send_unique(
                *db, _n, ("kind", "record_id", "register_year", "series", "number"),
                ("kind", "record_id"), commune, documents)
            found_answers = send_unique(*db, _o, ("op_id", "answer"), ("op_id",), commune,
                                        ((op["op_id"],) for op in ops))
        [(self.last_rev,)] = lock.fetch()
        self.first_rev = self.last_rev
        self.records: dict[tuple[str, str], _Stored] = {}
        for kind, record_id, rev, body, field_revs, field_writers, sole in found_records.fetch():
            revs = json.loads(field_revs)
            self.records[(kind, record_id)] = _Stored(
                rev, json.loads(body), revs, _writers(revs, json.loads(field_writers), sole),
                in_database=True)
        self.code_owner: dict[str, str | None] = dict.fromkeys(looked_up)
        self.code_owner.update(found_codes.fetch())
        self.registered: dict[tuple[str, str], tuple[int, str, int] | None] = dict.fromkeys(
            sorted(documents))
        self.number_owner: dict[tuple[str, int, str, int], str | None] = {}
        self.numbers_moved: set[tuple[str, str]] = set()
        self._holders: dict[tuple[str, str], tuple[str | None, int]] | None = None
        for kind, record_id, year, series, number in found_numbers.fetch():
            self.registered[(kind, record_id)] = (year, series, number)
            self.number_owner[(kind, year, series, number)] = record_id
        # The documents whose rows ``register_numbers`` holds now (the others have none to
        # delete when their number moves).
        self.numbered_in_database = {document for document, held in self.registered.items()
                                     if held is not None}
        # The first answers of the batch's operations that were applied before (a retry).
        self.known_answers: dict[str, dict[str, Any]] = {
            op_id: json.loads(answer) for op_id, answer in found_answers.fetch()}

    def stored(self, op: dict[str, Any]) -> _Stored:
        key = (op["type"], op["id"])
        state = self.records.get(key)
        if state is None:
            state = self.records[key] = _Stored(0, None, {}, {}, in_database=False)
        return state

    def apply(self, op: dict[str, Any]) -> dict[str, Any]:
        """One operation's answer (the caller stores it)."""
        kind = record_types().get(op["type"])
        if kind is None:
            return {"status": "rejected", "code": "unknown_type", "reason": op["type"]}
        state = self.stored(op)
        stored = state.body
        result = merge(kind, stored, state.field_revs, state.field_writers, self.device_id,
                       op["base_rev"], op["fields"])
        if result.error:
            return {"status": "rejected", "code": result.error[0], "reason": result.error[1]}
        if (op["type"] == "attachment" and "document_id" in result.applied
                and not result.record.get("deleted")):
            secrecy = self._secret_parent(result.record["document_id"])
            if secrecy is not None:
                return {"status": "rejected", "code": "secret_metadata_only",
                        "reason": f"document_id: the document is secret ({secrecy}); a secret "
                                  "document keeps metadata only, no attachment"}
        dossier_code = op["type"] == "dossier" and "code" in result.applied
        if dossier_code and not _is_dossier_code(result.record["code"]):
            # Only a tombstone skips the schema; its code still goes to the codes table.
            return {"status": "rejected", "code": "invalid_record",
                    "reason": "code: not a dossier code"}
        if dossier_code:
            owner = self.code_owner[result.record["code"]]
            if owner is not None and owner != op["id"]:
                result.applied.remove("code")
                result.conflicts["code"] = (stored or {}).get("code")
                if stored is None:  # a new dossier cannot exist without its code
                    return {"status": "conflict", "rev": 0, "fields": {"code": None},
                            "reason": "code_taken"}
                result.record["code"] = stored["code"]
                dossier_code = False
        reason = None
        if op["type"] in leases.REGISTERS and not result.record.get("deleted"):
            refusal, reason = self._check_number(op, stored, result)
            if refusal is not None:
                return refusal
            if stored is None and not result.applied:
                return {"status": "conflict", "rev": 0, "fields": result.conflicts,
                        "reason": reason}
        if not result.applied:
            rev = state.rev
        else:
            self.last_rev += 1
            rev = self.last_rev
            for path in result.applied:
                result.field_revs[path] = rev
                result.field_writers[path] = self.device_id
            state.rev, state.body, state.changed = rev, result.record, True
            state.field_revs, state.field_writers = result.field_revs, result.field_writers
            if dossier_code:
                for code, owner in self.code_owner.items():
                    if owner == op["id"]:
                        self.code_owner[code] = None
                self.code_owner[result.record["code"]] = op["id"]
                state.code_changed = True
        if result.conflicts:
            answer = {"status": "conflict", "rev": rev, "fields": result.conflicts}
            if reason is not None:
                answer["reason"] = reason
            return answer
        return {"status": "applied", "rev": rev}

    def _secret_parent(self, document_id: Any) -> str | None:
        """The secrecy of the commune's document ``document_id`` as the batch has left it so
        far (None: not secret, or no such live document of this commune)."""
        for document_type in DOCUMENT_TYPES:
            state = self.records.get((document_type, document_id))
            body = state.body if state is not None else None
            if body is not None and not body.get("deleted"):
                secrecy = body.get("secrecy") or "none"
                return None if secrecy == "none" else str(secrecy)
        return None

    def holders(self) -> dict[tuple[str, str], tuple[str | None, int]]:
        if self._holders is None:
            self._holders = leases.holders(self.connection, self.commune)
        return self._holders

    def owner(self, key: tuple[str, int, str, int]) -> str | None:
        """The document of the commune holding a register number (kind, year, series, n)."""
        if key not in self.number_owner:
            n = schema.register_numbers
            self.number_owner[key] = self.connection.execute(
                sa.select(n.c.record_id).where(
                    n.c.commune_code == self.commune, n.c.kind == key[0],
                    n.c.register_year == key[1], n.c.series == key[2], n.c.number == key[3])
            ).scalar()
        return self.number_owner[key]

    def _check_number(self, op: dict[str, Any], stored: dict[str, Any] | None,
                      result: Any) -> tuple[dict[str, Any] | None, str | None]:
        """Check an operation that changes a document's register entry (its number, or the
        year or series of a numbered one): (a rejection, None), or (None, the conflict reason
        when the number was refused and the server's kept, else None).

        (a) The device must hold the lease of the series the number lands in (or leaves, when
        the number is cleared), and a number must carry ``numbered_by`` = that device and
        ``lease_epoch`` = the lease's epoch; else ``lease_lost``. (b) No other document of the
        commune may hold the number in that register; else ``number_taken``."""
        kind, field = leases.REGISTERS[op["type"]]
        record = result.record
        touched = {field, "register_year", "series"} & set(result.applied)
        old = self.registered.get((kind, op["id"]))
        number = record.get(field)
        new = None if number is None else (record.get("register_year"), record.get("series"),
                                           number)
        if not touched or new == old:
            return None, None
        if new is not None and new[0] is None:
            return {"status": "rejected", "code": "invalid_record",
                    "reason": f"register_year: a numbered document needs its year ({field})"}, None
        if new is not None and not (type(number) is int and number < 2**31):
            return {"status": "rejected", "code": "invalid_record",
                    "reason": f"{field}: a whole number below 2^31"}, None
        series = (new or old)[1]
        holder, epoch = self.holders().get((kind, series), (None, 0))
        if holder != self.device_id or (new is not None and (
                record.get("numbered_by") != self.device_id
                or record.get("lease_epoch") != epoch)):
            reason = "lease_lost"
        elif new is not None and self.owner((kind, *new)) not in (None, op["id"]):
            reason = "number_taken"
        else:
            if old is not None:
                self.number_owner[(kind, *old)] = None
            if new is not None:
                self.number_owner[(kind, *new)] = op["id"]
            self.registered[(kind, op["id"])] = new
            self.numbers_moved.add((kind, op["id"]))
            return None, None
        # The server keeps its number and every field that goes with it (NUMBER_GROUP; an
        # outgoing year too when it came with the number), each answered as a conflict: a
        # numbered document keeps its entry whole (number, year, series); any other keeps the
        # number it has on the server (a new or revived one: none) and, outgoing, stays a
        # draft without symbol or issue time.
        live = stored if stored is not None and not stored.get("deleted") else None
        group = set(NUMBER_GROUP[op["type"]])
        if live is not None and live.get(field) is not None:
            kept: dict[str, Any] = {}
            group |= {field, "register_year", "series"}
        else:
            kept = {field: None}
            if kind == "outgoing" and field in op["fields"]:
                group.add("register_year")  # an outgoing year is set when issued
        for path in sorted(group & set(result.applied) - set(kept)):
            value = (live or {}).get(path)
            kept[path] = "draft" if path == "status" and value is None else value
        for path, value in kept.items():
            if path in result.applied:
                result.applied.remove(path)
            if stored is None or path in stored or value is not None:
                record[path] = value
            else:
                record.pop(path, None)
            result.conflicts[path] = value
        return None, reason

    def write(self) -> None:
        """The batch's changes: records, dossier codes, the commune's last revision."""
        db, commune = self.db, self.commune
        inserts, updates, moved, recoded = [], [], [], []
        for (kind, record_id), state in self.records.items():
            if not state.changed:
                continue
            sole = _sole(state.field_writers)
            values = {"rev": state.rev, "body": to_json(state.body),
                      "deleted": bool(state.body.get("deleted")),
                      "field_revs": to_json(state.field_revs),
                      "field_writers": _stored_writers(state.field_revs, state.field_writers,
                                                       sole),
                      "sole_writer": sole}
            if state.in_database:
                updates.append({"k_commune": commune, "k_type": kind, "k_id": record_id,
                                **values})
            else:
                inserts.append({"commune_code": commune, "type": kind, "id": record_id,
                                **values})
            if state.code_changed:
                moved.append(record_id)
                if state.in_database:  # a new record has no code row yet
                    recoded.append(record_id)
        run_many(*db, _UPDATE_RECORDS, updates)
        insert_rows(*db, _r, inserts)
        if recoded:
            rows(*db, _DELETE_CODES, {"commune": commune, "ids": keys(recoded)})
        if moved:
            owners = set(moved)
            insert_rows(*db, _codes, [
                {"commune_code": commune, "code": code, "record_id": owner}
                for code, owner in self.code_owner.items() if owner in owners])
        if self.numbers_moved:
            renumbered = self.numbers_moved & self.numbered_in_database
            for kind in sorted({k for k, _id in renumbered}):
                rows(*db, _DELETE_NUMBERS, {"commune": commune, "kind": kind, "ids": keys(
                    i for k, i in renumbered if k == kind)})
            insert_rows(*db, _n, [
                {"commune_code": commune, "kind": kind, "register_year": key[0],
                 "series": key[1], "number": key[2], "record_id": record_id}
                for (kind, record_id) in sorted(self.numbers_moved)
                if (key := self.registered[(kind, record_id)]) is not None])
        if self.last_rev != self.first_rev:
            rows(*db, _SET_LAST_REV, {"commune": commune, "new_rev": self.last_rev})


def apply_ops(engine: sa.Engine, commune: str, device_id: str,
              ops: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Apply the operations of one or more whole frames, in order, in one transaction (the
    answers are those of applying them one by one); (answers, the device's new mark). On
    SQLite the transaction may be shared with other pushes' batches, each in its own
    savepoint (``db.write_together``)."""
    return write_together(engine, lambda connection: _apply(connection, commune, device_id,
                                                            ops))


def _apply(connection: sa.Connection, commune: str, device_id: str,
           ops: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    answers, stored_answers = [], []
    batch = _Batch(connection, commune, device_id, ops)
    known = batch.known_answers
    for op in ops:
        if op["op_id"] in known:
            answers.append({**known[op["op_id"]], "status": "duplicate",
                            "first": known[op["op_id"]]["status"]})
            continue
        answer = {"op_id": op["op_id"], **batch.apply(op)}
        stored_answers.append({"commune_code": commune, "op_id": op["op_id"],
                               "device_id": device_id, "seq": op["seq"],
                               "answer": to_json(answer)})
        known[op["op_id"]] = answer
        answers.append(answer)
    with together(*batch.db):  # the writes, sent together (one round trip on PostgreSQL)
        batch.write()
        insert_rows(*batch.db, _o, stored_answers)
        mark = send(*batch.db, _MARK, {"device": device_id, "top": max(
            (op["seq"] for op in ops), default=0)})
    marks = mark.fetch()
    return answers, (marks[0][0] if marks else None)


def push_mark(engine: sa.Engine, device_id: str) -> int:
    d = schema.devices
    with reading(engine) as connection:
        return connection.execute(sa.select(d.c.applied_through).where(d.c.id == device_id)
                                  ).scalar() or 0


def stored_answers(engine: sa.Engine, commune: str, device_id: str, after: int,
                   through: int) -> list[dict[str, Any]]:
    o = schema.op_results
    with reading(engine) as connection:
        return [json.loads(a) for (a,) in connection.execute(
            sa.select(o.c.answer).where(o.c.commune_code == commune, o.c.device_id == device_id,
                                        o.c.seq > after, o.c.seq <= through)
            .order_by(o.c.seq))]


def _stored_writers(field_revs: dict[str, int], field_writers: dict[str, str],
                    sole: str | None) -> str:
    """``records.field_writers`` as stored: ``{}`` when ``sole`` (the ``sole_writer`` column)
    wrote every field that has a revision, as one device does a record it made alone (most
    records: a dossier's map was half its row, 1.3 KB, and over PostgreSQL's 2 KB TOAST
    threshold with it); else the whole map."""
    if sole is not None and field_writers.keys() == field_revs.keys():
        return "{}"
    return to_json(field_writers)


def _writers(field_revs: dict[str, int], stored: dict[str, str],
             sole: str | None) -> dict[str, str]:
    """Each field's last writer from the stored columns (``_stored_writers``). An empty map
    without a sole writer stays empty: a record stored before schema v2, no writer known."""
    if stored or sole is None:
        return stored
    return dict.fromkeys(field_revs, sole)


def _sole(field_writers: dict[str, str]) -> str | None:
    writers = set(field_writers.values())
    return writers.pop() if len(writers) == 1 else None


def head_columns() -> tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]]:
    """The server's epoch and the caller's commune's newest revision, as columns of the token
    check's query (``auth.caller_statement``; correlated to the caller's device): a pull's first
    step, which is all most pulls need, is one query."""
    c, s, d = schema.communes, schema.settings, schema.devices
    epoch_value = sa.select(s.c.value).where(s.c.key == EPOCH_SETTING).scalar_subquery()
    newest = sa.select(c.c.last_rev).where(c.c.code == d.c.commune_code).scalar_subquery()
    return epoch_value.label("epoch"), newest.label("newest_rev")


def head_of(row: Any) -> tuple[int, int]:
    """(epoch, the commune's newest revision) from a row with ``head_columns``."""
    return int(row.epoch or 1), row.newest_rev


def changes_after(engine: sa.Engine, commune: str, after_rev: int, limit: int,
                  omit_writer: str | None = None) -> tuple[list[dict[str, Any]], int | None]:
    """The changes among the next ``limit`` revisions of the commune after ``after_rev``, in
    order, leaving out records whose every field ``omit_writer`` wrote last; and the last
    revision looked at (None: there is none after ``after_rev``)."""
    with reading(engine) as connection:
        return _changes_after(connection, commune, after_rev, limit, omit_writer)


def _page_statement() -> sa.Select:
    r = schema.records
    return (sa.select(r.c.type, r.c.id, r.c.rev, r.c.deleted, r.c.body, r.c.sole_writer)
            .where(r.c.commune_code == sa.bindparam("commune"),
                   r.c.rev > sa.bindparam("after_rev"))
            .order_by(r.c.rev).limit(sa.bindparam("limit", type_=sa.Integer)))


_PAGE = _page_statement()
"""A pull page's query, built once (every pull runs it, most find nothing)."""


def _changes_after(connection: sa.Connection, commune: str, after_rev: int, limit: int,
                   omit_writer: str | None) -> tuple[list[dict[str, Any]], int | None]:
    rows = connection.execute(_PAGE, {"commune": commune, "after_rev": after_rev,
                                      "limit": limit}).all()
    changes = [{"type": row.type, "id": row.id, "rev": row.rev, "deleted": True} if row.deleted
               else {"type": row.type, "id": row.id, "rev": row.rev,
                     "record": {"id": row.id, **json.loads(row.body)}}
               for row in rows if omit_writer is None or row.sole_writer != omit_writer]
    return changes, (rows[-1].rev if rows else None)

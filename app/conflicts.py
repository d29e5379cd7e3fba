"""Conflicts a person resolves: listing them and choosing a value.

A conflict holds both values of one field (invariant 5). Resolving it writes the chosen value
locally and queues it as a new operation whose ``base_rev`` is the server revision the conflict
was seen at, so it applies (docs/sync-protocol.md §5.2). A dossier whose code another dossier of
the commune already holds (``code_taken``) is resolved by giving it a new code from this
device's slot: the citizen needs a new appointment slip.

Conflicts of the correspondence registers (docs/correspondence.md): a field of a document that
two machines changed is settled the same way (``local``, ``server`` or a value). A **number
conflict** (reason ``lease_lost``: the server refused a number given without the current lease;
``number_taken``: another document of the register holds it) is settled for the whole entry,
never by renumbering silently:

- ``server``: the document gives its number up and becomes unnumbered here (an outgoing one a
  draft again), so the current holder can give it a number; the paper is corrected by hand;
- ``void`` (outgoing only, with a reason): the document is cancelled; its number belonged to
  another document or was refused, so the void entry keeps none;
- ``local``: keep the number, only on the device that holds the register's lease now (the
  number is stamped with the current lease epoch and sent again; the server still refuses it
  if another document holds it).
"""

from __future__ import annotations

import json
from typing import Any

from app import documents as docs
from app import dossier as records
from app import leases
from app import registers as reg
from app.db import transaction
from app.errors import DomainError, InvalidField
from app.store import DOSSIER, Store
from app.sync_local import LocalSyncStore


class UnknownConflict(DomainError):
    code = "unknown_conflict"


class ConflictChoice(DomainError):
    code = "conflict_choice"


def open_conflicts(store: Store) -> list[dict[str, Any]]:
    """Open conflicts, oldest first, with both values decoded and the record's code (a
    dossier's code; a document's symbol or arrival number, or None while it has none).

    ``number_conflict`` marks a document's number conflict and ``choices`` lists the ``take``
    values ``resolve`` accepts for it."""
    rows = store.db.execute(
        "SELECT c.id, c.record_type, c.record_id, d.code, c.field, c.local_value, "
        "c.server_value, c.server_rev, c.reason, c.created_at FROM conflicts c "
        "LEFT JOIN dossiers d ON d.id = c.record_id AND c.record_type = 'dossier' "
        "WHERE c.resolved_at IS NULL ORDER BY c.created_at, c.id").fetchall()
    found = []
    for r in rows:
        conflict = {"id": r[0], "record_type": r[1], "record_id": r[2], "code": r[3],
                    "field": r[4], "local": json.loads(r[5]) if r[5] is not None else None,
                    "server": json.loads(r[6]) if r[6] is not None else None,
                    "server_rev": r[7], "reason": r[8], "created_at": r[9],
                    "number_conflict": False, "choices": ["local", "server", "value"]}
        if r[1] in docs.KIND_OF:
            kind = docs.KIND_OF[r[1]]
            conflict["code"] = _document_code(store, kind, r[2])
            if r[8] in docs.NUMBER_CONFLICT_REASONS:
                conflict["number_conflict"] = True
                conflict["choices"] = ["server", "local"] + (["void"] if kind == reg.OUTGOING
                                                             else [])
        found.append(conflict)
    return found


def _document_code(store: Store, kind: str, document_id: str) -> str | None:
    row = store.db.execute(
        f"SELECT {docs.NUMBER[kind]}, register_year, "  # noqa: S608 - fixed names
        f"{'symbol' if kind == reg.OUTGOING else 'NULL'} FROM {docs.TABLE[kind]} WHERE id = ?",
        [document_id]).fetchone()
    if row is None or row[0] is None:
        return None
    return row[2] or f"{reg.number_text(row[0])}/{row[1]}"


def resolve(store: Store, conflict_id: str, take: str, value: Any = None) -> dict[str, Any]:
    """Resolve with ``take`` = ``local``, ``server`` or ``value`` (then ``value`` is used).

    Returns ``{"record_id", "field", "value", "code"}`` (the dossier's code afterwards)."""
    conflict = next((c for c in open_conflicts(store) if c["id"] == conflict_id), None)
    if conflict is None:
        raise UnknownConflict(conflict_id, conflict=conflict_id)
    if conflict["record_type"] in docs.KIND_OF:
        return _resolve_document(store, conflict, take, value)
    if conflict["record_type"] != DOSSIER:
        raise ConflictChoice("only dossier conflicts are resolved here",
                             record_type=conflict["record_type"])
    if take not in ("local", "server", "value"):
        raise ConflictChoice(f"take local, server or a value, not {take}", take=take)
    local = LocalSyncStore(store)
    with transaction(store.db):
        row = store.resolve(conflict["record_id"])
        now = records.utc_text(store.clock.now())
        if conflict["reason"] == "code_taken":
            chosen = _new_code(store, row, conflict)
            fields, base_rev = None, 0  # created again, with its new code
        else:
            chosen = {"local": conflict["local"], "server": conflict["server"],
                      "value": value}[take]
            flat = records.flatten_fields(store.record(row["id"]))
            if conflict["field"] not in flat:
                raise ConflictChoice(f"{conflict['field']} is not a dossier field",
                                     field=conflict["field"])
            flat[conflict["field"]] = chosen
            local.write_dossier(row["id"], flat, row["rev"], row["_rowid"], "pending")
            fields, base_rev = [conflict["field"]], conflict["server_rev"]
        store.db.execute("UPDATE conflicts SET resolved_at = ? WHERE id = ?", [now, conflict_id])
        changes = store.changes()
        changes.enqueue(DOSSIER, row["id"], base_rev, fields)
        changes.write(store.db, store.notices)
        store.notify("conflict", [conflict_id])
        still_open = store.db.execute(
            "SELECT 1 FROM conflicts WHERE record_type = ? AND record_id = ? AND resolved_at "
            "IS NULL LIMIT 1", [DOSSIER, row["id"]]).fetchone()
        store.db.execute("UPDATE dossiers SET sync_state = ?, sync_reason = NULL WHERE id = ?",
                         ["conflict" if still_open else "pending", row["id"]])
    code = store.db.execute("SELECT code FROM dossiers WHERE id = ?", [row["id"]]).fetchone()[0]
    return {"record_id": row["id"], "field": conflict["field"], "value": chosen, "code": code}


def _new_code(store: Store, row: dict[str, Any], conflict: dict[str, Any]) -> str:
    """The dossier's code after a ``code_taken`` conflict: a new one from this device's slot,
    unless a pull already gave it one."""
    if row["code"] != conflict["local"]:
        return row["code"]
    return store.renumber(row["id"])


# ---------------------------------------------------------------------- documents


def _resolve_document(store: Store, conflict: dict[str, Any], take: str,
                      value: Any) -> dict[str, Any]:
    """A document's conflict: ``local``, ``server`` or ``value`` for a field; for a number
    conflict ``server``, ``void`` (outgoing; ``value`` is the reason) or ``local`` (only on
    the lease holder). Writes the document, an event for a number, the operation carrying it
    from the revision the conflict was seen at, and closes the conflict(s), in one
    transaction. Returns ``{"record_id", "field", "value", "code"}``."""
    kind = docs.KIND_OF[conflict["record_type"]]
    record_type = conflict["record_type"]
    if take not in conflict["choices"]:
        raise ConflictChoice(f"take {', '.join(conflict['choices'])}, not {take}", take=take)
    now = records.utc_text(store.clock.now())
    with transaction(store.db):
        _kind, row = docs.resolve(store, conflict["record_id"], kind)
        fields = docs.record_fields(store.db, record_type, [row["id"]])[row["id"]]
        if conflict["number_conflict"]:
            group = [c for c in open_conflicts(store)
                     if c["record_id"] == row["id"] and c["number_conflict"]]
            names, event = _settle_number(store, kind, row, fields, group, take, value)
            closed = [c["id"] for c in group]
        else:
            if conflict["field"] not in docs.FIELDS[kind]:
                raise ConflictChoice(f"{conflict['field']} is not a document field",
                                     field=conflict["field"])
            fields[conflict["field"]] = {"local": conflict["local"],
                                         "server": conflict["server"], "value": value}[take]
            if conflict["field"] == "secrecy" and take != "server":
                # A person's own choice: refused while the document has attachments here.
                docs.refuse_secret_with_attachments(store, row, fields["secrecy"])
            names, event, group, closed = [conflict["field"]], None, [conflict], [conflict["id"]]
        base_rev = max([c["server_rev"] for c in group] + [row["rev"]])
        docs.write_row(store, kind, row["id"], fields, rev=row["rev"], state="pending",
                       rowid=row["_rowid"])
        docs.drop_secret_files(store, [row["id"]])  # the server's secrecy: metadata only
        store.db.conn.executemany("UPDATE conflicts SET resolved_at = ? WHERE id = ?",
                                  [(now, conflict_id) for conflict_id in closed])
        changes = store.changes()
        changes.enqueue(record_type, row["id"], base_rev, sorted(set(names)))
        if event is not None:
            docs.record_event(store, changes, kind, row["id"], *event)
        changes.write(store.db, store.notices)
        still_open = store.db.execute(
            "SELECT 1 FROM conflicts WHERE record_type = ? AND record_id = ? AND resolved_at "
            "IS NULL LIMIT 1", [record_type, row["id"]]).fetchone()
        store.db.execute(
            f"UPDATE {docs.TABLE[kind]} SET sync_state = ?, sync_reason = NULL "  # noqa: S608
            "WHERE id = ?", ["conflict" if still_open else "pending", row["id"]])
        store.notify("conflict", closed)
        store.notify(record_type, [row["id"]])
    chosen = fields.get(conflict["field"])
    return {"record_id": row["id"], "field": conflict["field"], "value": chosen,
            "code": _document_code(store, kind, row["id"])}


def _settle_number(store: Store, kind: str, row: dict[str, Any], fields: dict[str, Any],
                   group: list[dict[str, Any]], take: str, value: Any
                   ) -> tuple[list[str], tuple[str, str]]:
    """Change ``fields`` as the choice on a number conflict says; (the fields to send, the
    event (kind, note) to record)."""
    number_field = docs.NUMBER[kind]
    given = next((c["local"] for c in group if c["field"] == number_field), None)
    given = given if given is not None else row[number_field]
    names = list(docs.NUMBER_FIELDS[kind]) + [c["field"] for c in group
                                              if c["field"] in docs.FIELDS[kind]]
    was = reg.number_text(given) if isinstance(given, int) else ""
    if kind == reg.OUTGOING and isinstance(given, int):
        was = reg.symbol(given, fields["doc_type"], fields["issuer"], fields["drafting_unit"])
    if take == "local":
        lease = leases.holder_of(store, kind, fields["series"])
        if not lease.mine:
            raise ConflictChoice("only the device holding the register's lease keeps a number",
                                 take=take, holder=lease.holder_device_name)
        if not isinstance(given, int):
            raise ConflictChoice("there is no number to keep", take=take)
        taken = store.db.execute(
            f"SELECT 1 FROM {docs.TABLE[kind]} WHERE register_year = ? AND series = ? "  # noqa: S608
            f"AND {number_field} = ? AND id != ?",
            [fields["register_year"], fields["series"], given, row["id"]]).fetchone()
        if taken:
            raise ConflictChoice(f"number {given} belongs to another document here", take=take)
        fields.update({number_field: given, "lease_epoch": lease.epoch,
                       "numbered_by": leases.this_device(store)})
        if kind == reg.OUTGOING:
            fields["symbol"] = reg.symbol(given, fields["doc_type"], fields["issuer"],
                                          fields["drafting_unit"])
        return names, ("number_kept", was)
    fields.update({number_field: None, "lease_epoch": None, "numbered_by": None})
    for conflict in group:  # the server's year or series, where it kept its own
        if conflict["field"] in ("register_year", "series") and conflict["server"] is not None:
            fields[conflict["field"]] = conflict["server"]
    if kind == reg.INCOMING:
        return names, ("unnumbered", was)
    fields.update(symbol=None)
    if take == "void":
        reason = docs.clean_text(value, "void_reason")
        if not reason:
            raise InvalidField("void_reason: required", field="void_reason")
        fields.update(status="void", void_reason=reason)
        return names + ["void_reason"], ("voided", f"{was}\n{reason}")
    fields.update(status="draft", issued_at=None)
    return names, ("unnumbered", was)

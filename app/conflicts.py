"""Conflicts a person resolves: listing them and choosing a value.

A conflict holds both values of one field (invariant 5). Resolving it writes the chosen value
locally and queues it as a new operation whose ``base_rev`` is the server revision the conflict
was seen at, so it applies (docs/sync-protocol.md §5.2). A dossier whose code another dossier of
the commune already holds (``code_taken``) is resolved by giving it a new code from this
device's slot: the citizen needs a new appointment slip.
"""

from __future__ import annotations

import json
from typing import Any

from app import dossier as records
from app.db import transaction
from app.errors import DomainError
from app.store import DOSSIER, Store
from app.sync_local import LocalSyncStore


class UnknownConflict(DomainError):
    code = "unknown_conflict"


class ConflictChoice(DomainError):
    code = "conflict_choice"


def open_conflicts(store: Store) -> list[dict[str, Any]]:
    """Open conflicts, oldest first, with both values decoded and the dossier's code."""
    rows = store.db.execute(
        "SELECT c.id, c.record_type, c.record_id, d.code, c.field, c.local_value, "
        "c.server_value, c.server_rev, c.reason, c.created_at FROM conflicts c "
        "LEFT JOIN dossiers d ON d.id = c.record_id AND c.record_type = 'dossier' "
        "WHERE c.resolved_at IS NULL ORDER BY c.created_at, c.id").fetchall()
    return [{"id": r[0], "record_type": r[1], "record_id": r[2], "code": r[3], "field": r[4],
             "local": json.loads(r[5]) if r[5] is not None else None,
             "server": json.loads(r[6]) if r[6] is not None else None,
             "server_rev": r[7], "reason": r[8], "created_at": r[9]} for r in rows]


def resolve(store: Store, conflict_id: str, take: str, value: Any = None) -> dict[str, Any]:
    """Resolve with ``take`` = ``local``, ``server`` or ``value`` (then ``value`` is used).

    Returns ``{"record_id", "field", "value", "code"}`` (the dossier's code afterwards)."""
    conflict = next((c for c in open_conflicts(store) if c["id"] == conflict_id), None)
    if conflict is None:
        raise UnknownConflict(conflict_id, conflict=conflict_id)
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

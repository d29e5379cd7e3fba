"""The server side of push and pull (docs/sync-protocol.md §5): operations applied at most once
per commune, per-commune revisions taken under a lock, pages of changes by revision.

Every statement filters on the caller's commune (invariant 6). One call of ``apply_frame`` is
one transaction: a frame is applied whole or not at all. Revisions come from the commune's
``last_rev``, bumped with ``UPDATE … RETURNING``; the row lock it takes (PostgreSQL) or the
single writer (SQLite) serialises the commune's writers, so revision order is commit order and
no cursor can skip a late commit.
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa

from server import schema
from server.records import merge, record_types

EPOCH_SETTING = "epoch"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _lock_commune(connection: sa.Connection, commune: str) -> None:
    """Take the commune's row lock (PostgreSQL; SQLite has one writer anyway) before anything
    is read, so that the frame's duplicate check and merges see every earlier commit and two
    frames of one commune never interleave (no lost update, no double insert of an answer)."""
    c = schema.communes
    connection.execute(sa.select(c.c.last_rev).where(c.c.code == commune).with_for_update())


def _next_rev(connection: sa.Connection, commune: str) -> int:
    c = schema.communes
    return connection.execute(c.update().where(c.c.code == commune)
                              .values(last_rev=c.c.last_rev + 1).returning(c.c.last_rev)).scalar()


def _is_dossier_code(code: Any) -> bool:
    """Whether ``code`` has the shape the dossier schema gives codes (short, no NUL: it is
    a key of the ``dossier_codes`` table)."""
    pattern = record_types()["dossier"].schema["properties"]["code"]["pattern"]
    return isinstance(code, str) and re.search(pattern, code) is not None


def _apply(connection: sa.Connection, commune: str, device_id: str,
           op: dict[str, Any]) -> dict[str, Any]:
    """One operation's answer (the caller stores it)."""
    kind = record_types().get(op["type"])
    if kind is None:
        return {"status": "rejected", "code": "unknown_type", "reason": op["type"]}
    r = schema.records
    where = (r.c.commune_code == commune, r.c.type == op["type"], r.c.id == op["id"])
    row = connection.execute(sa.select(r.c.rev, r.c.body, r.c.field_revs, r.c.field_writers)
                             .where(*where)).first()
    stored = json.loads(row.body) if row else None
    field_revs = json.loads(row.field_revs) if row else {}
    field_writers = json.loads(row.field_writers) if row else {}
    result = merge(kind, stored, field_revs, field_writers, device_id, op["base_rev"],
                   op["fields"])
    if result.error:
        return {"status": "rejected", "code": result.error[0], "reason": result.error[1]}
    if (op["type"] == "dossier" and "code" in result.applied
            and not _is_dossier_code(result.record["code"])):
        # Only a tombstone skips the schema; its code still goes to the codes table.
        return {"status": "rejected", "code": "invalid_record",
                "reason": "code: not a dossier code"}
    if op["type"] == "dossier" and "code" in result.applied:
        codes = schema.dossier_codes
        owner = connection.execute(sa.select(codes.c.record_id).where(
            codes.c.commune_code == commune, codes.c.code == result.record["code"])).scalar()
        if owner is not None and owner != op["id"]:
            result.applied.remove("code")
            result.conflicts["code"] = (stored or {}).get("code")
            if stored is None:  # a new dossier cannot exist without its code
                return {"status": "conflict", "rev": 0, "fields": {"code": None},
                        "reason": "code_taken"}
            result.record["code"] = stored["code"]
    if not result.applied:
        rev = row.rev if row else 0
    else:
        rev = _next_rev(connection, commune)
        for path in result.applied:
            result.field_revs[path] = rev
            result.field_writers[path] = device_id
        values = {"rev": rev, "body": _dumps(result.record), "deleted":
                  bool(result.record.get("deleted")), "field_revs": _dumps(result.field_revs),
                  "field_writers": _dumps(result.field_writers),
                  "sole_writer": _sole(result.field_writers)}
        if row:
            connection.execute(r.update().where(*where).values(**values))
        else:
            connection.execute(r.insert().values(commune_code=commune, type=op["type"],
                                                 id=op["id"], **values))
        if op["type"] == "dossier" and "code" in result.applied:
            codes = schema.dossier_codes
            connection.execute(codes.delete().where(codes.c.commune_code == commune,
                                                    codes.c.record_id == op["id"]))
            connection.execute(codes.insert().values(commune_code=commune,
                                                     code=result.record["code"],
                                                     record_id=op["id"]))
    if result.conflicts:
        return {"status": "conflict", "rev": rev, "fields": result.conflicts}
    return {"status": "applied", "rev": rev}


def apply_frame(engine: sa.Engine, commune: str, device_id: str,
                ops: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Apply one frame's operations in one transaction; (answers, the device's new mark)."""
    o, d = schema.op_results, schema.devices
    answers = []
    with engine.begin() as connection:
        _lock_commune(connection, commune)
        known = {row.op_id: json.loads(row.answer) for row in connection.execute(
            sa.select(o.c.op_id, o.c.answer).where(
                o.c.commune_code == commune, o.c.op_id.in_([op["op_id"] for op in ops])))}
        for op in ops:
            if op["op_id"] in known:
                answers.append({**known[op["op_id"]], "status": "duplicate",
                                "first": known[op["op_id"]]["status"]})
                continue
            answer = {"op_id": op["op_id"], **_apply(connection, commune, device_id, op)}
            connection.execute(o.insert().values(commune_code=commune, op_id=op["op_id"],
                                                 device_id=device_id, seq=op["seq"],
                                                 answer=_dumps(answer)))
            known[op["op_id"]] = answer
            answers.append(answer)
        top = max((op["seq"] for op in ops), default=0)
        connection.execute(d.update().where(d.c.id == device_id, d.c.applied_through < top)
                           .values(applied_through=top))
        mark = connection.execute(sa.select(d.c.applied_through).where(d.c.id == device_id)
                                  ).scalar()
    return answers, mark


def push_mark(engine: sa.Engine, device_id: str) -> int:
    d = schema.devices
    with engine.connect() as connection:
        return connection.execute(sa.select(d.c.applied_through).where(d.c.id == device_id)
                                  ).scalar() or 0


def stored_answers(engine: sa.Engine, commune: str, device_id: str, after: int,
                   through: int) -> list[dict[str, Any]]:
    o = schema.op_results
    with engine.connect() as connection:
        return [json.loads(a) for (a,) in connection.execute(
            sa.select(o.c.answer).where(o.c.commune_code == commune, o.c.device_id == device_id,
                                        o.c.seq > after, o.c.seq <= through)
            .order_by(o.c.seq))]


def epoch(engine: sa.Engine) -> int:
    from server.admin import get_setting

    with engine.connect() as connection:
        return int(get_setting(connection, EPOCH_SETTING, "1"))


def _sole(field_writers: dict[str, str]) -> str | None:
    writers = set(field_writers.values())
    return writers.pop() if len(writers) == 1 else None


def changes_after(engine: sa.Engine, commune: str, after_rev: int, limit: int,
                  omit_writer: str | None = None) -> tuple[list[dict[str, Any]], int | None]:
    """The changes among the next ``limit`` revisions of the commune after ``after_rev``, in
    order, leaving out records whose every field ``omit_writer`` wrote last; and the last
    revision looked at (None: there is none after ``after_rev``)."""
    r = schema.records
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(r.c.type, r.c.id, r.c.rev, r.c.deleted, r.c.body, r.c.sole_writer)
            .where(r.c.commune_code == commune, r.c.rev > after_rev)
            .order_by(r.c.rev).limit(limit)).all()
    changes = [{"type": row.type, "id": row.id, "rev": row.rev, "deleted": True} if row.deleted
               else {"type": row.type, "id": row.id, "rev": row.rev,
                     "record": {"id": row.id, **json.loads(row.body)}}
               for row in rows if omit_writer is None or row.sole_writer != omit_writer]
    return changes, (rows[-1].rev if rows else None)

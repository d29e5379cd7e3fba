"""Register leases on the server (docs/decisions/0009, docs/sync-protocol.md §7.1): who may give
the numbers of each (commune, kind, series), the log of every move, and the numbers each
register holds.

A lease never expires. It moves by ``acquire`` (free, or already the caller's), ``release``
(by its holder) and ``transfer`` (forced, by a commune ``admin`` or the server's command line).
Every acquire and transfer raises its ``epoch``; numbered documents carry the epoch they were
numbered under, and a push is checked against the lease as it stands (server/sync_store.py).
Every change takes the commune's row lock first (``sync_store.lock_commune``), as a push frame
does, so a move and a push of the same commune never interleave.

Functions take a connection or an engine and return plain data; refusals are ``LeaseError``
with an HTTP status, a code and, when someone else holds the lease, who.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from server import schema
from server.db import reading

KINDS = ("incoming", "outgoing")
SERIES = ("ordinary", "secret")
ACQUIRE_ROLES = frozenset({"clerk", "admin", "leader"})  # văn thư keeps the registers
TRANSFER_ROLES = frozenset({"admin"})
LOG_ROLES = frozenset({"admin", "leader"})
CLI_ACTOR = "server-cli"  # the actor of a transfer made with ``communedesk-server lease``

REGISTERS = {"incoming_document": ("incoming", "arrival_number"),
             "outgoing_document": ("outgoing", "number")}
"""Record type -> (the register kind, the field holding its number)."""


class LeaseError(Exception):
    """A refused lease call: its HTTP status, code, message and (409) the holder."""

    def __init__(self, status: int, code: str, message: str,
                 holder: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.holder = status, code, message, holder


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for aware columns: they are UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _iso(moment: datetime | None) -> str | None:
    moment = _aware(moment)
    return None if moment is None else moment.isoformat(timespec="milliseconds")


def _check_pair(kind: str, series: str) -> None:
    if kind not in KINDS or series not in SERIES:
        raise LeaseError(404, "not_found", "no such register")


def last_numbers(connection: sa.Connection, commune: str) -> dict[tuple[str, str], dict[str, int]]:
    """(kind, series) -> {"<year>": the highest number the commune's register holds}."""
    n = schema.register_numbers
    found: dict[tuple[str, str], dict[str, int]] = {}
    for kind, series, year, top in connection.execute(
            sa.select(n.c.kind, n.c.series, n.c.register_year, sa.func.max(n.c.number))
            .where(n.c.commune_code == commune)
            .group_by(n.c.kind, n.c.series, n.c.register_year)
            .order_by(n.c.register_year)):
        found.setdefault((kind, series), {})[str(year)] = int(top)
    return found


def list_leases(connection: sa.Connection, commune: str) -> list[dict[str, Any]]:
    """Every (kind, series) of the commune, free ones included (holder null, epoch 0 when
    never held), with the holder's device and user and the register's last numbers."""
    lease, d, u = schema.register_leases, schema.devices, schema.users
    rows = {(row.kind, row.series): row for row in connection.execute(
        sa.select(lease.c.kind, lease.c.series, lease.c.holder_device_id, lease.c.epoch,
                  lease.c.since, d.c.name, d.c.revoked, u.c.username, u.c.display_name)
        .select_from(lease.outerjoin(d, d.c.id == lease.c.holder_device_id)
                     .outerjoin(u, u.c.id == d.c.user_id))
        .where(lease.c.commune_code == commune))}
    numbers = last_numbers(connection, commune)
    answer = []
    for kind in KINDS:
        for series in SERIES:
            row = rows.get((kind, series))
            holder = row.holder_device_id if row is not None else None
            answer.append({
                "kind": kind, "series": series, "holder_device_id": holder,
                "holder_device_name": row.name if holder else None,
                "holder_user": row.username if holder else None,
                "holder_display_name": row.display_name if holder else None,
                "holder_revoked": bool(row.revoked) if holder else False,
                "epoch": row.epoch if row is not None else 0,
                "since": _iso(row.since) if row is not None else None,
                "last_numbers": numbers.get((kind, series), {}),
            })
    return answer


def _lease(connection: sa.Connection, commune: str, kind: str, series: str) -> dict[str, Any]:
    return next(lease for lease in list_leases(connection, commune)
                if (lease["kind"], lease["series"]) == (kind, series))


def _holder(lease: dict[str, Any]) -> dict[str, Any]:
    return {"device_id": lease["holder_device_id"], "device_name": lease["holder_device_name"],
            "user": lease["holder_user"], "display_name": lease["holder_display_name"],
            "since": lease["since"]}


def _held_message(lease: dict[str, Any]) -> str:
    who = lease["holder_display_name"] or lease["holder_user"]
    return (f"the {lease['kind']} {lease['series']} register is held by "
            f"{lease['holder_device_name']} ({who})")


def _lock(connection: sa.Connection, commune: str) -> None:
    from server.sync_store import lock_commune

    lock_commune(connection, commune)


def _move(connection: sa.Connection, commune: str, kind: str, series: str, *,
          action: str, holder: str | None, from_device: str | None, actor: str,
          raise_epoch: bool, forced: bool, now: datetime) -> None:
    """Write the lease's new holder (and epoch) and log the move; the caller holds the lock."""
    lease = schema.register_leases
    where = (lease.c.commune_code == commune, lease.c.kind == kind, lease.c.series == series)
    exists = connection.execute(sa.select(lease.c.epoch).where(*where)).first()
    if exists is None:
        connection.execute(lease.insert().values(
            commune_code=commune, kind=kind, series=series, holder_device_id=holder,
            epoch=1 if raise_epoch else 0, since=now))
    else:
        connection.execute(lease.update().where(*where).values(
            holder_device_id=holder, since=now,
            epoch=lease.c.epoch + 1 if raise_epoch else lease.c.epoch))
    entry = schema.lease_log
    seq = connection.execute(sa.select(sa.func.coalesce(sa.func.max(entry.c.seq), 0) + 1)
                             .where(entry.c.commune_code == commune)).scalar_one()
    connection.execute(entry.insert().values(
        commune_code=commune, seq=seq, kind=kind, series=series, action=action,
        from_device=from_device, to_device=holder, actor=actor[:64], at=now, forced=forced))


def acquire(engine: sa.Engine, commune: str, device_id: str, username: str, role: str,
            kind: str, series: str) -> dict[str, Any]:
    """The caller's device becomes the holder of a free lease (epoch + 1, logged); a lease it
    already holds is answered as it is. 409 ``lease_held`` when another device holds it."""
    _check_pair(kind, series)
    if role not in ACQUIRE_ROLES:
        raise LeaseError(403, "role_forbidden", "only a clerk, a leader or an admin keeps "
                                                "a register")
    with engine.begin() as connection:
        _lock(connection, commune)
        lease = _lease(connection, commune, kind, series)
        if lease["holder_device_id"] == device_id:
            return lease
        if lease["holder_device_id"] is not None:
            raise LeaseError(409, "lease_held", _held_message(lease), _holder(lease))
        _move(connection, commune, kind, series, action="acquire", holder=device_id,
              from_device=None, actor=username, raise_epoch=True, forced=False,
              now=datetime.now(UTC))
        return _lease(connection, commune, kind, series)


def release(engine: sa.Engine, commune: str, device_id: str, username: str,
            kind: str, series: str) -> dict[str, Any]:
    """The holder gives the lease back (logged; the epoch stays, the next acquire raises it);
    a free lease is answered as it is. 409 ``not_holder`` when another device holds it."""
    _check_pair(kind, series)
    with engine.begin() as connection:
        _lock(connection, commune)
        lease = _lease(connection, commune, kind, series)
        if lease["holder_device_id"] is None:
            return lease
        if lease["holder_device_id"] != device_id:
            raise LeaseError(409, "not_holder", _held_message(lease), _holder(lease))
        _move(connection, commune, kind, series, action="release", holder=None,
              from_device=device_id, actor=username, raise_epoch=False, forced=False,
              now=datetime.now(UTC))
        return _lease(connection, commune, kind, series)


def transfer(engine: sa.Engine, commune: str, actor: str, kind: str, series: str,
             to_device: str) -> dict[str, Any]:
    """A forced transfer to a device of the commune (epoch + 1, logged as forced), whoever
    holds the lease, even offline: numbers the old holder gives afterwards come back as
    conflicts. 404 for a device that is not the commune's; 409 ``target_revoked`` for a
    revoked one. A transfer to the holder itself changes nothing."""
    _check_pair(kind, series)
    d = schema.devices
    with engine.begin() as connection:
        _lock(connection, commune)
        target = connection.execute(sa.select(d.c.revoked).where(
            d.c.id == to_device, d.c.commune_code == commune)).first()
        if target is None:
            raise LeaseError(404, "not_found", "no such device in this commune")
        if target.revoked:
            raise LeaseError(409, "target_revoked", "that device has been revoked")
        lease = _lease(connection, commune, kind, series)
        if lease["holder_device_id"] == to_device:
            return lease
        _move(connection, commune, kind, series, action="transfer", holder=to_device,
              from_device=lease["holder_device_id"], actor=actor, raise_epoch=True,
              forced=True, now=datetime.now(UTC))
        return _lease(connection, commune, kind, series)


def log(engine: sa.Engine, commune: str, *, before: int | None = None,
        limit: int = 100) -> list[dict[str, Any]]:
    """The commune's lease moves, newest first: ``limit`` entries with ids below ``before``.
    An entry's id is its number within the commune (1, 2, …), never the global row id."""
    entry, d = schema.lease_log, schema.devices
    source, target = d.alias("source"), d.alias("target")
    query = (sa.select(entry.c.seq, entry.c.kind, entry.c.series, entry.c.action,
                       entry.c.from_device, source.c.name.label("from_name"),
                       entry.c.to_device, target.c.name.label("to_name"), entry.c.actor,
                       entry.c.at, entry.c.forced)
             .select_from(entry.outerjoin(source, source.c.id == entry.c.from_device)
                          .outerjoin(target, target.c.id == entry.c.to_device))
             .where(entry.c.commune_code == commune).order_by(entry.c.seq.desc())
             .limit(limit))
    if before is not None:
        query = query.where(entry.c.seq < before)
    with reading(engine) as connection:
        return [{"id": row.seq, "kind": row.kind, "series": row.series, "action": row.action,
                 "from_device_id": row.from_device, "from_device_name": row.from_name,
                 "to_device_id": row.to_device, "to_device_name": row.to_name,
                 "actor": row.actor, "at": _iso(row.at), "forced": bool(row.forced)}
                for row in connection.execute(query)]


def leases(engine: sa.Engine, commune: str) -> list[dict[str, Any]]:
    with reading(engine) as connection:
        return list_leases(connection, commune)


def holders(connection: sa.Connection, commune: str) -> dict[tuple[str, str], tuple[str | None,
                                                                                    int]]:
    """(kind, series) -> (holder device id, epoch) for the pairs that were ever held."""
    lease = schema.register_leases
    return {(row.kind, row.series): (row.holder_device_id, row.epoch)
            for row in connection.execute(
                sa.select(lease.c.kind, lease.c.series, lease.c.holder_device_id, lease.c.epoch)
                .where(lease.c.commune_code == commune))}

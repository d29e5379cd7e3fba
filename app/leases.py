"""Register leases: who may give the numbers of a register, as this machine knows it, and the
server calls that move a lease (docs/decisions/0009, docs/correspondence.md).

A lease belongs to (commune, kind ``incoming``|``outgoing``, series ``ordinary``|``secret``) and
covers every year of the series. Only the device holding it numbers documents of that kind and
series, online or offline (invariant 8). Leases never expire: they move by release then acquire,
or by a commune admin's forced transfer; every acquire or transfer raises the lease's epoch.

The local copy lives in the ``leases`` table: replaced whole at each sync (``set_leases`` of
app/sync_local.py, from ``GET /v1/leases``) and row by row from the answers of ``acquire``,
``release`` and ``transfer``. ``last_numbers`` ({"2026": 14}) is the server's highest number per
year of the series when it answered: a new holder continues from max(local max, that).

A profile that has never met a server (no server address and no lease ever heard of) is
stand-alone: it is the commune's only machine and holds every lease under epoch 0, as it has the
stand-alone range of dossier codes. Once signed in, only the server's leases count (the table
is empty until the first sync or acquire, so such a machine numbers nothing until then).

The reads run on the caller's thread and store. ``refresh``, ``acquire``, ``release`` and
``transfer`` talk to the server: they take the profile's sync lock (``SyncBusy`` while a sync
runs) and raise the transport's ``LinkDown``/``SignInRequired``/``Refused``; run them off the GUI
thread (the network worker).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.db import transaction
from app.errors import NotLeaseHolder, UnsyncedNumbers
from app.registers import INCOMING, KINDS, OUTGOING, SERIES, check_kind, check_series
from app.store import Store

LEASE_NOTICE = "lease"  # change notices: ids are "kind/series"
_TABLE = {INCOMING: "incoming_documents", OUTGOING: "outgoing_documents"}
_NUMBER = {INCOMING: "arrival_number", OUTGOING: "number"}


@dataclass(frozen=True)
class Lease:
    """One register lease as this machine knows it; no holder: nobody holds it."""

    kind: str
    series: str
    holder_device_id: str | None
    holder_device_name: str | None
    holder_user: str | None
    epoch: int
    since: str | None
    last_numbers: dict[str, int] = field(default_factory=dict)
    mine: bool = False  # this device holds it
    standalone: bool = False  # held because the profile has never met a server

    @property
    def held(self) -> bool:
        return self.holder_device_id is not None

    def last_number(self, year: int) -> int:
        """The server's highest number of ``year`` when it last answered (0: none)."""
        return int(self.last_numbers.get(str(year), 0))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def this_device(store: Store) -> str:
    """This profile's device id (made once; the server keys leases by it)."""
    from app.syncing import device_id  # app.syncing imports the sync store, which imports us

    return device_id(store)


def is_standalone(store: Store) -> bool:
    """Never met a server: no server address and no lease heard of."""
    if store.setting("server.url"):
        return False
    return store.db.execute("SELECT 1 FROM leases LIMIT 1").fetchone() is None


def holder_of(store: Store, kind: str, series: str) -> Lease:
    """The lease of (``kind``, ``series``) as this machine last heard of it."""
    check_kind(kind)
    check_series(series)
    me = this_device(store)
    if is_standalone(store):
        return Lease(kind, series, me, socket.gethostname(), store.actor, 0, None, {},
                     mine=True, standalone=True)
    row = store.db.execute(
        "SELECT holder_device_id, holder_device_name, holder_user, epoch, since, last_numbers "
        "FROM leases WHERE kind = ? AND series = ?", [kind, series]).fetchone()
    if row is None:
        return Lease(kind, series, None, None, None, 0, None, {})
    holder, name, user, epoch, since, last = row
    return Lease(kind, series, holder, name, user, epoch, since, json.loads(last or "{}"),
                 mine=holder is not None and holder == me)


def lease_status(store: Store) -> list[Lease]:
    """The four leases of the commune (incoming then outgoing; ordinary then secret)."""
    return [holder_of(store, kind, series) for kind in KINDS for series in SERIES]


def i_hold(store: Store, kind: str, series: str) -> bool:
    return holder_of(store, kind, series).mine


def require_holder(store: Store, kind: str, series: str) -> Lease:
    """The lease if this device holds it; else ``NotLeaseHolder`` naming the holder (or
    nobody). Call it inside the transaction that gives the number."""
    lease = holder_of(store, kind, series)
    if not lease.mine:
        raise NotLeaseHolder(
            f"the {kind} register ({series}) is held by "
            f"{lease.holder_device_name or lease.holder_device_id or 'nobody'}",
            kind=kind, series=series, holder_device_id=lease.holder_device_id,
            holder_device_name=lease.holder_device_name, holder_user=lease.holder_user)
    return lease


# ---------------------------------------------------------------------- the local copy


def lease_row(lease: Mapping[str, Any]) -> tuple:
    """The ``leases`` row of a lease dict from the server; ``ValueError`` when malformed."""
    if not isinstance(lease, Mapping):
        raise ValueError("a lease is an object")
    kind, series = lease.get("kind"), lease.get("series")
    if kind not in KINDS or series not in SERIES:
        raise ValueError(f"lease of unknown kind or series: {kind!r} {series!r}")
    holder = lease.get("holder_device_id")
    texts = [holder, lease.get("holder_device_name"), lease.get("holder_user"),
             lease.get("since")]
    if any(v is not None and (not isinstance(v, str) or len(v) > 300) for v in texts):
        raise ValueError("lease holder, name, user and since are short texts or null")
    epoch = lease.get("epoch", 0)
    if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0:
        raise ValueError("lease epoch is a whole number")
    last = lease.get("last_numbers") or {}
    if not isinstance(last, Mapping) or not all(
            isinstance(k, str) and k.isdigit() and isinstance(v, int)
            and not isinstance(v, bool) and v >= 0 for k, v in last.items()):
        raise ValueError("last_numbers maps years to numbers")
    return (kind, series, holder, lease.get("holder_device_name"), lease.get("holder_user"),
            epoch, lease.get("since"), json.dumps(dict(last), sort_keys=True))


def keep_leases(store: Store, leases: Iterable[Mapping[str, Any]], *,
                replace: bool = False) -> None:
    """Store leases the server gave (all of them with ``replace``: the others are forgotten).
    Every entry is checked first: a malformed one raises ``ValueError`` and nothing changes."""
    rows = [lease_row(lease) for lease in leases]
    with transaction(store.db):
        if replace:
            store.db.execute("DELETE FROM leases")
        store.db.conn.executemany(
            "INSERT INTO leases(kind, series, holder_device_id, holder_device_name, holder_user,"
            " epoch, since, last_numbers) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(kind, series) DO UPDATE SET holder_device_id = excluded.holder_device_id,"
            " holder_device_name = excluded.holder_device_name, holder_user = "
            "excluded.holder_user, epoch = excluded.epoch, since = excluded.since, "
            "last_numbers = excluded.last_numbers", rows)
        store.notify(LEASE_NOTICE, [f"{k}/{s}" for k in KINDS for s in SERIES])


def unsynced_numbers(store: Store, kind: str, series: str) -> int:
    """Numbered documents of the series that the server does not hold as they are here."""
    table, number = _TABLE[kind], _NUMBER[kind]
    return store.db.execute(
        f"SELECT count(*) FROM {table} WHERE series = ? AND {number} IS NOT NULL "  # noqa: S608
        "AND sync_state != 'synced'", [series]).fetchone()[0]


# ---------------------------------------------------------------------- server calls


def _answer(store: Store, answer: Any) -> None:
    if isinstance(answer, Mapping):
        keep_leases(store, [answer])


def refresh(store: Store, root: Path) -> list[Lease]:
    """Ask the server for the commune's leases (``GET /v1/leases``) and keep them."""
    from app.syncing import apply_clock_offset, transport_for
    from sync.lock import sync_lock

    transport = transport_for(store, root)
    with sync_lock(root):
        try:
            answer = transport.leases()
        finally:
            apply_clock_offset(store, transport.clock_offset)
            transport.close()
        keep_leases(store, answer, replace=True)
    return lease_status(store)


def acquire(store: Store, root: Path, kind: str, series: str) -> Lease:
    """Take a free lease for this device. Held by another device: ``NotLeaseHolder`` naming it
    (the server's 409; the local copy is refreshed to say who). The answer's ``last_numbers``
    tell where the series stands, so numbering continues from there."""
    from app.syncing import apply_clock_offset, transport_for
    from sync.lock import sync_lock
    from sync.transport import Refused, SyncError

    check_kind(kind)
    check_series(series)
    transport = transport_for(store, root)
    with sync_lock(root):
        try:
            try:
                answer = transport.acquire_lease(kind, series)
            except Refused as refusal:
                if refusal.status != 409:
                    raise
                try:  # the local copy learns who holds it too
                    keep_leases(store, transport.leases(), replace=True)
                except (SyncError, ValueError):
                    pass  # the refusal is said all the same, with what the answer names
                holder = getattr(refusal, "details", {}).get("holder")
                holder = holder if isinstance(holder, Mapping) else {}
                known = holder_of(store, kind, series)
                raise NotLeaseHolder(
                    refusal.message, kind=kind, series=series,
                    holder_device_id=holder.get("device_id") or known.holder_device_id,
                    holder_device_name=holder.get("device_name") or known.holder_device_name,
                    holder_user=holder.get("user") or known.holder_user) from None
        finally:
            apply_clock_offset(store, transport.clock_offset)
            transport.close()
        _answer(store, answer)
        _restamp_standalone(store, kind, series)
    return holder_of(store, kind, series)


def _restamp_standalone(store: Store, kind: str, series: str) -> None:
    """Numbers this device gave while stand-alone (epoch 0, the only machine then) and that
    have never left it (their create still waits in the outbox) take the epoch of the lease
    just acquired, so the server accepts them if nobody else holds them (it still answers
    ``number_taken`` if somebody does). Nothing else is re-stamped: a number the server has
    seen is settled as a conflict, by a person."""
    lease = holder_of(store, kind, series)
    if not lease.mine or lease.epoch == 0:
        return
    table, number = _TABLE[kind], _NUMBER[kind]
    record_type = {INCOMING: "incoming_document", OUTGOING: "outgoing_document"}[kind]
    with transaction(store.db):
        store.db.execute(
            f"UPDATE {table} SET lease_epoch = ? WHERE series = ? AND {number} IS NOT NULL "  # noqa: S608
            "AND lease_epoch = 0 AND numbered_by = ? AND rev = 0 AND id IN (SELECT record_id "
            "FROM outbox WHERE record_type = ? AND sent_at IS NULL AND fields IS NULL)",
            [lease.epoch, series, this_device(store), record_type])


def release(store: Store, root: Path, kind: str, series: str) -> Lease:
    """Give the lease back so another device can acquire it.

    First a sync, so every numbered document of the series is on the server; a numbered
    document still pending, in error or in conflict refuses the release (``UnsyncedNumbers``).
    The local copy stops numbering before the server is asked (in the transaction that
    checked), so no number is given in between; if the answer is lost, the next sync says
    who holds it."""
    from app.syncing import apply_clock_offset, run_sync, transport_for
    from sync.lock import sync_lock

    check_kind(kind)
    check_series(series)
    run_sync(store, root)
    transport = transport_for(store, root)
    with sync_lock(root):
        try:
            with transaction(store.db):
                require_holder(store, kind, series)
                waiting = unsynced_numbers(store, kind, series)
                if waiting:
                    raise UnsyncedNumbers(f"{waiting} numbered documents are not on the server",
                                          kind=kind, series=series, count=waiting)
                store.db.execute(
                    "UPDATE leases SET holder_device_id = NULL, holder_device_name = NULL, "
                    "holder_user = NULL WHERE kind = ? AND series = ?", [kind, series])
                store.notify(LEASE_NOTICE, [f"{kind}/{series}"])
            answer = transport.release_lease(kind, series)
        finally:
            apply_clock_offset(store, transport.clock_offset)
            transport.close()
        _answer(store, answer)
    return holder_of(store, kind, series)


def transfer(store: Store, root: Path, kind: str, series: str, device_id: str,
             force: bool = True) -> Lease:
    """A commune admin moves the lease to ``device_id`` (the server checks the role and logs
    it). With ``force`` it is taken from a holder that is offline: numbers that holder gives
    meanwhile come back to it as conflicts (docs/correspondence.md)."""
    from app.syncing import apply_clock_offset, transport_for
    from sync.lock import sync_lock

    check_kind(kind)
    check_series(series)
    transport = transport_for(store, root)
    with sync_lock(root):
        try:
            answer = transport.transfer_lease(kind, series, device_id, force)
        finally:
            apply_clock_offset(store, transport.clock_offset)
            transport.close()
        _answer(store, answer)
    return holder_of(store, kind, series)

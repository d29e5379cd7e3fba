"""Sign-in, tokens and the per-request identity check.

Tokens are random (256 bits) and stored only as SHA-256, so a copied database holds none. Access
tokens live 15 minutes, refresh tokens 30 days and are rotated on every use; the rotated one
stays valid for a 60-second grace period (a refresh whose answer was lost can be repeated), and
a replay after that revokes every token of the device (it was stolen). Failed logins lock the
account for a growing time (429 with Retry-After). A revoked device or disabled user is refused
at its next request. Devices get their slot of the daily dossier sequence at first sign-in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from server import schema
from server.admin import get_setting
from server.db import reading
from server.passwords import DUMMY_HASH, verify_password

ACCESS_LIFETIME = timedelta(minutes=15)
REFRESH_LIFETIME = timedelta(days=30)
REFRESH_GRACE = timedelta(seconds=60)  # the default of the ``refresh_grace_seconds`` setting
FREE_FAILURES = 5  # wrong passwords before the account locks
SLOT_SIZE_DEFAULT = 250
STANDALONE_FIRST = 9000  # 9000-9999 is kept for profiles that never met a server


class AuthError(Exception):
    """A refusal with its HTTP status and code (docs/sync-protocol.md §3)."""

    def __init__(self, status: int, code: str, message: str,
                 retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.retry_after = status, code, message, retry_after


@dataclass(frozen=True)
class Identity:
    user_id: int
    username: str
    role: str
    commune_code: str | None
    device_id: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_pair(connection: sa.Connection, device_id: str, user_id: int,
                now: datetime) -> dict[str, object]:
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    connection.execute(schema.tokens.insert(), [
        {"token_hash": token_hash(access), "kind": "access", "device_id": device_id,
         "user_id": user_id, "expires_at": now + ACCESS_LIFETIME},
        {"token_hash": token_hash(refresh), "kind": "refresh", "device_id": device_id,
         "user_id": user_id, "expires_at": now + REFRESH_LIFETIME},
    ])
    return {"access_token": access, "refresh_token": refresh,
            "expires_in": int(ACCESS_LIFETIME.total_seconds()), "_refresh_hash": token_hash(refresh)}


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for aware columns: they are UTC."""
    if moment is not None and moment.tzinfo is None:
        from datetime import UTC

        return moment.replace(tzinfo=UTC)
    return moment


def _assign_slot(connection: sa.Connection, commune_code: str) -> tuple[int, int]:
    size = int(get_setting(connection, "slot_size", str(SLOT_SIZE_DEFAULT)))
    used = {first for (first,) in connection.execute(
        sa.select(schema.devices.c.slot_first)
        .where(schema.devices.c.commune_code == commune_code,
               schema.devices.c.slot_first.is_not(None)))}
    for first in range(1, STANDALONE_FIRST, size):
        if first not in used:
            return first, min(first + size - 1, STANDALONE_FIRST - 1)
    raise AuthError(409, "no_slot_left", "every slot of this commune is taken")


def login(engine: sa.Engine, username: str, password: str, device_id: str, device_name: str,
          now: datetime) -> dict[str, object]:
    u, d = schema.users, schema.devices
    with reading(engine) as connection:
        user = connection.execute(sa.select(u).where(u.c.username == username)).first()
    if user is None:
        verify_password(password, DUMMY_HASH)  # same cost: no way to probe usernames
        raise AuthError(401, "login_failed", "wrong username or password")
    locked_until = _aware(user.locked_until)
    if locked_until and locked_until > now:
        wait = int((locked_until - now).total_seconds()) + 1
        raise AuthError(429, "rate_limited", "too many failed sign-ins", retry_after=wait)
    if not verify_password(password, user.password_hash):
        failures = user.failed_logins + 1
        lock = None
        if failures >= FREE_FAILURES:
            lock = now + timedelta(seconds=min(3600, 30 * 2 ** (failures - FREE_FAILURES)))
        with engine.begin() as connection:
            connection.execute(u.update().where(u.c.id == user.id)
                               .values(failed_logins=u.c.failed_logins + 1, locked_until=lock))
        raise AuthError(401, "login_failed", "wrong username or password")
    if user.disabled:
        raise AuthError(401, "user_disabled", "this account is disabled")
    if user.role == "city-admin" or not user.commune_code:
        raise AuthError(403, "role_forbidden", "a city administrator does not sync dossiers")
    with engine.begin() as connection:
        connection.execute(u.update().where(u.c.id == user.id)
                           .values(failed_logins=0, locked_until=None))
        device = connection.execute(sa.select(d).where(d.c.id == device_id)).first()
        if device is None:
            first, last = _assign_slot(connection, user.commune_code)
            connection.execute(d.insert().values(
                id=device_id, commune_code=user.commune_code, user_id=user.id,
                name=device_name, slot_first=first, slot_last=last, created_at=now,
                last_contact=now))
        elif device.commune_code != user.commune_code:
            raise AuthError(401, "login_failed", "this device belongs elsewhere")
        elif device.revoked:
            raise AuthError(401, "device_revoked", "this device has been revoked")
        else:
            connection.execute(d.update().where(d.c.id == device_id)
                               .values(user_id=user.id, name=device_name, last_contact=now))
        device = connection.execute(sa.select(d).where(d.c.id == device_id)).one()
        commune = connection.execute(sa.select(schema.communes)
                                     .where(schema.communes.c.code == user.commune_code)).one()
        pair = _issue_pair(connection, device_id, user.id, now)
        pair.pop("_refresh_hash")
        return {
            **pair,
            "commune": {"code": commune.code, "name": commune.name, "unit_id": commune.unit_id},
            "user": {"username": user.username, "role": user.role,
                     "display_name": user.display_name},
            "slot": {"first": device.slot_first, "last": device.slot_last},
            "min_version": get_setting(connection, "min_version", "0"),
        }


def refresh(engine: sa.Engine, refresh_token: str, now: datetime) -> dict[str, object]:
    with engine.begin() as connection:
        pair = _rotate(connection, refresh_token, now)
    if pair is None:  # raised only now, so that the revocation above is committed
        raise AuthError(401, "token_reused", "sign in again")
    return pair


def _rotate(connection: sa.Connection, refresh_token: str, now: datetime
            ) -> dict[str, object] | None:
    """A new pair for ``refresh_token``, or None after revoking every token of the device when
    the token is replayed after its grace period (someone else holds a copy)."""
    t = schema.tokens
    row = connection.execute(sa.select(t).where(
        t.c.token_hash == token_hash(refresh_token), t.c.kind == "refresh")).first()
    if row is None or row.revoked or _aware(row.expires_at) <= now:
        raise AuthError(401, "token_invalid", "sign in again")
    _check_account(connection, row.device_id, row.user_id)
    replaced_at = _aware(row.replaced_at)
    grace = timedelta(seconds=float(get_setting(
        connection, "refresh_grace_seconds", str(REFRESH_GRACE.total_seconds()))))
    if replaced_at is not None:
        if now - replaced_at > grace:
            connection.execute(t.update().where(t.c.device_id == row.device_id)
                               .values(revoked=True))
            return None
        # The answer to the first refresh was lost: the pair it made is dropped for a new one.
        connection.execute(t.update().where(t.c.token_hash == row.replaced_by)
                           .values(revoked=True))
    pair = _issue_pair(connection, row.device_id, row.user_id, now)
    connection.execute(t.update().where(t.c.token_hash == row.token_hash).values(
        replaced_at=replaced_at or now, replaced_by=pair.pop("_refresh_hash")))
    return pair


def logout(engine: sa.Engine, identity: Identity) -> None:
    with engine.begin() as connection:
        connection.execute(schema.tokens.update()
                           .where(schema.tokens.c.device_id == identity.device_id)
                           .values(revoked=True))


def _check_account(connection: sa.Connection, device_id: str, user_id: int) -> sa.Row:
    u, d = schema.users, schema.devices
    row = connection.execute(
        sa.select(u.c.id, u.c.username, u.c.role, u.c.disabled, d.c.commune_code, d.c.revoked)
        .join(d, d.c.id == device_id).where(u.c.id == user_id)).first()
    if row is None:
        raise AuthError(401, "token_invalid", "sign in again")
    if row.revoked:
        raise AuthError(401, "device_revoked", "this device has been revoked")
    if row.disabled:
        raise AuthError(401, "user_disabled", "this account is disabled")
    return row


def check_still_allowed(engine: sa.Engine, identity: Identity) -> None:
    """AuthError (401 ``device_revoked`` / ``user_disabled``) when the caller's device was
    revoked or its user disabled since its request was authenticated: a long push calls this
    before each frame."""
    with reading(engine) as connection:
        _check_account(connection, identity.device_id, identity.user_id)


CONTACT_RESOLUTION = timedelta(seconds=60)
"""A device's ``last_contact`` is written when it is older than this: an authenticated read
stays read-only, and ``device list`` is at most a minute behind."""


def caller_statement(*extra: sa.ColumnElement[Any]) -> sa.Select:
    """The token check's query: the token's row with its user and device, and ``extra``
    columns, which may refer to the device's row (``schema.devices``), so that a route reads
    what it needs about the caller in the same round trip. Build it once, at import: building
    a statement costs several times what SQLite takes to run it (docs/benchmarks.md)."""
    t, u, d = schema.tokens, schema.users, schema.devices
    return (sa.select(t.c.device_id, t.c.revoked, t.c.expires_at, u.c.id, u.c.username,
                      u.c.role, u.c.disabled, d.c.commune_code,
                      d.c.revoked.label("device_revoked"), d.c.last_contact, *extra)
            .join(u, u.c.id == t.c.user_id).join(d, d.c.id == t.c.device_id)
            .where(t.c.token_hash == sa.bindparam("token_hash"), t.c.kind == "access"))


CALLER = caller_statement()
"""The token check's query without extra columns."""


@dataclass(frozen=True)
class TokenCheck:
    identity: Identity
    contact_due: bool  # the device's last_contact is to be written (server/contacts.py)
    row: Any  # the statement's row (attributes by column name), its extra columns included


def check_token(fetch: Callable[[sa.Select, dict[str, Any]], Any], access_token: str | None,
                now: datetime, statement: sa.Select = CALLER) -> TokenCheck:
    """The caller of a request, or AuthError (401) for a missing, expired or revoked token.
    ``fetch(statement, params)``: its first row or None (``LoopReader.row``). ``statement``:
    ``caller_statement()`` with the extra columns the route reads."""
    if not access_token:
        raise AuthError(401, "token_invalid", "sign in first")
    row = fetch(statement, {"token_hash": token_hash(access_token)})
    if row is None:
        raise AuthError(401, "token_invalid", "sign in again")
    if row.device_revoked:  # the precise reason first, as _check_account gives it
        raise AuthError(401, "device_revoked", "this device has been revoked")
    if row.disabled:
        raise AuthError(401, "user_disabled", "this account is disabled")
    if row.revoked:
        raise AuthError(401, "token_invalid", "sign in again")
    if _aware(row.expires_at) <= now:
        raise AuthError(401, "token_expired", "refresh the token")
    last_contact = _aware(row.last_contact)
    return TokenCheck(Identity(row.id, row.username, row.role, row.commune_code, row.device_id),
                      last_contact is None or now - last_contact >= CONTACT_RESOLUTION, row)

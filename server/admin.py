"""What a city administrator does from the server's command line: the commune directory, users,
devices, register leases, the minimum client version, and the reference data clients pull.

Functions take an engine and return plain data; ``server/cli.py`` prints it. Errors are
``AdminError`` with a code.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from server import schema
from server.passwords import hash_password

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
ROLES = ("officer", "specialist", "leader", "clerk", "admin", "city-admin")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
UNIT_ID = re.compile(r"^[0-9A-Za-z.]{1,40}$")
VERSION = re.compile(r"^\d+(\.\d+){0,3}$")


class AdminError(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


def now() -> datetime:
    return datetime.now(UTC)


def seed_directory(connection: sa.Connection) -> int:
    """Every commune and ward of the 2025 reform (vietnam-provinces), keyed by its 5-digit code.

    Existing rows keep their unit identifier; names are refreshed. Returns the number of rows.
    """
    from vietnam_provinces import Province, Ward

    provinces = {int(p.code): p.name for p in Province.iter_all()}
    existing = {code for (code,) in connection.execute(sa.select(schema.communes.c.code))}
    rows = [
        {"code": f"{int(w.code):05d}", "name": w.name, "province_code": int(w.province_code),
         "province_name": provinces[int(w.province_code)]}
        for w in Ward.iter_all()
    ]
    new = [{**r, "unit_id": r["code"]} for r in rows if r["code"] not in existing]
    if new:
        connection.execute(schema.communes.insert(), new)
    for row in (r for r in rows if r["code"] in existing):
        connection.execute(schema.communes.update().where(schema.communes.c.code == row["code"])
                           .values(name=row["name"], province_name=row["province_name"]))
    return len(rows)


def seed_reference_data(connection: sa.Connection) -> None:
    """The procedure catalogue and the working-day calendar from resources/."""
    documents = {
        "catalogue": RESOURCES / "procedures" / "catalogue.json",
        "calendar": RESOURCES / "calendar" / "vn-calendar.json",
    }
    for kind, path in documents.items():
        body = path.read_text("utf-8")
        data = json.loads(body)
        version = data.get("catalogue_version") or data.get("version")
        table = schema.reference_data
        connection.execute(table.delete().where(table.c.kind == kind))
        connection.execute(table.insert().values(kind=kind, version=version, body=body,
                                                 updated_at=now()))


def init(engine: sa.Engine) -> dict[str, Any]:
    version = schema.migrate(engine)
    with engine.begin() as connection:
        communes = seed_directory(connection)
        seed_reference_data(connection)
    return {"schema_version": version, "communes": communes}


def _commune(connection: sa.Connection, code: str) -> sa.Row:
    row = connection.execute(
        sa.select(schema.communes).where(schema.communes.c.code == code)).first()
    if row is None:
        raise AdminError("unknown_commune", code)
    return row


def set_commune(engine: sa.Engine, code: str, unit_id: str | None = None,
                name: str | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if unit_id is not None:
        if not UNIT_ID.match(unit_id):
            raise AdminError("invalid_unit_id", unit_id)
        values["unit_id"] = unit_id
    if name is not None:
        if not name.strip():
            raise AdminError("invalid_name", "empty")
        values["name"] = name.strip()
    with engine.begin() as connection:
        _commune(connection, code)
        if values:
            connection.execute(schema.communes.update()
                               .where(schema.communes.c.code == code).values(**values))
        return dict(_commune(connection, code)._mapping)


def add_user(engine: sa.Engine, username: str, role: str, password: str,
             commune: str | None, display_name: str = "") -> dict[str, Any]:
    if not USERNAME.match(username):
        raise AdminError("invalid_username", "2-64 lower-case letters, digits, . _ -")
    if role not in ROLES:
        raise AdminError("invalid_role", f"one of {', '.join(ROLES)}")
    if role == "city-admin" and commune:
        raise AdminError("invalid_role", "a city-admin belongs to no commune")
    if role != "city-admin" and not commune:
        raise AdminError("commune_required", "--commune CODE")
    if len(password) < 8:
        raise AdminError("weak_password", "at least 8 characters")
    with engine.begin() as connection:
        if commune:
            _commune(connection, commune)
        taken = connection.execute(sa.select(schema.users.c.id)
                                   .where(schema.users.c.username == username)).first()
        if taken:
            raise AdminError("username_taken", username)
        connection.execute(schema.users.insert().values(
            username=username, role=role, commune_code=commune, display_name=display_name,
            password_hash=hash_password(password), created_at=now()))
    return {"username": username, "role": role, "commune": commune}


def disable_user(engine: sa.Engine, username: str) -> None:
    with engine.begin() as connection:
        done = connection.execute(schema.users.update()
                                  .where(schema.users.c.username == username)
                                  .values(disabled=True))
        if done.rowcount == 0:
            raise AdminError("unknown_user", username)


def list_users(engine: sa.Engine, commune: str | None = None) -> list[dict[str, Any]]:
    u = schema.users
    query = sa.select(u.c.username, u.c.role, u.c.commune_code, u.c.display_name,
                      u.c.disabled).order_by(u.c.commune_code, u.c.username)
    if commune:
        query = query.where(u.c.commune_code == commune)
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def list_devices(engine: sa.Engine, commune: str | None = None) -> list[dict[str, Any]]:
    d, u = schema.devices, schema.users
    query = (sa.select(d.c.id, d.c.commune_code, d.c.name, u.c.username, d.c.last_contact,
                       d.c.app_version, d.c.pending, d.c.slot_first, d.c.slot_last, d.c.revoked)
             .join(u, u.c.id == d.c.user_id).order_by(d.c.commune_code, d.c.created_at))
    if commune:
        query = query.where(d.c.commune_code == commune)
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def revoke_device(engine: sa.Engine, device_id: str) -> None:
    """Cut a device off (a stolen laptop): refused at its next request, tokens dead."""
    with engine.begin() as connection:
        done = connection.execute(schema.devices.update()
                                  .where(schema.devices.c.id == device_id).values(revoked=True))
        if done.rowcount == 0:
            raise AdminError("unknown_device", device_id)
        connection.execute(schema.tokens.update()
                           .where(schema.tokens.c.device_id == device_id).values(revoked=True))


def _known_commune(engine: sa.Engine, code: str) -> None:
    with engine.connect() as connection:
        _commune(connection, code)


def list_leases(engine: sa.Engine, commune: str) -> list[dict[str, Any]]:
    """The commune's four register leases, as ``GET /v1/leases`` gives them."""
    from server import leases

    _known_commune(engine, commune)
    return leases.leases(engine, commune)


def transfer_lease(engine: sa.Engine, commune: str, kind: str, series: str,
                   device_id: str) -> dict[str, Any]:
    """A forced transfer made by the city (a commune without an admin at hand), logged with
    the actor ``server-cli``; the same rules as ``POST /v1/leases/…/transfer``."""
    from server import leases

    _known_commune(engine, commune)
    try:
        return leases.transfer(engine, commune, leases.CLI_ACTOR, kind, series, device_id)
    except leases.LeaseError as error:  # not_found: the device is not the commune's
        code = "unknown_device" if error.code == "not_found" else error.code
        raise AdminError(code, f"{error.message}: {device_id}") from None


def lease_log(engine: sa.Engine, commune: str, limit: int = 100) -> list[dict[str, Any]]:
    from server import leases

    _known_commune(engine, commune)
    return leases.log(engine, commune, limit=limit)


def set_min_version(engine: sa.Engine, version: str) -> None:
    if not VERSION.match(version):
        raise AdminError("invalid_version", version)
    put_setting(engine, "min_version", version)


def put_setting(engine: sa.Engine, key: str, value: str) -> None:
    with engine.begin() as connection:
        connection.execute(schema.settings.delete().where(schema.settings.c.key == key))
        connection.execute(schema.settings.insert().values(key=key, value=value))


_SETTING = sa.select(schema.settings.c.value).where(schema.settings.c.key == sa.bindparam("key"))


def get_setting(connection: sa.Connection, key: str, default: str | None = None) -> str | None:
    value = connection.execute(_SETTING, {"key": key}).scalar()
    return default if value is None else value

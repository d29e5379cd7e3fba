"""The server's admin CLI and schema, in a temporary data folder, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import stat

import pytest
import sqlalchemy as sa

from server import schema
from server.db import make_engine
from tests.conftest import BACKENDS, CityServer, make_city_server

DB_BACKENDS = BACKENDS


@pytest.fixture
def server(tmp_path, db_backend, request) -> CityServer:
    return make_city_server(tmp_path / "city", db_backend, request)


def test_init_seeds_the_2025_directory_and_reference_data(server) -> None:
    with server.engine().connect() as connection:
        communes = {r.code: r for r in connection.execute(sa.select(schema.communes))}
        kinds = {r.kind: r.version for r in connection.execute(sa.select(schema.reference_data))}
    assert len(communes) > 3000
    assert communes["09661"].name == "Xã Minh Châu"
    assert communes["09661"].province_name == "Thành phố Hà Nội"
    assert communes["00226"].name == "Phường Kim Liên"
    assert sum(1 for c in communes.values() if c.province_code == 1) == 126
    assert kinds == {"catalogue": "2025.07.1", "calendar": "2026.1+holidays-0.109"}
    config = server.data_dir / "server.json"
    assert stat.S_IMODE(os.stat(config).st_mode) == 0o600


def test_init_again_keeps_what_the_city_set(server) -> None:
    server.admin("commune", "set", "--code", "09661", "--unit-id", "000.00.20.H13")
    server.admin("init")
    out = server.admin("commune", "set", "--code", "09661").stdout
    assert "000.00.20.H13" in out


def test_users_roles_and_refusals(server) -> None:
    server.admin("user", "add", "--commune", "09661", "--username", "hoa", "--role", "officer",
                 "--name", "Nguyễn Thị Hoa", password="mật-khẩu-hoa")
    listed = json.loads(server.admin("user", "list", "--json").stdout)
    assert listed == [{"username": "hoa", "role": "officer", "commune_code": "09661",
                       "display_name": "Nguyễn Thị Hoa", "disabled": False}]
    refusals = {
        ("user", "add", "--commune", "09661", "--username", "hoa", "--role", "clerk"):
            "username_taken",
        ("user", "add", "--commune", "99999", "--username", "x1", "--role", "clerk"):
            "unknown_commune",
        ("user", "add", "--username", "x2", "--role", "clerk"): "commune_required",
        ("user", "add", "--commune", "09661", "--username", "x3", "--role", "city-admin"):
            "invalid_role",
        ("user", "disable", "--username", "nobody"): "unknown_user",
        ("device", "revoke", "nothing"): "unknown_device",
        ("min-version", "set", "one"): "invalid_version",
        ("commune", "set", "--code", "09661", "--unit-id", "a b"): "invalid_unit_id",
    }
    for args, code in refusals.items():
        done = server.admin(*args, password="long-enough-pw", check=False)
        assert done.returncode == 1 and code in done.stderr, (args, done.stderr)
    short = server.admin("user", "add", "--commune", "09661", "--username", "x4", "--role",
                         "clerk", password="short", check=False)
    assert short.returncode == 1 and "weak_password" in short.stderr


def test_passwords_never_come_from_the_command_line(server) -> None:
    done = server.admin("user", "add", "--commune", "09661", "--username", "x", "--role",
                        "clerk", "--password", "secret-123", check=False)
    assert done.returncode == 2
    no_password = server.admin("user", "add", "--commune", "09661", "--username", "x5",
                               "--role", "clerk", check=False)
    assert no_password.returncode == 1 and "password_required" in no_password.stderr


def test_schema_from_empty_and_idempotent(new_db_url) -> None:
    engine = make_engine(new_db_url())
    assert schema.current_version(engine) == 0
    assert schema.migrate(engine) == len(schema.MIGRATIONS)
    assert schema.migrate(engine) == len(schema.MIGRATIONS)
    tables = set(sa.inspect(engine).get_table_names())
    assert {t.name for t in schema.metadata.sorted_tables} <= tables


@pytest.mark.parametrize("stop_before", range(2, len(schema.MIGRATIONS) + 1))
def test_schema_from_every_earlier_version_keeps_records(new_db_url, stop_before: int) -> None:
    engine = make_engine(new_db_url())
    assert schema.migrate(engine, stop_before=stop_before) == stop_before - 1
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO communes(code, name, province_code, province_name, unit_id, last_rev) "
            "VALUES ('09661', 'Xã Minh Châu', 1, 'Hà Nội', 'H01.01', 1)"))
        connection.execute(sa.text(
            "INSERT INTO records(commune_code, type, id, rev, deleted, body, field_revs) "
            "VALUES ('09661', 'dossier', 'r1', 1, false, '{\"notes\": \"x\"}', "
            "'{\"notes\": 1}')"))
    assert schema.migrate(engine) == len(schema.MIGRATIONS)
    with engine.connect() as connection:
        row = connection.execute(sa.select(schema.records)).one()._mapping
    assert row["body"] == '{"notes": "x"}' and row["field_writers"] == "{}"

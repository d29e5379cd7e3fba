"""Migrations: forward-only, from an empty file and from every earlier version."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.db import connect
from app.schema import migrations, schema_version, upgrade
from app.search import search

KEY = os.urandom(32)
NAMES = [m.name for m in migrations._migrations]


def schema_of(db) -> set[tuple[str, str]]:
    return {(name, sql) for name, sql in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE '_sqlite_migrations%'")}


def fresh(path: Path):
    db = connect(path, KEY)
    upgrade(db)
    return db


def test_from_an_empty_file(tmp_path: Path) -> None:
    db = fresh(tmp_path / "a.db")
    assert schema_version(db) == NAMES
    upgrade(db)  # a second run is a no-op
    assert schema_version(db) == NAMES
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("stop_before", NAMES[1:])
def test_from_every_earlier_version(tmp_path: Path, stop_before: str) -> None:
    old = connect(tmp_path / "old.db", KEY)
    migrations.apply(old, stop_before=stop_before)
    assert stop_before not in schema_version(old)
    # A dossier stored by the older version, as it wrote it.
    old.execute("INSERT INTO procedures(code, version, effective_from, name, field, "
                "time_limit_days, verification_extension_days, fee_vnd, catalogue_version, body)"
                " VALUES ('1.001193', 1, '2025-07-01', 'Đăng ký khai sinh', 'Hộ tịch', 0, 0, 0,"
                " 'x', '{}')")
    old.execute("INSERT INTO dossiers(id, code, procedure_code, procedure_version, channel, "
                "status, received_at, due_at, calendar_version, applicant_full_name, "
                "applicant_id_number, updated_at) VALUES ('d1', '09661-260106-9000', "
                "'1.001193', 1, 1, 2, '2026-01-06T02:00:00Z', '2026-01-06T10:00:00Z', 'v', "
                "'Nguyễn Văn Đức', '001085012345', '2026-01-06T02:00:00Z')")
    # m002 indexed the dossiers there were; m008 built the index again from every dossier.
    indexed_by_upgrade = "m008_search_without_positions" not in schema_version(old)
    had_papers_table = "m007_papers_in_dossier" not in schema_version(old)
    if had_papers_table:  # two papers, stored in the reverse order of their positions
        old.execute("INSERT INTO dossier_papers VALUES ('d1', 1, 'Giấy chứng sinh', 'original', 1),"
                    " ('d1', 0, 'Tờ khai đăng ký khai sinh', 'original', 2)")
    upgrade(old)
    assert schema_version(old) == NAMES
    assert schema_of(old) == schema_of(fresh(tmp_path / "new.db"))
    assert old.execute("SELECT code FROM dossiers WHERE id = 'd1'").fetchone()[0] == \
        "09661-260106-9000"
    if had_papers_table:  # m007 moved them into the dossier's row, in order
        assert json.loads(old.execute("SELECT papers FROM dossiers").fetchone()[0]) == [
            {"name": "Tờ khai đăng ký khai sinh", "form": "original", "count": 2},
            {"name": "Giấy chứng sinh", "form": "original", "count": 1}]
    if indexed_by_upgrade:  # written without its index entry, found all the same
        assert [r["id"] for r in search(old, "nguyen van duc")] == ["d1"]
        assert [r["id"] for r in search(old, "001085012345")] == ["d1"]


def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path, monkeypatch) -> None:
    db = connect(tmp_path / "c.db", KEY)
    migrations.apply(db, stop_before=NAMES[-1])
    last = migrations._migrations[-1]

    def broken(database) -> None:
        database.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("power cut")

    monkeypatch.setattr(last, "fn", broken)
    with pytest.raises(RuntimeError):
        upgrade(db)
    assert schema_version(db) == NAMES[:-1]
    assert "half_done" not in db.table_names()

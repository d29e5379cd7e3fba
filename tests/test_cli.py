"""End-to-end tests of the headless CLI contract (docs/cli.md), through real subprocesses.

Every command runs ``python -m app.cli`` on real SQLCipher profiles (the ``cli`` fixture). To keep
the file fast, one profile is seeded once per module (init + import of a known file) and each
test that needs data works on its own copy of it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from app.sample_data import dossier_records
from tests.conftest import PASSPHRASE, dossier_input

Cli = Callable[..., subprocess.CompletedProcess]

EXPORT_KEYS = [
    "id", "code", "procedure_code", "procedure_version", "channel", "status", "received_at",
    "due_at", "calendar_version", "applicant", "co_applicants", "papers", "sets_count",
    "result_delivery", "received_by", "notes", "assigned_to", "verification_days", "apologies",
]  # fmt: skip
PERSON_KEYS = ["full_name", "id_number", "date_of_birth", "sex", "phone", "email", "address"]
SYNC_KEYS = {"sync_state", "sync_reason", "rev", "updated_at", "paused_at", "applicant_sort_key"}
SAMPLE_PROCEDURES = [
    ("1.001193", 0), ("1.000656", 0), ("1.000894", 0), ("2.000815", 0), ("1.004873", 3),
]  # fmt: skip
SAMPLE_START = datetime(2026, 1, 5, 8, 0, tzinfo=timezone(timedelta(hours=7)))


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://communedesk.invalid/test/{name}"))


# Three dossiers the tests look for by name, ID number or phone; the seeded profile also holds
# realistic generated ones around them.
DUC = dossier_input(id=_id("duc"), code="09661-260106-0001")
LE_DUC = dossier_input(
    id=_id("le-duc"), code="09661-260106-0002",
    applicant={"full_name": "Lê Minh Đức", "date_of_birth": "1990", "sex": "male"},
)
LAN = dossier_input(
    id=_id("lan"), code="09661-260106-0003", procedure_code="1.004873",
    applicant={"full_name": "Phạm Thị Lan", "sex": "female", "phone": "0977 000 111"},
)


def seed_records() -> list[dict]:
    """The seeded file: the three above and 20 generated dossiers, all with ids and codes."""
    generated = list(dossier_records(20, SAMPLE_PROCEDURES, seed=7, start=SAMPLE_START))
    for number, record in enumerate(generated, start=101):
        day = record["received_at"][2:10].replace("-", "")
        record["code"] = f"09661-{day}-{number:04d}"
    return [DUC, LE_DUC, LAN, *generated]


# ------------------------------------------------------------------ helpers

def write_jsonl(path: Path, lines: Iterable[dict | str]) -> Path:
    """A JSON Lines file; a ``str`` item is written as it is (to make malformed lines)."""
    text = "".join(
        (line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
        for line in lines
    )
    path.write_text(text, encoding="utf-8")
    return path


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def fails(result: subprocess.CompletedProcess, code: int = 1) -> subprocess.CompletedProcess:
    assert result.returncode == code, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def as_json(result: subprocess.CompletedProcess) -> Any:
    return json.loads(ok(result).stdout)


def exported(cli: Cli, profile: Path) -> dict[str, dict]:
    """The profile's export, by dossier code."""
    lines = ok(cli("export", "dossiers", profile_dir=profile)).stdout.splitlines()
    return {record["code"]: record for record in map(json.loads, lines)}


def tree_digest(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root``, by relative path."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def error_lines(stderr: str) -> set[int]:
    """The line numbers an import reported as errors ("Lỗi dòng 3: …" / "Error line 3: …")."""
    return {int(n) for n in re.findall(r"^(?:Lỗi|Error) (?:dòng|line) (\d+)\b", stderr, re.M)}


def found(cli: Cli, profile: Path, text: str) -> list[dict]:
    rows = as_json(cli("search", text, "--json", "--limit", "100", profile_dir=profile))
    assert isinstance(rows, list)
    return rows


def codes(rows: Iterable[dict]) -> set[str]:
    return {row["code"] for row in rows}


# ------------------------------------------------------------------ the seeded profile

@pytest.fixture(scope="module")
def _template() -> dict[str, Path]:
    return {}


@pytest.fixture
def seeded(cli: Cli, tmp_path: Path, _template: dict[str, Path]) -> Path:
    """A copy of a profile holding the seed records (made by the first test that asks)."""
    if "profile" not in _template:
        template = tmp_path / "template"
        ok(cli("init", "--commune", "09661", profile_dir=template))
        source = write_jsonl(tmp_path / "seed.jsonl", seed_records())
        ok(cli("import", "dossiers", str(source), profile_dir=template))
        _template["profile"], _template["file"] = template, source
    copy = tmp_path / "seeded"
    shutil.copytree(_template["profile"], copy)
    return copy


@pytest.fixture
def seed_file(seeded: Path, _template: dict[str, Path]) -> Path:
    return _template["file"]


# ------------------------------------------------------------------ 1. init

def test_init_names_the_commune_and_refuses_a_second_time(cli: Cli) -> None:
    created = ok(cli("init", "--commune", "09661"))
    assert "Xã Minh Châu" in created.stdout
    before = tree_digest(cli.profile)

    again = fails(cli("init", "--commune", "09661"))
    assert "profile_exists" in again.stderr
    assert tree_digest(cli.profile) == before


@pytest.mark.parametrize("code", ["99999", "0966"])
def test_init_with_an_unknown_commune_code_fails_and_creates_nothing(cli: Cli, code: str
                                                                      ) -> None:
    result = fails(cli("init", "--commune", code))
    assert "unknown_commune" in result.stderr
    assert code in result.stderr
    assert not (cli.profile / "profile.json").exists()


def test_unit_id_prefixes_the_dossier_codes(cli: Cli, tmp_path: Path) -> None:
    ok(cli("init", "--commune", "09661", "--unit-id", "000.00.20.H13"))
    ok(cli("import", "dossiers", str(write_jsonl(tmp_path / "one.jsonl", [dossier_input()]))))
    (code,) = exported(cli, cli.profile)
    assert code.startswith("000.00.20.H13-260106-")


# ------------------------------------------------------------------ 2. import

def test_import_reports_bad_lines_by_number_and_keeps_the_good_ones(cli: Cli, tmp_path: Path
                                                                     ) -> None:
    no_applicant = {k: v for k, v in dossier_input().items() if k != "applicant"}
    path = write_jsonl(tmp_path / "mixed.jsonl", [
        dossier_input(),                                                  # 1 good, no id
        '{"procedure_code": "1.001193", "received_at": ',                 # 2 malformed JSON
        dossier_input(procedure_code="9.999999"),                         # 3 unknown procedure
        dossier_input(received_at="2026-02-30T09:00:00+07:00"),           # 4 no such date
        no_applicant,                                                     # 5 no applicant
        dossier_input(id=_id("mixed-6"), applicant={"full_name": "Trần Thị Hạnh"}),  # 6 good
        dossier_input(applicant={"full_name": "Hoàng Văn Bình", "sex": "male"}),  # 7 good
    ])
    ok(cli("init", "--commune", "09661"))

    first = fails(cli("import", "dossiers", str(path)))
    assert error_lines(first.stderr) == {2, 3, 4, 5}
    assert "9.999999" in first.stderr
    assert as_json(cli("status", "--json"))["dossiers"] == 3

    again = fails(cli("import", "dossiers", str(path), extra_env={"COMMUNEDESK_LANG": "en"}))
    assert error_lines(again.stderr) == {2, 3, 4, 5}
    assert "line 2" in again.stderr and "dòng" not in again.stderr
    assert as_json(cli("status", "--json"))["dossiers"] == 3


def test_import_accepts_a_file_saved_with_a_byte_order_mark(cli: Cli, tmp_path: Path) -> None:
    # Windows Notepad and Excel start UTF-8 files with a byte-order mark and end lines in CRLF.
    path = write_jsonl(tmp_path / "notepad.jsonl", [dossier_input(), LAN])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    ok(cli("init", "--commune", "09661"))
    ok(cli("import", "dossiers", str(path)))
    assert as_json(cli("status", "--json"))["dossiers"] == 2


# ------------------------------------------------------------------ 3. export

def test_export_jsonl_is_the_record_only_in_a_fixed_key_order(cli: Cli, seeded: Path) -> None:
    lines = ok(cli("export", "dossiers", profile_dir=seeded)).stdout.splitlines()
    assert len(lines) == len(seed_records())
    for record in map(json.loads, lines):
        assert list(record) == EXPORT_KEYS
        assert list(record["applicant"]) == PERSON_KEYS
        assert not SYNC_KEYS & set(record)
        assert record["received_at"].endswith("+07:00")
        assert record["due_at"].endswith("+07:00")
    assert [json.loads(line)["code"] for line in lines] == sorted(r["code"] for r in seed_records())


def test_two_profiles_with_the_same_data_export_identical_bytes(
        cli: Cli, seeded: Path, seed_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-machine"
    ok(cli("init", "--commune", "09661", "--user", "Trần Văn Nam", profile_dir=other))
    ok(cli("import", "dossiers", str(seed_file), profile_dir=other))

    first = ok(cli("export", "dossiers", profile_dir=seeded)).stdout
    second = ok(cli("export", "dossiers", profile_dir=other)).stdout
    assert first.encode("utf-8") == second.encode("utf-8")


def test_export_csv_has_a_header_and_one_row_per_dossier(cli: Cli, seeded: Path) -> None:
    text = ok(cli("export", "dossiers", "--format", "csv", profile_dir=seeded)).stdout
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:2] == ["id", "code"]
    assert "applicant.full_name" in header and "notes" in header
    assert len(rows) == len(seed_records())
    by_id = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    for record in seed_records():
        name = unicodedata.normalize("NFC", record["applicant"]["full_name"])
        assert by_id[record["id"]]["applicant.full_name"] == name
    assert json.loads(by_id[DUC["id"]]["papers"])[0]["name"] == "Tờ khai đăng ký khai sinh"


# ------------------------------------------------------------------ 4. search

def test_search_ignores_diacritics_and_matches_prefixes(cli: Cli, seeded: Path) -> None:
    accented = found(cli, seeded, "Nguyễn")
    assert DUC["code"] in codes(accented)
    assert LAN["code"] not in codes(accented)
    assert codes(found(cli, seeded, "nguyen")) == codes(accented)
    assert codes(found(cli, seeded, "nguy")) >= codes(accented)

    duc = found(cli, seeded, "Đức")
    assert {DUC["code"], LE_DUC["code"]} <= codes(duc)
    assert codes(found(cli, seeded, "duc")) == codes(duc)


def test_search_by_id_number_and_by_phone_as_typed(cli: Cli, seeded: Path) -> None:
    by_id_number = found(cli, seeded, "001085012345")
    assert by_id_number[0]["code"] == DUC["code"]
    assert by_id_number[0]["applicant_full_name"] == "Nguyễn Văn Đức"

    by_phone = found(cli, seeded, "0912 345 678")
    assert by_phone[0]["code"] == DUC["code"]
    assert {"code", "applicant_full_name"} <= set(by_phone[0])


# ------------------------------------------------------------------ 5. one dossier

def test_dossier_show_by_code_and_by_id(cli: Cli, seeded: Path) -> None:
    shown = ok(cli("dossier", "show", DUC["code"], profile_dir=seeded)).stdout
    assert DUC["code"] in shown and "Nguyễn Văn Đức" in shown and "Đã tiếp nhận" in shown

    record = as_json(cli("dossier", "show", DUC["id"], "--json", profile_dir=seeded))
    assert record["code"] == DUC["code"]
    assert record["sync_state"] == "pending"
    assert "received" in [event["kind"] for event in record["events"]]


def test_dossier_set_changes_the_editable_fields(cli: Cli, seeded: Path) -> None:
    code = DUC["code"]
    ok(cli("dossier", "set", code, "notes", "Đã gọi điện hẹn trả kết quả.", profile_dir=seeded))
    ok(cli("dossier", "set", code, "applicant.phone", "0987 654 321", profile_dir=seeded))
    ok(cli("dossier", "set", code, "applicant.address", "Thôn Chu Chế, xã Minh Châu",
           profile_dir=seeded))

    record = exported(cli, seeded)[code]
    assert record["notes"] == "Đã gọi điện hẹn trả kết quả."
    assert record["applicant"]["phone"] == "+84987654321"
    assert record["applicant"]["address"] == "Thôn Chu Chế, xã Minh Châu"
    assert codes(found(cli, seeded, "0987654321")) == {code}

    refused = fails(cli("dossier", "set", code, "status", "4", profile_dir=seeded), code=2)
    assert "status" in refused.stderr


def test_dossier_transition_follows_the_state_machine(cli: Cli, seeded: Path) -> None:
    moved = ok(cli("dossier", "transition", DUC["code"], "4", "--note", "Chuyển cán bộ tư pháp",
                   profile_dir=seeded))
    assert "Đang xử lý" in moved.stdout

    illegal = fails(cli("dossier", "transition", LAN["code"], "10", profile_dir=seeded))
    assert "illegal_transition" in illegal.stderr

    records = exported(cli, seeded)
    assert records[DUC["code"]]["status"] == 4
    assert records[LAN["code"]]["status"] == 2
    history = as_json(cli("dossier", "show", DUC["code"], "--json", profile_dir=seeded))["events"]
    assert [(e["kind"], e["from_status"], e["to_status"]) for e in history] == [
        ("received", None, 2), ("status", 2, 4)]
    assert history[-1]["note"] == "Chuyển cán bộ tư pháp"


def test_unknown_dossier_is_named_in_the_error(cli: Cli, seeded: Path) -> None:
    missing = "09661-260106-0999"
    vietnamese = fails(cli("dossier", "show", missing, profile_dir=seeded))
    assert "unknown_dossier" in vietnamese.stderr
    assert f"Không tìm thấy hồ sơ {missing}" in vietnamese.stderr

    english = fails(cli("dossier", "transition", missing, "4", profile_dir=seeded,
                        extra_env={"COMMUNEDESK_LANG": "en"}))
    assert f"No dossier {missing}" in english.stderr


# ------------------------------------------------------------------ 6. procedures

def test_procedure_list_and_due_times(cli: Cli, seeded: Path, tmp_path: Path) -> None:
    nowhere = tmp_path / "no-profile"
    procedures = as_json(cli("procedure", "list", "--json", profile_dir=nowhere))
    assert len(procedures) >= 25
    for procedure in procedures:
        assert {"code", "name", "field", "time_limit_days"} <= set(procedure)

    same_day = ok(cli("procedure", "due", "1.001193", "--received-at",
                      "2026-01-06T15:01:00+07:00", profile_dir=nowhere))
    assert same_day.stdout.strip() == "2026-01-07T17:00:00+07:00"
    assert not nowhere.exists()

    three_days = next(p["code"] for p in procedures if p["time_limit_days"] == 3)
    due = ok(cli("procedure", "due", three_days, "--received-at", "2026-01-05T09:00:00+07:00",
                 profile_dir=seeded))
    assert due.stdout.strip() == "2026-01-08T09:00:00+07:00"


# ------------------------------------------------------------------ 7. status

def test_status_json_counts(cli: Cli, seeded: Path) -> None:
    status = as_json(cli("status", "--json", profile_dir=seeded))
    assert {"dossiers", "pending", "conflicts", "last_sync"} <= set(status)
    assert status["dossiers"] == len(seed_records())
    assert status["pending"] > 0
    assert status["conflicts"] == 0
    assert status["last_sync"] is None


# ------------------------------------------------------------------ 8. doctor

def test_doctor_finds_a_damaged_blob(cli: Cli, seeded: Path) -> None:
    ok(cli("doctor", profile_dir=seeded))

    from app.profile import open_profile

    store = open_profile(seeded, PASSPHRASE)
    try:
        attachment = store.add_attachment(DUC["code"], b"%PDF-1.4 giay chung sinh", "scan.pdf",
                                          "application/pdf")
        (sha256,) = [a["sha256"] for a in store.attachments(DUC["id"]) if a["id"] == attachment]
    finally:
        store.db.close()
    ok(cli("doctor", profile_dir=seeded))

    (seeded / "blobs" / sha256[:2] / sha256).write_bytes(b"garbage, not a blob")
    damaged = fails(cli("doctor", profile_dir=seeded))
    assert sha256 in damaged.stdout


# ------------------------------------------------------------------ 9. passphrase

def test_wrong_passphrase_is_refused_and_changes_nothing(cli: Cli, seeded: Path) -> None:
    no_keychain = {"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    before = tree_digest(seeded)

    refused = fails(cli("status", profile_dir=seeded,
                        extra_env={**no_keychain, "COMMUNEDESK_PASSPHRASE": "sai mật khẩu"}))
    assert "wrong_passphrase" in refused.stderr
    assert tree_digest(seeded) == before

    status = as_json(cli("status", "--json", profile_dir=seeded, extra_env=no_keychain))
    assert status["dossiers"] == len(seed_records())


def test_a_profile_of_a_newer_version_is_refused_and_changes_nothing(cli: Cli,
                                                                      seeded: Path) -> None:
    meta = seeded / "profile.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "format": 2}))
    before = tree_digest(seeded)
    refused = fails(cli("status", profile_dir=seeded))
    assert "phiên bản CommuneDesk mới hơn" in refused.stderr
    assert "profile format 2" in refused.stderr
    english = fails(cli("status", profile_dir=seeded, extra_env={"COMMUNEDESK_LANG": "en"}))
    assert "A newer version of CommuneDesk made or upgraded this profile" in english.stderr
    assert tree_digest(seeded) == before


# ------------------------------------------------------------------ 10. usage

@pytest.mark.parametrize("args", [
    (), ("dossier", "transition", "X", "11"), ("--passphrase", "x", "status"),
], ids=["no-command", "status-11", "passphrase-in-argv"])
def test_usage_errors_exit_2(cli: Cli, args: tuple[str, ...]) -> None:
    result = fails(cli(*args), code=2)
    assert "usage:" in result.stderr

"""Tests of the procedure catalogue: the shipped data, effective dating and validation."""

from __future__ import annotations

import copy
import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from app.catalogue import (
    DEFAULT_PATH,
    SCHEMA_DIR,
    Catalogue,
    CatalogueError,
    Paper,
    Procedure,
    UnknownProcedure,
)

BIRTH, DEATH, MARRIAGE = "1.001193", "1.000656", "1.000894"
NEW_CIVIL_STATUS_LAW = date(2027, 3, 1)
VIETNAMESE_MARKS = set("ăâđêôơưĂÂĐÊÔƠƯ") | {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return Catalogue.load()


@pytest.fixture
def raw() -> dict:
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def entry(raw: dict, code: str, version: int = 1) -> dict:
    return next(e for e in raw["procedures"] if e["code"] == code and e["version"] == version)


def has_vietnamese_marks(text: str) -> bool:
    return any(ch in VIETNAMESE_MARKS for ch in unicodedata.normalize("NFD", text))


@pytest.mark.parametrize("name", ["procedure.schema.json", "catalogue.schema.json"])
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_shipped_catalogue_loads_with_enough_procedures(shipped: Catalogue) -> None:
    assert shipped.version == "2025.07.1"
    assert len({p.code for p in shipped.all_versions()}) >= 25
    assert len(shipped.current(date(2025, 7, 1))) >= 25


def test_shipped_file_is_pretty_printed_utf8(raw: dict) -> None:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert "\\u" not in text  # ensure_ascii=False
    assert text == json.dumps(raw, ensure_ascii=False, indent=2) + "\n"


def test_every_name_is_nfc_vietnamese(shipped: Catalogue) -> None:
    for procedure in shipped.all_versions():
        texts = [procedure.name, procedure.field, *(paper.name for paper in procedure.papers)]
        for text in texts:
            assert unicodedata.is_normalized("NFC", text), text
        assert has_vietnamese_marks(procedure.name), procedure.name
    assert shipped.get(BIRTH, 1).name == "Thủ tục đăng ký khai sinh"


def test_codes_are_unique_per_version(shipped: Catalogue) -> None:
    keys = [(p.code, p.version) for p in shipped.all_versions()]
    assert len(keys) == len(set(keys))


def test_version_at_switches_on_new_civil_status_law(shipped: Catalogue) -> None:
    assert shipped.version_at(BIRTH, date(2025, 7, 1)).version == 1
    assert shipped.version_at(BIRTH, date(2027, 2, 28)).version == 1
    assert shipped.version_at(BIRTH, NEW_CIVIL_STATUS_LAW).version == 2
    assert shipped.version_at(BIRTH, date(2030, 1, 1)).version == 2
    assert shipped.get(BIRTH, 2).verify is True
    current = shipped.current(NEW_CIVIL_STATUS_LAW)
    assert [p.code for p in current] == sorted({p.code for p in shipped.all_versions()})
    assert next(p for p in current if p.code == BIRTH).version == 2


def test_before_first_version_and_unknown_codes_raise(shipped: Catalogue) -> None:
    with pytest.raises(UnknownProcedure) as excinfo:
        shipped.version_at("9.999999", date(2025, 7, 1))
    assert excinfo.value.code == "unknown_procedure"
    assert "9.999999" in str(excinfo.value)
    with pytest.raises(UnknownProcedure):
        shipped.version_at(BIRTH, date(2025, 6, 30))
    with pytest.raises(UnknownProcedure):
        shipped.get(BIRTH, 3)
    assert shipped.current(date(2025, 6, 30)) == []


def test_domain_time_limits(shipped: Catalogue) -> None:
    when = date(2026, 1, 6)
    birth, death, marriage = (shipped.version_at(c, when) for c in (BIRTH, DEATH, MARRIAGE))
    assert (birth.time_limit_days, birth.verification_extension_days) == (0, 0)
    assert (death.time_limit_days, death.verification_extension_days) == (0, 0)
    assert (marriage.time_limit_days, marriage.verification_extension_days) == (0, 5)
    assert birth.is_same_day and death.is_same_day and marriage.is_same_day
    recognition = shipped.version_at("1.001022", when)
    assert (recognition.time_limit_days, recognition.verification_extension_days) == (3, 5)
    assert not recognition.is_same_day


def test_procedure_json_round_trip(raw: dict, shipped: Catalogue) -> None:
    for data in raw["procedures"]:
        procedure = Procedure.from_json(data)
        assert procedure.to_json() == data
        assert procedure == shipped.get(data["code"], data["version"])
    assert isinstance(shipped.get(BIRTH, 1).papers[0], Paper)


def test_overlapping_versions_are_rejected(raw: dict) -> None:
    entry(raw, BIRTH)["effective_to"] = "2027-03-02"
    with pytest.raises(CatalogueError) as excinfo:
        Catalogue.from_json(raw)
    assert excinfo.value.code == "catalogue_invalid"
    assert BIRTH in str(excinfo.value) and "overlapping" in str(excinfo.value)


def test_open_ended_version_followed_by_another_is_rejected(raw: dict) -> None:
    entry(raw, BIRTH)["effective_to"] = None
    with pytest.raises(CatalogueError, match=BIRTH):
        Catalogue.from_json(raw)


def test_duplicate_version_is_rejected(raw: dict) -> None:
    twin = copy.deepcopy(entry(raw, DEATH))
    twin["effective_from"] = "2030-01-01"
    raw["procedures"].append(twin)
    with pytest.raises(CatalogueError, match=f"{DEATH}: duplicate version"):
        Catalogue.from_json(raw)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("time_limit_days", -1),
        ("time_limit_days", "0"),
        ("effective_from", "01/07/2025"),
        ("result_delivery", ["fax"]),
        ("papers", [{"name": "Tờ khai", "form": "scan", "count": 1, "required": True}]),
        ("papers", [{"name": "Tờ khai", "form": "original", "count": 0, "required": True}]),
        ("unexpected", 1),
    ],
)
def test_schema_violations_name_the_entry(raw: dict, key: str, value: object) -> None:
    entry(raw, MARRIAGE)[key] = value
    with pytest.raises(CatalogueError) as excinfo:
        Catalogue.from_json(raw)
    assert MARRIAGE in str(excinfo.value)
    with pytest.raises(CatalogueError, match=MARRIAGE):
        Procedure.from_json(entry(raw, MARRIAGE))


def test_bad_code_and_missing_field_are_rejected(raw: dict) -> None:
    entry(raw, DEATH)["code"] = "1.00065"
    with pytest.raises(CatalogueError, match="1.00065"):
        Catalogue.from_json(raw)
    del entry(raw, MARRIAGE)["fee_vnd"]
    with pytest.raises(CatalogueError):
        Catalogue.from_json(raw)


def test_impossible_dates_and_reversed_ranges_are_rejected(raw: dict) -> None:
    data = entry(raw, DEATH)
    with pytest.raises(CatalogueError, match=DEATH):
        Procedure.from_json({**data, "effective_from": "2025-02-30"})
    with pytest.raises(CatalogueError, match=DEATH):
        Procedure.from_json({**data, "effective_to": "2025-07-01"})


def test_decomposed_names_are_rejected(raw: dict) -> None:
    data = entry(raw, DEATH)
    with pytest.raises(CatalogueError, match="NFC"):
        Procedure.from_json({**data, "name": unicodedata.normalize("NFD", data["name"])})


def test_load_reports_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError, match="catalogue.json"):
        Catalogue.load(path)


def test_load_from_explicit_path(tmp_path: Path, raw: dict) -> None:
    raw["catalogue_version"] = "2099.01.1"
    raw["procedures"] = [entry(raw, DEATH)]
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    catalogue = Catalogue.load(path)
    assert catalogue.version == "2099.01.1"
    assert [p.code for p in catalogue.all_versions()] == [DEATH]

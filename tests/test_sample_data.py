"""Sample people and dossiers (app.sample_data)."""

from __future__ import annotations

import random
import unicodedata
import uuid
from collections import Counter
from datetime import UTC, datetime, time, timedelta, timezone
from typing import Any

import phonenumbers
import pytest

from app import sample_data
from app.identity import check_id_number, check_phone, province_codes
from app.sample_data import dossier_records, person

PROCEDURES = [("1.001193", 0), ("1.000656", 0), ("1.000894", 0), ("2.000815", 0), ("1.004873", 3)]
START = datetime(2026, 1, 5, 8, 0, tzinfo=timezone(timedelta(hours=7)))
RECORD_KEYS = [
    "id", "procedure_code", "channel", "status", "received_at", "applicant", "co_applicants",
    "papers", "sets_count", "result_delivery", "received_by", "notes",
]  # fmt: skip
PERSON_KEYS = ["full_name", "id_number", "date_of_birth", "sex", "phone", "email", "address"]


def records(n: int, seed: int = 1, start: datetime = START) -> list[dict]:
    return list(dossier_records(n, PROCEDURES, seed=seed, start=start))


def strings(value: Any) -> list[str]:
    """Every string inside a record, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_same_seed_same_records_other_seed_other_records() -> None:
    assert records(300, seed=5) == records(300, seed=5)
    assert records(300, seed=5) != records(300, seed=6)
    assert person(random.Random(3)) == person(random.Random(3))


def test_first_id_is_the_uuid4_of_the_first_128_random_bits() -> None:
    expected = str(uuid.UUID(int=random.Random(9).getrandbits(128), version=4))
    assert records(1, seed=9)[0]["id"] == expected


def test_fast_uuid4_matches_the_uuid_module() -> None:
    rng = random.Random(0)
    for bits in [0, (1 << 128) - 1, *(rng.getrandbits(128) for _ in range(1000))]:
        assert sample_data._uuid4(bits) == str(uuid.UUID(int=bits, version=4))


def test_record_shape() -> None:
    sample = records(2000)
    officers = {"Nguyễn Thị Hoa", "Trần Văn Nam"}
    for record in sample:
        assert list(record) == RECORD_KEYS
        assert str(uuid.UUID(record["id"])) == record["id"]
        assert uuid.UUID(record["id"]).version == 4
        assert record["procedure_code"] in dict(PROCEDURES)
        assert record["channel"] in (1, 2, 3)
        assert record["status"] in (2, 4, 9, 10)
        assert list(record["applicant"]) == PERSON_KEYS
        assert 1 <= len(record["papers"]) <= 3
        assert record["papers"][0] == {"name": "Tờ khai", "form": "original", "count": 1}
        assert all(p["form"] in ("original", "copy", "certified_copy") for p in record["papers"])
        assert record["sets_count"] == 1
        assert record["result_delivery"] in ("counter", "post", "online")
        assert record["received_by"] in officers
        assert isinstance(record["notes"], str)
    ids = [r["id"] for r in sample]
    assert len(set(ids)) == len(ids)
    assert Counter(r["channel"] for r in sample).most_common(1)[0][0] == 1
    assert Counter(r["status"] for r in sample).most_common(1)[0][0] == 2
    assert Counter(r["result_delivery"] for r in sample).most_common(1)[0][0] == "counter"
    assert any(r["notes"] for r in sample) and any(not r["notes"] for r in sample)


def test_marriage_has_one_co_applicant_of_the_other_sex() -> None:
    sample = records(1000)
    marriages = [r for r in sample if r["procedure_code"] == "1.000894"]
    assert marriages
    for record in marriages:
        (spouse,) = record["co_applicants"]
        assert list(spouse) == PERSON_KEYS
        assert {spouse["sex"], record["applicant"]["sex"]} == {"male", "female"}
    assert all(r["co_applicants"] == [] for r in sample if r["procedure_code"] != "1.000894")


def test_nguyen_share_is_realistic() -> None:
    rng = random.Random(11)
    surnames = Counter(person(rng)["full_name"].split()[0] for _ in range(5000))
    assert 0.34 <= surnames["Nguyễn"] / 5000 <= 0.42
    assert [name for name, _ in surnames.most_common(3)] == ["Nguyễn", "Trần", "Lê"]
    assert len(surnames) >= 30


def test_names_by_sex() -> None:
    for sex in ("male", "female"):
        given_names = sample_data._GIVEN[sex]
        assert len(set(given_names)) == len(given_names) >= 60
    rng = random.Random(4)
    women = [person(rng, sex="female")["full_name"].split() for _ in range(500)]
    men = [person(rng, sex="male")["full_name"].split() for _ in range(500)]
    assert all(3 <= len(name) <= 5 for name in women + men)
    assert 0.3 < sum(name[1] == "Thị" for name in women) / 500 < 0.7
    assert 0.3 < sum(name[1] == "Văn" for name in men) / 500 < 0.7
    assert not any(name[1] == "Thị" for name in men)


@pytest.mark.parametrize("born_between", [(1950, 2005), (1999, 2001), (2006, 2025)])
def test_id_numbers_agree_with_date_of_birth_and_sex(born_between: tuple[int, int]) -> None:
    rng = random.Random(7)
    people = [person(rng, born_between=born_between) for _ in range(2000)]
    for p in people:
        assert check_id_number(p["id_number"], p["date_of_birth"], p["sex"]) == []
        assert born_between[0] <= int(p["date_of_birth"][:4]) <= born_between[1]
    provinces = Counter(p["id_number"][:3] for p in people)
    assert provinces.most_common(1)[0][0] == "001"
    assert len(provinces) > 10 and set(provinces) <= set(province_codes())


def test_phones_are_valid_vietnamese_mobiles_and_emails_often_missing() -> None:
    rng = random.Random(8)
    people = [person(rng) for _ in range(1000)]
    for p in people:
        assert check_phone(p["phone"]) == (p["phone"], [])
        number = phonenumbers.parse(p["phone"])
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    emails = [p["email"] for p in people if p["email"]]
    assert 0 < len(emails) < 500
    assert all(e.isascii() and "@" in e for e in emails)


def test_every_mobile_prefix_block_is_valid() -> None:
    for prefix in sample_data._MOBILE_PREFIXES:
        for block in range(100):
            number = phonenumbers.parse(f"+84{prefix}{block:02d}00000")
            assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


def test_addresses_are_in_the_commune() -> None:
    rng = random.Random(2)
    address = person(rng)["address"]
    assert address.startswith("Thôn ") and address.endswith(", xã Minh Châu, TP Hà Nội")
    other = person(rng, commune_name="Xã Hương Sơn")["address"]
    assert other.endswith(", xã Hương Sơn, TP Hà Nội")


@pytest.mark.parametrize(
    "start",
    [
        START,
        datetime(2026, 1, 10, 9, 0),  # a Saturday, naive: taken as +07:00
        datetime(2026, 1, 6, 12, 15, tzinfo=timezone(timedelta(hours=7))),  # lunch
        datetime(2026, 1, 6, 11, 0, tzinfo=UTC),  # 18:00 in Hà Nội
    ],
)
def test_received_at_increases_within_weekday_office_hours(start: datetime) -> None:
    sample = records(3000, start=start)
    times = [datetime.fromisoformat(r["received_at"]) for r in sample]
    assert all(r["received_at"].endswith("+07:00") for r in sample)
    assert all(a < b for a, b in zip(times, times[1:], strict=False))
    aware_start = start if start.tzinfo else start.replace(tzinfo=times[0].tzinfo)
    assert times[0] > aware_start
    for moment in times:
        assert moment.weekday() < 5
        clock = moment.time()
        assert time(7) <= clock < time(11, 30) or time(13, 30) <= clock < time(17)
    per_day = Counter(t.date() for t in times)
    assert 30 <= len(sample) / len(per_day) <= 50


def test_everything_is_nfc() -> None:
    sample = records(1000)
    assert all(unicodedata.is_normalized("NFC", s) for r in sample for s in strings(r))

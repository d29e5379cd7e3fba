"""Identification-number and phone checks (app.identity)."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.identity import (
    PROVINCE_CODES_FILE,
    CheckWarning,
    _parsed_phone,
    _plain_vietnamese_mobile,
    check_id_number,
    check_phone,
    id_number_facts,
    normalize_id_number,
    phone_text,
    province_codes,
)


def codes(warnings: list[CheckWarning]) -> list[str]:
    return [w.code for w in warnings]


def test_province_codes_file_is_the_63_old_provinces_sorted_and_nfc() -> None:
    text = PROVINCE_CODES_FILE.read_text(encoding="utf-8")
    provinces = json.loads(text)
    assert len(provinces) == 63
    assert list(provinces) == sorted(provinces)
    assert provinces["001"] == "Hà Nội"
    assert provinces["079"] == "Hồ Chí Minh"
    assert provinces["096"] == "Cà Mau"
    assert "003" not in provinces and "028" not in provinces
    assert unicodedata.is_normalized("NFC", text)
    assert "\\u" not in text  # written with ensure_ascii=False
    assert province_codes() == provinces


def test_consistent_hanoi_man_born_1985() -> None:
    assert check_id_number("001085012345", "1985-03-02", "male") == []
    assert id_number_facts("001085012345") == {
        "province_code": "001",
        "province": "Hà Nội",
        "sex": "male",
        "century": 1900,
        "year": 1985,
    }


def test_consistent_woman_born_2003() -> None:
    assert check_id_number("036303004567", "2003-07-15", "female") == []
    facts = id_number_facts("036303004567")
    assert facts is not None
    assert (facts["province"], facts["sex"], facts["century"], facts["year"]) == (
        "Nam Định",
        "female",
        2000,
        2003,
    )


@pytest.mark.parametrize(
    ("digit", "sex", "century"),
    [("0", "male", 1900), ("1", "female", 1900), ("2", "male", 2000), ("3", "female", 2000),
     ("4", "male", 2100), ("5", "female", 2100), ("6", "male", 2200), ("7", "female", 2200),
     ("8", "male", 2300), ("9", "female", 2300)],
)  # fmt: skip
def test_century_and_sex_digit(digit: str, sex: str, century: int) -> None:
    facts = id_number_facts(f"001{digit}45123456")
    assert facts is not None
    assert (facts["sex"], facts["century"], facts["year"]) == (sex, century, century + 45)


def test_sex_mismatch() -> None:
    warnings = check_id_number("001085012345", "1985-03-02", "female")
    assert warnings == [
        CheckWarning("id_sex_mismatch", "id_number", {"id_sex": "male", "sex": "female"})
    ]


def test_birth_year_mismatch_two_digit_year_and_century() -> None:
    warnings = check_id_number("001085012345", "1986-03-02", "male")
    assert codes(warnings) == ["id_birth_year_mismatch"]
    assert warnings[0].params == {"id_year": 1985, "birth_year": 1986}
    # Right two-digit year, wrong century: the digit 2 says a man born in the 2000s.
    assert codes(check_id_number("001285012345", "1985", "male")) == ["id_birth_year_mismatch"]


def test_unparsed_date_of_birth_and_unknown_sex_are_not_compared() -> None:
    assert check_id_number("001085012345", "02/03/1986", "other") == []
    assert check_id_number("001085012345", None, None) == []


@pytest.mark.parametrize("code", ["000", "003", "028", "097", "100", "999"])
def test_unknown_province_code(code: str) -> None:
    warnings = check_id_number(f"{code}085012345", "1985-01-01", "male")
    assert warnings == [CheckWarning("id_province_unknown", "id_number", {"code": code})]
    facts = id_number_facts(f"{code}085012345")
    assert facts is not None and facts["province"] is None


def test_several_warnings_at_once() -> None:
    assert codes(check_id_number("003185012345", "1990", "male")) == [
        "id_province_unknown",
        "id_sex_mismatch",
        "id_birth_year_mismatch",
    ]


def test_old_nine_digit_number_is_a_warning() -> None:
    assert check_id_number("012345678") == [CheckWarning("id_old_format", "id_number")]
    assert check_id_number("012 345 678")[0].severity == "warning"
    assert id_number_facts("012345678") is None


@pytest.mark.parametrize("number", ["B1234567", "c1234567", "AB1234567", " N 1234567 "])
def test_passport_is_information(number: str) -> None:
    assert check_id_number(number) == [CheckWarning("id_passport", "id_number", severity="info")]


@pytest.mark.parametrize(
    "number", ["abc", "12345", "0010850123456", "00108501234", "B12345678", "1234567B", "O0I"]
)
def test_malformed(number: str) -> None:
    assert codes(check_id_number(number)) == ["id_malformed"]


@pytest.mark.parametrize("number", [None, "", "   "])
def test_empty_number_gives_no_warning(number: str | None) -> None:
    assert check_id_number(number, "1985-01-01", "male") == []


@pytest.mark.parametrize(
    "number", ["001 085 012 345", "001.085.012.345", " 001-085-012345 ", "001\u00a0085\t012345"]
)
def test_spaces_dots_and_dashes_are_stripped(number: str) -> None:
    assert normalize_id_number(number) == "001085012345"
    assert check_id_number(number, "1985-03-02", "male") == []


def test_normalize_upper_cases_letters() -> None:
    assert normalize_id_number(" b-123.4567 ") == "B1234567"


@given(st.text(), st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_check_id_number_never_raises(number: str, date_of_birth: str | None, sex: str | None):
    warnings = check_id_number(number, date_of_birth, sex)
    assert all(isinstance(w, CheckWarning) for w in warnings)


@given(st.from_regex(r"[0-9 .\-]{0,20}", fullmatch=True) | st.text())
def test_check_phone_never_raises(phone: str) -> None:
    e164, warnings = check_phone(phone)
    assert e164 is None or e164.startswith("+")
    assert all(isinstance(w, CheckWarning) for w in warnings)


@given(st.sampled_from(["0", "+84", "84", "+840", "00"]),
       st.from_regex(r"[0-9]{8,10}", fullmatch=True))
def test_plain_mobile_shortcut_agrees_with_the_parser(prefix: str, digits: str) -> None:
    """The shortcut for plainly written Vietnamese mobiles answers exactly as phonenumbers'
    parser does, for mobiles and for every near miss (other types, lengths and prefixes)."""
    phone = prefix + digits
    assert check_phone(phone) == _parsed_phone(phone)


@pytest.mark.parametrize("phone", ["0912345678", "+84912345678", "0328123456", "0701234567",
                                   "0812345678", "0562345678", "0591234567"])
def test_plain_mobiles_take_the_shortcut(phone: str) -> None:
    assert _plain_vietnamese_mobile(phone) == "+84" + phone.removeprefix("0").removeprefix("+84")
    assert check_phone(phone) == _parsed_phone(phone)


@pytest.mark.parametrize("phone", ["02438251234", "18001234", "0912 345 678", "0112345678"])
def test_other_phones_go_to_the_parser(phone: str) -> None:
    assert _plain_vietnamese_mobile(phone) is None


@pytest.mark.parametrize(
    ("phone", "e164"),
    [
        ("0912345678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("024 3825 1234", "+842438251234"),  # Hà Nội landline
    ],
)
def test_valid_phones(phone: str, e164: str) -> None:
    assert check_phone(phone) == (e164, [])


@pytest.mark.parametrize("phone", ["12345", "abc", "0912", "+84 12"])
def test_invalid_phones(phone: str) -> None:
    assert check_phone(phone) == (None, [CheckWarning("phone_invalid", "phone")])


def test_toll_free_number_is_unusual() -> None:
    assert check_phone("1800 1234") == (
        "+8418001234",
        [CheckWarning("phone_unusual_type", "phone", {"type": "TOLL_FREE"})],
    )


@pytest.mark.parametrize("phone", [None, "", "  "])
def test_empty_phone(phone: str | None) -> None:
    assert check_phone(phone) == (None, [])


def test_phone_text_is_what_people_write() -> None:
    assert phone_text("+84912345678") == "0912 345 678"
    assert phone_text("+842438251234") == "024 3825 1234"
    assert phone_text("+4915112345678") == "+49 1511 2345678"  # a foreign number stays so
    assert phone_text("số cũ") == "số cũ"  # unparsable: as typed
    assert phone_text(None) == phone_text("") == ""

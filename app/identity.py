"""Checks for citizens' identification numbers and phone numbers.

The 12-digit personal identification number (số định danh cá nhân) reads ``PPP G YY NNNNNN``:
the province where the birth was registered (the old 63-province codes of Circular
07/2016/TT-BCA, still valid after the 2025 merger, listed in
``resources/identity/province_codes.json``), a century-and-sex digit, the last two digits of the
birth year and six random digits. It has no check digit, so only its shape and its agreement with
the date of birth and sex entered can be checked. Old 9-digit ID numbers and passports still
occur.

Every check only warns, it never blocks: the functions return :class:`CheckWarning` codes, never
user-facing text; the UI translates the codes. Phone numbers are parsed with ``phonenumbers``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

PROVINCE_CODES_FILE = (
    Path(__file__).resolve().parent.parent / "resources" / "identity" / "province_codes.json"
)

# Century-and-sex digit (Circular 07/2016/TT-BCA, art. 7): even digits are men, odd digits women;
# 0/1 the 1900s, 2/3 the 2000s, 4/5 the 2100s, 6/7 the 2200s, 8/9 the 2300s.
_CENTURIES = (1900, 2000, 2100, 2200, 2300)
_SEXES = ("male", "female")

_SEPARATORS = re.compile(r"[\s.\-–—]+")
_CITIZEN_ID = re.compile(r"[0-9]{12}")
_OLD_ID = re.compile(r"[0-9]{9}")
_PASSPORT = re.compile(r"[A-Z]{1,2}[0-9]{7}")
_BIRTH_YEAR = re.compile(r"\s*([0-9]{4})(?:-[0-9]{2}-[0-9]{2})?\s*")

_USUAL_PHONE_TYPES = frozenset(
    {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


@dataclass(frozen=True)
class CheckWarning:
    """A finding about one field, as a code the UI translates.

    ``severity`` is ``"warning"`` when the value is probably wrong, ``"info"`` when it is merely
    worth noticing (a passport number instead of an identification number).
    """

    code: str
    field: str
    params: dict = field(default_factory=dict)
    severity: str = "warning"


@cache
def province_codes() -> dict[str, str]:
    """Birth-registration province codes, ``{"001": "Hà Nội", ...}``."""
    return json.loads(PROVINCE_CODES_FILE.read_text(encoding="utf-8"))


def normalize_id_number(id_number: str) -> str:
    """Remove whitespace, dots and dashes, and upper-case letters: ``"001 085.012345"``."""
    return _SEPARATORS.sub("", id_number).upper()


def id_number_facts(id_number: str) -> dict | None:
    """What a 12-digit identification number says about its holder, or None for other shapes.

    ``province`` is None when the province code is not in the list.
    """
    number = normalize_id_number(id_number)
    if not _CITIZEN_ID.fullmatch(number):
        return None
    code, digit = number[:3], int(number[3])
    century = _CENTURIES[digit // 2]
    return {
        "province_code": code,
        "province": province_codes().get(code),
        "sex": _SEXES[digit % 2],
        "century": century,
        "year": century + int(number[4:6]),
    }


def check_id_number(
    id_number: str | None, date_of_birth: str | None = None, sex: str | None = None
) -> list[CheckWarning]:
    """Warnings about an identification number, compared with the date of birth and sex entered.

    ``date_of_birth`` is ``"YYYY-MM-DD"`` or ``"YYYY"``; ``sex`` is ``"male"`` or ``"female"``.
    Other values of either are not compared. An empty number gives no warnings.
    """
    if not id_number or not id_number.strip():
        return []
    number = normalize_id_number(id_number)
    facts = id_number_facts(number)
    if facts is None:
        if _OLD_ID.fullmatch(number):
            return [CheckWarning("id_old_format", "id_number")]
        if _PASSPORT.fullmatch(number):
            return [CheckWarning("id_passport", "id_number", severity="info")]
        return [CheckWarning("id_malformed", "id_number")]

    warnings = []
    if facts["province"] is None:
        warnings.append(
            CheckWarning("id_province_unknown", "id_number", {"code": facts["province_code"]})
        )
    if sex in _SEXES and sex != facts["sex"]:
        warnings.append(
            CheckWarning("id_sex_mismatch", "id_number", {"id_sex": facts["sex"], "sex": sex})
        )
    birth_year = _BIRTH_YEAR.fullmatch(date_of_birth or "")
    if birth_year and int(birth_year[1]) != facts["year"]:
        warnings.append(
            CheckWarning(
                "id_birth_year_mismatch",
                "id_number",
                {"id_year": facts["year"], "birth_year": int(birth_year[1])},
            )
        )
    return warnings


def check_phone(phone: str | None) -> tuple[str | None, list[CheckWarning]]:
    """Parse a phone number (Vietnamese unless it starts with ``+``).

    Returns the E.164 form (``"+84912345678"``) and warnings: ``phone_invalid`` when the text is
    not a valid number (the E.164 form is then None), ``phone_unusual_type`` for a valid number
    that is neither a mobile nor a fixed line, with its type (``{"type": "TOLL_FREE"}``).
    """
    if not phone or not phone.strip():
        return None, []
    mobile = _plain_vietnamese_mobile(phone)
    if mobile is not None:
        return mobile, []
    return _parsed_phone(phone)


# Most phones typed or imported are Vietnamese mobiles written plainly (0912345678,
# +84912345678). Those are decided from phonenumbers' own metadata without its general parser,
# the slowest step of validating an imported dossier: the national number matches the country's
# and the mobile pattern and no pattern of an unusual type, which is the test
# phonenumbers.number_type makes before it answers MOBILE. Anything else goes to the parser
# (tests compare the two).
_VN_METADATA = phonenumbers.PhoneMetadata.metadata_for_region("VN")
_PLAIN_VN_PHONE = re.compile(r"(?:0|\+84)([0-9]{9})")
_VN_GENERAL = re.compile(_VN_METADATA.general_desc.national_number_pattern)
_VN_MOBILE = re.compile(_VN_METADATA.mobile.national_number_pattern)
_VN_UNUSUAL = re.compile("|".join(
    f"(?:{desc.national_number_pattern})"
    for desc in (_VN_METADATA.premium_rate, _VN_METADATA.toll_free, _VN_METADATA.shared_cost,
                 _VN_METADATA.voip, _VN_METADATA.personal_number, _VN_METADATA.pager,
                 _VN_METADATA.uan, _VN_METADATA.voicemail)
    if desc is not None and desc.national_number_pattern
))


def _plain_vietnamese_mobile(phone: str) -> str | None:
    """The E.164 form of a plainly written Vietnamese mobile number; None for anything else."""
    match = _PLAIN_VN_PHONE.fullmatch(phone)
    if match is None:
        return None
    national = match.group(1)
    if (_VN_GENERAL.fullmatch(national) and _VN_MOBILE.fullmatch(national)
            and not _VN_UNUSUAL.fullmatch(national)):
        return "+84" + national
    return None


def _parsed_phone(phone: str) -> tuple[str | None, list[CheckWarning]]:
    """``check_phone`` by phonenumbers' general parser."""
    try:
        number = phonenumbers.parse(phone, "VN")
    except NumberParseException:
        return None, [CheckWarning("phone_invalid", "phone")]
    # number_type is UNKNOWN exactly when is_valid_number is false: one lookup instead of two.
    number_type = phonenumbers.number_type(number)
    if number_type == PhoneNumberType.UNKNOWN:
        return None, [CheckWarning("phone_invalid", "phone")]
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if number_type in _USUAL_PHONE_TYPES:
        return e164, []
    type_name = PhoneNumberType.to_string(number_type)
    return e164, [CheckWarning("phone_unusual_type", "phone", {"type": type_name})]


def phone_text(value: str | None) -> str:
    """A stored phone (E.164 when it parsed) as people write it: a Vietnamese number in the
    national form (``"+84912345678"`` is ``"0912 345 678"``), a foreign one in the
    international form, anything unparsable as it was typed; "" for none."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "VN")
    except NumberParseException:
        return value
    if number.country_code == 84:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)

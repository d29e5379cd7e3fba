"""The pure rules of the correspondence registers (app/registers.py): Decree 30 types and
symbols, series, register years in Hà Nội, urgency and secrecy levels."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app import registers as reg
from app.dossier import VN_TZ
from app.errors import InvalidField

DOMAIN_LIST = ("NQ QĐ CT QC QyĐ TC TB HD CTr KH PA ĐA DA BC BB TTr HĐ CĐ BGN BTT GUQ GM GGT GNP "
               "PG PC PB").split()


def test_the_decree_30_list_is_complete_with_copies_and_cong_van() -> None:
    abbreviations = [t.abbreviation for t in reg.DOC_TYPES]
    assert abbreviations[: len(DOMAIN_LIST)] == DOMAIN_LIST
    assert [t.abbreviation for t in reg.DOC_TYPES if t.copy] == ["SY", "TrS", "SL"]
    assert "CV" in abbreviations and len(set(abbreviations)) == len(abbreviations)
    assert reg.doc_type("QĐ").vi == "Quyết định"
    assert reg.doc_type("CV").vi == "Công văn"
    assert reg.doc_type("TTr").vi == "Tờ trình"


def test_type_lookup_ignores_case_but_not_the_letter_d_with_stroke() -> None:
    assert reg.doc_type("qđ").abbreviation == "QĐ"
    assert reg.doc_type(" qyđ ").abbreviation == "QyĐ"
    assert reg.doc_type("DA").vi == "Dự án"
    assert reg.doc_type("ĐA").vi == "Đề án"
    with pytest.raises(InvalidField) as refused:
        reg.doc_type("QD")  # not folded: "QD" is no abbreviation of the decree
    assert refused.value.params["field"] == "doc_type"
    assert not reg.is_known_type("NĐ") and reg.is_known_type("tb")


@pytest.mark.parametrize(("number", "doc_type", "issuer", "unit", "expected"), [
    (15, "QĐ", "UBND", None, "15/QĐ-UBND"),
    (5, "TB", "UBND", "VP", "05/TB-UBND"),  # leading zero; the unit is not in a typed symbol
    (1, "KH", "UBND", None, "01/KH-UBND"),
    (12, "CV", "UBND", "VP", "12/UBND-VP"),  # a công văn has no type abbreviation
    (9, "CV", "UBND", None, "09/UBND"),
    (123, "qđ", "UBND", None, "123/QĐ-UBND"),
    (10, "QyĐ", "UBND", None, "10/QyĐ-UBND"),
])
def test_symbols(number: int, doc_type: str, issuer: str, unit: str | None,
                 expected: str) -> None:
    assert reg.symbol(number, doc_type, issuer, unit) == expected


def test_symbols_refuse_what_the_decree_has_no_form_for() -> None:
    with pytest.raises(InvalidField):
        reg.symbol(0, "QĐ", "UBND")
    with pytest.raises(InvalidField):
        reg.symbol(3, "QĐ", " ")
    with pytest.raises(InvalidField):
        reg.symbol(3, "XYZ", "UBND")
    assert reg.number_text(7) == "07" and reg.number_text(10) == "10"


def test_series_of_a_secrecy_level() -> None:
    assert reg.series_of("none") == "ordinary"
    assert {reg.series_of(s) for s in ("confidential", "secret", "top_secret")} == {"secret"}
    with pytest.raises(InvalidField):
        reg.series_of("classified")


def test_the_register_year_is_the_year_in_ha_noi() -> None:
    # 17:00 UTC on 31 December is midnight in Hà Nội: the new register.
    assert reg.register_year(datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC)) == 2026
    assert reg.register_year(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == 2027
    assert reg.register_year(datetime(2027, 1, 1, 0, 1, tzinfo=VN_TZ)) == 2027
    with pytest.raises(ValueError):
        reg.register_year(datetime(2026, 1, 1))


def test_urgency_and_secrecy_levels_in_order_with_their_names() -> None:
    assert [reg.URGENCY[u][0] for u in reg.URGENCY] == ["Thường", "Khẩn", "Thượng khẩn",
                                                        "Hỏa tốc"]
    assert [reg.SECRECY[s][0] for s in reg.SECRECY][1:] == ["Mật", "Tối mật", "Tuyệt mật"]
    assert reg.urgency_rank("urgent") < reg.urgency_rank("very_urgent") < reg.urgency_rank(
        "flash")
    assert reg.secrecy_rank("confidential") < reg.secrecy_rank("secret") < reg.secrecy_rank(
        "top_secret")
    assert not reg.is_urgent("normal") and reg.is_urgent("urgent") and reg.is_urgent("flash")

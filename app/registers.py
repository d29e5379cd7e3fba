"""The rules of the correspondence registers under Decree 30/2020/NĐ-CP (pure functions).

What a register is (docs/decisions/0009): one number series, (commune, kind ``incoming`` or
``outgoing``, calendar year, series ``ordinary`` or ``secret``). This module owns the data and
rules that need no database: the Decree 30 list of document types with their abbreviations
(Appendix III; ``CV`` for a công văn, which has no abbreviation of its own), how a number and
symbol is written (``15/QĐ-UBND``, ``12/UBND-VP``, a leading zero below 10), the series of a
secrecy level, the register year of a moment (Asia/Ho_Chi_Minh), and the urgency and secrecy
levels with their Vietnamese names and order (Khẩn < Thượng khẩn < Hỏa tốc; Mật < Tối mật <
Tuyệt mật). The names are domain data (like procedure names), not interface strings: the UI
shows ``vi`` or ``en``. Thread-safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.dossier import VN_TZ
from app.errors import InvalidField
from app.textnorm import nfc

INCOMING, OUTGOING = "incoming", "outgoing"
KINDS = (INCOMING, OUTGOING)
ORDINARY, SECRET = "ordinary", "secret"
SERIES = (ORDINARY, SECRET)
CONG_VAN = "CV"


@dataclass(frozen=True)
class DocType:
    """One document type: its abbreviation in symbols, its names, and whether it is a copy."""

    abbreviation: str
    vi: str
    en: str
    copy: bool = False


# Decree 30/2020, Appendix III, in the decree's order; then the copies; then the công văn.
DOC_TYPES: tuple[DocType, ...] = (
    DocType("NQ", "Nghị quyết", "Resolution"),
    DocType("QĐ", "Quyết định", "Decision"),
    DocType("CT", "Chỉ thị", "Directive"),
    DocType("QC", "Quy chế", "Regulation"),
    DocType("QyĐ", "Quy định", "Rule"),
    DocType("TC", "Thông cáo", "Communiqué"),
    DocType("TB", "Thông báo", "Notice"),
    DocType("HD", "Hướng dẫn", "Guidance"),
    DocType("CTr", "Chương trình", "Programme"),
    DocType("KH", "Kế hoạch", "Plan"),
    DocType("PA", "Phương án", "Option"),
    DocType("ĐA", "Đề án", "Scheme"),
    DocType("DA", "Dự án", "Project"),
    DocType("BC", "Báo cáo", "Report"),
    DocType("BB", "Biên bản", "Minutes"),
    DocType("TTr", "Tờ trình", "Submission"),
    DocType("HĐ", "Hợp đồng", "Contract"),
    DocType("CĐ", "Công điện", "Official dispatch"),
    DocType("BGN", "Bản ghi nhớ", "Memorandum"),
    DocType("BTT", "Bản thỏa thuận", "Agreement"),
    DocType("GUQ", "Giấy ủy quyền", "Power of attorney"),
    DocType("GM", "Giấy mời", "Invitation"),
    DocType("GGT", "Giấy giới thiệu", "Letter of introduction"),
    DocType("GNP", "Giấy nghỉ phép", "Leave permit"),
    DocType("PG", "Phiếu gửi", "Dispatch slip"),
    DocType("PC", "Phiếu chuyển", "Transfer slip"),
    DocType("PB", "Phiếu báo", "Notification slip"),
    DocType("SY", "Bản sao y", "True copy", copy=True),
    DocType("TrS", "Bản trích sao", "Extract copy", copy=True),
    DocType("SL", "Bản sao lục", "Transcript copy", copy=True),
    DocType(CONG_VAN, "Công văn", "Official letter"),
)
_BY_ABBREVIATION = {t.abbreviation: t for t in DOC_TYPES}
# Case-insensitive look-up; diacritics are NOT folded ("DA" Dự án and "ĐA" Đề án differ).
_BY_UPPER = {t.abbreviation.upper(): t for t in DOC_TYPES}

# Urgency (độ khẩn) and secrecy (độ mật), lowest first; the schema's values with their names.
URGENCY: dict[str, tuple[str, str]] = {
    "normal": ("Thường", "Normal"),
    "urgent": ("Khẩn", "Urgent"),
    "very_urgent": ("Thượng khẩn", "Very urgent"),
    "flash": ("Hỏa tốc", "Flash"),
}
SECRECY: dict[str, tuple[str, str]] = {
    "none": ("Thường", "Not secret"),
    "confidential": ("Mật", "Confidential"),
    "secret": ("Tối mật", "Secret"),
    "top_secret": ("Tuyệt mật", "Top secret"),
}
INCOMING_STATUSES = ("registered", "directed", "in_progress", "done")
OUTGOING_STATUSES = ("draft", "issued", "void")


def doc_type(text: str) -> DocType:
    """The Decree 30 type of an abbreviation (``QĐ``, ``qđ``, ``CV``); ``InvalidField``
    (``doc_type``) when it is not one. ``DA`` (Dự án) and ``ĐA`` (Đề án) are different."""
    key = nfc(text).strip()
    found = _BY_ABBREVIATION.get(key) or _BY_UPPER.get(key.upper())
    if found is None:
        raise InvalidField(f"doc_type: {key!r} is not a Decree 30 type abbreviation",
                           field="doc_type", doc_type=key)
    return found


def is_known_type(text: str) -> bool:
    try:
        doc_type(text)
    except InvalidField:
        return False
    return True


def number_text(number: int) -> str:
    """A register number as written: two digits at least (``05``, ``12``, ``123``)."""
    if number < 1:
        raise InvalidField(f"number: {number} is not a register number", field="number")
    return f"{number:02d}"


def symbol(number: int, doc_type_text: str, issuer: str, drafting_unit: str | None = None
           ) -> str:
    """The number and symbol of an outgoing document (Decree 30, Appendix I).

    ``15/QĐ-UBND`` for a typed document (the drafting unit is not part of it); a công văn
    (``CV``) has no type abbreviation: ``12/UBND-VP`` with the drafting unit, ``12/UBND``
    without one. Numbers below 10 take a leading zero (``05/TB-UBND``)."""
    kind = doc_type(doc_type_text)
    body = nfc(issuer).strip()
    if not body:
        raise InvalidField("issuer: the issuing body's abbreviation is needed", field="issuer")
    if kind.abbreviation == CONG_VAN:
        unit = nfc(drafting_unit or "").strip()
        return f"{number_text(number)}/{body}-{unit}" if unit else f"{number_text(number)}/{body}"
    return f"{number_text(number)}/{kind.abbreviation}-{body}"


def series_of(secrecy: str) -> str:
    """The number series of a secrecy level: every level but ``none`` shares the secret one."""
    if secrecy not in SECRECY:
        raise InvalidField(f"secrecy: {secrecy!r} is not a secrecy level", field="secrecy")
    return ORDINARY if secrecy == "none" else SECRET


def register_year(moment: datetime) -> int:
    """The calendar year of ``moment`` in Hà Nội (a register runs 1 January – 31 December)."""
    if moment.tzinfo is None:
        raise ValueError("register_year needs a timezone-aware moment")
    return moment.astimezone(VN_TZ).year


def urgency_rank(urgency: str) -> int:
    """0 for normal, then Khẩn < Thượng khẩn < Hỏa tốc."""
    return list(URGENCY).index(urgency)


def secrecy_rank(secrecy: str) -> int:
    """0 for not secret, then Mật < Tối mật < Tuyệt mật."""
    return list(SECRECY).index(secrecy)


def is_urgent(urgency: str) -> bool:
    """Urgent documents stand out in every list (any level above normal)."""
    return urgency != "normal"


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidField(f"kind: {kind!r} is neither incoming nor outgoing", field="kind")
    return kind


def check_series(series: str) -> str:
    if series not in SERIES:
        raise InvalidField(f"series: {series!r} is neither ordinary nor secret", field="series")
    return series

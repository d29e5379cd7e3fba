"""Intake (tiếp nhận hồ sơ) helpers behind the desktop form: no Qt, no user-facing text.

What the intake form needs from the core, in plain Python so it can be tested without a screen:
finding a procedure by an accent-insensitive search, reading dates of birth as an officer types
them (``dd/MM/yyyy``, ``ddMMyyyy`` or a bare year), the soft checks of a person's fields (warning
codes only; the UI translates them), building the input dict of ``Store.create_dossier``, telling
an attachment's type from its first bytes, and the database jobs of the form: what it loads, the
due time it previews, and the save that stores a dossier with its attachments in one transaction.

Threading: the pure functions are thread-safe and fast (the form calls the checks on the GUI
thread while a person types); the functions taking a ``Store`` run on the thread that owns it
(the desktop app's database worker).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.catalogue import Procedure
from app.db import transaction
from app.dossier import PERSON_KEYS, VN_TZ
from app.errors import DomainError
from app.identity import CheckWarning, check_id_number, check_phone
from app.store import DEFAULT_MAX_ATTACHMENT_BYTES, Store
from app.textnorm import fold, nfc, vn_sort_key

DEFAULT_MAX_IMAGE_PX = 2000
MAX_BYTES_SETTING = "attachments.max_bytes"
MAX_IMAGE_PX_SETTING = "attachments.max_image_px"
JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
IMAGE_TYPES = frozenset({JPEG, PNG})

_DATE_SEPARATORS = re.compile(r"\s*[/.\-]\s*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


# ------------------------------------------------------------------ procedures


def find_procedures(procedures: Iterable[Procedure], query: str) -> list[Procedure]:
    """The procedures a search matches, best first; every procedure for an empty query.

    Matching ignores case and diacritics (``fold``: "dang ky ket hon" finds "Thủ tục đăng ký kết
    hôn", and so does "đăng ký kết hôn"). A name that holds the whole query as a phrase ranks
    before one that holds its words apart, then the field's name, then a code that starts with
    the query; shorter names first (the plain procedure before its variants), then Vietnamese
    alphabetical order. An empty query lists by field, then name.
    """
    words = fold(nfc(query)).split()
    if not words:
        return sorted(procedures, key=lambda p: (vn_sort_key(p.field), vn_sort_key(p.name)))
    phrase = " ".join(words)
    ranked: list[tuple[tuple[int, int, str], Procedure]] = []
    for procedure in procedures:
        name = " ".join(fold(procedure.name).split())
        if phrase in name:
            rank = 0
        elif all(word in name for word in words):
            rank = 1
        elif all(word in f"{name} {fold(procedure.field)}" for word in words):
            rank = 2
        elif procedure.code.startswith(phrase):
            rank = 3
        else:
            continue
        ranked.append(((rank, len(name), vn_sort_key(procedure.name)), procedure))
    return [procedure for _, procedure in sorted(ranked, key=lambda item: item[0])]


# ------------------------------------------------------------------ people


@dataclass(frozen=True)
class DateOfBirth:
    """A date of birth as typed: its storage form (``YYYY-MM-DD`` or ``YYYY``) when it reads as
    one, and the warning code when it does not (``dob_invalid``, ``dob_future``)."""

    iso: str | None
    problem: str | None = None

    @property
    def display(self) -> str | None:
        """``dd/MM/yyyy`` (or the bare year) of a valid date, to show back in the field."""
        if self.iso is None:
            return None
        if len(self.iso) == 4:
            return self.iso
        year, month, day = self.iso.split("-")
        return f"{day}/{month}/{year}"


def parse_date_of_birth(text: str, today: date) -> DateOfBirth:
    """Read ``dd/MM/yyyy`` (also with ``.`` or ``-``, one-digit day and month, or eight digits
    ``ddMMyyyy``) or a bare year ``yyyy`` (many elderly citizens' papers give only the year).
    Empty text is no date and no problem."""
    text = text.strip()
    if not text:
        return DateOfBirth(None)
    if re.fullmatch(r"[0-9]{4}", text):
        year = int(text)
        if year < 1850:
            return DateOfBirth(None, "dob_invalid")
        if year > today.year:
            return DateOfBirth(None, "dob_future")
        return DateOfBirth(text)
    if re.fullmatch(r"[0-9]{8}", text):
        parts = [text[:2], text[2:4], text[4:]]
    else:
        parts = _DATE_SEPARATORS.split(text)
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        return DateOfBirth(None, "dob_invalid")
    try:
        born = date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return DateOfBirth(None, "dob_invalid")
    if born.year < 1850:
        return DateOfBirth(None, "dob_invalid")
    if born > today:
        return DateOfBirth(None, "dob_future")
    return DateOfBirth(born.isoformat())


def check_person(fields: Mapping[str, str], today: date) -> dict[str, list[CheckWarning]]:
    """Soft checks of one person's fields as typed, by field name; they never block a save.

    ``fields`` holds the texts of ``PERSON_KEYS`` (``sex`` is ``male``, ``female`` or empty,
    ``date_of_birth`` as typed). The identification number is compared with the date of birth
    and sex (``app.identity.check_id_number``), the phone parsed (``check_phone``), the date of
    birth read (``dob_invalid``, ``dob_future``) and the e-mail shape looked at (``email_invalid``).
    """
    born = parse_date_of_birth(fields.get("date_of_birth") or "", today)
    found: dict[str, list[CheckWarning]] = {
        "id_number": check_id_number(fields.get("id_number") or None, born.iso,
                                     fields.get("sex") or None),
        "phone": check_phone(fields.get("phone") or None)[1],
        "date_of_birth": ([CheckWarning(born.problem, "date_of_birth")] if born.problem else []),
        "email": [],
    }
    email = (fields.get("email") or "").strip()
    if email and not _EMAIL.fullmatch(email):
        found["email"].append(CheckWarning("email_invalid", "email"))
    return found


def person_input(fields: Mapping[str, str], today: date) -> dict[str, Any]:
    """One person of the input dict (``dossier.schema.json``'s ``person``) from the texts of the
    form; a date of birth that does not read as one is left out (the form asks first)."""
    person: dict[str, Any] = {key: (nfc(fields.get(key) or "").strip() or None)
                              for key in PERSON_KEYS}
    person["date_of_birth"] = parse_date_of_birth(fields.get("date_of_birth") or "", today).iso
    if person["sex"] not in ("male", "female"):
        person["sex"] = None
    return person


def intake_input(procedure_code: str, applicant: Mapping[str, Any], *,
                 co_applicants: Sequence[Mapping[str, Any]] = (),
                 papers: Sequence[Mapping[str, Any]] = (), sets_count: int = 1,
                 result_delivery: str = "counter", notes: str = "",
                 received_by: str | None = None) -> dict[str, Any]:
    """The input dict of ``Store.create_dossier`` for a dossier received now, at the counter
    (channel 1); the store's clock gives ``received_at``, so code and due time follow it."""
    return {
        "procedure_code": procedure_code,
        "channel": 1,
        "applicant": dict(applicant),
        "co_applicants": [dict(person) for person in co_applicants],
        "papers": [{"name": p["name"], "form": p["form"], "count": int(p["count"])}
                   for p in papers],
        "sets_count": sets_count,
        "result_delivery": result_delivery,
        "received_by": received_by or None,
        "notes": nfc(notes).strip(),
    }


# ------------------------------------------------------------------ attachments


class AttachmentRefused(DomainError):
    """A file the form will not attach. ``reason``: ``too_large`` (with ``size`` and ``limit``),
    ``unknown_type``, ``unreadable`` or ``image_unreadable``; ``file_name`` names it."""

    code = "attachment_refused"


@dataclass(frozen=True)
class AttachmentLimits:
    max_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES
    max_image_px: int = DEFAULT_MAX_IMAGE_PX


@dataclass(frozen=True)
class PreparedAttachment:
    """A file read (and a photo downscaled) for a dossier not yet saved: what will be stored."""

    file_name: str
    media_type: str
    data: bytes = field(repr=False)
    source_size: int  # bytes of the file as chosen
    source_px: tuple[int, int] | None = None  # a photo's pixel size as chosen
    stored_px: tuple[int, int] | None = None  # its pixel size as stored

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def downscaled(self) -> bool:
        return self.source_px is not None and self.source_px != self.stored_px


def sniff_media_type(head: bytes) -> str | None:
    """The media type of a file from its first bytes (JPEG, PNG or PDF), None for any other:
    a file's name can lie, its content cannot."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-"):
        return PDF
    return None


def attachment_limits(store: Store) -> AttachmentLimits:
    """The profile's limits (settings ``attachments.max_bytes``, ``attachments.max_image_px``);
    a value that is not a positive number falls back to the default."""
    def positive(key: str, default: int) -> int:
        try:
            value = int(store.setting(key) or default)
        except ValueError:
            return default
        return value if value > 0 else default

    return AttachmentLimits(positive(MAX_BYTES_SETTING, DEFAULT_MAX_ATTACHMENT_BYTES),
                            positive(MAX_IMAGE_PX_SETTING, DEFAULT_MAX_IMAGE_PX))


# ------------------------------------------------------------------ database jobs


@dataclass(frozen=True)
class IntakeSetup:
    """What the form loads when it opens: the procedures current today and the limits."""

    today: date
    procedures: list[Procedure]
    limits: AttachmentLimits


def load_setup(store: Store) -> IntakeSetup:
    today = store.clock.now().astimezone(VN_TZ).date()
    return IntakeSetup(today, store.catalogue.current(today), attachment_limits(store))


def due_preview(store: Store, procedure_code: str) -> datetime:
    """The appointment time a dossier of ``procedure_code`` received now would get (UTC), the
    way ``create_dossier`` computes it."""
    now = store.clock.now()
    procedure = store.procedure_for(procedure_code, now)
    return store.due_calculator.due_at(now, procedure.time_limit_days)


@dataclass(frozen=True)
class IntakeResult:
    record: dict[str, Any]
    warnings: list[CheckWarning]
    attachment_ids: list[str]


def save_intake(store: Store, raw: Mapping[str, Any],
                attachments: Sequence[PreparedAttachment] = ()) -> IntakeResult:
    """Receive a dossier and its attachments in one transaction: all of it is stored, or
    nothing (a refused attachment leaves no dossier behind, and the form keeps what was typed,
    so the officer can take the file out and save again)."""
    with transaction(store.db):
        record, warnings = store.create_dossier(raw)
        ids = [store.add_attachment(record["id"], item.data, item.file_name, item.media_type)
               for item in attachments]
    return IntakeResult(record, warnings, ids)

"""The dossier record: its canonical JSON shape, input validation, and its database rows.

A record is a plain dict in the shape of ``resources/schemas/dossier.schema.json`` with keys in
``RECORD_KEYS`` order (so exports are byte-identical across machines). Input is checked against
the JSON Schema, then for what a schema cannot say (real dates, NFC text, phone form). Changed
fields travel to the server by dotted path (``applicant.phone``); lists are replaced whole.
Pure functions, thread-safe.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema_rs
import orjson

from app.errors import InvalidField, InvalidRecord
from app.identity import CheckWarning, check_id_number, check_phone, normalize_id_number
from app.textnorm import nfc

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
RECORD_KEYS = (
    "id", "code", "procedure_code", "procedure_version", "channel", "status", "received_at",
    "due_at", "calendar_version", "applicant", "co_applicants", "papers", "sets_count",
    "result_delivery", "received_by", "notes", "assigned_to", "verification_days", "apologies",
)
PERSON_KEYS = ("full_name", "id_number", "date_of_birth", "sex", "phone", "email", "address")
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Namespace for ids of import lines that come without one (UUIDv5 of the line's content).
IMPORT_NAMESPACE = uuid.UUID("6f1c1b52-9d0e-4a8e-9a51-3c1f0c4b7d21")
# Fields a person may change with ``dossier set`` (status moves go through transitions).
EDITABLE_FIELDS = ("notes", "applicant.phone", "applicant.address")
# Fields the workflow actions change (app/actions.py through ``Store.update_dossier``); each is
# a column of the same name.
WORKFLOW_FIELDS = ("status", "due_at", "assigned_to", "verification_days", "apologies")
# Values of the keys added after the first release, for a record made without them (a
# generated or older input, a row of an older schema, a record pulled from an older server).
LATER_KEY_DEFAULTS = {"assigned_to": None, "verification_days": 0, "apologies": 0}


@cache
def _validator() -> jsonschema_rs.Validator:
    """The dossier schema's validator (jsonschema-rs: ~2 µs a record, imports stay fast)."""
    schema = json.loads((RESOURCES / "schemas" / "dossier.schema.json").read_text("utf-8"))
    return jsonschema_rs.validator_for(schema)


def utc_text(moment: datetime) -> str:
    """Storage form of a time: UTC, ISO 8601, whole seconds, ``Z``."""
    # isoformat, not strftime: several times faster
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def local_text(stored: str) -> str:
    """Output form of a stored time: ISO 8601 with +07:00."""
    return parse_time(stored).astimezone(VN_TZ).isoformat(timespec="seconds")


def parse_time(text: str, field: str = "time") -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidField(f"{field}: not an ISO 8601 time", field=field) from None
    if moment.tzinfo is None:
        raise InvalidField(f"{field}: needs an offset such as +07:00", field=field)
    return moment.replace(microsecond=0)


def _check_date_of_birth(text: str | None, field: str, today: date) -> str | None:
    if not text:
        return None
    try:
        born = date(int(text), 1, 1) if len(text) == 4 else date.fromisoformat(text)
    except ValueError:
        raise InvalidField(f"{field}: not a date", field=field) from None
    if born > today:
        raise InvalidField(f"{field}: in the future", field=field)
    return text


def _clean_text(value: Any) -> str | None:
    if value is None:
        return None
    text = nfc(str(value)).strip()
    return text or None


def normalize_person(raw: Mapping[str, Any], path: str, today: date | None = None
                     ) -> tuple[dict, list[CheckWarning]]:
    """A person in canonical form (NFC, trimmed, phone in E.164 when it parses) and warnings;
    a date of birth after ``today`` (default: the computer's date) is refused."""
    person = {key: _clean_text(raw.get(key)) for key in PERSON_KEYS}
    if not person["full_name"]:
        raise InvalidField(f"{path}.full_name: empty", field=f"{path}.full_name")
    person["full_name"] = " ".join(person["full_name"].split())
    person["date_of_birth"] = _check_date_of_birth(
        person["date_of_birth"], f"{path}.date_of_birth", today or date.today())
    warnings: list[CheckWarning] = []
    if person["id_number"]:
        person["id_number"] = normalize_id_number(person["id_number"])
        warnings += check_id_number(person["id_number"], person["date_of_birth"], person["sex"])
    if person["phone"]:
        e164, phone_warnings = check_phone(person["phone"])
        person["phone"] = e164 or person["phone"]
        warnings += phone_warnings
    return person, [
        replace(w, field=f"{path}.{w.field}" if w.field else path) for w in warnings
    ]


def normalize_input(raw: Any, today: date | None = None) -> tuple[dict, list[CheckWarning]]:
    """Validate an incoming dossier (import line or intake form) into canonical form.

    Keys the store assigns (``code``, ``due_at``, ``procedure_version``, ``calendar_version``)
    stay None when absent. ``today`` (default: the computer's date) bounds dates of birth.
    Raises ``InvalidRecord`` naming the field; returns soft warnings.
    """
    if not isinstance(raw, Mapping):
        raise InvalidRecord("a dossier must be a JSON object")
    validator = _validator()
    if not validator.is_valid(raw):  # the fast answer first; the error only for a bad line
        error = next(validator.iter_errors(raw))
        where = ".".join(str(part) for part in error.instance_path) or "dossier"
        raise InvalidRecord(f"{where}: {error.message}", field=where)
    today = today or date.today()
    applicant, warnings = normalize_person(raw["applicant"], "applicant", today)
    co_applicants = []
    for index, person in enumerate(raw.get("co_applicants") or []):
        normalized, person_warnings = normalize_person(person, f"co_applicants.{index}", today)
        co_applicants.append(normalized)
        warnings += person_warnings
    received_at = parse_time(raw["received_at"], "received_at")
    due_at = parse_time(raw["due_at"], "due_at") if raw.get("due_at") else None
    if due_at is not None and due_at < received_at:
        raise InvalidField("due_at: before received_at", field="due_at")
    record = {
        "id": _canonical_uuid(raw["id"]) if raw.get("id") else None,
        "code": raw.get("code"),
        "procedure_code": raw["procedure_code"],
        "procedure_version": raw.get("procedure_version"),
        "channel": raw.get("channel", 1),
        "status": raw.get("status", 2),
        "received_at": utc_text(received_at),
        "due_at": utc_text(due_at) if due_at else None,
        "calendar_version": raw.get("calendar_version"),
        "applicant": applicant,
        "co_applicants": co_applicants,
        "papers": [
            {"name": nfc(p["name"]).strip(), "form": p["form"], "count": p["count"]}
            for p in raw.get("papers") or []
        ],
        "sets_count": raw.get("sets_count", 1),
        "result_delivery": raw.get("result_delivery", "counter"),
        "received_by": _clean_text(raw.get("received_by")),
        "notes": nfc(raw.get("notes") or "").strip(),
        "assigned_to": _clean_text(raw.get("assigned_to")),
        "verification_days": raw.get("verification_days", 0),
        "apologies": raw.get("apologies", 0),
    }
    return record, warnings


def _canonical_uuid(text: str) -> str:
    """A UUID in its canonical form (lower case, hyphens), the usual input as it is."""
    return text if _CANONICAL_UUID.fullmatch(text) else str(uuid.UUID(text))


def import_id(item: Any) -> str:
    """The id of an import line that has none: UUIDv5 of its content (the parsed line), so
    re-imports are no-ops."""
    canonical = json.dumps(item, sort_keys=True, ensure_ascii=False)
    return str(uuid.uuid5(IMPORT_NAMESPACE, canonical))


def record_to_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """The ``dossiers`` row of a canonical record; its lists (co-applicants, papers) are JSON."""
    row = {key: record[key] for key in RECORD_KEYS if key not in ("applicant", "co_applicants",
                                                                   "papers")}
    for key in PERSON_KEYS:
        row[f"applicant_{key}"] = record["applicant"][key]
    for key in ("co_applicants", "papers"):
        row[key] = _json_list(record[key]) if record[key] else "[]"
    return row


def _json_list(items: list[dict[str, Any]]) -> str:
    """The JSON of a row's list: compact, as SQLite's json functions write it."""
    return orjson.dumps(items).decode()


def row_to_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical record (times in +07:00) of a ``dossiers`` row."""
    record: dict[str, Any] = {}
    for key in RECORD_KEYS:
        if key == "applicant":
            record[key] = {k: row[f"applicant_{k}"] for k in PERSON_KEYS}
        elif key in ("co_applicants", "papers"):
            record[key] = json.loads(row[key])
        elif key in ("received_at", "due_at"):
            record[key] = local_text(row[key])
        else:
            record[key] = row[key]
    return record


def flatten_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record as dotted-path fields, as an outbox operation carries them (lists whole)."""
    fields: dict[str, Any] = {}
    for key in RECORD_KEYS:
        if key == "id":
            continue
        if key == "applicant":
            for sub in PERSON_KEYS:
                fields[f"applicant.{sub}"] = record["applicant"][sub]
        elif key in LATER_KEY_DEFAULTS:
            fields[key] = record.get(key, LATER_KEY_DEFAULTS[key])
        else:
            fields[key] = record[key]
    return fields


def column_of(field: str) -> str:
    """The ``dossiers`` column of an editable dotted field."""
    if field not in EDITABLE_FIELDS:
        raise InvalidField(f"{field}: not an editable field", field=field,
                           allowed=list(EDITABLE_FIELDS))
    return field.replace(".", "_")


def unflatten_fields(record_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical record of dotted-path ``fields`` (the inverse of ``flatten_fields``)."""
    record: dict[str, Any] = {}
    for key in RECORD_KEYS:
        if key == "id":
            record[key] = record_id
        elif key == "applicant":
            record[key] = {sub: fields.get(f"applicant.{sub}") for sub in PERSON_KEYS}
        else:
            record[key] = fields.get(key)
    return record


def stored_times(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with its times in storage form (UTC, ``Z``), as ``record_to_row`` wants."""
    for key in ("received_at", "due_at"):
        if record.get(key):
            record[key] = utc_text(parse_time(record[key], key))
    return record

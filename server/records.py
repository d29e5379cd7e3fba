"""Synced record types and the server's merge rule (docs/sync-protocol.md §5).

Record types are the JSON Schemas in ``resources/schemas`` that carry ``x-record-type``; adding
a schema adds a type. ``merge`` applies one operation's fields to the stored record field by
field: a field whose server revision is newer than the operation's base, whose value differs,
and whose last change came from another device, conflicts and keeps the server's value; the
others apply (a device never conflicts with its own earlier change: it made it, so it saw it;
docs/decisions/0005). The merged record must still
satisfy its schema, or the operation is rejected, as is one whose values are not Unicode text
(lone surrogates). Pure functions; no database access.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson

SCHEMAS = Path(__file__).resolve().parents[1] / "resources" / "schemas"


@dataclass(frozen=True)
class RecordType:
    name: str
    schema: dict
    validator: Any
    append_only: bool
    _known: set[str] = field(default_factory=set, compare=False, repr=False)

    def known_path(self, path: str) -> bool:
        """Whether a dotted path names a field of this type (``applicant.phone``, ``notes``).
        Known paths are remembered (a finite set: every pushed operation asks for each of its
        fields); unknown ones, which a client may invent without end, are not."""
        if path in self._known:
            return True
        if self._walk(path):
            self._known.add(path)
            return True
        return False

    def _walk(self, path: str) -> bool:
        node: dict = self.schema
        for part in path.split("."):
            properties = node.get("properties")
            if properties is None:
                ref = node.get("$ref", "")
                if ref.startswith("#/$defs/"):
                    node = self.schema["$defs"][ref.rsplit("/", 1)[1]]
                    properties = node.get("properties")
            if not properties or part not in properties or part == "id":
                return False
            node = properties[part]
        return True


@cache
def record_types() -> dict[str, RecordType]:
    types = {}
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text("utf-8"))
        name = schema.get("x-record-type")
        if name:
            types[name] = RecordType(name, schema, jsonschema_rs.validator_for(schema),
                                     bool(schema.get("x-append-only")))
    return types


def get_path(record: dict, path: str) -> Any:
    node: Any = record
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def set_path(record: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    node = record
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def to_json(value: Any) -> str:
    """Compact JSON text of a decoded JSON value, as stored (records, field revisions,
    answers): orjson's, about seven times faster than ``json``'s on a dossier; ``json``'s for
    what orjson refuses (integers beyond 64 bits), which gives the same text."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def storable(value: Any) -> bool:
    """Whether a JSON value can be stored as UTF-8 text: a lone surrogate (JSON's ``\\ud800``)
    cannot, and would fail the database write, or later every pull page that carries it. NUL
    characters can: a record is stored as JSON text, where NUL is escaped."""
    try:
        orjson.dumps(value)
        return True
    except TypeError:  # a lone surrogate, or an integer orjson does not write: ask json
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True


@dataclass
class Merge:
    """What one operation does to one stored record."""

    record: dict
    field_revs: dict[str, int]
    field_writers: dict[str, str]
    applied: list[str] = field(default_factory=list)
    conflicts: dict[str, Any] = field(default_factory=dict)  # path -> the server's value
    error: tuple[str, str] | None = None  # (code, reason) when the operation is rejected


def merge(kind: RecordType, stored: dict | None, field_revs: dict[str, int],
          field_writers: dict[str, str], writer: str, base_rev: int,
          fields: dict[str, Any]) -> Merge:
    """Apply ``fields`` (dotted paths) made by device ``writer`` from ``base_rev`` to ``stored``
    (None: new). ``field_revs``/``field_writers``: each field's last revision and device."""
    known = kind._known
    unknown = sorted(p for p in fields
                     if p not in known and p != "deleted" and not kind.known_path(p))
    if unknown:
        return Merge({}, {}, {}, error=("unknown_field", ", ".join(unknown)[:200]))
    if not storable(fields):  # one encoding for the whole operation; per field only to name it
        unstorable = sorted(p for p, value in fields.items() if not storable(value))
        return Merge({}, {}, {}, error=("invalid_text", ", ".join(unstorable)[:160]
                                        + ": text with lone surrogates (not Unicode text)"))
    if stored is None:  # a new record: every field applies
        record: dict = {}
        for path, value in fields.items():
            if "." in path:
                set_path(record, path, value)
            else:
                record[path] = value
        result = Merge(record, dict(field_revs), dict(field_writers), applied=list(fields))
    else:
        result = _merge_stored(kind, stored, field_revs, field_writers, writer, base_rev,
                               fields)
        if kind.append_only:
            return result  # an event is written once; a second write changes nothing
    record = result.record
    if not record.get("deleted") and not kind.validator.is_valid(record):
        error = next(kind.validator.iter_errors(record))
        where = ".".join(str(p) for p in error.instance_path) or kind.name
        result.error = ("invalid_record", f"{where}: {error.message}"[:300])
    return result


def _merge_stored(kind: RecordType, stored: dict, field_revs: dict[str, int],
                  field_writers: dict[str, str], writer: str, base_rev: int,
                  fields: dict[str, Any]) -> Merge:
    """``merge`` onto a stored record, before validation."""
    record = json.loads(json.dumps(stored))
    result = Merge(record, dict(field_revs), dict(field_writers))
    if kind.append_only:
        return result
    for path, value in fields.items():
        current = get_path(record, path)
        newer = field_revs.get(path, 0) > base_rev and field_writers.get(path) != writer
        if newer and current != value:
            result.conflicts[path] = current
            continue
        if current != value:
            set_path(record, path, value)
            result.applied.append(path)
    return result

"""The catalogue of commune-level administrative procedures (thủ tục hành chính cấp xã).

This module owns the procedure catalogue as versioned data: loading
``resources/procedures/catalogue.json``, validating it against
``resources/schemas/catalogue.schema.json`` (which embeds ``procedure.schema.json`` by reference),
and answering which version of a procedure applies on a given date. Procedures change by law, so
every code may have several versions with half-open effective ranges
``[effective_from, effective_to)``; the ranges of one code never overlap. A dossier keeps the
(code, version) it was received under and reads it back with :meth:`Catalogue.get`.

Pure Python, no Qt, no I/O beyond reading the resource files.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from app.errors import DomainError

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
DEFAULT_PATH = RESOURCES / "procedures" / "catalogue.json"
SCHEMA_DIR = RESOURCES / "schemas"


class CatalogueError(DomainError, ValueError):
    """The catalogue data is invalid; the message names the offending entry."""

    code = "catalogue_invalid"


class UnknownProcedure(DomainError, LookupError):
    """No procedure (or no version of it) matches the code, version or date asked for."""

    code = "unknown_procedure"


@dataclass(frozen=True)
class Paper:
    """One paper of a dossier: what it is, in which form, how many, and whether it is required."""

    name: str
    form: str  # "original" | "copy" | "certified_copy"
    count: int
    required: bool

    def to_json(self) -> dict[str, Any]:
        """Return the paper in the resource shape."""
        return {
            "name": self.name,
            "form": self.form,
            "count": self.count,
            "required": self.required,
        }


@dataclass(frozen=True)
class Procedure:
    """One version of a procedure, effective on ``[effective_from, effective_to)``."""

    code: str
    version: int
    effective_from: date
    effective_to: date | None
    name: str
    field: str
    legal_basis: str
    papers: tuple[Paper, ...]
    time_limit_days: int
    verification_extension_days: int
    fee_vnd: int
    fee_note: str | None
    result_delivery: tuple[str, ...]
    verify: bool

    def __post_init__(self) -> None:
        if self.effective_to is not None and self.effective_to <= self.effective_from:
            raise CatalogueError(
                f"{self.label}: effective_to {self.effective_to} is not after effective_from "
                f"{self.effective_from}",
                procedure=self.code,
            )
        texts = (self.name, self.field, self.legal_basis, self.fee_note or "")
        for text in (*texts, *(paper.name for paper in self.papers)):
            if not unicodedata.is_normalized("NFC", text):
                raise CatalogueError(
                    f"{self.label}: text not in NFC: {text!r}", procedure=self.code
                )

    @property
    def label(self) -> str:
        """``code vN``, how errors and logs name this version."""
        return f"{self.code} v{self.version}"

    @property
    def is_same_day(self) -> bool:
        """True when the same-day rule applies (time limit 0)."""
        return self.time_limit_days == 0

    def is_effective(self, when: date) -> bool:
        """True when this version applies on ``when``."""
        return self.effective_from <= when and (
            self.effective_to is None or when < self.effective_to
        )

    def to_json(self) -> dict[str, Any]:
        """Return the version in the resource shape (ISO dates, lists)."""
        return {
            "code": self.code,
            "version": self.version,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "name": self.name,
            "field": self.field,
            "legal_basis": self.legal_basis,
            "papers": [paper.to_json() for paper in self.papers],
            "time_limit_days": self.time_limit_days,
            "verification_extension_days": self.verification_extension_days,
            "fee_vnd": self.fee_vnd,
            "fee_note": self.fee_note,
            "result_delivery": list(self.result_delivery),
            "verify": self.verify,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Procedure:
        """Validate one resource entry against the procedure schema and build it."""
        error = best_match(_validators()[0].iter_errors(data))
        if error is not None:
            raise CatalogueError(
                f"procedure {_entry_label(data)}: {_describe(error, error.absolute_path)}",
                procedure=data.get("code"),
            )
        return cls._from_valid(data)

    @classmethod
    def _from_valid(cls, data: Mapping[str, Any]) -> Procedure:
        """Build from an entry already validated against the schema."""
        end = data["effective_to"]
        try:
            effective_from = date.fromisoformat(data["effective_from"])
            effective_to = None if end is None else date.fromisoformat(end)
        except ValueError as exc:
            raise CatalogueError(
                f"procedure {_entry_label(data)}: {exc}", procedure=data["code"]
            ) from exc
        return cls(
            code=data["code"],
            version=data["version"],
            effective_from=effective_from,
            effective_to=effective_to,
            name=data["name"],
            field=data["field"],
            legal_basis=data["legal_basis"],
            papers=tuple(Paper(**paper) for paper in data["papers"]),
            time_limit_days=data["time_limit_days"],
            verification_extension_days=data["verification_extension_days"],
            fee_vnd=data["fee_vnd"],
            fee_note=data["fee_note"],
            result_delivery=tuple(data["result_delivery"]),
            verify=data["verify"],
        )


class Catalogue:
    """All versions of all procedures of one catalogue release."""

    def __init__(self, version: str, procedures: Iterable[Procedure]) -> None:
        self.version = version
        self._by_code: dict[str, list[Procedure]] = {}
        for procedure in procedures:
            self._by_code.setdefault(procedure.code, []).append(procedure)
        for code, versions in self._by_code.items():
            versions.sort(key=lambda p: p.effective_from)
            numbers = [p.version for p in versions]
            if len(set(numbers)) != len(numbers):
                raise CatalogueError(f"procedure {code}: duplicate version", procedure=code)
            for earlier, later in pairwise(versions):
                if earlier.effective_to is None or earlier.effective_to > later.effective_from:
                    raise CatalogueError(
                        f"procedure {code}: v{earlier.version} and v{later.version} have "
                        "overlapping effective ranges",
                        procedure=code,
                    )

    @classmethod
    def load(cls, path: Path | None = None) -> Catalogue:
        """Read, validate and build the catalogue at ``path`` (default: the shipped resource)."""
        path = DEFAULT_PATH if path is None else path
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise CatalogueError(f"{path.name}: not valid UTF-8 JSON: {exc}") from exc
        return cls.from_json(data)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Catalogue:
        """Validate a whole catalogue document against the catalogue schema and build it."""
        error = best_match(_validators()[1].iter_errors(data))
        if error is not None:
            path, where, params = list(error.absolute_path), "catalogue", {}
            if len(path) >= 2 and path[0] == "procedures":
                entry = data["procedures"][path[1]]
                where, path = f"procedure {_entry_label(entry)} (entry {path[1]})", path[2:]
                params = {"procedure": entry.get("code") if isinstance(entry, Mapping) else None}
            raise CatalogueError(f"{where}: {_describe(error, path)}", **params)
        procedures = (Procedure._from_valid(entry) for entry in data["procedures"])
        return cls(data["catalogue_version"], procedures)

    def version_at(self, code: str, when: date) -> Procedure:
        """Return the version of ``code`` effective on ``when``."""
        for procedure in self._versions(code):
            if procedure.is_effective(when):
                return procedure
        raise UnknownProcedure(f"{code}: no version effective on {when}", procedure=code)

    def get(self, code: str, version: int) -> Procedure:
        """Return version ``version`` of ``code`` (as recorded on a dossier)."""
        for procedure in self._versions(code):
            if procedure.version == version:
                return procedure
        raise UnknownProcedure(f"{code}: no version {version}", procedure=code)

    def current(self, when: date) -> list[Procedure]:
        """Return the version effective on ``when`` of every code that has one, sorted by code."""
        return [
            procedure
            for code in sorted(self._by_code)
            for procedure in self._by_code[code]
            if procedure.is_effective(when)
        ]

    def all_versions(self) -> list[Procedure]:
        """Return every version of every code, sorted by code then version."""
        return sorted(
            (p for versions in self._by_code.values() for p in versions),
            key=lambda p: (p.code, p.version),
        )

    def _versions(self, code: str) -> list[Procedure]:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownProcedure(
                f"{code}: not in catalogue {self.version}", procedure=code
            ) from None


@cache
def _validators() -> tuple[Draft202012Validator, Draft202012Validator]:
    """Return the (procedure, catalogue) schema validators, loaded once."""
    procedure = json.loads((SCHEMA_DIR / "procedure.schema.json").read_text(encoding="utf-8"))
    catalogue = json.loads((SCHEMA_DIR / "catalogue.schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resource(procedure["$id"], Resource.from_contents(procedure))
    return Draft202012Validator(procedure), Draft202012Validator(catalogue, registry=registry)


def _entry_label(entry: Any) -> str:
    """Name an entry by its code and version, as far as the (possibly bad) data allows."""
    if not isinstance(entry, Mapping):
        return "?"
    return f"{entry.get('code', '?')} v{entry.get('version', '?')}"


def _describe(error: ValidationError, path: Iterable[str | int]) -> str:
    """``path/to/value: message`` for a schema error at ``path``."""
    where = "/".join(str(part) for part in path)
    return f"{where}: {error.message}" if where else error.message

"""What the full-text index holds for a dossier, and the name sort key column.

The ``dossier_search`` FTS5 table is contentless: it stores folded tokens (no diacritics, đ → d,
lower case) in two columns: ``names`` (the applicant's and co-applicants' names, so a search for a
person can ask for names only) and ``other`` (their ID numbers, phone numbers in national and
international digits, the dossier code, the procedure name and the notes). The same ``fold`` runs
on queries (app/search.py). Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from app.textnorm import fold, person_sort_key

_NOT_DIGITS = re.compile(r"[^0-9]")


def _phone_tokens(phone: str | None) -> list[str]:
    if not phone:
        return []
    digits = _NOT_DIGITS.sub("", phone)
    if phone.startswith("+84"):
        return [digits, "0" + digits[2:]]
    return [digits]


def search_text(record: Mapping[str, Any], procedure_name: str) -> tuple[str, str]:
    """The folded (names, other) text indexed for ``record`` (a canonical dossier record)."""
    names, other = search_text_without_code(record, procedure_name)
    return names, f"{fold(record['code'])} {other}"


def search_text_without_code(record: Mapping[str, Any], procedure_name: str
                             ) -> tuple[str, str]:
    """``search_text`` but for the dossier code, which an import knows only once it writes
    (folding is letter by letter, so the code's folded form goes in front of ``other``)."""
    people: Iterable[Mapping[str, Any]] = [record["applicant"], *record["co_applicants"]]
    names: list[str] = []
    other: list[str] = []
    for person in people:
        names.append(person["full_name"])
        if person.get("id_number"):
            other.append(person["id_number"])
        other += _phone_tokens(person.get("phone"))
    other.append(_folded_name(procedure_name))
    if record.get("notes"):
        other.append(record["notes"])
    return fold(" ".join(names)), fold(" ".join(other))


@lru_cache(maxsize=1024)
def _folded_name(procedure_name: str) -> str:
    """A procedure's name folded once (folding is letter by letter, so folding it again with
    the rest changes nothing, and the ASCII rest folds fast)."""
    return fold(procedure_name)


def sort_key(record: Mapping[str, Any]) -> str:
    return person_sort_key(record["applicant"]["full_name"])

"""Accent-insensitive Vietnamese search over dossiers.

Order of work, cheapest and surest first: exact lookups through ordinary indexes (dossier code,
ID number, phone, and ID-number or code prefixes), then the folded FTS5 index, the last word
typed also as a prefix ("nguy" finds "Nguyễn", "duc" finds "Đức"). A small match set is ranked
(the name typed with its diacritics first, whole words before prefixes, then the newest); a huge one (a common surname) is not ranked at all but read newest first straight from
the index, which stays fast at 200,000 dossiers (PITFALLS.md, docs/decisions/0004).
Read-only; runs on the caller's thread and connection.
"""

from __future__ import annotations

import re
from typing import Any

import sqlite_utils

from app.codes import CODE_PATTERN
from app.dossier import local_text
from app.identity import check_phone
from app.textnorm import fold, nfc

RANK_AT_MOST = 300  # match sets up to this size are ranked; larger ones are read newest first
_COLUMNS = ("id, code, applicant_full_name, applicant_id_number, applicant_phone, "
            "procedure_code, status, received_at, due_at")
# A word as the index's tokenizer (unicode61) cuts them: letters and digits; "_" separates. So
# each quoted word below is one token: the index keeps no positions to match phrases with.
_WORD = re.compile(r"[^\W_]+")
_CODE_PREFIX = re.compile(r"^[0-9A-Za-z.]+-[0-9-]*$")
_DIGITS = re.compile(r"^\+?[\d .\-]{3,}$")


def _rows(db: sqlite_utils.Database, where: str, params: list[Any], limit: int) -> list[dict]:
    sql = f"SELECT rowid AS _rowid, {_COLUMNS} FROM dossiers WHERE {where} LIMIT ?"  # noqa: S608
    return [dict(r) for r in db.query(sql, [*params, limit])]


def _exact(db: sqlite_utils.Database, query: str, limit: int) -> list[dict]:
    found: list[dict] = []
    if CODE_PATTERN.match(query):
        found += _rows(db, "code = ?", [query], limit)
    elif _CODE_PREFIX.match(query):
        found += _rows(db, "code >= ? AND code < ?", [query, query + "\uffff"], limit)
    if _DIGITS.match(query):
        digits = re.sub(r"[ .\-]", "", query)
        e164, _ = check_phone(digits)
        if e164:
            found += _rows(db, "applicant_phone = ?", [e164], limit)
        if digits.isdigit():
            found += _rows(db, "applicant_id_number = ?", [digits], limit)
            found += _rows(db, "applicant_id_number > ? AND applicant_id_number < ?",
                           [digits, digits + ":"], limit)
    return found


def _newest(db: sqlite_utils.Database, match: str) -> list[int]:
    """Row ids of up to ``RANK_AT_MOST + 1`` matches, newest first, read without ranking."""
    return [r[0] for r in db.execute(
        "SELECT rowid FROM dossier_search WHERE dossier_search MATCH ? ORDER BY rowid DESC "
        "LIMIT ?", [match, RANK_AT_MOST + 1])]


def _ranked(db: sqlite_utils.Database, rowids: list[int], words: list[str],
            typed: str) -> list[dict]:
    """The matches ``rowids`` (a small set) most likely first: the name as typed with its
    diacritics, then the name holding every word whole, then the newest.

    No bm25: on short name fields it adds little, and it must read every position list of
    every word, ~10 ms for three common words at 200,000 dossiers.
    """

    def likelihood(row: dict) -> tuple:
        name = row["applicant_full_name"]
        whole_words = set(words) <= set(fold(name).split())
        return (typed not in name.lower(), not whole_words, _desc(row["received_at"]))

    return sorted(_rows_by_rowid(db, rowids), key=likelihood)


def _full_text(db: sqlite_utils.Database, query: str, limit: int) -> list[dict]:
    """Match ever more loosely until a tier has too many matches to rank.

    Tiers, each containing the one before: all words whole in the names; all words whole
    anywhere; the last word also as the start of a longer one ("nguy" for "Nguyễn"). While a
    tier is small it is only remembered; the first huge tier is shown newest first after the
    ranked previous tier (a common surname); if none is huge, the loosest tier is ranked.
    """
    words = _WORD.findall(fold(query))
    if not words:
        return []
    typed = nfc(query).lower()
    whole = " AND ".join(f'"{w}"' for w in words)
    prefixed = " AND ".join([*(f'"{w}"' for w in words[:-1]), f'"{words[-1]}"*'])
    small: list[int] = []
    for match in (f"names : ({whole})", whole, prefixed):
        rowids = _newest(db, match)
        if len(rowids) > RANK_AT_MOST:
            ranked = _ranked(db, small, words, typed)[:limit]
            placed = set(small)
            return ranked + _in_order(db, [i for i in rowids if i not in placed][
                : limit - len(ranked)])
        small = rowids
    return _ranked(db, small, words, typed)[:limit]


def _in_order(db: sqlite_utils.Database, rowids: list[int]) -> list[dict]:
    by_rowid = {r["_rowid"]: r for r in _rows_by_rowid(db, rowids)}
    return [by_rowid[i] for i in rowids if i in by_rowid]


def _desc(text: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def _rows_by_rowid(db: sqlite_utils.Database, rowids: list[int]) -> list[dict]:
    rows: list[dict] = []
    for start in range(0, len(rowids), 500):
        chunk = rowids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows += _rows(db, f"rowid IN ({marks})", chunk, len(chunk))
    return rows


def search(db: sqlite_utils.Database, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Dossiers matching ``text``, most likely first, as display rows (times in +07:00)."""
    query = nfc(text).strip()
    if not query:
        return []
    seen: set[str] = set()
    results: list[dict[str, Any]] = []
    for row in _exact(db, query, limit) + _full_text(db, query, limit):
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        row.pop("_rowid")
        row["received_at"] = local_text(row["received_at"])
        row["due_at"] = local_text(row["due_at"])
        results.append(row)
        if len(results) >= limit:
            break
    return results

"""Dossier files: JSON Lines import, JSON Lines and CSV export (docs/formats.md).

Export writes canonical records only (no local sync state), keys in a fixed order, sorted by
code then id, so two machines holding the same data produce byte-identical files. Import parses
line by line; a line that is not JSON is reported with its number and the rest go on. Streaming:
neither direction holds the whole file in memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from app.dossier import PERSON_KEYS, RECORD_KEYS

CSV_COLUMNS = [
    *(k for k in RECORD_KEYS if k not in ("applicant", "co_applicants", "papers",
                                          "sets_count", "result_delivery", "received_by",
                                          "notes", "assigned_to", "verification_days",
                                          "apologies")),
    *(f"applicant.{k}" for k in PERSON_KEYS),
    "co_applicants", "papers", "sets_count", "result_delivery", "received_by", "notes",
    "assigned_to", "verification_days", "apologies",
]


def jsonl_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text)`` of the lines that are not blank, for
    ``Store.import_records``: its helpers parse them (app/import_prep.py), so a malformed line
    or one without ``id`` is handled there, and the reading process only reads."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line


def dump_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(dump_json(record) + "\n")
        count += 1
    return count


def write_csv(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for record in records:
        flat = {**record, **{f"applicant.{k}": v for k, v in record["applicant"].items()}}
        flat["co_applicants"] = dump_json(record["co_applicants"])
        flat["papers"] = dump_json(record["papers"])
        writer.writerow(["" if flat[c] is None else flat[c] for c in CSV_COLUMNS])
        count += 1
    return count

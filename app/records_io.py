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

from app.dossier import PERSON_KEYS, RECORD_KEYS, import_id

CSV_COLUMNS = [
    *(k for k in RECORD_KEYS if k not in ("applicant", "co_applicants", "papers",
                                          "sets_count", "result_delivery", "received_by",
                                          "notes", "assigned_to", "verification_days",
                                          "apologies")),
    *(f"applicant.{k}" for k in PERSON_KEYS),
    "co_applicants", "papers", "sets_count", "result_delivery", "received_by", "notes",
    "assigned_to", "verification_days", "apologies",
]


def parse_jsonl(lines: Iterable[str], errors: list[tuple[int, str, str]]
                ) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, object)``; malformed lines go to ``errors`` and are skipped.

    A line without ``id`` gets the UUIDv5 of its content, so a second import creates nothing.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as error:
            errors.append((number, "malformed_json", str(error)))
            continue
        if isinstance(item, dict) and not item.get("id"):
            item["id"] = import_id(line)
        yield number, item


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

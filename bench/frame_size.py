"""Bytes a dossier costs in a push frame (docs/sync-protocol.md §10), before any server exists.

Builds push frames as the protocol defines them (each dossier's create operation and its
"received" event, random UUIDs as real operations have) from generated dossiers and prints the
zstd-compressed size per dossier for several frame sizes:

    .venv/bin/python bench/frame_size.py
"""

from __future__ import annotations

import json
import statistics
import sys
import uuid
from datetime import datetime
from pathlib import Path

import zstandard

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import sample_data  # noqa: E402
from app.catalogue import Catalogue  # noqa: E402
from app.dossier import VN_TZ, flatten_fields  # noqa: E402

DOSSIERS = 3000


def operations(record: dict, seq: int, number: int) -> list[dict]:
    full = {**record, "code": f"09661-250701-{9000 + number % 1000:04d}",
            "due_at": record["received_at"], "calendar_version": "2026.1+holidays-0.109",
            "procedure_version": 1}
    event = {"dossier_id": record["id"], "kind": "received", "from_status": None,
             "to_status": 2, "actor": record["received_by"], "at": record["received_at"],
             "note": ""}
    return [
        {"op_id": str(uuid.uuid4()), "seq": seq, "type": "dossier", "id": record["id"],
         "base_rev": 0, "create": True, "fields": flatten_fields(full)},
        {"op_id": str(uuid.uuid4()), "seq": seq + 1, "type": "dossier_event",
         "id": str(uuid.uuid4()), "base_rev": 0, "create": True, "fields": event},
    ]


def main() -> None:
    procedures = [(p.code, p.time_limit_days)
                  for p in Catalogue.load().current(datetime(2025, 7, 1).date())]
    records = list(sample_data.dossier_records(
        DOSSIERS, procedures, seed=5, per_day=150, start=datetime(2025, 7, 1, 7, tzinfo=VN_TZ)))
    compressor = zstandard.ZstdCompressor(level=3)
    for per_frame in (10, 15, 20, 30):
        plain, packed = [], []
        for start in range(0, DOSSIERS, per_frame):
            ops = [op for i, r in enumerate(records[start : start + per_frame])
                   for op in operations(r, 2 * (start + i), start + i)]
            body = json.dumps({"ops": ops}, ensure_ascii=False, separators=(",", ":")).encode()
            plain.append(len(body) / per_frame)
            packed.append((len(compressor.compress(body)) + 5) / per_frame)  # + frame header
        print(f"{per_frame:2d} dossiers a frame: JSON {statistics.mean(plain):5.0f} B a dossier, "
              f"zstd frame {statistics.mean(packed):4.0f} B a dossier "
              f"({statistics.mean(packed) * per_frame / 1024:.1f} KiB a frame)")


if __name__ == "__main__":
    main()

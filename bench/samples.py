"""The benchmarks' sample dossiers: one recipe, so that their figures compare.

``count`` invented dossiers (app/sample_data.py) received at Xã Minh Châu's counter from
1 July 2025, under the procedures in force that day, at least 40 a working day (154 at
200,000) so that every receipt falls inside the working-day calendar's years.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from app import records_io, sample_data
from app.dossier import VN_TZ
from app.store import Store

START = datetime(2025, 7, 1, 7, 0, tzinfo=VN_TZ)


def receipts_a_day(count: int) -> int:
    """Dossiers received each working day in a sample of ``count``."""
    return max(40, math.ceil(count / 1300))


def sample_records(store: Store, count: int) -> Iterator[dict]:
    """The sample as records, generated as they are read."""
    procedures = [(p.code, p.time_limit_days) for p in store.catalogue.current(START.date())]
    return sample_data.dossier_records(count, procedures, seed=2026,
                                       per_day=receipts_a_day(count), start=START)


def write_sample_file(store: Store, path: Path, count: int) -> Path:
    """The sample written to ``path`` as JSON Lines, what `communedesk import dossiers FILE`
    reads."""
    with path.open("w", encoding="utf-8") as out:
        records_io.write_jsonl(sample_records(store, count), out)
    return path

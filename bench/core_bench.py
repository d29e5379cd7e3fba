"""Benchmark of the local store: import, search, profile open, size (issue 2's targets).

Prints its figures; docs/benchmarks.md records them with the machine and this command:

    .venv/bin/python bench/core_bench.py --dossiers 200000

The profile lives in a temporary folder; the keychain is keyrings.alt's file keyring in that
folder (a real OS keychain is not available headless; its own latency is not measured here).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUERIES = [  # typical counter searches: with and without diacritics, names, numbers, codes
    "nguyen", "Nguyễn", "Nguyễn Thị Hồng", "nguyen thi hong", "Đức", "duc", "tran van nam",
    "Phạm Minh", "001185", "0912",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def _children_cpu() -> float:
    """CPU seconds of the ended child processes (an import's helpers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=None,
                        help="dossiers a transaction (default: the store's)")
    parser.add_argument("--helpers", type=int, default=None,
                        help="helper processes of the import (default: the store's)")
    parser.add_argument("--repeat", type=int, default=20, help="runs of each search query")
    parser.add_argument("--keep", action="store_true", help="keep the profile for a look")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="communedesk-bench-"))
    os.environ["XDG_DATA_HOME"] = str(work / "xdg")
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    keyring.set_keyring(PlaintextKeyring())

    from app import keys, records_io
    from app.profile import ProfilePaths, create_profile, open_profile
    from app.search import search
    from app.store import IMPORT_BATCH, IMPORT_HELPERS
    from bench.samples import receipts_a_day, write_sample_file

    passphrase = "bench passphrase"
    root = work / "profile"
    store = create_profile(root, passphrase, "09661", user_name="Bench")
    source = write_sample_file(store, work / "dossiers.jsonl", args.dossiers)
    options = {"batch_size": args.batch} if args.batch else {}
    if args.helpers:
        options["helpers"] = args.helpers
    started = time.perf_counter()
    with source.open(encoding="utf-8") as lines:
        result = store.import_records(records_io.jsonl_lines(lines), **options)
    import_seconds = time.perf_counter() - started
    helpers_cpu = _children_cpu()
    assert not result.errors, result.errors[:5]
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    timings: list[float] = []
    per_query: dict[str, float] = {}
    for query in QUERIES:
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            hits = search(store.db, query, limit=50)
            runs.append((time.perf_counter() - t0) * 1000)
        assert hits, f"no hit for {query!r}"
        per_query[query] = statistics.median(runs)
        timings += runs
    store.db.close()

    opens = []
    for _ in range(7):
        t0 = time.perf_counter()
        reopened = open_profile(root, None)  # key from the keychain, no passphrase
        reopened.db.execute("SELECT count(*) FROM dossiers").fetchone()
        opens.append((time.perf_counter() - t0) * 1000)
        reopened.db.close()
    paths = ProfilePaths(root)
    t0 = time.perf_counter()
    keys.unwrap_key(keys.read_wrapped_key(paths.key_file), passphrase)
    kdf_ms = (time.perf_counter() - t0) * 1000
    size = sum(p.stat().st_size for p in root.glob("data.db*"))

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"dossiers: {args.dossiers} (batches of {args.batch or IMPORT_BATCH}, "
          f"{receipts_a_day(args.dossiers)} a working day)")
    print(f"import: {import_seconds:.1f} s, {args.dossiers / import_seconds:,.0f} dossiers/s "
          "from a JSON Lines file (store API, outbox, events, search index included); "
          f"helper processes: {args.helpers or IMPORT_HELPERS}, {helpers_cpu:.1f} s of CPU")
    print(f"search over {len(QUERIES)} queries x {args.repeat}: p50 {percentile(timings, .5):.1f}"
          f" ms, p95 {percentile(timings, .95):.1f} ms")
    for query, median in per_query.items():
        print(f"  {query!r:24} median {median:6.2f} ms")
    print(f"profile open (key from keychain): median {statistics.median(opens):.0f} ms, "
          f"max {max(opens):.0f} ms")
    print(f"passphrase KDF (scrypt n=2^15, r=8): {kdf_ms:.0f} ms")
    print(f"database size: {size / 2**20:.1f} MiB, {size / args.dossiers:,.0f} bytes a dossier")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the benchmark process: {peak:.0f} MiB")
    if args.keep:
        print(f"profile kept in {root} (passphrase {passphrase!r})")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()

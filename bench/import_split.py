"""Where a bulk import's time goes: each batch's preparation (helper thread) and write.

Prints, for every batch of sample dossiers imported into a fresh profile, the wall and CPU time
(``time.thread_time``) of its preparation on the helper thread and of its write on the calling
thread, then the rate. docs/benchmarks.md ("Why the import is at about half its target") quotes
it:

    .venv/bin/python bench/import_split.py --dossiers 200000 [--pragma "PRAGMA cache_size=-262144"]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--pragma", action="append", default=[],
                        help="a PRAGMA run on the profile's connection first (repeatable)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="communedesk-split-"))
    os.environ["XDG_DATA_HOME"] = str(work / "xdg")
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    keyring.set_keyring(PlaintextKeyring())
    from app import sample_data
    from app import store as store_module
    from app.dossier import VN_TZ
    from app.profile import create_profile

    store = create_profile(work / "profile", "bench passphrase", "09661", user_name="Bench")
    for pragma in args.pragma:
        store.db.conn.execute(pragma)
    procedures = [(p.code, p.time_limit_days) for p in store.catalogue.current(
        datetime(2025, 7, 1).date())]
    stream = sample_data.dossier_records(args.dossiers, procedures, seed=2026, per_day=154,
                                         start=datetime(2025, 7, 1, 7, 0, tzinfo=VN_TZ))
    prepare, write = store_module._prepare_batch, store_module.Store._import_batch

    def timed_prepare(lines, *rest):  # type: ignore[no-untyped-def]
        wall, cpu = time.perf_counter(), time.thread_time()
        batch = prepare(lines, *rest)
        if lines:
            print(f"  prepare {len(lines):6,}: wall {time.perf_counter() - wall:5.2f} s, "
                  f"CPU {time.thread_time() - cpu:5.2f} s", flush=True)
        return batch

    def timed_write(self, batch, result):  # type: ignore[no-untyped-def]
        wall, cpu = time.perf_counter(), time.thread_time()
        write(self, batch, result)
        print(f"  write   {batch.lines:6,}: wall {time.perf_counter() - wall:5.2f} s, "
              f"CPU {time.thread_time() - cpu:5.2f} s", flush=True)

    store_module._prepare_batch = timed_prepare
    store_module.Store._import_batch = timed_write
    try:
        started = time.perf_counter()
        result = store.import_records(enumerate(stream, 1))
        seconds = time.perf_counter() - started
        assert not result.errors, result.errors[:5]
        print(f"import: {seconds:.1f} s, {args.dossiers / seconds:,.0f} dossiers/s")
    finally:
        store.db.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

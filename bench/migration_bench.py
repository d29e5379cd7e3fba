"""How long a migration that rebuilds the dossier search index (m008) takes at profile open.

Creates a profile in a temporary folder, imports sample dossiers as `communedesk import
dossiers FILE` does, then times m008's work alone: the dossier search index dropped, created
again and filled from every dossier. docs/local-store.md ("Tables") quotes it:

    .venv/bin/python bench/migration_bench.py --dossiers 200000
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200_000)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="communedesk-migration-"))
    os.environ["XDG_DATA_HOME"] = str(work / "xdg")
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    keyring.set_keyring(PlaintextKeyring())
    from app import records_io
    from app.profile import create_profile
    from app.schema import m008_search_without_positions
    from app.search import search
    from bench.samples import write_sample_file

    try:
        store = create_profile(work / "profile", "bench passphrase", "09661", user_name="Bench")
        source = write_sample_file(store, work / "dossiers.jsonl", args.dossiers)
        with source.open(encoding="utf-8") as lines:
            store.import_records(records_io.jsonl_lines(lines))
        started = time.perf_counter()
        m008_search_without_positions(store.db)
        seconds = time.perf_counter() - started
        assert search(store.db, "nguyen"), "the rebuilt index finds nothing"
        print(f"m008 (search index rebuilt) over {args.dossiers:,} dossiers: {seconds:.1f} s")
        store.db.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

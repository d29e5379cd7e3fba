"""The benchmarks that need no server still run: a small run of each prints its figures.

``bench/import_split.py`` once broke unnoticed (it wraps a store method whose signature
changed). These runs check that the figures are printed, not what they are: speed is measured
by running the benchmarks (docs/benchmarks.md), never by tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("script", "arguments", "figures"), [
    ("core_bench.py", ["--dossiers", "3000", "--batch", "1000", "--repeat", "2"],
     ["import:", "search over 10 queries", "profile open", "database size"]),
    ("import_split.py", ["--dossiers", "60", "--batch", "20", "--statements"],
     ["write     20", "import:", "INSERT INTO dossiers", "COMMIT"]),
    ("import_split.py", ["--dossiers", "60", "--batch", "20", "--writer-only",
                         "--page-size", "4096"],
     ["database page size: 4096 bytes", "batches pickled and unpickled:", "write     20",
      "writes alone:"]),
    ("import_split.py", ["--dossiers", "60", "--batch", "20", "--prepare-only"],
     ["preparation alone:", "for 60 dossiers", "due times alone:"]),
    ("import_split.py", ["--dossiers", "3000", "--batch", "1000", "--timeline"],
     ["import:", " s: this "]),
    ("migration_bench.py", ["--dossiers", "300"], ["m008 (search index rebuilt) over 300"]),
    ("machine_speed.py", ["--cpus", "0"], ["fixed work on core(s) 0: "]),
])
def test_a_small_run_prints_its_figures(tmp_path: Path, script: str, arguments: list[str],
                                        figures: list[str]) -> None:
    # The two import benchmarks run three batches, so the helper processes prepare them as in
    # a real bulk import; each of core_bench's queries must find a dossier, which 3,000 sample
    # dossiers do. The benchmarks keep their profile, keyring and sample file in a temporary
    # folder: here.
    run = subprocess.run([sys.executable, str(ROOT / "bench" / script), *arguments], cwd=ROOT,
                         env={**os.environ, "TMPDIR": str(tmp_path)}, capture_output=True,
                         text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    for figure in figures:
        assert figure in run.stdout, run.stdout

"""Where a bulk import's time goes: the helper processes' preparation and each batch's write.

Writes sample dossiers to a JSON Lines file, imports it into a fresh profile as
`communedesk import dossiers FILE` does, and prints the wall and CPU time of each batch's
write in the calling process (and the pages its commit wrote), then the rate, the CPU time
the helper processes used, and (``--statements``) the wall time of each SQL statement of the
last batch, per dossier. docs/benchmarks.md ("Where the import's time goes now") quotes it:

    .venv/bin/python bench/import_split.py --dossiers 200000 --statements
    .venv/bin/python bench/import_split.py --dossiers 200000 --helpers 2
    .venv/bin/python bench/import_split.py --dossiers 200000 --pragma "PRAGMA cache_size=-262144"
    .venv/bin/python bench/import_split.py --dossiers 200000 --batch 50000   # and its memory

``--writer-only`` prepares every batch in the helper processes first, times what pickling
and unpickling them costs (what crossing between processes costs), then times the writes
alone, one after another (the writer's own cost, without the helpers beside it);
``--page-size`` makes the profile with another database page size (decision 0014):

    .venv/bin/python bench/import_split.py --dossiers 200000 --writer-only [--page-size 4096]

``--prepare-only`` times the preparation alone, in this process, batch after batch (what a
helper or the writer spends preparing a dossier, without the other beside it), and the due
times alone over the same dossiers:

    .venv/bin/python bench/import_split.py --dossiers 60000 --prepare-only

``--timeline`` prints, each second of the import, the CPU (in cores) this process and each
helper process used in it, read from /proc (Linux):

    .venv/bin/python bench/import_split.py --dossiers 200000 --timeline
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import pickle
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--pragma", action="append", default=[],
                        help="a PRAGMA run on the profile's connection first (repeatable)")
    parser.add_argument("--batch", type=int, default=None,
                        help="dossiers a batch (default: the store's IMPORT_BATCH)")
    parser.add_argument("--helpers", type=int, default=None,
                        help="helper processes (default: the store's IMPORT_HELPERS)")
    parser.add_argument("--statements", action="store_true",
                        help="time each SQL statement of the last batch")
    parser.add_argument("--writer-only", action="store_true",
                        help="prepare every batch first, then time the writes alone")
    parser.add_argument("--prepare-only", action="store_true",
                        help="time the preparation alone, in this process")
    parser.add_argument("--timeline", action="store_true",
                        help="print each second's CPU of this process and of each helper")
    parser.add_argument("--page-size", type=int, default=None,
                        help="the new profile's database page size (default: app.db.PAGE_SIZE)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="communedesk-split-"))
    os.environ["XDG_DATA_HOME"] = str(work / "xdg")
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    keyring.set_keyring(PlaintextKeyring())
    from app import profile as profile_module
    from app import records_io
    from app import store as store_module
    from app.profile import create_profile
    from bench.samples import write_sample_file

    if args.page_size:
        profile_module.PAGE_SIZE = args.page_size

    store = create_profile(work / "profile", "bench passphrase", "09661", user_name="Bench")
    for pragma in args.pragma:
        store.db.conn.execute(pragma)
    source = write_sample_file(store, work / "dossiers.jsonl", args.dossiers)
    write = store_module.Store._import_batch
    statements = _StatementClock(store.db.conn)
    last_batch = [0]
    writing = [0.0]

    def timed_write(self, batch, result, progress=None):  # type: ignore[no-untyped-def]
        statements.spent.clear()
        last_batch[0] = batch.lines
        wall, cpu = time.perf_counter(), time.thread_time()
        write(self, batch, result, progress)
        writing[0] += time.thread_time() - cpu
        # The WAL holds the pages this batch's commit wrote (the checkpoint at the commit
        # copied them to the database; the next write starts the WAL over).
        pages = self.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
        print(f"  write {batch.lines:6,}: wall {time.perf_counter() - wall:5.2f} s, "
              f"CPU {time.thread_time() - cpu:5.2f} s, {pages:,} pages written", flush=True)

    store_module.Store._import_batch = timed_write
    if args.statements:
        store.db.conn = statements
    helpers = args.helpers or store_module.IMPORT_HELPERS
    batch_size = args.batch or store_module.IMPORT_BATCH
    print(f"database page size: {store.db.execute('PRAGMA page_size').fetchone()[0]} bytes")
    try:
        if args.writer_only:
            _time_writes_alone(store, source, helpers, batch_size, writing)
            return
        if args.prepare_only:
            _time_preparation_alone(store, source, batch_size)
            return
        timeline = _Timeline() if args.timeline else contextlib.nullcontext()
        started, cpu = time.perf_counter(), time.process_time()
        with timeline, source.open(encoding="utf-8") as lines:
            result = store.import_records(records_io.jsonl_lines(lines), helpers=helpers,
                                          batch_size=batch_size)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert not result.errors, result.errors[:5]
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"import: {seconds:.1f} s, {args.dossiers / seconds:,.0f} dossiers/s; "
              f"this process {cpu:.1f} s of CPU ({writing[0]:.1f} s writing), "
              f"{helpers} helpers {children.ru_utime + children.ru_stime:.1f} s; "
              f"peak memory {peak:,.0f} MiB")
        if args.statements:
            print(f"SQL statements writing the last batch ({last_batch[0]:,} dossiers), "
                  "wall µs a dossier:")
            for name, spent in statements.spent.most_common():
                print(f"  {spent / last_batch[0] * 1e6:7.1f}  {name}")
    finally:
        store.db.close()
        shutil.rmtree(work, ignore_errors=True)


def _time_writes_alone(store, source: Path, helpers: int, batch_size: int,  # type: ignore[no-untyped-def]
                       writing: list[float]) -> None:
    """Every batch prepared by the helpers first, then written one after another."""
    from itertools import islice

    from app import records_io
    from app.import_prep import paused_cycle_collector, prepare_in_helper
    from app.store import ImportResult, _import_helpers

    context = (store.catalogue, store.due_calculator, store.actor, store.today())
    with source.open(encoding="utf-8") as lines:
        numbered = records_io.jsonl_lines(lines)
        chunks = list(iter(lambda: list(islice(numbered, batch_size)), []))
    with _import_helpers(helpers, context) as pool:
        batches = list(pool.map(prepare_in_helper, chunks))
    crossing = time.process_time()  # what a batch costs to cross between processes
    for batch in batches:
        pickle.loads(pickle.dumps(batch))  # noqa: S301 - our own bytes, just made
    crossing = time.process_time() - crossing
    result = ImportResult()
    started = time.perf_counter()
    with paused_cycle_collector():
        for batch in batches:
            store._import_batch(batch, result)
    seconds = time.perf_counter() - started
    assert not result.errors, result.errors[:5]
    print(f"batches pickled and unpickled: {crossing / result.lines * 1e6:.1f} µs a dossier")
    print(f"writes alone: {seconds:.1f} s, {writing[0]:.1f} s of CPU: "
          f"{writing[0] / result.lines * 1e6:.0f} µs a dossier")


def _time_preparation_alone(store, source: Path, batch_size: int) -> None:  # type: ignore[no-untyped-def]
    """Every batch prepared in this process, one after another, the file read first."""
    from itertools import islice

    from app import records_io
    from app.dossier import parse_time
    from app.import_prep import prepare_batch, procedure_in

    context = (store.catalogue, store.due_calculator, store.actor, store.today())
    with source.open(encoding="utf-8") as lines:
        numbered = records_io.jsonl_lines(lines)
        chunks = list(iter(lambda: list(islice(numbered, batch_size)), []))
    started = time.process_time()
    batches = [prepare_batch(chunk, *context) for chunk in chunks]
    spent = time.process_time() - started
    prepared = sum(len(batch.items) for batch in batches)
    print(f"preparation alone: {spent:.1f} s of CPU for {prepared:,} dossiers: "
          f"{spent / prepared * 1e6:.0f} µs a dossier")
    # The same dossiers' due times alone: their receipts, their procedures' limits.
    calculator, receipts = store.due_calculator, []
    for chunk in chunks:
        for _line, text in chunk:
            record = json.loads(text)
            received = parse_time(record["received_at"])
            procedure = procedure_in(store.catalogue, record["procedure_code"], received, None)
            receipts.append((received, procedure.time_limit_days))
    started = time.process_time()
    for received, days in receipts:
        calculator.due_at(received, days)
    spent = time.process_time() - started
    same_day = sum(days == 0 for _received, days in receipts) / len(receipts)
    print(f"due times alone: {spent / len(receipts) * 1e6:.1f} µs a dossier "
          f"({same_day:.0%} same-day procedures)")


class _Timeline:
    """While open, prints each second the CPU (in cores) this process and each of its child
    processes (the import's helpers) used in it, from /proc (Linux), and what the whole
    machine used: where the two cores were busy, and where one waited."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> _Timeline:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _cpu(self, pid: int) -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / self._tick  # utime + stime

    def _machine(self) -> float:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        return sum(int(value) for value in fields[:3]) / self._tick  # user, nice, system

    def _children(self) -> list[int]:
        """This process's child processes but multiprocessing's resource tracker; one that
        ends while they are listed is left out."""
        found: list[int] = []
        for task in Path(f"/proc/{os.getpid()}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(pid) for pid in (task / "children").read_text().split()]
        helpers = []
        for pid in found:
            with contextlib.suppress(OSError):
                if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                    helpers.append(pid)
        return helpers

    def _run(self) -> None:
        """A line a second, and one for the part of a second before the import ended."""
        seen = {os.getpid(): self._cpu(os.getpid()) or 0.0}
        machine, started = self._machine(), time.perf_counter()
        last = started
        while True:
            stopped = self._stop.wait(1.0)
            now = time.perf_counter()
            interval, last = max(now - last, 1e-3), now
            columns = []
            for pid in [os.getpid(), *self._children()]:
                used = self._cpu(pid)
                if used is None:
                    continue
                name = "this" if pid == os.getpid() else f"helper {pid}"
                columns.append(f"{name} {(used - seen.get(pid, 0.0)) / interval:4.2f}")
                seen[pid] = used
            busy = self._machine()
            print(f"  {now - started:5.1f} s: {', '.join(columns)}; "
                  f"machine {(busy - machine) / interval:4.2f}", flush=True)
            machine = busy
            if stopped:
                return


class _StatementClock:
    """The profile's connection, timing each statement by its first words (the table)."""

    def __init__(self, conn: object) -> None:
        self._conn = conn
        self.spent: collections.Counter[str] = collections.Counter()

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)

    def _timed(self, method: str, sql: str, *args: object) -> object:
        name = sql[sql.find("INSERT INTO"):] if sql.startswith("WITH") else sql
        started = time.perf_counter()
        try:
            return getattr(self._conn, method)(sql, *args)
        finally:
            self.spent[name.split("(")[0].strip()[:48]] += time.perf_counter() - started

    def execute(self, sql: str, *args: object) -> object:
        return self._timed("execute", sql, *args)

    def executemany(self, sql: str, *args: object) -> object:
        return self._timed("executemany", sql, *args)


if __name__ == "__main__":
    main()

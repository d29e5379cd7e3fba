"""Benchmark of the dossier list at 200,000 dossiers: offscreen Qt, the real task helper.

Prints three figures (docs/benchmarks.md keeps them with the machine and this command):

    .venv/bin/python bench/ui_bench.py --dossiers 200000 [--profile-cache DIR]

(a) time to first rows: from ``set_query`` until the view has painted its visible rows (the id
    list and the first block read on the database worker, the reset, the paint), per query;
(b) search as you type: a name typed one character at a time into a QLineEdit whose
    ``textChanged`` feeds ``DossierListPage.set_search_text``; from each keystroke until the list
    shows that text's matches painted; p50 and p95;
(c) the longest GUI-thread stall while 1,000 dossiers are written by another store on another
    thread (``simulated_sync``: the task helper's network worker imports them in pages of 100,
    as a sync's pulls would, so change notices reach the list, which refreshes). A ``StallProbe``
    (a 5 ms QTimer) records the longest gap between its ticks. ``measure_sync_stall`` takes any
    ``start_sync(desk) -> is_done`` function: a real sync against a city server plugs in there.

The 200,000 dossiers (``app/sample_data.py``, seed 2026, as bench/core_bench.py) are imported once
into a profile kept under ``--profile-cache`` (default: /tmp/communedesk-ui-bench), with its
keychain (keyrings.alt's file keyring, no OS keychain headless). Each run works on a fresh copy
of it, so the cached profile never grows.
Also printed: the id query alone on the worker's connection for each sort and filter.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "bench passphrase"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "communedesk-ui-bench"
TYPED = ("Nguyễn Văn Đức", "tran thi hoa", "Lê Minh", "0912")
SYNC_DOSSIERS, SYNC_PAGE = 1_000, 100


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


# ---------------------------------------------------------------------- the profile


def use_cache_keyring(cache: Path) -> None:
    """A file keyring inside the cache folder (no OS keychain headless; PITFALLS.md)."""
    os.environ["XDG_DATA_HOME"] = str(cache / "xdg")
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    keyring.set_keyring(PlaintextKeyring())


def ensure_profile(cache: Path, dossiers: int) -> Path:
    """The profile with ``dossiers`` sample dossiers in ``cache``, imported once and reused."""
    from app import sample_data
    from app.dossier import VN_TZ
    from app.profile import create_profile

    root = cache / f"profile-{dossiers}"
    done = root / "bench-complete.json"
    if done.exists():
        return root
    if root.exists():  # an import cut short: start again
        shutil.rmtree(root)
    cache.mkdir(parents=True, exist_ok=True)
    print(f"importing {dossiers:,} dossiers into {root} (once; a few minutes)...", flush=True)
    store = create_profile(root, PASSPHRASE, "09661", user_name="Bench")
    store.set_setting("user.username", "bench")
    procedures = [(p.code, p.time_limit_days) for p in store.catalogue.current(
        datetime(2025, 7, 1).date())]
    per_day = max(40, math.ceil(dossiers / 1300))  # stay inside the calendar's years
    stream = sample_data.dossier_records(dossiers, procedures, seed=2026, per_day=per_day,
                                         start=datetime(2025, 7, 1, 7, 0, tzinfo=VN_TZ))
    started = time.perf_counter()
    result = store.import_records(enumerate(stream, 1))
    assert not result.errors, result.errors[:5]
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.db.close()
    done.write_text(json.dumps({"dossiers": dossiers,
                                "import_seconds": time.perf_counter() - started}) + "\n")
    return root


def working_copy(root: Path, work: Path) -> Path:
    """A copy of the cached profile to measure on (the sync simulation adds dossiers); opening
    it brings its schema up to date (m005's list indexes on a cache made before them)."""
    copy = work / "profile"
    shutil.copytree(root, copy)
    return copy


# ---------------------------------------------------------------------- event-loop helpers


def spin(app, until: Callable[[], bool], timeout: float = 30.0) -> float:
    """Run the event loop until ``until()``; the time it became true (perf_counter)."""
    from PySide6.QtCore import QEventLoop

    deadline = time.perf_counter() + timeout
    while not until():
        if time.perf_counter() > deadline:
            raise TimeoutError("the list did not answer in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 2)
        time.sleep(0.0005)
    return time.perf_counter()


class PaintClock:
    """Remembers when the table's viewport last painted (an event filter), and when its model
    last changed (a paint after that shows the change)."""

    def __init__(self, widget, model) -> None:  # noqa: ANN001
        from PySide6.QtCore import QEvent, QObject

        clock = self

        def changed(*_: object) -> None:
            clock.changed = time.perf_counter()

        for signal in (model.modelReset, model.dataChanged, model.ids_loaded):
            signal.connect(changed)
        self.changed = 0.0

        class Filter(QObject):
            def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802
                if event.type() == QEvent.Type.Paint:
                    clock.last = time.perf_counter()
                return False

        self.last = 0.0
        self._filter = Filter()
        widget.installEventFilter(self._filter)


class StallProbe:
    """A QTimer ticking every ``interval_ms`` on the GUI thread; the longest gap between two
    ticks is the longest time the GUI thread could not run an event (a stall)."""

    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval_ms = interval_ms
        self.gaps: list[float] = []
        self._last = 0.0
        self._timer = QTimer(interval=interval_ms)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._tick()

    @property
    def longest_ms(self) -> float:
        return max(self.gaps, default=0.0)


def visible_rows_loaded(page) -> bool:  # noqa: ANN001
    model, view = page.model, page.view
    if not model.loaded or model.loading:
        return False
    first = max(0, view.rowAt(0))
    last = view.rowAt(view.viewport().height() - 1)
    last = model.rowCount() - 1 if last < 0 else last
    return all(model.is_row_loaded(r) for r in range(first, last + 1))


def shown(app, page, paints: PaintClock, started: float, accept: Callable[[], bool]  # noqa: ANN001
          ) -> float:
    """Milliseconds from ``started`` until ``accept()`` holds, the visible rows are read, and
    the view has painted them (the first paint after the model's last change)."""
    spin(app, lambda: accept() and visible_rows_loaded(page))
    spin(app, lambda: paints.last >= paints.changed, timeout=5)
    return (paints.last - started) * 1000


# ---------------------------------------------------------------------- the figures


def first_rows(app, page, paints: PaintClock) -> list[tuple[str, float, int]]:  # noqa: ANN001
    """(a): each query from another one, as a filter click or a header click does."""
    from app.dossier_query import DossierQuery as Q

    queries = [
        ("default: code, newest first", Q()),
        ("applicant name A→Z (Vietnamese)", Q(sort="applicant", descending=False)),
        ("received, newest first", Q(sort="received_at")),
        ("due time, soonest first", Q(sort="due_at", descending=False)),
        ("status", Q(sort="status", descending=False)),
        ("procedure name", Q(sort="procedure", descending=False)),
        ("sync state", Q(sort="sync_state", descending=False)),
        ("filter: status 'received' (70 %)", Q(statuses={2})),
        ("filter: overdue", Q(overdue=True)),
        ("filter: due soon", Q(due_soon=True)),
        ("filter: one procedure", Q(procedure_code="1.001193")),
        ("filter: received + overdue + procedure", Q(statuses={2}, overdue=True,
                                                     procedure_code="1.001193")),
        ("default again", Q()),
    ]
    figures = []
    for label, query in queries:
        serial = page.model._serial + 1
        started = time.perf_counter()
        page.model.set_query(query)
        elapsed = shown(app, page, paints, started,
                        lambda s=serial: page.model._serial == s and page.model.loaded)
        figures.append((label, elapsed, page.model.rowCount()))
    return figures


def search_as_you_type(app, page, paints: PaintClock, cadence_ms: float  # noqa: ANN001
                       ) -> tuple[list[float], int]:
    """(b): the latency of each keystroke that changes what the list searches for, typing
    every ``cadence_ms``; and how many keystrokes changed nothing to show (a space, a first
    letter: ``searched_text``)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    from ui.dossier_list import searched_text

    box = QLineEdit()
    box.textChanged.connect(page.set_search_text)
    latencies: list[float] = []
    unchanged = 0
    for text in TYPED:
        box.clear()
        spin(app, lambda: page.search_text() == "" and not page.model.loading
             and visible_rows_loaded(page))
        for ch in text:
            before = page.search_text()
            started = time.perf_counter()
            QTest.sendKeyEvent(QTest.KeyAction.Click, box, Qt.Key.Key_unknown, ch,
                               Qt.KeyboardModifier.NoModifier)
            wanted = searched_text(box.text())
            if wanted == before:
                unchanged += 1
            else:
                latencies.append(shown(app, page, paints, started, lambda w=wanted: (
                    page.search_text() == w and page.model.query().search == w)))
            next_key = started + cadence_ms / 1000
            spin(app, lambda n=next_key: time.perf_counter() >= n)
    box.clear()
    spin(app, lambda: page.search_text() == "" and visible_rows_loaded(page))
    return latencies, unchanged


def simulated_sync(count: int = SYNC_DOSSIERS, page_size: int = SYNC_PAGE
                   ) -> Callable[..., Callable[[], bool]]:
    """A stand-in for a sync: ``count`` new dossiers written on the network worker (its own
    store of the workspace, another thread), ``page_size`` a transaction as pulled pages are;
    each commit sends its change notice."""
    def start(desk) -> Callable[[], bool]:  # noqa: ANN001
        from app import sample_data
        from app.dossier import VN_TZ

        finished: list[bool] = []

        def write(store) -> int:  # noqa: ANN001
            procedures = [(p.code, p.time_limit_days) for p in store.catalogue.current(
                datetime(2025, 7, 1).date())]
            stream = sample_data.dossier_records(
                count, procedures, seed=7, per_day=50,
                start=datetime(2025, 7, 1, 7, 0, tzinfo=VN_TZ))
            result = store.import_records(enumerate(stream, 1), batch_size=page_size)
            assert not result.errors, result.errors[:3]
            return len(result.created)

        desk.tasks.net(write, lambda _: finished.append(True),
                       lambda error: (finished.append(True), print("sync failed:", error)))
        return lambda: bool(finished)
    return start


def measure_sync_stall(app, desk, page, start_sync: Callable[..., Callable[[], bool]]  # noqa: ANN001
                       ) -> tuple[StallProbe, float, int]:
    """(c): the stall probe around a sync and the list's refreshes after it. Returns the
    probe, the seconds the sync and refreshes took, and the list's row count after."""
    probe = StallProbe()
    probe.start()
    started = time.perf_counter()
    is_done = start_sync(desk)
    spin(app, is_done, timeout=600)
    def settled() -> bool:
        return (desk.tasks.idle and not page.model.refresh_pending
                and visible_rows_loaded(page))

    spin(app, settled, timeout=60)
    desk.notices.flush()  # what the 150 ms gathering still holds
    spin(app, settled, timeout=60)
    elapsed = time.perf_counter() - started
    probe.stop()
    return probe, elapsed, page.model.rowCount()


def worker_side(desk) -> list[tuple[str, float, int]]:  # noqa: ANN001
    """The id query alone, on a store of the workspace (median of 3)."""
    from app.dossier_query import SORT_COLUMNS, query_ids
    from app.dossier_query import DossierQuery as Q

    store = desk.workspace.open_store()
    queries = [(f"sort {s} {'desc' if d else 'asc'}", Q(sort=s, descending=d))
               for s in SORT_COLUMNS for d in (True, False)]
    queries += [("status 2", Q(statuses={2})), ("status 2, by name", Q(statuses={2},
                                                                       sort="applicant")),
                ("overdue", Q(overdue=True)), ("due today", Q(due_today=True)),
                ("procedure 1.001193", Q(procedure_code="1.001193")),
                ("assigned to bench", Q(assigned_to="bench")),
                ("search 'nguyen'", Q(search="nguyen")),
                ("search 'nguyen van duc' + status 2", Q(search="nguyen van duc",
                                                         statuses={2}))]
    figures = []
    for label, query in queries:
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            answer = query_ids(store, query, store.clock.now())
            runs.append((time.perf_counter() - started) * 1000)
        figures.append((label, statistics.median(runs), len(answer.ids)))
    store.db.close()
    return figures


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--profile-cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--cadence-ms", type=float, default=200,
                        help="time between two keystrokes of (b)")
    args = parser.parse_args()

    use_cache_keyring(args.profile_cache)
    root = ensure_profile(args.profile_cache, args.dossiers)
    work = Path(tempfile.mkdtemp(prefix="communedesk-ui-bench-"))
    try:
        copy = working_copy(root, work)
        run(args, copy, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, profile: Path, work: Path) -> None:
    import sqlite3

    import PySide6
    from PySide6.QtCore import QSettings, qVersion
    from PySide6.QtWidgets import QApplication

    from app.workspace import Workspace
    from ui.context import Desk, Notices, Person
    from ui.dossier_list import DossierListPage
    from ui.tasks import Tasks

    app = QApplication.instance() or QApplication([])
    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, str(work / "qsettings"))
    workspace = Workspace.open(profile, PASSPHRASE)
    tasks = Tasks(workspace)
    desk = Desk(tasks, workspace, Notices(workspace, tasks), Person("bench", "Bench", "officer"))
    store = workspace.open_store()
    sqlite_version = store.db.execute("SELECT sqlite_version()").fetchone()[0]
    total = store.db.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    store.db.close()

    print(f"machine: {machine()}, Python {platform.python_version()}, Qt {qVersion()} "
          f"(PySide6 {PySide6.__version__}), SQLCipher's SQLite {sqlite_version} "
          f"(system sqlite3 {sqlite3.sqlite_version})")
    print(f"dossiers: {total:,}")

    page = DossierListPage(desk)
    page.resize(1280, 800)
    page.show()
    paints = PaintClock(page.view.viewport(), page.model)
    started = time.perf_counter()
    opened = shown(app, page, paints, started, lambda: page.model.loaded)
    print(f"page opened (first id list and rows painted): {opened:.0f} ms, "
          f"{page.model.rowCount():,} rows")

    print("(a) time to first rows, set_query -> visible rows painted (target <= 300 ms):")
    figures = first_rows(app, page, paints)
    for label, elapsed, rows in figures:
        print(f"    {label:42} {elapsed:7.0f} ms  {rows:8,} rows")
    default = [e for label, e, _ in figures if label.startswith("default")]
    print(f"    default query: {', '.join(f'{e:.0f}' for e in default)} ms")

    latencies, unchanged = search_as_you_type(app, page, paints, args.cadence_ms)
    print(f"(b) search as you type, a keystroke every {args.cadence_ms:.0f} ms into "
          f"{', '.join(repr(t) for t in TYPED)}: {len(latencies)} keystrokes changed the "
          f"search: p50 {percentile(latencies, .5):.0f} ms, p95 "
          f"{percentile(latencies, .95):.0f} ms, max {max(latencies):.0f} ms (target p95 <= "
          f"100 ms); {unchanged} changed nothing to show (a space, a lone first letter)")

    probe, seconds, rows = measure_sync_stall(app, desk, page, simulated_sync())
    print(f"(c) GUI-thread stall while another thread writes {SYNC_DOSSIERS:,} dossiers in "
          f"pages of {SYNC_PAGE} and the list refreshes: longest {probe.longest_ms:.0f} ms "
          f"(p99 gap {percentile(probe.gaps, .99):.0f} ms over {len(probe.gaps)} ticks of "
          f"{probe.interval_ms} ms; {seconds:.1f} s; list now {rows:,} rows)")

    print("id query alone on the worker (median of 3):")
    for label, elapsed, rows in worker_side(desk):
        print(f"    {label:42} {elapsed:7.1f} ms  {rows:8,} rows")

    page.close()
    desk.notices.close()
    tasks.close()


if __name__ == "__main__":
    main()

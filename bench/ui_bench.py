"""Benchmark of the dossier list at 200,000 dossiers: offscreen Qt, the real task helper.

Prints three figures (docs/benchmarks.md keeps them with the machine and this command):

    .venv/bin/python bench/ui_bench.py --dossiers 200000 [--profile-cache DIR] [--rounds 3]

(a) time to first rows: from ``set_query`` until the view has painted its visible rows (the id
    list and the first block read on the database worker, the reset, the paint), per query;
(b) search as you type: a name typed one character at a time into a QLineEdit whose
    ``textChanged`` feeds ``DossierListPage.set_search_text``; from each keystroke until the list
    shows that text's matches painted; p50 and p95;
(c) the longest GUI-thread stall during a real sync of 1,000 dossiers: a city server (SQLite,
    a child process, ``app.demo.DemoCity``) in a temporary folder; the working copy signed in
    to it as a desk of Xã Minh Châu (09661, the cached profile's commune); another desk (a fresh
    profile) imports 1,000 sample dossiers and syncs them up before anything is measured. Then,
    with the dossier list shown and live (and the status bar and sync page listening), the
    "Đồng bộ ngay" path (``SyncController.sync_now``: ``run_sync`` on the task helper's network
    worker) pulls them; then 1,000 dossiers typed in at this desk (pending) are pushed the same
    way. A ``StallProbe`` (a 5 ms QTimer) records the longest gap between its ticks from the
    start of the sync until the list has taken in what it changed (``synced``, then the 150 ms
    gathering of notices, the id list re-read at most once a second, the visible rows read and
    painted).
    ``--rounds`` repeats pull and push (each batch received on later days, so it tops the
    default sort, as the day's dossiers do). The run uses the app's interpreter settings
    (``ui/app.py``: GIL switch interval, start-up objects left out of garbage collection);
    ``--python-defaults`` measures without them. Also printed: who used the two cores meanwhile
    (this process and its GUI thread, the server, every other process: the machine is shared).
    The cached profile was imported offline, so its 400,000 outbox operations are counted as
    sent first in the working copy (a desk whose history is on the server); sign-in gives the
    desk a code slot from the server, as a real first sign-in does.

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
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "bench passphrase"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "communedesk-ui-bench"
TYPED = ("Nguyễn Văn Đức", "tran thi hoa", "Lê Minh", "0912")
SYNC_DOSSIERS = 1_000


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
    from app.profile import create_profile
    from bench.samples import sample_records

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
    started = time.perf_counter()
    result = store.import_records(enumerate(sample_records(store, dossiers), 1))
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


def loop_until(until: Callable[[], bool], timeout: float, check_ms: int = 10) -> float:
    """Run Qt's own event loop until ``until()`` (checked every ``check_ms`` by a timer); the
    time it became true (perf_counter). Unlike ``spin``, the GUI thread waits in the event
    loop as the app's does, taking the GIL only for the Python slots it runs: (c) measures how
    the app's GUI thread shares the interpreter with the workers, so it must not spin."""
    from PySide6.QtCore import QEventLoop, QTimer

    if until():
        return time.perf_counter()
    loop, came = QEventLoop(), []
    deadline = time.perf_counter() + timeout

    def check() -> None:
        if until():
            came.append(time.perf_counter())
            loop.quit()
        elif time.perf_counter() > deadline:
            loop.quit()

    timer = QTimer(interval=check_ms)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not came:
        raise TimeoutError("the list did not settle in time")
    return came[0]


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


class ScreenClock:
    """When the table last painted, and when the model last changed what it shows (a reset, or
    data of a visible row: held rows off screen change without a paint); a paint after that
    shows the change. For (c)'s settling."""

    def __init__(self, view, model) -> None:  # noqa: ANN001
        from PySide6.QtCore import QEvent, QObject

        clock = self
        self.changed = self.last = 0.0

        def reset() -> None:
            clock.changed = time.perf_counter()

        def data(top_left, bottom_right, *_: object) -> None:  # noqa: ANN001
            first = max(0, view.rowAt(0))
            last = view.rowAt(view.viewport().height() - 1)
            last = model.rowCount() - 1 if last < 0 else last
            if top_left.row() <= last and bottom_right.row() >= first:
                clock.changed = time.perf_counter()

        model.modelReset.connect(reset)
        model.dataChanged.connect(data)

        class Filter(QObject):
            def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802
                if event.type() == QEvent.Type.Paint:
                    clock.last = time.perf_counter()
                return False

        self._filter = Filter()
        view.viewport().installEventFilter(self._filter)


class StallProbe:
    """A QTimer ticking every ``interval_ms`` on the GUI thread; the longest gap between two
    ticks is the longest time the GUI thread could not run an event (a stall)."""

    def __init__(self, interval_ms: int = 5) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval_ms = interval_ms
        self.gaps: list[float] = []  # milliseconds
        self.ends: list[float] = []  # when each gap ended (perf_counter)
        self.cpus: list[float] = []  # the GUI thread's CPU milliseconds in each gap
        self.running = False
        self._last = self._cpu = 0.0
        self._timer = QTimer(interval=interval_ms)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        cpu = time.thread_time()
        self.gaps.append((now - self._last) * 1000)
        self.ends.append(now)
        self.cpus.append((cpu - self._cpu) * 1000)
        self._last, self._cpu = now, cpu

    def start(self) -> None:
        self.gaps.clear()
        self.ends.clear()
        self.cpus.clear()
        self._last, self._cpu = time.perf_counter(), time.thread_time()
        self.running = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._tick()
        self.running = False

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


# ---------------------------------------------------------------------- (c): a real sync


def settle_outbox(store) -> int:  # noqa: ANN001
    """Count the working copy's dossiers as sent long ago (the cached profile was imported
    offline, so its first sync would otherwise push 400,000 operations): a desk whose history
    is on the server, where only what this benchmark adds travels. The number settled."""
    from app.db import transaction
    from app.dossier import utc_text

    with transaction(store.db):
        settled = store.db.execute(
            "UPDATE outbox SET sent_at = ?, outcome = 'applied' WHERE sent_at IS NULL",
            [utc_text(store.clock.now())]).rowcount
        store.db.execute("UPDATE dossiers SET sync_state = 'synced', sync_reason = NULL "
                         "WHERE sync_state = 'pending'")
    return settled


class Batches:
    """Sample dossiers for (c), ``SYNC_DOSSIERS`` a batch, each received on days after
    everything before it (so each batch tops the default sort, code newest first, as the day's
    dossiers do at a counter), 200 a working day."""

    def __init__(self, store) -> None:  # noqa: ANN001
        newest = store.db.execute("SELECT max(received_at) FROM dossiers").fetchone()[0]
        self.day = self._day_after(newest)
        self.seed = 7

    @staticmethod
    def _day_after(stored: str):  # noqa: ANN205
        from app.dossier import VN_TZ

        moment = datetime.fromisoformat(stored.replace("Z", "+00:00")).astimezone(VN_TZ)
        return moment.date() + timedelta(days=1)

    def next(self, store) -> list[dict]:  # noqa: ANN001
        """The next batch (``store`` gives the catalogue)."""
        from app import sample_data
        from app.dossier import VN_TZ

        day = self.day
        procedures = [(p.code, p.time_limit_days) for p in store.catalogue.current(day)]
        records = list(sample_data.dossier_records(
            SYNC_DOSSIERS, procedures, seed=self.seed, per_day=200,
            start=datetime(day.year, day.month, day.day, 7, 0, tzinfo=VN_TZ)))
        self.seed += 1
        self.day = self._day_after(max(records, key=lambda r: r["received_at"])["received_at"])
        return records


@dataclass
class City:
    """The city server of (c), and another desk of the commune that puts dossiers on it."""

    server: Any  # app.demo.DemoCity: a child process that dies with this one
    url: str
    settled: int  # the working copy's outbox operations counted as sent
    other: Any  # the other desk's Store (this thread's)
    other_root: Path
    batches: Batches

    def upload(self) -> float:
        """The other desk imports the next batch and syncs it up; the sync's seconds."""
        from app.syncing import run_sync

        result = self.other.import_records(enumerate(self.batches.next(self.other), 1))
        assert not result.errors, result.errors[:3]
        started = time.perf_counter()
        report = run_sync(self.other, self.other_root, blobs=False)
        assert report.applied == 2 * SYNC_DOSSIERS and not report.pending, report
        return time.perf_counter() - started

    def stop(self) -> None:
        self.other.db.close()
        self.server.stop()


def start_city(work: Path, workspace) -> City:  # noqa: ANN001
    """A city server (SQLite, in ``work``) with Xã Minh Châu's demo users; the benchmark's
    profile signed in to it as ``hoa``'s desk and synced once (reference data, nothing to push
    or pull); another desk of the commune (``lan``, a fresh profile) signed in. The server is
    left running (``City.stop``)."""
    from app.demo import DEMO_COMMUNE, DEMO_PASSWORD, DemoCity
    from app.profile import create_profile
    from app.syncing import run_sync, sign_in

    server = DemoCity(work / "city")
    server.folder.mkdir(parents=True)
    server.prepare()  # init, the commune's users (hoa, lan, minh)
    url = server.start()
    try:
        store = workspace.open_store()
        if store.setting("commune.code") != DEMO_COMMUNE:  # sign-in checks it too
            raise SystemExit(f"the cached profile is of commune {store.setting('commune.code')}"
                             f", the server's users of {DEMO_COMMUNE}: make a new cache")
        settled = settle_outbox(store)
        sign_in(store, workspace.root, url, "hoa", DEMO_PASSWORD, device_name="bench desk")
        first = run_sync(store, workspace.root, blobs=False)
        assert first.pushed == 0 and first.pulled == 0, first
        batches = Batches(store)
        store.db.close()
        other_root = work / "other-desk"
        other = create_profile(other_root, PASSPHRASE, DEMO_COMMUNE, user_name="Trần Thị Lan")
        sign_in(other, other_root, url, "lan", DEMO_PASSWORD, device_name="bench other desk")
    except BaseException:
        server.stop()
        raise
    return City(server, url, settled, other, other_root, batches)


def real_sync(controller, outcomes: list) -> Callable[..., Callable[[], bool]]:  # noqa: ANN001
    """``start_sync`` for ``measure_sync_stall``: the "Đồng bộ ngay" button
    (``SyncController.sync_now``: the sync on the network worker); done at ``synced``, whose
    outcome is appended to ``outcomes`` with the time it came."""
    def start(desk) -> Callable[[], bool]:  # noqa: ANN001
        before = len(outcomes)

        def synced(outcome) -> None:  # noqa: ANN001
            outcomes.append((time.perf_counter(), outcome))
            controller.synced.disconnect(synced)

        controller.synced.connect(synced)
        controller.sync_now(blobs=False)
        return lambda: len(outcomes) > before
    return start


def import_local(app, desk, page, paints: ScreenClock, batches: Batches  # noqa: ANN001
                 ) -> int:
    """A batch of new dossiers typed in at this desk (imported on the network worker, as
    pending changes); waits until the list has taken them in. The number created."""
    created: list[int] = []

    def write(store) -> int:  # noqa: ANN001
        result = store.import_records(enumerate(batches.next(store), 1))
        assert not result.errors, result.errors[:3]
        return len(result.created)

    desk.tasks.net(write, created.append)
    loop_until(lambda: bool(created), timeout=300)
    settle(app, desk, page, paints, time.perf_counter())
    return created[0]


class StallTrace:
    """Where the GUI thread is while the probe's gap grows (``--trace``): a watchdog thread
    samples every ``every_ms`` and, once the gap passes ``threshold_ms``, keeps the Python
    stacks of the GUI thread and of the network worker (``sys._current_frames``). A stack that
    ends in the event loop means the GUI thread was in Qt's C++ code or waiting for the GIL,
    not in a Python slot. The watchdog takes the GIL too: figures measured with it are not the
    benchmark's."""

    def __init__(self, probe: StallProbe, threshold_ms: float = 20, every_ms: float = 2) -> None:
        self.probe, self.threshold, self.every = probe, threshold_ms / 1000, every_ms / 1000
        self.samples: list[tuple[float, float, str, str]] = []  # at, gap so far, gui, net
        self._running = False

    def start(self) -> None:
        import threading

        self._gui = threading.get_ident()
        self._running = True
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._running = False
        self._thread.join()

    def _watch(self) -> None:
        import threading
        import traceback

        def stack(ident: int | None) -> str:
            frame = sys._current_frames().get(ident) if ident else None  # noqa: SLF001
            if frame is None:
                return "-"
            return " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                              for f in reversed(traceback.extract_stack(frame)[-5:]))

        net = next((t.ident for t in threading.enumerate() if t.name == "communedesk-net"),
                   None)
        while self._running:
            time.sleep(self.every)
            now = time.perf_counter()
            gap = now - self.probe._last  # noqa: SLF001
            if gap > self.threshold and self.probe.running:
                self.samples.append((now, gap, stack(self._gui), stack(net)))

    def report(self, since: float, limit: int = 12) -> None:
        from collections import Counter

        counts = Counter((gui, net) for _, _, gui, net in self.samples)
        print(f"    trace: {len(self.samples)} samples of the GUI thread while the probe's gap "
              f"was over {self.threshold * 1000:.0f} ms; the most frequent stacks:")
        for (gui, net), n in counts.most_common(limit):
            print(f"      {n:4}  GUI: {gui}\n            net: {net}")


class Timeline:
    """What happened when, for ``--trace``: the sync's progress, notices, resets, blocks, the
    table's paints, and full garbage collections (on any thread: it holds the GIL)."""

    def __init__(self, desk, page, controller) -> None:  # noqa: ANN001
        import gc
        import threading

        from PySide6.QtCore import QEvent, QObject

        self.events: list[tuple[float, str]] = []
        collecting: dict[int, float] = {}

        def collection(phase: str, info: dict) -> None:
            now, thread = time.perf_counter(), threading.current_thread()
            if phase == "start":
                collecting[thread.ident or 0] = now
            elif info["generation"] == 2:
                took = (now - collecting.pop(thread.ident or 0, now)) * 1000
                self.events.append((now, f"full GC on {thread.name} {took:.0f} ms"))

        gc.callbacks.append(collection)
        events = self.events

        class Paints(QObject):
            def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802
                if event.type() == QEvent.Type.Paint:
                    events.append((time.perf_counter(), "table paint"))
                return False

        self._paints = Paints()
        page.view.viewport().installEventFilter(self._paints)

        def note(label: str) -> Callable[..., None]:
            return lambda *args: self.events.append((time.perf_counter(), label.format(*args)))

        desk.notices.dossiers_changed.connect(lambda ids: self.events.append(
            (time.perf_counter(), f"notice: {len(ids)} dossiers")))
        page.model.modelAboutToBeReset.connect(note("reset begins"))
        page.model.modelReset.connect(note("reset done"))
        page.model.rows_loaded.connect(note("rows {0}-{1} loaded"))
        page.model.ids_loaded.connect(note("ids loaded"))
        controller.progress.connect(note("progress {0} {1}"))
        controller.synced.connect(note("synced"))

    def report(self, probe: StallProbe, since: float, worst: int = 6) -> None:
        print("    the longest gaps (ms from the start of the sync, the GUI thread's CPU in them) "
              "and what happened in them:")
        gaps = sorted(zip(probe.ends, probe.gaps, probe.cpus, strict=True),
                      key=lambda g: -g[1])[:worst]
        for end, gap, cpu in sorted(gaps):
            begin = end - gap / 1000
            inside = [label for at, label in self.events if begin - 0.002 <= at <= end]
            print(f"      {(begin - since) * 1000:8.0f} +{gap:4.0f} ms (GUI CPU {cpu:4.0f} ms)  "
                  f"{'; '.join(inside)}")


def _busy_seconds() -> float:
    """CPU seconds the whole machine spent busy since boot (/proc/stat)."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def _process_seconds(pid: int) -> float:
    """CPU seconds of a process (all its threads) so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuShare:
    """Who used the two cores during a measurement (the machine is shared): this process and
    its GUI thread, the city server, and every other process (what is left of the machine's
    busy time). Call ``start`` and ``stop`` on the GUI thread; Linux only."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid

    def start(self) -> None:
        self._at = (time.perf_counter(), _busy_seconds(), _process_seconds(os.getpid()),
                    _process_seconds(self.server_pid), time.thread_time())

    def stop(self) -> str:
        now = (time.perf_counter(), _busy_seconds(), _process_seconds(os.getpid()),
               _process_seconds(self.server_pid), time.thread_time())
        wall, busy, mine, server, gui = (b - a for a, b in zip(self._at, now, strict=True))
        return (f"cores used meanwhile: this process {mine / wall:.2f} (its GUI thread "
                f"{gui / wall:.2f}), city server {server / wall:.2f}, other processes "
                f"{max(0.0, busy - mine - server) / wall:.2f}")


def settle(app, desk, page, paints: ScreenClock, since: float) -> None:  # noqa: ANN001
    """Until the list shows what the last change left: the notices gathered (``GATHER_MS``
    after ``since``), the id list re-read (at most once a second), the visible rows read, and
    the table painted since the model last changed."""
    from ui.context import GATHER_MS

    def settled() -> bool:
        return (time.perf_counter() - since >= (GATHER_MS + 50) / 1000 and desk.tasks.idle
                and not page.model.refresh_pending and visible_rows_loaded(page)
                and paints.last >= paints.changed)

    loop_until(settled, timeout=120)


def measure_sync_stall(app, desk, page, paints: ScreenClock,  # noqa: ANN001
                       start_sync: Callable[..., Callable[[], bool]],
                       probe: StallProbe | None = None) -> tuple[StallProbe, float, int]:
    """(c): the stall probe from the start of a sync (``start_sync(desk) -> is_done``) until
    the list has taken in what it changed (``settle``). Returns the probe, the seconds that
    took, and the list's row count after."""
    probe = probe or StallProbe()
    probe.start()
    started = time.perf_counter()
    is_done = start_sync(desk)
    done_at = loop_until(is_done, timeout=600)
    settle(app, desk, page, paints, done_at)
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
    parser.add_argument("--rounds", type=int, default=3,
                        help="(c): how many times to measure a pull and a push")
    parser.add_argument("--stall-only", action="store_true",
                        help="(c) only: no first rows, no search, no id queries")
    parser.add_argument("--python-defaults", action="store_true",
                        help="without the app's interpreter settings (ui/app.py: GIL switch "
                             "interval, start-up objects left out of garbage collection)")
    parser.add_argument("--compare-python-defaults", action="store_true",
                        help="(c): odd rounds with the app's interpreter settings, even rounds "
                             "with Python's defaults (an A/B in one process, one machine state)")
    parser.add_argument("--switch-interval-ms", type=float, default=None,
                        help="another GIL switch interval than the app's (to compare)")
    parser.add_argument("--trace", action="store_true",
                        help="(c): sample the GUI thread's stack during long gaps and print "
                             "the longest gaps with what happened in them (perturbs (c))")
    args = parser.parse_args()

    use_cache_keyring(args.profile_cache)
    root = ensure_profile(args.profile_cache, args.dossiers)
    work = Path(tempfile.mkdtemp(prefix="communedesk-ui-bench-"))
    try:
        # The run's keychain is a copy of the cache's: the sign-in's tokens stay in ``work``.
        shutil.copytree(args.profile_cache / "xdg", work / "xdg")
        use_cache_keyring(work)
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
    from ui.app import tune_interpreter
    from ui.context import Desk, Notices, Person
    from ui.tasks import Tasks

    if not args.python_defaults:
        tune_interpreter()  # as the app does at start-up
    if args.switch_interval_ms is not None:
        sys.setswitchinterval(args.switch_interval_ms / 1000)
    app = QApplication.instance() or QApplication([])
    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, str(work / "qsettings"))
    started = time.perf_counter()
    workspace = Workspace.open(profile, PASSPHRASE)
    opened_in = time.perf_counter() - started
    store = workspace.open_store()
    sqlite_version = store.db.execute("SELECT sqlite_version()").fetchone()[0]
    total = store.db.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    store.db.close()
    print(f"machine: {machine()}, Python {platform.python_version()}, Qt {qVersion()} "
          f"(PySide6 {PySide6.__version__}), SQLCipher's SQLite {sqlite_version} "
          f"(system sqlite3 {sqlite3.sqlite_version}); GIL switch interval "
          f"{sys.getswitchinterval() * 1000:g} ms")
    print(f"dossiers: {total:,} (working copy opened, schema brought up to date, in "
          f"{opened_in:.1f} s)")

    city = start_city(work, workspace)
    try:
        seconds = city.upload()
        print(f"city server: {city.url} (SQLite, a child process); the working copy's "
              f"{city.settled:,} outbox operations counted as sent, signed in as hoa's desk; "
              f"another desk (lan) synced {SYNC_DOSSIERS:,} dossiers up ({seconds:.1f} s)")
        tasks = Tasks(workspace)
        desk = Desk(tasks, workspace, Notices(workspace, tasks),
                    Person("hoa", "Nguyễn Thị Hoa", "officer"))
        try:
            measure(args, app, desk, city)
        finally:
            desk.notices.close()
            tasks.close()
    finally:
        city.stop()


def measure(args: argparse.Namespace, app, desk, city: City) -> None:  # noqa: ANN001
    from ui.app import freeze_startup_objects
    from ui.dossier_list import DossierListPage

    page = DossierListPage(desk)
    page.resize(1280, 800)
    page.show()
    paints = PaintClock(page.view.viewport(), page.model)
    started = time.perf_counter()
    opened = shown(app, page, paints, started, lambda: page.model.loaded)
    print(f"page opened (first id list and rows painted): {opened:.0f} ms, "
          f"{page.model.rowCount():,} rows")
    if not args.python_defaults:
        freeze_startup_objects()  # as the app does once its window is built

    if not args.stall_only:
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
              f"{percentile(latencies, .95):.0f} ms, max {max(latencies):.0f} ms (target p95 "
              f"<= 100 ms); {unchanged} changed nothing to show (a space, a lone first letter)")

    stalls = sync_stalls(args, app, desk, page, city)
    for case, longest in stalls.items():
        if args.compare_python_defaults:
            for label, part in (("app's settings", longest[0::2]),
                                ("Python's defaults", longest[1::2])):
                print(f"(c) {case}, {label}: longest GUI-thread stall per round "
                      f"{', '.join(f'{ms:.0f}' for ms in part)} ms; worst {max(part):.0f} ms")
            continue
        worst = max(longest)
        print(f"(c) {case}: longest GUI-thread stall per round "
              f"{', '.join(f'{ms:.0f}' for ms in longest)} ms; worst {worst:.0f} ms (target "
              f"<= 50 ms: {'met' if worst <= 50 else 'NOT met'})")

    if not args.stall_only:
        print("id query alone on the worker (median of 3):")
        for label, elapsed, rows in worker_side(desk):
            print(f"    {label:42} {elapsed:7.1f} ms  {rows:8,} rows")
    page.close()


def interpreter_settings(*, app_settings: bool) -> str:
    """The app's interpreter settings (ui/app.py), or Python's defaults; what is in force."""
    import gc

    from ui.app import freeze_startup_objects, tune_interpreter

    if app_settings:
        tune_interpreter()
        if not gc.get_freeze_count():
            freeze_startup_objects()
    else:
        sys.setswitchinterval(0.005)  # Python's default
        gc.unfreeze()
    return (f"GIL switch interval {sys.getswitchinterval() * 1000:g} ms, "
            f"{gc.get_freeze_count():,} objects out of garbage collection")


def sync_stalls(args: argparse.Namespace, app, desk, page, city: City  # noqa: ANN001
                ) -> dict[str, list[float]]:
    """(c), ``args.rounds`` times: a real pull of a batch the other desk synced up, then a real
    push of a batch typed in here. The window's other parts that listen during a sync are
    there: the status bar (counts re-read on every gathered notice, the sync's progress) and
    the sync page (hidden; its conflicts list listens too). No sync on a timer: the benchmark
    presses "Đồng bộ ngay" itself. The longest stall of each round, per case."""
    from ui.status_bar import DeskStatusBar
    from ui.sync_controller import SyncController
    from ui.sync_page import SyncPage

    controller = SyncController(desk, change_delay_s=3600)
    bar = DeskStatusBar(desk, controller)
    bar.resize(1280, 30)
    bar.show()
    sync_page = SyncPage(desk, controller)
    paints = ScreenClock(page.view, page.model)
    settle(app, desk, page, paints, time.perf_counter())
    timeline = Timeline(desk, page, controller) if args.trace else None
    outcomes: list = []
    stalls: dict[str, list[float]] = {"pull": [], "push": []}
    for round_number in range(1, args.rounds + 1):
        if round_number > 1:
            city.upload()  # nothing is measured meanwhile (this blocks the GUI thread)
            settle(app, desk, page, paints, time.perf_counter())
        if args.compare_python_defaults:
            settings = interpreter_settings(app_settings=round_number % 2 == 1)
            print(f"(c) round {round_number}: {settings}")
        for case in ("pull", "push"):
            if case == "push":
                assert import_local(app, desk, page, paints, city.batches) == SYNC_DOSSIERS
            probe = StallProbe()
            trace = StallTrace(probe) if args.trace else None
            if trace:
                trace.start()
            share = CpuShare(city.server.process.pid)
            share.start()
            since = time.perf_counter()
            probe, seconds, rows = measure_sync_stall(
                app, desk, page, paints, real_sync(controller, outcomes), probe)
            cpu = share.stop()
            if trace:
                trace.stop()
            synced_at, outcome = outcomes[-1]
            report = outcome.report
            if report is None:
                raise SystemExit(f"the sync failed: {outcome.entry}")
            moved = (f"pulled {report.pulled:,} changes" if case == "pull" else
                     f"pushed {report.pushed:,} operations ({report.applied:,} applied)")
            stalls[case].append(probe.longest_ms)
            print(f"(c) round {round_number}, a real {case} of {SYNC_DOSSIERS:,} dossiers "
                  f"({moved}; sync {synced_at - since:.1f} s, list settled after "
                  f"{seconds:.1f} s, now {rows:,} rows): longest GUI-thread stall "
                  f"{probe.longest_ms:.0f} ms; p99 gap {percentile(probe.gaps, .99):.0f} ms, "
                  f"{sum(g > 50 for g in probe.gaps)} gaps over 50 ms, of {len(probe.gaps)} "
                  f"ticks of {probe.interval_ms} ms\n    {cpu}", flush=True)
            if timeline:
                timeline.report(probe, since)
            if trace:
                trace.report(since)
    sync_page.close()
    bar.close()
    return stalls


if __name__ == "__main__":
    main()

"""When and how the desktop app syncs: the scheduler's policy on a Qt timer, each sync run as
one job on the task helper's network worker.

The policy is ``sync.scheduler.Scheduler.wait_after`` (the same one ``communedesk sync --watch``
loops on): every interval while online, a backoff with full jitter while the link is down that
resets on success, soon after a local change (``nudge``), never two at once (the job queue and
the profile's sync lock both see to that). Each sync's outcome is logged in the profile
(app/sync_log.py) and announced by signals the status bar and the sync page show.
Threading: GUI thread; the sync itself runs on the network worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app import sync_log
from app.store import Store
from app.syncing import clock_offset, run_sync
from sync.engine import Progress, SyncReport
from sync.scheduler import CHANGE_DELAY, DEFAULT_INTERVAL, Scheduler
from ui.context import Desk

# Link states the status bar shows.
NOT_CONFIGURED, OFFLINE, ONLINE, SYNCING, SIGN_IN = (
    "not_configured", "offline", "online", "syncing", "sign_in")


@dataclass(frozen=True)
class SyncOutcome:
    """What one sync left: its log entry, its report (None when it failed), the counts."""

    entry: sync_log.SyncLogEntry
    report: SyncReport | None
    clock_offset: float | None


def _sync_job(store: Store, root: Any, blobs: bool | None, full: bool,
              on_progress: Any) -> SyncOutcome:
    """On the network worker: one sync, logged whatever its end."""
    try:
        report = run_sync(store, root, blobs=blobs, full=full, on_progress=on_progress)
    except Exception as error:
        entry = sync_log.record(store, error)
        outcome = SyncOutcome(entry, None, clock_offset(store))
        raise _Logged(error, outcome) from error
    return SyncOutcome(sync_log.record(store, None, report), report, clock_offset(store))


class _Logged(Exception):
    """A failed sync, already logged, carrying its outcome back to the GUI thread."""

    def __init__(self, error: Exception, outcome: SyncOutcome) -> None:
        super().__init__(str(error))
        self.error, self.outcome = error, outcome


class SyncController(QObject):
    state_changed = Signal(str)
    progress = Signal(str, int, int)  # stage, done, total (-1: unknown)
    synced = Signal(object)  # SyncOutcome, after every sync, failed or not

    def __init__(self, desk: Desk, *, interval_s: float | None = None,
                 change_delay_s: float = CHANGE_DELAY) -> None:
        super().__init__()
        self.desk = desk
        self.scheduler = Scheduler(lambda: None, interval=interval_s or DEFAULT_INTERVAL,
                                   change_delay=change_delay_s)
        self.state = OFFLINE
        self.running = False
        self.last_outcome: SyncOutcome | None = None
        self._again = False
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.sync_now)
        self._automatic = False

    # -------------------------------------------------------------- what the GUI calls

    def start(self, configured: bool) -> None:
        """Sync now and then on the schedule (``configured``: a server address is set)."""
        self._automatic = True
        if configured:
            self.sync_now()
        else:
            self._set_state(NOT_CONFIGURED)

    def stop(self) -> None:
        self._automatic = False
        self._timer.stop()

    def set_interval(self, seconds: float) -> None:
        self.scheduler.interval = max(30.0, seconds)

    def nudge(self) -> None:
        """A local change waits to be sent: sync soon (a burst of changes goes together)."""
        if self.state in (NOT_CONFIGURED, SIGN_IN):
            return
        if self.running:
            self._again = True
        elif not self._timer.isActive() or self._timer.remainingTime() > (
                self.scheduler.change_delay * 1000):
            self._timer.start(int(self.scheduler.change_delay * 1000))

    def sync_now(self, *, blobs: bool | None = None, full: bool = False) -> None:
        """Start a sync at once (the "Đồng bộ ngay" button), unless one is running."""
        if self.running:
            return
        self._timer.stop()
        self.running, self._again = True, False
        self.desk.notices.set_sync_running(True)
        self._set_state(SYNCING)
        report_progress = self.desk.tasks.gui_call(self._progress)
        root = self.desk.workspace.root
        self.desk.tasks.net(
            lambda store: _sync_job(store, root, blobs, full, report_progress),
            self._finished, self._failed)

    # -------------------------------------------------------------- internals

    def _progress(self, progress: Progress) -> None:
        total = -1 if progress.total is None else progress.total
        self.progress.emit(progress.stage, progress.done, total)

    def _finished(self, outcome: SyncOutcome) -> None:
        self.running = False
        self.desk.notices.set_sync_running(False)
        self.last_outcome = outcome
        self._set_state(ONLINE)
        wait = self.scheduler.wait_after(None)
        if self._again or (outcome.report is not None and outcome.report.pending):
            wait = self.scheduler.change_delay
        self._schedule(wait)
        self.synced.emit(outcome)

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.desk.notices.set_sync_running(False)
        if not isinstance(error, _Logged):
            raise error  # not a sync failure: the task helper's handler shows it
        self.last_outcome = error.outcome
        code = error.outcome.entry.outcome
        try:
            wait = self.scheduler.wait_after(error.error)
        except Exception:
            wait = None  # retrying cannot help: a person must act
        if code in ("sign_in_required",):
            self._set_state(SIGN_IN)
        elif code == "server_not_set":
            self._set_state(NOT_CONFIGURED)
        else:
            self._set_state(OFFLINE)
        if wait is not None and code != "server_not_set":
            self._schedule(wait)
        self.synced.emit(error.outcome)

    def _schedule(self, seconds: float) -> None:
        if self._automatic:
            self._timer.start(int(max(0.0, seconds) * 1000))

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

"""What every screen of the desktop app is given: the task helper, the open workspace, the
signed-in person, and change notices as Qt signals.

``Notices`` turns the plain callbacks of ``app.notices`` (heard on whichever worker thread
committed) into Qt signals on the GUI thread, gathered for a short moment (``GATHER_MS``) so
views refresh the rows named a few times a second at most, never reload everything. While a sync
runs, notices are gathered until it ends (``SYNC_GATHER_MS`` at most): a sync that pulls a
thousand dossiers costs the list one refresh after it, not several during it, when the sync's
worker competes with every repaint for the interpreter (docs/benchmarks.md).
Threading: create and use on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from app.notices import ChangeNotice
from app.workspace import Workspace
from ui.tasks import Tasks

GATHER_MS = 150
SYNC_GATHER_MS = 10_000  # a long sync (a first one over a slow link) still shows its progress


@dataclass(frozen=True)
class Person:
    """The signed-in official (from the profile's settings; the server gave them at sign-in)."""

    username: str
    display_name: str
    role: str  # officer, specialist, leader, clerk, admin ("" before any sign-in)

    @classmethod
    def from_settings(cls, settings: dict[str, str]) -> Person:
        return cls(settings.get("user.username", ""), settings.get("user.name", ""),
                   settings.get("user.role", ""))


class Notices(QObject):
    """Change notices of a workspace, as signals on the GUI thread."""

    dossiers_changed = Signal(object)  # frozenset of dossier ids
    conflicts_changed = Signal()
    settings_changed = Signal(object)  # frozenset of setting keys
    anything_changed = Signal()  # once per gathered batch (status bar counts)
    # Every record type heard, once per gathered batch: the type ("incoming_document",
    # "outgoing_document", "lease", …) and the frozenset of ids the notice named.
    records_changed = Signal(str, object)

    def __init__(self, workspace: Workspace, tasks: Tasks) -> None:
        super().__init__()
        self._waiting: dict[str, set[str]] = {}
        self._timer = QTimer(self, singleShot=True, interval=GATHER_MS)
        self._timer.timeout.connect(self._flush)
        self._sync_running = False
        self._closed = False
        self._unsubscribe = workspace.notices.subscribe(tasks.gui_call(self._heard))

    def _heard(self, notice: ChangeNotice) -> None:
        if self._closed:  # a notice posted to the GUI thread just before ``close``
            return
        self._waiting.setdefault(notice.record_type, set()).update(notice.ids)
        if not self._timer.isActive():
            self._timer.start(SYNC_GATHER_MS if self._sync_running else GATHER_MS)

    def set_sync_running(self, running: bool) -> None:
        """A sync started or ended (ui/sync_controller.py). At its end, what it changed is
        emitted after the usual short gathering."""
        self._sync_running = running
        if not running and self._waiting:
            self._timer.start(GATHER_MS)

    def flush(self) -> None:
        """Emit what is waiting now (tests; a view that must be current at once)."""
        self._timer.stop()
        self._flush()

    def _flush(self) -> None:
        waiting, self._waiting = self._waiting, {}
        if not waiting:
            return
        if "dossier" in waiting:
            self.dossiers_changed.emit(frozenset(waiting["dossier"]))
        if "conflict" in waiting:
            self.conflicts_changed.emit()
        if "setting" in waiting:
            self.settings_changed.emit(frozenset(waiting["setting"]))
        for record_type, ids in waiting.items():
            self.records_changed.emit(record_type, frozenset(ids))
        self.anything_changed.emit()

    def close(self) -> None:
        """Stop listening; a gathering in progress is dropped. With no timer running, a closed
        Notices is safe to free on any thread (a running QTimer freed off its thread stays
        registered with the GUI thread's event loop and fires into freed memory)."""
        self._closed = True
        self._unsubscribe()
        self._timer.stop()
        self._waiting.clear()


@dataclass
class Desk:
    """The open profile as the screens see it."""

    tasks: Tasks
    workspace: Workspace
    notices: Notices
    person: Person

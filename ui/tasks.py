"""The one task helper: every database and network call of the desktop app runs here, off the
GUI thread (ARCHITECTURE.md; Anki's ``taskman`` pattern).

Two worker threads, each with its own ``Store`` on the open workspace: ``db`` for the database
(lists, forms, actions), ``net`` for the network (sign-in, sync, fetching an attachment), so a
slow link never holds up a list. Jobs on one worker run one at a time in the order given. What a
job returns (or raises) comes back to the GUI thread through a queued Qt signal and is handed to
the ``done`` (or ``failed``) callback there; a failure nobody handles is emitted as ``failed``.
``io`` runs a job on the database worker without a store, for the first-run wizard.
Threading: call everything here from the GUI thread, except ``gui_call`` and what it returns.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from app.store import Store
from app.workspace import Workspace

log = logging.getLogger(__name__)
T = TypeVar("T")
Done = Callable[[Any], None] | None
Failed = Callable[[BaseException], None] | None
_STOP = object()


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted on a worker runs ``call`` here (queued)."""

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.call.connect(lambda job: job())


class _Worker(threading.Thread):
    def __init__(self, name: str, tasks: Tasks) -> None:
        super().__init__(name=f"communedesk-{name}", daemon=True)
        self.jobs: queue.Queue[Any] = queue.Queue()
        self.tasks = tasks
        self.store: Store | None = None

    def run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is _STOP:
                break
            fn, wants_store, done, failed = job
            try:
                if wants_store:
                    result = fn(self._store())
                else:
                    result = fn()
            except BaseException as error:  # handed to the GUI thread, never lost
                self.tasks._finish(lambda e=error, f=failed: self.tasks._failed(e, f))
            else:
                self.tasks._finish(lambda r=result, d=done: d(r) if d else None)
        if self.store is not None:
            self.store.db.close()

    def _store(self) -> Store:
        if self.store is None:
            if self.tasks.workspace is None:
                raise RuntimeError("no profile is open")
            self.store = self.tasks.workspace.open_store()
        return self.store


class Tasks(QObject):
    """Background work for the GUI: ``db``, ``net`` and ``io`` jobs with callbacks."""

    failed = Signal(object)  # an exception no ``failed`` callback took
    idle_changed = Signal(bool)

    def __init__(self, workspace: Workspace | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self._relay = _Relay()
        self._running = 0
        self._workers = {"db": _Worker("db", self), "net": _Worker("net", self)}
        for worker in self._workers.values():
            worker.start()

    # -------------------------------------------------------------- submitting

    def db(self, fn: Callable[[Store], T], done: Done = None, failed: Failed = None) -> None:
        """Run ``fn(store)`` on the database worker."""
        self._submit("db", fn, True, done, failed)

    def net(self, fn: Callable[[Store], T], done: Done = None, failed: Failed = None) -> None:
        """Run ``fn(store)`` on the network worker (its own store: a sync may write while the
        database worker reads)."""
        self._submit("net", fn, True, done, failed)

    def io(self, fn: Callable[[], T], done: Done = None, failed: Failed = None) -> None:
        """Run ``fn()`` on the database worker, with no store (before a profile is open)."""
        self._submit("db", fn, False, done, failed)

    def gui_call(self, callback: Callable[..., None]) -> Callable[..., None]:
        """A function that any thread may call; it runs ``callback`` on the GUI thread
        (progress from a sync, change notices)."""
        def post(*args: Any) -> None:
            self._relay.call.emit(lambda: callback(*args))
        return post

    @property
    def idle(self) -> bool:
        """No job waits or runs (tests wait for this)."""
        return self._running == 0

    def open(self, workspace: Workspace) -> None:
        """Use ``workspace`` from now on (after the wizard or the passphrase prompt)."""
        self.workspace = workspace

    def close(self, timeout: float = 30.0) -> None:
        """Let queued jobs finish, then stop the workers and close their stores."""
        for worker in self._workers.values():
            worker.jobs.put(_STOP)
        for worker in self._workers.values():
            worker.join(timeout)

    # -------------------------------------------------------------- internals

    def _submit(self, worker: str, fn: Callable[..., Any], wants_store: bool,
                done: Done, failed: Failed) -> None:
        self._running += 1
        if self._running == 1:
            self.idle_changed.emit(False)
        self._workers[worker].jobs.put((fn, wants_store, done, failed))

    def _finish(self, callback: Callable[[], None]) -> None:
        """On a worker: run ``callback`` on the GUI thread, then count the job as finished."""
        def finish() -> None:
            try:
                callback()
            finally:
                self._running -= 1
                if self._running == 0:
                    self.idle_changed.emit(True)
        self._relay.call.emit(finish)

    def _failed(self, error: BaseException, failed: Failed) -> None:
        if failed is not None:
            failed(error)
        else:
            log.warning("background job failed: %s", type(error).__name__)
            self.failed.emit(error)

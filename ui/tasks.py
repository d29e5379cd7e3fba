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
import weakref
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
    """Lives on the GUI thread; a signal emitted on a worker is handled here (queued)."""

    call = Signal(object)  # a function to run on the GUI thread (``gui_call``)
    finished = Signal(object)  # the key of a job whose outcome is ready

    def __init__(self) -> None:
        super().__init__()
        self.call.connect(lambda job: job())


class _Job:
    """One job. ``Tasks`` holds it, on the GUI thread, from submission until its callback has
    run there; a worker only borrows it. So the last reference to what a job refers to (a
    list's model, a page, through ``fn`` and the callbacks) is always dropped on the GUI
    thread: a Qt object freed on a worker can crash the process."""

    __slots__ = ("key", "fn", "wants_store", "done", "failed", "outcome")

    def __init__(self, key: int, fn: Callable[..., Any], wants_store: bool, done: Done,
                 failed: Failed) -> None:
        self.key, self.fn, self.wants_store = key, fn, wants_store
        self.done, self.failed = done, failed
        self.outcome: tuple[bool, Any] | None = None


class _Worker(threading.Thread):
    def __init__(self, name: str, tasks: Tasks) -> None:
        super().__init__(name=f"communedesk-{name}", daemon=True)
        self.jobs: queue.Queue[Any] = queue.Queue()
        self.tasks = tasks
        self.store: Store | None = None

    def run(self) -> None:
        relay = self.tasks._relay
        while True:
            job = self.jobs.get()
            if job is _STOP:
                break
            job.outcome = self._run(job.fn, job.wants_store)
            key = job.key
            del job  # before the GUI thread may let go of it
            relay.finished.emit(key)
        if self.store is not None:
            self.store.db.close()

    def _run(self, fn: Callable[..., Any], wants_store: bool) -> tuple[bool, Any]:
        """(True, result) or (False, error): an error is handed to the GUI thread, never
        lost."""
        try:
            return True, (fn(self._store()) if wants_store else fn())
        except BaseException as error:
            return False, error

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
        self._relay.finished.connect(self._finish)
        self._jobs: dict[int, _Job] = {}  # submitted, callback not yet run
        self._next_key = 0
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
        """A function that any thread may call; it runs ``callback``, a method of an object
        that lives on the GUI thread, there (progress from a sync, change notices). It holds
        that object weakly, so a worker never frees it; calls after it is gone are dropped."""
        method = weakref.WeakMethod(callback)  # type: ignore[arg-type]

        def post(*args: Any) -> None:
            self._relay.call.emit(lambda: _call_if_alive(method, args))
        return post

    @property
    def idle(self) -> bool:
        """No job waits or runs (tests wait for this)."""
        return not self._jobs

    def open(self, workspace: Workspace) -> None:
        """Use ``workspace`` from now on (after the wizard or the passphrase prompt)."""
        self.workspace = workspace

    def close(self, timeout: float = 30.0) -> None:
        """Let queued jobs finish, then stop the workers and close their stores."""
        for worker in self._workers.values():
            worker.jobs.put(_STOP)
        for worker in self._workers.values():
            worker.join(timeout)
            if not worker.is_alive():
                # Break the Tasks <-> worker cycle: a closed Tasks (a QObject, with its relay)
                # is then freed by reference counting on the GUI thread, never by a cyclic
                # collection that some worker thread happens to trigger.
                worker.tasks = None  # type: ignore[assignment]

    # -------------------------------------------------------------- internals

    def _submit(self, worker: str, fn: Callable[..., Any], wants_store: bool,
                done: Done, failed: Failed) -> None:
        self._next_key += 1
        job = _Job(self._next_key, fn, wants_store, done, failed)
        self._jobs[job.key] = job
        if len(self._jobs) == 1:
            self.idle_changed.emit(False)
        self._workers[worker].jobs.put(job)

    def _finish(self, key: int) -> None:
        """On the GUI thread: hand a job's outcome to its callback, then let go of the job."""
        job = self._jobs[key]
        try:
            ok, value = job.outcome  # type: ignore[misc]
            if ok:
                if job.done is not None:
                    job.done(value)
            elif job.failed is not None:
                job.failed(value)
            else:
                log.warning("background job failed: %s", type(value).__name__)
                self.failed.emit(value)
        finally:
            del self._jobs[key]
            if not self._jobs:
                self.idle_changed.emit(True)


def _call_if_alive(method: weakref.WeakMethod, args: tuple[Any, ...]) -> None:
    callback = method()
    if callback is not None:
        callback(*args)

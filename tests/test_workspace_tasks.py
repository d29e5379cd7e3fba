"""The desktop app's plumbing: change notices after commit, one store per thread, the task
helper that keeps database and network work off the GUI thread, and that a closed helper and
closed notices leave nothing for a worker thread's cyclic collection to free (a Qt object freed
off the GUI thread, a running timer above all, crashes the process later)."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path

import pytest

from app.errors import WrongPassphrase
from app.notices import ChangeNotice
from app.profile import create_profile
from app.workspace import Workspace
from tests.conftest import PASSPHRASE, dossier_input


@pytest.fixture
def workspace(tmp_path: Path, clock) -> Workspace:
    create_profile(tmp_path / "p", PASSPHRASE, "09661", user_name="Hoa", clock=clock).db.close()
    return Workspace.open(tmp_path / "p", PASSPHRASE, clock=clock)


def test_a_listener_hears_of_a_dossier_only_after_it_commits(workspace: Workspace) -> None:
    store = workspace.open_store()
    heard: list[tuple[ChangeNotice, int]] = []

    def listener(notice: ChangeNotice) -> None:
        # A second connection reads what the notice names: it must already be there.
        other = workspace.open_store()
        count = other.db.execute("SELECT count(*) FROM dossiers").fetchone()[0]
        other.db.close()
        heard.append((notice, count))

    workspace.notices.subscribe(listener)
    record, _ = store.create_dossier(dossier_input())
    assert heard == [(ChangeNotice("dossier", frozenset({record["id"]})), 1)]
    heard.clear()
    store.transition(record["id"], 4, "")
    assert [n.ids for n, _ in heard] == [frozenset({record["id"]})]


def test_a_rolled_back_change_is_not_announced(workspace: Workspace) -> None:
    store = workspace.open_store()
    heard: list[ChangeNotice] = []
    workspace.notices.subscribe(heard.append)
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        store.transition("00000000-0000-4000-8000-000000000000", 4, "")
    record, _ = store.create_dossier(dossier_input())
    heard.clear()
    with pytest.raises(Exception):  # noqa: B017
        store.transition(record["id"], 10, "")  # received -> returned is illegal
    assert heard == []


def test_unsubscribe_stops_the_notices(workspace: Workspace) -> None:
    store = workspace.open_store()
    heard: list[ChangeNotice] = []
    stop = workspace.notices.subscribe(heard.append)
    stop()
    store.create_dossier(dossier_input())
    assert heard == []


def test_workspace_refuses_a_wrong_passphrase_and_checks_the_right_one(
        tmp_path: Path, memory_keyring, workspace: Workspace) -> None:
    memory_keyring.secrets.clear()  # no keychain: the passphrase is the only way in
    with pytest.raises(WrongPassphrase):
        Workspace.open(tmp_path / "p", "sai mật khẩu")
    assert workspace.check_passphrase(PASSPHRASE)
    assert not workspace.check_passphrase("sai mật khẩu")


def test_tasks_run_off_the_gui_thread_and_answer_on_it(qtbot, workspace: Workspace) -> None:
    from ui.tasks import Tasks

    tasks = Tasks(workspace)
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def count(store) -> int:
        seen["worker"] = threading.get_ident()
        store.create_dossier(dossier_input())
        return store.db.execute("SELECT count(*) FROM dossiers").fetchone()[0]

    def done(result: int) -> None:
        seen["result"], seen["callback"] = result, threading.get_ident()

    tasks.db(count, done)
    qtbot.waitUntil(lambda: tasks.idle, timeout=10_000)
    assert seen["result"] == 1
    assert seen["worker"] != gui and seen["callback"] == gui

    errors: list[BaseException] = []
    tasks.net(lambda store: store.resolve("no-such-dossier"), failed=errors.append)
    qtbot.waitUntil(lambda: tasks.idle, timeout=10_000)
    assert [e.code for e in errors] == ["unknown_dossier"]

    unhandled: list[BaseException] = []
    tasks.failed.connect(unhandled.append)
    tasks.io(lambda: 1 / 0)
    qtbot.waitUntil(lambda: tasks.idle, timeout=10_000)
    assert isinstance(unhandled[0], ZeroDivisionError)
    tasks.close()


class Freed:
    """Records the thread its last reference was dropped on (a stand-in for a Qt object, which
    must be freed on the GUI thread)."""

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def test_what_a_job_refers_to_is_freed_on_the_gui_thread(qtbot, workspace: Workspace) -> None:
    from ui.tasks import Tasks

    tasks = Tasks(workspace)
    seen: list[str] = []
    for fail in (False, True):
        held = Freed(seen)  # as a list's model is held by its job and callback

        def job(store, held=held, fail=fail) -> int:
            if fail:
                raise ValueError(held)  # the error's traceback holds this frame too
            return 1

        tasks.db(job, lambda result, held=held: None, lambda error, held=held: None)
        del held, job
        qtbot.waitUntil(lambda: tasks.idle, timeout=10_000)
        tasks.db(lambda store: 2)  # the worker moves on to its next job
        qtbot.waitUntil(lambda: tasks.idle, timeout=10_000)
    tasks.close()
    assert seen == ["MainThread", "MainThread"]


def test_gui_call_holds_its_receiver_weakly(qtbot, workspace: Workspace) -> None:
    from PySide6.QtCore import QObject

    from ui.tasks import Tasks

    class Receiver(QObject):
        def __init__(self, heard: list[int]) -> None:
            super().__init__()
            self.heard = heard

        def hear(self, value: int) -> None:
            self.heard.append(value)

    tasks = Tasks(workspace)
    heard: list[int] = []
    receiver = Receiver(heard)
    post = tasks.gui_call(receiver.hear)
    tasks.io(lambda: post(1))
    qtbot.waitUntil(lambda: heard == [1], timeout=10_000)
    del receiver  # the screen is gone; a late progress report must not bring it back
    tasks.io(lambda: post(2))
    qtbot.waitUntil(lambda: tasks.idle, timeout=10_000)
    qtbot.wait(20)
    assert heard == [1]
    tasks.close()


def test_a_closed_task_helper_is_freed_without_the_cyclic_collector(qtbot,
                                                                     workspace: Workspace) -> None:
    """Tasks and its relay are QObjects of the GUI thread. Left to the cyclic collector, a
    worker thread's allocation could free them there (the suspected cause of a segfault seen
    once in CI); closed, they go as soon as the last reference does, on the thread that drops
    it."""
    from ui.tasks import Tasks

    tasks = Tasks(workspace)
    tasks.io(lambda: 1)
    qtbot.waitUntil(lambda: tasks.idle, timeout=10_000)
    tasks.close()
    gone = weakref.ref(tasks)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        tasks = None  # the last reference
        assert gone() is None
    finally:
        if was_enabled:
            gc.enable()


def test_closed_notices_have_no_timer_running(qtbot, workspace: Workspace) -> None:
    """A notice heard just before the desk closes must not leave the gathering timer running:
    a QTimer freed off the GUI thread while running fires into freed memory."""
    from ui.context import Notices
    from ui.tasks import Tasks

    tasks = Tasks(workspace)
    notices = Notices(workspace, tasks)
    notices._heard(ChangeNotice("dossier", frozenset({"d1"})))
    assert notices._timer.isActive()
    notices.close()
    tasks.close()
    assert not notices._timer.isActive()
    notices._heard(ChangeNotice("dossier", frozenset({"d2"})))  # posted just before the close
    assert not notices._timer.isActive()

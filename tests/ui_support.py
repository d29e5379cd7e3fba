"""Helpers for the desktop app's tests (pytest-qt, offscreen).

``make_desk`` opens a real profile (SQLCipher file in a temporary folder) as a ``Desk`` with a
running task helper; ``close_desk`` stops its workers. ``type_text`` types Vietnamese one
character at a time (QTest.keyClicks aborts the process on non-ASCII text, PITFALLS.md).
``wait_idle`` waits until no background job waits or runs and pending notices are emitted.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from app.clock import Clock
from app.profile import create_profile
from app.workspace import Workspace
from tests.conftest import PASSPHRASE
from ui.context import Desk, Notices, Person
from ui.tasks import Tasks


def make_desk(root: Path, clock: Clock | None = None, *, role: str = "officer",
              commune: str = "09661") -> Desk:
    if not (root / "profile.json").exists():
        store = create_profile(root, PASSPHRASE, commune, user_name="Nguyễn Thị Hoa",
                               clock=clock)
        store.set_setting("user.username", "hoa")
        store.set_setting("user.role", role)
        store.db.close()
    workspace = Workspace.open(root, PASSPHRASE, clock=clock)
    tasks = Tasks(workspace)
    store = workspace.open_store()
    person = Person.from_settings(store.settings())
    store.db.close()
    return Desk(tasks, workspace, Notices(workspace, tasks), person)


def close_desk(desk: Desk) -> None:
    desk.notices.close()
    desk.tasks.close()


def wait_idle(qtbot, desk: Desk, timeout: int = 15_000) -> None:
    qtbot.waitUntil(lambda: desk.tasks.idle, timeout=timeout)
    desk.notices.flush()
    qtbot.waitUntil(lambda: desk.tasks.idle, timeout=timeout)


def type_text(widget: QWidget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)

"""Opening the profile at start-up (keychain, else the passphrase) and the idle lock screen,
on real widgets (offscreen) over a real SQLCipher profile. The keychain is the in-memory one of
tests/conftest.py; clearing it stands for a machine without a keychain."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QWidget,
)

from app.profile import create_profile
from app.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.ui_support import type_text
from ui.idle import IdleWatcher
from ui.preferences import DEFAULT_IDLE_LOCK_MINUTES, Preferences
from ui.tasks import Tasks
from ui.unlock import UnlockDialog, install_idle_lock, unlock_profile

PERSONAL = "Nguyễn Văn Đức — CCCD 001085012345"


@pytest.fixture(autouse=True)
def qsettings_in_home(isolated_home: Path, qapp) -> Path:
    """QSettings keeps its folder from its first use in the process: point it at this test's
    HOME."""
    config = isolated_home / "xdg_config_home"
    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, str(config))
    return config


@pytest.fixture
def root(tmp_path: Path, clock) -> Path:
    profile = tmp_path / "profile"
    create_profile(profile, PASSPHRASE, "09661", user_name="Nguyễn Thị Hoa",
                   clock=clock).db.close()
    return profile


@pytest.fixture
def tasks():
    helper = Tasks()
    yield helper
    helper.close()


# ------------------------------------------------------------------ preferences

def test_preferences_live_in_the_test_home_and_check_what_they_read(
        qsettings_in_home: Path) -> None:
    prefs = Preferences()
    assert Path(prefs.settings.fileName()).is_relative_to(qsettings_in_home)
    assert prefs.idle_lock_minutes == DEFAULT_IDLE_LOCK_MINUTES
    assert prefs.language == "vi"
    prefs.idle_lock_minutes = 0
    prefs.sync()
    assert Path(prefs.settings.fileName()).exists()
    assert Preferences().idle_lock_minutes == 0
    prefs.settings.setValue("ui.idle_lock_minutes", "mười")  # hand-edited nonsense
    prefs.settings.setValue("ui.language", "fr")
    assert prefs.idle_lock_minutes == DEFAULT_IDLE_LOCK_MINUTES and prefs.language == "vi"
    with pytest.raises(ValueError):
        prefs.idle_lock_minutes = -1
    text = Path(prefs.settings.fileName()).read_text("utf-8")
    assert PASSPHRASE not in text and "passphrase" not in text.lower()


# ------------------------------------------------------------------ start-up

def test_the_keychain_opens_the_profile_without_a_window(qtbot, root: Path, tasks) -> None:
    workspace = unlock_profile(tasks, root)
    assert isinstance(workspace, Workspace) and workspace.root == root
    assert QApplication.activeModalWidget() is None


def test_without_a_keychain_a_wrong_passphrase_is_refused_then_the_right_one_opens(
        qtbot, root: Path, tasks, memory_keyring) -> None:
    memory_keyring.secrets.clear()
    key_file = (root / "key.json").read_bytes()
    dialog = UnlockDialog(tasks, root)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.first_attempt_done, timeout=30_000)
    assert dialog.needs_passphrase and dialog.workspace is None
    dialog.show()
    assert dialog.passphrase.echoMode() == dialog.passphrase.EchoMode.Password
    assert not dialog.open_button.isEnabled()  # nothing typed yet

    type_text(dialog.passphrase, "mật khẩu sai")
    dialog.open_button.click()
    assert dialog.busy and not dialog.busy_bar.isHidden() and not dialog.quit_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    assert "không đúng" in dialog.message.text() and dialog.message.isVisible()
    assert dialog.workspace is None and dialog.isVisible()
    assert (root / "key.json").read_bytes() == key_file  # nothing was damaged

    dialog.passphrase.clear()
    type_text(dialog.passphrase, PASSPHRASE)
    with qtbot.waitSignal(dialog.unlocked, timeout=30_000) as opened:
        QTest.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert opened.args[0] is dialog.workspace and dialog.result() == QDialog.DialogCode.Accepted
    assert (root / "key.json").read_bytes() == key_file
    store = dialog.workspace.open_store()
    assert store.setting("commune.code") == "09661"
    store.db.close()


@pytest.mark.parametrize(("format_number", "said"), [
    (2, "do phiên bản CommuneDesk mới hơn tạo ra hoặc nâng cấp"),
    ("một", "Không đọc được tệp mô tả (profile.json)"),
])
def test_a_profile_of_a_newer_version_or_a_damaged_one_says_so_and_does_not_open(
        qtbot, root: Path, tasks, format_number, said) -> None:
    meta = root / "profile.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text("utf-8")), "format": format_number},
                               ensure_ascii=False), "utf-8")
    dialog = UnlockDialog(tasks, root)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.first_attempt_done, timeout=30_000)
    assert dialog.workspace is None
    assert said in dialog.message.text()
    assert "Không có gì bị thay đổi" in dialog.message.text()


def test_unlock_profile_asks_in_a_modal_dialog(qtbot, root: Path, tasks, memory_keyring) -> None:
    memory_keyring.secrets.clear()
    typed: list[str] = []

    def answer() -> None:  # what a person does once the dialog is up
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UnlockDialog) or dialog.busy:
            QTimer.singleShot(20, answer)
            return
        if not typed:
            typed.append("wrong")
            type_text(dialog.passphrase, "sai mật khẩu")
        elif dialog.message.isVisible() and len(typed) == 1:
            typed.append("right")
            dialog.passphrase.clear()
            type_text(dialog.passphrase, PASSPHRASE)
        else:
            QTimer.singleShot(20, answer)
            return
        dialog.open_button.click()
        QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)
    workspace = unlock_profile(tasks, root)
    assert typed == ["wrong", "right"]
    assert isinstance(workspace, Workspace)


def test_quitting_the_passphrase_dialog_opens_nothing(qtbot, root: Path, tasks,
                                                      memory_keyring) -> None:
    memory_keyring.secrets.clear()

    def quit_() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, UnlockDialog):
            dialog.quit_button.click()
        else:
            QTimer.singleShot(20, quit_)

    QTimer.singleShot(0, quit_)
    assert unlock_profile(tasks, root) is None


# ------------------------------------------------------------------ idle tracking

def test_input_keeps_the_idle_watcher_quiet_and_silence_fires_it_once(qtbot) -> None:
    target = QWidget()
    qtbot.addWidget(target)
    watcher = IdleWatcher(400)
    watcher.install()
    fired: list[int] = []
    watcher.idle_timeout.connect(lambda: fired.append(1))
    try:
        for _ in range(12):  # 600 ms of typing, a key every 50 ms
            QTest.keyClick(target, Qt.Key.Key_A)
            qtbot.wait(50)
        assert fired == []
        qtbot.waitUntil(lambda: fired == [1], timeout=5_000)
        qtbot.wait(600)
        assert fired == [1]  # once, until the next input
        watcher.set_timeout_ms(0)
        QTest.keyClick(target, Qt.Key.Key_A)
        qtbot.wait(100)
        assert fired == [1]  # 0: never
    finally:
        watcher.uninstall()


# ------------------------------------------------------------------ the lock screen

class Window(QMainWindow):
    """A main window showing personal data in every part the lock must hide."""

    def __init__(self) -> None:
        super().__init__()
        self.setCentralWidget(QLabel(PERSONAL))
        self.statusBar().showMessage(PERSONAL)
        self.dock = QDockWidget("Hồ sơ")
        self.dock.setWidget(QLabel(PERSONAL))
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.menuBar().addMenu("Hồ sơ")
        self.created: list[int] = []
        self.new_dossier = QAction("Hồ sơ mới", self)
        self.new_dossier.setShortcut(QKeySequence("Ctrl+N"))
        self.new_dossier.triggered.connect(lambda: self.created.append(1))
        self.addAction(self.new_dossier)
        self.resize(800, 600)


def test_idle_lock_hides_personal_data_and_opens_only_with_the_passphrase(
        qtbot, root: Path, tasks) -> None:
    workspace = Workspace.open(root, PASSPHRASE)
    window = Window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    lock = install_idle_lock(window, workspace, tasks, timeout_ms=150)
    screen = lock.screen
    qtbot.waitUntil(lambda: screen.is_locked, timeout=5_000)

    assert not window.centralWidget().isVisible()
    assert not window.statusBar().isVisible() and not window.dock.isVisible()
    assert not window.menuBar().isEnabled()
    overlay = screen.overlays[0]
    assert overlay.isVisible() and overlay.geometry() == window.rect()
    assert overlay.passphrase.echoMode() == overlay.passphrase.EchoMode.Password
    visible_text = " ".join(label.text() for label in window.findChildren(QLabel)
                            if label.isVisible())
    assert "Nguyễn Văn Đức" not in visible_text
    window.resize(900, 700)
    assert overlay.geometry() == window.rect()  # it follows the window

    # Shortcuts do nothing while locked.
    window.new_dossier.trigger()  # (a direct trigger works: this proves the action is live)
    assert window.created == [1]
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window, 5_000)
    QTest.keyClick(overlay.passphrase, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.created == [1]

    # A window that opens while locked is covered too.
    popup = QDialog(window)
    popup.setLayout(None)
    QLabel(PERSONAL, popup)
    popup.show()
    assert any(o.parentWidget() is popup for o in screen.overlays)

    # The wrong passphrase does not open; the idle timer does not run while locked.
    type_text(overlay.passphrase, "mật khẩu sai")
    QTest.keyClick(overlay.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not overlay.busy and overlay.message.isVisible(), timeout=30_000)
    assert screen.is_locked and "không đúng" in overlay.message.text()
    assert not window.centralWidget().isVisible()
    assert not lock.watcher._timer.isActive()

    overlay.passphrase.clear()
    type_text(overlay.passphrase, PASSPHRASE)
    with qtbot.waitSignal(screen.unlocked, timeout=30_000):
        overlay.unlock_button.click()
    assert not screen.is_locked and screen.overlays == []
    assert window.centralWidget().isVisible() and window.statusBar().isVisible()
    assert window.dock.isVisible() and window.menuBar().isEnabled()
    popup.close()
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window, 5_000)
    QTest.keyClick(window.centralWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.created == [1, 1]  # the same key works again once unlocked
    # It locks again after the next idle time.
    qtbot.waitUntil(lambda: screen.is_locked, timeout=5_000)
    lock.set_minutes(0)
    lock.watcher.uninstall()


def test_lock_now_and_never(qtbot, root: Path, tasks) -> None:
    workspace = Workspace.open(root, PASSPHRASE)
    window = Window()
    qtbot.addWidget(window)
    window.show()
    lock = install_idle_lock(window, workspace, tasks, minutes=0)
    qtbot.wait(200)
    assert not lock.screen.is_locked  # 0 minutes: never by itself
    lock.lock_now()
    assert lock.screen.is_locked and not window.centralWidget().isVisible()
    # A dialog that opens and closes while locked takes its cover with it.
    message = QDialog(window)
    message.show()
    assert len(lock.screen.overlays) == 2
    message.deleteLater()
    qtbot.waitUntil(lambda: len(lock.screen.overlays) == 1, timeout=5_000)
    # The passphrase typed with combining accents (another keyboard) opens it too.
    overlay = lock.screen.overlays[0]
    type_text(overlay.passphrase, unicodedata.normalize("NFD", PASSPHRASE))
    with qtbot.waitSignal(lock.screen.unlocked, timeout=30_000):
        overlay.unlock_button.click()
    assert window.centralWidget().isVisible()
    lock.watcher.uninstall()

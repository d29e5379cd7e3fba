"""Opening the profile at start-up, and the lock screen after an idle time.

Start-up (``unlock_profile``): the profile is opened on a worker with the keychain alone; only
when that cannot open it (no keychain here, or a stale entry) does ``UnlockDialog`` ask for the
passphrase, which a worker checks (scrypt takes a moment: the dialog shows that it is busy).
A wrong passphrase only says so; nothing is written until the right one has opened the key.

Lock screen (``LockScreen``): covers every window of the app with a ``LockOverlay`` asking for
the passphrase, hides the main window's central widget, docks, toolbars and status bar, and
swallows keyboard shortcuts, so while it is locked no personal data shows and no command runs.
The passphrase is checked with ``Workspace.check_passphrase`` on a worker. ``install_idle_lock``
wires an ``IdleWatcher`` (ui/idle.py) to it for any ``QMainWindow``.

Passphrases live only in the password fields and the job that checks them: never logged, never
kept in QSettings. Threading: GUI thread only; checks run through ``ui.tasks``.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.clock import Clock
from app.errors import (
    PassphraseRequired,
    ProfileDamaged,
    ProfileMissing,
    ProfileTooNew,
    WrongPassphrase,
)
from app.workspace import Workspace
from ui.idle import MINUTE_MS, IdleWatcher
from ui.tasks import Tasks


def _tr(text: str) -> str:
    return QCoreApplication.translate("unlock", text)


def open_error_text(error: BaseException) -> str:
    """What to tell a person when the profile does not open."""
    if isinstance(error, WrongPassphrase):
        return _tr("Mật khẩu dữ liệu không đúng. Vui lòng nhập lại (chú ý chữ hoa, chữ thường "
                   "và bộ gõ tiếng Việt).")
    if isinstance(error, PassphraseRequired):
        return _tr("Hãy nhập mật khẩu dữ liệu.")
    if isinstance(error, ProfileDamaged):
        return _tr("Không đọc được tệp mô tả (profile.json) hoặc tệp khóa (key.json) của hồ sơ "
                   "dữ liệu, hoặc tệp đã hỏng. Không có gì bị thay đổi. Hãy liên hệ cán bộ "
                   "kỹ thuật.")
    if isinstance(error, ProfileTooNew):
        return _tr("Hồ sơ dữ liệu này do phiên bản CommuneDesk mới hơn tạo ra hoặc nâng cấp. "
                   "Hãy cài phiên bản mới rồi mở lại. Không có gì bị thay đổi.")
    if isinstance(error, ProfileMissing):
        return _tr("Không tìm thấy hồ sơ dữ liệu trong thư mục này.")
    if isinstance(error, OSError):
        return _tr("Không đọc được thư mục dữ liệu: {reason}").format(
            reason=error.strerror or type(error).__name__)
    return _tr("Không mở được dữ liệu ({code}).").format(
        code=getattr(error, "code", type(error).__name__))


def passphrase_forms(typed: str) -> list[str]:
    """The passphrase as typed in NFC first (how the wizard stores it), then as typed when
    that differs (a profile made elsewhere from a keyboard that sends combining accents)."""
    composed = unicodedata.normalize("NFC", typed)
    return [composed] if composed == typed else [composed, typed]


def open_with_passphrase(root: Path, typed: str, clock: Clock | None = None) -> Workspace:
    """``Workspace.open`` with each form of the typed passphrase (runs on a worker)."""
    forms = passphrase_forms(typed)
    for form in forms[:-1]:
        try:
            return Workspace.open(root, form, clock=clock)
        except WrongPassphrase:
            continue
    return Workspace.open(root, forms[-1], clock=clock)


def _busy_bar(parent: QWidget) -> QProgressBar:
    bar = QProgressBar(parent)
    bar.setRange(0, 0)  # an indeterminate "working" bar
    bar.setTextVisible(False)
    bar.setMaximumHeight(8)
    bar.hide()
    return bar


def _message_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


# ======================================================================= start-up

class UnlockDialog(QDialog):
    """Opens the profile at ``root``: keychain first (``start``), else the passphrase typed here.

    ``workspace`` holds the opened ``Workspace`` once ``unlocked`` has been emitted.
    ``attempted`` is emitted when the keychain attempt has finished (opened or not).
    """

    unlocked = Signal(object)  # Workspace
    attempted = Signal()

    def __init__(self, tasks: Tasks, root: Path, parent: QWidget | None = None,
                 clock: Clock | None = None) -> None:
        super().__init__(parent)
        self.tasks, self.root, self.clock = tasks, Path(root), clock
        self.workspace: Workspace | None = None
        self.first_attempt_done = False
        self.busy = False
        self.setWindowTitle(self.tr("Mở dữ liệu CommuneDesk"))
        self.setModal(True)
        self.setMinimumWidth(420)

        intro = QLabel(self.tr(
            "Dữ liệu trên máy này được mã hóa. Máy không có nơi cất khóa an toàn "
            "(keychain) hoặc khóa không còn dùng được, nên cần mật khẩu dữ liệu để mở."), self)
        intro.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("Mật khẩu dữ liệu"))
        self.passphrase.setAccessibleName(self.tr("Mật khẩu dữ liệu"))
        self.passphrase.textChanged.connect(self._update_buttons)
        self.message = _message_label(self)
        self.busy_bar = _busy_bar(self)
        self.status = QLabel(self)
        self.status.hide()

        self.buttons = QDialogButtonBox(self)
        self.open_button = self.buttons.addButton(self.tr("Mở"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = self.buttons.addButton(self.tr("Thoát"),
                                                  QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.submit)
        self.quit_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel(self.tr("Mật khẩu dữ liệu:"), self))
        layout.addWidget(self.passphrase)
        layout.addWidget(self.message)
        layout.addWidget(self.status)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.buttons)
        self._update_buttons()

    # -------------------------------------------------------------- flow

    def start(self) -> None:
        """Try the keychain alone (on a worker)."""
        self._set_busy(True, self.tr("Đang mở dữ liệu…"))
        root, clock = self.root, self.clock
        self.tasks.io(lambda: Workspace.open(root, None, clock=clock),
                      self._opened, self._keychain_failed)

    @property
    def needs_passphrase(self) -> bool:
        return self.first_attempt_done and self.workspace is None

    def submit(self) -> None:
        """Check the typed passphrase (on a worker)."""
        passphrase = self.passphrase.text()
        if self.busy or self.workspace is not None:
            return
        if not passphrase:
            self._show_message(open_error_text(PassphraseRequired()))
            return
        self._set_busy(True, self.tr("Đang kiểm tra mật khẩu…"))
        root, clock = self.root, self.clock
        self.tasks.io(lambda: open_with_passphrase(root, passphrase, clock),
                      self._opened, self._passphrase_failed)

    def reject(self) -> None:
        if not self.busy:  # a check in progress ends first
            super().reject()

    # -------------------------------------------------------------- results

    def _opened(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._set_busy(False)
        self._finish_attempt()
        self.unlocked.emit(workspace)
        self.accept()

    def _keychain_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(error, PassphraseRequired | WrongPassphrase):
            self._show_message(open_error_text(error))
        self._finish_attempt()
        self.passphrase.setFocus()

    def _passphrase_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_message(open_error_text(error))
        self.passphrase.selectAll()  # the next try replaces it; nothing else changes
        self.passphrase.setFocus()

    def _finish_attempt(self) -> None:
        if not self.first_attempt_done:
            self.first_attempt_done = True
            self.attempted.emit()

    # -------------------------------------------------------------- state

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.status.setText(text)
        self.status.setVisible(busy and bool(text))
        if busy:
            self._show_message("")
        self.passphrase.setEnabled(not busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(not self.busy and bool(self.passphrase.text()))
        self.quit_button.setEnabled(not self.busy)


def unlock_profile(tasks: Tasks, root: Path, parent: QWidget | None = None,
                   clock: Clock | None = None) -> Workspace | None:
    """Open the profile at ``root``: with the keychain if it can (no window shown), else with
    the passphrase from a modal dialog. None when the person chose to quit.

    The caller then hands the workspace to ``tasks.open`` and builds the main window."""
    dialog = UnlockDialog(tasks, root, parent, clock)
    loop = QEventLoop()
    dialog.attempted.connect(loop.quit)
    dialog.start()
    if not dialog.first_attempt_done:
        loop.exec()
    try:
        if dialog.workspace is not None:
            return dialog.workspace
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.workspace
        return None
    finally:
        dialog.deleteLater()


# ======================================================================= lock screen

class LockOverlay(QFrame):
    """An opaque cover over one window, with the passphrase field (``submitted(str)``)."""

    submitted = Signal(str)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockOverlay")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.busy = False

        title = QLabel(self.tr("Màn hình đã khóa"), self)
        font = title.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        explain = QLabel(self.tr(
            "Để bảo vệ dữ liệu của người dân, màn hình đã khóa khi không có thao tác. "
            "Nhập mật khẩu dữ liệu để tiếp tục làm việc."), self)
        explain.setWordWrap(True)
        explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("Mật khẩu dữ liệu"))
        self.passphrase.setAccessibleName(self.tr("Mật khẩu dữ liệu"))
        self.passphrase.returnPressed.connect(self._submit)
        self.unlock_button = QPushButton(self.tr("Mở khóa"), self)
        self.unlock_button.clicked.connect(self._submit)
        self.message = _message_label(self)
        self.busy_bar = _busy_bar(self)

        box = QWidget(self)
        box.setFixedWidth(440)  # a fixed width lets the explanation wrap to its full height
        inner = QVBoxLayout(box)
        for widget in (title, explain, self.passphrase, self.unlock_button, self.message,
                       self.busy_bar):
            inner.addWidget(widget)
        # Centred between stretches, not by an alignment: an aligned box's height would be
        # reckoned for the whole window's width, and the explanation would be cut off.
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(box)
        middle.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)

        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
            self.raise_()
        return False

    def _submit(self) -> None:
        if not self.busy and self.passphrase.text():
            self.submitted.emit(self.passphrase.text())

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        if busy:
            self.message.hide()

    def refuse(self, text: str) -> None:
        self.set_busy(False)
        self.message.setText(text)
        self.message.show()
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def remove(self) -> None:
        if self.parent() is not None:
            self.parent().removeEventFilter(self)
        self.passphrase.clear()
        self.hide()
        self.deleteLater()


def _covers(widget: QWidget) -> bool:
    """A window of the app that a lock must cover (not a popup, tooltip or overlay)."""
    return (widget.isWindow() and widget.isVisible()
            and widget.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog,
                                        Qt.WindowType.Sheet, Qt.WindowType.Tool)
            and not isinstance(widget, LockOverlay))


class LockScreen(QObject):
    """Locks ``window`` (and every other window of the app) until the passphrase is given."""

    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: QMainWindow, workspace: Workspace, tasks: Tasks) -> None:
        super().__init__(window)
        self.window, self.workspace, self.tasks = window, workspace, tasks
        self.overlays: list[LockOverlay] = []
        self._hidden: list[QWidget] = []
        self._menu_was_enabled = True
        self._focus: QWidget | None = None
        self._checking = False
        self._locked = False

    @property
    def is_locked(self) -> bool:
        return self._locked

    def lock(self) -> None:
        if self._locked:
            return
        self._locked = True
        app = QApplication.instance()
        popup = QApplication.activePopupWidget()
        while popup is not None:  # an open menu or completer would stay above the cover
            popup.close()
            next_popup = QApplication.activePopupWidget()
            popup = None if next_popup is popup else next_popup
        self._focus = QApplication.focusWidget()
        window = self.window
        parts: list[QWidget] = []
        if window.centralWidget() is not None:
            parts.append(window.centralWidget())
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        for kind in (QDockWidget, QToolBar, QStatusBar):
            parts.extend(window.findChildren(kind, options=direct))
        self._hidden = [part for part in parts if part.isVisible()]
        for part in self._hidden:
            part.hide()
        menu = window.menuWidget()
        self._menu_was_enabled = menu.isEnabled() if menu is not None else True
        if menu is not None:
            menu.setEnabled(False)
        self._cover(window)
        for widget in QApplication.topLevelWidgets():
            if widget is not window and _covers(widget):
                self._cover(widget)
        app.installEventFilter(self)
        self._focus_field()
        self.locked.emit()

    def try_unlock(self, passphrase: str, overlay: LockOverlay | None = None) -> None:
        """Check ``passphrase`` on a worker; unlock when it is the profile's."""
        if not self._locked or self._checking or not self.overlays:
            return
        overlay = overlay or self.overlays[0]
        self._checking = True
        for each in self.overlays:
            each.set_busy(True)
        workspace = self.workspace
        self.tasks.io(lambda: any(workspace.check_passphrase(form)
                                  for form in passphrase_forms(passphrase)),
                      lambda right: self._checked(right, overlay),
                      lambda error: self._check_failed(error, overlay))

    # -------------------------------------------------------------- internals

    def _cover(self, widget: QWidget) -> None:
        overlay = LockOverlay(widget)
        overlay.submitted.connect(lambda text, o=overlay: self.try_unlock(text, o))
        # A dialog closed while locked takes its cover with it.
        overlay.destroyed.connect(lambda *_, o=overlay: self._drop(o))
        self.overlays.append(overlay)

    def _drop(self, overlay: LockOverlay) -> None:
        self.overlays = [o for o in self.overlays if o is not overlay]

    def _focus_field(self) -> None:
        modal = QApplication.activeModalWidget()
        for overlay in self.overlays:  # the main window's first
            if modal is None or overlay.parentWidget() is modal:
                overlay.passphrase.setFocus()
                return

    def _checked(self, right: bool, overlay: LockOverlay) -> None:
        self._checking = False
        if not self.is_locked:
            return
        if right:
            self._unlock()
            return
        self._refuse(overlay, self.tr("Mật khẩu dữ liệu không đúng."))

    def _check_failed(self, error: BaseException, overlay: LockOverlay) -> None:
        self._checking = False
        self._refuse(overlay, open_error_text(error))

    def _refuse(self, overlay: LockOverlay, text: str) -> None:
        for each in self.overlays:
            each.set_busy(False)
        if not any(o is overlay for o in self.overlays):  # its dialog closed meanwhile
            overlay = self.overlays[0] if self.overlays else None
        if overlay is not None:
            overlay.refuse(text)

    def _unlock(self) -> None:
        QApplication.instance().removeEventFilter(self)
        overlays, self.overlays = self.overlays, []
        for overlay in overlays:
            overlay.remove()
        self._locked = False
        for part in self._hidden:
            part.show()
        self._hidden = []
        menu = self.window.menuWidget()
        if menu is not None:
            menu.setEnabled(self._menu_was_enabled)
        if self._focus is not None:
            try:
                self._focus.setFocus()
            except RuntimeError:  # deleted while locked
                pass
        self._focus = None
        self.unlocked.emit()

    def _inside_overlay(self, watched: QObject) -> bool:
        node: QObject | None = watched
        while node is not None:
            if isinstance(node, LockOverlay):
                return True
            node = node.parent()
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == QEvent.Type.Shortcut and not self._inside_overlay(watched):
            return True  # no menu command or shortcut runs while locked
        if (kind == QEvent.Type.Show and isinstance(watched, QWidget) and _covers(watched)
                and not any(o.parentWidget() is watched for o in self.overlays)):
            self._cover(watched)  # a window that opens while locked is covered too
        return False


# ======================================================================= wiring

class IdleLock(QObject):
    """An ``IdleWatcher`` wired to a ``LockScreen`` for one main window."""

    def __init__(self, window: QMainWindow, workspace: Workspace, tasks: Tasks,
                 timeout_ms: int) -> None:
        super().__init__(window)
        self.screen = LockScreen(window, workspace, tasks)
        self.watcher = IdleWatcher(timeout_ms, self)
        self.watcher.idle_timeout.connect(self.screen.lock)
        self.screen.locked.connect(self.watcher.pause)
        self.screen.unlocked.connect(self.watcher.resume)
        self.watcher.install()  # removed by Qt when the watcher goes with the window

    def set_minutes(self, minutes: int) -> None:
        """A new idle time (the settings page's ``idle_lock_minutes_changed``); 0: never."""
        self.watcher.set_minutes(minutes)

    def lock_now(self) -> None:
        """Lock at once (a "Khóa màn hình" menu command)."""
        self.screen.lock()


def install_idle_lock(window: QMainWindow, workspace: Workspace, tasks: Tasks,
                      minutes: int | None = None, *, timeout_ms: int | None = None
                      ) -> IdleLock:
    """Lock ``window`` after ``minutes`` without input (by default the preference
    ``ui.idle_lock_minutes``; 0: never). ``timeout_ms`` overrides ``minutes`` (tests)."""
    if timeout_ms is None:
        if minutes is None:
            from ui.preferences import Preferences

            minutes = Preferences().idle_lock_minutes
        timeout_ms = int(minutes) * MINUTE_MS
    return IdleLock(window, workspace, tasks, timeout_ms)


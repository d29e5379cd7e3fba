"""The settings page ("Cài đặt").

Two kinds of settings, kept where ARCHITECTURE.md says:

* the profile's, in its encrypted database, which the CLI and the sync engine read too: the
  server address (``server.url``, changed only by signing in again), the sync interval
  (``sync.interval_minutes``, as ui/app.py reads it), bandwidth saver
  (``sync.bandwidth_saver``: ``auto``, ``on``, ``off``); office hours (``office_hours.*``) are
  shown, not edited here. They are read and written through ``desk.tasks.db``; signing in runs
  on ``desk.tasks.net``;
* the interface's, in QSettings (ui/preferences.py): language, text size, idle-lock minutes.
  Applying them is the main window's job, through this page's signals.

Nothing changes until "Lưu" (Save); values that cannot be used are refused with a message and
nothing is written. Passwords stay in their field until the sign-in job has them, then the field
is cleared. Threading: GUI thread only.
"""

from __future__ import annotations

import socket
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.edxml import ORGAN_ID_SETTING, valid_organ_id
from app.store import Store
from app.syncing import sign_in
from app.workcalendar import OfficeHours
from sync.scheduler import DEFAULT_INTERVAL
from ui.context import Desk, Person
from ui.preferences import (
    MAX_IDLE_LOCK_MINUTES,
    TEXT_LARGE_PT,
    TEXT_LARGER_PT,
    TEXT_NORMAL_PT,
    Preferences,
)
from ui.wizard import commune_label, normalize_server_url, sign_in_error_text

SERVER_URL_KEY = "server.url"
SYNC_INTERVAL_KEY = "sync.interval_minutes"  # whole minutes; the scheduler takes seconds
BANDWIDTH_SAVER_KEY = "sync.bandwidth_saver"
BANDWIDTH_CHOICES = ("auto", "on", "off")
MIN_SYNC_MINUTES, MAX_SYNC_MINUTES = 1, 24 * 60
ROLE_NAMES = {  # translated with SettingsPage.tr
    "officer": QT_TRANSLATE_NOOP("SettingsPage", "Cán bộ tiếp nhận"),
    "specialist": QT_TRANSLATE_NOOP("SettingsPage", "Chuyên viên"),
    "leader": QT_TRANSLATE_NOOP("SettingsPage", "Lãnh đạo"),
    "clerk": QT_TRANSLATE_NOOP("SettingsPage", "Văn thư"),
    "admin": QT_TRANSLATE_NOOP("SettingsPage", "Quản trị xã, phường"),
}


def sync_minutes(settings: dict[str, str]) -> int:
    """The sync interval in whole minutes (the default when unset or unreadable)."""
    try:
        minutes = float(settings.get(SYNC_INTERVAL_KEY) or DEFAULT_INTERVAL / 60)
    except ValueError:
        minutes = DEFAULT_INTERVAL / 60
    return max(MIN_SYNC_MINUTES, min(MAX_SYNC_MINUTES, round(minutes)))


def _load(store: Store) -> tuple[dict[str, str], OfficeHours | None]:
    settings = store.settings()
    try:
        hours = OfficeHours.from_settings(settings)
    except ValueError:
        hours = None
    return settings, hours


class SettingsPage(QWidget):
    """Settings of the profile and of the interface, saved with "Lưu"."""

    language_changed = Signal(str)  # "vi" or "en"
    text_size_changed = Signal(int)  # point size; the main window calls apply_text_size
    idle_lock_minutes_changed = Signal(int)  # 0: never; the main window's IdleLock.set_minutes
    sync_interval_changed = Signal(int)  # seconds, once saved; SyncController.set_interval
    signed_in = Signal(object)  # Person, after "Đăng nhập lại" succeeded
    saved = Signal()

    def __init__(self, desk: Desk, preferences: Preferences | None = None,
                 parent: QWidget | None = None, *, language_applies_live: bool = False) -> None:
        super().__init__(parent)
        self.desk = desk
        self.preferences = preferences or Preferences()
        self.language_applies_live = language_applies_live
        self.settings: dict[str, str] = {}
        self.loaded = False
        self.busy = False

        # -- server and account
        self.server_url = QLineEdit(self)
        self.server_url.setPlaceholderText("https://dongbo.hanoi.gov.vn")
        self.server_url.setAccessibleName(self.tr("Địa chỉ máy chủ"))
        self.account = QLabel(self)
        self.account.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setAccessibleName(self.tr("Tên đăng nhập"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Mật khẩu tài khoản"))
        self.sign_in_button = QPushButton(self.tr("Đăng nhập lại"), self)
        self.sign_in_button.clicked.connect(self.sign_in_again)
        self.password.returnPressed.connect(self.sign_in_again)
        self.sign_in_message = QLabel(self)
        self.sign_in_message.setWordWrap(True)
        self.sign_in_message.hide()
        self.sign_in_busy = self._busy_bar()
        server_box = QGroupBox(self.tr("Máy chủ của thành phố"), self)
        server_form = QFormLayout(server_box)
        server_form.addRow(self.tr("Địa chỉ máy chủ:"), self.server_url)
        server_form.addRow(self.tr("Tài khoản:"), self.account)
        note = QLabel(self.tr("Đổi địa chỉ máy chủ hay tài khoản thì cần đăng nhập lại; địa chỉ "
                              "mới chỉ được lưu khi đăng nhập thành công."), server_box)
        note.setWordWrap(True)
        server_form.addRow(note)
        server_form.addRow(self.tr("Tên đăng nhập:"), self.username)
        server_form.addRow(self.tr("Mật khẩu:"), self.password)
        server_form.addRow(self.sign_in_button)
        server_form.addRow(self.sign_in_busy)
        server_form.addRow(self.sign_in_message)

        # -- sync
        self.sync_interval = QSpinBox(self)
        self.sync_interval.setRange(MIN_SYNC_MINUTES, MAX_SYNC_MINUTES)
        self.sync_interval.setSuffix(self.tr(" phút"))
        self.sync_interval.setAccessibleName(self.tr("Chu kỳ đồng bộ"))
        self.bandwidth_saver = QComboBox(self)
        self.bandwidth_saver.setAccessibleName(self.tr("Tiết kiệm băng thông"))
        for value, text in zip(BANDWIDTH_CHOICES, (
                self.tr("Tự động (bật khi đường truyền chậm)"), self.tr("Bật"),
                self.tr("Tắt")), strict=True):
            self.bandwidth_saver.addItem(text, value)
        sync_box = QGroupBox(self.tr("Đồng bộ"), self)
        sync_form = QFormLayout(sync_box)
        sync_form.addRow(self.tr("Đồng bộ mỗi:"), self.sync_interval)
        sync_form.addRow(self.tr("Tiết kiệm băng thông:"), self.bandwidth_saver)
        saver_note = QLabel(self.tr("Khi bật, tệp đính kèm (bản quét, PDF) chờ đến khi đường "
                                    "truyền tốt mới gửi; hồ sơ vẫn được đồng bộ ngay."), sync_box)
        saver_note.setWordWrap(True)
        sync_form.addRow(saver_note)

        # -- interface
        self.language = QComboBox(self)
        self.language.setAccessibleName(self.tr("Ngôn ngữ"))
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language_note = QLabel(
            self.tr("Ngôn ngữ mới có hiệu lực ngay.") if language_applies_live
            else self.tr("Ngôn ngữ mới có hiệu lực khi mở lại ứng dụng."), self)
        self.text_size = QComboBox(self)
        self.text_size.setAccessibleName(self.tr("Cỡ chữ"))
        for size, text in ((TEXT_NORMAL_PT, self.tr("Bình thường")),
                           (TEXT_LARGE_PT, self.tr("Lớn")), (TEXT_LARGER_PT, self.tr("Rất lớn"))):
            self.text_size.addItem(text, size)
        self.idle_lock = QSpinBox(self)
        self.idle_lock.setRange(0, MAX_IDLE_LOCK_MINUTES)
        self.idle_lock.setSuffix(self.tr(" phút"))
        self.idle_lock.setSpecialValueText(self.tr("Không bao giờ"))
        self.idle_lock.setAccessibleName(self.tr("Khóa màn hình khi không thao tác"))
        ui_box = QGroupBox(self.tr("Giao diện"), self)
        ui_form = QFormLayout(ui_box)
        ui_form.addRow(self.tr("Ngôn ngữ:"), self.language)
        ui_form.addRow(self.language_note)
        ui_form.addRow(self.tr("Cỡ chữ:"), self.text_size)
        ui_form.addRow(self.tr("Khóa màn hình sau khi không thao tác:"), self.idle_lock)

        # -- read-only: office hours, commune, data folder
        self.office_hours = QLabel(self)
        self.office_hours.setWordWrap(True)
        self.commune = QLabel(self)
        self.data_folder = QLabel(str(desk.workspace.root), self)
        self.data_folder.setWordWrap(True)
        self.data_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder_button = QPushButton(self.tr("Mở thư mục"), self)
        self.open_folder_button.clicked.connect(self.open_data_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.data_folder, 1)
        folder_row.addWidget(self.open_folder_button)
        self.organ_id = QLineEdit(self, objectName="organId", maxLength=64)
        self.organ_id.setAccessibleName(self.tr("Mã định danh trao đổi văn bản"))
        self.organ_id.setToolTip(self.tr(
            "Mã định danh của Ủy ban nhân dân xã, phường trên trục liên thông văn bản (gói "
            "edXML). Để trống: dùng mã đơn vị."))
        about_box = QGroupBox(self.tr("Đơn vị và dữ liệu"), self)
        about_form = QFormLayout(about_box)
        about_form.addRow(self.tr("Xã, phường:"), self.commune)
        about_form.addRow(self.tr("Mã định danh trao đổi văn bản:"), self.organ_id)
        about_form.addRow(self.tr("Giờ làm việc:"), self.office_hours)
        about_form.addRow(self.tr("Thư mục dữ liệu:"), folder_row)

        # -- save
        self.save_button = QPushButton(self.tr("Lưu"), self)
        self.save_button.clicked.connect(self.save)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()
        self.save_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.save_button.setMinimumWidth(120)
        save_row = QHBoxLayout()
        save_row.addWidget(self.message, 1)
        save_row.addWidget(self.save_button)

        content = QWidget(self)
        column = QVBoxLayout(content)
        for box in (server_box, sync_box, ui_box, about_box):
            column.addWidget(box)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(save_row)

        self._show_preferences()
        self._set_enabled(False)
        desk.notices.settings_changed.connect(self._settings_changed)
        self.reload()

    # -------------------------------------------------------------- loading

    def reload(self) -> None:
        """Read the profile's settings again (on the database worker)."""
        self.desk.tasks.db(_load, self._loaded, self._load_failed)

    def _loaded(self, result: tuple[dict[str, str], OfficeHours | None]) -> None:
        self.settings, hours = result
        self.loaded = True
        self._show_settings(hours)
        self._set_enabled(True)

    def _load_failed(self, error: BaseException) -> None:
        self._say(self.tr("Không đọc được cài đặt ({code}).").format(
            code=getattr(error, "code", type(error).__name__)), error=True)

    def _settings_changed(self, keys: frozenset[str]) -> None:
        if any(k == SERVER_URL_KEY or k.startswith(("user.", "commune.")) for k in keys):
            self.desk.tasks.db(_load, self._refresh_account)

    def _refresh_account(self, result: tuple[dict[str, str], OfficeHours | None]) -> None:
        self.settings = result[0]
        self._show_account()

    def _show_settings(self, hours: OfficeHours | None) -> None:
        self.server_url.setText(self.settings.get(SERVER_URL_KEY, ""))
        self.username.setText(self.settings.get("user.username", ""))
        self._show_account()
        self.sync_interval.setValue(sync_minutes(self.settings))
        choice = self.settings.get(BANDWIDTH_SAVER_KEY) or "auto"
        index = self.bandwidth_saver.findData(choice if choice in BANDWIDTH_CHOICES else "auto")
        self.bandwidth_saver.setCurrentIndex(index)
        code = self.settings.get("commune.code", "")
        self.commune.setText(f"{commune_label(code)} ({code})" if code else "—")
        self.organ_id.setText(self.settings.get(ORGAN_ID_SETTING, ""))
        self.organ_id.setPlaceholderText(self.settings.get("commune.unit_id") or code)
        if hours is None:
            self.office_hours.setText(self.tr("Cài đặt giờ làm việc không đọc được."))
        else:
            self.office_hours.setText(self.tr(
                "Sáng {m1}–{m2}, chiều {a1}–{a2}. Hồ sơ giải quyết trong ngày nhận trước "
                "{cutoff}.").format(
                m1=hours.morning_start.strftime("%H:%M"), m2=hours.morning_end.strftime("%H:%M"),
                a1=hours.afternoon_start.strftime("%H:%M"),
                a2=hours.afternoon_end.strftime("%H:%M"),
                cutoff=hours.same_day_cutoff.strftime("%H:%M")))

    def _show_account(self) -> None:
        person = Person.from_settings(self.settings)
        url = self.settings.get(SERVER_URL_KEY)
        if not url or not person.username:
            self.account.setText(self.tr("Chưa đăng nhập (đang làm việc ngoại tuyến)."))
            return
        role = ROLE_NAMES.get(person.role)
        self.account.setText(self.tr("{name} ({user}), {role} — máy chủ {url}").format(
            name=person.display_name or person.username, user=person.username,
            role=self.tr(role) if role else person.role, url=url))

    def _show_preferences(self) -> None:
        prefs = self.preferences
        self.language.setCurrentIndex(max(0, self.language.findData(prefs.language)))
        index = self.text_size.findData(prefs.text_size_pt)
        if index < 0:  # a size set elsewhere: show it as the nearest choice
            index = min(range(self.text_size.count()),
                        key=lambda i: abs(self.text_size.itemData(i) - prefs.text_size_pt))
        self.text_size.setCurrentIndex(index)
        self.idle_lock.setValue(prefs.idle_lock_minutes)

    # -------------------------------------------------------------- saving

    def problems(self) -> list[str]:
        """What stops the values on the page from being saved."""
        found = []
        if not MIN_SYNC_MINUTES <= self.sync_interval.value() <= MAX_SYNC_MINUTES:
            found.append(self.tr("Chu kỳ đồng bộ phải từ {low} đến {high} phút.").format(
                low=MIN_SYNC_MINUTES, high=MAX_SYNC_MINUTES))
        if self.bandwidth_saver.currentData() not in BANDWIDTH_CHOICES:
            found.append(self.tr("Hãy chọn chế độ tiết kiệm băng thông."))
        if not 0 <= self.idle_lock.value() <= MAX_IDLE_LOCK_MINUTES:
            found.append(self.tr("Thời gian khóa màn hình phải từ 0 đến {high} phút.").format(
                high=MAX_IDLE_LOCK_MINUTES))
        if self.language.currentData() not in ("vi", "en"):
            found.append(self.tr("Hãy chọn ngôn ngữ."))
        organ_id = self.organ_id.text().strip()
        if organ_id and not valid_organ_id(organ_id):
            found.append(self.tr("Mã định danh chỉ gồm chữ cái không dấu, chữ số, dấu chấm và "
                                 "dấu gạch ngang, ví dụ 000.00.12.H26."))
        return found

    def save(self) -> None:
        """Check every value, then write: the profile's settings on the database worker, the
        interface's to QSettings (emitting a signal for each one that changed)."""
        if not self.loaded or self.busy:
            return
        problems = self.problems()
        if problems:
            self._say("\n".join(problems), error=True)
            return
        changes = {
            SYNC_INTERVAL_KEY: str(self.sync_interval.value()),
            BANDWIDTH_SAVER_KEY: self.bandwidth_saver.currentData(),
            ORGAN_ID_SETTING: self.organ_id.text().strip(),
        }
        changes = {k: v for k, v in changes.items() if (self.settings.get(k) or "") != v}
        self._save_preferences()
        url_note = ""
        typed_url = normalize_server_url(self.server_url.text()) or self.server_url.text().strip()
        if typed_url != (self.settings.get(SERVER_URL_KEY) or ""):
            url_note = " " + self.tr("Địa chỉ máy chủ mới chưa được lưu: hãy bấm «Đăng nhập "
                                     "lại».")
        if not changes:
            self._said_saved(url_note)
            return
        self.busy = True
        self._set_enabled(False)

        def write(store: Store) -> dict[str, str]:
            for key, value in changes.items():
                store.set_setting(key, value)
            return changes

        self.desk.tasks.db(write, lambda done: self._saved(done, url_note), self._save_failed)

    def _save_preferences(self) -> None:
        prefs = self.preferences
        language = self.language.currentData()
        size = int(self.text_size.currentData())
        minutes = self.idle_lock.value()
        changed_language = language != prefs.language
        changed_size = size != prefs.text_size_pt
        changed_minutes = minutes != prefs.idle_lock_minutes
        prefs.language, prefs.text_size_pt, prefs.idle_lock_minutes = language, size, minutes
        prefs.sync()
        if changed_language:
            self.language_changed.emit(language)
        if changed_size:
            self.text_size_changed.emit(size)
        if changed_minutes:
            self.idle_lock_minutes_changed.emit(minutes)

    def _saved(self, changes: dict[str, str], url_note: str) -> None:
        self.busy = False
        self.settings.update(changes)
        if SYNC_INTERVAL_KEY in changes:
            self.sync_interval_changed.emit(int(changes[SYNC_INTERVAL_KEY]) * 60)
        self._set_enabled(True)
        self._said_saved(url_note)

    def _said_saved(self, url_note: str) -> None:
        self._say(self.tr("Đã lưu cài đặt lúc {time}.").format(
            time=datetime.now().strftime("%H:%M")) + url_note)
        self.saved.emit()

    def _save_failed(self, error: BaseException) -> None:
        self.busy = False
        self._set_enabled(True)
        self._say(self.tr("Không lưu được cài đặt ({code}). Không có gì bị thay đổi.").format(
            code=getattr(error, "code", type(error).__name__)), error=True)

    # -------------------------------------------------------------- signing in again

    def sign_in_again(self) -> None:
        """Sign in with the address, user name and password on the page (network worker)."""
        if self.busy:
            return
        url = normalize_server_url(self.server_url.text())
        username = self.username.text().strip()
        password = self.password.text()
        if url is None:
            self._say_sign_in(self.tr("Địa chỉ máy chủ không hợp lệ. Ví dụ đúng: "
                                      "https://dongbo.hanoi.gov.vn"), error=True)
            return
        if not username or not password:
            self._say_sign_in(self.tr("Hãy nhập tên đăng nhập và mật khẩu."), error=True)
            return
        self.busy = True
        self._set_enabled(False)
        self.sign_in_busy.show()
        self._say_sign_in(self.tr("Đang đăng nhập…"))
        root, device = self.desk.workspace.root, socket.gethostname()
        code = self.settings.get("commune.code", "")

        def work(store: Store) -> dict[str, str]:
            sign_in(store, root, url, username, password, device_name=device)
            return store.settings()

        self.desk.tasks.net(work, self._signed_in, lambda error: self._sign_in_failed(
            error, url, username, code))

    def _signed_in(self, settings: dict[str, str]) -> None:
        self.busy = False
        self.sign_in_busy.hide()
        self.password.clear()
        self.settings = settings
        self.server_url.setText(settings.get(SERVER_URL_KEY, ""))
        self._show_account()
        self._set_enabled(True)
        person = Person.from_settings(settings)
        self.desk.person = person
        self._say_sign_in(self.tr("Đã đăng nhập: {user}. Máy sẽ đồng bộ với {url}.").format(
            user=person.username, url=settings.get(SERVER_URL_KEY, "")))
        self.signed_in.emit(person)

    def _sign_in_failed(self, error: BaseException, url: str, username: str,
                        code: str) -> None:
        self.busy = False
        self.sign_in_busy.hide()
        self._set_enabled(True)
        self.password.selectAll()
        self._say_sign_in(sign_in_error_text(error, url, username, code), error=True)

    # -------------------------------------------------------------- data folder

    def open_data_folder(self) -> bool:
        """Show the profile folder in the system's file manager."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.desk.workspace.root)))

    # -------------------------------------------------------------- state

    def _busy_bar(self) -> QProgressBar:
        bar = QProgressBar(self)
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        bar.setMaximumHeight(8)
        bar.hide()
        return bar

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.server_url, self.username, self.password, self.sign_in_button,
                       self.sync_interval, self.bandwidth_saver, self.organ_id,
                       self.save_button):
            widget.setEnabled(enabled)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _say_sign_in(self, text: str, error: bool = False) -> None:
        self.sign_in_message.setStyleSheet("color: #b00020;" if error else "")
        self.sign_in_message.setText(text)
        self.sign_in_message.setVisible(bool(text))

"""The settings page on a real profile (SQLCipher) with its task helper, offscreen; signing in
again against a real city server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from app.syncing import bandwidth_saver
from tests.ui_support import type_text, wait_idle
from ui.preferences import TEXT_LARGER_PT, Preferences, apply_text_size
from ui.settings_page import SettingsPage


@pytest.fixture(autouse=True)
def qsettings_in_home(isolated_home: Path, qapp) -> Path:
    """QSettings keeps its folder from its first use in the process: point it at this test's
    HOME (tests/test_ui_lock.py checks that a write lands there)."""
    config = isolated_home / "xdg_config_home"
    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, str(config))
    return config


@pytest.fixture
def app_font(qapp):
    """Put the application font back after a test that changes it."""
    font = qapp.font()
    yield
    qapp.setFont(font)


def open_page(qtbot, desk) -> SettingsPage:
    page = SettingsPage(desk)
    qtbot.addWidget(page)
    page.show()
    wait_idle(qtbot, desk)
    assert page.loaded
    return page


def stored(desk) -> dict[str, str]:
    store = desk.workspace.open_store()
    try:
        return store.settings()
    finally:
        store.db.close()


def test_the_page_shows_the_profile(qtbot, desk) -> None:
    page = open_page(qtbot, desk)
    assert "Xã Minh Châu — Thành phố Hà Nội" in page.commune.text()
    assert "07:00" in page.office_hours.text() and "15:00" in page.office_hours.text()
    assert page.data_folder.text() == str(desk.workspace.root)
    assert "ngoại tuyến" in page.account.text()  # never signed in
    assert page.sync_interval.value() == 5  # the scheduler's default, 300 s
    assert page.bandwidth_saver.currentData() == "auto"
    assert page.idle_lock.value() == 10 and page.language.currentData() == "vi"
    assert page.password.echoMode() == page.password.EchoMode.Password


def test_sync_interval_and_bandwidth_saver_are_saved_to_the_store(qtbot, desk) -> None:
    page = open_page(qtbot, desk)
    page.sync_interval.setValue(15)
    page.bandwidth_saver.setCurrentIndex(page.bandwidth_saver.findData("on"))
    intervals: list[int] = []
    page.sync_interval_changed.connect(intervals.append)
    with qtbot.waitSignal(page.saved, timeout=15_000):
        page.save_button.click()
    assert intervals == [900]  # seconds, for the sync scheduler
    wait_idle(qtbot, desk)
    assert "Đã lưu cài đặt" in page.message.text() and page.message.isVisible()
    settings = stored(desk)
    assert settings["sync.interval_minutes"] == "15" and settings["sync.bandwidth_saver"] == "on"
    store = desk.workspace.open_store()
    assert bandwidth_saver(store) is True  # the sync engine reads the same setting
    store.db.close()
    again = open_page(qtbot, desk)
    assert again.sync_interval.value() == 15
    assert again.bandwidth_saver.currentData() == "on"


def test_an_unusable_value_is_refused_and_nothing_is_written(qtbot, desk) -> None:
    page = open_page(qtbot, desk)
    page.sync_interval.setValue(30)
    page.bandwidth_saver.setCurrentIndex(-1)  # no choice
    page.save_button.click()
    wait_idle(qtbot, desk)
    assert "tiết kiệm băng thông" in page.message.text()
    assert "sync.interval_minutes" not in stored(desk)


def test_text_size_applies_to_the_application_font(qtbot, desk, app_font) -> None:
    page = open_page(qtbot, desk)
    page.text_size_changed.connect(lambda size: apply_text_size(QApplication.instance(), size))
    page.text_size.setCurrentIndex(page.text_size.findText("Rất lớn"))
    with qtbot.waitSignal(page.text_size_changed, timeout=5_000) as changed:
        page.save_button.click()
    assert changed.args == [TEXT_LARGER_PT]
    assert QApplication.font().pointSize() == TEXT_LARGER_PT
    assert Preferences().text_size_pt == TEXT_LARGER_PT


def test_language_and_idle_lock_are_interface_preferences(qtbot, desk) -> None:
    page = open_page(qtbot, desk)
    heard: list[tuple[str, object]] = []
    page.language_changed.connect(lambda code: heard.append(("language", code)))
    page.idle_lock_minutes_changed.connect(lambda m: heard.append(("idle", m)))
    page.text_size_changed.connect(lambda s: heard.append(("size", s)))
    page.language.setCurrentIndex(page.language.findData("en"))
    page.idle_lock.setValue(0)
    assert page.idle_lock.text() == "Không bao giờ"
    page.save_button.click()
    wait_idle(qtbot, desk)
    assert heard == [("language", "en"), ("idle", 0)]  # the text size did not change
    prefs = Preferences()
    assert prefs.language == "en" and prefs.idle_lock_minutes == 0
    assert "language" not in stored(desk) and "ui.language" not in stored(desk)


def test_the_data_folder_opens_in_the_file_manager(qtbot, desk) -> None:
    class Opened(QObject):  # stands in for the desktop's file manager, absent here
        def __init__(self) -> None:
            super().__init__()
            self.urls: list[QUrl] = []

        @Slot(QUrl)
        def show(self, url: QUrl) -> None:
            self.urls.append(url)

    opened = Opened()
    QDesktopServices.setUrlHandler("file", opened, "show")
    try:
        page = open_page(qtbot, desk)
        page.open_folder_button.click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in opened.urls] == [str(desk.workspace.root)]


def test_a_bad_server_address_is_refused_before_signing_in(qtbot, desk) -> None:
    page = open_page(qtbot, desk)
    type_text(page.server_url, "không phải địa chỉ")
    type_text(page.password, "x")
    page.sign_in_button.click()
    wait_idle(qtbot, desk)
    assert "không hợp lệ" in page.sign_in_message.text()
    assert "server.url" not in stored(desk)


def test_signing_in_again_keeps_the_server_and_the_account(qtbot, desk, city_server) -> None:
    page = open_page(qtbot, desk)
    type_text(page.server_url, city_server.url)
    assert page.username.text() == "hoa"
    type_text(page.password, "sai-mật-khẩu")
    page.sign_in_button.click()
    wait_idle(qtbot, desk, timeout=60_000)
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.sign_in_message.text()
    assert "server.url" not in stored(desk)

    page.password.clear()
    type_text(page.password, "mật-khẩu-hoa")
    with qtbot.waitSignal(page.signed_in, timeout=60_000) as signed:
        page.sign_in_button.click()
    wait_idle(qtbot, desk)
    person = signed.args[0]
    assert person.username == "hoa" and person.role == "officer"
    assert desk.person == person
    assert page.password.text() == ""  # the password is not kept
    assert "hoa" in page.account.text() and city_server.url in page.account.text()
    settings = stored(desk)
    assert settings["server.url"] == city_server.url and settings["user.role"] == "officer"


def test_the_organ_identifier_for_edxml_is_checked_saved_and_used(qtbot, desk) -> None:
    from app.edxml import ORGAN_ID_SETTING
    from ui.registers.jobs import organ_of

    page = open_page(qtbot, desk)
    assert page.organ_id.text() == "" and page.organ_id.placeholderText() == "09661"
    type_text(page.organ_id, "000.00.12.H26 <script>")
    page.save_button.click()
    wait_idle(qtbot, desk)
    assert "Mã định danh chỉ gồm" in page.message.text()
    assert ORGAN_ID_SETTING not in stored(desk)

    page.organ_id.clear()
    type_text(page.organ_id, "000.00.12.H26")
    with qtbot.waitSignal(page.saved, timeout=15_000):
        page.save_button.click()
    assert stored(desk)[ORGAN_ID_SETTING] == "000.00.12.H26"
    store = desk.workspace.open_store()
    try:  # what an exported edXML package names as its sender
        assert organ_of(store) == ("000.00.12.H26", "Ủy ban nhân dân xã Minh Châu")
    finally:
        store.db.close()
    assert open_page(qtbot, desk).organ_id.text() == "000.00.12.H26"

"""The first-run wizard, driven page by page on real widgets (offscreen): it makes a real
SQLCipher profile, and signs it in to a real city server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWizard

from app.errors import PassphraseRequired, WrongPassphrase
from app.workspace import Workspace
from tests.conftest import PASSPHRASE, free_port
from tests.ui_support import type_text
from ui.tasks import Tasks
from ui.wizard import (
    PAGE_COMMUNE,
    PAGE_PASSPHRASE,
    PAGE_SERVER,
    PAGE_SIGN_IN,
    FirstRunWizard,
    commune_choices,
    normalize_server_url,
)

FINISH = QWizard.WizardButton.FinishButton


@pytest.fixture(autouse=True)
def qsettings_in_home(isolated_home: Path, qapp) -> Path:
    """QSettings keeps its folder from its first use in the process: point it at this test's
    HOME (tests/test_ui_lock.py checks that a write lands there)."""
    config = isolated_home / "xdg_config_home"
    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, str(config))
    return config


@pytest.fixture
def tasks():
    helper = Tasks()
    yield helper
    helper.close()


@pytest.fixture
def wizard(qtbot, tasks: Tasks, tmp_path: Path) -> FirstRunWizard:
    made = FirstRunWizard(tasks, tmp_path / "profiles" / "default")
    qtbot.addWidget(made)
    made.show()
    return made


def leftovers(wizard: FirstRunWizard) -> list[str]:
    """Hidden folders the wizard made beside the profile folder and did not remove."""
    return [p.name for p in wizard.root.parent.iterdir() if p.name.startswith(".")]


def choose_commune(qtbot, wizard: FirstRunWizard, typed: str = "Minh Châu Hà Nội") -> None:
    assert wizard.currentId() == PAGE_COMMUNE
    type_text(wizard.commune_page.search, typed)
    assert wizard.commune_page.commune_code == "09661"  # the only match: chosen
    assert "Xã Minh Châu — Thành phố Hà Nội" in wizard.commune_page.chosen.text()


def type_passphrase(wizard: FirstRunWizard, first: str = PASSPHRASE,
                    second: str | None = None) -> None:
    page = wizard.passphrase_page
    page.first.clear()
    page.second.clear()
    type_text(page.first, first)
    type_text(page.second, first if second is None else second)


def finish(qtbot, wizard: FirstRunWizard) -> None:
    assert wizard.currentId() == PAGE_PASSPHRASE
    wizard.button(FINISH).click()


def wait_done(qtbot, wizard: FirstRunWizard) -> None:
    qtbot.waitUntil(lambda: not wizard.busy, timeout=60_000)


# ------------------------------------------------------------------ pure parts

def test_server_addresses_are_checked_and_normalised() -> None:
    assert normalize_server_url(" https://dongbo.hanoi.gov.vn/ ") == "https://dongbo.hanoi.gov.vn"
    assert normalize_server_url("dongbo.hanoi.gov.vn") == "https://dongbo.hanoi.gov.vn"
    assert normalize_server_url("http://127.0.0.1:8080/api/") == "http://127.0.0.1:8080/api"
    for bad in ("", "http://", "ftp://host", "https://host:99999", "https://a b", "https://h?x=1",
                "https://user:pw@host"):
        assert normalize_server_url(bad) is None, bad


def test_the_commune_list_keys_repeated_names_by_code() -> None:
    minh_chau = [c for c in commune_choices() if c.name == "Xã Minh Châu"]
    assert len(minh_chau) == 2 and len({c.code for c in minh_chau}) == 2
    assert {c.label for c in minh_chau} >= {"Xã Minh Châu — Thành phố Hà Nội"}
    assert len(commune_choices()) > 3000


# ------------------------------------------------------------------ offline

def test_offline_wizard_makes_an_encrypted_profile_that_opens_with_the_passphrase(
        qtbot, wizard: FirstRunWizard, memory_keyring) -> None:
    wizard.server_page.offline.click()
    assert not wizard.server_page.url.isEnabled()
    wizard.next()
    choose_commune(qtbot, wizard)
    type_text(wizard.commune_page.user_name, "Nguyễn Thị Hoa")
    wizard.next()
    assert wizard.currentId() == PAGE_PASSPHRASE  # no sign-in page offline
    type_passphrase(wizard)
    finish(qtbot, wizard)
    # While it works: a busy bar, and no button to press twice or to cancel half-way.
    assert wizard.busy and not wizard.passphrase_page.busy_bar.isHidden()
    assert not wizard.button(FINISH).isEnabled()
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    wizard.reject()  # Escape while busy does nothing
    qtbot.waitUntil(lambda: wizard.workspace is not None, timeout=60_000)
    assert wizard.result() == QWizard.DialogCode.Accepted and not wizard.isVisible()

    root = wizard.root
    assert (root / "profile.json").exists() and leftovers(wizard) == []
    assert not (root / "data.db").read_bytes().startswith(b"SQLite format 3")
    memory_keyring.secrets.clear()  # no keychain: only the passphrase opens it
    with pytest.raises(PassphraseRequired):
        Workspace.open(root, None)
    with pytest.raises(WrongPassphrase):
        Workspace.open(root, "không phải mật khẩu")
    store = Workspace.open(root, PASSPHRASE).open_store()
    settings = store.settings()
    store.db.close()
    assert settings["commune.code"] == "09661"
    assert settings["commune.name"] == "Xã Minh Châu"
    assert settings["user.name"] == "Nguyễn Thị Hoa"
    assert "server.url" not in settings


def test_a_short_or_mistyped_passphrase_is_refused(qtbot, wizard: FirstRunWizard) -> None:
    wizard.server_page.offline.click()
    wizard.next()
    choose_commune(qtbot, wizard, "09661")
    wizard.next()
    type_passphrase(wizard, "ngắn")
    finish(qtbot, wizard)
    page = wizard.passphrase_page
    assert "ít nhất 8 ký tự" in page.message.text() and page.message.isVisible()
    type_passphrase(wizard, PASSPHRASE, PASSPHRASE + "x")
    assert not page.message.isVisible()  # typing again clears the old message
    finish(qtbot, wizard)
    assert "không giống nhau" in page.message.text()
    assert not wizard.busy and wizard.workspace is None
    assert not wizard.root.exists()


def test_a_bad_server_address_is_refused_on_its_page(qtbot, wizard: FirstRunWizard) -> None:
    type_text(wizard.server_page.url, "http://máy chủ")
    wizard.next()
    assert wizard.currentId() == PAGE_SERVER
    assert "không hợp lệ" in wizard.server_page.message.text()


# ------------------------------------------------------------------ with a city server

def go_online(qtbot, wizard: FirstRunWizard, url: str, username: str, password: str) -> None:
    type_text(wizard.server_page.url, url)
    wizard.next()
    choose_commune(qtbot, wizard)
    wizard.next()
    assert wizard.currentId() == PAGE_SIGN_IN
    assert "Xã Minh Châu — Thành phố Hà Nội" in wizard.sign_in_page.note.text()
    type_text(wizard.sign_in_page.username, username)
    type_text(wizard.sign_in_page.password, password)
    wizard.next()
    type_passphrase(wizard)


def test_the_wizard_signs_in_to_a_real_city_server(qtbot, wizard: FirstRunWizard,
                                                     city_server) -> None:
    go_online(qtbot, wizard, city_server.url, "hoa", "mật-khẩu-hoa")
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.workspace is not None, timeout=60_000)
    store = wizard.workspace.open_store()
    settings = store.settings()
    store.db.close()
    assert settings["server.url"] == city_server.url
    assert settings["user.role"] == "officer" and settings["user.username"] == "hoa"
    assert settings["user.name"] == "Nguyễn Thị Hoa"
    assert settings["codes.slot"]
    assert leftovers(wizard) == []


def test_a_wrong_password_keeps_the_person_on_the_sign_in_page(qtbot, wizard: FirstRunWizard,
                                                                city_server) -> None:
    go_online(qtbot, wizard, city_server.url, "hoa", "sai-mật-khẩu")
    finish(qtbot, wizard)
    wait_done(qtbot, wizard)
    page = wizard.sign_in_page
    assert wizard.currentId() == PAGE_SIGN_IN
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.message.text()
    assert page.message.isVisible()
    # Nothing typed is lost, and nothing half-made is left.
    assert page.username.text() == "hoa" and page.password.text() == "sai-mật-khẩu"
    assert wizard.passphrase_page.first.text() == PASSPHRASE
    assert wizard.commune_page.commune_code == "09661"
    assert not wizard.root.exists() and leftovers(wizard) == []
    assert wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    # Fixed, it goes through.
    page.password.clear()
    type_text(page.password, "mật-khẩu-hoa")
    wizard.next()
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.workspace is not None, timeout=60_000)
    assert (wizard.root / "profile.json").exists()


def test_an_account_of_another_commune_is_refused_clearly(qtbot, wizard: FirstRunWizard,
                                                          city_server) -> None:
    go_online(qtbot, wizard, city_server.url, "lan", "mật-khẩu-lan")
    finish(qtbot, wizard)
    wait_done(qtbot, wizard)
    assert wizard.currentId() == PAGE_SIGN_IN
    text = wizard.sign_in_page.message.text()
    assert "Phường Kim Liên" in text and "Xã Minh Châu" in text
    assert not wizard.root.exists() and leftovers(wizard) == []


def test_an_unreachable_server_offers_to_work_offline(qtbot, wizard: FirstRunWizard) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    go_online(qtbot, wizard, url, "hoa", "mật-khẩu-hoa")
    finish(qtbot, wizard)
    wait_done(qtbot, wizard)
    assert wizard.currentId() == PAGE_SERVER
    text = wizard.server_page.message.text()
    assert "Không kết nối được máy chủ" in text and "ngoại tuyến" in text
    assert not wizard.root.exists() and leftovers(wizard) == []
    # The person chooses to work offline; everything typed is still there.
    wizard.server_page.offline.click()
    wizard.next()
    assert wizard.commune_page.commune_code == "09661"
    wizard.next()
    assert wizard.currentId() == PAGE_PASSPHRASE
    assert wizard.passphrase_page.second.text() == PASSPHRASE
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.workspace is not None, timeout=60_000)
    store = wizard.workspace.open_store()
    assert store.setting("server.url") is None
    store.db.close()


def test_the_commune_list_model_passes_the_model_tester(qtmodeltester) -> None:
    from ui.wizard import CODE_ROLE, CommuneListModel

    model = CommuneListModel()
    qtmodeltester.check(model, force_py=True)
    codes = [model.index(row, 0).data(CODE_ROLE) for row in range(model.rowCount())]
    assert "09661" in codes and len(codes) == len(set(codes))  # keyed by code, never by name

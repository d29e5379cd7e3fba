"""The main window on real widgets offscreen, over a real SQLCipher profile: navigation, the
global search, and a whole intake by keyboard to the citizen's slip saved as PDF."""

from __future__ import annotations

from pathlib import Path

import pypdf
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from tests.conftest import dossier_input
from tests.ui_support import type_text, wait_idle
from ui.main_window import MainWindow


def open_window(qtbot, desk) -> MainWindow:
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    wait_idle(qtbot, desk)
    return window


def key(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifier)


def test_navigation_has_the_dossiers_both_registers_sync_and_settings(qtbot, desk) -> None:
    window = open_window(qtbot, desk)
    names = [window.nav.item(row).text() for row in range(window.nav.count())]
    assert names == ["Hồ sơ", "Văn bản đến", "Văn bản đi", "Đồng bộ", "Cài đặt"]
    for row, page in enumerate((window.dossiers, window.incoming, window.outgoing,
                                window.sync_page, window.settings_page)):
        window.nav.setCurrentRow(row)
        assert window.pages.currentWidget() is page
    window.show_page(window.sync_page)
    assert window.nav.currentRow() == 3
    window.nav.setCurrentRow(0)
    assert window.pages.currentWidget() is window.dossiers


def test_a_whole_intake_by_keyboard_ends_in_a_pdf_slip(qtbot, desk, tmp_path: Path) -> None:
    window = open_window(qtbot, desk)
    window.search.setFocus()
    key(Qt.Key.Key_F2)  # "Tiếp nhận hồ sơ mới"
    intake = window.dossiers.intake
    assert window.dossiers.currentIndex() == 2
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is intake.picker.search)

    QTest.keyClicks(QApplication.focusWidget(), "khai sinh")
    key(Qt.Key.Key_Return)
    type_text(QApplication.focusWidget(), "Trần Văn Đức")
    wait_idle(qtbot, desk)
    with qtbot.waitSignal(intake.saved, timeout=15_000) as saved:
        key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    code = saved.args[0]["code"]
    wait_idle(qtbot, desk)

    offer = window.findChild(QMessageBox, "receiptOffer")
    assert offer is not None and code in offer.text()
    [save] = [b for b in offer.findChildren(QPushButton) if b.text() == "Lưu PDF"]
    with qtbot.waitSignal(window.slip_saved, timeout=15_000) as written:
        save.click()
        wait_idle(qtbot, desk)
    path = Path(written.args[0])
    assert path.name == f"{code}-mau-01.pdf"
    assert path.stat().st_mode & 0o077 == 0  # personal data: the owner's only
    text = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).split())
    assert code in text
    assert "17 giờ 00 phút, ngày 06 tháng 01 năm 2026" in text  # same day, received 09:00
    assert "Trần Văn Đức" in text


def test_the_global_search_finds_names_with_or_without_diacritics(qtbot, desk) -> None:
    store = desk.workspace.open_store()
    for name in ("Nguyễn Văn Đức", "Lê Thị Hoa", "Phạm Minh Đức"):
        store.create_dossier(dossier_input(applicant={**dossier_input()["applicant"],
                                                      "full_name": name, "id_number": None}))
    store.db.close()
    window = open_window(qtbot, desk)
    listing = window.dossiers.list

    def names() -> list[str]:
        model = listing.model
        return sorted(model.index(row, 1).data() for row in range(model.rowCount()))

    qtbot.waitUntil(lambda: len(names()) == 3 and "…" not in names(), timeout=10_000)
    for query in ("duc", "Đức"):
        window.search.setText("")
        window.search.setFocus()
        type_text(window.search, query)
        wait_idle(qtbot, desk)
        qtbot.waitUntil(lambda: names() == ["Nguyễn Văn Đức", "Phạm Minh Đức"], timeout=10_000)
    window.search.clear()
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: len(names()) == 3, timeout=10_000)

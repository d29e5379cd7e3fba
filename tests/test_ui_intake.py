"""The intake form (ui/intake.py) on real widgets offscreen, over a real SQLCipher profile.

Keyboard input goes to whichever widget has the focus (``QApplication.focusWidget``), so the
full-intake test proves the tab order and the Enter/Ctrl+S keys, not just the widgets.
Vietnamese text is typed one character at a time (tests/ui_support.type_text, PITFALLS.md).
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.catalogue import Catalogue
from app.dossier import parse_time
from app.intake import check_person, find_procedures, parse_date_of_birth, sniff_media_type
from tests.ui_support import type_text, wait_idle
from ui.intake import IntakePage

TODAY = date(2026, 1, 6)


# ---------------------------------------------------------------- helpers


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def open_page(qtbot, desk) -> IntakePage:
    page = IntakePage(desk)
    qtbot.addWidget(page)
    page.resize(900, 1000)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    wait_idle(qtbot, desk)
    return page


def choose(qtbot, desk, page: IntakePage, query: str) -> None:
    page.picker.search.setFocus()
    page.picker.search.setText(query)
    QTest.keyClick(page.picker.search, Qt.Key.Key_Return)
    wait_idle(qtbot, desk)


def store_of(desk):
    return desk.workspace.open_store()


def make_png(path: Path, width: int, height: int) -> Path:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.fillRect(width // 4, height // 4, width // 2, height // 2, QColor("navy"))
    painter.end()
    assert image.save(str(path), "PNG")
    return path


def make_pdf(path: Path, size: int) -> Path:
    body = os.urandom(max(size - 20, 0))
    path.write_bytes((b"%PDF-1.4\n" + body + b"\n%%EOF\n")[:size])
    return path


# ---------------------------------------------------------------- pure helpers


def test_procedure_search_ignores_diacritics_and_ranks_the_plain_procedure_first() -> None:
    procedures = Catalogue.load().current(TODAY)
    assert find_procedures(procedures, "khai sinh")[0].code == "1.001193"
    assert find_procedures(procedures, "khai sinh")[0].name == "Thủ tục đăng ký khai sinh"
    assert find_procedures(procedures, "dang ky ket hon")[0].code == "1.000894"
    assert find_procedures(procedures, "ĐĂNG KÝ KẾT HÔN")[0].code == "1.000894"
    # decomposed input (a keyboard that types combining marks) finds the same
    assert find_procedures(procedures, "ke\u0302\u0301t ho\u0302n")[0].code == "1.000894"
    assert [p.code for p in find_procedures(procedures, "1.000656")] == ["1.000656"]
    assert find_procedures(procedures, "khong co thu tuc nay") == []
    assert len(find_procedures(procedures, "")) == len(procedures)


def test_dates_of_birth_as_officers_type_them() -> None:
    assert parse_date_of_birth("02/03/1985", TODAY).iso == "1985-03-02"
    assert parse_date_of_birth("2.3.1985", TODAY).iso == "1985-03-02"
    assert parse_date_of_birth("02031985", TODAY).display == "02/03/1985"
    assert parse_date_of_birth("1950", TODAY).iso == "1950"
    assert parse_date_of_birth("", TODAY).iso is None
    assert parse_date_of_birth("", TODAY).problem is None
    assert parse_date_of_birth("31/02/1990", TODAY).problem == "dob_invalid"
    assert parse_date_of_birth("07/01/2026", TODAY).problem == "dob_future"
    found = check_person({"id_number": "001190012345", "date_of_birth": "15/04/1992",
                          "sex": "male", "phone": "123", "email": "a@b"}, TODAY)
    assert {w.code for w in found["id_number"]} == {"id_birth_year_mismatch", "id_sex_mismatch"}
    assert [w.code for w in found["phone"]] == ["phone_invalid"]
    assert [w.code for w in found["email"]] == ["email_invalid"]
    assert sniff_media_type(b"%PDF-1.7\n") == "application/pdf"
    assert sniff_media_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff_media_type(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert sniff_media_type(b"GIF89a") is None


# ---------------------------------------------------------------- the form


def test_a_full_intake_by_keyboard_only(qtbot, desk) -> None:
    page = open_page(qtbot, desk)
    assert focused() is page.picker.search
    assert not page.save_button.isEnabled()

    QTest.keyClicks(focused(), "khai sinh")  # no diacritics
    press(Qt.Key.Key_Return)
    assert page.procedure is not None and page.procedure.code == "1.001193"
    assert "Hộ tịch" in page.picker.details.text()
    assert "Trong ngày" in page.picker.details.text()
    assert focused() is page.applicant.full_name
    assert not page.save_button.isEnabled()  # no name yet

    type_text(focused(), "Nguyễn Thị Mai")
    press(Qt.Key.Key_Return)
    assert focused() is page.applicant.id_number
    QTest.keyClicks(focused(), "001190012345")  # a woman born in 1990 ...
    press(Qt.Key.Key_Return)
    assert focused() is page.applicant.date_of_birth
    QTest.keyClicks(focused(), "15041992")  # ... but the papers say 1992
    press(Qt.Key.Key_Return)
    assert page.applicant.date_of_birth.text() == "15/04/1992"
    assert focused() is page.applicant.sex
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    assert page.applicant.sex.currentText() == "Nữ"
    press(Qt.Key.Key_Return)
    assert focused() is page.applicant.phone
    QTest.keyClicks(focused(), "0912 345 678")
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Return)  # no e-mail
    assert focused() is page.applicant.address
    type_text(focused(), "Thôn Bắc Hà, xã Minh Châu")

    warning = page.applicant.warning_labels["id_number"].message()
    assert "1990" in warning and "1992" in warning and "năm sinh" in warning
    assert page.applicant.warning_labels["phone"].message() == ""

    press(Qt.Key.Key_Return)
    assert focused() is page.add_co_button
    press(Qt.Key.Key_Tab)
    first_paper, second_paper = page.papers.checkboxes()[:2]
    assert focused() is first_paper
    assert not first_paper.isChecked()  # nothing is pre-ticked
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Tab)  # the paper's form, enabled once ticked
    press(Qt.Key.Key_Tab)  # its count
    press(Qt.Key.Key_Up)  # 1 -> 2 copies
    press(Qt.Key.Key_Tab)
    assert focused() is second_paper
    press(Qt.Key.Key_Space)
    assert page.save_button.isEnabled()  # the warning does not block saving

    wait_idle(qtbot, desk)
    shown_due = page.due_at
    assert page.due_text() == "17 giờ 00 phút, ngày 06/01/2026"  # same day, before 15:00
    assert "17 giờ 00 phút, ngày 06/01/2026" in page.due_label.text()

    with qtbot.waitSignal(page.saved, timeout=15_000) as signal:
        press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, desk)
    record = signal.args[0]
    code = record["code"]
    assert code.startswith("09661-260106-")  # commune, day of receipt, number
    assert page.result_banner.text() == f"Đã tiếp nhận hồ sơ {code}"
    assert page.result_banner.isVisible()

    store = store_of(desk)
    try:
        stored = store.record(code)
    finally:
        store.db.close()
    assert stored == record
    assert stored["procedure_code"] == "1.001193"
    assert stored["applicant"] == {
        "full_name": "Nguyễn Thị Mai", "id_number": "001190012345",
        "date_of_birth": "1992-04-15", "sex": "female", "phone": "+84912345678",
        "email": None, "address": "Thôn Bắc Hà, xã Minh Châu"}
    assert stored["papers"] == [
        {"name": "Tờ khai đăng ký khai sinh", "form": "original", "count": 2},
        {"name": "Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh", "form": "original",
         "count": 1}]
    assert stored["channel"] == 1 and stored["sets_count"] == 1
    assert stored["result_delivery"] == "counter"
    assert stored["received_by"] == "Nguyễn Thị Hoa"
    assert parse_time(stored["due_at"]) == shown_due  # what was shown is what was stored

    # cleared for the next citizen, the cursor back in the procedure search
    assert page.procedure is None
    assert page.applicant.is_empty()
    assert page.papers.checkboxes() == []
    assert page.picker.search.text() == ""
    assert not page.save_button.isEnabled()
    assert focused() is page.picker.search


def test_the_due_time_follows_the_clock_every_minute(qtbot, desk) -> None:
    page = open_page(qtbot, desk)
    assert page.due_text() == ""
    choose(qtbot, desk, page, "chung thuc ban sao tu ban chinh")
    assert page.procedure.code == "2.000815"  # same day
    assert page.due_text() == "17 giờ 00 phút, ngày 06/01/2026"
    desk.workspace.clock.advance(timedelta(hours=6, minutes=1))  # 15:01: past the cut-off
    page._due_timer.timeout.emit()  # what the minute timer does
    wait_idle(qtbot, desk)
    assert page.due_text() == "17 giờ 00 phút, ngày 07/01/2026"
    choose(qtbot, desk, page, "thanh lap ho kinh doanh")  # 3 working days from 15:01
    assert page.procedure.code == "1.001612"
    assert page.due_text() == "15 giờ 01 phút, ngày 09/01/2026"


def test_saving_needs_a_procedure_and_a_name(qtbot, desk) -> None:
    page = open_page(qtbot, desk)
    page.applicant.full_name.setText("Lê Văn Tám")
    assert not page.save_button.isEnabled()
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # does nothing, moves the cursor
    wait_idle(qtbot, desk)
    assert focused() is page.picker.search
    choose(qtbot, desk, page, "chung thuc di chuc")
    assert page.procedure.code == "2.001019"
    assert "50.000 đồng" in page.picker.details.text()
    assert "2 ngày làm việc" in page.picker.details.text()
    assert page.save_button.isEnabled()
    page.applicant.full_name.setText("   ")
    assert not page.save_button.isEnabled()


def test_a_marriage_with_a_co_applicant(qtbot, desk) -> None:
    page = open_page(qtbot, desk)
    choose(qtbot, desk, page, "dang ky ket hon")
    assert page.procedure.code == "1.000894"
    # marriage results are handed over at the counter only
    assert [page.result_delivery.itemData(i) for i in range(page.result_delivery.count())] \
        == ["counter"]
    page.applicant.full_name.setText("Phạm Văn Hùng")
    page.applicant.sex.setCurrentIndex(1)
    page.add_co_button.click()
    assert focused() is page.co_applicant_forms()[0].full_name
    type_text(focused(), "Đỗ Thị Lan")
    second = page.add_co_applicant()
    page._co_blocks[1].remove_button.click()  # added by mistake: removed again
    assert page.co_applicant_forms() == [page.co_applicant_forms()[0]]
    assert second not in page.co_applicant_forms()
    page.co_applicant_forms()[0].date_of_birth.setText("1/1/2099")
    assert "tương lai" in page.co_applicant_forms()[0].warning_labels["date_of_birth"].message()
    page.co_applicant_forms()[0].date_of_birth.setText("01/01/1998")
    wait_idle(qtbot, desk)
    assert page.due_text() == "17 giờ 00 phút, ngày 06/01/2026"
    with qtbot.waitSignal(page.saved, timeout=15_000) as signal:
        page.save_button.click()
    wait_idle(qtbot, desk)
    record = signal.args[0]
    assert record["applicant"]["full_name"] == "Phạm Văn Hùng"
    assert [p["full_name"] for p in record["co_applicants"]] == ["Đỗ Thị Lan"]
    assert record["co_applicants"][0]["date_of_birth"] == "1998-01-01"
    assert page.co_applicant_forms() == []


def test_a_large_photo_is_downscaled_and_a_pdf_kept_byte_for_byte(qtbot, desk,
                                                                  tmp_path: Path) -> None:
    page = open_page(qtbot, desk)
    png = make_png(tmp_path / "giay-chung-sinh.png", 2500, 1200)
    small = make_png(tmp_path / "anh-nho.png", 300, 200)
    pdf = make_pdf(tmp_path / "to-khai.pdf", 40_000)
    page.attachments.add_files([png, small, pdf])
    wait_idle(qtbot, desk)
    assert page.attachments.messages() == []
    texts = [page.attachments.list.item(i).text() for i in range(page.attachments.list.count())]
    assert any(t.startswith("giay-chung-sinh.jpg") and "2500×1200" in t for t in texts)
    assert any(t.startswith("to-khai.pdf") for t in texts)

    choose(qtbot, desk, page, "khai tu")
    page.applicant.full_name.setText("Hoàng Văn Long")
    with qtbot.waitSignal(page.saved, timeout=15_000) as signal:
        page.save()
    wait_idle(qtbot, desk)
    assert page.attachments.prepared() == []
    store = store_of(desk)
    try:
        stored = {a["file_name"]: (a, store.attachment_bytes(a["id"]))
                  for a in store.attachments(signal.args[0]["id"])}
    finally:
        store.db.close()
    assert set(stored) == {"giay-chung-sinh.jpg", "anh-nho.png", "to-khai.pdf"}
    meta, data = stored["giay-chung-sinh.jpg"]
    assert meta["media_type"] == "image/jpeg"
    image = QImage.fromData(data)
    assert (image.width(), image.height()) == (2000, 960)
    assert stored["anh-nho.png"][1] == small.read_bytes()  # small enough: kept as it was
    assert stored["anh-nho.png"][0]["media_type"] == "image/png"
    assert stored["to-khai.pdf"][1] == pdf.read_bytes()
    assert stored["to-khai.pdf"][0]["media_type"] == "application/pdf"


def test_the_image_size_limit_is_a_setting(qtbot, desk, tmp_path: Path) -> None:
    store = store_of(desk)
    store.set_setting("attachments.max_image_px", "500")
    store.db.close()
    page = open_page(qtbot, desk)
    page.attachments.add_files([make_png(tmp_path / "scan.png", 1000, 800)])
    wait_idle(qtbot, desk)
    (item,) = page.attachments.prepared()
    assert item.stored_px == (500, 400)
    assert QImage.fromData(item.data).size().toTuple() == (500, 400)


def test_files_over_the_limit_or_of_unknown_type_are_refused(qtbot, desk,
                                                             tmp_path: Path) -> None:
    store = store_of(desk)
    store.set_setting("attachments.max_bytes", "20000")
    store.db.close()
    page = open_page(qtbot, desk)
    big = make_pdf(tmp_path / "qua-lon.pdf", 30_000)
    text = tmp_path / "ghi-chu.pdf"  # its name says PDF, its content does not
    text.write_text("không phải PDF", encoding="utf-8")
    fine = make_pdf(tmp_path / "vua.pdf", 10_000)
    page.attachments.add_files([big, text, fine])
    wait_idle(qtbot, desk)
    assert [item.file_name for item in page.attachments.prepared()] == ["vua.pdf"]
    messages = page.attachments.messages()
    assert any("qua-lon.pdf" in m and "quá lớn" in m for m in messages)
    assert any("ghi-chu.pdf" in m and "JPEG, PNG hoặc tệp PDF" in m for m in messages)
    assert page.attachments.message.isVisible()


def test_a_refused_attachment_leaves_no_dossier_and_keeps_the_form(qtbot, desk,
                                                                   tmp_path: Path) -> None:
    """Dossier and attachments go in one transaction: a failure stores neither."""
    page = open_page(qtbot, desk)
    page.attachments.add_files([make_pdf(tmp_path / "to-khai.pdf", 30_000)])
    wait_idle(qtbot, desk)
    store = store_of(desk)
    store.set_setting("attachments.max_bytes", "20000")  # lowered after the file was read
    choose(qtbot, desk, page, "khai sinh")
    page.applicant.full_name.setText("Vũ Thị Thu")
    page.save()
    wait_idle(qtbot, desk)
    try:
        assert store.list_dossiers() == []
    finally:
        store.db.close()
    assert "Hồ sơ chưa được lưu" in page.error_banner.text()
    assert "tệp đính kèm" in page.error_banner.text()
    assert page.applicant.full_name.text() == "Vũ Thị Thu"
    assert page.procedure is not None
    assert page.save_button.isEnabled()


def test_dropping_a_file_url_attaches_it(qtbot, desk, tmp_path: Path) -> None:
    page = open_page(qtbot, desk)
    pdf = make_pdf(tmp_path / "keo-tha.pdf", 5_000)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf))])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page.attachments, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page.attachments, drop)
    assert drop.isAccepted()
    wait_idle(qtbot, desk)
    (item,) = page.attachments.prepared()
    assert item.file_name == "keo-tha.pdf" and item.data == pdf.read_bytes()
    assert page.attachments.list.count() == 1

    not_a_file = QMimeData()
    not_a_file.setText("chỉ là chữ")
    refused = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, not_a_file,
                              Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(page.attachments, refused)
    assert not refused.isAccepted()

    page.attachments.list.setCurrentRow(0)
    page.attachments.list.setFocus()
    press(Qt.Key.Key_Delete)
    assert page.attachments.prepared() == []


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No,
                                    QMessageBox.StandardButton.Yes])
def test_escape_asks_before_clearing_a_filled_form(qtbot, desk, monkeypatch, answer) -> None:
    asked: list[str] = []

    def question(parent, title, text, *args):
        asked.append(title)
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    page = open_page(qtbot, desk)
    press(Qt.Key.Key_Escape)  # an empty form clears without asking
    assert asked == []
    choose(qtbot, desk, page, "khai sinh")
    page.applicant.full_name.setFocus()
    type_text(focused(), "Đinh Văn Cường")
    press(Qt.Key.Key_Escape)
    assert len(asked) == 1
    if answer == QMessageBox.StandardButton.Yes:
        assert page.applicant.is_empty() and page.procedure is None
        assert focused() is page.picker.search
    else:
        assert page.applicant.full_name.text() == "Đinh Văn Cường"
        assert page.procedure is not None


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No,
                                    QMessageBox.StandardButton.Yes])
def test_a_date_of_birth_that_is_no_date_is_only_left_out_when_the_officer_agrees(
        qtbot, desk, monkeypatch, answer) -> None:
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *args: answer))
    page = open_page(qtbot, desk)
    choose(qtbot, desk, page, "khai sinh")
    page.applicant.full_name.setText("Ngô Văn Sáu")
    page.applicant.date_of_birth.setText("31/02/1990")
    assert "không hợp lệ" in page.applicant.warning_labels["date_of_birth"].message()
    saved: list[dict] = []
    page.saved.connect(saved.append)
    page.save()
    wait_idle(qtbot, desk)
    if answer == QMessageBox.StandardButton.Yes:
        assert saved and saved[0]["applicant"]["date_of_birth"] is None
    else:
        assert saved == []
        assert focused() is page.applicant.date_of_birth
        assert page.applicant.date_of_birth.text() == "31/02/1990"


def test_labels_have_mnemonics_and_buddies(qtbot, desk) -> None:
    page = open_page(qtbot, desk)
    choose(qtbot, desk, page, "khai sinh")
    from PySide6.QtWidgets import QLabel

    labels = [label for label in page.findChildren(QLabel) if label.buddy() is not None]
    assert len(labels) >= 11
    assert all("&" in label.text() for label in labels)
    page.applicant.full_name.setFocus()
    press(Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)  # "Giấ&y tờ đã nhận"
    assert focused() is page.papers.checkboxes()[0]
    press(Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # "Số định &danh cá nhân"
    assert focused() is page.applicant.id_number

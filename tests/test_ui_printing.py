"""The citizen's printed forms (ui/printing.py): real dossiers from a real store, real PDFs read
back with pypdf, real Qt print, preview and file dialogs (offscreen), driven by timers.

The QR check samples the picture embedded in the PDF module by module and compares it with the
QR matrix segno makes for the dossier code: a picture of any other text, a blurred or cut one,
fails. (No QR decoder is installed here; matrix equality is the decoding check.)
"""

from __future__ import annotations

import base64
import re
import shutil
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import segno
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.conftest import dossier_input
from ui import printing
from ui.printing import (
    Slip,
    apology_slip,
    receipt_slip,
    refusal_slip,
    save_pdf,
    slip_inputs,
    supplement_slip,
)

A4_POINTS = (595, 842)
DUE_PATTERN = r"\d{2} giờ \d{2} phút, ngày \d{2} tháng \d{2} năm \d{4}"


@pytest.fixture(autouse=True)
def _qt(qapp) -> None:
    """Fonts, documents and printers need the (offscreen) QApplication."""


@pytest.fixture
def dossier(store) -> dict:
    record, _ = store.create_dossier(dossier_input())
    return record


@pytest.fixture
def inputs(store, dossier) -> dict:
    return slip_inputs(store, dossier["id"])


def args(inputs: dict) -> tuple:
    return (inputs["record"], inputs["procedure"], inputs["commune"], inputs["officer"],
            inputs["printed_at"])


def pdf_of(slip: Slip, folder: Path) -> PdfReader:
    path = folder / slip.file_name
    save_pdf(slip, path)
    return PdfReader(path)


def text_of(reader: PdfReader) -> str:
    """The PDF's text, whitespace collapsed (pypdf separates positioned words by tabs)."""
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def qr_modules(width: int, height: int, dark: Callable[[int, int], bool],
               size: int) -> list[list[bool]]:
    """The modules of a ``size``-module QR picture (quiet zone included), sampled at centres."""
    assert width == height, "a QR picture is square"
    assert width % size == 0, f"{width} px is not a whole number of {size} modules"
    step = width // size
    return [[dark(x * step + step // 2, y * step + step // 2) for x in range(size)]
            for y in range(size)]


def expected_modules(text: str) -> list[list[bool]]:
    matrix = [[bool(m) for m in row] for row in segno.make_qr(text, error="m").matrix]
    n = len(matrix) + 8
    quiet = [False] * n
    return [quiet] * 4 + [[False] * 4 + row + [False] * 4 for row in matrix] + [quiet] * 4


def pdf_images(reader: PdfReader) -> list:
    images = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj["/Subtype"] == "/Image":
                images.append(obj)
    return images


# ------------------------------------------------------------------------------------ form 01

def test_receipt_pdf_holds_the_slip(store, dossier, inputs, tmp_path) -> None:
    slip = receipt_slip(*args(inputs))
    assert (slip.form, slip.template_version) == ("01", "01@2025-09-15")
    assert slip.dossier_code == dossier["code"]
    reader = pdf_of(slip, tmp_path)
    assert len(reader.pages) == 1
    assert [round(v) for v in reader.pages[0].mediabox[2:]] == list(A4_POINTS)
    text = text_of(reader)
    assert unicodedata.is_normalized("NFC", text)
    for expected in (
        "ỦY BAN NHÂN DÂN XÃ MINH CHÂU",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Minh Châu, ngày 06 tháng 01 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier['code']}",
        "Ông/Bà: Nguyễn Văn Đức", "Số định danh cá nhân: 001085012345",
        "Địa chỉ: Thôn Bắc Hà, xã Minh Châu", "Số điện thoại: 0912 345 678",
        "Nội dung yêu cầu giải quyết: Thủ tục đăng ký khai sinh (mã thủ tục 1.001193)",
        "1 Tờ khai đăng ký khai sinh Bản chính 1", "Số lượng hồ sơ: 01 bộ",
        "Thời gian giải quyết hồ sơ theo quy định: Trong ngày làm việc",
        "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 06 tháng 01 năm 2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 06 tháng 01 năm 2026",
        "Hình thức nhận kết quả: Nhận trực tiếp tại Trung tâm Phục vụ hành chính công",
        f"Số thứ tự: {dossier['code'][-4:]}",
        "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Nguyễn Thị Hoa",
        f"Mã tra cứu: {dossier['code']}",
        "Mẫu 01@2025-09-15 (Mẫu số 01, Phụ lục I, Thông tư 03/2025/TT-VPCP)",
    ):
        assert expected in text, expected


def test_receipt_fonts_are_embedded_and_draw_vietnamese(dossier, inputs, tmp_path) -> None:
    family = printing.slip_font_family()
    assert family is not None, "no installed font draws Vietnamese (install fonts-dejavu-core)"
    reader = pdf_of(receipt_slip(*args(inputs)), tmp_path)
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() \
            if "/DescendantFonts" in font else font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font["/BaseFont"]
    assert any(family.replace(" ", "") in str(font["/BaseFont"]) for font in fonts)


def test_receipt_qr_in_the_pdf_encodes_the_dossier_code(dossier, inputs, tmp_path) -> None:
    code = dossier["code"]
    images = pdf_images(pdf_of(receipt_slip(*args(inputs)), tmp_path))
    assert len(images) == 1
    image = images[0]
    width, height = int(image["/Width"]), int(image["/Height"])
    channels = {"/DeviceRGB": 3, "/DeviceGray": 1}[image["/ColorSpace"]]
    assert image["/BitsPerComponent"] == 8
    data = image.get_data()

    def dark(x: int, y: int) -> bool:
        return data[(y * width + x) * channels] < 128

    expected = expected_modules(code)
    assert qr_modules(width, height, dark, len(expected)) == expected
    other = code[:-1] + ("1" if code[-1] != "1" else "2")
    assert qr_modules(width, height, dark, len(expected)) != expected_modules(other)


def test_receipt_html_qr_picture_matches_too(dossier, inputs) -> None:
    slip = receipt_slip(*args(inputs))
    found = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', slip.html)
    assert found
    picture = QImage.fromData(base64.b64decode(found[1]))
    expected = expected_modules(dossier["code"])
    modules = qr_modules(picture.width(), picture.height(),
                         lambda x, y: picture.pixelColor(x, y).lightness() < 128, len(expected))
    assert modules == expected


def test_receipt_of_a_multi_day_procedure_by_post(store, tmp_path) -> None:
    """Marital-status certificate: 3 working days (+3 for checks), received Monday 05/01/2026
    09:00 (stored in UTC), due Thursday 08/01/2026 09:00 in Hà Nội."""
    record, _ = store.create_dossier(dossier_input(
        procedure_code="1.004873", received_at="2026-01-05T02:00:00Z", sets_count=2,
        result_delivery="post",
        papers=[{"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "form": "original",
                 "count": 1},
                {"name": "Giấy tờ chứng minh nhân thân", "form": "certified_copy", "count": 2},
                {"name": "Giấy tờ chứng minh nơi cư trú", "form": "copy", "count": 1}]))
    inputs = slip_inputs(store, record["id"])
    text = text_of(pdf_of(receipt_slip(*args(inputs)), tmp_path))
    for expected in (
        "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 05 tháng 01 năm 2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 08 tháng 01 năm 2026",
        "3 ngày làm việc; có thể kéo dài thêm không quá 3 ngày làm việc nếu cần xác minh",
        "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", "Số lượng hồ sơ: 02 bộ",
        "2 Giấy tờ chứng minh nhân thân Bản sao chứng thực 2",
        "3 Giấy tờ chứng minh nơi cư trú Bản sao 1",
        "Qua dịch vụ bưu chính công ích",
    ):
        assert expected in text, expected


def test_every_value_from_the_record_prints_literally(store, tmp_path) -> None:
    name = '<b>Lê</b> & "Thị" $code'
    record, _ = store.create_dossier(dossier_input(
        applicant={"full_name": name, "address": "<img src=x> Thôn 1",
                   "email": "a&b@example.vn"},
        papers=[{"name": "Tờ khai <i>gốc</i>", "form": "original", "count": 1}]))
    inputs = slip_inputs(store, record["id"])
    slip = receipt_slip(*args(inputs))
    assert "<b>Lê</b>" not in slip.html and "<img src=x>" not in slip.html
    assert "&lt;b&gt;Lê&lt;/b&gt; &amp; &quot;Thị&quot; $code" in slip.html
    text = text_of(pdf_of(slip, tmp_path))
    for literal in (name, "<img src=x> Thôn 1", "a&b@example.vn", "Tờ khai <i>gốc</i>"):
        assert literal in text, literal
    refusal = refusal_slip(*args(inputs), reason="<script>alert(1)</script>\nDòng hai")
    assert "<script>" not in refusal.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Dòng hai" in refusal.html


# ------------------------------------------------------------------------------------ 02–04

def test_supplement_slip_lists_missing_papers_and_reason(dossier, inputs, tmp_path) -> None:
    slip = supplement_slip(*args(inputs), missing_papers=[
        "Giấy chứng sinh (bản chính)", "Văn bản ủy quyền có chứng thực"],
        reason="Thiếu giấy chứng sinh của trẻ")
    assert (slip.form, slip.template_version) == ("02", "02@2025-09-15")
    text = text_of(pdf_of(slip, tmp_path))
    for expected in ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "ỦY BAN NHÂN DÂN XÃ MINH CHÂU",
                     "Độc lập - Tự do - Hạnh phúc", "Minh Châu, ngày 06 tháng 01 năm 2026",
                     f"Mã hồ sơ: {dossier['code']}", "Nguyễn Văn Đức",
                     "Thủ tục đăng ký khai sinh", "Giấy chứng sinh (bản chính)",
                     "Văn bản ủy quyền có chứng thực", "Lý do: Thiếu giấy chứng sinh của trẻ",
                     "Nguyễn Thị Hoa", "Mẫu 02@2025-09-15"):
        assert expected in text, expected


def test_refusal_slip_gives_the_reason(dossier, inputs, tmp_path) -> None:
    slip = refusal_slip(*args(inputs), reason="Không thuộc thẩm quyền giải quyết của xã")
    assert (slip.form, slip.template_version) == ("03", "03@2025-09-15")
    text = text_of(pdf_of(slip, tmp_path))
    for expected in ("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "ỦY BAN NHÂN DÂN XÃ MINH CHÂU",
                     f"Mã hồ sơ: {dossier['code']}", "Nguyễn Văn Đức",
                     "Không thuộc thẩm quyền giải quyết của xã", "Mẫu 03@2025-09-15"):
        assert expected in text, expected


def test_apology_slip_gives_old_and_new_appointment(dossier, inputs, tmp_path) -> None:
    new_due = datetime(2026, 1, 8, 10, 0, tzinfo=UTC)  # 17:00 in Hà Nội
    slip = apology_slip(*args(inputs), old_due_at=dossier["due_at"], new_due_at=new_due,
                        reason="Cần xác minh thêm với cơ quan khác")
    assert (slip.form, slip.template_version) == ("04", "04@2025-09-15")
    text = text_of(pdf_of(slip, tmp_path))
    for expected in ("XIN LỖI", "ỦY BAN NHÂN DÂN XÃ MINH CHÂU", f"Mã hồ sơ: {dossier['code']}",
                     "Nguyễn Văn Đức",
                     "theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả: "
                     "17 giờ 00 phút, ngày 06 tháng 01 năm 2026",
                     "17 giờ 00 phút, ngày 08 tháng 01 năm 2026",
                     "Lý do: Cần xác minh thêm với cơ quan khác", "Mẫu 04@2025-09-15"):
        assert expected in text, expected


def test_slips_refuse_what_the_law_does_not_allow(inputs) -> None:
    with pytest.raises(ValueError):
        supplement_slip(*args(inputs), missing_papers=[" "], reason="x")
    with pytest.raises(ValueError):
        refusal_slip(*args(inputs), reason="  ")
    with pytest.raises(ValueError):
        apology_slip(*args(inputs), old_due_at="2026-01-06T17:00:00+07:00",
                     new_due_at="2026-01-06T16:00:00+07:00", reason="x")


# ------------------------------------------------------------------------------------ times

def test_times_are_written_in_hanoi_time() -> None:
    assert printing.time_text("2026-01-05T18:30:00Z") == \
        "01 giờ 30 phút, ngày 06 tháng 01 năm 2026"
    assert printing.time_text(datetime(2025, 12, 31, 9, 5, tzinfo=UTC)) == \
        "16 giờ 05 phút, ngày 31 tháng 12 năm 2025"
    assert re.fullmatch(DUE_PATTERN, printing.time_text("2026-03-09T08:00:00+07:00"))
    # The place-and-date line: leading zeros for days below 10 and for months 1 and 2 only.
    assert printing.date_line("2026-02-03T08:00:00+07:00") == "ngày 03 tháng 02 năm 2026"
    assert printing.date_line("2025-09-15T08:00:00+07:00") == "ngày 15 tháng 9 năm 2025"
    assert printing.date_line("2025-12-31T20:00:00Z") == "ngày 01 tháng 01 năm 2026"
    with pytest.raises(ValueError):
        printing.time_text(datetime(2026, 1, 6, 9, 0))


# ------------------------------------------------------------------------------------ templates

def test_each_form_has_one_versioned_template_naming_its_legal_basis() -> None:
    found = {t.form: t for t in printing.templates()}
    assert sorted(found) == list(printing.FORM_NUMBERS)
    for form, template in found.items():
        assert template.version == f"{form}@2025-09-15"
        assert "03/2025/TT-VPCP" in template.legal_basis
        assert "<!--" not in template.page  # fragments, labels and notes are not printed


def test_the_version_in_force_on_the_print_date_is_used(monkeypatch, tmp_path, inputs) -> None:
    forms = tmp_path / "forms"
    shutil.copytree(printing.FORMS_DIR, forms)
    newer = (forms / "01@2025-09-15.html").read_text("utf-8")
    newer = newer.replace("01@2025-09-15", "01@2027-03-01").replace(
        '"effective-from" content="2025-09-15"', '"effective-from" content="2027-03-01"')
    (forms / "01@2027-03-01.html").write_text(newer, "utf-8")
    monkeypatch.setattr(printing, "FORMS_DIR", forms)
    printing.templates.cache_clear()
    try:
        assert printing.template_for("01", date(2027, 2, 28)).version == "01@2025-09-15"
        assert printing.template_for("01", date(2027, 3, 1)).version == "01@2027-03-01"
        record, procedure, commune, officer, _ = args(inputs)
        later = receipt_slip(record, procedure, commune, officer,
                             datetime(2027, 3, 1, 8, 0, tzinfo=printing.VN_TZ))
        assert later.template_version == "01@2027-03-01"
        assert "Mẫu 01@2027-03-01" in later.html
        bad = forms / "02@2030-01-01.html"
        bad.write_text(newer, "utf-8")  # says 01@2027-03-01 inside: refused
        printing.templates.cache_clear()
        with pytest.raises(printing.TemplateError):
            printing.templates()
    finally:
        printing.templates.cache_clear()


# ------------------------------------------------------------------------------------ data

def test_slip_inputs_are_plain_data_and_the_read_is_logged(store, dossier) -> None:
    inputs = slip_inputs(store, dossier["code"])
    assert inputs["record"]["id"] == dossier["id"]
    assert inputs["procedure"]["name"] == "Thủ tục đăng ký khai sinh"
    assert inputs["commune"] == {"name": "Xã Minh Châu", "province": "Thành phố Hà Nội",
                                 "code": "09661", "unit_id": "09661"}
    assert inputs["officer"] == inputs["receiving_officer"] == "Nguyễn Thị Hoa"
    assert inputs["printed_at"] == datetime(2026, 1, 6, 2, 0, tzinfo=UTC)
    logged = store.db.execute(
        "SELECT actor, action, record_id FROM access_log WHERE action = 'print'").fetchall()
    assert logged == [("Nguyễn Thị Hoa", "print", dossier["id"])]


def test_slip_inputs_run_on_the_database_worker(desk, qtbot) -> None:
    from tests.ui_support import wait_idle

    created: list = []
    desk.tasks.db(lambda store: store.create_dossier(dossier_input())[0], done=created.append)
    wait_idle(qtbot, desk)
    got: list = []
    desk.tasks.db(lambda store: slip_inputs(store, created[0]["id"]), done=got.append)
    wait_idle(qtbot, desk)
    slip = receipt_slip(*args(got[0]))  # on the GUI thread, from plain data only
    assert created[0]["code"] in slip.html


# ------------------------------------------------------------------------------------ dialogs

def when_modal(qtbot, kind: type, act: Callable, timeout_ms: int = 15_000) -> list:
    """Run ``act(dialog)`` once a modal dialog of ``kind`` is up; what it returns is kept.

    Should that dialog not come, whatever modal dialog is up is closed after ``timeout_ms`` so
    the test fails on its assertions instead of hanging."""
    seen: list = []
    polls = iter(range(timeout_ms // 50))

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            seen.append(act(dialog))
        elif next(polls, None) is None:
            if dialog is not None:
                dialog.close()
        else:
            QTimer.singleShot(50, poll)

    QTimer.singleShot(50, poll)
    return seen


def test_print_slip_prints_through_the_print_dialog(qtbot, dossier, inputs, tmp_path) -> None:
    slip = receipt_slip(*args(inputs))
    printer = printing.new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    titles = when_modal(qtbot, QPrintDialog, lambda d: (d.windowTitle(), d.accept())[0])
    assert printing.print_slip(slip, None, printer) is True
    assert titles == ["In phiếu"]
    reader = PdfReader(tmp_path / "printed.pdf")
    assert [round(v) for v in reader.pages[0].mediabox[2:]] == list(A4_POINTS)
    assert dossier["code"] in text_of(reader) and "Nguyễn Văn Đức" in text_of(reader)


def test_print_slip_cancelled_prints_nothing(qtbot, inputs, tmp_path) -> None:
    printer = printing.new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "cancelled.pdf"))
    when_modal(qtbot, QPrintDialog, lambda d: d.reject())
    assert printing.print_slip(receipt_slip(*args(inputs)), None, printer) is False
    assert not (tmp_path / "cancelled.pdf").exists()


def test_preview_shows_the_slip_on_one_page(qtbot, inputs) -> None:
    def look(dialog: QPrintPreviewDialog) -> tuple[str, int]:
        pages = dialog.findChild(QPrintPreviewWidget).pageCount()
        dialog.reject()
        return dialog.windowTitle(), pages

    seen = when_modal(qtbot, QPrintPreviewDialog, look)
    printing.preview_slip(receipt_slip(*args(inputs)), None)
    assert seen == [("Xem trước phiếu", 1)]


def test_ask_save_pdf_offers_the_slip_name(qtbot, dossier, inputs, tmp_path) -> None:
    titles = when_modal(qtbot, QFileDialog, lambda d: (d.windowTitle(), d.accept())[0])
    path = printing.ask_save_pdf(receipt_slip(*args(inputs)), None, tmp_path)
    assert titles == ["Lưu phiếu thành PDF"]
    assert path == tmp_path / f"{dossier['code']}-mau-01.pdf"
    assert dossier["code"] in text_of(PdfReader(path))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".slip-")] == []


def test_ask_save_pdf_cancelled_writes_nothing(qtbot, inputs, tmp_path) -> None:
    when_modal(qtbot, QFileDialog, lambda d: d.reject())
    assert printing.ask_save_pdf(receipt_slip(*args(inputs)), None, tmp_path) is None
    assert list(tmp_path.glob("*.pdf")) == []

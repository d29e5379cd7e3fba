"""The registers of Decree 30/2020 print to PDF and export to Excel with every column of the
decree's templates, every field of every record, and the cover (year, from-to numbers, volume).
The PDF is read back with pypdf, the workbook with openpyxl."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pypdf
import pytest

from app.register_export import (
    COLUMNS,
    EMPTY_NOTICE,
    SHEET_NAMES,
    TITLES,
    RegisterExportError,
    committee_name,
    export_register,
)

ROOT = Path(__file__).resolve().parents[1]
COMMUNE = {"name": "Xã Minh Châu", "province": "Thành phố Hà Nội", "code": "09661"}
FROM, TO = date(2026, 1, 1), date(2026, 3, 31)
ARRIVALS = datetime(2026, 1, 1, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def incoming(number: int, **changes) -> dict:
    record = {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "register_year": 2026,
        "series": "ordinary",
        "arrival_number": number,
        "arrived_at": (ARRIVALS + timedelta(days=number, minutes=number)).isoformat(),
        "author": "Ủy ban nhân dân huyện Ba Vì" if number % 2 else "Sở Tư pháp thành phố Hà Nội",
        "number_symbol": f"{number + 100}/UBND-VP" if number % 3 == 0 else f"{number:02d}/TB-UBND",
        "document_date": (date(2026, 1, 1) + timedelta(days=number - 1)).isoformat(),
        "doc_type": "CV" if number % 3 == 0 else "TB",
        "summary": f"Về việc kiểm tra công tác đăng ký hộ tịch đợt {number}",
        "urgency": "normal",
        "secrecy": "none",
        "recipient": "Công chức Tư pháp – Hộ tịch",
        "forwarded_at": (ARRIVALS + timedelta(days=number + 1)).date().isoformat(),
        "notes": None,
        "source": "paper",
        "status": "registered",
        "lead": None,
        "coordinators": [],
        "deadline": None,
    }
    record.update(changes)
    return record


def outgoing(number: int, **changes) -> dict:
    record = {
        "id": f"10000000-0000-4000-8000-{number:012d}",
        "register_year": 2026,
        "series": "ordinary",
        "doc_type": "CV" if number % 4 == 0 else "QĐ",
        "summary": f"Về việc phê duyệt kế hoạch chuyển đổi số năm 2026, đợt {number}",
        "issuer": "UBND",
        "drafting_unit": "VP",
        "number": number,
        "symbol": f"{number:02d}/UBND-VP" if number % 4 == 0 else f"{number:02d}/QĐ-UBND",
        "issued_at": f"2026-02-{number:02d}T10:00:00+07:00",
        "signer": "Nguyễn Văn Đức",
        "recipients": ["Ủy ban nhân dân thành phố Hà Nội", "Các thôn trong xã", "Lưu: VT"],
        "archive_unit": "Văn phòng HĐND và UBND",
        "copies": 3 + number,
        "forwarded_at": f"2026-02-{number + 1:02d}",
        "status": "issued",
        "urgency": "normal",
        "secrecy": "none",
        "notes": None,
    }
    record.update(changes)
    return record


INCOMING = [
    *(incoming(n) for n in range(1, 13)),
]
INCOMING[2] = incoming(3, urgency="flash", source="electronic",
                       notes="Nhận qua trục liên thông văn bản quốc gia")
INCOMING[4] = incoming(5, status="in_progress", lead="Phó Chủ tịch Lê Văn Hùng",
                       coordinators=["Công an xã", "Trạm Y tế xã"],
                       deadline="2026-01-25T17:00:00+07:00", directed_by="Chủ tịch Trần Văn An",
                       directed_at="2026-01-07T09:00:00+07:00", assigned_to="Đỗ Thị Mai",
                       reply_id="10000000-0000-4000-8000-000000000004")
OUTGOING = [outgoing(n) for n in range(1, 10)]
OUTGOING[1] = outgoing(2, status="void", void_reason="In sai trích yếu")
OUTGOING[2] = outgoing(3, urgency="urgent")
REPLIES = {"10000000-0000-4000-8000-000000000004": "04/UBND-VP"}


def flat(text: str) -> str:
    """Whitespace folded: a cell's text wraps over lines in the PDF."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(path: Path) -> list[str]:
    return [flat(page.extract_text()) for page in pypdf.PdfReader(path).pages]


def export(tmp_path: Path, kind: str, records, fmt: str = "pdf", **kwargs) -> Path:
    path = tmp_path / f"{kind}.{fmt}"
    options = {"commune": COMMUNE, "year": 2026, "date_from": FROM, "date_to": TO,
               "replies": REPLIES}
    options.update(kwargs)
    export_register(kind, records, fmt=fmt, path=path, **options)
    return path


def dmy(value: str) -> str:
    return datetime.fromisoformat(value).strftime("%d/%m/%Y")


# --- the decree's columns -----------------------------------------------------------------------


def test_the_columns_are_the_decrees_templates() -> None:
    headers = {kind: [c.header for c in columns] for kind, columns in COLUMNS.items()}
    assert headers["incoming"] == [
        "Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
        "Tên loại và trích yếu nội dung văn bản", "Đơn vị hoặc người nhận", "Ngày chuyển",
        "Ký nhận", "Ghi chú"]
    assert headers["outgoing"] == [
        "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản",
        "Người ký", "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản",
        "Ngày chuyển", "Ký nhận", "Ghi chú"]
    assert headers["followup"] == [
        "Số đến",
        "Tên loại, số, ký hiệu, ngày, tháng và tên cơ quan, tổ chức ban hành văn bản",
        "Đơn vị hoặc người nhận", "Thời hạn giải quyết", "Tiến độ giải quyết",
        "Số, ký hiệu văn bản trả lời", "Ghi chú"]
    for columns in COLUMNS.values():
        assert sum(c.width for c in columns) == pytest.approx(277)  # landscape A4 less 14 + 6 mm margins
        for column in columns:
            assert unicodedata.is_normalized("NFC", column.header)


def test_the_committees_name() -> None:
    assert committee_name(COMMUNE) == "ỦY BAN NHÂN DÂN XÃ MINH CHÂU"
    assert committee_name({"name": "Phường Ba Đình"}) == "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH"
    assert committee_name({"name": "Minh Châu"}) == "ỦY BAN NHÂN DÂN XÃ MINH CHÂU"


# --- PDF ------------------------------------------------------------------------------------------


def test_the_incoming_register_pdf_has_every_column_and_every_field(tmp_path: Path) -> None:
    pages = pdf_pages(export(tmp_path, "incoming", INCOMING))
    text = " ".join(pages[1:])
    for column in COLUMNS["incoming"]:
        assert column.header in text
    for record in INCOMING:
        arrived = datetime.fromisoformat(record["arrived_at"])
        kind = "Công văn" if record["doc_type"] == "CV" else "Thông báo"
        for value in (f"{arrived:%d/%m/%Y}", f"{arrived:%H:%M}",
                      f"{record['arrival_number']:02d}", record["author"],
                      record["number_symbol"], dmy(record["document_date"]),
                      f"{kind}: {record['summary']}", record["recipient"],
                      dmy(record["forwarded_at"])):
            assert flat(value) in text, value
    assert "Hỏa tốc" in text and "Văn bản điện tử" in text
    assert "Nhận qua trục liên thông văn bản quốc gia" in text
    assert "05/TB-UBND" in text and "102/UBND-VP" not in text and "103/UBND-VP" in text


def test_the_outgoing_register_pdf_shows_void_numbers_and_urgency(tmp_path: Path) -> None:
    pages = pdf_pages(export(tmp_path, "outgoing", OUTGOING))
    text = " ".join(pages[1:])
    for column in COLUMNS["outgoing"]:
        assert column.header in text
    for record in OUTGOING:
        name = "Công văn" if record["doc_type"] == "CV" else "Quyết định"
        for value in (record["symbol"], dmy(record["issued_at"]),
                      f"{name}: {record['summary']}", record["signer"],
                      *record["recipients"], record["archive_unit"], str(record["copies"]),
                      dmy(record["forwarded_at"])):
            assert flat(value) in text, value
    assert "ĐÃ HỦY: In sai trích yếu" in text
    assert "Khẩn" in text
    assert "04/UBND-VP" in text and "01/QĐ-UBND" in text


def test_the_followup_register_pdf(tmp_path: Path) -> None:
    text = " ".join(pdf_pages(export(tmp_path, "followup", INCOMING))[1:])
    for column in COLUMNS["followup"]:
        assert flat(column.header) in text
    for record in INCOMING:
        for value in (f"{record['arrival_number']:02d}", record["number_symbol"],
                      record["author"], record["summary"], dmy(record["document_date"])):
            assert flat(value) in text, value
    for value in ("Chủ trì: Phó Chủ tịch Lê Văn Hùng", "Phối hợp: Công an xã, Trạm Y tế xã",
                  "25/01/2026", "Đang giải quyết", "Chỉ đạo: Chủ tịch Trần Văn An (07/01/2026)",
                  "Giao: Đỗ Thị Mai", "04/UBND-VP", "Hỏa tốc"):
        assert value in text, value


def test_the_cover_page(tmp_path: Path) -> None:
    cover = pdf_pages(export(tmp_path, "incoming", INCOMING, volume=2))[0]
    for value in ("THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN XÃ MINH CHÂU", TITLES["incoming"],
                  "Năm: 2026", "Từ ngày: 01/01/2026", "Đến ngày: 31/03/2026",
                  "Từ số: 01", "Đến số: 12", "Quyển số: 02"):
        assert value in cover, value
    assert "Trang" not in cover  # the cover has no page number


def test_numbers_are_in_order_and_the_range_is_kept(tmp_path: Path) -> None:
    records = [*reversed(INCOMING),
               incoming(13, arrived_at="2026-04-02T08:00:00+07:00"),  # after the range
               incoming(98, arrived_at="2025-12-31T23:00:00+07:00", register_year=2025)]
    pages = pdf_pages(export(tmp_path, "incoming", records))
    text = " ".join(pages[1:])
    positions = [text.index(f"{n:02d}/TB-UBND") for n in (1, 2, 4, 5, 7, 8, 10, 11)]
    assert positions == sorted(positions)
    assert "13/TB-UBND" not in text and "98/TB-UBND" not in text
    assert "Đến số: 12" in pages[0]


def test_outgoing_drafts_are_not_in_the_register(tmp_path: Path) -> None:
    draft = outgoing(10, summary="Dự thảo chưa ban hành")
    draft.update(status="draft", number=None, symbol=None, issued_at=None)
    text = " ".join(pdf_pages(export(tmp_path, "outgoing", [*OUTGOING, draft])))
    assert "Dự thảo chưa ban hành" not in text
    assert "Từ số: 01 Đến số: 09" in text


def test_pages_are_numbered_and_the_header_repeats(tmp_path: Path) -> None:
    many = [incoming(n) for n in range(1, 61)]
    pages = pdf_pages(export(tmp_path, "incoming", many))
    table_pages = pages[1:]
    assert len(table_pages) >= 3
    for index, page in enumerate(table_pages, start=1):
        assert f"Trang {index}/{len(table_pages)}" in page
        for column in COLUMNS["incoming"]:
            assert column.header in page
        assert "ỦY BAN NHÂN DÂN XÃ MINH CHÂU – SỔ ĐĂNG KÝ VĂN BẢN ĐẾN năm 2026" in page
    text = " ".join(table_pages)
    for n in range(1, 61):
        assert f"Về việc kiểm tra công tác đăng ký hộ tịch đợt {n} " in text + " "


def test_a_row_taller_than_a_page_continues_on_the_next(tmp_path: Path) -> None:
    words = [f"nội-dung-{i}" for i in range(330)]
    long = incoming(2, summary=" ".join(words)[:2000], notes="ghi chú " * 300)
    pages = pdf_pages(export(tmp_path, "incoming", [incoming(1), long, incoming(3)]))
    assert len(pages) >= 3
    text = " ".join(pages[1:])
    for word in words:
        if word in long["summary"]:
            assert word in text
    assert text.index("01/TB-UBND") < text.index("nội-dung-0 ") < text.index("103/UBND-VP")


def test_vietnamese_letters_are_intact(tmp_path: Path) -> None:
    summary = "Về việc hướng dẫn thủ tục đăng ký thường trú, tạm trú; Đặng Thị Ngọc Hưởng"
    record = incoming(1, summary=unicodedata.normalize("NFD", summary),
                      author="Ủy ban nhân dân tỉnh Quảng Trị")
    text = " ".join(pdf_pages(export(tmp_path, "incoming", [record])))
    assert summary in text
    assert "Ủy ban nhân dân tỉnh Quảng Trị" in text


def test_an_empty_range_still_makes_a_register_with_its_cover(tmp_path: Path) -> None:
    path = export(tmp_path, "outgoing", OUTGOING, date_from=date(2026, 6, 1),
                  date_to=date(2026, 6, 30))
    pages = pdf_pages(path)
    assert len(pages) == 2
    assert EMPTY_NOTICE in pages[0] and "Từ ngày: 01/06/2026" in pages[0]
    assert EMPTY_NOTICE in pages[1] and "Trang 1/1" in pages[1]
    for column in COLUMNS["outgoing"]:
        assert column.header in pages[1]


def test_secret_registers_say_so_and_series_do_not_mix(tmp_path: Path) -> None:
    secret = [incoming(1, series="secret", secrecy="confidential")]
    pages = pdf_pages(export(tmp_path, "incoming", secret))
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN (VĂN BẢN MẬT)" in pages[0]
    assert "Mật" in pages[1]
    with pytest.raises(RegisterExportError) as caught:
        export(tmp_path, "incoming", [*INCOMING, *secret])
    assert caught.value.code == "register_mixed_series"


def test_the_pdf_is_made_without_qt(tmp_path: Path) -> None:
    code = (
        "import sys, datetime, pathlib\n"
        "from app.register_export import export_register\n"
        "export_register('outgoing', [], fmt='pdf', path=pathlib.Path(sys.argv[1]),\n"
        "    commune={'name': 'Xã Minh Châu', 'province': 'Hà Nội', 'code': '09661'},\n"
        "    year=2026, date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31))\n"
        "assert not any(m.startswith(('PySide6', 'PyQt')) for m in sys.modules)\n")
    path = tmp_path / "headless.pdf"
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=ROOT, timeout=120)
    assert path.read_bytes().startswith(b"%PDF")


# --- Excel ----------------------------------------------------------------------------------------


def test_the_incoming_workbook(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(export(tmp_path, "incoming", [*reversed(INCOMING)], "xlsx"))
    assert book.sheetnames == ["Bìa sổ", SHEET_NAMES["incoming"]]
    cover = [c.value for c in book["Bìa sổ"]["A"] if c.value]
    assert cover == ["THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN XÃ MINH CHÂU", TITLES["incoming"],
                     "Năm: 2026", "Từ ngày: 01/01/2026    Đến ngày: 31/03/2026",
                     "Từ số: 01    Đến số: 12", "Quyển số: 01"]
    sheet = book[SHEET_NAMES["incoming"]]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS["incoming"]]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["F"].width > sheet.column_dimensions["B"].width
    rows = list(sheet.iter_rows(min_row=3))
    assert len(rows) == len(INCOMING)
    assert [row[1].value for row in rows] == list(range(1, 13))  # in number order
    for row, record in zip(rows, INCOMING, strict=True):
        arrived, number, author, symbol, dated, summary, recipient, forwarded, _, notes = row
        assert arrived.is_date and arrived.value == datetime.fromisoformat(
            record["arrived_at"]).replace(tzinfo=None)
        assert number.number_format == "00"
        assert author.value == record["author"]
        assert symbol.value == record["number_symbol"]
        assert dated.is_date and dated.value.date() == date.fromisoformat(record["document_date"])
        assert record["summary"] in summary.value
        assert summary.alignment.wrap_text
        assert recipient.value == record["recipient"]
        assert forwarded.is_date and forwarded.number_format == "DD/MM/YYYY"
        assert (notes.value or "").startswith("Hỏa tốc") == (record["urgency"] == "flash")
        assert author.font.b == (record["urgency"] == "flash")


def test_the_outgoing_workbook_marks_void_entries(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(
        export(tmp_path, "outgoing", OUTGOING, "xlsx"))[SHEET_NAMES["outgoing"]]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == [r["symbol"] for r in OUTGOING]
    void = rows[1]
    assert void[9] == "ĐÃ HỦY: In sai trích yếu"
    assert void[4] == "Ủy ban nhân dân thành phố Hà Nội\nCác thôn trong xã\nLưu: VT"
    assert void[6] == 5 and isinstance(void[1], datetime)


def test_the_followup_workbook(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(
        export(tmp_path, "followup", INCOMING, "xlsx"))[SHEET_NAMES["followup"]]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS["followup"]]
    row = [c for c in sheet[7]]  # arrival number 05
    assert row[0].value == 5
    assert row[3].is_date and row[3].value == datetime(2026, 1, 25)
    assert row[5].value == "04/UBND-VP"
    assert "Chủ trì: Phó Chủ tịch Lê Văn Hùng" in row[2].value


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    record = incoming(1, summary="=HYPERLINK(\"http://x.invalid\")", author="=1+1")
    sheet = openpyxl.load_workbook(
        export(tmp_path, "incoming", [record], "xlsx"))[SHEET_NAMES["incoming"]]
    assert sheet["C3"].value == "=1+1" and sheet["C3"].data_type == "s"


def test_an_empty_workbook_says_so_on_its_cover(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(export(tmp_path, "followup", [], "xlsx"))
    cover = " ".join(c.value for c in book["Bìa sổ"]["A"] if c.value)
    assert EMPTY_NOTICE in cover
    sheet = book[SHEET_NAMES["followup"]]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS["followup"]]
    assert sheet["A3"].value == EMPTY_NOTICE


def test_unknown_kinds_and_formats_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        export(tmp_path, "minutes", [])
    with pytest.raises(ValueError):
        export(tmp_path, "incoming", [], fmt="docx")

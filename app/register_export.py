"""Print and export the correspondence registers of Decree 30/2020 (Appendix IV templates).

``export_register`` writes the incoming register (sổ đăng ký văn bản đến), the outgoing register
(sổ đăng ký văn bản đi) or the incoming follow-up register (sổ theo dõi giải quyết văn bản đến)
for a date range, as a PDF to print and bind, or as an Excel workbook. Both start with the cover
of the decree's template (the commune's people's committee, the register's title, year, date
range, first and last number, volume) and have every column of the template, with the column
headers in ``COLUMNS`` (Vietnamese, as the decree prints them).

The PDF is made with fpdf2 and the bundled DejaVu Sans (resources/fonts), not Qt: the headless
CLI prints registers too, and app/ never loads Qt. Landscape A4, the header repeated on every
page, cells wrapped (a row taller than a page continues on the next one), pages numbered
"Trang 1/3" after the cover. The workbook (openpyxl) has a cover sheet and the register sheet
with a bold header, widths, wrapped text, real dates, frozen header and a print setup (landscape
A4, header rows repeated, fit to width).

Void outgoing numbers stay in the register with "ĐÃ HỦY: reason" in the notes; urgent documents
are marked ("Hỏa tốc", "Thượng khẩn", "Khẩn" in the notes, bold row).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from app.edxml import DOCUMENT_TYPES as TYPE_NAMES
from app.errors import DomainError
from app.files import write_private_file
from app.textnorm import nfc

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FONTS = Path(__file__).resolve().parents[1] / "resources" / "fonts"
FONT_REGULAR = FONTS / "DejaVuSans.ttf"
FONT_BOLD = FONTS / "DejaVuSans-Bold.ttf"

RegisterKind = Literal["incoming", "outgoing", "followup"]
KINDS: tuple[str, ...] = ("incoming", "outgoing", "followup")


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # mm on landscape A4 (the widths of a register add up to 277 mm)
    kind: str = "text"  # text, date, datetime, number (an arrival number, "05"), int


# The registers' columns, in the order of Decree 30/2020's Appendix IV templates.
COLUMNS: dict[str, tuple[Column, ...]] = {
    "incoming": (
        Column("Ngày đến", 20, "datetime"),
        Column("Số đến", 14, "number"),
        Column("Tác giả", 36),
        Column("Số, ký hiệu văn bản", 26),
        Column("Ngày tháng văn bản", 19, "date"),
        Column("Tên loại và trích yếu nội dung văn bản", 70),
        Column("Đơn vị hoặc người nhận", 32),
        Column("Ngày chuyển", 19, "date"),
        Column("Ký nhận", 17),
        Column("Ghi chú", 24),
    ),
    "outgoing": (
        Column("Số, ký hiệu văn bản", 26),
        Column("Ngày tháng văn bản", 20, "date"),
        Column("Tên loại và trích yếu nội dung văn bản", 66),
        Column("Người ký", 28),
        Column("Nơi nhận văn bản", 40),
        Column("Đơn vị, người nhận bản lưu", 26),
        Column("Số lượng bản", 14, "int"),
        Column("Ngày chuyển", 19, "date"),
        Column("Ký nhận", 14),
        Column("Ghi chú", 24),
    ),
    "followup": (
        Column("Số đến", 16, "number"),
        Column("Tên loại, số, ký hiệu, ngày, tháng và tên cơ quan, tổ chức ban hành văn bản",
               95),
        Column("Đơn vị hoặc người nhận", 40),
        Column("Thời hạn giải quyết", 24, "date"),
        Column("Tiến độ giải quyết", 45),
        Column("Số, ký hiệu văn bản trả lời", 30),
        Column("Ghi chú", 27),
    ),
}

TITLES = {
    "incoming": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    "outgoing": "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    "followup": "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
}
SHEET_NAMES = {  # at most 31 characters
    "incoming": "Sổ đăng ký văn bản đến",
    "outgoing": "Sổ đăng ký văn bản đi",
    "followup": "Sổ theo dõi giải quyết VB đến",
}
COVER_SHEET = "Bìa sổ"

URGENCY_LABELS = {"urgent": "Khẩn", "very_urgent": "Thượng khẩn", "flash": "Hỏa tốc"}
SECRECY_LABELS = {"confidential": "Mật", "secret": "Tối mật", "top_secret": "Tuyệt mật"}
PROGRESS_LABELS = {
    "registered": "Đã đăng ký, chờ ý kiến chỉ đạo",
    "directed": "Đã có ý kiến chỉ đạo",
    "in_progress": "Đang giải quyết",
    "done": "Đã giải quyết xong",
}
VOID_MARK = "ĐÃ HỦY"
EMPTY_NOTICE = "Không có văn bản nào trong khoảng thời gian này."

# PDF page: landscape A4, 277 mm of table between a 14 mm binding margin on the left and 6 mm
# on the right; the table runs from 10 mm to 197 mm down the page, the footer below it.
_MARGIN = 14.0  # left, for the binding
_RIGHT = 6.0
_TOP = 10.0
_BOTTOM = 197.0  # the table stops here; the footer is below
_LINE = 3.6  # mm per text line at 7.5 pt
_PAD = 1.0  # mm above and below a cell's text
_BODY_PT = 7.5
_HEAD_PT = 7.5


class RegisterExportError(DomainError):
    """``register_mixed_series``: ordinary and secret documents in one register (they number
    apart, so they are printed apart)."""

    code = "register_export_error"

    def __init__(self, code: str, detail: str = "", **params: Any) -> None:
        self.code = code
        super().__init__(detail, **params)


@dataclass
class _Row:
    values: list[Any]  # typed: str, int, date, datetime or None
    bold: bool = False


def export_register(kind: RegisterKind, records: Sequence[Mapping[str, Any]], *,
                    fmt: Literal["pdf", "xlsx"], path: Path, commune: Mapping[str, Any],
                    year: int, date_from: date, date_to: date, volume: int = 1,
                    replies: Mapping[str, str] | None = None) -> None:
    """Write the ``kind`` register ("incoming", "outgoing" or "followup") of ``year`` for the
    documents registered from ``date_from`` to ``date_to`` (inclusive) at ``path``.

    ``records`` are incoming_document records (incoming, followup) or outgoing_document records
    (outgoing); those outside the range or the year, and outgoing drafts, are left out, the rest
    is printed in number order. ``commune`` has ``name`` ("Xã Minh Châu"), ``province`` and
    ``code``. ``replies`` maps an outgoing document's id to its number and symbol, for the
    follow-up register's "reply" column (a record may also carry ``reply_number_symbol``).
    """
    if kind not in COLUMNS:
        raise ValueError(f"unknown register {kind!r}")
    if fmt not in ("pdf", "xlsx"):
        raise ValueError(f"unknown format {fmt!r}")
    chosen = _select(kind, records, year, date_from, date_to)
    secret = _series(chosen) == "secret"
    rows = [_row(kind, record, replies or {}) for record in chosen]
    numbers = [n for n in (_number(kind, r) for r in chosen) if n is not None]
    cover = _cover_lines(kind, commune, year, date_from, date_to, volume, numbers, secret)
    if fmt == "pdf":
        data = _pdf(kind, rows, cover, commune, year, volume)
    else:
        data = _xlsx(kind, rows, cover, year)
    write_private_file(Path(path), data)


# ---------------------------------------------------------------------------------------------
# Which records, in which order, and what each cell holds


def _select(kind: str, records: Sequence[Mapping[str, Any]], year: int, date_from: date,
            date_to: date) -> list[Mapping[str, Any]]:
    chosen = []
    for record in records:
        if kind == "outgoing":
            if record.get("status", "draft") == "draft" or record.get("number") is None:
                continue
            moment = record.get("issued_at")
        else:
            moment = record.get("arrived_at")
        if not moment:
            continue
        day = _local(moment).date()
        if not date_from <= day <= date_to:
            continue
        if record.get("register_year") not in (None, year):
            continue
        chosen.append(record)

    def order(record: Mapping[str, Any]) -> tuple[int, int, str]:
        number = _number(kind, record)
        moment = record.get("issued_at" if kind == "outgoing" else "arrived_at") or ""
        return (number is None, number or 0, _local(moment).isoformat())

    return sorted(chosen, key=order)


def _series(records: Sequence[Mapping[str, Any]]) -> str | None:
    series = {r.get("series", "ordinary") for r in records}
    if len(series) > 1:
        raise RegisterExportError("register_mixed_series", "ordinary and secret documents",
                                  series=sorted(series))
    return series.pop() if series else None


def _number(kind: str, record: Mapping[str, Any]) -> int | None:
    value = record.get("number" if kind == "outgoing" else "arrival_number")
    return int(value) if value is not None else None


def _row(kind: str, r: Mapping[str, Any], replies: Mapping[str, str]) -> _Row:
    urgency = r.get("urgency") or "normal"
    marks = [label for label in (URGENCY_LABELS.get(urgency),
                                 SECRECY_LABELS.get(r.get("secrecy") or "none")) if label]
    type_and_summary = f"{_type_name(r.get('doc_type'))}: {_s(r.get('summary'))}"
    if kind == "incoming":
        notes = _join_lines([*marks, "Văn bản điện tử" if r.get("source") == "electronic"
                             else None, r.get("notes")])
        values = [
            _local_naive(r.get("arrived_at")), r.get("arrival_number"), _s(r.get("author")),
            _s(r.get("number_symbol")), _day(r.get("document_date")), type_and_summary,
            _s(r.get("recipient")), _day(r.get("forwarded_at")), "", notes,
        ]
    elif kind == "outgoing":
        void = r.get("status") == "void"
        notes = _join_lines([f"{VOID_MARK}: {_s(r.get('void_reason'))}" if void else None,
                             *marks, r.get("notes")])
        values = [
            _outgoing_number_symbol(r), _local(r["issued_at"]).date(), type_and_summary,
            _s(r.get("signer")), _join_lines(r.get("recipients") or []),
            _s(r.get("archive_unit")), r.get("copies") or 1, _day(r.get("forwarded_at")), "",
            notes,
        ]
    else:
        document = " ".join(part for part in (
            _type_name(r.get("doc_type")),
            f"số {_s(r.get('number_symbol'))}" if r.get("number_symbol") else "",
            f"ngày {_day(r.get('document_date')):%d/%m/%Y}" if r.get("document_date") else "",
            f"của {_s(r.get('author'))}" if r.get("author") else "",
        ) if part)
        arrived = _local(r["arrived_at"])
        identity = _join_lines([document, _s(r.get("summary")),
                                f"Ngày đến: {arrived:%d/%m/%Y %H:%M}"])
        coordinators = ", ".join(_s(c) for c in r.get("coordinators") or [] if c)
        handlers = _join_lines([
            f"Chủ trì: {_s(r.get('lead'))}" if r.get("lead") else None,
            f"Phối hợp: {coordinators}" if coordinators else None,
            _s(r.get("recipient")) if not r.get("lead") else None,
        ])
        directed = (f"Chỉ đạo: {_s(r.get('directed_by'))}"
                    + (f" ({_local(r['directed_at']):%d/%m/%Y})" if r.get("directed_at")
                       else "")) if r.get("directed_by") else None
        progress = _join_lines([
            PROGRESS_LABELS.get(r.get("status") or "registered", _s(r.get("status"))),
            directed,
            f"Giao: {_s(r.get('assigned_to'))}" if r.get("assigned_to") else None,
        ])
        reply = r.get("reply_number_symbol") or replies.get(r.get("reply_id") or "", "")
        values = [
            r.get("arrival_number"), identity, handlers,
            _local(r["deadline"]).date() if r.get("deadline") else None, progress,
            _s(reply), _join_lines([*marks, r.get("notes")]),
        ]
    return _Row(values=values, bold=urgency != "normal")


def _outgoing_number_symbol(record: Mapping[str, Any]) -> str:
    symbol = _s(record.get("symbol"))
    number = record.get("number")
    if symbol and "/" in symbol or number is None:
        return symbol
    return f"{int(number):02d}/{symbol}" if symbol else f"{int(number):02d}"


def _cover_lines(kind: str, commune: Mapping[str, Any], year: int, date_from: date,
                 date_to: date, volume: int, numbers: list[int], secret: bool) -> list[str]:
    """province, committee, title, year, date range, numbers, volume (one line each)."""
    title = TITLES[kind] + (" (VĂN BẢN MẬT)" if secret else "")
    numbers_line = (f"Từ số: {min(numbers):02d}    Đến số: {max(numbers):02d}" if numbers
                    else f"Từ số: …    Đến số: …  ({EMPTY_NOTICE})")
    return [
        _s(commune.get("province")).upper(),
        committee_name(commune),
        title,
        f"Năm: {year}",
        f"Từ ngày: {date_from:%d/%m/%Y}    Đến ngày: {date_to:%d/%m/%Y}",
        numbers_line,
        f"Quyển số: {volume:02d}",
    ]


def committee_name(commune: Mapping[str, Any]) -> str:
    """"ỦY BAN NHÂN DÂN XÃ MINH CHÂU" from the commune's name ("Xã Minh Châu", "Phường …";
    a bare name is taken as a xã)."""
    name = _s(commune.get("name"))
    lowered = name.lower()
    if not lowered.startswith(("xã ", "phường ", "đặc khu ", "thị trấn ")):
        name = f"Xã {name}"
    return f"ỦY BAN NHÂN DÂN {name.upper()}"


# ---------------------------------------------------------------------------------------------
# PDF


def _pdf(kind: str, rows: list[_Row], cover: list[str], commune: Mapping[str, Any], year: int,
         volume: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(_MARGIN, _TOP, _RIGHT)
    pdf.c_margin = 1.0
    pdf.add_font("DejaVu", "", str(FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.set_title(f"{TITLES[kind]} năm {year}")
    pdf.set_author(committee_name(commune))
    pdf.set_creator("CommuneDesk")
    pdf.set_lang("vi")
    _draw_cover(pdf, cover)
    _draw_table(pdf, COLUMNS[kind], rows)
    # Page numbers once the count is known: the cover has none, the register's pages are
    # "Trang 1/n" … "Trang n/n", with the register's name for whoever binds them.
    running = f"{committee_name(commune)} – {TITLES[kind]} năm {year} – Quyển số {volume:02d}"
    last = pdf.page
    pdf.set_font("DejaVu", "", 7)
    for page in range(2, last + 1):
        pdf.page = page
        label = f"Trang {page - 1}/{last - 1}"
        pdf.text(_MARGIN, 204, running)
        pdf.text(297 - _RIGHT - pdf.get_string_width(label), 204, label)
    pdf.page = last
    return bytes(pdf.output())


def _draw_cover(pdf: Any, cover: list[str]) -> None:
    province, committee, title, *rest = cover
    pdf.add_page()
    pdf.rect(_MARGIN + 20, 18, 297 - _MARGIN - _RIGHT - 40, 174)
    pdf.set_y(32)
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 8, province, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 15)
    pdf.cell(0, 9, committee, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(28)
    pdf.set_font("DejaVu", "B", 26)
    pdf.cell(0, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_font("DejaVu", "", 13)
    for line in rest:
        pdf.cell(0, 9, line, align="C", new_x="LMARGIN", new_y="NEXT")


class _Face:
    """One font at one size: string widths from the font's own advance widths (the same sums
    fpdf2 makes, without its per-call overhead) and greedy word wrapping."""

    def __init__(self, pdf: Any, style: str, size: float) -> None:
        pdf.set_font("DejaVu", style, size)
        self.pdf = pdf
        self.style = style
        self.size = size
        self.font = pdf.current_font
        self.scale = size / 1000 / pdf.k
        self.height = size / pdf.k
        self.space = self.width(" ")

    def use(self) -> None:
        self.pdf.set_font("DejaVu", self.style, self.size)

    def width(self, text: str) -> float:
        widths = self.font.cw
        return sum(widths[ord(ch)] for ch in text) * self.scale

    def wrap(self, text: str, width: float) -> list[str]:
        if not text:
            return [""]
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, line_width = "", 0.0
            for word in paragraph.split():
                word_width = self.width(word)
                if line and line_width + self.space + word_width <= width:
                    line, line_width = f"{line} {word}", line_width + self.space + word_width
                    continue
                if line:
                    lines.append(line)
                line, line_width = word, word_width
                while line_width > width and len(line) > 1:  # a word wider than the cell
                    cut = len(line) - 1
                    while cut > 1 and self.width(line[:cut]) > width:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
                    line_width = self.width(line)
            lines.append(line)
        return lines or [""]


def _draw_table(pdf: Any, columns: Sequence[Column], rows: list[_Row]) -> None:
    head = _Face(pdf, "B", _HEAD_PT)
    small = _Face(pdf, "", 6.5)
    regular = _Face(pdf, "", _BODY_PT)
    bold = _Face(pdf, "B", _BODY_PT)
    inner = [c.width - 2 * pdf.c_margin for c in columns]
    heads = [head.wrap(c.header, w) for c, w in zip(columns, inner, strict=True)]
    head_height = max(len(h) for h in heads) * _LINE + 2 * _PAD
    numbers = [[f"({i})"] for i in range(1, len(columns) + 1)]

    def new_page() -> None:
        pdf.add_page()
        pdf.set_y(_TOP)
        _draw_cells(pdf, head, columns, heads, _TOP, head_height, center=True)
        _draw_cells(pdf, small, columns, numbers, _TOP + head_height, 4.0, center=True)

    new_page()
    fresh_page_lines = int((_BOTTOM - pdf.get_y() - 2 * _PAD) // _LINE)
    if not rows:
        regular.use()
        pdf.text(_MARGIN + 1, pdf.get_y() + 6, EMPTY_NOTICE)
        return
    for row in rows:
        face = bold if row.bold else regular
        cells = [face.wrap(_display(value, column), width)
                 for value, column, width in zip(row.values, columns, inner, strict=True)]
        total = max(len(c) for c in cells)
        start = 0
        while start < total:
            fits = int((_BOTTOM - pdf.get_y() - 2 * _PAD) // _LINE)
            left = total - start
            # Keep a row whole when a fresh page can hold it; split only a taller one.
            if fits < 1 or (left > fits and (left <= fresh_page_lines or fits < 3)):
                new_page()
                continue
            take = min(fits, left)
            chunk = [c[start:start + take] for c in cells]
            _draw_cells(pdf, face, columns, chunk, pdf.get_y(), take * _LINE + 2 * _PAD)
            start += take


def _draw_cells(pdf: Any, face: _Face, columns: Sequence[Column], lines: list[list[str]],
                top: float, height: float, center: bool = False) -> None:
    face.use()
    baseline = top + _PAD + (_LINE - face.height) / 2 + 0.78 * face.height
    x = _MARGIN
    for column, cell_lines in zip(columns, lines, strict=True):
        pdf.rect(x, top, column.width, height)
        middle = center or column.kind != "text"
        for index, line in enumerate(cell_lines):
            if not line:
                continue
            offset = ((column.width - face.width(line)) / 2 if middle else pdf.c_margin)
            pdf.text(x + offset, baseline + index * _LINE, line)
        x += column.width
    pdf.set_xy(_MARGIN, top + height)


def _display(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == "datetime" and isinstance(value, datetime):
        return f"{value:%d/%m/%Y}\n{value:%H:%M}"
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if column.kind == "number" and isinstance(value, int):
        return f"{value:02d}"
    return str(value)


# ---------------------------------------------------------------------------------------------
# Excel


def _xlsx(kind: str, rows: list[_Row], cover: list[str], year: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    columns = COLUMNS[kind]
    book = Workbook()
    front = book.active
    front.title = COVER_SHEET
    front.column_dimensions["A"].width = 110
    sizes = [13, 15, 24, 13, 13, 13, 13]
    bolds = [False, True, True, False, False, False, False]
    for index, (line, size, bold) in enumerate(zip(cover, sizes, bolds, strict=True), start=1):
        cell = front.cell(row=index * 2, column=1, value=line)
        cell.font = Font(name="Times New Roman", size=size, bold=bold)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        front.row_dimensions[index * 2].height = size * 2
    front.page_setup.orientation = "landscape"
    front.page_setup.paperSize = front.PAPERSIZE_A4
    front.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    front.page_setup.fitToWidth = 1
    front.page_setup.fitToHeight = 1
    front.print_options.horizontalCentered = True

    sheet = book.create_sheet(SHEET_NAMES[kind])
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font = Font(name="Times New Roman", size=11, bold=True)
    body_font = Font(name="Times New Roman", size=11)
    bold_font = Font(name="Times New Roman", size=11, bold=True)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = round(column.width / 1.9, 1)
        head = sheet.cell(row=1, column=index, value=column.header)
        head.font = head_font
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.border = border
        number = sheet.cell(row=2, column=index, value=f"({index})")
        number.font = Font(name="Times New Roman", size=9, italic=True)
        number.alignment = Alignment(horizontal="center")
        number.border = border
    sheet.row_dimensions[1].height = 45
    for offset, row in enumerate(rows):
        for index, (value, column) in enumerate(zip(row.values, columns, strict=True), start=1):
            cell = _excel_cell(sheet, 3 + offset, index, value)
            cell.font = bold_font if row.bold else body_font
            cell.border = border
            cell.alignment = Alignment(
                horizontal="left" if column.kind == "text" else "center",
                vertical="top", wrap_text=True)
            if column.kind == "datetime":
                cell.number_format = "DD/MM/YYYY HH:MM"
            elif column.kind == "date":
                cell.number_format = "DD/MM/YYYY"
            elif column.kind == "number":
                cell.number_format = "00"
    if not rows:
        sheet.cell(row=3, column=1, value=EMPTY_NOTICE).font = body_font
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddHeader.center.text = f"{TITLES[kind]} năm {year}"
    sheet.oddFooter.right.text = "Trang &P/&N"
    book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _excel_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """A cell holding ``value`` as itself: text that starts with "=" stays text, never a
    formula (a summary typed as "=…" must not run in the clerk's spreadsheet)."""
    cell = sheet.cell(row=row, column=column, value=value if value != "" else None)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


# ---------------------------------------------------------------------------------------------
# Small helpers


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _s(value: Any) -> str:
    """Text in NFC, trimmed, without control characters (a workbook refuses them)."""
    return _CONTROL.sub("", nfc(str(value))).strip() if value is not None else ""


def _join_lines(parts: Sequence[Any]) -> str:
    return "\n".join(_s(p) for p in parts if p is not None and _s(p))


def _type_name(code: Any) -> str:
    code = _s(code)
    return TYPE_NAMES.get(code, code)


def _local(moment: str) -> datetime:
    parsed = datetime.fromisoformat(str(moment).replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VN_TZ)
    return parsed.astimezone(VN_TZ)


def _local_naive(moment: Any) -> datetime | None:
    """Wall-clock time in Vietnam without a zone (Excel has none)."""
    return _local(moment).replace(tzinfo=None, microsecond=0) if moment else None


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


__all__ = ["COLUMNS", "KINDS", "TITLES", "Column", "RegisterExportError", "committee_name",
           "export_register"]

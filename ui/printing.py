"""The citizen's printed forms: receipt and appointment slip (form 01, with a QR code),
supplement request (02), refusal (03), apology and extension (04).

This module owns the form templates' loading (``resources/forms/{form}@{effective date}.html``,
one file per form and version, the legal text inside the file), filling them with the dossier's
values (every value HTML-escaped), and putting the result on paper: a PDF file, a printer, a
print preview. A ``Slip`` carries the finished HTML and the ``template_version`` that made it, so
the caller can record which version printed each slip (DOMAIN.md).

Threading: ``slip_inputs`` reads the database, so it runs on the database worker
(``tasks.db(lambda store: slip_inputs(store, dossier_id), done=...)``) and hands plain data to the
GUI thread. The builders (``receipt_slip`` ... ``apology_slip``) are pure functions of that data
and run anywhere. Everything that touches ``QTextDocument``, ``QPrinter``, ``QPdfWriter`` or a
dialog (``save_pdf``, ``print_slip``, ``preview_slip``, ``ask_save_pdf``, ``slip_font``) runs on
the GUI thread only.
"""

from __future__ import annotations

import base64
import html
import io
import json
import logging
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import segno
from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QRawFont,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from app.catalogue import Procedure
from app.codes import CODE_PATTERN
from app.dossier import RESOURCES, VN_TZ, parse_time
from app.files import write_private_file
from app.identity import phone_text

if TYPE_CHECKING:
    from app.store import Store

log = logging.getLogger(__name__)

FORMS_DIR = RESOURCES / "forms"
FORM_NUMBERS = ("01", "02", "03", "04")
# A4 with the margins of an administrative document (Decree 30/2020, narrowed top and bottom so
# a slip with a usual list of papers fits on one page), in millimetres: left, top, right, bottom.
PAGE_MARGINS_MM = (25.0, 15.0, 15.0, 15.0)
PDF_RESOLUTION = 300
# Fonts in order of preference: Times New Roman is what administrative documents use (Decree
# 30/2020); Liberation Serif and Tinos have its metrics; the others are common on Linux. Each must
# draw every Vietnamese letter, else the next is tried.
PREFERRED_FONTS = ("Times New Roman", "Liberation Serif", "Tinos", "Noto Serif", "DejaVu Serif")
VIETNAMESE_LETTERS = (
    "ĂÂĐÊÔƠƯăâđêôơưÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
QR_SCALE = 8  # pixels per module: the page scales the picture down, never blurs it up
_COMMUNE_KINDS = ("Xã ", "Phường ", "Đặc khu ", "Thị trấn ")

_META = re.compile(r'<meta name="(?P<name>[^"]+)" content="(?P<content>[^"]*)">')
_FRAGMENT = re.compile(r"<!--fragment:(?P<name>\w+)\n(?P<body>.*?)\n-->\n?", re.DOTALL)
_LABELS = re.compile(r"<!--labels\n(?P<body>.*?)\n-->\n?", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_TITLE = re.compile(r"<title>(?P<title>.*?)</title>", re.DOTALL)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


# ------------------------------------------------------------------------------------ templates

class TemplateError(ValueError):
    """A form template in resources/forms/ is malformed (a packaging bug, named by file)."""


@dataclass(frozen=True)
class FormTemplate:
    """One version of one form: its legal text with ``$name`` placeholders.

    ``fragments`` are repeated pieces (a row of the papers table); ``labels`` are the form's
    words for coded values (paper forms, delivery). Both are read from the file and are not
    part of the page.
    """

    form: str
    version: str
    effective_from: date
    legal_basis: str
    title: str
    page: str
    fragments: Mapping[str, str]
    labels: Mapping[str, Any]

    def fill(self, values: Mapping[str, str]) -> str:
        """The page with every placeholder replaced; a missing value is a ``KeyError``."""
        return string.Template(self.page).substitute(values)

    def fill_fragment(self, name: str, values: Mapping[str, str]) -> str:
        return string.Template(self.fragments[name]).substitute(values)

    def label(self, group: str, key: str) -> str:
        """The form's words for a coded value (escaped), or the blank to fill by hand."""
        return _escape(self.labels.get(group, {}).get(key)) or self.blank

    @property
    def blank(self) -> str:
        """The dotted blank printed where a value is unknown, to be written by hand."""
        return _escape(self.labels.get("unknown", ""))

    @classmethod
    def parse(cls, path: Path) -> FormTemplate:
        text = path.read_text("utf-8")
        meta = {m["name"]: m["content"] for m in _META.finditer(text)}
        try:
            form, version = meta["form"], meta["template-version"]
            effective_from = date.fromisoformat(meta["effective-from"])
            legal_basis = meta["legal-basis"]
        except (KeyError, ValueError) as error:
            raise TemplateError(f"{path.name}: form, template-version, effective-from and "
                                f"legal-basis are needed ({error})") from None
        if version != path.stem or version != f"{form}@{effective_from.isoformat()}":
            raise TemplateError(f"{path.name}: version {version!r} does not match the file "
                                f"name or {form}@{effective_from.isoformat()}")
        labels_match = _LABELS.search(text)
        try:
            labels = json.loads(labels_match["body"]) if labels_match else {}
        except ValueError as error:
            raise TemplateError(f"{path.name}: labels are not JSON ({error})") from None
        fragments = {m["name"]: m["body"] for m in _FRAGMENT.finditer(text)}
        page = _COMMENT.sub("", text)
        title = _TITLE.search(page)
        return cls(form, version, effective_from, legal_basis,
                   html.unescape(title["title"]) if title else version, page, fragments, labels)


@cache
def templates() -> tuple[FormTemplate, ...]:
    """Every template in resources/forms/, by form then effective date."""
    found = [FormTemplate.parse(path) for path in sorted(FORMS_DIR.glob("*.html"))]
    return tuple(sorted(found, key=lambda t: (t.form, t.effective_from)))


def template_for(form: str, on: date) -> FormTemplate:
    """The version of ``form`` in force on ``on``: the latest that took effect on or before it.

    A slip printed before the first version took effect (a clock far behind) gets the first
    version, with a warning in the log, rather than no slip at all.
    """
    versions = [t for t in templates() if t.form == form]
    if not versions:
        raise TemplateError(f"no template for form {form!r} in {FORMS_DIR}")
    in_force = [t for t in versions if t.effective_from <= on]
    if not in_force:
        log.warning("form %s: no template in force on %s; using %s", form, on,
                    versions[0].version)
        return versions[0]
    return in_force[-1]


# ------------------------------------------------------------------------------------ slips

@dataclass(frozen=True)
class Slip:
    """A filled form, ready to print: ``html`` is self-contained (the QR code is embedded).

    ``template_version`` (e.g. ``01@2025-09-15``) names the template that produced it; record it
    with the dossier's history when the slip is handed over.
    """

    form: str
    template_version: str
    title: str
    dossier_code: str
    html: str

    @property
    def file_name(self) -> str:
        """A PDF file name for it: ``{dossier code}-mau-{form}.pdf``."""
        return f"{self.dossier_code}-mau-{self.form}.pdf"


def _escape(value: Any) -> str:
    """A value as literal text on the page: HTML-escaped, line breaks kept."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def _moment(value: str | datetime) -> datetime:
    moment = parse_time(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        raise ValueError("a time on a slip needs its offset (stored times are UTC)")
    return moment.astimezone(VN_TZ)


def time_text(value: str | datetime) -> str:
    """``HH giờ mm phút, ngày dd tháng MM năm yyyy`` in Asia/Ho_Chi_Minh (+07:00)."""
    t = _moment(value)
    return f"{t:%H} giờ {t:%M} phút, ngày {t:%d} tháng {t:%m} năm {t:%Y}"


def date_line(value: str | datetime) -> str:
    """``ngày 06 tháng 01 năm 2026`` as a document's place-and-date line writes it: a leading
    zero for days below 10 and for months 1 and 2 only (Decree 30/2020, Appendix I)."""
    t = _moment(value)
    month = f"{t.month:02d}" if t.month < 3 else str(t.month)
    return f"ngày {t.day:02d} tháng {month} năm {t.year}"


def _place(commune_name: str) -> str:
    """``Xã Minh Châu`` -> ``Minh Châu`` (the place of the date line)."""
    for kind in _COMMUNE_KINDS:
        if commune_name.startswith(kind):
            return commune_name[len(kind):]
    return commune_name


def commune_in_text(commune_name: str) -> str:
    """``Xã Minh Châu`` -> ``xã Minh Châu`` (inside a sentence)."""
    for kind in _COMMUNE_KINDS:
        if commune_name.startswith(kind):
            return kind.lower() + commune_name[len(kind):]
    return commune_name


def _procedure(procedure: Mapping[str, Any] | Procedure) -> Mapping[str, Any]:
    return procedure.to_json() if isinstance(procedure, Procedure) else procedure


def qr_png(text: str) -> bytes:
    """The QR code (error correction M, 4-module quiet zone) of ``text`` as a PNG picture."""
    buffer = io.BytesIO()
    segno.make_qr(text, error="m").save(buffer, kind="png", scale=QR_SCALE, border=4)
    return buffer.getvalue()


def _common(template: FormTemplate, record: Mapping[str, Any],
            procedure: Mapping[str, Any] | Procedure, commune: Mapping[str, Any], officer: str,
            printed_at: datetime) -> dict[str, str]:
    """The values every form shows: header, place and date, code, applicant, procedure."""
    proc = _procedure(procedure)
    applicant = record.get("applicant") or {}
    commune_name = str(commune.get("name") or "")
    return {
        "commune_upper": _escape(commune_name.upper()),
        "commune": _escape(commune_in_text(commune_name)),
        "place": _escape(_place(commune_name)),
        "date_line": _escape(date_line(printed_at)),
        "code": _escape(record.get("code")),
        "applicant_name": _escape(applicant.get("full_name")),
        "id_number": _escape(applicant.get("id_number")),
        "address": _escape(applicant.get("address")),
        "phone": _escape(phone_text(applicant.get("phone"))),
        "email": _escape(applicant.get("email")),
        "procedure_name": _escape(proc.get("name")),
        "procedure_code": _escape(proc.get("code") or record.get("procedure_code")),
        "received_at": _escape(time_text(record["received_at"])),
        "officer": _escape(officer),
        "template_version": _escape(template.version),
        "legal_basis": _escape(template.legal_basis),
    }


def _slip(template: FormTemplate, record: Mapping[str, Any], values: Mapping[str, str]) -> Slip:
    return Slip(template.form, template.version, template.title, str(record.get("code") or ""),
                template.fill(values))


def _time_limit(template: FormTemplate, proc: Mapping[str, Any]) -> str:
    days = int(proc.get("time_limit_days") or 0)
    extension = int(proc.get("verification_extension_days") or 0)
    labels = template.labels
    text = (labels["time_limit_same_day"] if days == 0
            else string.Template(labels["time_limit_days"]).substitute(days=days))
    if extension:
        text += string.Template(labels["time_limit_extension"]).substitute(days=extension)
    return _escape(text)


def receipt_slip(record: Mapping[str, Any], procedure: Mapping[str, Any] | Procedure,
                 commune: Mapping[str, Any], officer: str, printed_at: datetime) -> Slip:
    """Form 01: receipt and appointment slip, with the QR code of the dossier code.

    ``record`` is the canonical dossier (``Store.record``); ``procedure`` the version it was
    received under; ``commune`` has ``name`` (and ``province``, ``code``); ``officer`` is the
    receiving officer who signs; ``printed_at`` dates the slip and picks the template version.
    """
    template = template_for("01", _moment(printed_at).date())
    proc = _procedure(procedure)
    code = str(record.get("code") or "")
    rows = "".join(
        template.fill_fragment("paper_row", {
            "number": str(number), "name": _escape(paper.get("name")),
            "form": template.label("paper_form", paper.get("form", "")),
            "count": _escape(paper.get("count")),
        })
        for number, paper in enumerate(record.get("papers") or [], start=1)
    )
    # The record has no register volume or entry number yet (form 07, the register, is not
    # kept here): the entry is the dossier code's sequence part, which numbers the dossier
    # within the receiving unit's day; the volume stays blank for the officer to write.
    sequence = CODE_PATTERN.match(code)
    entry = record.get("register_entry") or (sequence["number"] if sequence else None)
    values = {
        **_common(template, record, proc, commune, officer, printed_at),
        "paper_rows": rows,
        "sets_count": _escape(f"{int(record.get('sets_count') or 1):02d}"),
        "time_limit": _time_limit(template, proc),
        "due_at": _escape(time_text(record["due_at"])) if record.get("due_at")
        else template.blank,
        "delivery": template.label("delivery", record.get("result_delivery") or "counter"),
        "register_volume": _escape(record.get("register_volume"))
        or template.blank,
        "register_entry": _escape(entry) or template.blank,
        "qr_src": "data:image/png;base64," + base64.b64encode(qr_png(code)).decode("ascii"),
        "lookup_key": _escape(code),
    }
    return _slip(template, record, values)


def supplement_slip(record: Mapping[str, Any], procedure: Mapping[str, Any] | Procedure,
                    commune: Mapping[str, Any], officer: str, printed_at: datetime,
                    missing_papers: Sequence[str], reason: str) -> Slip:
    """Form 02: request to supplement and complete the dossier: what is missing, and why."""
    papers = [paper.strip() for paper in missing_papers if paper and paper.strip()]
    if not papers:
        raise ValueError("a supplement request names at least one missing paper")
    template = template_for("02", _moment(printed_at).date())
    items = "".join(template.fill_fragment("missing_item", {"number": str(n),
                                                            "name": _escape(paper)})
                    for n, paper in enumerate(papers, start=1))
    values = {**_common(template, record, procedure, commune, officer, printed_at),
              "missing_items": items, "reason": _escape(reason.strip())}
    return _slip(template, record, values)


def refusal_slip(record: Mapping[str, Any], procedure: Mapping[str, Any] | Procedure,
                 commune: Mapping[str, Any], officer: str, printed_at: datetime,
                 reason: str) -> Slip:
    """Form 03: refusal to receive the dossier for processing, with its reason (required)."""
    if not reason or not reason.strip():
        raise ValueError("a refusal states its reason")
    template = template_for("03", _moment(printed_at).date())
    values = {**_common(template, record, procedure, commune, officer, printed_at),
              "reason": _escape(reason.strip())}
    return _slip(template, record, values)


def apology_slip(record: Mapping[str, Any], procedure: Mapping[str, Any] | Procedure,
                 commune: Mapping[str, Any], officer: str, printed_at: datetime,
                 old_due_at: str | datetime, new_due_at: str | datetime, reason: str) -> Slip:
    """Form 04: apology and extension: the appointment missed, the new one, and the reason.

    ``officer`` is the person who drew it up; the head of the unit signs it by hand.
    """
    if _moment(new_due_at) <= _moment(old_due_at):
        raise ValueError("the new appointment time must come after the old one")
    if not reason or not reason.strip():
        raise ValueError("an apology states the reason for the delay")
    template = template_for("04", _moment(printed_at).date())
    values = {**_common(template, record, procedure, commune, officer, printed_at),
              "old_due_at": _escape(time_text(old_due_at)),
              "new_due_at": _escape(time_text(new_due_at)),
              "reason": _escape(reason.strip())}
    return _slip(template, record, values)


# ------------------------------------------------------------------------------------ data

def slip_inputs(store: Store, dossier_id: str) -> dict[str, Any]:
    """What the slips of one dossier need, read on the database worker as plain data.

    Returns ``record`` (canonical dossier), ``procedure`` (its version, as a dict), ``commune``
    (name, province, code, unit_id), ``officer`` (the signed-in official's name),
    ``receiving_officer`` (who received the dossier, else ``officer``) and ``printed_at`` (the
    store's clock, corrected by the server offset). The read is noted in the access log.
    """
    record = store.record(dossier_id)
    procedure = store.catalogue.get(record["procedure_code"], record["procedure_version"])
    settings = store.settings()
    officer = settings.get("user.name") or store.actor
    store.log_access("print", record["id"])
    return {
        "record": record,
        "procedure": procedure.to_json(),
        "commune": {key: settings.get(f"commune.{key}", "")
                    for key in ("name", "province", "code", "unit_id")},
        "officer": officer,
        "receiving_officer": record.get("received_by") or officer,
        "printed_at": store.clock.now(),
    }


# ------------------------------------------------------------------------------------ paper

def _covers_vietnamese(family: str) -> bool:
    raw = QRawFont.fromFont(QFont(family))  # a missing family comes back as another one
    return (raw.isValid() and raw.familyName() == family
            and all(raw.supportsCharacter(ord(ch)) for ch in VIETNAMESE_LETTERS))


@cache
def slip_font_family() -> str | None:
    """The first installed font of ``PREFERRED_FONTS`` that draws every Vietnamese letter,
    else any installed font that does; None when the machine has none (text would print as
    boxes: install fonts-dejavu-core or fonts-liberation2). GUI thread."""
    installed = QFontDatabase.families()
    candidates = [f for f in PREFERRED_FONTS if f in installed]
    candidates += QFontDatabase.families(QFontDatabase.WritingSystem.Vietnamese)
    for family in candidates:
        if _covers_vietnamese(family):
            return family
    log.warning("no installed font draws Vietnamese letters; slips will miss glyphs")
    return None


def slip_font() -> QFont:
    font = QFont()
    family = slip_font_family()
    if family:
        font.setFamilies([family])
    font.setPointSizeF(13)
    return font


def slip_document(slip: Slip) -> QTextDocument:
    """The slip as a ``QTextDocument`` (GUI thread)."""
    document = QTextDocument()
    document.setDefaultFont(slip_font())
    document.setDocumentMargin(0)
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, slip.title)
    document.setHtml(slip.html)
    return document


def _set_page(device: QPagedPaintDevice) -> None:
    device.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    device.setPageOrientation(QPageLayout.Orientation.Portrait)
    device.setPageMargins(QMarginsF(*PAGE_MARGINS_MM), QPageLayout.Unit.Millimeter)


def render(slip: Slip, device: QPagedPaintDevice) -> None:
    """Paint the slip on a printer or PDF writer whose page is already set.

    The document is laid out with the device's own metrics and its page is the device's
    printable area, so nothing is scaled and no page numbers are added. Pictures go to the
    device losslessly: Qt would store the QR code as a JPEG otherwise. GUI thread.
    """
    document = slip_document(slip)
    document.documentLayout().setPaintDevice(device)
    page = QSizeF(device.width(), device.height())
    document.setPageSize(page)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the printer or PDF file cannot be painted on")
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
    try:
        for number in range(document.pageCount()):
            if number:
                device.newPage()
            top = number * page.height()
            painter.save()
            painter.translate(0, -top)
            document.drawContents(painter, QRectF(0, top, page.width(), page.height()))
            painter.restore()
    finally:
        painter.end()


def pdf_bytes(slip: Slip) -> bytes:
    """The slip as an A4 PDF, in memory. GUI thread (it paints), but touches no disk."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(slip.title)
    writer.setCreator(f"CommuneDesk, {slip.template_version}")
    _set_page(writer)
    render(slip, writer)
    del writer  # the document is complete once the writer is gone
    data = bytes(buffer.data())
    buffer.close()
    if not data:
        raise OSError("the PDF could not be made")
    return data


def save_pdf(slip: Slip, path: Path) -> None:
    """Write the slip as an A4 PDF at ``path``; ``OSError`` when it cannot be written.
    GUI thread (prefer ``pdf_bytes`` there and ``write_private_file`` on a worker)."""
    write_private_file(path, pdf_bytes(slip))


def new_printer() -> QPrinter:
    """A high-resolution printer set to A4 with the slips' margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    _set_page(printer)
    return printer


def print_slip(slip: Slip, parent: QWidget | None, printer: QPrinter | None = None) -> bool:
    """Ask for a printer (QPrintDialog), then print; False when the official cancels.

    Pass the same ``printer`` each time to keep the choice made in the dialog. Raises
    ``OSError`` when the printer cannot be painted on. GUI thread.
    """
    printer = printer or new_printer()
    printer.setDocName(slip.title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_tr("In phiếu"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    render(slip, printer)
    return True


def preview_slip(slip: Slip, parent: QWidget | None, printer: QPrinter | None = None) -> None:
    """Show the slip in a print preview, from which it can also be printed. GUI thread."""
    printer = printer or new_printer()
    printer.setDocName(slip.title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_tr("Xem trước phiếu"))
    dialog.paintRequested.connect(partial(render, slip))
    dialog.exec()


def ask_save_pdf(slip: Slip, parent: QWidget | None, folder: Path | None = None) -> Path | None:
    """Ask where to save the slip as PDF (offering ``slip.file_name``), then save it.

    Returns the path written, or None when the official cancels. GUI thread.
    """
    dialog = QFileDialog(parent, _tr("Lưu phiếu thành PDF"),
                         str((folder or Path.home()) / slip.file_name),
                         _tr("Tệp PDF (*.pdf)"))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own speaks the app's language
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix("pdf")
    dialog.setObjectName("save_slip_pdf")
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    save_pdf(slip, path)
    return path

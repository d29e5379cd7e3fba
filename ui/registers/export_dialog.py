""""In sổ / Xuất sổ": print or export a register of Decree 30 (incoming, outgoing, incoming
follow-up) for a date range, as PDF (to print and bind) or Excel.

The clerk chooses the register, the series, the dates (one year: a register is a year) and the
format, then where to save in Qt's own file dialog (it speaks the app's language); the file is
written on the database worker by app/register_export.py (jobs.export_register) and the dialog
says where it went (``exported``). Threading: GUI thread; the file is written on the worker.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app import registers as reg
from app.dossier import VN_TZ
from ui.context import Desk
from ui.registers import jobs, texts
from ui.registers.dialogs import alive

FORMATS = ("pdf", "xlsx")


def default_folder() -> Path:
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    return Path(documents)


def file_name(kind: str, series: str, year: int, fmt: str) -> str:
    """``so-van-ban-den-2026.pdf``, ``so-theo-doi-van-ban-den-mat-2026.xlsx``."""
    stem = {"incoming": "so-van-ban-den", "outgoing": "so-van-ban-di",
            "followup": "so-theo-doi-van-ban-den"}[kind]
    return f"{stem}{'-mat' if series == reg.SECRET else ''}-{year}.{fmt}"


class ExportDialog(QDialog):
    """Choose a register, dates and format; then where to save; written on the worker."""

    exported = Signal(object)  # the file's path
    file_dialog_opened = Signal(QFileDialog)

    def __init__(self, desk: Desk, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("export_dialog")
        self.setWindowTitle(self.tr("In sổ / Xuất sổ"))
        self.file_dialog: QFileDialog | None = None
        self.busy = False
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Sổ in theo mẫu của Nghị định 30/2020/NĐ-CP, có trang bìa (năm, từ số đến số, quyển "
            "số). Mỗi sổ là một năm; sổ thường và sổ mật in riêng."), self, wordWrap=True))
        form = QFormLayout()
        self.kind = QComboBox(self, objectName="kind")
        self.kind.addItem(self.tr("Sổ đăng ký văn bản đến"), "incoming")
        self.kind.addItem(self.tr("Sổ đăng ký văn bản đi"), "outgoing")
        self.kind.addItem(self.tr("Sổ theo dõi giải quyết văn bản đến"), "followup")
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        form.addRow(self.tr("Sổ"), self.kind)
        self.series = QComboBox(self, objectName="series")
        self.series.addItem(self.tr("Văn bản thường"), reg.ORDINARY)
        self.series.addItem(self.tr("Văn bản mật"), reg.SECRET)
        form.addRow(self.tr("Loại sổ"), self.series)
        today = desk.workspace.clock.now().astimezone(VN_TZ).date()
        self.date_from = self._date("date_from", date(today.year, 1, 1))
        self.date_to = self._date("date_to", today)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel(self.tr("đến ngày"), self))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        form.addRow(self.tr("Từ ngày"), dates)
        self.pdf = QRadioButton(self.tr("PDF (để in)"), self, objectName="pdf")
        self.xlsx = QRadioButton(self.tr("Excel"), self, objectName="xlsx")
        self.pdf.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.pdf)
        group.addButton(self.xlsx)
        formats = QHBoxLayout()
        formats.addWidget(self.pdf)
        formats.addWidget(self.xlsx)
        formats.addStretch(1)
        form.addRow(self.tr("Định dạng"), formats)
        layout.addLayout(form)
        self.message = QLabel(self, objectName="message", wordWrap=True)
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(self.tr("Chọn nơi lưu…"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("ok")
        self.close_button = self.buttons.addButton(self.tr("Đóng"),
                                                   QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setObjectName("close")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _date(self, name: str, value: date) -> QDateEdit:
        edit = QDateEdit(QDate(value.year, value.month, value.day), self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        return edit

    @staticmethod
    def _day(edit: QDateEdit) -> date:
        value = edit.date()
        return date(value.year(), value.month(), value.day())

    def fmt(self) -> str:
        return "xlsx" if self.xlsx.isChecked() else "pdf"

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setVisible(bool(text))

    def problem(self) -> str | None:
        start, end = self._day(self.date_from), self._day(self.date_to)
        if start > end:
            return self.tr("Ngày bắt đầu phải trước ngày kết thúc.")
        if start.year != end.year:
            return self.tr("Mỗi sổ là một năm: ngày bắt đầu và ngày kết thúc phải cùng một năm.")
        return None

    def accept(self) -> None:  # "Chọn nơi lưu…": check, then Qt's own save dialog
        if self.busy:
            return
        problem = self.problem()
        if problem:
            self.say(problem, error=True)
            return
        self.say("")
        fmt = self.fmt()
        name = file_name(self.kind.currentData(), self.series.currentData(),
                         self._day(self.date_from).year, fmt)
        dialog = QFileDialog(self, self.tr("Lưu sổ"), str(default_folder() / name),
                             self.tr("Tệp PDF (*.pdf)") if fmt == "pdf"
                             else self.tr("Tệp Excel (*.xlsx)"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # speaks the app's language
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix(fmt)
        dialog.setObjectName("save_register")
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        self.file_dialog_opened.emit(dialog)
        dialog.open()

    def export_to(self, path: Path) -> None:
        """Write the chosen register at ``path`` on the worker, then say where it went."""
        self.file_dialog = None
        kind, series, fmt = self.kind.currentData(), self.series.currentData(), self.fmt()
        start, end = self._day(self.date_from), self._day(self.date_to)
        self.busy = True
        self.ok_button.setEnabled(False)
        self.say(self.tr("Đang lập sổ…"))
        self.desk.tasks.db(
            lambda store: jobs.export_register(store, kind, series, start, end, fmt, path),
            alive(self, self._done), alive(self, self._failed))

    def _done(self, path: Any) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.say(self.tr("Đã lưu sổ vào: {path}").format(path=str(path)))
        self.exported.emit(path)

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self.say(texts.error_text(error), error=True)

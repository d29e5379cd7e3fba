"""The forms and action dialogs of the registers: registering an incoming document (also from an
edXML package), drafting an outgoing one, giving a number, voiding, the leader's direction,
assignment, progress notes, completion, linking a reply, adding attachments.

Each dialog asks for what its app/documents.py call needs, says what is missing, asks for
confirmation before a step that cannot be undone (the safe button is the default), then runs the
call on the database worker (``desk.tasks.db``); a refusal keeps the dialog open with the reason
in Vietnamese (``texts.error_text``). Before an incoming document is registered, documents with
the same number and symbol from the same body are looked for on the worker and, if any, shown
with a question (register anyway, or go back). The number dialog shows the register, the number
and the symbol it would give now and gives it only on this machine's lease; otherwise it names
the holder and offers nothing but closing. Secret documents keep metadata only: adding a file to
one is refused with a message.

Nothing blocks: dialogs and question boxes are opened with ``open()`` and answer through signals;
``dialog_opened`` announces each question box as it appears (tests and the pages reach it).
Threading: GUI thread; every read and write through ``desk.tasks``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import documents as docs
from app import registers as reg
from app.dossier import VN_TZ
from app.edxml import ImportedDocument
from app.intake import PreparedAttachment
from ui.attachments_input import AttachmentsInput
from ui.context import Desk
from ui.registers import jobs, texts
from ui.registers.jobs import DocumentView, NumberPreview, Saved

translate = QCoreApplication.translate


def ask_before(parent: QWidget, title: str, question: str, proceed_text: str,
               then: Callable[[], None], *, informative: str = "",
               details: str = "") -> QMessageBox:
    """The question before a step that cannot be undone, the one way the registers' screens
    ask it: a warning box opened with ``open()`` (not modal to the app), whose default and
    Escape button is "Quay lại" (go back: nothing happens); ``then`` runs on ``proceed_text``.
    While it is open the box is ``parent.confirmation``, and ``parent.dialog_opened`` announces
    it (tests and the pages reach it there)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, question,
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("confirmation")
    if informative:
        box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)
    proceed = box.addButton(proceed_text, QMessageBox.ButtonRole.DestructiveRole)
    proceed.setObjectName("confirm")
    back = box.addButton(translate("DocumentDialog", "Quay lại"),
                         QMessageBox.ButtonRole.RejectRole)
    back.setObjectName("back")
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    parent.confirmation = box

    def answered(_result: int) -> None:
        if not shiboken6.isValid(parent):
            return
        chosen = box.clickedButton()
        parent.confirmation = None
        box.deleteLater()
        if chosen is proceed:
            then()

    box.finished.connect(answered)
    parent.dialog_opened.emit(box)
    box.open()
    return box
ERROR_STYLE = "color: #b00020;"
NO_DATE = QDate(1900, 1, 1)  # a date edit at its minimum shows "—": no date


def alive(widget: QWidget, callback: Callable[..., None]) -> Callable[..., None]:
    """``callback``, skipped when ``widget`` was deleted before a background job answered."""
    def call(*args: Any) -> None:
        if shiboken6.isValid(widget):
            callback(*args)
    return call


_alive = alive


def _text_box(name: str, placeholder: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setObjectName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _date_edit(name: str, value: date | None, *, optional: bool) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    if optional:
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("—")
    edit.setDate(QDate(value.year, value.month, value.day) if value else NO_DATE)
    return edit


def _date_of(edit: QDateEdit) -> date | None:
    value = edit.date()
    if value == NO_DATE and edit.minimumDate() == NO_DATE:
        return None
    return date(value.year(), value.month(), value.day())


def _qt_moment(moment: datetime) -> QDateTime:
    """A moment as Hà Nội's wall clock in a UTC date-time edit (see ui/action_dialogs.py)."""
    local = moment.astimezone(VN_TZ)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute),
                     QTimeZone.utc())


def _moment_of(edit: QDateTimeEdit) -> datetime:
    value = edit.dateTime()
    day, clock = value.date(), value.time()
    return datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute(),
                    tzinfo=VN_TZ)


def _choice_combo(name: str, choices: dict[str, str], current: str | None) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for value, text in choices.items():
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def urgency_choices() -> dict[str, str]:
    return {value: texts.urgency_name(value) for value in reg.URGENCY}


def secrecy_choices() -> dict[str, str]:
    return {value: texts.secrecy_name(value) for value in reg.SECRECY}


def type_combo(name: str, current: str | None, *, editable: bool) -> QComboBox:
    """The Decree 30 types ("QĐ — Quyết định"); an incoming document may be of another body's
    type (NĐ, TT…): its combo is editable."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setEditable(editable)
    for kind in reg.DOC_TYPES:
        combo.addItem(texts.type_label(kind.abbreviation), kind.abbreviation)
    index = combo.findData(current) if current else combo.findData("CV")
    if index >= 0:
        combo.setCurrentIndex(index)
    elif current:
        combo.setEditText(current)
    if editable:
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


def type_of(combo: QComboBox) -> str:
    text = combo.currentText().strip()
    index = combo.findText(text)
    if index >= 0:
        return str(combo.itemData(index))
    return text.split(" — ")[0].strip()


def staff_combo(name: str, view: DocumentView, current: str | None) -> QComboBox:
    """The commune's staff (editable: a profile without a staff list types a name)."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("", None)
    for person in view.staff:
        combo.addItem(view.staff_name(person["username"]), person["username"])
    index = combo.findData(current) if current else 0
    if index >= 0:
        combo.setCurrentIndex(index)
    elif current:
        combo.setEditText(current)
    return combo


def staff_of(combo: QComboBox) -> str | None:
    text = combo.currentText().strip()
    index = combo.findText(text)
    if index >= 0:
        return combo.itemData(index)
    return text or None


def saved_text(kind: str, saved: Saved) -> str:
    """What the page says after a form saved a document."""
    record = saved.record
    if kind == reg.INCOMING:
        if saved.numbered and record.get("arrival_number"):
            text = translate("RegisterDialogs", "Đã đăng ký văn bản đến, số đến {number}.").format(
                number=reg.number_text(record["arrival_number"]))
        elif saved.lease is not None:
            text = translate("RegisterDialogs", "Đã ghi văn bản đến, chưa có số đến. {why}"
                             ).format(why=texts.not_holder_text(
                                 reg.INCOMING, record["series"],
                                 {"holder_device_name": saved.lease.holder_device_name,
                                  "holder_device_id": saved.lease.holder_device_id,
                                  "holder_user": saved.lease.holder_user}))
        else:
            text = translate("RegisterDialogs", "Đã lưu văn bản đến.")
    else:
        text = translate("RegisterDialogs", "Đã lưu văn bản đi.")
    for name, error in saved.refused:
        text += " " + translate("RegisterDialogs", "Không lưu được tệp {name}: {why}").format(
            name=name, why=texts.error_text(error))
    return text


# ------------------------------------------------------------------ the base dialog


class DocumentDialog(QDialog):
    """Asks for an action's input, confirms when it cannot be undone, runs it on the worker."""

    performed = Signal(object)  # the record (or jobs.Saved) after the action
    dialog_opened = Signal(QDialog)  # a question box
    irreversible = False

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.busy = False
        self.confirmation: QMessageBox | None = None
        self.setWindowTitle(self.title())
        layout = QVBoxLayout(self)
        self.intro = QLabel(self.introduction(), self, wordWrap=True)
        self.intro.setObjectName("intro")
        self.intro.setVisible(bool(self.intro.text()))
        layout.addWidget(self.intro)
        self.form_layout = QFormLayout()
        self.build(self.form_layout)
        self.body = self.wrap(self.form_layout)
        layout.addWidget(self.body, 1)
        self.error_label = QLabel(self, wordWrap=True)
        self.error_label.setObjectName("error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(self.ok_text(),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("ok")
        self.cancel_button = self.buttons.addButton(self.tr("Huỷ"),
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setObjectName("cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.ok_button.setDefault(not self.irreversible)
        self.ok_button.setAutoDefault(not self.irreversible)
        if self.irreversible:
            self.cancel_button.setDefault(True)
        self.setMinimumWidth(600)

    def wrap(self, form: QFormLayout) -> QWidget:
        holder = QWidget(self)
        holder.setLayout(form)
        return holder

    # What a subclass provides ---------------------------------------------------------

    def title(self) -> str:
        return ""

    def introduction(self) -> str:
        return ""

    def ok_text(self) -> str:
        return self.tr("Lưu")

    def build(self, form: QFormLayout) -> None:
        """Add the fields."""

    def problem(self) -> str | None:
        """What is missing or wrong (None: nothing)."""
        return None

    def question(self) -> str:
        return ""

    def confirm_text(self) -> str:
        return self.ok_text()

    def job(self) -> Callable[[Any], Any]:
        """The work, a function of the worker's store (built from the fields now)."""
        raise NotImplementedError

    # The flow -------------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def accept(self) -> None:  # OK: check, confirm, run
        if self.busy:
            return
        problem = self.problem()
        if problem:
            self.show_error(problem)
            return
        self.show_error("")
        if self.irreversible:
            self.ask(self.question(), self.confirm_text(), self.submit,
                     informative=self.tr("Việc này không thể hoàn tác."))
        else:
            self.submit()

    def ask(self, question: str, proceed_text: str, then: Callable[[], None], *,
            informative: str = "", details: str = "") -> QMessageBox:
        """A question box (``ask_before``) titled as this dialog."""
        return ask_before(self, self.windowTitle(), question, proceed_text, then,
                          informative=informative, details=details)

    def submit(self) -> None:
        self.run(self.job(), self._done)

    def run(self, job: Callable[[Any], Any], done: Callable[[Any], None]) -> None:
        self.set_busy(True)
        self.desk.tasks.db(job, _alive(self, lambda result: (self.set_busy(False),
                                                             done(result))),
                           _alive(self, self._failed))

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.ok_button.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        if busy:
            self.error_label.setStyleSheet("")
            self.error_label.setText(self.tr("Đang lưu…"))
            self.error_label.show()
        else:
            self.error_label.setStyleSheet(ERROR_STYLE)
            self.error_label.hide()

    def _done(self, result: Any) -> None:
        self.performed.emit(result)
        self.done(QDialog.DialogCode.Accepted)

    def _failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self.show_error(texts.error_text(error))


# ------------------------------------------------------------------ incoming: register, edit


class IncomingForm(DocumentDialog):
    """"Đăng ký văn bản đến": every field of the register, attachments, the duplicate check.
    With ``imported`` (an edXML package read) the form comes filled in; with ``view`` it edits
    an entry (the fields ``documents.update_incoming`` accepts)."""

    def __init__(self, desk: Desk, parent: QWidget | None = None, *,
                 imported: ImportedDocument | None = None,
                 view: DocumentView | None = None) -> None:
        self.imported, self.view = imported, view
        self.record: dict[str, Any] = (view.record if view is not None else
                                       imported.record if imported is not None else {})
        self.package_files: list[PreparedAttachment] = [
            PreparedAttachment(a.name, a.media_type, a.data, len(a.data))
            for a in (imported.attachments if imported is not None else [])]
        self.duplicates: list[dict[str, Any]] = []
        super().__init__(desk, parent)
        self.setObjectName("incoming_form")
        self.setMinimumWidth(720)
        self._secrecy_changed()

    def title(self) -> str:
        if self.view is not None:
            return self.tr("Sửa văn bản đến")
        if self.imported is not None:
            return self.tr("Đăng ký văn bản đến từ gói edXML")
        return self.tr("Đăng ký văn bản đến")

    def introduction(self) -> str:
        if self.imported is not None:
            return self.tr("Thông tin đã lấy từ gói edXML. Kiểm tra lại rồi bấm “Đăng ký”.")
        if self.view is not None:
            return ""
        return self.tr("Văn bản khẩn (Khẩn, Thượng khẩn, Hỏa tốc) được đánh dấu nổi bật trong "
                       "mọi danh sách. Văn bản mật chỉ lưu thông tin, không lưu tệp.")

    def ok_text(self) -> str:
        return self.tr("Lưu") if self.view is not None else self.tr("Đăng ký")

    def wrap(self, form: QFormLayout) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        holder = QWidget()
        holder.setLayout(form)
        scroll.setWidget(holder)
        scroll.setMinimumHeight(460)
        return scroll

    def build(self, form: QFormLayout) -> None:
        record = self.record
        now = self.desk.workspace.clock.now()
        self.arrived_at = QDateTimeEdit()
        self.arrived_at.setObjectName("arrived_at")
        self.arrived_at.setCalendarPopup(True)
        self.arrived_at.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.arrived_at.setTimeZone(QTimeZone.utc())
        arrived = record.get("arrived_at")
        self.arrived_at.setDateTime(_qt_moment(
            datetime.fromisoformat(arrived.replace("Z", "+00:00")) if arrived else now))
        if self.view is None:
            form.addRow(self.tr("Ngày, giờ đến"), self.arrived_at)
        self.author = _line("author", self.tr("Cơ quan, tổ chức ban hành (bắt buộc)"))
        self.author.setText(record.get("author") or "")
        form.addRow(self.tr("Tác giả"), self.author)
        self.number_symbol = _line("number_symbol", self.tr("Ví dụ: 15/QĐ-UBND"))
        self.number_symbol.setText(record.get("number_symbol") or "")
        form.addRow(self.tr("Số, ký hiệu"), self.number_symbol)
        day = record.get("document_date")
        self.document_date = _date_edit(
            "document_date", date.fromisoformat(day) if day else
            (None if self.record else now.astimezone(VN_TZ).date()), optional=True)
        form.addRow(self.tr("Ngày văn bản"), self.document_date)
        self.doc_type = type_combo("doc_type", record.get("doc_type"), editable=True)
        form.addRow(self.tr("Loại văn bản"), self.doc_type)
        self.summary = _text_box("summary", self.tr("Trích yếu nội dung (bắt buộc)"), 3)
        self.summary.setPlainText(record.get("summary") or "")
        form.addRow(self.tr("Trích yếu"), self.summary)
        self.urgency = _choice_combo("urgency", urgency_choices(), record.get("urgency"))
        form.addRow(self.tr("Độ khẩn"), self.urgency)
        self.secrecy = _choice_combo("secrecy", secrecy_choices(), record.get("secrecy"))
        form.addRow(self.tr("Độ mật"), self.secrecy)
        self.recipient = _line("recipient", self.tr("Đơn vị hoặc người nhận"))
        self.recipient.setText(record.get("recipient") or "")
        form.addRow(self.tr("Nơi nhận"), self.recipient)
        forwarded = record.get("forwarded_at")
        self.forwarded_at = _date_edit("forwarded_at", date.fromisoformat(forwarded)
                                       if forwarded else None, optional=True)
        form.addRow(self.tr("Ngày chuyển"), self.forwarded_at)
        self.source = _choice_combo("source", {"paper": texts.source_name("paper"),
                                               "electronic": texts.source_name("electronic")},
                                    record.get("source"))
        form.addRow(self.tr("Hình thức"), self.source)
        self.notes = _text_box("notes", self.tr("Không bắt buộc"), 2)
        self.notes.setPlainText(record.get("notes") or "")
        form.addRow(self.tr("Ghi chú"), self.notes)
        self.secret_note = QLabel(self.tr(
            "Văn bản mật: chỉ lưu thông tin trên máy tính, không lưu tệp đính kèm (bản quét, "
            "PDF)."), wordWrap=True)
        self.secret_note.setObjectName("secret_note")
        self.secret_note.setStyleSheet(ERROR_STYLE)
        form.addRow(self.secret_note)
        self.attachments = AttachmentsInput(self.desk.tasks)
        self.attachments.add_button.clicked.disconnect()
        self.attachments.add_button.clicked.connect(self.choose_files)
        self.package_list = QListWidget()
        self.package_list.setObjectName("package_files")
        for item in self.package_files:
            self.package_list.addItem(f"{item.file_name} — {self.attachments.size_text(item.size)}")
        self.package_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        if self.view is None:
            form.addRow(self.tr("Tệp đính kèm"), self.attachments)
            if self.package_files:
                form.addRow(self.tr("Tệp trong gói"), self.package_list)
        self.secrecy.currentIndexChanged.connect(self._secrecy_changed)

    @property
    def secret(self) -> bool:
        return self.secrecy.currentData() != "none"

    def _secrecy_changed(self, *_: Any) -> None:
        self.secret_note.setVisible(self.secret)

    def choose_files(self) -> None:
        """The attachments' file dialog, unless the document is secret (refused, said why)."""
        if self.secret:
            self.show_error(texts.error_text(_SecretRefusal()))
            return
        self.show_error("")
        self.attachments.choose_files()

    def add_files(self, paths: list[Any]) -> bool:
        """Read files into the form (as the file dialog does); refused for a secret document."""
        if self.secret:
            self.show_error(texts.error_text(_SecretRefusal()))
            return False
        self.attachments.add_files(paths)
        return True

    def files(self) -> list[PreparedAttachment]:
        return [*self.package_files, *self.attachments.prepared()]

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "author": self.author.text(),
            "number_symbol": self.number_symbol.text(),
            "document_date": _date_of(self.document_date),
            "doc_type": type_of(self.doc_type),
            "summary": self.summary.toPlainText(),
            "urgency": self.urgency.currentData(),
            "secrecy": self.secrecy.currentData(),
            "recipient": self.recipient.text(),
            "forwarded_at": _date_of(self.forwarded_at),
            "source": self.source.currentData(),
            "notes": self.notes.toPlainText(),
        }
        if self.view is None:
            values["arrived_at"] = _moment_of(self.arrived_at)
        return values

    def problem(self) -> str | None:
        if not self.author.text().strip():
            return self.tr("Hãy ghi tác giả (cơ quan, tổ chức ban hành văn bản).")
        if not type_of(self.doc_type):
            return self.tr("Hãy chọn loại văn bản.")
        if not self.summary.toPlainText().strip():
            return self.tr("Hãy ghi trích yếu nội dung.")
        if self.attachments.busy:
            return self.tr("Đang đọc tệp đính kèm, hãy đợi một chút.")
        if self.secret and self.view is None and self.files():
            return texts.error_text(_SecretRefusal())
        return None

    def submit(self) -> None:
        values = self.values()
        if self.view is not None:
            document_id = self.view.document_id
            self.run(lambda store: jobs.update_incoming(store, document_id, values, []),
                     self._done)
            return
        number_symbol, author, day = (values["number_symbol"], values["author"],
                                      values["document_date"])
        self.run(lambda store: docs.find_duplicates(store, number_symbol, author,
                                                    document_date=day),
                 lambda found: self._checked(values, found))

    def _checked(self, values: dict[str, Any], duplicates: list[dict[str, Any]]) -> None:
        self.duplicates = duplicates
        if not duplicates:
            self._register(values, allow_duplicate=False)
            return
        lines = [self.tr("Số đến {label}, ngày đến {arrived}: {summary}").format(
            label=d.get("label") or self.tr("(chưa có số)"),
            arrived=texts.local_time(d.get("arrived_at")), summary=d.get("summary") or "")
            for d in duplicates]
        question = self.tr(
            "Sổ đã có văn bản số {symbol} của {author}:\n\n{entries}\n\nHãy kiểm tra bản giấy. "
            "Đây có đúng là một văn bản khác không?").format(
            symbol=values["number_symbol"], author=values["author"], entries="\n".join(lines))
        self.ask(question, self.tr("Vẫn đăng ký"),
                 lambda: self._register(values, allow_duplicate=True))

    def _register(self, values: dict[str, Any], *, allow_duplicate: bool) -> None:
        files = self.files()
        self.run(lambda store: jobs.register_incoming(store, values, files,
                                                      allow_duplicate=allow_duplicate),
                 self._done)

    def _failed(self, error: BaseException) -> None:
        if getattr(error, "code", "") == "possible_duplicate":  # registered meanwhile
            self.set_busy(False)
            self._checked(self.values(), [{"label": error.params.get("existing"),  # type: ignore[attr-defined]
                                           "summary": ""}])
            return
        super()._failed(error)


class _SecretRefusal(Exception):
    code = "secret_metadata_only"


# ------------------------------------------------------------------ outgoing: draft, edit


class DraftForm(DocumentDialog):
    """"Soạn văn bản đi": a draft (any machine may draft), or a change to one; once issued only
    the register's own details (notes, archive unit, copies) still change."""

    def __init__(self, desk: Desk, parent: QWidget | None = None, *,
                 view: DocumentView | None = None, answers: str | None = None) -> None:
        self.view, self.answers = view, answers
        self.record: dict[str, Any] = view.record if view is not None else {}
        super().__init__(desk, parent)
        self.setObjectName("draft_form")
        self.setMinimumWidth(680)
        if view is not None and view.status != "draft":
            for widget in (self.doc_type, self.summary, self.signer, self.recipients,
                           self.drafting_unit, self.issuer, self.urgency, self.secrecy):
                widget.setEnabled(False)

    def title(self) -> str:
        if self.view is None:
            return self.tr("Soạn văn bản đi")
        return self.tr("Sửa văn bản đi {label}").format(
            label=self.view.label or self.tr("(dự thảo)"))

    def introduction(self) -> str:
        if self.view is not None and self.view.status != "draft":
            return self.tr("Văn bản đã ban hành: nội dung đã in trên giấy, chỉ còn sửa được ghi "
                           "chú, nơi lưu, số bản và ngày chuyển.")
        return self.tr("Dự thảo chưa có số. Số được cấp khi văn bản đã ký (nút “Cấp số”), trên "
                       "máy giữ quyền cấp số của sổ.")

    def ok_text(self) -> str:
        return self.tr("Lưu dự thảo") if self.view is None else self.tr("Lưu")

    def build(self, form: QFormLayout) -> None:
        record = self.record
        self.doc_type = type_combo("doc_type", record.get("doc_type"), editable=False)
        form.addRow(self.tr("Loại văn bản"), self.doc_type)
        self.summary = _text_box("summary", self.tr("Trích yếu nội dung (bắt buộc)"), 3)
        self.summary.setPlainText(record.get("summary") or "")
        form.addRow(self.tr("Trích yếu"), self.summary)
        self.signer = _line("signer", self.tr("Họ tên người ký"))
        self.signer.setText(record.get("signer") or "")
        form.addRow(self.tr("Người ký"), self.signer)
        self.recipients = _text_box("recipients", self.tr("Mỗi dòng một nơi nhận"), 3)
        self.recipients.setPlainText("\n".join(record.get("recipients") or []))
        form.addRow(self.tr("Nơi nhận"), self.recipients)
        self.drafting_unit = _line("drafting_unit", self.tr("Ví dụ: VP"))
        self.drafting_unit.setText(record.get("drafting_unit") or "")
        form.addRow(self.tr("Đơn vị soạn thảo"), self.drafting_unit)
        self.issuer = _line("issuer", self.tr("Để trống: theo cài đặt (UBND)"))
        self.issuer.setText(record.get("issuer") or "")
        form.addRow(self.tr("Cơ quan ban hành (viết tắt)"), self.issuer)
        self.copies = QSpinBox()
        self.copies.setObjectName("copies")
        self.copies.setRange(1, 9999)
        self.copies.setValue(int(record.get("copies") or 1))
        form.addRow(self.tr("Số bản"), self.copies)
        self.urgency = _choice_combo("urgency", urgency_choices(), record.get("urgency"))
        form.addRow(self.tr("Độ khẩn"), self.urgency)
        self.secrecy = _choice_combo("secrecy", secrecy_choices(), record.get("secrecy"))
        form.addRow(self.tr("Độ mật"), self.secrecy)
        self.archive_unit = _line("archive_unit", self.tr("Đơn vị, người nhận bản lưu"))
        self.archive_unit.setText(record.get("archive_unit") or "")
        form.addRow(self.tr("Nơi lưu"), self.archive_unit)
        forwarded = record.get("forwarded_at")
        self.forwarded_at = _date_edit("forwarded_at", date.fromisoformat(forwarded)
                                       if forwarded else None, optional=True)
        form.addRow(self.tr("Ngày chuyển"), self.forwarded_at)
        self.notes = _text_box("notes", self.tr("Không bắt buộc"), 2)
        self.notes.setPlainText(record.get("notes") or "")
        form.addRow(self.tr("Ghi chú"), self.notes)
        self.attachments = AttachmentsInput(self.desk.tasks)
        self.attachments.add_button.clicked.disconnect()
        self.attachments.add_button.clicked.connect(self.choose_files)
        if self.view is None:
            form.addRow(self.tr("Tệp đính kèm"), self.attachments)

    @property
    def secret(self) -> bool:
        return self.secrecy.currentData() != "none"

    def choose_files(self) -> None:
        if self.secret:
            self.show_error(texts.error_text(_SecretRefusal()))
            return
        self.show_error("")
        self.attachments.choose_files()

    def values(self) -> dict[str, Any]:
        if self.view is not None and self.view.status != "draft":
            return {"notes": self.notes.toPlainText(), "archive_unit": self.archive_unit.text(),
                    "copies": self.copies.value(), "forwarded_at": _date_of(self.forwarded_at)}
        values: dict[str, Any] = {
            "doc_type": self.doc_type.currentData(),
            "summary": self.summary.toPlainText(),
            "signer": self.signer.text(),
            "recipients": [line for line in self.recipients.toPlainText().splitlines()
                           if line.strip()],
            "drafting_unit": self.drafting_unit.text(),
            "issuer": self.issuer.text(),
            "copies": self.copies.value(),
            "urgency": self.urgency.currentData(),
            "secrecy": self.secrecy.currentData(),
            "archive_unit": self.archive_unit.text(),
            "forwarded_at": _date_of(self.forwarded_at),
            "notes": self.notes.toPlainText(),
        }
        if self.answers and self.view is None:
            values["answers_id"] = self.answers
        return values

    def problem(self) -> str | None:
        if not self.summary.toPlainText().strip():
            return self.tr("Hãy ghi trích yếu nội dung.")
        if self.attachments.busy:
            return self.tr("Đang đọc tệp đính kèm, hãy đợi một chút.")
        if self.secret and self.view is None and self.attachments.prepared():
            return texts.error_text(_SecretRefusal())
        return None

    def job(self) -> Callable[[Any], Any]:
        values, files = self.values(), self.attachments.prepared()
        if self.view is None:
            return lambda store: jobs.draft_outgoing(store, values, files)
        document_id = self.view.document_id
        return lambda store: jobs.update_draft(store, document_id, values, [])


# ------------------------------------------------------------------ giving a number


class NumberDialog(DocumentDialog):
    """Give an outgoing draft its number (issue) or an arrival its arrival number: the register,
    the number and the symbol it will have are shown first, because the number is final and is
    written on the paper. Without this machine's lease: who holds it, and nothing but closing."""

    def __init__(self, desk: Desk, document_id: str, kind: str,
                 parent: QWidget | None = None) -> None:
        self.document_id, self.kind = document_id, kind
        self.preview: NumberPreview | None = None
        super().__init__(desk, parent)
        self.setObjectName("number_dialog")
        self.ok_button.hide()
        self.cancel_button.setText(self.tr("Đóng"))
        self.intro.setText(self.tr("Đang tính số sẽ cấp…"))
        self.intro.show()
        self.desk.tasks.db(lambda store: jobs.preview_number(store, document_id),
                           _alive(self, self._previewed), _alive(self, self._failed))

    def title(self) -> str:
        return self.tr("Cấp số văn bản đi") if self.kind == reg.OUTGOING else \
            self.tr("Cấp số đến")

    def ok_text(self) -> str:
        return self.tr("Cấp số")

    def build(self, form: QFormLayout) -> None:
        self.register_label = QLabel(objectName="register")
        self.summary_label = QLabel(objectName="summary", wordWrap=True)
        self.number_label = QLabel(objectName="number")
        self.symbol_label = QLabel(objectName="symbol")
        font = QFont(self.symbol_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.symbol_label.setFont(font)
        self.number_label.setFont(font)
        self.warning = QLabel(objectName="warning", wordWrap=True)
        self.warning.setStyleSheet("QLabel { background: #fff4ce; padding: 6px; }")
        self.holder_label = QLabel(objectName="holder", wordWrap=True)
        self.holder_label.setStyleSheet("QLabel { background: #fde4e4; padding: 6px; }")
        form.addRow(self.tr("Sổ"), self.register_label)
        form.addRow(self.tr("Văn bản"), self.summary_label)
        form.addRow(self.tr("Số sẽ cấp"), self.number_label)
        if self.kind == reg.OUTGOING:
            form.addRow(self.tr("Số, ký hiệu"), self.symbol_label)
        for widget in (self.warning, self.holder_label):
            widget.hide()

    def wrap(self, form: QFormLayout) -> QWidget:
        """The form, then the warning or the holder below it (whole width: they wrap)."""
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addWidget(self.warning)
        column.addWidget(self.holder_label)
        return holder

    def _previewed(self, preview: NumberPreview) -> None:
        self.preview = preview
        record = preview.record
        self.register_label.setText(self.tr("{register}, năm {year}").format(
            register=texts.register_name(self.kind, preview.series), year=preview.year))
        summary = f"{texts.type_name(record.get('doc_type'))}: {record.get('summary') or ''}"
        self.summary_label.setText(summary)
        if preview.number is None:
            lease = preview.lease
            self.intro.setText(self.tr("Máy này không giữ quyền cấp số của sổ này."))
            self.holder_label.setText(texts.not_holder_text(self.kind, preview.series, {
                "holder_device_name": lease.holder_device_name,
                "holder_device_id": lease.holder_device_id, "holder_user": lease.holder_user}))
            self.holder_label.show()
            self.number_label.setText("—")
            self.symbol_label.setText("—")
            self.adjustSize()
            return
        number = reg.number_text(preview.number)
        self.number_label.setText(number)
        self.symbol_label.setText(preview.symbol or "")
        shown = preview.symbol or number
        if self.kind == reg.OUTGOING:
            self.intro.setText(self.tr(
                "Cấp số cho văn bản đã ký. Kiểm tra số và ký hiệu trước khi cấp."))
            self.warning.setText(self.tr(
                "Số {symbol} là số chính thức: ghi ngay lên bản giấy đã ký, không đổi và không "
                "dùng lại được. Văn bản in hỏng thì hủy số (số vẫn nằm trong sổ).").format(
                symbol=shown))
        else:
            self.intro.setText(self.tr("Cấp số đến cho văn bản đã ghi vào sổ."))
            self.warning.setText(self.tr(
                "Số đến {number} là số chính thức của sổ: ghi lên văn bản giấy, không đổi "
                "được.").format(number=number))
        self.warning.show()
        self.ok_button.setText(self.tr("Cấp số {symbol}").format(symbol=shown))
        self.ok_button.show()
        self.ok_button.setDefault(False)
        self.ok_button.setAutoDefault(False)
        self.cancel_button.setText(self.tr("Huỷ"))
        self.cancel_button.setDefault(True)
        self.adjustSize()

    def problem(self) -> str | None:
        if self.preview is None or self.preview.number is None:
            return self.tr("Máy này không cấp số được cho văn bản này.")
        return None

    def job(self) -> Callable[[Any], Any]:
        document_id = self.document_id
        if self.kind == reg.OUTGOING:
            return lambda store: docs.issue(store, document_id)
        return lambda store: docs.number_incoming(store, document_id)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if busy:
            self.error_label.setText(self.tr("Đang cấp số…"))

    def _failed(self, error: BaseException) -> None:
        super()._failed(error)
        if getattr(error, "code", "") == "not_lease_holder":  # the lease moved meanwhile
            self.ok_button.hide()
            self.cancel_button.setText(self.tr("Đóng"))


class VoidDialog(DocumentDialog):
    """Cancel an issued outgoing document: the reason is required; the number stays in the
    register marked void and is never given again."""

    irreversible = True

    def __init__(self, desk: Desk, view: DocumentView, parent: QWidget | None = None) -> None:
        self.view = view
        super().__init__(desk, parent)
        self.setObjectName("void_dialog")

    def title(self) -> str:
        return self.tr("Hủy văn bản {symbol}").format(symbol=self.view.label)

    def introduction(self) -> str:
        return self.tr(
            "Hủy văn bản {symbol} (in sai, không phát hành). Văn bản vẫn nằm trong sổ với số "
            "của nó, ghi “ĐÃ HỦY” và lý do; số này không được cấp lại cho văn bản khác.").format(
            symbol=self.view.label)

    def ok_text(self) -> str:
        return self.tr("Hủy văn bản")

    def build(self, form: QFormLayout) -> None:
        self.reason = _text_box("reason", self.tr("Bắt buộc"), 3)
        form.addRow(self.tr("Lý do hủy"), self.reason)

    def problem(self) -> str | None:
        if not self.reason.toPlainText().strip():
            return self.tr("Hãy ghi lý do hủy.")
        return None

    def question(self) -> str:
        return self.tr("Hủy văn bản {symbol}? Số {number} vẫn nằm trong sổ, ghi “ĐÃ HỦY”, và "
                       "không dùng lại.").format(
            symbol=self.view.label,
            number=reg.number_text(self.view.record["number"]) if self.view.record.get("number")
            else "")

    def job(self) -> Callable[[Any], Any]:
        document_id, reason = self.view.document_id, self.reason.toPlainText()
        return lambda store: docs.void(store, document_id, reason)


# ------------------------------------------------------------------ incoming: handling


class DirectionDialog(DocumentDialog):
    """The leader's direction: who leads, who co-ordinates, the deadline, a note."""

    def __init__(self, desk: Desk, view: DocumentView, parent: QWidget | None = None) -> None:
        self.view = view
        super().__init__(desk, parent)
        self.setObjectName("direction_dialog")

    def title(self) -> str:
        return self.tr("Ý kiến chỉ đạo")

    def introduction(self) -> str:
        return self.tr("Giao người chủ trì, người phối hợp và hạn xử lý văn bản: {summary}"
                       ).format(summary=self.view.record.get("summary") or "")

    def build(self, form: QFormLayout) -> None:
        record = self.view.record
        self.lead = staff_combo("lead", self.view, record.get("lead"))
        form.addRow(self.tr("Người chủ trì"), self.lead)
        self.coordinators = QListWidget()
        self.coordinators.setObjectName("coordinators")
        chosen = set(record.get("coordinators") or [])
        for person in self.view.staff:
            item = QListWidgetItem(self.view.staff_name(person["username"]))
            item.setData(Qt.ItemDataRole.UserRole, person["username"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if person["username"] in chosen
                               else Qt.CheckState.Unchecked)
            self.coordinators.addItem(item)
        self.coordinators.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        if self.view.staff:
            form.addRow(self.tr("Người phối hợp"), self.coordinators)
        known = {p["username"] for p in self.view.staff}
        self.other_coordinators = _line("other_coordinators",
                                        self.tr("Người khác, cách nhau bằng dấu phẩy"))
        self.other_coordinators.setText(", ".join(c for c in chosen if c not in known))
        form.addRow(self.tr("Phối hợp (khác)"), self.other_coordinators)
        self.has_deadline = QCheckBox(self.tr("Có hạn xử lý"))
        self.has_deadline.setObjectName("has_deadline")
        deadline = record.get("deadline")
        today = self.desk.workspace.clock.now().astimezone(VN_TZ).date()
        day = (datetime.fromisoformat(deadline.replace("Z", "+00:00")).astimezone(VN_TZ).date()
               if deadline else today)
        self.deadline = _date_edit("deadline", day, optional=False)
        self.has_deadline.setChecked(bool(deadline))
        self.deadline.setEnabled(bool(deadline))
        self.has_deadline.toggled.connect(self.deadline.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.has_deadline)
        row.addWidget(self.deadline, 1)
        form.addRow(self.tr("Hạn xử lý"), row)
        self.note = _text_box("note", self.tr("Ý kiến chỉ đạo (không bắt buộc)"), 3)
        form.addRow(self.tr("Nội dung"), self.note)

    def chosen_coordinators(self) -> list[str]:
        chosen = [str(self.coordinators.item(i).data(Qt.ItemDataRole.UserRole))
                  for i in range(self.coordinators.count())
                  if self.coordinators.item(i).checkState() == Qt.CheckState.Checked]
        chosen += [part.strip() for part in self.other_coordinators.text().split(",")
                   if part.strip()]
        return list(dict.fromkeys(chosen))

    def problem(self) -> str | None:
        if not staff_of(self.lead):
            return self.tr("Hãy chọn người chủ trì.")
        return None

    def job(self) -> Callable[[Any], Any]:
        document_id, lead = self.view.document_id, staff_of(self.lead)
        team = self.chosen_coordinators()
        deadline = _date_of(self.deadline) if self.has_deadline.isChecked() else None
        note = self.note.toPlainText()
        return lambda store: docs.direct(store, document_id, lead or "", team, deadline, note)


class AssignDialog(DocumentDialog):
    def __init__(self, desk: Desk, view: DocumentView, parent: QWidget | None = None) -> None:
        self.view = view
        super().__init__(desk, parent)
        self.setObjectName("assign_dialog")

    def title(self) -> str:
        return self.tr("Giao xử lý văn bản")

    def introduction(self) -> str:
        return self.tr("Giao văn bản cho một cán bộ giải quyết: {summary}").format(
            summary=self.view.record.get("summary") or "")

    def build(self, form: QFormLayout) -> None:
        self.assignee = staff_combo("assignee", self.view, self.view.record.get("assigned_to"))
        form.addRow(self.tr("Giao cho"), self.assignee)
        self.note = _text_box("note", self.tr("Không bắt buộc"), 2)
        form.addRow(self.tr("Ghi chú"), self.note)

    def problem(self) -> str | None:
        if not staff_of(self.assignee):
            return self.tr("Hãy chọn người được giao.")
        return None

    def job(self) -> Callable[[Any], Any]:
        document_id, who = self.view.document_id, staff_of(self.assignee)
        note = self.note.toPlainText()
        return lambda store: docs.assign(store, document_id, who, note)


class NoteDialog(DocumentDialog):
    """A progress note (required) or the completion of a document (note optional)."""

    def __init__(self, desk: Desk, view: DocumentView, action: str,
                 parent: QWidget | None = None) -> None:
        self.view, self.action = view, action
        self.irreversible = action == "complete"
        super().__init__(desk, parent)
        self.setObjectName(f"{action}_dialog")

    def title(self) -> str:
        return texts.action_label(self.action)

    def introduction(self) -> str:
        if self.action == "complete":
            return self.tr("Đánh dấu văn bản đã giải quyết xong (không còn tính hạn): {summary}"
                           ).format(summary=self.view.record.get("summary") or "")
        return self.tr("Ghi tiến độ giải quyết văn bản: {summary}").format(
            summary=self.view.record.get("summary") or "")

    def ok_text(self) -> str:
        return texts.action_label(self.action)

    def build(self, form: QFormLayout) -> None:
        self.note = _text_box("note", self.tr("Không bắt buộc") if self.action == "complete"
                              else self.tr("Bắt buộc"), 3)
        form.addRow(self.tr("Nội dung"), self.note)

    def problem(self) -> str | None:
        if self.action == "progress" and not self.note.toPlainText().strip():
            return self.tr("Hãy ghi nội dung tiến độ.")
        return None

    def question(self) -> str:
        return self.tr("Đánh dấu văn bản này đã giải quyết xong?")

    def job(self) -> Callable[[Any], Any]:
        document_id, note = self.view.document_id, self.note.toPlainText()
        if self.action == "complete":
            return lambda store: docs.complete(store, document_id, note)
        return lambda store: docs.add_progress(store, document_id, note)


class LinkDialog(DocumentDialog):
    """Link the reply: for an incoming document, the outgoing one that answers it; for an
    outgoing one, the incoming document it answers."""

    def __init__(self, desk: Desk, view: DocumentView, parent: QWidget | None = None) -> None:
        self.view = view
        super().__init__(desk, parent)
        self.setObjectName("link_dialog")
        kind = view.kind
        self.desk.tasks.db(lambda store: jobs.link_choices(store, kind),
                           _alive(self, self._fill), _alive(self, self._failed))

    def title(self) -> str:
        return texts.action_label("link_reply")

    def introduction(self) -> str:
        if self.view.kind == reg.INCOMING:
            return self.tr("Chọn văn bản đi trả lời văn bản này.")
        return self.tr("Chọn văn bản đến mà văn bản này trả lời.")

    def build(self, form: QFormLayout) -> None:
        self.choice = QComboBox()
        self.choice.setObjectName("choice")
        self.choice.setMinimumContentsLength(50)
        self.choice.addItem(self.tr("Đang tải…"), None)
        form.addRow(self.tr("Văn bản"), self.choice)

    def _fill(self, choices: list[dict[str, Any]]) -> None:
        self.choice.clear()
        for record in choices:
            if record.get("kind") == reg.OUTGOING:
                label = record.get("symbol") or self.tr("(dự thảo)")
            else:
                label = self.tr("Số đến {label}").format(
                    label=record.get("label") or self.tr("(chưa có số)"))
            self.choice.addItem(f"{label} — {record.get('summary') or ''}", record["id"])
        if not choices:
            self.choice.addItem(self.tr("Chưa có văn bản nào để liên kết."), None)

    def problem(self) -> str | None:
        if self.choice.currentData() is None:
            return self.tr("Hãy chọn một văn bản.")
        return None

    def job(self) -> Callable[[Any], Any]:
        chosen = str(self.choice.currentData())
        if self.view.kind == reg.INCOMING:
            incoming, outgoing = self.view.document_id, chosen
        else:
            incoming, outgoing = chosen, self.view.document_id
        return lambda store: docs.link_reply(store, incoming, outgoing)


class AttachDialog(DocumentDialog):
    """Add scans or PDFs to a document (refused for a secret one)."""

    def __init__(self, desk: Desk, view: DocumentView, parent: QWidget | None = None) -> None:
        self.view = view
        super().__init__(desk, parent)
        self.setObjectName("attach_dialog")

    def title(self) -> str:
        return texts.action_label("attach")

    def build(self, form: QFormLayout) -> None:
        self.attachments = AttachmentsInput(self.desk.tasks)
        form.addRow(self.attachments)

    def problem(self) -> str | None:
        if self.view.secret:
            return texts.error_text(_SecretRefusal())
        if self.attachments.busy:
            return self.tr("Đang đọc tệp đính kèm, hãy đợi một chút.")
        if not self.attachments.prepared():
            return self.tr("Hãy chọn ít nhất một tệp.")
        return None

    def job(self) -> Callable[[Any], Any]:
        document_id, files = self.view.document_id, self.attachments.prepared()
        return lambda store: jobs.attach(store, document_id, files)


def dialog_for(action: str, desk: Desk, view: DocumentView,
               parent: QWidget | None = None) -> DocumentDialog:
    """The dialog of a document action (app/documents.DOCUMENT_ACTIONS) for ``view``."""
    if action in ("issue", "number"):
        return NumberDialog(desk, view.document_id, view.kind, parent)
    if action == "void":
        return VoidDialog(desk, view, parent)
    if action == "edit_incoming":
        return IncomingForm(desk, parent, view=view)
    if action == "edit_draft":
        return DraftForm(desk, parent, view=view)
    if action == "direct":
        return DirectionDialog(desk, view, parent)
    if action == "assign":
        return AssignDialog(desk, view, parent)
    if action in ("progress", "complete"):
        return NoteDialog(desk, view, action, parent)
    if action == "link_reply":
        return LinkDialog(desk, view, parent)
    if action == "attach":
        return AttachDialog(desk, view, parent)
    raise ValueError(f"no dialog for {action!r}")

"""The intake form (tiếp nhận hồ sơ): one citizen's dossier received at the counter, by keyboard.

Top to bottom: the procedure (searched without diacritics), the applicant and any co-applicants
with live warnings, the papers received with their form and count, the number of sets, how the
result is delivered, notes, and scans or PDFs. The appointment time the dossier will get is shown
before saving and kept current (every change of procedure and every minute). Ctrl+S (or
"Lưu và in phiếu hẹn") stores the dossier and its attachments in one transaction, emits
``saved(record)`` (the receipt slip is printed from it), shows the new code and clears the form
for the next citizen; Esc asks before clearing a filled form.

Threading: everything here runs on the GUI thread. The database is reached only through
``desk.tasks.db`` (catalogue, limits, due time, save) and files only through ``desk.tasks.io``
(ui/attachments_input.py). The person checks are pure CPU and run as the officer types.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.catalogue import Paper, Procedure
from app.dossier import VN_TZ
from app.errors import DomainError
from app.intake import (
    IntakeResult,
    IntakeSetup,
    attachment_limits,
    due_preview,
    intake_input,
    load_setup,
    save_intake,
)
from ui.attachments_input import ERROR_STYLE, AttachmentsInput
from ui.context import Desk
from ui.person_form import PersonForm, WarningLabel
from ui.procedure_picker import ProcedurePicker

DUE_REFRESH_MS = 60_000
RESULT_DELIVERIES = ("counter", "post", "online")
PAPER_FORMS = ("original", "copy", "certified_copy")


def _bigger(font: QFont, factor: float) -> QFont:
    """``font`` scaled from the application font (no fixed sizes: the officer's setting rules)."""
    bigger = QFont(font)
    if bigger.pointSizeF() > 0:
        bigger.setPointSizeF(bigger.pointSizeF() * factor)
    else:
        bigger.setPixelSize(round(bigger.pixelSize() * factor))
    bigger.setBold(True)
    return bigger


class PapersChecklist(QWidget):
    """The papers of the chosen procedure: a checkbox per paper (the officer ticks what was
    received; nothing is pre-ticked), its form and count, editable once ticked."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Paper, QCheckBox, QComboBox, QSpinBox]] = []
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(0, 1)
        self.placeholder = QLabel(self.tr("Chọn thủ tục để hiện danh sách giấy tờ."), self)
        self._grid.addWidget(self.placeholder, 0, 0, 1, 3)

    def form_text(self, form: str) -> str:
        return {"original": self.tr("Bản chính"), "copy": self.tr("Bản sao"),
                "certified_copy": self.tr("Bản sao chứng thực")}[form]

    def set_papers(self, papers: tuple[Paper, ...]) -> None:
        for _, *widgets in self._rows:
            for widget in widgets:
                self._grid.removeWidget(widget)
                widget.deleteLater()
        self._rows = []
        self.placeholder.setVisible(not papers)
        for row, paper in enumerate(papers, start=1):
            text = paper.name.replace("&", "&&")
            if paper.required:
                text = self.tr("{name} — bắt buộc").format(name=text)
            box = QCheckBox(text, self)
            box.setObjectName(f"paper{row - 1}")
            if paper.required:
                font = box.font()
                font.setBold(True)
                box.setFont(font)
            form = QComboBox(self)
            form.setAccessibleName(self.tr("Hình thức: {name}").format(name=paper.name))
            for code in PAPER_FORMS:
                form.addItem(self.form_text(code), code)
            form.setCurrentIndex(PAPER_FORMS.index(paper.form))
            count = QSpinBox(self)
            count.setAccessibleName(self.tr("Số lượng: {name}").format(name=paper.name))
            count.setRange(1, 1000)
            count.setValue(paper.count)
            form.setEnabled(False)
            count.setEnabled(False)
            box.toggled.connect(form.setEnabled)
            box.toggled.connect(count.setEnabled)
            box.toggled.connect(self.changed)
            self._grid.addWidget(box, row, 0)
            self._grid.addWidget(form, row, 1)
            self._grid.addWidget(count, row, 2)
            for widget in (box, form, count):
                widget.show()  # at once: a layout shows late-added children only later
            self._rows.append((paper, box, form, count))
        self.changed.emit()

    def checkboxes(self) -> list[QCheckBox]:
        return [box for _, box, _, _ in self._rows]

    def received(self) -> list[dict[str, Any]]:
        return [{"name": paper.name, "form": form.currentData(), "count": count.value()}
                for paper, box, form, count in self._rows if box.isChecked()]

    def missing_required(self) -> list[str]:
        return [paper.name for paper, box, _, _ in self._rows
                if paper.required and not box.isChecked()]

    def any_ticked(self) -> bool:
        return any(box.isChecked() for _, box, _, _ in self._rows)

    def focus_chain(self) -> list[QWidget]:
        return [widget for _, *widgets in self._rows for widget in widgets]


class CoApplicantBlock(QGroupBox):
    """One co-applicant (e.g. the other spouse of a marriage) with a button that removes it."""

    def __init__(self, number: int, form: PersonForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.remove_button = QPushButton(self.tr("Bỏ người này"), self)
        layout = QVBoxLayout(self)
        layout.addWidget(form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        self.set_number(number)

    def set_number(self, number: int) -> None:
        self.setTitle(self.tr("Người cùng yêu cầu {n}").format(n=number))


class IntakePage(QWidget):
    """The intake form. ``saved(record)`` carries the canonical record of each dossier stored
    (``Store.record``: code, applicant, papers, received_at, due_at, …)."""

    saved = Signal(dict)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self._setup: IntakeSetup | None = None
        self._due_at: datetime | None = None
        self._due_request = 0
        self._saving = False
        self._co_blocks: list[CoApplicantBlock] = []
        self._build()
        self._connect()
        self._fix_tab_order()
        self._update_save_state()
        self.picker.search.setFocus()  # taken when the window is shown
        self.desk.tasks.db(load_setup, self._setup_loaded, self._load_failed)

    # ================================================================ layout

    def _build(self) -> None:
        self.result_banner = QLabel(self)
        self.result_banner.setObjectName("resultBanner")
        self.result_banner.setFont(_bigger(self.font(), 1.4))
        self.result_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_banner.setWordWrap(True)
        self.result_banner.hide()
        self.error_banner = QLabel(self)
        self.error_banner.setObjectName("errorBanner")
        self.error_banner.setStyleSheet(ERROR_STYLE)
        self.error_banner.setWordWrap(True)
        self.error_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_banner.hide()

        body = QWidget(self)
        column = QVBoxLayout(body)

        procedure_box = QGroupBox(self.tr("1. Thủ tục hành chính"), body)
        self.picker = ProcedurePicker(procedure_box)
        QVBoxLayout(procedure_box).addWidget(self.picker)
        column.addWidget(procedure_box)

        person_box = QGroupBox(self.tr("2. Người nộp hồ sơ"), body)
        person_layout = QVBoxLayout(person_box)
        self.applicant = PersonForm(self._today, person_box)
        self.applicant.setObjectName("applicant")
        person_layout.addWidget(self.applicant)
        self.co_area = QVBoxLayout()
        person_layout.addLayout(self.co_area)
        self.add_co_button = QPushButton(self.tr("Thêm &người cùng yêu cầu (ví dụ: kết hôn)"),
                                         person_box)
        self.add_co_button.setObjectName("addCoApplicant")
        row = QHBoxLayout()
        row.addWidget(self.add_co_button)
        row.addStretch(1)
        person_layout.addLayout(row)
        column.addWidget(person_box)

        papers_box = QGroupBox(self.tr("3. Giấy tờ và cách trả kết quả"), body)
        papers_layout = QVBoxLayout(papers_box)
        self.papers_label = QLabel(self.tr("Giấ&y tờ đã nhận (đánh dấu giấy tờ công dân đã nộp)"),
                                   papers_box)
        self.papers = PapersChecklist(papers_box)
        self.missing_papers = WarningLabel(papers_box)
        self.missing_papers.setObjectName("missingPapers")
        papers_layout.addWidget(self.papers_label)
        papers_layout.addWidget(self.papers)
        papers_layout.addWidget(self.missing_papers)
        grid = QGridLayout()
        self.sets_count = QSpinBox(papers_box)
        self.sets_count.setObjectName("setsCount")
        self.sets_count.setRange(1, 100)
        self.result_delivery = QComboBox(papers_box)
        self.result_delivery.setObjectName("resultDelivery")
        self.notes = QPlainTextEdit(papers_box)
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        labels = (
            (QLabel(self.tr("Số &bộ hồ sơ"), papers_box), self.sets_count),
            (QLabel(self.tr("Hình thức nhận &kết quả"), papers_box), self.result_delivery),
            (QLabel(self.tr("Ghi &chú"), papers_box), self.notes),
        )
        for row_number, (label, field) in enumerate(labels):
            label.setBuddy(field)
            grid.addWidget(label, row_number, 0, Qt.AlignmentFlag.AlignTop)
            if field is self.sets_count:  # a number: as wide as it needs, not the whole row
                grid.addWidget(field, row_number, 1, Qt.AlignmentFlag.AlignLeft)
            else:
                grid.addWidget(field, row_number, 1)
        grid.setColumnStretch(1, 1)
        papers_layout.addLayout(grid)
        column.addWidget(papers_box)

        files_box = QGroupBox(self.tr("4. Tệp đính kèm (bản quét, ảnh chụp, PDF)"), body)
        self.attachments = AttachmentsInput(self.desk.tasks, files_box)
        QVBoxLayout(files_box).addWidget(self.attachments)
        column.addWidget(files_box)
        column.addStretch(1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self._scroll = scroll

        self.due_label = QLabel(self)
        self.due_label.setObjectName("dueLabel")
        self.due_label.setWordWrap(True)
        self.due_label.setFont(_bigger(self.font(), 1.0))
        self.save_button = QPushButton(self.tr("&Lưu và in phiếu hẹn"), self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setAutoDefault(True)
        self.save_button.setFont(_bigger(self.font(), 1.0))
        bottom = QHBoxLayout()
        bottom.addWidget(self.due_label, 1)
        bottom.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.result_banner)
        layout.addWidget(self.error_banner)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)

        self._set_deliveries(None)
        self._show_due()

    def _connect(self) -> None:
        self.picker.chosen.connect(self._procedure_chosen)
        self.picker.activated.connect(self.applicant.full_name.setFocus)
        self.applicant.changed.connect(self._update_save_state)
        self.add_co_button.clicked.connect(self.add_co_applicant)
        self.papers.changed.connect(self._papers_changed)
        self.attachments.changed.connect(self._update_save_state)
        self.save_button.clicked.connect(self.save)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.request_clear)
        self._due_timer = QTimer(self)
        self._due_timer.setInterval(DUE_REFRESH_MS)
        self._due_timer.timeout.connect(self._refresh_due)
        self._due_timer.start()
        self.desk.notices.settings_changed.connect(self._settings_changed)

    def _fix_tab_order(self) -> None:
        """Tab goes top to bottom, also through the rows added for a procedure or a person."""
        chain: list[QWidget] = [*self.picker.focus_chain(), *self.applicant.focus_chain()]
        for block in self._co_blocks:
            chain += [*block.form.focus_chain(), block.remove_button]
        chain += [self.add_co_button, *self.papers.focus_chain(), self.sets_count,
                  self.result_delivery, self.notes, *self.attachments.focus_chain(),
                  self.save_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        boxes = self.papers.checkboxes()
        self.papers_label.setBuddy(boxes[0] if boxes else self.sets_count)

    # ================================================================ state

    @property
    def procedure(self) -> Procedure | None:
        return self.picker.procedure

    @property
    def due_at(self) -> datetime | None:
        """The appointment time shown (UTC), once computed for the chosen procedure."""
        return self._due_at

    def co_applicant_forms(self) -> list[PersonForm]:
        return [block.form for block in self._co_blocks]

    def _today(self) -> date:
        # The workspace's clock is an object in memory (corrected by the server offset): no I/O.
        return self.desk.workspace.clock.now().astimezone(VN_TZ).date()

    def can_save(self) -> bool:
        return (self.procedure is not None and self.applicant.has_name()
                and not self.attachments.busy and not self._saving)

    def is_filled(self) -> bool:
        return bool(self.procedure is not None or self.picker.search.text().strip()
                    or not self.applicant.is_empty()
                    or any(not form.is_empty() for form in self.co_applicant_forms())
                    or self.papers.any_ticked() or self.notes.toPlainText().strip()
                    or self.attachments.prepared() or self.attachments.busy)

    def _update_save_state(self) -> None:
        self.save_button.setEnabled(self.can_save())
        if self._saving:
            reason = self.tr("Đang lưu hồ sơ…")
        elif self.procedure is None:
            reason = self.tr("Cần chọn thủ tục trước khi lưu.")
        elif not self.applicant.has_name():
            reason = self.tr("Cần nhập họ và tên người nộp hồ sơ trước khi lưu.")
        elif self.attachments.busy:
            reason = self.tr("Đang đọc tệp đính kèm, chờ một chút.")
        else:
            reason = self.tr("Lưu hồ sơ và in phiếu hẹn trả kết quả (Ctrl+S).")
        self.save_button.setToolTip(reason)

    # ================================================================ loading

    def _setup_loaded(self, setup: IntakeSetup) -> None:
        if not shiboken6.isValid(self):
            return
        self._setup = setup
        self.picker.set_procedures(setup.procedures)
        self.attachments.set_limits(setup.limits)

    def _load_failed(self, error: BaseException) -> None:
        if shiboken6.isValid(self):
            self._show_error(self.tr("Không tải được danh mục thủ tục: {error}").format(
                error=self.error_text(error)))

    def _settings_changed(self, keys: frozenset[str]) -> None:
        if any(key.startswith("attachments.") for key in keys):
            self.desk.tasks.db(attachment_limits, self._limits_loaded)
        if any(key.startswith(("office_hours.", "calendar.")) for key in keys):
            self._refresh_due()

    def _limits_loaded(self, limits: Any) -> None:
        if shiboken6.isValid(self):
            self.attachments.set_limits(limits)

    # ================================================================ procedure and due time

    def _procedure_chosen(self, procedure: Procedure | None) -> None:
        self.papers.set_papers(procedure.papers if procedure else ())
        self._set_deliveries(procedure)
        self._fix_tab_order()
        self._due_at = None
        self._refresh_due()
        self._update_save_state()

    def delivery_text(self, delivery: str) -> str:
        return {"counter": self.tr("Tại bộ phận một cửa"), "post": self.tr("Qua bưu điện"),
                "online": self.tr("Trực tuyến")}[delivery]

    def _set_deliveries(self, procedure: Procedure | None) -> None:
        allowed = [d for d in RESULT_DELIVERIES
                   if procedure is None or d in procedure.result_delivery] or ["counter"]
        self.result_delivery.clear()
        for delivery in allowed:
            self.result_delivery.addItem(self.delivery_text(delivery), delivery)

    def _refresh_due(self) -> None:
        self._due_request += 1
        procedure = self.procedure
        if procedure is None:
            self._due_at = None
            self._show_due()
            return
        request, code = self._due_request, procedure.code
        self.desk.tasks.db(lambda store: due_preview(store, code),
                           lambda due, r=request: self._due_computed(r, due),
                           lambda error, r=request: self._due_failed(r, error))

    def _due_computed(self, request: int, due: datetime) -> None:
        if shiboken6.isValid(self) and request == self._due_request:
            self._due_at = due
            self._show_due()

    def _due_failed(self, request: int, error: BaseException) -> None:
        if shiboken6.isValid(self) and request == self._due_request:
            self._due_at = None
            self.due_label.setText(self.tr("Không tính được ngày hẹn: {error}").format(
                error=self.error_text(error)))

    def appointment_text(self, due: datetime) -> str:
        """``HH giờ mm phút, ngày dd/MM/yyyy`` in Hà Nội time (+07:00)."""
        local = due.astimezone(VN_TZ)
        return self.tr("{hour} giờ {minute} phút, ngày {date}").format(
            hour=f"{local.hour:02d}", minute=f"{local.minute:02d}",
            date=local.strftime("%d/%m/%Y"))

    def due_text(self) -> str:
        return self.appointment_text(self._due_at) if self._due_at else ""

    def _show_due(self) -> None:
        if self.procedure is None:
            self.due_label.setText(self.tr("Chọn thủ tục để xem ngày hẹn trả kết quả."))
        elif self._due_at is None:
            self.due_label.setText(self.tr("Đang tính ngày hẹn trả kết quả…"))
        else:
            self.due_label.setText(self.tr("Hẹn trả kết quả: {when}").format(
                when=self.due_text()))

    # ================================================================ people and papers

    def add_co_applicant(self) -> PersonForm:
        form = PersonForm(self._today)
        block = CoApplicantBlock(len(self._co_blocks) + 1, form)
        block.remove_button.clicked.connect(lambda: self.remove_co_applicant(block))
        form.changed.connect(self._update_save_state)
        self._co_blocks.append(block)
        self.co_area.addWidget(block)
        block.show()
        self._fix_tab_order()
        form.full_name.setFocus()
        return form

    def remove_co_applicant(self, block: CoApplicantBlock) -> None:
        if block not in self._co_blocks:
            return
        self._co_blocks.remove(block)
        self.co_area.removeWidget(block)
        block.hide()
        block.deleteLater()
        for number, other in enumerate(self._co_blocks, start=1):
            other.set_number(number)
        self._fix_tab_order()
        self.add_co_button.setFocus()

    def _papers_changed(self) -> None:
        missing = self.papers.missing_required()
        self.missing_papers.show_messages(
            [self.tr("Chưa đánh dấu giấy tờ bắt buộc: {names}").format(names="; ".join(missing))]
            if missing and self.papers.any_ticked() else [])

    # ================================================================ saving

    def build_input(self) -> dict[str, Any]:
        """The input dict of ``Store.create_dossier`` for what the form holds now."""
        procedure = self.procedure
        if procedure is None:
            raise ValueError("no procedure chosen")
        person = self.desk.person
        return intake_input(
            procedure.code, self.applicant.person_input(),
            co_applicants=[form.person_input() for form in self._included_co_forms()],
            papers=self.papers.received(), sets_count=self.sets_count.value(),
            result_delivery=self.result_delivery.currentData() or "counter",
            notes=self.notes.toPlainText(),
            received_by=person.display_name or person.username or None)

    def _included_co_forms(self) -> list[PersonForm]:
        return [form for form in self.co_applicant_forms() if not form.is_empty()]

    def save(self) -> None:
        if not self.can_save():
            if self.procedure is None:
                self.picker.search.setFocus()
            elif not self.applicant.has_name():
                self.applicant.full_name.setFocus()
            return
        unreadable = [form for form in (self.applicant, *self._included_co_forms())
                      if form.date_of_birth_unreadable()]
        if unreadable and not self._confirm_without_birth_date():
            unreadable[0].date_of_birth.setFocus()
            return
        raw = self.build_input()
        attachments = self.attachments.prepared()
        self._saving = True
        self._show_error("")
        self._update_save_state()
        self.desk.tasks.db(lambda store: save_intake(store, raw, attachments),
                           self._saved, self._save_failed)

    def _confirm_without_birth_date(self) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Ngày sinh không hợp lệ"),
            self.tr("Ngày sinh đã nhập không phải một ngày hợp lệ (hoặc ở tương lai) nên sẽ "
                    "không được lưu. Vẫn lưu hồ sơ?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _saved(self, result: IntakeResult) -> None:
        if not shiboken6.isValid(self):
            return
        self._saving = False
        record = result.record
        self.clear_form()
        self.result_banner.setText(self.tr("Đã tiếp nhận hồ sơ {code}").format(
            code=record["code"]))
        self.result_banner.show()
        self.saved.emit(record)

    def _save_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._saving = False
        self._update_save_state()
        self._show_error(self.tr("Hồ sơ chưa được lưu: {reason} Thông tin đã nhập vẫn còn, "
                                 "sửa rồi lưu lại.").format(reason=self.error_text(error)))
        target = self._field_widget(error.params.get("field", "")) \
            if isinstance(error, DomainError) else None
        (target or self.save_button).setFocus()

    def _field_widget(self, field: str) -> QWidget | None:
        parts = field.split(".")
        if parts[0] == "applicant" and len(parts) == 2 and parts[1] in PersonForm.FIELDS:
            return self.applicant.widget(parts[1])
        if parts[0] == "co_applicants" and len(parts) == 3 and parts[2] in PersonForm.FIELDS:
            forms = self._included_co_forms()
            index = int(parts[1]) if parts[1].isdigit() else -1
            return forms[index].widget(parts[2]) if 0 <= index < len(forms) else None
        if parts[0] == "attachment":
            return self.attachments.list
        return None

    def _who(self, field: str) -> str:
        parts = field.split(".")
        if parts[0] == "co_applicants" and len(parts) > 1 and parts[1].isdigit():
            return self.tr("người cùng yêu cầu thứ {n}").format(n=int(parts[1]) + 1)
        return self.tr("người nộp hồ sơ")

    def error_text(self, error: BaseException) -> str:
        """A store refusal (``DomainError.code``) in Vietnamese."""
        code = getattr(error, "code", "")
        params = error.params if isinstance(error, DomainError) else {}
        field = str(params.get("field", ""))
        if code in ("invalid_field", "invalid_record"):
            if field.endswith(".full_name"):
                return self.tr("Cần nhập họ và tên của {who}.").format(who=self._who(field))
            if field.endswith(".date_of_birth"):
                return self.tr("Ngày sinh của {who} không hợp lệ.").format(who=self._who(field))
            if field == "attachment":
                return self.tr("Một tệp đính kèm lớn hơn giới hạn cho phép; hãy bỏ tệp đó.")
            if field == "received_at":
                return self.tr("Lịch làm việc chưa có ngày hôm nay; cần cập nhật lịch để tính "
                               "ngày hẹn.")
            if field == "procedure_code":
                return self.tr("Thủ tục này không áp dụng vào ngày hôm nay.")
            return self.tr("Thông tin chưa hợp lệ ({field}).").format(field=field or code)
        if code == "slot_exhausted":
            return self.tr("Máy này đã dùng hết số hồ sơ của ngày hôm nay; hãy đồng bộ với máy "
                           "chủ để được cấp thêm.")
        if code == "duplicate_code":
            return self.tr("Mã hồ sơ bị trùng với một hồ sơ khác.")
        if code in ("unknown_procedure", "calendar_out_of_range"):
            return self.tr("Danh mục thủ tục hoặc lịch làm việc chưa có dữ liệu cho hôm nay.")
        if code:
            return self.tr("Lỗi {code}.").format(code=code)
        return self.tr("Lỗi không mong đợi ({kind}).").format(kind=type(error).__name__)

    def _show_error(self, text: str) -> None:
        self.error_banner.setText(text)
        self.error_banner.setVisible(bool(text))

    # ================================================================ clearing

    def request_clear(self) -> None:
        """Esc: clear the form for the next citizen, after asking if anything was entered."""
        if self._saving:
            return
        if self.is_filled() and not self._confirm_clear():
            return
        self.clear_form()

    def _confirm_clear(self) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Xoá nội dung đang nhập?"),
            self.tr("Bỏ toàn bộ thông tin đang nhập cho hồ sơ này để tiếp nhận hồ sơ khác?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def clear_form(self) -> None:
        """Empty every field (procedure included) and put the cursor in the procedure search."""
        self.picker.clear()
        self.applicant.clear()
        for block in list(self._co_blocks):
            self.remove_co_applicant(block)
        self.sets_count.setValue(1)
        self._set_deliveries(None)
        self.notes.clear()
        self.attachments.clear()
        self.result_banner.hide()
        self._show_error("")
        self._update_save_state()
        self._scroll.verticalScrollBar().setValue(0)
        self.picker.search.setFocus()

"""One document of a register: every field, its sync state, the direction and assignment (for an
incoming document), the linked reply, its history, its attachments, and one button per action the
signed-in person may take now (``documents.allowed_actions`` for ``desk.person.role``), plus
"Xuất gói edXML" for an issued outgoing document.

``jobs.load_document`` reads everything in one job on the database worker (the access is
logged when the document is opened); the screen reloads when a change notice names the
document. Dialogs (ui/registers/dialogs.py) never block: the open one is ``current_dialog``.
Attachments open through ui/attachment_viewer.py (bytes fetched on the network worker); a
secret document's are listed as metadata only, without an open button that works. Each
attachment has a "Gỡ tệp" button when the person may remove it (``detach``): a question box whose
default is to go back, then ``documents.remove_attachment`` on the database worker. The
edXML package is saved through Qt's own file dialog and written on the database worker.
Threading: GUI thread; reads and writes through ``desk.tasks``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import documents as docs
from app import registers as reg
from ui import attachment_viewer as viewer
from ui.context import Desk
from ui.dossier_detail import size_text, sync_text
from ui.registers import dialogs, jobs, texts
from ui.registers.export_dialog import default_folder
from ui.registers.icons import URGENCY_COLOURS, urgency_icon
from ui.registers.jobs import DocumentView

translate = QCoreApplication.translate


def _alive(widget: QWidget, callback: Callable[..., None]) -> Callable[..., None]:
    def call(*args: Any) -> None:
        if shiboken6.isValid(widget):
            callback(*args)
    return call


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


def _fit(table: QTableWidget, stretch: int) -> None:
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(table.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    table.resizeRowsToContents()


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


def event_note(event: dict[str, Any], view: DocumentView) -> str:
    """An event's note as shown: directions and assignments carry the username first."""
    note = event.get("note") or ""
    if event["kind"] in ("directed", "assigned"):
        who, _, rest = note.partition("\n")
        name = view.staff_name(who) if who else ""
        if event["kind"] == "directed":
            head = translate("DocumentDetail", "Chủ trì: {name}").format(name=name)
        elif who:
            head = translate("DocumentDetail", "Giao cho: {name}").format(name=name)
        else:
            head = translate("DocumentDetail", "Bỏ giao")
        return f"{head}\n{rest}".strip()
    if event["kind"] == "edited":
        return ", ".join(texts.field_name(f.strip()) for f in note.split(",") if f.strip())
    return note


class DocumentDetail(QWidget):
    """One incoming or outgoing document, its history and attachments, and its actions."""

    loaded = Signal(str)  # document id, after each (re)load is on screen
    load_failed = Signal(object)
    dialog_opened = Signal(QDialog)
    action_performed = Signal(str, object)  # action, the dialog's result
    attachment_opened = Signal(object)
    attachment_removed = Signal(object)  # the attachment removed (app/documents.py's dict)
    exported = Signal(object)  # the edXML package's path
    file_dialog_opened = Signal(QFileDialog)
    conflicts_requested = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("document_detail")
        self.desk = desk
        self.view: DocumentView | None = None
        self.current_dialog: QDialog | None = None
        self.confirmation: QMessageBox | None = None  # the open "Gỡ tệp" question, if any
        self._dialogs: list[QDialog] = []
        self.action_buttons: dict[str, QPushButton] = {}
        self.last_preview: viewer.ImagePreview | None = None
        self._document_id: str | None = None
        self._generation = 0
        self._build()
        desk.notices.records_changed.connect(self._records_changed)

    # -------------------------------------------------------------- public API

    @property
    def document_id(self) -> str | None:
        return self._document_id

    def show_document(self, document_id: str) -> None:
        if document_id != self._document_id:
            self.view = None
            self._show_placeholder(self.tr("Đang tải văn bản…"))
        self._document_id = document_id
        self._load(log=True)

    def refresh(self) -> None:
        if self._document_id:
            self._load(log=False)

    def start_action(self, action: str) -> QDialog | None:
        """Open the dialog of ``action`` for the shown document (non-blocking)."""
        if self.view is None:
            return None
        if action == "export_edxml":
            return self.export_edxml()
        dialog = dialogs.dialog_for(action, self.desk, self.view, self)
        dialog.performed.connect(_alive(self, lambda result, a=action: self._performed(a,
                                                                                       result)))
        dialog.dialog_opened.connect(_alive(self, self._track))
        dialog.finished.connect(dialog.deleteLater)
        self._track(dialog)
        dialog.open()
        return dialog

    def export_edxml(self) -> QFileDialog | None:
        """Ask where to save the edXML package (Qt's own dialog), then write it on the worker."""
        if self.view is None:
            return None
        label = (self.view.label or "van-ban").replace("/", "-")
        dialog = QFileDialog(self, self.tr("Lưu gói edXML"),
                             str(default_folder() / f"{label}.edxml"),
                             self.tr("Gói edXML (*.edxml *.xml)"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # speaks the app's language
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("edxml")
        dialog.setObjectName("save_edxml")
        dialog.fileSelected.connect(_alive(self, lambda path: self.save_edxml(Path(path))))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog_opened.emit(dialog)
        dialog.open()
        return dialog

    def save_edxml(self, path: Path) -> None:
        if self.view is None:
            return
        document_id = self.view.document_id
        self._message(self.tr("Đang lưu gói edXML…"))
        self.desk.tasks.db(lambda store: jobs.export_package(store, document_id, path),
                           _alive(self, self._exported),
                           _alive(self, lambda e: self._message(texts.error_text(e),
                                                                error=True)))

    def open_attachment(self, attachment_id: str) -> None:
        if self.view is None:
            return
        attachment = next((a for a in self.view.attachments if a["id"] == attachment_id), None)
        if attachment is None:
            return
        self._message(self.tr("Đang mở tệp {name}…").format(name=attachment["file_name"]))
        root = self.desk.workspace.root
        self.desk.tasks.net(lambda store: viewer.fetch_for_viewing(store, root, attachment),
                            _alive(self, self._attachment_fetched),
                            _alive(self, lambda e: self._message(texts.error_text(e),
                                                                 error=True)))

    def ask_remove_attachment(self, attachment_id: str) -> QMessageBox | None:
        """Ask whether to remove an attachment (not modal to the app: ``open()``); going back,
        the default, changes nothing. "Gỡ tệp" removes it on the database worker."""
        if self.view is None:
            return None
        attachment = next((a for a in self.view.attachments if a["id"] == attachment_id), None)
        if attachment is None:
            return None
        document_id, name = self.view.document_id, attachment["file_name"]
        return dialogs.ask_before(
            self, self.tr("Gỡ tệp đính kèm"),
            self.tr("Gỡ tệp “{name}” khỏi văn bản này?").format(name=name), self.tr("Gỡ tệp"),
            lambda: self._remove_attachment(document_id, attachment_id, name),
            informative=self.tr(
                "Tệp bị xóa khỏi máy này, và khỏi các máy khác của xã ở lần đồng bộ tới. Lịch "
                "sử văn bản ghi lại việc gỡ tệp. Việc này không thể hoàn tác."))

    def _remove_attachment(self, document_id: str, attachment_id: str, name: str) -> None:
        self._message(self.tr("Đang gỡ tệp {name}…").format(name=name))
        self.desk.tasks.db(
            lambda store: docs.remove_attachment(store, document_id, attachment_id),
            _alive(self, self._attachment_removed),
            _alive(self, lambda e: self._message(texts.error_text(e), error=True)))

    # -------------------------------------------------------------- loading

    def _load(self, *, log: bool) -> None:
        self._generation += 1
        generation, document_id, role = (self._generation, self._document_id,
                                         self.desk.person.role)
        assert document_id is not None
        self.desk.tasks.db(
            lambda store: jobs.load_document(store, document_id, role, log=log),
            _alive(self, lambda view: self._loaded(generation, view)),
            _alive(self, lambda error: self._failed(generation, error)))

    def _loaded(self, generation: int, view: DocumentView) -> None:
        if generation != self._generation:
            return
        self.view = view
        self._fill(view)
        self.loaded.emit(view.document_id)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.view = None
        self._show_placeholder(texts.error_text(error))
        self.load_failed.emit(error)

    def _records_changed(self, record_type: str, ids: frozenset[str]) -> None:
        if record_type in ("incoming_document", "outgoing_document") and self._document_id:
            linked = self.view.linked["id"] if self.view and self.view.linked else None
            if self._document_id in ids or (linked and linked in ids):
                self.refresh()
        elif record_type == "lease" and self._document_id:
            self.refresh()

    # -------------------------------------------------------------- building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.placeholder = QLabel(self.tr("Chọn một văn bản để xem chi tiết."), self)
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        outer.addWidget(self.placeholder)
        self.page = QWidget(self)
        outer.addWidget(self.page, 1)
        page = QVBoxLayout(self.page)
        page.setContentsMargins(0, 0, 0, 0)

        header = QHBoxLayout()
        self.urgency_icon = QLabel(self.page, objectName="urgency_icon")
        self.label = QLabel(self.page, objectName="label")
        font = QFont(self.label.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.label.setFont(font)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind_label = QLabel(self.page, objectName="kind")
        self.status_label = QLabel(self.page, objectName="status")
        self.status_label.setStyleSheet(
            "QLabel { border-radius: 4px; padding: 2px 8px; background: #e3ecf7; }")
        self.urgency_label = QLabel(self.page, objectName="urgency")
        self.secrecy_label = QLabel(self.page, objectName="secrecy")
        for widget in (self.urgency_icon, self.label, self.kind_label, self.status_label,
                       self.urgency_label, self.secrecy_label):
            header.addWidget(widget)
        header.addStretch(1)
        page.addLayout(header)
        self.summary_label = QLabel(self.page, objectName="summary", wordWrap=True)
        page.addWidget(self.summary_label)

        self.sync_frame = QFrame(self.page, objectName="sync_frame")
        sync_row = QHBoxLayout(self.sync_frame)
        sync_row.setContentsMargins(6, 4, 6, 4)
        self.sync_label = QLabel(self.sync_frame, objectName="sync_state", wordWrap=True)
        self.conflict_button = QPushButton(self.tr("Xem xung đột"), self.sync_frame)
        self.conflict_button.setObjectName("resolve_conflicts")
        self.conflict_button.clicked.connect(
            lambda: self._document_id and self.conflicts_requested.emit(self._document_id))
        sync_row.addWidget(self.sync_label, 1)
        sync_row.addWidget(self.conflict_button)
        page.addWidget(self.sync_frame)

        self.actions_bar = QWidget(self.page, objectName="actions")
        self.actions_layout = QHBoxLayout(self.actions_bar)
        self.actions_layout.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.actions_bar)
        self.message_label = QLabel(self.page, objectName="message", wordWrap=True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()
        page.addWidget(self.message_label)

        scroll = QScrollArea(self.page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        scroll.setWidget(body)
        page.addWidget(scroll, 1)
        layout = QVBoxLayout(body)

        self.fields_box = QGroupBox(self.tr("Thông tin văn bản"), body)
        self.fields = QFormLayout(self.fields_box)
        layout.addWidget(self.fields_box)
        self.direction_box = QGroupBox(self.tr("Chỉ đạo và giải quyết"), body)
        self.direction = QFormLayout(self.direction_box)
        layout.addWidget(self.direction_box)
        self.field_labels: dict[str, QLabel] = {}

        history = QGroupBox(self.tr("Lịch sử"), body)
        history_layout = QVBoxLayout(history)
        self.events_table = _table([self.tr("Thời điểm"), self.tr("Người thực hiện"),
                                    self.tr("Nội dung"), self.tr("Ghi chú")], "events")
        history_layout.addWidget(self.events_table)
        layout.addWidget(history)

        files = QGroupBox(self.tr("Tệp đính kèm"), body)
        files_layout = QVBoxLayout(files)
        self.attachments_table = _table(
            [self.tr("Tên tệp"), self.tr("Dung lượng"), self.tr("Trên máy này"), "", ""],
            "attachments")
        files_layout.addWidget(self.attachments_table)
        self.secret_note = QLabel(self.tr(
            "Văn bản mật: chỉ lưu thông tin trên máy tính, không lưu tệp đính kèm."), files,
            wordWrap=True)
        self.secret_note.setObjectName("secret_note")
        files_layout.addWidget(self.secret_note)
        layout.addWidget(files)
        layout.addStretch(1)
        self.page.hide()

    def _show_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        self.placeholder.show()
        self.page.hide()

    def _message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #b00020;" if error else "")
        self.message_label.setVisible(bool(text))

    def _set_rows(self, form: QFormLayout, rows: list[tuple[str, str, str]]) -> None:
        while form.rowCount():
            form.removeRow(0)
        for key, caption, value in rows:
            label = QLabel(value, objectName=f"field_{key}", wordWrap=True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            form.addRow(caption, label)
            self.field_labels[key] = label

    # -------------------------------------------------------------- filling

    def _fill(self, view: DocumentView) -> None:
        record = view.record
        self.placeholder.hide()
        self.page.show()
        self.field_labels = {}
        incoming = view.kind == reg.INCOMING
        urgency = record.get("urgency") or "normal"
        if incoming:
            self.label.setText(self.tr("Số đến {label}").format(label=view.label) if view.label
                               else self.tr("Chưa có số đến"))
        else:
            self.label.setText(view.label or self.tr("Dự thảo (chưa có số)"))
        self.kind_label.setText(texts.register_name(view.kind, view.series))
        self.status_label.setText(texts.status_name(view.kind, view.status))
        if urgency != "normal":
            self.urgency_icon.setPixmap(urgency_icon(urgency).pixmap(24, 24))
            self.urgency_icon.show()
            self.urgency_label.setText(texts.urgency_name(urgency).upper())
            self.urgency_label.setStyleSheet(
                "QLabel { font-weight: bold; color: white; border-radius: 4px; "
                f"padding: 2px 8px; background: {URGENCY_COLOURS[urgency].name()}; }}")
            self.urgency_label.show()
        else:
            self.urgency_icon.hide()
            self.urgency_label.hide()
        self.secrecy_label.setVisible(view.secret)
        self.secrecy_label.setText(texts.secrecy_name(record.get("secrecy")).upper())
        self.secrecy_label.setStyleSheet(
            "QLabel { font-weight: bold; color: #7b0000; border: 2px solid #7b0000; "
            "padding: 1px 6px; }")
        self.summary_label.setText(f"{texts.type_name(record.get('doc_type'))}: "
                                   f"{record.get('summary') or ''}")
        self._fill_fields(view)
        self._fill_sync(view)
        self._fill_actions(view)
        self._fill_events(view)
        self._fill_attachments(view)

    def _linked_text(self, view: DocumentView) -> str:
        linked = view.linked
        if not linked:
            return ""
        if linked.get("kind") == reg.OUTGOING:
            label = linked.get("symbol") or self.tr("(dự thảo)")
        else:
            label = self.tr("số đến {label}").format(
                label=linked.get("label") or self.tr("(chưa có số)"))
        return f"{label} — {linked.get('summary') or ''}"

    def _fill_fields(self, view: DocumentView) -> None:
        record = view.record
        if view.kind == reg.INCOMING:
            rows = [
                ("arrival_number", self.tr("Số đến"), view.label or self.tr("(chưa có số)")),
                ("arrived_at", self.tr("Ngày, giờ đến"), texts.local_time(record["arrived_at"])),
                ("author", self.tr("Tác giả"), record.get("author") or ""),
                ("number_symbol", self.tr("Số, ký hiệu"), record.get("number_symbol") or ""),
                ("document_date", self.tr("Ngày văn bản"),
                 texts.local_date(record.get("document_date"))),
                ("doc_type", self.tr("Loại văn bản"), texts.type_name(record.get("doc_type"))),
                ("urgency", self.tr("Độ khẩn"), texts.urgency_name(record.get("urgency"))),
                ("secrecy", self.tr("Độ mật"), texts.secrecy_name(record.get("secrecy"))),
                ("recipient", self.tr("Nơi nhận"), record.get("recipient") or ""),
                ("source", self.tr("Hình thức"), texts.source_name(record.get("source"))),
                ("forwarded_at", self.tr("Ngày chuyển"),
                 texts.local_date(record.get("forwarded_at"))),
                ("notes", self.tr("Ghi chú"), record.get("notes") or ""),
            ]
            deadline = texts.local_time(record.get("deadline"))
            if record.get("overdue"):
                deadline = self.tr("{time} — QUÁ HẠN").format(time=deadline)
            elif record.get("due_soon"):
                deadline = self.tr("{time} — sắp đến hạn").format(time=deadline)
            direction = [
                ("lead", self.tr("Người chủ trì"), view.staff_name(record.get("lead"))
                 or self.tr("Chưa có ý kiến chỉ đạo")),
                ("coordinators", self.tr("Người phối hợp"),
                 ", ".join(view.staff_name(c) for c in record.get("coordinators") or [])),
                ("deadline", self.tr("Hạn xử lý"), deadline),
                ("directed_by", self.tr("Người chỉ đạo"),
                 " ".join(p for p in (record.get("directed_by") or "",
                                      texts.local_time(record.get("directed_at"))) if p)),
                ("assigned_to", self.tr("Người được giao"),
                 view.staff_name(record.get("assigned_to")) or self.tr("Chưa giao")),
                ("reply", self.tr("Văn bản trả lời"), self._linked_text(view)),
            ]
            self._set_rows(self.fields, rows)
            self._set_rows(self.direction, direction)
            label = self.field_labels["deadline"]
            if record.get("overdue"):
                label.setStyleSheet("QLabel { color: #b00020; font-weight: bold; }")
            elif record.get("due_soon"):
                label.setStyleSheet("QLabel { color: #a15c00; font-weight: bold; }")
            self.direction_box.show()
        else:
            rows = [
                ("symbol", self.tr("Số, ký hiệu"), view.label or self.tr("(dự thảo)")),
                ("issued_at", self.tr("Ngày ban hành"), texts.local_time(record.get("issued_at"))),
                ("doc_type", self.tr("Loại văn bản"), texts.type_name(record.get("doc_type"))),
                ("signer", self.tr("Người ký"), record.get("signer") or ""),
                ("recipients", self.tr("Nơi nhận"), "\n".join(record.get("recipients") or [])),
                ("issuer", self.tr("Cơ quan ban hành"), record.get("issuer") or ""),
                ("drafting_unit", self.tr("Đơn vị soạn thảo"), record.get("drafting_unit") or ""),
                ("copies", self.tr("Số bản"), str(record.get("copies") or 1)),
                ("archive_unit", self.tr("Nơi lưu"), record.get("archive_unit") or ""),
                ("forwarded_at", self.tr("Ngày chuyển"),
                 texts.local_date(record.get("forwarded_at"))),
                ("urgency", self.tr("Độ khẩn"), texts.urgency_name(record.get("urgency"))),
                ("secrecy", self.tr("Độ mật"), texts.secrecy_name(record.get("secrecy"))),
                ("answers", self.tr("Trả lời văn bản đến"), self._linked_text(view)),
                ("notes", self.tr("Ghi chú"), record.get("notes") or ""),
            ]
            if view.status == "void":
                rows.insert(1, ("void_reason", self.tr("Đã hủy, lý do"),
                                record.get("void_reason") or ""))
            self._set_rows(self.fields, rows)
            self._set_rows(self.direction, [])
            self.direction_box.hide()

    def _fill_sync(self, view: DocumentView) -> None:
        state = view.record.get("sync_state") or "pending"
        colours = {"synced": "#e7f4e8", "pending": "#eef1f5", "conflict": "#fff1d6",
                   "error": "#fde4e4"}
        self.sync_frame.setProperty("syncState", state)
        self.sync_frame.setStyleSheet(
            f"QFrame#sync_frame {{ background: {colours.get(state, '#eef1f5')};"
            " border-radius: 4px; }")
        self.sync_label.setText(sync_text(state, view.record.get("sync_reason")))
        self.conflict_button.setVisible(state == "conflict")

    def _fill_actions(self, view: DocumentView) -> None:
        for button in self.action_buttons.values():
            self.actions_layout.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        while self.actions_layout.count():
            item = self.actions_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        actions = [a for a in view.actions if a != "detach"]  # per attachment, in its row
        if (view.kind == reg.OUTGOING and view.status == "issued" and not view.secret):
            actions.append("export_edxml")
        for action in actions:
            button = QPushButton(texts.action_label(action), self.actions_bar)
            button.setObjectName(f"action_{action}")
            button.clicked.connect(lambda _=False, a=action: self.start_action(a))
            if action in ("issue", "number") and not view.lease.mine:
                button.setToolTip(texts.not_holder_text(view.kind, view.series, {
                    "holder_device_name": view.lease.holder_device_name,
                    "holder_device_id": view.lease.holder_device_id,
                    "holder_user": view.lease.holder_user}))
            self.actions_layout.addWidget(button)
            self.action_buttons[action] = button
        if not actions:
            self.actions_layout.addWidget(QLabel(
                self.tr("Không có thao tác nào bạn có thể làm với văn bản ở trạng thái này."),
                self.actions_bar))
        self.actions_layout.addStretch(1)

    def _fill_events(self, view: DocumentView) -> None:
        table = self.events_table
        table.setRowCount(len(view.events))
        for row, event in enumerate(view.events):
            table.setItem(row, 0, _item(texts.local_time(event["at"])))
            table.setItem(row, 1, _item(event.get("actor") or ""))
            table.setItem(row, 2, _item(texts.event_name(event["kind"])))
            table.setItem(row, 3, _item(event_note(event, view)))
        _fit(table, stretch=3)

    def _fill_attachments(self, view: DocumentView) -> None:
        table = self.attachments_table
        removable = "detach" in view.actions
        table.setRowCount(0)  # the old rows' buttons go with them
        table.setRowCount(len(view.attachments))
        for row, attachment in enumerate(view.attachments):
            table.setItem(row, 0, _item(attachment["file_name"]))
            table.setItem(row, 1, _item(size_text(int(attachment["size"]))))
            if view.secret:  # metadata only: its file stays on the server, never fetched
                where = self.tr("Không lưu (văn bản mật)")
            else:
                where = self.tr("Có") if attachment["local"] else self.tr("Chưa tải về")
            table.setItem(row, 2, _item(where))
            button = QPushButton(self.tr("Mở"))
            button.setObjectName(f"open_{attachment['id']}")
            button.setEnabled(not view.secret)
            button.clicked.connect(lambda _=False, i=attachment["id"]: self.open_attachment(i))
            table.setCellWidget(row, 3, button)
            if removable:
                remove = QPushButton(self.tr("Gỡ tệp"))
                remove.setObjectName(f"remove_{attachment['id']}")
                remove.setToolTip(self.tr("Gỡ tệp này khỏi văn bản (hỏi lại trước khi gỡ)"))
                remove.clicked.connect(
                    lambda _=False, i=attachment["id"]: self.ask_remove_attachment(i))
                table.setCellWidget(row, 4, remove)
        table.setColumnHidden(4, not removable)
        _fit(table, stretch=0)
        self.secret_note.setVisible(view.secret)

    # -------------------------------------------------------------- results

    def _track(self, dialog: QDialog) -> None:
        self._dialogs.append(dialog)
        self.current_dialog = dialog
        dialog.finished.connect(_alive(self, lambda _r, d=dialog: self._untrack(d)))
        self.dialog_opened.emit(dialog)

    def _untrack(self, dialog: QDialog) -> None:
        self._dialogs = [d for d in self._dialogs if d is not dialog and shiboken6.isValid(d)]
        self.current_dialog = self._dialogs[-1] if self._dialogs else None

    def _performed(self, action: str, result: Any) -> None:
        if isinstance(result, jobs.Saved):
            self._message(dialogs.saved_text(self.view.kind if self.view else reg.INCOMING,
                                             result), error=bool(result.refused))
        elif action in ("issue", "number") and isinstance(result, dict):
            self._message(self.tr("Đã cấp số {label}.").format(label=result.get("label") or ""))
        elif action == "void":
            self._message(self.tr("Đã hủy văn bản; số vẫn nằm trong sổ."))
        else:
            self._message("")
        self.action_performed.emit(action, result)
        self.refresh()

    def _exported(self, path: Path) -> None:
        self._message(self.tr("Đã lưu gói edXML vào: {path}").format(path=str(path)))
        self.exported.emit(path)

    def _attachment_removed(self, removed: dict[str, Any]) -> None:
        self._message(self.tr("Đã gỡ tệp {name}.").format(name=removed["file_name"]))
        self.attachment_removed.emit(removed)
        self.refresh()

    def _attachment_fetched(self, opened: viewer.Opened) -> None:
        try:
            preview = viewer.show_opened(opened, self)
        except (ValueError, OSError):
            self._message(self.tr("Không mở được tệp {name}.").format(name=opened.file_name),
                          error=True)
            return
        if preview is not None:
            self.last_preview = preview
        self._message("")
        self.attachment_opened.emit(opened)

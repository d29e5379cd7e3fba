"""The list page of one register (văn bản đến or văn bản đi): the actions, who holds the numbering
(``LeasePanel``), the filters, the count and the lazy table (``RegisterModel``).

Filters: the year (every year, or one of the last five), the series (ordinary, secret), the status
(incoming: every status, not yet done, or one; outgoing: draft, issued, void), urgent only,
(incoming) overdue or due soon, and a search over the summary, the author, the number and symbol,
the signer and the recipients, with or without diacritics (app/documents.py folds both). "Mới
nhất trước" reads the register backwards. The column widths and order and the filters are kept
in ``QSettings`` (view state only).

Actions: incoming: "Đăng ký văn bản đến" (the form), "Nhập gói edXML" (Qt's own open dialog; the
package is read on the worker by app.edxml.import_package, then the same form comes filled in,
with the duplicate check); outgoing: "Soạn văn bản đi"; both: "In sổ / Xuất sổ". The buttons a
role may not use are hidden (``documents.DOCUMENT_ROLES``). Dialogs never block: the open one is
``current_dialog``. Threading: GUI thread; every read through ``desk.tasks``.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import documents as docs
from app import registers as reg
from app.dossier import VN_TZ
from app.edxml import ImportedDocument
from ui.context import Desk
from ui.preferences import APPLICATION, ORGANIZATION
from ui.registers import dialogs, jobs, texts
from ui.registers.export_dialog import ExportDialog, default_folder
from ui.registers.lease_panel import LeasePanel
from ui.registers.model import DocumentIdRole, Query, RegisterModel

SEARCH_DELAY_MS = 200
MIN_SEARCH_CHARS = 2
SAVE_DELAY_MS = 250
YEARS_SHOWN = 5
NOT_DONE = "open"
_WIDTHS = {
    reg.INCOMING: (80, 140, 180, 120, 95, 110, 320, 150, 120, 120, 150, 110),
    reg.OUTGOING: (130, 95, 110, 340, 150, 220, 60, 110, 110),
}


def _count_text(count: int) -> str:
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        locale = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    return locale.toString(count)


class RegisterListPage(QWidget):
    """One register's list, its filters and its actions."""

    document_activated = Signal(str)
    dialog_opened = Signal(QDialog)
    file_dialog_opened = Signal(QFileDialog)
    saved = Signal(object)  # jobs.Saved of a registration or a draft

    def __init__(self, desk: Desk, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.kind = desk, reg.check_kind(kind)
        self.setObjectName(f"register_list_{kind}")
        self.settings_group = f"register_list_{kind}"
        self.current_dialog: QDialog | None = None
        self._dialogs: list[QDialog] = []
        self.model = RegisterModel(desk, kind, self)
        permitted = docs.DOCUMENT_ROLES.get(desk.person.role, frozenset())

        # Actions ---------------------------------------------------------------------
        actions = QHBoxLayout()
        self.new_button: QPushButton
        self.import_button: QPushButton | None = None
        if kind == reg.INCOMING:
            self.new_button = QPushButton(self.tr("Đăng ký văn bản đến"), self,
                                          objectName="register_incoming")
            self.new_button.clicked.connect(lambda: self.open_incoming_form())
            self.import_button = QPushButton(self.tr("Nhập gói edXML…"), self,
                                             objectName="import_edxml")
            self.import_button.clicked.connect(self.choose_package)
            allowed = "register" in permitted
            self.import_button.setVisible(allowed)
        else:
            self.new_button = QPushButton(self.tr("Soạn văn bản đi"), self,
                                          objectName="draft_outgoing")
            self.new_button.clicked.connect(lambda: self.open_draft_form())
            allowed = "draft" in permitted
        self.new_button.setVisible(allowed)
        self.export_button = QPushButton(self.tr("In sổ / Xuất sổ…"), self,
                                         objectName="export_register")
        self.export_button.clicked.connect(self.open_export)
        actions.addWidget(self.new_button)
        if self.import_button is not None:
            actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)
        actions.addStretch(1)

        self.leases = LeasePanel(desk, kind, self)
        self.leases.dialog_opened.connect(self._track)

        # Filters ---------------------------------------------------------------------
        saved = self._read_settings()
        self.year_filter = QComboBox(self, objectName="year_filter")
        self.year_filter.addItem(self.tr("Mọi năm"), None)
        this_year = desk.workspace.clock.now().astimezone(VN_TZ).year
        for year in range(this_year, this_year - YEARS_SHOWN, -1):
            self.year_filter.addItem(self.tr("Năm {year}").format(year=year), year)
        self.series_filter = QComboBox(self, objectName="series_filter")
        self.series_filter.addItem(self.tr("Thường và mật"), None)
        self.series_filter.addItem(self.tr("Sổ thường"), reg.ORDINARY)
        self.series_filter.addItem(self.tr("Sổ mật"), reg.SECRET)
        self.status_filter = QComboBox(self, objectName="status_filter")
        self.status_filter.addItem(self.tr("Mọi trạng thái"), None)
        if kind == reg.INCOMING:
            self.status_filter.addItem(self.tr("Chưa giải quyết xong"), NOT_DONE)
        for status in (reg.INCOMING_STATUSES if kind == reg.INCOMING
                       else reg.OUTGOING_STATUSES):
            self.status_filter.addItem(texts.status_name(kind, status), status)
        self.deadline_filter = QComboBox(self, objectName="deadline_filter")
        self.deadline_filter.addItem(self.tr("Mọi hạn xử lý"), None)
        self.deadline_filter.addItem(self.tr("Quá hạn"), "overdue")
        self.deadline_filter.addItem(self.tr("Sắp đến hạn"), "due_soon")
        self.deadline_filter.setVisible(kind == reg.INCOMING)
        self.urgent_filter = QToolButton(self, objectName="urgent_filter", checkable=True)
        self.urgent_filter.setText(self.tr("Chỉ văn bản khẩn"))
        self.newest_first = QToolButton(self, objectName="newest_first", checkable=True)
        self.newest_first.setText(self.tr("Mới nhất trước"))
        self.newest_first.setToolTip(self.tr("Bỏ chọn để xem theo thứ tự của sổ (số nhỏ trước)"))
        self.search = QLineEdit(self, objectName="register_search", clearButtonEnabled=True)
        self.search.setPlaceholderText(self.tr(
            "Tìm: trích yếu, tác giả, số ký hiệu, người ký, nơi nhận (có dấu hay không dấu)"))
        self.search.setMinimumWidth(300)
        self.count_label = QLabel(self, objectName="count")
        bar = QHBoxLayout()
        for widget in (self.year_filter, self.series_filter, self.status_filter,
                       self.deadline_filter, self.urgent_filter, self.newest_first):
            bar.addWidget(widget)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count_label)

        self.message = QLabel(self, objectName="page_message", wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.view = QTableView(self, objectName=f"register_table_{kind}")
        self._build_view()

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.leases)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        self.setFocusProxy(self.view)

        self._restore_settings(saved)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._filters_changed)
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_settings)
        for combo in (self.year_filter, self.series_filter, self.status_filter,
                      self.deadline_filter):
            combo.currentIndexChanged.connect(self._filters_changed)
        for toggle in (self.urgent_filter, self.newest_first):
            toggle.toggled.connect(self._filters_changed)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self._filters_changed)
        header = self.view.horizontalHeader()
        header.sectionResized.connect(lambda *_: self._save_timer.start())
        header.sectionMoved.connect(lambda *_: self._save_timer.start())
        self.model.loaded.connect(self._show_count)
        self.model.load_failed.connect(lambda e: self.say(texts.error_text(e), error=True))
        self.model.modelAboutToBeReset.connect(self._before_reset)
        self.model.modelReset.connect(self._after_reset)
        self.view.activated.connect(self._activated)
        self._kept: str | None = None
        self.model.set_query(self.current_query())

    # ------------------------------------------------------------------ building

    def _build_view(self) -> None:
        view = self.view
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setAlternatingRowColors(False)  # row colours mean overdue / due soon
        view.setCornerButtonEnabled(False)
        rows = view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
        header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column, width in enumerate(_WIDTHS[self.kind]):
            header.resizeSection(column, width)

    # ------------------------------------------------------------------ filters

    def current_query(self) -> Query:
        status = self.status_filter.currentData()
        if status == NOT_DONE:
            statuses: tuple[str, ...] = docs.OPEN_INCOMING
        elif status:
            statuses = (status,)
        else:
            statuses = ()
        text = self.search.text().strip()
        flt = docs.RegisterFilter(
            year=self.year_filter.currentData(), series=self.series_filter.currentData(),
            statuses=statuses, urgent_only=self.urgent_filter.isChecked(),
            deadline=self.deadline_filter.currentData() if self.kind == reg.INCOMING else None,
            text=text if len(text) >= MIN_SEARCH_CHARS else None)
        return Query(flt, newest_first=self.newest_first.isChecked())

    def _filters_changed(self, *_: Any) -> None:
        self._search_timer.stop()
        query = self.current_query()
        if query != self.model.query():
            self.model.set_query(query)
        self._save_timer.start()

    def set_search_text(self, text: str) -> None:
        """Search the register at once (tests, or a search box elsewhere)."""
        self.search.setText(text)
        self._filters_changed()

    def _show_count(self) -> None:
        count = self.model.rowCount()
        if self.kind == reg.INCOMING:
            text = self.tr("%1 văn bản đến")
        else:
            text = self.tr("%1 văn bản đi")
        self.count_label.setText(text.replace("%1", _count_text(count)))

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else
                                   "QLabel { background: #e7f4e8; padding: 4px; }")
        self.message.setVisible(bool(text))

    # ------------------------------------------------------------------ settings

    def _read_settings(self) -> dict[str, Any]:
        settings = QSettings(ORGANIZATION, APPLICATION)
        settings.beginGroup(self.settings_group)
        saved = {
            "header": settings.value("header"),
            "year": str(settings.value("year", "") or ""),
            "series": str(settings.value("series", "") or ""),
            "status": str(settings.value("status", "") or ""),
            "deadline": str(settings.value("deadline", "") or ""),
            "urgent": settings.value("urgent", False, type=bool),
            "newest": settings.value("newest", True, type=bool),
        }
        settings.endGroup()
        return saved

    def _restore_settings(self, saved: dict[str, Any]) -> None:
        header = self.view.horizontalHeader()
        if isinstance(saved["header"], QByteArray) and not saved["header"].isEmpty():
            header.restoreState(saved["header"])
        year = int(saved["year"]) if saved["year"].isdigit() else None
        self.year_filter.setCurrentIndex(max(0, self.year_filter.findData(year)))
        for combo, key in ((self.series_filter, "series"), (self.status_filter, "status"),
                           (self.deadline_filter, "deadline")):
            combo.setCurrentIndex(max(0, combo.findData(saved[key] or None)))
        self.urgent_filter.setChecked(saved["urgent"])
        self.newest_first.setChecked(saved["newest"])

    def save_settings(self) -> None:
        self._save_timer.stop()
        settings = QSettings(ORGANIZATION, APPLICATION)
        settings.beginGroup(self.settings_group)
        settings.setValue("header", self.view.horizontalHeader().saveState())
        year = self.year_filter.currentData()
        settings.setValue("year", "" if year is None else str(year))
        settings.setValue("series", self.series_filter.currentData() or "")
        settings.setValue("status", self.status_filter.currentData() or "")
        settings.setValue("deadline", self.deadline_filter.currentData() or "")
        settings.setValue("urgent", self.urgent_filter.isChecked())
        settings.setValue("newest", self.newest_first.isChecked())
        settings.endGroup()
        settings.sync()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        if self._save_timer.isActive():
            self.save_settings()
        super().hideEvent(event)

    # ------------------------------------------------------------------ selection

    def current_document_id(self) -> str | None:
        index = self.view.currentIndex()
        return self.model.data(index, DocumentIdRole) if index.isValid() else None

    def _before_reset(self) -> None:
        self._kept = self.current_document_id()

    def _after_reset(self) -> None:
        kept, self._kept = self._kept, None
        if kept is None:
            return
        row = self.model.row_of(kept)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, 0))

    def _activated(self, index: QModelIndex) -> None:
        document_id = self.model.data(index, DocumentIdRole)
        if isinstance(document_id, str):
            self.document_activated.emit(document_id)

    # ------------------------------------------------------------------ dialogs

    def _track(self, dialog: QDialog) -> None:
        self._dialogs.append(dialog)
        self.current_dialog = dialog
        page = weakref.ref(self)

        def untrack(_result: int) -> None:
            alive = page()
            if alive is None or not shiboken6.isValid(alive):
                return
            alive._dialogs = [d for d in alive._dialogs
                              if d is not dialog and shiboken6.isValid(d)]
            alive.current_dialog = alive._dialogs[-1] if alive._dialogs else None

        dialog.finished.connect(untrack)
        self.dialog_opened.emit(dialog)

    def _open(self, dialog: dialogs.DocumentDialog) -> dialogs.DocumentDialog:
        dialog.performed.connect(self._performed)
        dialog.dialog_opened.connect(self._track)
        dialog.finished.connect(dialog.deleteLater)
        self._track(dialog)
        dialog.open()
        return dialog

    def open_incoming_form(self, imported: ImportedDocument | None = None
                           ) -> dialogs.DocumentDialog:
        """"Đăng ký văn bản đến" (filled in from an edXML package when ``imported``)."""
        return self._open(dialogs.IncomingForm(self.desk, self, imported=imported))

    def open_draft_form(self) -> dialogs.DocumentDialog:
        return self._open(dialogs.DraftForm(self.desk, self))

    def _performed(self, result: Any) -> None:
        if isinstance(result, jobs.Saved):
            self.say(dialogs.saved_text(self.kind, result), error=bool(result.refused))
            self.saved.emit(result)

    def choose_package(self) -> QFileDialog:
        """"Nhập gói edXML": Qt's own open dialog, then ``import_package_file``."""
        dialog = QFileDialog(self, self.tr("Chọn gói edXML"), str(default_folder()),
                             self.tr("Gói edXML (*.edxml *.xml);;Mọi tệp (*)"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # speaks the app's language
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setObjectName("open_edxml")
        dialog.fileSelected.connect(lambda path: self.import_package_file(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog_opened.emit(dialog)
        dialog.open()
        return dialog

    def import_package_file(self, path: Path) -> None:
        """Read the package on the worker, then open the registration form filled in."""
        now = self.desk.workspace.clock.now()
        self.say(self.tr("Đang đọc gói edXML {name}…").format(name=path.name))
        page = weakref.ref(self)

        def read() -> ImportedDocument:
            return jobs.read_package(path, now)

        def done(imported: ImportedDocument) -> None:
            alive = page()
            if alive is not None and shiboken6.isValid(alive):
                alive.say("")
                alive.open_incoming_form(imported)

        def failed(error: BaseException) -> None:
            alive = page()
            if alive is not None and shiboken6.isValid(alive):
                alive.say(QCoreApplication.translate(
                    "RegisterListPage", "Không nhập được gói edXML: {why}").format(
                    why=texts.error_text(error)), error=True)

        self.desk.tasks.io(read, done, failed)

    def open_export(self) -> ExportDialog:
        dialog = ExportDialog(self.desk, self.kind, self)
        dialog.exported.connect(lambda path: self.say(
            self.tr("Đã lưu sổ vào: {path}").format(path=str(path))))
        dialog.file_dialog_opened.connect(self.file_dialog_opened)
        dialog.finished.connect(dialog.deleteLater)
        self._track(dialog)
        dialog.open()
        return dialog

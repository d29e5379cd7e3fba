"""The dossier list page: a filter bar, the count, and the table of dossiers (DossierTableModel).

What the main window uses:

* ``DossierListPage(desk)``; ``dossier_activated(str dossier_id)`` on a double click or Enter;
* ``set_search_text(text)`` from the window's global search box (Ctrl+F belongs to the window):
  the list re-queries at most every ``SEARCH_THROTTLE_MS`` (the first keystroke after a pause at
  once, a burst of keystrokes once at its end), so results follow the typing; searching starts
  at two characters, and a last word of one letter waits for its second (``searched_text``);
* ``focus_list()`` to move the focus from the search box to the table (Down / Enter there);
* ``save_settings()`` (also done by itself shortly after each change, and when hidden).

Filters: a status (or every status, or every status still being handled), a procedure (the
catalogue, read through a database task), and check buttons "Quá hạn", "Đến hạn hôm nay",
"Sắp đến hạn" (together: any of them) and "Giao cho tôi" (the signed-in official). Column
widths and order, the sort and the filters are kept in ``QSettings`` (view state only,
ARCHITECTURE.md). When a change notice swaps a new id list in, the selection and the row at the
top stay where they were. Threading: GUI thread only; every read goes through ``desk.tasks``.
"""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass, replace
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
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
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.dossier_query import (
    DEFAULT_SORT,
    DUE_SOON_SETTING,
    SEARCH_LIMIT,
    SORT_COLUMNS,
    DossierQuery,
    procedure_choices,
)
from app.status import FINAL, Status
from ui.context import Desk
from ui.dossier_model import (
    COLUMN_OF_SORT,
    SORT_OF_COLUMN,
    Column,
    DossierIdRole,
    DossierTableModel,
    status_names,
)
from ui.preferences import APPLICATION, ORGANIZATION

SEARCH_THROTTLE_MS = 150
MIN_SEARCH_CHARS = 2
SAVE_DELAY_MS = 250
SETTINGS_GROUP = "dossier_list"
KEEP_SELECTED_AT_MOST = 1_000  # rows re-selected after a refresh (the current one always)
STILL_HANDLED = "open"  # the status filter's "every status still being handled"
_COLUMN_WIDTHS = {
    Column.CODE: 170, Column.APPLICANT: 190, Column.PROCEDURE: 300, Column.STATUS: 140,
    Column.RECEIVED: 125, Column.DUE: 125, Column.ASSIGNED: 110, Column.SYNC: 120,
}


def searched_text(typed: str) -> str:
    """What the list searches for when ``typed`` is in the search box: nothing below
    ``MIN_SEARCH_CHARS`` characters, and a last word of one letter waits for its second (a
    one-letter prefix matches a large share of the index: the slowest search, and the least
    useful)."""
    words = typed.split()
    if len(words) > 1 and len(words[-1]) < 2:
        words = words[:-1]
    text = " ".join(words)
    return text if len(text) >= MIN_SEARCH_CHARS else ""


def _number(value: int) -> str:
    """``1234`` → ``1.234`` (the interface's locale; Vietnamese when none was chosen)."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        locale = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    return locale.toString(value)


@dataclass
class _Kept:
    """What the view showed before a reset: put back after it."""

    selected: list[int]
    current: int | None
    current_column: int
    top: int | None
    scroll: int


class DossierListPage(QWidget):
    """The list of dossiers with its filter bar."""

    dossier_activated = Signal(str)
    count_changed = Signal(int)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        saved = self._read_settings()
        self.model = DossierTableModel(desk, self, query=DossierQuery(
            sort=saved["sort"], descending=saved["descending"]))
        self._search = ""
        self._pending_search = ""
        self._typed = ""
        self._last_search_at = 0.0
        self._kept: _Kept | None = None
        self._mine_available = bool(desk.person.username)  # no one signed in: no filter
        self._saved_procedure: str | None = saved["procedure"]

        self.status_filter = QComboBox(objectName="statusFilter")
        self.procedure_filter = QComboBox(objectName="procedureFilter")
        self.procedure_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.procedure_filter.setMinimumContentsLength(28)
        self.overdue_filter = self._toggle("overdueFilter")
        self.due_today_filter = self._toggle("dueTodayFilter")
        self.due_soon_filter = self._toggle("dueSoonFilter")
        self.mine_filter = self._toggle("mineFilter")
        self.mine_filter.setEnabled(self._mine_available)
        self.count_label = QLabel(objectName="countLabel")
        self.search_note = QLabel(objectName="searchNote", wordWrap=True)
        self.search_note.hide()
        self.view = QTableView(objectName="dossierTable")
        self._build_view()

        bar = QHBoxLayout()
        bar.addWidget(self.status_filter)
        bar.addWidget(self.procedure_filter, 1)
        for toggle in (self.overdue_filter, self.due_today_filter, self.due_soon_filter,
                       self.mine_filter):
            bar.addWidget(toggle)
        bar.addStretch()
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.search_note)
        layout.addWidget(self.view, 1)
        self.setFocusProxy(self.view)
        self._set_texts()

        self._search_timer = QTimer(self, singleShot=True)
        self._search_timer.timeout.connect(self._apply_search)
        self._save_timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_settings)

        self._restore_settings(saved)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.procedure_filter.currentIndexChanged.connect(self._filters_changed)
        for toggle in (self.overdue_filter, self.due_today_filter, self.due_soon_filter,
                       self.mine_filter):
            toggle.toggled.connect(self._filters_changed)
        header = self.view.horizontalHeader()
        header.sectionResized.connect(lambda *_: self._save_timer.start())
        header.sectionMoved.connect(lambda *_: self._save_timer.start())
        header.sortIndicatorChanged.connect(lambda *_: self._save_timer.start())
        self.model.ids_loaded.connect(self._show_count)
        self.model.modelAboutToBeReset.connect(self._before_reset)
        self.model.modelReset.connect(self._after_reset)
        self.view.activated.connect(self._activated)
        desk.notices.settings_changed.connect(self._settings_changed)

        self.model.set_query(self.current_query())
        desk.tasks.db(procedure_choices, self._answer(DossierListPage._fill_procedures))

    # ------------------------------------------------------------------ public API

    def set_search_text(self, text: str) -> None:
        """Show the dossiers matching ``text`` (with the filters); empty: no search.
        What is searched is ``searched_text(text)``."""
        self._typed = text.strip()
        self._pending_search = searched_text(text)
        if self._search_timer.isActive():
            return  # the end of the burst will query the latest text
        since = (time.monotonic() - self._last_search_at) * 1000
        if since >= SEARCH_THROTTLE_MS:
            self._apply_search()
        else:
            self._search_timer.start(int(SEARCH_THROTTLE_MS - since) + 1)

    def search_text(self) -> str:
        """The text the list shows the matches of ("" when none)."""
        return self._search

    def focus_list(self) -> None:
        """Give the table the keyboard focus, on the current row (or the first)."""
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.view.currentIndex().isValid() and self.model.rowCount() > 0:
            self.view.setCurrentIndex(self.model.index(0, 0))

    def current_query(self) -> DossierQuery:
        """The query the filter bar, the sort and the search text describe."""
        status = self.status_filter.currentData()
        if status == STILL_HANDLED:
            statuses = frozenset(int(s) for s in Status if s not in FINAL)
        elif status is None:
            statuses = frozenset()
        else:
            statuses = frozenset({int(status)})
        procedure = self.procedure_filter.currentData()
        if procedure is None and self.procedure_filter.count() <= 1:
            procedure = self._saved_procedure  # the catalogue is still being read
        mine = (self.desk.person.username or None) if self.mine_filter.isChecked() else None
        return replace(self.model.query(), statuses=statuses, procedure_code=procedure,
                       overdue=self.overdue_filter.isChecked(),
                       due_today=self.due_today_filter.isChecked(),
                       due_soon=self.due_soon_filter.isChecked(),
                       assigned_to=mine if self._mine_available else None,
                       search=self._search)

    def current_dossier_id(self) -> str | None:
        index = self.view.currentIndex()
        return self.model.data(index, DossierIdRole) if index.isValid() else None

    def save_settings(self) -> None:
        """Keep the columns, the sort and the filters for the next start."""
        self._save_timer.stop()
        query = self.model.query()
        settings = QSettings(ORGANIZATION, APPLICATION)
        settings.beginGroup(SETTINGS_GROUP)
        settings.setValue("header", self.view.horizontalHeader().saveState())
        status = self.status_filter.currentData()
        settings.setValue("status", "" if status is None else str(status))
        settings.setValue("procedure", self.current_query().procedure_code or "")
        settings.setValue("overdue", self.overdue_filter.isChecked())
        settings.setValue("due_today", self.due_today_filter.isChecked())
        settings.setValue("due_soon", self.due_soon_filter.isChecked())
        settings.setValue("mine", self.mine_filter.isChecked())
        settings.setValue("sort", query.sort)
        settings.setValue("descending", query.descending)
        settings.endGroup()
        settings.sync()

    # ------------------------------------------------------------------ building

    def _toggle(self, name: str) -> QToolButton:
        button = QToolButton(objectName=name, checkable=True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def _build_view(self) -> None:
        view = self.view
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
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
        header.setSortIndicatorShown(True)
        for column, width in _COLUMN_WIDTHS.items():
            header.resizeSection(column, width)

    def _set_texts(self) -> None:
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(self.tr("Tất cả trạng thái"), None)
        self.status_filter.addItem(self.tr("Đang giải quyết"), STILL_HANDLED)
        for status, name in status_names().items():
            self.status_filter.addItem(name, status)
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(current)))
        self.status_filter.blockSignals(False)
        self.status_filter.setToolTip(self.tr(
            "Đang giải quyết: mọi hồ sơ chưa kết thúc (chưa trả kết quả, chưa dừng, "
            "chưa rút, không bị từ chối)"))
        if self.procedure_filter.count() == 0:
            self.procedure_filter.addItem(self.tr("Tất cả thủ tục"), None)
        else:
            self.procedure_filter.setItemText(0, self.tr("Tất cả thủ tục"))
        self.overdue_filter.setText(self.tr("Quá hạn"))
        self.overdue_filter.setToolTip(self.tr("Hồ sơ đang giải quyết đã qua giờ hẹn trả"))
        self.due_today_filter.setText(self.tr("Đến hạn hôm nay"))
        self.due_today_filter.setToolTip(self.tr("Hồ sơ đang giải quyết có giờ hẹn trả "
                                                 "trong hôm nay (kể cả đã qua giờ)"))
        self.due_soon_filter.setText(self.tr("Sắp đến hạn"))
        self.due_soon_filter.setToolTip(self.tr("Hồ sơ đang giải quyết sẽ đến giờ hẹn trả "
                                                "trong vài giờ tới (mặc định 24 giờ)"))
        self.mine_filter.setText(self.tr("Giao cho tôi"))
        self._mine_tooltip()
        self._show_count()

    def _mine_tooltip(self) -> None:
        if self._mine_available:
            self.mine_filter.setToolTip(self.tr("Hồ sơ đang giao cho bạn xử lý"))
        else:
            self.mine_filter.setToolTip(self.tr(
                "Cần đăng nhập vào máy chủ của thành phố để biết hồ sơ nào giao cho bạn"))

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        if self._save_timer.isActive():  # a change not saved yet: save it now
            self.save_settings()
        super().hideEvent(event)

    def _answer(self, method: Any) -> Any:
        """The callback for a job's answer, holding this page weakly (ui/dossier_model.py)."""
        page = weakref.ref(self)

        def call(value: Any) -> None:
            alive = page()
            if alive is not None and shiboken6.isValid(alive):
                method(alive, value)
        return call

    # ------------------------------------------------------------------ settings

    @staticmethod
    def _read_settings() -> dict[str, Any]:
        settings = QSettings(ORGANIZATION, APPLICATION)
        settings.beginGroup(SETTINGS_GROUP)
        sort = str(settings.value("sort", DEFAULT_SORT) or DEFAULT_SORT)
        saved = {
            "header": settings.value("header"),
            "status": str(settings.value("status", "") or ""),
            "procedure": str(settings.value("procedure", "") or "") or None,
            "sort": sort if sort in SORT_COLUMNS else DEFAULT_SORT,
            "descending": settings.value("descending", True, type=bool),
            **{key: settings.value(key, False, type=bool)
               for key in ("overdue", "due_today", "due_soon", "mine")},
        }
        settings.endGroup()
        return saved

    def _restore_settings(self, saved: dict[str, Any]) -> None:
        header = self.view.horizontalHeader()
        if isinstance(saved["header"], QByteArray) and not saved["header"].isEmpty():
            header.restoreState(saved["header"])
        status = saved["status"]
        index = self.status_filter.findData(
            STILL_HANDLED if status == STILL_HANDLED else int(status) if status.isdigit()
            else None)
        self.status_filter.setCurrentIndex(max(0, index))
        for toggle, key in ((self.overdue_filter, "overdue"),
                            (self.due_today_filter, "due_today"),
                            (self.due_soon_filter, "due_soon"), (self.mine_filter, "mine")):
            toggle.setChecked(saved[key])
        header.setSortIndicator(COLUMN_OF_SORT[saved["sort"]], Qt.SortOrder.DescendingOrder
                                if saved["descending"] else Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)  # sorts by the indicator: the query's own sort

    def _settings_changed(self, keys: frozenset[str]) -> None:
        if DUE_SOON_SETTING in keys:
            self.model.refresh()

    # ------------------------------------------------------------------ filters

    def _filters_changed(self, *_: Any) -> None:
        self.model.set_query(self.current_query())
        self._save_timer.start()

    def _apply_search(self) -> None:
        self._last_search_at = time.monotonic()
        if self._pending_search != self._search:
            self._search = self._pending_search
            self.model.set_query(self.current_query())
        else:
            self._show_count()  # the hint for a text too short may change

    def _fill_procedures(self, choices: list[tuple[str, str]]) -> None:
        combo = self.procedure_filter
        wanted = self.current_query().procedure_code
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for code, name in choices:
            combo.addItem(f"{name} ({code})", code)
            combo.setItemData(combo.count() - 1, f"{name} ({code})",
                              Qt.ItemDataRole.ToolTipRole)
        combo.setCurrentIndex(max(0, combo.findData(wanted)) if wanted else 0)
        combo.blockSignals(False)
        if wanted and combo.findData(wanted) < 0:  # no longer in the catalogue: drop it
            self._saved_procedure = None
            self._filters_changed()

    def _show_count(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(self.tr("%1 hồ sơ").replace("%1", _number(count)))
        if self._typed and not self._search:
            self.search_note.setText(self.tr("Gõ ít nhất %1 ký tự để tìm.").replace(
                "%1", str(MIN_SEARCH_CHARS)))
            self.search_note.show()
        elif self._search and self.model.search_capped:
            self.search_note.setText(self.tr(
                "Nhiều hồ sơ khớp với “%1”: chỉ hiện những hồ sơ khớp nhất (tối đa "
                "%2). Gõ thêm để thu hẹp.").replace("%1", self._search).replace(
                    "%2", _number(SEARCH_LIMIT)))
            self.search_note.show()
        else:
            self.search_note.hide()
        if self.model.loaded:
            self.count_changed.emit(count)

    # ------------------------------------------------------------------ activation

    def _activated(self, index: QModelIndex) -> None:
        dossier_id = self.model.data(index, DossierIdRole)
        if isinstance(dossier_id, str):
            self.dossier_activated.emit(dossier_id)

    # ------------------------------------------------------------------ across a reset

    def _before_reset(self) -> None:
        model, view = self.model, self.view
        selection = view.selectionModel()
        rows = sorted({index.row() for index in selection.selectedRows()})
        current = view.currentIndex()
        self._kept = _Kept(
            selected=[r for r in map(model.rowid_at, rows[:KEEP_SELECTED_AT_MOST])
                      if r is not None],
            current=model.rowid_at(current.row()) if current.isValid() else None,
            current_column=current.column() if current.isValid() else 0,
            top=model.rowid_at(view.rowAt(0)),
            scroll=view.verticalScrollBar().value())

    def _after_reset(self) -> None:
        kept, self._kept = self._kept, None
        if kept is None:
            return
        model, view = self.model, self.view
        view.doItemsLayout()  # the scroll range of the new row count, now
        if not model.reset_is_refresh:
            view.scrollToTop()  # a new query starts at its top
        else:
            top = model.row_of_rowid(kept.top) if kept.top is not None else None
            view.verticalScrollBar().setValue(top if top is not None else kept.scroll)
        selection = view.selectionModel()
        chosen = QItemSelection()
        last_column = len(Column) - 1
        for rowid in kept.selected:
            row = model.row_of_rowid(rowid)
            if row is not None:
                chosen.select(model.index(row, 0), model.index(row, last_column))
        if not chosen.isEmpty():
            selection.select(chosen, QItemSelectionModel.SelectionFlag.Select)
        if kept.current is not None:
            row = model.row_of_rowid(kept.current)
            if row is not None:
                selection.setCurrentIndex(model.index(row, kept.current_column),
                                          QItemSelectionModel.SelectionFlag.NoUpdate)


__all__ = ["DossierListPage", "SORT_OF_COLUMN"]

"""Choosing the procedure of a dossier: a search box over the list of procedures current today,
matched without regard to diacritics (``app.intake.find_procedures``), and the chosen
procedure's field, time limit and fee.

Typing filters the list (best match first); Up/Down move through it from the search box; Enter
(or a click, or Enter in the list) chooses. Filtering a few hundred names in memory takes well
under a millisecond and reads nothing from disk, so it runs on the GUI thread; the procedures
themselves are loaded by the intake page through the database worker. Threading: GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.catalogue import Procedure
from app.intake import find_procedures

VISIBLE_ROWS = 6
_MOVES = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1,
          Qt.Key.Key_PageDown: VISIBLE_ROWS, Qt.Key.Key_PageUp: -VISIBLE_ROWS}


class ProcedurePicker(QWidget):
    """``chosen(Procedure | None)`` on every change of the chosen procedure; ``activated()`` when
    a person chose one (the form then moves on to the applicant)."""

    chosen = Signal(object)
    activated = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._procedures: list[Procedure] = []
        self._procedure: Procedure | None = None

        self.label = QLabel(self.tr("&Thủ tục (gõ tên để tìm, không cần dấu)"), self)
        self.search = QLineEdit(self)
        self.search.setObjectName("procedureSearch")
        self.search.setPlaceholderText(self.tr("Ví dụ: khai sinh, ket hon, chứng thực…"))
        self.search.setClearButtonEnabled(True)
        self.label.setBuddy(self.search)
        self.results = QListWidget(self)
        self.results.setObjectName("procedureResults")
        self.results.setAccessibleName(self.tr("Danh sách thủ tục"))
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setUniformItemSizes(True)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.title = QLabel(self)
        self.title.setObjectName("procedureTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        self.details = QLabel(self)
        self.details.setObjectName("procedureDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.label)
        row.addWidget(self.search, 1)
        layout.addLayout(row)
        layout.addWidget(self.results)
        layout.addWidget(self.empty)
        layout.addWidget(self.title)
        layout.addWidget(self.details)

        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.results.itemActivated.connect(self._item_chosen)
        self.results.itemClicked.connect(self._item_chosen)
        self._show_choice()
        self._filter()

    # -------------------------------------------------------------- public

    @property
    def procedure(self) -> Procedure | None:
        return self._procedure

    def set_procedures(self, procedures: list[Procedure]) -> None:
        self._procedures = list(procedures)
        self._filter()

    def choose(self, procedure: Procedure | None) -> None:
        if procedure is self._procedure:
            return
        self._procedure = procedure
        self._show_choice()
        self.chosen.emit(procedure)

    def clear(self) -> None:
        self.search.clear()
        self.choose(None)

    def focus_chain(self) -> list[QWidget]:
        return [self.search, self.results]

    def matches(self) -> list[Procedure]:
        return [self.results.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.results.count())]

    # -------------------------------------------------------------- texts

    def time_limit_text(self, procedure: Procedure) -> str:
        if procedure.is_same_day:
            text = self.tr("Trong ngày")
        else:
            text = self.tr("%n ngày làm việc", "", procedure.time_limit_days)
        if procedure.verification_extension_days:
            text += self.tr(" (thêm tối đa %n ngày làm việc nếu cần xác minh)", "",
                            procedure.verification_extension_days)
        return text

    def fee_text(self, procedure: Procedure) -> str:
        if procedure.fee_vnd:
            amount = f"{procedure.fee_vnd:,}".replace(",", ".")
            text = self.tr("{amount} đồng").format(amount=amount)
            return f"{text} ({procedure.fee_note})" if procedure.fee_note else text
        return procedure.fee_note or self.tr("Không thu phí, lệ phí")

    # -------------------------------------------------------------- internals

    def _filter(self) -> None:
        found = find_procedures(self._procedures, self.search.text())
        self.results.clear()
        for procedure in found:
            item = QListWidgetItem(procedure.name)
            item.setData(Qt.ItemDataRole.UserRole, procedure)
            item.setToolTip(f"{procedure.code} · {procedure.field}")
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(0)
            # As many rows as VISIBLE_ROWS in the application font (no pixel sizes here).
            self.results.setMaximumHeight(self.results.sizeHintForRow(0) * VISIBLE_ROWS
                                          + 2 * self.results.frameWidth())
        if not self._procedures:
            self.empty.setText(self.tr("Đang tải danh mục thủ tục…"))
        elif not found:
            self.empty.setText(self.tr("Không tìm thấy thủ tục phù hợp với “{query}”.").format(
                query=self.search.text().strip()))
        self.empty.setVisible(not found)

    def _item_chosen(self, item: QListWidgetItem) -> None:
        self.choose(item.data(Qt.ItemDataRole.UserRole))
        self.activated.emit()

    def _show_choice(self) -> None:
        procedure = self._procedure
        if procedure is None:
            self.title.setText(self.tr("Chưa chọn thủ tục."))
            self.details.clear()
            self.details.hide()
            return
        self.title.setText(self.tr("{name} (mã {code})").format(name=procedure.name,
                                                               code=procedure.code))
        self.details.setText(
            self.tr("Lĩnh vực: {field} · Thời hạn giải quyết: {limit} · Phí, lệ phí: {fee}")
            .format(field=procedure.field, limit=self.time_limit_text(procedure),
                    fee=self.fee_text(procedure)))
        self.details.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down/PageUp/PageDown in the search move through the list; Enter chooses."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            key = event.key()
            if key in _MOVES and self.results.count():
                row = max(0, min(self.results.count() - 1,
                                 self.results.currentRow() + _MOVES[key]))
                self.results.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.results.currentItem() or self.results.item(0)
                if item is not None:
                    self._item_chosen(item)
                return True
        return super().eventFilter(watched, event)

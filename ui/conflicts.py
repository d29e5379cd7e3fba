"""Conflicts a person settles: the list, and a side-by-side dialog to choose per field.

A conflict holds this machine's value and the server's for one field of one dossier (invariant
5). The dialog shows every open conflict of one dossier, one row per field, with both values
side by side and a choice for each; a ``code_taken`` conflict is explained instead (the dossier
gets a new code and the citizen a new slip). Choices are written through app/conflicts.py on the
database worker; the next sync sends them. Threading: GUI thread; reads and writes via tasks.db.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import conflicts as app_conflicts
from app.identity import phone_text
from app.store import Store
from ui.context import Desk
from ui.field_names import field_label
from ui.status_bar import local_time_text


def value_text(value: Any, field: str = "") -> str:
    """The value of ``field`` (a dotted path) as a person reads it."""
    if value is None or value == "":
        return "—"
    if field.rsplit(".", 1)[-1] == "phone":
        return phone_text(value)
    if isinstance(value, str):
        return local_time_text(value) if value[:4].isdigit() and "T" in value[:11] else value
    return json.dumps(value, ensure_ascii=False)


class ConflictDialog(QDialog):
    """Every open conflict of one dossier or document, side by side, one choice per field."""

    def __init__(self, desk: Desk, code: str, conflicts: list[dict[str, Any]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.conflicts = desk, conflicts
        self.setWindowTitle(self.tr("Giải quyết xung đột: hồ sơ %1").replace("%1", code or ""))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Máy này và máy chủ đã sửa cùng một thông tin. Với mỗi dòng, hãy chọn giá trị "
            "đúng; lựa chọn sẽ được gửi ở lần đồng bộ tới."), wordWrap=True)
        layout.addWidget(intro)
        grid = QGridLayout()
        headers = (self.tr("Thông tin"), self.tr("Trên máy này"), self.tr("Trên máy chủ"))
        for column, text in enumerate(headers):
            label = QLabel(f"<b>{text}</b>")
            grid.addWidget(label, 0, column)
        self.choices: dict[str, QButtonGroup] = {}
        self.reasons: dict[str, QLineEdit] = {}
        for row, conflict in enumerate(conflicts, start=1):
            grid.addWidget(QLabel(field_label(conflict["field"])), row, 0)
            if conflict["reason"] == "code_taken":
                note = QLabel(self.tr(
                    "Mã %1 đã được máy khác dùng cho hồ sơ khác. Hồ sơ này sẽ nhận mã mới; "
                    "hãy in lại phiếu hẹn cho công dân.").replace("%1", str(conflict["local"])),
                    wordWrap=True)
                grid.addWidget(note, row, 1, 1, 2)
                continue
            if conflict.get("number_conflict"):
                grid.addWidget(self._number_choices(conflict), row, 1, 1, 2)
                continue
            group = QButtonGroup(self)
            local = QRadioButton(value_text(conflict["local"], conflict["field"]),
                                 objectName="takeLocal")
            server = QRadioButton(value_text(conflict["server"], conflict["field"]),
                                  objectName="takeServer")
            server.setChecked(True)
            group.addButton(local, 0)
            group.addButton(server, 1)
            grid.addWidget(local, row, 1)
            grid.addWidget(server, row, 2)
            self.choices[conflict["id"]] = group
        layout.addLayout(grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Lưu lựa chọn"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _number_choices(self, conflict: dict[str, Any]) -> QWidget:
        """A register number the server refused (lease_lost) or another document holds
        (number_taken): settled for the whole entry, never renumbered silently."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        why = (self.tr("Số %1 được cấp khi máy này không còn giữ quyền cấp số.")
               if conflict["reason"] == "lease_lost"
               else self.tr("Số %1 đã thuộc về văn bản khác trong sổ."))
        column.addWidget(QLabel(why.replace("%1", value_text(conflict["local"])),
                                wordWrap=True))
        texts = {
            "server": self.tr("Bỏ số này: văn bản thành chưa có số, máy giữ quyền sẽ cấp số "
                              "mới; sửa lại bản giấy"),
            "local": self.tr("Giữ số này (chỉ được khi máy này đang giữ quyền cấp số)"),
            "void": self.tr("Hủy văn bản (ghi lý do)"),
        }
        group = QButtonGroup(self)
        for take in conflict["choices"]:
            button = QRadioButton(texts[take], objectName=f"take_{take}")
            group.addButton(button, ("server", "local", "void").index(take))
            column.addWidget(button)
            if take == "server":
                button.setChecked(True)
        if "void" in conflict["choices"]:
            reason = QLineEdit(objectName="voidReason")
            reason.setPlaceholderText(self.tr("Lý do hủy"))
            column.addWidget(reason)
            self.reasons[conflict["id"]] = reason
        self.choices[conflict["id"]] = group
        return box

    def decisions(self) -> list[tuple[str, str, Any]]:
        """(conflict id, choice, value) for every row: "local" or "server" for a field,
        "server", "local" or "void" (with its reason) for a register number; code clashes
        take a new code."""
        chosen = []
        for conflict in self.conflicts:
            group = self.choices.get(conflict["id"])
            if conflict.get("number_conflict") and group is not None:
                take = ("server", "local", "void")[max(group.checkedId(), 0)]
                reason = self.reasons.get(conflict["id"])
                chosen.append((conflict["id"], take,
                               reason.text().strip() if take == "void" and reason else None))
                continue
            take = "server" if group is None or group.checkedId() == 1 else "local"
            chosen.append((conflict["id"], take, None))
        return chosen


def _resolve_all(store: Store, decisions: list[tuple[str, str, Any]]) -> int:
    settled = 0
    for conflict_id, take, value in decisions:
        try:
            app_conflicts.resolve(store, conflict_id, take, value)
        except app_conflicts.UnknownConflict:
            continue  # settled with another row of its entry (a register number)
        settled += 1
    return settled


class ConflictsPanel(QWidget):
    """The open conflicts, one line per dossier; opening one shows the dialog."""

    resolved = Signal(int)  # how many fields were settled

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.by_dossier: list[tuple[str, str, list[dict[str, Any]]]] = []
        layout = QVBoxLayout(self)
        self.empty = QLabel(self.tr("Không có xung đột nào cần giải quyết."))
        layout.addWidget(self.empty)
        self.table = QTableWidget(0, 3, objectName="conflictsTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Mã hồ sơ"), self.tr("Thông tin bị xung đột"), self.tr("Phát hiện lúc")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.cellDoubleClicked.connect(lambda row, _: self.open_row(row))
        layout.addWidget(self.table)
        self.open_button = QPushButton(self.tr("Giải quyết…"), objectName="resolveButton")
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentRow()))
        layout.addWidget(self.open_button, alignment=Qt.AlignmentFlag.AlignRight)
        desk.notices.conflicts_changed.connect(self.refresh)
        desk.notices.dossiers_changed.connect(lambda _: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.desk.tasks.db(app_conflicts.open_conflicts, self._show)

    def _show(self, conflicts: list[dict[str, Any]]) -> None:
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for conflict in conflicts:
            grouped[(conflict["record_id"], conflict["code"] or "")].append(conflict)
        self.by_dossier = [(rid, code, items) for (rid, code), items in grouped.items()]
        self.table.setRowCount(len(self.by_dossier))
        for row, (_, code, items) in enumerate(self.by_dossier):
            fields = ", ".join(field_label(c["field"]) for c in items)
            for column, text in enumerate(
                    (code, fields, local_time_text(items[0]["created_at"]))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.empty.setVisible(not self.by_dossier)
        self.table.setVisible(bool(self.by_dossier))
        self.open_button.setEnabled(bool(self.by_dossier))
        if self.by_dossier and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def dialog_for(self, row: int) -> ConflictDialog | None:
        if not 0 <= row < len(self.by_dossier):
            return None
        _, code, items = self.by_dossier[row]
        return ConflictDialog(self.desk, code, items, self)

    def open_row(self, row: int) -> None:
        dialog = self.dialog_for(row)
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply(dialog.decisions())

    def apply(self, decisions: list[tuple[str, str, Any]]) -> None:
        self.desk.tasks.db(lambda store: _resolve_all(store, decisions), self._applied,
                           self._failed)

    def _applied(self, count: int) -> None:
        self.resolved.emit(count)
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(self, self.tr("Không lưu được lựa chọn"),
                            self.tr("Không lưu được lựa chọn (%1). Hãy thử lại.").replace(
                                "%1", str(getattr(error, "code", type(error).__name__))))
        self.refresh()

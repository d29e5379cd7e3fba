"""The main window's status bar: link state (with a progress bar while syncing), changes
waiting to be sent, conflicts waiting for a person, the last successful sync, and a warning
when this machine's clock is off.

Counts are read on the database worker whenever change notices arrive (gathered) and after each
sync; the link state comes from the ``SyncController``. Clicking the conflicts count asks the
main window to show them (``conflicts_clicked``). Threading: GUI thread only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

from app.dossier import VN_TZ
from app.store import Store
from app.syncing import clock_offset
from sync.engine import CLOCK_WARNING_SECONDS
from ui import sync_controller as sc
from ui.context import Desk


def _counts(store: Store) -> dict[str, Any]:
    status = store.status()
    return {"pending": status["pending"], "conflicts": status["conflicts"],
            "errors": status["errors"], "last_sync": status["last_sync"],
            "clock_offset": clock_offset(store)}


def local_time_text(iso: str | None) -> str:
    """dd/MM/yyyy HH:mm in Hà Nội time, or "" for none."""
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


class DeskStatusBar(QStatusBar):
    conflicts_clicked = Signal()

    def __init__(self, desk: Desk, controller: sc.SyncController) -> None:
        super().__init__()
        self.desk, self.controller = desk, controller
        self.link = QLabel(objectName="linkState")
        self.bar = QProgressBar(objectName="syncProgress", maximumWidth=160, textVisible=False)
        self.bar.hide()
        self.pending = QLabel(objectName="pendingCount")
        self.conflicts = QPushButton(objectName="conflictsCount", flat=True)
        self.conflicts.clicked.connect(self.conflicts_clicked)
        self.last_sync = QLabel(objectName="lastSync")
        self.clock = QLabel(objectName="clockWarning")
        self.clock.setStyleSheet("color: #a40000; font-weight: bold;")
        self.clock.hide()
        for widget in (self.link, self.bar, self.pending, self.conflicts, self.last_sync,
                       self.clock):
            self.addPermanentWidget(widget)
        self.counts: dict[str, Any] = {}
        controller.state_changed.connect(self._show_state)
        controller.progress.connect(self._show_progress)
        controller.synced.connect(lambda _: self.refresh())
        desk.notices.anything_changed.connect(self.refresh)
        self._show_state(controller.state)
        self.refresh()

    def refresh(self) -> None:
        """Read the counts again (on the database worker)."""
        self.desk.tasks.db(_counts, self._show_counts)

    def _show_counts(self, counts: dict[str, Any]) -> None:
        self.counts = counts
        self.pending.setText(self.tr("Chờ gửi: %n", "", counts["pending"]))
        self.conflicts.setText(self.tr("Xung đột: %n", "", counts["conflicts"]))
        self.conflicts.setEnabled(counts["conflicts"] > 0)
        self.conflicts.setStyleSheet(
            "color: #a40000; font-weight: bold;" if counts["conflicts"] else "")
        when = local_time_text(counts["last_sync"])
        self.last_sync.setText(self.tr("Đồng bộ lần cuối: %1").replace("%1", when) if when
                               else self.tr("Chưa đồng bộ lần nào"))
        offset = counts["clock_offset"]
        if offset is not None and abs(offset) > CLOCK_WARNING_SECONDS:
            self.clock.setText(self.tr("Đồng hồ máy lệch %n phút: hãy chỉnh giờ máy", "",
                                       round(abs(offset) / 60)))
            self.clock.show()
        else:
            self.clock.hide()
        if counts["pending"]:
            self.controller.nudge()

    def _show_state(self, state: str) -> None:
        texts = {
            sc.NOT_CONFIGURED: self.tr("Làm việc ngoại tuyến (chưa có máy chủ)"),
            sc.OFFLINE: self.tr("Mất kết nối"),
            sc.ONLINE: self.tr("Đã kết nối"),
            sc.SYNCING: self.tr("Đang đồng bộ…"),
            sc.SIGN_IN: self.tr("Cần đăng nhập lại"),
        }
        colours = {sc.OFFLINE: "#a40000", sc.SIGN_IN: "#a40000", sc.ONLINE: "#1a6b1a"}
        self.link.setText("● " + texts[state])
        self.link.setStyleSheet(f"color: {colours.get(state, '#444444')};")
        self.link.setProperty("state", state)
        self.bar.setVisible(state == sc.SYNCING)
        if state == sc.SYNCING:
            self.bar.setRange(0, 0)  # busy until the first progress arrives

    def _show_progress(self, stage: str, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)

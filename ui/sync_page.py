"""The sync page (Đồng bộ): sync now, progress, a readable log of recent syncs that says what
to do after each failure, the bandwidth-saver switch, and the conflicts waiting for a person.

Threading: GUI thread; the log and the setting are read and written through tasks.db, the sync
itself runs on the network worker (``SyncController``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import sync_log
from app.store import Store
from ui import sync_controller as sc
from ui.conflicts import ConflictsPanel
from ui.context import Desk
from ui.status_bar import local_time_text

SAVER_CHOICES = ("auto", "on", "off")
ALERT = QColor("#a40000")

translate = QCoreApplication.translate


def stage_text(stage: str) -> str:
    return {"push": translate("SyncPage", "Đang gửi thay đổi"), "pull": translate("SyncPage", "Đang nhận thay đổi"),
            "upload": translate("SyncPage", "Đang gửi tệp đính kèm"),
            "download": translate("SyncPage", "Đang nhận tệp đính kèm"),
            "reference": translate("SyncPage", "Đang nhận danh mục và danh sách cán bộ"),
            "leases": translate("SyncPage", "Đang nhận quyền cấp số văn bản")}.get(stage, stage)


def entry_text(entry: sync_log.SyncLogEntry) -> str:
    """One log line: when, what happened, and what to do about it."""
    counts = entry.counts
    if entry.outcome == "ok":
        what = translate("SyncPage", "Đồng bộ xong: gửi %1 thay đổi, nhận %2 thay đổi.").replace(
            "%1", str(counts.get("pushed", 0))).replace("%2", str(counts.get("pulled", 0)))
        if counts.get("blobs_left"):
            what += " " + translate("SyncPage", "Còn %1 tệp đính kèm chờ mạng tốt hơn (chế độ tiết kiệm dữ liệu)."
                             ).replace("%1", str(counts["blobs_left"]))
    elif entry.outcome == "conflicts":
        what = translate("SyncPage", "Đồng bộ xong, nhưng có %1 xung đột: hãy chọn giá trị đúng ở mục Xung đột "
                  "bên dưới.").replace("%1", str(counts.get("conflicts", 0)))
    elif entry.outcome == "link_down":
        what = translate("SyncPage", "Không kết nối được máy chủ. Dữ liệu vẫn được lưu an toàn trên máy; phần mềm "
                  "sẽ tự thử lại khi có mạng.")
    elif entry.outcome == "sign_in_required":
        what = translate("SyncPage", "Phiên đăng nhập đã hết hạn hoặc máy này đã bị thu hồi. Vào Cài đặt, chọn "
                  "\"Đăng nhập lại\"; nếu vẫn không được, hãy báo quản trị viên.")
    elif entry.outcome == "sync_busy":
        what = translate("SyncPage", "Một lần đồng bộ khác đang chạy trên hồ sơ dữ liệu này. Phần mềm sẽ thử lại "
                  "sau.")
    elif entry.outcome == "server_not_set":
        what = translate("SyncPage", "Chưa có địa chỉ máy chủ. Vào Cài đặt để nhập địa chỉ máy chủ của thành phố "
                  "và đăng nhập.")
    elif entry.outcome == "refused" and entry.code == "client_too_old":
        what = translate("SyncPage", "Phiên bản phần mềm này quá cũ, máy chủ không nhận. Hãy cài bản mới.")
    elif entry.outcome == "refused":
        what = translate("SyncPage", "Máy chủ từ chối yêu cầu (mã %1). Phần mềm sẽ thử lại; nếu lỗi kéo dài, hãy "
                  "báo quản trị viên.").replace("%1", entry.code)
    else:
        what = translate("SyncPage", "Lỗi không mong đợi (mã %1). Hãy báo quản trị viên.").replace(
            "%1", entry.code)
    return f"{local_time_text(entry.at)}  {what}"


def _load(store: Store) -> tuple[list[sync_log.SyncLogEntry], str, str]:
    return (sync_log.recent(store), store.setting("sync.bandwidth_saver") or "auto",
            store.setting("server.url") or "")


class SyncPage(QWidget):
    def __init__(self, desk: Desk, controller: sc.SyncController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.controller = desk, controller
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.sync_button = QPushButton(self.tr("Đồng bộ ngay"), objectName="syncNow")
        self.sync_button.clicked.connect(lambda: controller.sync_now())
        top.addWidget(self.sync_button)
        self.stage = QLabel(objectName="syncStage")
        top.addWidget(self.stage, 1)
        layout.addLayout(top)
        self.bar = QProgressBar(objectName="syncPageProgress")
        self.bar.hide()
        layout.addWidget(self.bar)
        form = QFormLayout()
        self.server = QLabel(objectName="serverUrl")
        form.addRow(self.tr("Máy chủ:"), self.server)
        self.saver = QComboBox(objectName="bandwidthSaver")
        for value, text in zip(SAVER_CHOICES, (
                self.tr("Tự động (bật khi mạng chậm)"), self.tr("Bật: chỉ gửi, nhận tệp đính "
                                                              "kèm khi bấm"),
                self.tr("Tắt: gửi, nhận cả tệp đính kèm")), strict=True):
            self.saver.addItem(text, value)
        self.saver.activated.connect(self._saver_chosen)
        form.addRow(self.tr("Tiết kiệm dữ liệu:"), self.saver)
        layout.addLayout(form)
        log_box = QGroupBox(self.tr("Nhật ký đồng bộ gần đây"))
        log_layout = QVBoxLayout(log_box)
        self.log = QListWidget(objectName="syncLog", wordWrap=True)
        log_layout.addWidget(self.log)
        layout.addWidget(log_box, 2)
        conflicts_box = QGroupBox(self.tr("Xung đột cần giải quyết"))
        conflicts_layout = QVBoxLayout(conflicts_box)
        self.conflicts = ConflictsPanel(desk)
        self.conflicts.resolved.connect(lambda _: controller.nudge())
        conflicts_layout.addWidget(self.conflicts)
        layout.addWidget(conflicts_box, 1)
        controller.state_changed.connect(self._show_state)
        controller.progress.connect(self._show_progress)
        controller.synced.connect(lambda _: self.refresh())
        desk.notices.settings_changed.connect(lambda _: self.refresh())
        self._show_state(controller.state)
        self.refresh()

    def refresh(self) -> None:
        self.desk.tasks.db(_load, self._show)

    def _show(self, loaded: tuple[list[sync_log.SyncLogEntry], str, str]) -> None:
        entries, saver, server = loaded
        self.log.clear()
        for entry in entries:
            item = QListWidgetItem(entry_text(entry))
            if entry.outcome not in ("ok", "conflicts"):
                item.setForeground(ALERT)
            self.log.addItem(item)
        if not entries:
            self.log.addItem(self.tr("Chưa đồng bộ lần nào."))
        self.saver.setCurrentIndex(max(0, self.saver.findData(saver)))
        self.server.setText(server or self.tr("chưa có (làm việc ngoại tuyến)"))

    def _saver_chosen(self, index: int) -> None:
        value = self.saver.itemData(index)
        self.desk.tasks.db(lambda store: store.set_setting("sync.bandwidth_saver", value))

    def _show_state(self, state: str) -> None:
        syncing = state == sc.SYNCING
        self.sync_button.setEnabled(not syncing)
        self.bar.setVisible(syncing)
        if syncing:
            self.bar.setRange(0, 0)
            self.stage.setText(self.tr("Đang đồng bộ…"))
        else:
            self.stage.setText("")

    def _show_progress(self, stage: str, done: int, total: int) -> None:
        self.stage.setText(stage_text(stage))
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

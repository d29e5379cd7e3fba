"""Who gives the numbers of a register: one line per series (ordinary, secret) of a kind, with
"Nhận quyền cấp số" (acquire), "Trả quyền cấp số" (release: it syncs first) and, for a commune
admin, "Chuyển quyền (bắt buộc)" (a forced transfer to a chosen device, after a strong
confirmation).

The lines are read from the local copy of the leases (app/leases.py) on the database worker and
read again on every ``lease`` change notice (a sync refreshes the copy). The buttons talk to the
server on the network worker (``desk.tasks.net``); a refusal (409 naming the holder, no link, a
role the server refuses) is said in Vietnamese on the panel. A stand-alone profile (never met a
server) holds every register: the buttons are off and say why.
Threading: GUI thread; reads through ``desk.tasks.db``, server calls through ``desk.tasks.net``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import leases
from app import registers as reg
from ui.context import Desk
from ui.registers import dialogs, jobs, texts

LEASE_NOTICE = leases.LEASE_NOTICE


def _alive(widget: QWidget, callback: Callable[..., None]) -> Callable[..., None]:
    def call(*args: Any) -> None:
        if shiboken6.isValid(widget):
            callback(*args)
    return call


class LeasePanel(QFrame):
    """The leases of one kind of register (both series), with their buttons."""

    changed = Signal()  # the lines were read again
    finished = Signal(str, object)  # "acquire" / "release" / "transfer"; the error or None
    dialog_opened = Signal(QDialog)

    def __init__(self, desk: Desk, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.kind = desk, reg.check_kind(kind)
        self.setObjectName(f"lease_panel_{kind}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.leases: dict[str, leases.Lease] = {}
        self.busy = False
        self.current_dialog: QDialog | None = None
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        self.lines: dict[str, QLabel] = {}
        self.acquire_buttons: dict[str, QPushButton] = {}
        self.release_buttons: dict[str, QPushButton] = {}
        self.transfer_buttons: dict[str, QPushButton] = {}
        for row, series in enumerate(reg.SERIES):
            line = QLabel(self, objectName=f"lease_{series}", wordWrap=True)
            acquire = QPushButton(self.tr("Nhận quyền cấp số"), self,
                                  objectName=f"acquire_{series}")
            release = QPushButton(self.tr("Trả quyền cấp số"), self,
                                  objectName=f"release_{series}")
            transfer = QPushButton(self.tr("Chuyển quyền (bắt buộc)"), self,
                                   objectName=f"transfer_{series}")
            acquire.clicked.connect(lambda _=False, s=series: self.acquire(s))
            release.clicked.connect(lambda _=False, s=series: self.release(s))
            transfer.clicked.connect(lambda _=False, s=series: self.open_transfer(s))
            for button in (acquire, release, transfer):
                button.setAutoDefault(False)
            grid.addWidget(line, row, 0)
            grid.addWidget(acquire, row, 1)
            grid.addWidget(release, row, 2)
            grid.addWidget(transfer, row, 3)
            self.lines[series] = line
            self.acquire_buttons[series] = acquire
            self.release_buttons[series] = release
            self.transfer_buttons[series] = transfer
            transfer.setVisible(desk.person.role == "admin")
        grid.setColumnStretch(0, 1)
        self.refresh_button = QPushButton(self.tr("Hỏi lại máy chủ"), self,
                                          objectName="refresh_leases")
        self.refresh_button.setToolTip(self.tr(
            "Hỏi máy chủ máy nào đang giữ quyền cấp số (mỗi lần đồng bộ cũng hỏi)"))
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(self.ask_server)
        self.message = QLabel(self, objectName="lease_message", wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        title = QHBoxLayout()
        title.addWidget(QLabel(self.tr("<b>Quyền cấp số</b>"), self), 1)
        title.addWidget(self.refresh_button)
        layout.addLayout(title)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        desk.notices.records_changed.connect(self._records_changed)
        self.reload()

    # -------------------------------------------------------------- reading

    def reload(self) -> None:
        kind = self.kind
        self.desk.tasks.db(
            lambda store: {s: leases.holder_of(store, kind, s) for s in reg.SERIES},
            _alive(self, self._show), _alive(self, self._failed_read))

    def _records_changed(self, record_type: str, _ids: frozenset[str]) -> None:
        if record_type == LEASE_NOTICE:
            self.reload()

    def _show(self, found: dict[str, leases.Lease]) -> None:
        self.leases = found
        admin = self.desk.person.role == "admin"
        for series, lease in found.items():
            line = self.tr("{register}: {holder} giữ quyền cấp số").format(
                register=texts.register_name(self.kind, series), holder=texts.holder_text(lease))
            if not lease.held:
                line = self.tr("{register}: chưa máy nào giữ quyền cấp số").format(
                    register=texts.register_name(self.kind, series))
            if lease.since and lease.held and not lease.standalone:
                line += self.tr(" (từ {since})").format(since=texts.local_time(lease.since))
            label = self.lines[series]
            label.setText(line)
            label.setProperty("mine", lease.mine)
            label.setStyleSheet("QLabel { font-weight: bold; color: #1b5e20; }" if lease.mine
                                else "")
            acquire = self.acquire_buttons[series]
            release = self.release_buttons[series]
            transfer = self.transfer_buttons[series]
            if lease.standalone:
                tip = self.tr("Máy dùng riêng (chưa kết nối máy chủ) giữ mọi sổ; không cần "
                              "nhận hay trả quyền cấp số.")
                for button in (acquire, release, transfer):
                    button.setEnabled(False)
                    button.setToolTip(tip)
                continue
            acquire.setEnabled(not self.busy and not lease.mine)
            acquire.setToolTip(self.tr("Máy này nhận quyền cấp số của sổ (cần mạng). Chỉ được "
                                       "khi không máy nào khác giữ."))
            release.setEnabled(not self.busy and lease.mine)
            release.setToolTip(self.tr("Đồng bộ trước, rồi trả quyền cấp số để máy khác nhận."))
            transfer.setVisible(admin)
            transfer.setEnabled(not self.busy and admin)
            transfer.setToolTip(self.tr("Quản trị viên chuyển quyền cấp số sang máy khác, kể cả "
                                        "khi máy đang giữ mất mạng hoặc hỏng."))
        standalone = any(lease.standalone for lease in found.values())
        self.refresh_button.setEnabled(not self.busy and not standalone)
        self.changed.emit()

    def _failed_read(self, error: BaseException) -> None:
        self.say(texts.error_text(error), error=True)

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setVisible(bool(text))

    # -------------------------------------------------------------- server calls

    def _call(self, what: str, job: Callable[[Any], Any], waiting: str,
              success: Callable[[Any], str]) -> None:
        if self.busy:
            return
        self.busy = True
        self.say(waiting)
        self._show(self.leases)

        def done(result: Any) -> None:
            self.busy = False
            self.say(success(result))
            self.reload()
            self.finished.emit(what, None)

        def failed(error: BaseException) -> None:
            self.busy = False
            self.say(texts.error_text(error), error=True)
            self.reload()
            self.finished.emit(what, error)

        self.desk.tasks.net(job, _alive(self, done), _alive(self, failed))

    def acquire(self, series: str) -> None:
        kind, root = self.kind, self.desk.workspace.root
        register = texts.register_name(kind, series)
        self._call("acquire", lambda store: leases.acquire(store, root, kind, series),
                   self.tr("Đang nhận quyền cấp số của {register}…").format(register=register),
                   lambda lease: self.tr("Máy này đã nhận quyền cấp số của {register}.").format(
                       register=register))

    def release(self, series: str) -> None:
        kind, root = self.kind, self.desk.workspace.root
        register = texts.register_name(kind, series)
        self._call("release", lambda store: leases.release(store, root, kind, series),
                   self.tr("Đang đồng bộ rồi trả quyền cấp số của {register}…").format(
                       register=register),
                   lambda lease: self.tr("Đã trả quyền cấp số của {register}; máy khác có thể "
                                         "nhận.").format(register=register))

    def transfer(self, series: str, device_id: str) -> None:
        kind, root = self.kind, self.desk.workspace.root
        register = texts.register_name(kind, series)
        self._call("transfer",
                   lambda store: leases.transfer(store, root, kind, series, device_id, True),
                   self.tr("Đang chuyển quyền cấp số của {register}…").format(register=register),
                   lambda lease: self.tr("Đã chuyển quyền cấp số của {register} sang {holder}."
                                         ).format(register=register,
                                                  holder=texts.holder_text(lease)))

    def ask_server(self) -> None:
        root = self.desk.workspace.root
        self._call("refresh", lambda store: leases.refresh(store, root),
                   self.tr("Đang hỏi máy chủ…"),
                   lambda _: self.tr("Đã cập nhật quyền cấp số từ máy chủ."))

    def open_transfer(self, series: str) -> TransferDialog:
        dialog = TransferDialog(self.desk, self.kind, series, self.leases.get(series), self)
        dialog.chosen.connect(lambda device: self.transfer(series, device))
        dialog.dialog_opened.connect(self.dialog_opened)
        dialog.finished.connect(dialog.deleteLater)
        self.current_dialog = dialog
        self.dialog_opened.emit(dialog)
        dialog.open()
        return dialog


class TransferDialog(QDialog):
    """A commune admin's forced transfer: a device, an acknowledgement of what it does to the
    holder's numbers, then a last question whose safe answer is the default."""

    chosen = Signal(str)  # the device id, after the confirmation
    dialog_opened = Signal(QDialog)

    def __init__(self, desk: Desk, kind: str, series: str, lease: leases.Lease | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transfer_dialog")
        self.desk, self.kind, self.series, self.lease = desk, kind, series, lease
        self.confirmation: QMessageBox | None = None
        register = texts.register_name(kind, series)
        self.setWindowTitle(self.tr("Chuyển quyền cấp số (bắt buộc)"))
        layout = QVBoxLayout(self)
        holder = texts.holder_text(lease) if lease is not None else texts.holder_text(
            leases.Lease(kind, series, None, None, None, 0, None))
        intro = QLabel(self.tr(
            "Chuyển quyền cấp số của {register} (đang do {holder} giữ) sang máy khác. Chỉ dùng "
            "khi máy đang giữ hỏng, mất hoặc mất mạng lâu ngày; nếu máy đó còn dùng được, hãy "
            "trả quyền cấp số trên máy đó.").format(register=register, holder=holder),
            self, wordWrap=True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.device = QComboBox(self, objectName="device")
        self.device.setEditable(True)
        self.device.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.device.setMinimumContentsLength(40)
        self.device.addItem(self.tr("Đang tải danh sách máy…"), None)
        form.addRow(self.tr("Chuyển sang máy"), self.device)
        layout.addLayout(form)
        self.understood = QCheckBox(self.tr(
            "Tôi hiểu: máy đang giữ sẽ không cấp số được nữa; số nó đã cấp trong lúc mất mạng "
            "sẽ thành xung đột cho người có trách nhiệm giải quyết."), self)
        self.understood.setObjectName("understood")
        layout.addWidget(self.understood)
        self.error = QLabel(self, objectName="error", wordWrap=True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(self.tr("Chuyển quyền"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("ok")
        self.cancel_button = self.buttons.addButton(self.tr("Huỷ"),
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setDefault(True)
        self.ok_button.setAutoDefault(False)
        self.ok_button.setEnabled(False)
        self.understood.toggled.connect(self.ok_button.setEnabled)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)
        root = desk.workspace.root
        desk.tasks.net(lambda store: jobs.transfer_targets(store, root),
                       _alive(self, self._fill), _alive(self, self._fill_failed))

    def _fill(self, devices: list[jobs.Device]) -> None:
        self.device.clear()
        for device in devices:
            name = device.name or device.device_id
            if device.this_machine:
                text = self.tr("Máy này ({name})").format(name=name)
            elif self.lease is not None and device.device_id == self.lease.holder_device_id:
                text = self.tr("{name} (đang giữ)").format(name=name)
            else:
                text = name
            self.device.addItem(f"{text} — {device.device_id}", device.device_id)

    def _fill_failed(self, error: BaseException) -> None:
        self.device.clear()
        self.error.setText(texts.error_text(error))
        self.error.show()

    def device_id(self) -> str | None:
        text = self.device.currentText().strip()
        index = self.device.findText(text)
        if index >= 0:
            return self.device.itemData(index)
        return text or None

    def accept(self) -> None:
        device = self.device_id()
        if not device:
            self.error.setText(self.tr("Hãy chọn máy nhận quyền cấp số."))
            self.error.show()
            return
        if not self.understood.isChecked():
            self.error.setText(self.tr("Hãy đánh dấu ô xác nhận."))
            self.error.show()
            return
        if self.lease is not None and device == self.lease.holder_device_id:
            self.error.setText(self.tr("Máy được chọn đang giữ quyền cấp số rồi."))
            self.error.show()
            return
        def transfer() -> None:
            self.chosen.emit(device)
            self.done(QDialog.DialogCode.Accepted)

        dialogs.ask_before(
            self, self.windowTitle(), self.tr(
                "Chuyển bắt buộc quyền cấp số của {register} sang máy {device}? Máy chủ ghi lại "
                "ai chuyển, lúc nào.").format(register=texts.register_name(self.kind,
                                                                         self.series),
                                             device=self.device.currentText()),
            self.tr("Chuyển quyền"), transfer,
            informative=self.tr("Việc này không thể hoàn tác."))

"""The dossier detail screen: every field of one dossier, its sync state, its history, its
attachments, and one button per workflow action the signed-in person may take.

``load_dossier`` gathers what the screen shows in one job on the database worker (the record,
its procedure version, events, attachments, sync state with its reason, the allowed actions for
the person's role, the staff list, the due-time highlight) and writes the access log when the
dossier is opened (personal data, DOMAIN.md). ``DossierDetail`` shows it, reloads when
``Notices.dossiers_changed`` names its dossier (a refresh re-reads what is already on screen and
is not logged again), opens attachments through ``ui.attachment_viewer`` (bytes fetched on the
network worker) and opens the dialogs of ``ui.action_dialogs``, which never block (``open()``, not
``exec()``): the main window and tests reach the open one as ``current_dialog``.
Threading: GUI thread; reads through ``desk.tasks.db``, attachments through ``desk.tasks.net``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import actions
from app import staff as app_staff
from app.actions import Action
from app.catalogue import Procedure
from app.dossier import VN_TZ, parse_time, utc_text
from app.dossier_query import Deadline, DeadlineWindow, due_soon_hours
from app.errors import DomainError
from app.identity import phone_text
from app.status import Status
from app.store import DOSSIER, Store
from app.workcalendar import CalendarRangeError
from ui import action_dialogs
from ui import attachment_viewer as viewer
from ui.context import Desk

translate = QCoreApplication.translate
CTX = "DossierDetail"


# ------------------------------------------------------------------ loading (database worker)


@dataclass(frozen=True)
class DossierView:
    """Everything the detail screen and its dialogs show of one dossier, read in one job."""

    dossier_id: str
    record: dict[str, Any]
    procedure: Procedure
    events: list[dict[str, Any]]
    attachments: list[dict[str, Any]]  # + "local": whether this machine holds the bytes
    sync_state: str
    sync_reason: str | None
    actions: list[Action]
    staff: list[dict[str, Any]]
    now: datetime
    due_state: str  # "overdue", "due_soon" or ""
    # Remaining working days of rule 5 and the due time each would give (dialog preview).
    verification_left: int = 0
    extension_previews: dict[int, datetime] = field(default_factory=dict)
    # A first suggestion for the new appointment of rule 7: one working day later.
    suggested_new_due: datetime | None = None

    @property
    def code(self) -> str:
        return self.record["code"]

    @property
    def status(self) -> int:
        return int(self.record["status"])

    @property
    def due_at(self) -> datetime:
        return parse_time(self.record["due_at"])

    def staff_name(self, username: str | None) -> str:
        if not username:
            return ""
        for person in self.staff:
            if person["username"] == username:
                return f"{person.get('display_name') or username} ({username})"
        return username


def load_dossier(store: Store, dossier_id: str, role: str, *, log: bool) -> DossierView:
    """On the database worker: the whole view of one dossier; ``log`` notes the access."""
    row = store.resolve(dossier_id)
    if log:
        store.log_access("view", row["id"])
    record = store.record(row["id"])
    procedure = store.procedure_for(record["procedure_code"], parse_time(record["received_at"]),
                                    record["procedure_version"])
    attachments = [{**a, "local": store.blobs.has(a["sha256"])}
                   for a in store.attachments(row["id"])]
    state, reason = store.sync_state(DOSSIER, row["id"]) or ("pending", None)
    now = store.clock.now()
    due = parse_time(record["due_at"])
    allowed = actions.allowed_actions(store, row["id"], role)
    # One definition of "overdue" and "due soon" for the list and this screen.
    deadline = DeadlineWindow.at(now, due_soon_hours(store)).of(
        record["status"], utc_text(due))
    due_state = {Deadline.OVERDUE: "overdue", Deadline.DUE_SOON: "due_soon"}.get(deadline, "")
    used = int(record.get("verification_days") or 0)
    verification_left = max(procedure.verification_extension_days - used, 0)
    previews: dict[int, datetime] = {}
    suggestion: datetime | None = None
    try:
        if Action.EXTEND_VERIFICATION in allowed and verification_left:
            calculator = store.calculator_for(record["calendar_version"])
            previews = {days: calculator.add_working_days(due, days)
                        for days in range(1, verification_left + 1)}
        if Action.APOLOGY_EXTENSION in allowed:
            calculator = store.calculator_for(record["calendar_version"])
            suggestion = calculator.add_working_days(due, 1)
    except (CalendarRangeError, DomainError, ValueError):
        pass  # previews are a help; the action itself checks the calendar
    return DossierView(
        dossier_id=row["id"], record=record, procedure=procedure,
        events=store.events(row["id"]), attachments=attachments, sync_state=state,
        sync_reason=reason, actions=allowed, staff=app_staff.staff(store), now=now,
        due_state=due_state, verification_left=verification_left, extension_previews=previews,
        suggested_new_due=suggestion)


# ------------------------------------------------------------------ texts


def local_time(value: str | datetime | None) -> str:
    """``dd/MM/yyyy HH:mm +07:00`` (DOMAIN.md rule 8), or "" for none."""
    if not value:
        return ""
    moment = parse_time(value) if isinstance(value, str) else value
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M +07:00")


def status_name(status: int | None) -> str:
    names = {
        1: translate("DossierDetail", "Đăng ký trực tuyến"),
        2: translate("DossierDetail", "Đã tiếp nhận"),
        3: translate("DossierDetail", "Không tiếp nhận (từ chối)"),
        4: translate("DossierDetail", "Đang xử lý"),
        5: translate("DossierDetail", "Chờ bổ sung hồ sơ"),
        6: translate("DossierDetail", "Chờ thực hiện nghĩa vụ tài chính"),
        7: translate("DossierDetail", "Công dân đã rút hồ sơ"),
        8: translate("DossierDetail", "Dừng xử lý"),
        9: translate("DossierDetail", "Đã có kết quả"),
        10: translate("DossierDetail", "Đã trả kết quả"),
    }
    if status is None:
        return ""
    return names.get(int(status), translate("DossierDetail", "Trạng thái {n}").format(n=status))


def paper_form_name(form: str) -> str:
    return {
        "original": translate("DossierDetail", "Bản chính"),
        "copy": translate("DossierDetail", "Bản sao"),
        "certified_copy": translate("DossierDetail", "Bản sao có chứng thực"),
    }.get(form, form)


def delivery_name(delivery: str | None) -> str:
    return {
        "counter": translate("DossierDetail", "Nhận trực tiếp tại Bộ phận một cửa"),
        "post": translate("DossierDetail", "Qua dịch vụ bưu chính công ích"),
        "online": translate("DossierDetail", "Trực tuyến"),
    }.get(delivery or "", delivery or "")


def channel_name(channel: int | None) -> str:
    return {
        1: translate("DossierDetail", "Trực tiếp"),
        2: translate("DossierDetail", "Trực tuyến"),
        3: translate("DossierDetail", "Qua dịch vụ bưu chính công ích"),
    }.get(channel or 0, str(channel or ""))


def sex_name(sex: str | None) -> str:
    return {"male": translate("DossierDetail", "Nam"),
            "female": translate("DossierDetail", "Nữ")}.get(sex or "", "")


def date_of_birth_text(value: str | None) -> str:
    if not value:
        return ""
    if len(value) == 4:
        return value
    year, month, day = value.split("-")
    return f"{day}/{month}/{year}"


def size_text(size: int) -> str:
    """``6,0 kB`` / ``6.0 kB``: the interface language's numbers (Vietnamese when none is set)."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        locale = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    return locale.formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def event_text(event: dict[str, Any], view: DossierView | None = None) -> str:
    """What happened, in Vietnamese, for one history event."""
    kind, before, after = event["kind"], event.get("from_status"), event.get("to_status")
    if kind == "received":
        if after == Status.REGISTERED_ONLINE:
            return translate("DossierDetail", "Công dân đăng ký trực tuyến")
        return translate("DossierDetail", "Tiếp nhận hồ sơ")
    if kind == "status" or (after is not None and kind not in (
            actions.ASSIGNED, actions.EXTENDED_VERIFICATION, actions.APOLOGY_EXTENSION)):
        if after == Status.PROCESSING and before == Status.SUPPLEMENT_REQUESTED:
            what = translate("DossierDetail", "Đã nhận đủ hồ sơ bổ sung, tiếp tục xử lý")
        elif after == Status.PROCESSING and before == Status.OBLIGATION_REQUESTED:
            what = translate("DossierDetail",
                             "Đã hoàn thành nghĩa vụ tài chính, tiếp tục xử lý")
        else:
            what = {
                Status.RECEIVED: translate("DossierDetail", "Tiếp nhận hồ sơ đăng ký trực tuyến"),
                Status.NOT_RECEIVED: translate("DossierDetail", "Từ chối tiếp nhận hồ sơ"),
                Status.PROCESSING: translate("DossierDetail", "Bắt đầu xử lý"),
                Status.SUPPLEMENT_REQUESTED: translate("DossierDetail",
                                                       "Yêu cầu bổ sung, hoàn thiện hồ sơ"),
                Status.OBLIGATION_REQUESTED: translate("DossierDetail",
                                                       "Yêu cầu thực hiện nghĩa vụ tài chính"),
                Status.WITHDRAWN: translate("DossierDetail", "Công dân rút hồ sơ"),
                Status.STOPPED: translate("DossierDetail", "Dừng xử lý hồ sơ"),
                Status.RESULT_READY: translate("DossierDetail", "Đã có kết quả giải quyết"),
                Status.RESULT_RETURNED: translate("DossierDetail",
                                                  "Đã trả kết quả cho công dân"),
            }.get(after, translate("DossierDetail", "Chuyển trạng thái"))
        if before is not None and after is not None:
            return translate("DossierDetail", "{what} ({before} → {after})").format(
                what=what, before=status_name(before), after=status_name(after))
        return what
    if kind == actions.ASSIGNED:
        assignee, _ = actions.assignment_of(event.get("note") or "")
        if assignee is None:
            return translate("DossierDetail", "Bỏ giao hồ sơ (chưa giao cho ai)")
        name = view.staff_name(assignee) if view is not None else assignee
        return translate("DossierDetail", "Giao hồ sơ cho {name}").format(name=name)
    if kind == actions.EXTENDED_VERIFICATION:
        return translate("DossierDetail", "Gia hạn thời gian giải quyết để xác minh")
    if kind == actions.APOLOGY_EXTENSION:
        return translate("DossierDetail", "Xin lỗi công dân và hẹn lại ngày trả kết quả")
    return translate("DossierDetail", "Sự kiện khác ({kind})").format(kind=kind)


def sync_text(state: str, reason: str | None) -> str:
    """The record's sync state, and what to do about it."""
    if state == "synced":
        return translate("DossierDetail", "Đã đồng bộ với máy chủ.")
    if state == "pending":
        return translate(
            "DossierDetail",
            "Chưa đồng bộ: thay đổi đang chờ gửi lên máy chủ. Không cần làm gì, thay đổi sẽ "
            "được gửi ở lần đồng bộ tới (khi có mạng).")
    if state == "conflict":
        return translate(
            "DossierDetail",
            "Xung đột: hồ sơ này đã được sửa ở cả máy này và máy khác. Hãy bấm \"Giải quyết "
            "xung đột\" để chọn giá trị đúng cho từng thông tin.")
    if state == "error":
        return translate(
            "DossierDetail",
            "Lỗi đồng bộ: máy chủ không nhận thay đổi của hồ sơ này (lý do: {reason}). Hãy "
            "sửa lại thông tin bị từ chối rồi đồng bộ lại; nếu vẫn lỗi, hãy báo quản trị viên "
            "của xã.").format(reason=reason or translate("DossierDetail", "không rõ"))
    return state


# ------------------------------------------------------------------ the screen


def _alive(widget: QWidget, callback: Callable[..., None]) -> Callable[..., None]:
    """``callback``, skipped when ``widget`` was destroyed before a background job answered."""
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


_cleanup_arranged = False


def _clean_up_viewed_files(desk: Desk) -> None:
    """Once per process: remove copies a crashed run left (on the worker), and this run's at
    quit."""
    global _cleanup_arranged
    if _cleanup_arranged:
        return
    _cleanup_arranged = True
    desk.tasks.io(viewer.sweep_stale_folders)
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(viewer.remove_private_folder)


def _fit_columns(table: QTableWidget, stretch: int) -> None:
    """Columns as wide as their contents, column ``stretch`` taking the rest of the width."""
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


class DossierDetail(QWidget):
    """One dossier, its history and attachments, and the actions the person may take."""

    loaded = Signal(str)  # dossier id, after each (re)load is on screen
    load_failed = Signal(object)  # the exception
    dialog_opened = Signal(QDialog)  # an action dialog, a confirmation or a print offer
    action_performed = Signal(str, object)  # action value, the dossier record after it
    attachment_opened = Signal(object)  # ui.attachment_viewer.Opened
    conflicts_requested = Signal(str)  # dossier id: the main window opens the conflicts dialog

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dossier_detail")
        self.desk = desk
        self.view: DossierView | None = None
        self.current_dialog: QDialog | None = None  # the topmost open one
        self._dialogs: list[QDialog] = []
        self.last_preview: viewer.ImagePreview | None = None
        # Makes the dialog of an action; tests or the main window may replace it.
        self.dialog_factory: Callable[..., QDialog] = action_dialogs.dialog_for
        self.action_buttons: dict[Action, QPushButton] = {}
        self._dossier_id: str | None = None
        self._generation = 0
        self._build()
        desk.notices.dossiers_changed.connect(self._dossiers_changed)
        _clean_up_viewed_files(desk)

    # -------------------------------------------------------------- public API

    @property
    def dossier_id(self) -> str | None:
        return self._dossier_id

    def show_dossier(self, dossier_id: str) -> None:
        """Load and show ``dossier_id`` (the access is logged)."""
        if dossier_id != self._dossier_id:
            self.view = None
            self._show_placeholder(self.tr("Đang tải hồ sơ…"))
        self._dossier_id = dossier_id
        self._load(log=True)

    def refresh(self) -> None:
        """Read the shown dossier again (after a change here or a sync)."""
        if self._dossier_id:
            self._load(log=False)

    def clear(self) -> None:
        self._dossier_id, self.view = None, None
        self._generation += 1
        self._show_placeholder(self.tr("Chọn một hồ sơ để xem chi tiết."))

    def start_action(self, action: Action) -> QDialog | None:
        """Open the dialog of ``action`` for the shown dossier (non-blocking)."""
        if self.view is None:
            return None
        dialog = self.dialog_factory(action, self.desk, self.view, self)
        dialog.performed.connect(_alive(self, lambda record, a=action: self._performed(a, record)))
        dialog.dialog_opened.connect(_alive(self, self._track_dialog))
        dialog.finished.connect(dialog.deleteLater)
        self._track_dialog(dialog)
        dialog.open()
        return dialog

    def open_attachment(self, attachment_id: str) -> None:
        """Fetch an attachment on the network worker (downloading it if needed) and show it."""
        if self.view is None:
            return
        attachment = next((a for a in self.view.attachments if a["id"] == attachment_id), None)
        if attachment is None:
            return
        if attachment["local"]:
            self._message(self.tr("Đang mở tệp {name}…").format(name=attachment["file_name"]))
        else:
            self._message(self.tr("Đang tải tệp {name} từ máy chủ…").format(
                name=attachment["file_name"]))
        root = self.desk.workspace.root
        self.desk.tasks.net(lambda store: viewer.fetch_for_viewing(store, root, attachment),
                            _alive(self, self._attachment_fetched),
                            _alive(self, self._attachment_failed))

    # -------------------------------------------------------------- loading

    def _load(self, *, log: bool) -> None:
        self._generation += 1
        generation, dossier_id, role = self._generation, self._dossier_id, self.desk.person.role
        assert dossier_id is not None
        self.desk.tasks.db(
            lambda store: load_dossier(store, dossier_id, role, log=log),
            _alive(self, lambda view: self._loaded(generation, view)),
            _alive(self, lambda error: self._failed(generation, error)))

    def _loaded(self, generation: int, view: DossierView) -> None:
        if generation != self._generation:
            return  # a newer load is on its way
        self.view = view
        self._fill(view)
        self.loaded.emit(view.dossier_id)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.view = None
        if getattr(error, "code", "") == "unknown_dossier":
            text = self.tr("Không tìm thấy hồ sơ này trên máy.")
        else:
            text = self.tr("Không đọc được hồ sơ: {error}").format(
                error=action_dialogs.error_text(error))
        self._show_placeholder(text)
        self.load_failed.emit(error)

    def _dossiers_changed(self, ids: frozenset[str]) -> None:
        if self._dossier_id and (self._dossier_id in ids or (
                self.view is not None and self.view.dossier_id in ids)):
            self.refresh()

    # -------------------------------------------------------------- building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.placeholder = QLabel(self.tr("Chọn một hồ sơ để xem chi tiết."), self)
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        outer.addWidget(self.placeholder)

        self.page = QWidget(self)
        outer.addWidget(self.page, 1)
        page = QVBoxLayout(self.page)
        page.setContentsMargins(0, 0, 0, 0)

        header = QHBoxLayout()
        self.code_label = QLabel(self.page, objectName="code")
        font = QFont(self.code_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel(self.page, objectName="status")
        self.status_label.setStyleSheet(
            "QLabel { border-radius: 4px; padding: 2px 8px; background: #e3ecf7; }")
        header.addWidget(self.code_label)
        header.addWidget(self.status_label)
        header.addStretch(1)
        page.addLayout(header)
        self.procedure_label = QLabel(self.page, objectName="procedure", wordWrap=True)
        page.addWidget(self.procedure_label)

        self.sync_frame = QFrame(self.page, objectName="sync_frame")
        sync_row = QHBoxLayout(self.sync_frame)
        sync_row.setContentsMargins(6, 4, 6, 4)
        self.sync_label = QLabel(self.sync_frame, objectName="sync_state", wordWrap=True)
        self.conflict_button = QPushButton(self.tr("Giải quyết xung đột"), self.sync_frame)
        self.conflict_button.setObjectName("resolve_conflicts")
        self.conflict_button.clicked.connect(
            lambda: self._dossier_id and self.conflicts_requested.emit(self._dossier_id))
        sync_row.addWidget(self.sync_label, 1)
        sync_row.addWidget(self.conflict_button)
        page.addWidget(self.sync_frame)

        self.actions_bar = QWidget(self.page, objectName="actions")
        self.actions_layout = QHBoxLayout(self.actions_bar)
        self.actions_layout.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.actions_bar)
        self.message_label = QLabel(self.page, objectName="message", wordWrap=True)
        self.message_label.hide()
        page.addWidget(self.message_label)

        scroll = QScrollArea(self.page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        scroll.setWidget(body)
        page.addWidget(scroll, 1)
        layout = QVBoxLayout(body)

        general = QGroupBox(self.tr("Thông tin hồ sơ"), body)
        self.fields = QFormLayout(general)
        self.field_labels: dict[str, QLabel] = {}
        for key, caption in (
                ("procedure", self.tr("Thủ tục")),
                ("channel", self.tr("Hình thức nộp")),
                ("status", self.tr("Trạng thái")),
                ("received_at", self.tr("Thời điểm tiếp nhận")),
                ("due_at", self.tr("Hẹn trả kết quả")),
                ("received_by", self.tr("Người tiếp nhận")),
                ("assigned_to", self.tr("Người xử lý")),
                ("verification_days", self.tr("Số ngày gia hạn để xác minh")),
                ("apologies", self.tr("Số lần xin lỗi, hẹn lại")),
                ("sets_count", self.tr("Số bộ hồ sơ")),
                ("result_delivery", self.tr("Hình thức trả kết quả")),
                ("notes", self.tr("Ghi chú"))):
            self._field(self.fields, key, caption)
        self.due_label = self.field_labels["due_at"]
        layout.addWidget(general)

        applicant = QGroupBox(self.tr("Người nộp hồ sơ"), body)
        self.applicant_fields = QFormLayout(applicant)
        for key, caption in (
                ("applicant.full_name", self.tr("Họ và tên")),
                ("applicant.id_number", self.tr("Số định danh cá nhân")),
                ("applicant.date_of_birth", self.tr("Ngày sinh")),
                ("applicant.sex", self.tr("Giới tính")),
                ("applicant.phone", self.tr("Số điện thoại")),
                ("applicant.email", self.tr("Thư điện tử")),
                ("applicant.address", self.tr("Địa chỉ")),
                ("co_applicants", self.tr("Người cùng nộp"))):
            self._field(self.applicant_fields, key, caption)
        self.applicant_label = self.field_labels["applicant.full_name"]
        layout.addWidget(applicant)

        papers = QGroupBox(self.tr("Giấy tờ đã nhận"), body)
        papers_layout = QVBoxLayout(papers)
        self.papers_table = _table(
            [self.tr("Tên giấy tờ"), self.tr("Hình thức"), self.tr("Số lượng")], "papers")
        papers_layout.addWidget(self.papers_table)
        layout.addWidget(papers)

        history = QGroupBox(self.tr("Lịch sử xử lý"), body)
        history_layout = QVBoxLayout(history)
        self.events_table = _table([self.tr("Thời điểm"), self.tr("Người thực hiện"),
                                    self.tr("Nội dung"), self.tr("Ghi chú")], "events")
        history_layout.addWidget(self.events_table)
        layout.addWidget(history)

        files = QGroupBox(self.tr("Tệp đính kèm"), body)
        files_layout = QVBoxLayout(files)
        self.attachments_table = _table(
            [self.tr("Tên tệp"), self.tr("Dung lượng"), self.tr("Trên máy này"), ""],
            "attachments")
        files_layout.addWidget(self.attachments_table)
        self.attachments_note = QLabel(self.tr(
            "Tệp đính kèm chứa dữ liệu cá nhân. Ảnh được xem ngay trong chương trình; tệp "
            "PDF được mở bằng trình xem của máy từ một bản sao tạm riêng tư, bản sao này bị "
            "xoá khi thoát CommuneDesk. Mỗi lần mở đều được ghi vào nhật ký truy cập."),
            files, wordWrap=True)
        self.attachments_note.setObjectName("attachments_note")
        files_layout.addWidget(self.attachments_note)
        layout.addWidget(files)
        layout.addStretch(1)

        self.page.hide()

    def _field(self, form: QFormLayout, key: str, caption: str) -> None:
        value = QLabel(objectName=f"field_{key}", wordWrap=True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        form.addRow(caption, value)
        self.field_labels[key] = value

    def _show_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        self.placeholder.show()
        self.page.hide()

    def _message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #b00020;" if error else "")
        self.message_label.setVisible(bool(text))

    # -------------------------------------------------------------- filling

    def _fill(self, view: DossierView) -> None:
        record = view.record
        self.placeholder.hide()
        self.page.show()
        self.code_label.setText(view.code)
        self.status_label.setText(status_name(view.status))
        self.procedure_label.setText(f"{view.procedure.code} — {view.procedure.name}")
        values = {
            "procedure": self.tr("{name} (mã {code}, phiên bản {version})").format(
                name=view.procedure.name, code=view.procedure.code,
                version=view.procedure.version),
            "channel": channel_name(record.get("channel")),
            "status": status_name(view.status),
            "received_at": local_time(record["received_at"]),
            "due_at": local_time(record["due_at"]),
            "received_by": record.get("received_by") or next(
                (e.get("actor") or "" for e in view.events if e["kind"] == "received"), ""),
            "assigned_to": view.staff_name(record.get("assigned_to"))
            or self.tr("Chưa giao"),
            "verification_days": self.tr("{used} / tối đa {limit} ngày làm việc").format(
                used=int(record.get("verification_days") or 0),
                limit=view.procedure.verification_extension_days),
            "apologies": str(int(record.get("apologies") or 0)),
            "sets_count": str(record.get("sets_count") or 1),
            "result_delivery": delivery_name(record.get("result_delivery")),
            "notes": record.get("notes") or "",
        }
        applicant = record["applicant"]
        values.update({
            "applicant.full_name": applicant.get("full_name") or "",
            "applicant.id_number": applicant.get("id_number") or "",
            "applicant.date_of_birth": date_of_birth_text(applicant.get("date_of_birth")),
            "applicant.sex": sex_name(applicant.get("sex")),
            "applicant.phone": phone_text(applicant.get("phone")),
            "applicant.email": applicant.get("email") or "",
            "applicant.address": applicant.get("address") or "",
            "co_applicants": "\n".join(self._person_line(p) for p in record["co_applicants"])
            or self.tr("Không có"),
        })
        for key, text in values.items():
            self.field_labels[key].setText(text)
        self._fill_due(view)
        self._fill_sync(view)
        self._fill_actions(view)
        self._fill_papers(record["papers"])
        self._fill_events(view)
        self._fill_attachments(view)

    def _person_line(self, person: dict[str, Any]) -> str:
        parts = [person.get("full_name") or ""]
        if person.get("id_number"):
            parts.append(self.tr("số định danh {number}").format(number=person["id_number"]))
        if person.get("date_of_birth"):
            parts.append(self.tr("sinh {date}").format(
                date=date_of_birth_text(person["date_of_birth"])))
        if person.get("address"):
            parts.append(person["address"])
        return ", ".join(parts)

    def _fill_due(self, view: DossierView) -> None:
        text = local_time(view.record["due_at"])
        self.due_label.setProperty("dueState", view.due_state)
        if view.due_state == "overdue":
            text = self.tr("{time} — QUÁ HẠN").format(time=text)
            self.due_label.setStyleSheet("QLabel { color: #b00020; font-weight: bold; }")
        elif view.due_state == "due_soon":
            text = self.tr("{time} — sắp đến hạn (còn dưới một ngày làm việc)").format(
                time=text)
            self.due_label.setStyleSheet("QLabel { color: #a15c00; font-weight: bold; }")
        elif view.status == Status.SUPPLEMENT_REQUESTED:
            text = self.tr("{time} (tạm dừng tính thời gian trong khi chờ bổ sung)").format(
                time=text)
            self.due_label.setStyleSheet("")
        else:
            self.due_label.setStyleSheet("")
        self.due_label.setText(text)

    def _fill_sync(self, view: DossierView) -> None:
        colours = {"synced": "#e7f4e8", "pending": "#eef1f5", "conflict": "#fff1d6",
                   "error": "#fde4e4"}
        self.sync_frame.setProperty("syncState", view.sync_state)
        self.sync_frame.setStyleSheet(
            f"QFrame#sync_frame {{ background: {colours.get(view.sync_state, '#eef1f5')};"
            " border-radius: 4px; }")
        self.sync_label.setText(sync_text(view.sync_state, view.sync_reason))
        self.conflict_button.setVisible(view.sync_state == "conflict")

    def _fill_actions(self, view: DossierView) -> None:
        for button in self.action_buttons.values():
            self.actions_layout.removeWidget(button)
            button.deleteLater()
        self.action_buttons = {}
        while self.actions_layout.count():
            self.actions_layout.takeAt(0)
        for action in view.actions:
            button = QPushButton(action_dialogs.action_label(action), self.actions_bar)
            button.setObjectName(f"action_{action.value}")
            button.clicked.connect(lambda _=False, a=action: self.start_action(a))
            if action == Action.ASSIGN and not view.staff:
                button.setEnabled(False)
                button.setToolTip(action_dialogs.no_staff_text())
            self.actions_layout.addWidget(button)
            self.action_buttons[action] = button
        if not view.actions:
            self.actions_layout.addWidget(QLabel(
                self.tr("Không có thao tác nào bạn có thể làm với hồ sơ ở trạng thái này."),
                self.actions_bar))
        self.actions_layout.addStretch(1)

    def _fill_papers(self, papers: list[dict[str, Any]]) -> None:
        table = self.papers_table
        table.setRowCount(len(papers))
        for row, paper in enumerate(papers):
            table.setItem(row, 0, _item(paper["name"]))
            table.setItem(row, 1, _item(paper_form_name(paper["form"])))
            table.setItem(row, 2, _item(str(paper["count"])))
        _fit_columns(table, stretch=0)

    def _fill_events(self, view: DossierView) -> None:
        table = self.events_table
        table.setRowCount(len(view.events))
        for row, event in enumerate(view.events):
            table.setItem(row, 0, _item(local_time(event["at"])))
            table.setItem(row, 1, _item(event.get("actor") or ""))
            table.setItem(row, 2, _item(event_text(event, view)))
            note = event.get("note") or ""
            if event["kind"] == actions.ASSIGNED:
                note = actions.assignment_of(note)[1]
            table.setItem(row, 3, _item(note))
        _fit_columns(table, stretch=3)

    def _fill_attachments(self, view: DossierView) -> None:
        table = self.attachments_table
        table.setRowCount(len(view.attachments))
        for row, attachment in enumerate(view.attachments):
            table.setItem(row, 0, _item(attachment["file_name"]))
            table.setItem(row, 1, _item(size_text(int(attachment["size"]))))
            table.setItem(row, 2, _item(self.tr("Có") if attachment["local"]
                                        else self.tr("Chưa tải về")))
            button = QPushButton(self.tr("Mở"))
            button.setObjectName(f"open_{attachment['id']}")
            button.clicked.connect(
                lambda _=False, i=attachment["id"]: self.open_attachment(i))
            table.setCellWidget(row, 3, button)
        _fit_columns(table, stretch=0)

    # -------------------------------------------------------------- actions and files

    def _track_dialog(self, dialog: QDialog) -> None:
        self._dialogs.append(dialog)
        self.current_dialog = dialog
        dialog.finished.connect(_alive(self, lambda _result, d=dialog: self._untrack(d)))
        self.dialog_opened.emit(dialog)

    def _untrack(self, dialog: QDialog) -> None:
        self._dialogs = [d for d in self._dialogs if d is not dialog and shiboken6.isValid(d)]
        self.current_dialog = self._dialogs[-1] if self._dialogs else None

    def _performed(self, action: Action, record: Any) -> None:
        self._message("")
        self.action_performed.emit(action.value, record)
        self.refresh()

    def _attachment_fetched(self, opened: viewer.Opened) -> None:
        try:
            preview = viewer.show_opened(opened, self)
        except ValueError:
            self._message(self.tr("Không đọc được ảnh {name}: tệp hỏng hoặc không phải ảnh.")
                          .format(name=opened.file_name), error=True)
            return
        except OSError:
            self._message(self.tr(
                "Máy này không có chương trình mở được tệp {name}. Hãy cài một trình xem PDF.")
                .format(name=opened.file_name), error=True)
            return
        if preview is not None:
            self.last_preview = preview
            self._message("")
        else:
            self._message(self.tr(
                "Đã mở {name} bằng trình xem của máy, từ một bản sao tạm riêng tư; bản sao sẽ "
                "bị xoá khi thoát CommuneDesk.").format(name=opened.file_name))
        self.attachment_opened.emit(opened)
        if self.view is not None and any(a["id"] == opened.attachment_id and not a["local"]
                                         for a in self.view.attachments):
            self.refresh()  # the bytes were just downloaded: "on this machine" changes

    def _attachment_failed(self, error: BaseException) -> None:
        code = getattr(error, "code", "")
        if code == "server_not_set":
            text = self.tr("Máy này chưa có tệp này và chưa kết nối với máy chủ. Hãy đăng nhập "
                           "và đồng bộ rồi mở lại.")
        elif code in ("link_down", "sync_error"):
            text = self.tr("Máy này chưa có tệp này và không kết nối được máy chủ. Hãy thử lại "
                           "khi có mạng.")
        elif code == "sign_in_required":
            text = self.tr("Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại rồi mở tệp.")
        elif code == "blob_damaged":
            text = self.tr("Tệp trên máy này bị hỏng hoặc thiếu. Hãy đồng bộ lại để tải bản "
                           "từ máy chủ.")
        else:
            text = self.tr("Không mở được tệp: {error}").format(
                error=action_dialogs.error_text(error))
        self._message(text, error=True)

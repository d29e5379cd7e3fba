"""The dialogs of the dossier workflow actions (app/actions.py), one small dialog per action.

Each dialog asks for exactly what its action (and the form it prints) needs, checks that it is
there, asks for confirmation before an irreversible step (the safe button is the default), then
performs the action on the database worker:
``desk.tasks.db(lambda s: actions.perform(s, id, action, role, **arguments), done, failed)``.
A refused action keeps the dialog open with the reason in Vietnamese (``error_text``, by the
error's code). After an action that produces a citizen's form (02 supplement request, 03
refusal, 04 apology and extension) a ``PrintOffer`` offers preview, print and PDF (ui/printing.py).

Nothing here blocks: dialogs and confirmations are opened with ``open()`` and answer through
signals, so the detail screen (and tests) can reach whichever one is open; ``dialog_opened``
announces the confirmation box and the print offer as they appear.
Threading: GUI thread; the action and the slip's data run on ``desk.tasks.db``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import actions
from app.actions import Action
from app.dossier import VN_TZ
from ui import printing
from ui.context import Desk

if TYPE_CHECKING:
    from ui.dossier_detail import DossierView

translate = QCoreApplication.translate


# ------------------------------------------------------------------ texts


def action_label(action: Action) -> str:
    """The button text of an action."""
    return {
        Action.ACCEPT: translate("ActionDialogs", "Tiếp nhận"),
        Action.START: translate("ActionDialogs", "Bắt đầu xử lý"),
        Action.ASSIGN: translate("ActionDialogs", "Giao xử lý"),
        Action.REQUEST_SUPPLEMENT: translate("ActionDialogs", "Yêu cầu bổ sung"),
        Action.SUPPLEMENT_RECEIVED: translate("ActionDialogs", "Đã nhận bổ sung"),
        Action.REFUSE: translate("ActionDialogs", "Từ chối tiếp nhận"),
        Action.EXTEND_VERIFICATION: translate("ActionDialogs", "Gia hạn để xác minh"),
        Action.APOLOGY_EXTENSION: translate("ActionDialogs", "Xin lỗi, hẹn lại"),
        Action.RESULT_READY: translate("ActionDialogs", "Đã có kết quả"),
        Action.RESULT_RETURNED: translate("ActionDialogs", "Trả kết quả"),
        Action.WITHDRAW: translate("ActionDialogs", "Công dân rút hồ sơ"),
    }.get(action, str(action))


def no_staff_text() -> str:
    return translate("ActionDialogs", "Chưa có danh sách cán bộ; hãy đồng bộ.")


def form_title(form: str) -> str:
    return {
        "02": translate("ActionDialogs", "Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        "03": translate("ActionDialogs", "Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        "04": translate("ActionDialogs", "Mẫu 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    }.get(form, form)


def _argument_name(field: str) -> str:
    return {
        "reason": translate("ActionDialogs", "lý do"),
        "note": translate("ActionDialogs", "ghi chú"),
        "missing_papers": translate("ActionDialogs", "giấy tờ cần bổ sung"),
        "username": translate("ActionDialogs", "người được giao"),
        "days": translate("ActionDialogs", "số ngày gia hạn"),
        "new_due_at": translate("ActionDialogs", "thời điểm hẹn mới"),
    }.get(field, field)


def error_text(error: BaseException) -> str:
    """A refusal of app/ (or another failure) in Vietnamese, by its code."""
    code = getattr(error, "code", None)
    params: dict[str, Any] = getattr(error, "params", {}) or {}
    if code == "role_not_allowed":
        return translate("ActionDialogs", "Vai trò của bạn không được làm việc này với hồ sơ.")
    if code == "illegal_transition":
        return translate(
            "ActionDialogs",
            "Hồ sơ đang ở trạng thái không cho phép việc này (có thể vừa được người khác xử "
            "lý). Hãy xem lại hồ sơ.")
    if code == "invalid_field":
        field = str(params.get("field") or "")
        if field == "new_due_at":
            return translate(
                "ActionDialogs",
                "Thời điểm hẹn mới phải sau thời điểm hẹn hiện tại và nằm trong giờ làm việc "
                "của một ngày làm việc.")
        if field == "days":
            return translate(
                "ActionDialogs",
                "Số ngày gia hạn không hợp lệ, hoặc ngày hẹn mới vượt quá lịch ngày làm việc "
                "đã cài.")
        if field == "username":
            return translate("ActionDialogs",
                             "Người được giao không có trong danh sách cán bộ của xã.")
        return translate("ActionDialogs", "Thông tin chưa hợp lệ: {field}.").format(
            field=_argument_name(field))
    if code == "verification_not_allowed":
        return translate("ActionDialogs",
                         "Thủ tục của hồ sơ này không cho phép gia hạn để xác minh.")
    if code == "verification_limit":
        return translate(
            "ActionDialogs",
            "Vượt quá số ngày gia hạn tối đa của thủ tục: đã gia hạn {used} ngày, tối đa "
            "{maximum} ngày.").format(used=params.get("used", "?"),
                                      maximum=params.get("maximum", "?"))
    if code == "due_passed":
        return translate(
            "ActionDialogs",
            "Đã quá thời điểm hẹn trả kết quả: phiếu xin lỗi và hẹn lại phải lập trước khi hết "
            "hạn.")
    if code == "apology_limit":
        return translate(
            "ActionDialogs",
            "Hồ sơ đã được xin lỗi và hẹn lại {apologies} lần, bằng số lần tối đa cho phép."
        ).format(apologies=params.get("apologies", "?"))
    if code == "unknown_dossier":
        return translate("ActionDialogs", "Không tìm thấy hồ sơ này trên máy.")
    if code == "unknown_procedure":
        return translate("ActionDialogs",
                         "Máy này chưa có thủ tục của hồ sơ; hãy đồng bộ để tải danh mục.")
    if code:
        return translate("ActionDialogs", "Không thực hiện được (mã lỗi: {code}).").format(
            code=code)
    return translate(
        "ActionDialogs",
        "Đã xảy ra lỗi ngoài dự kiến ({kind}). Hãy thử lại; nếu vẫn lỗi, hãy báo quản trị "
        "viên.").format(kind=type(error).__name__)


def time_text(moment: datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M +07:00")


def _alive(widget: QWidget, callback: Callable[..., None]) -> Callable[..., None]:
    def call(*args: Any) -> None:
        if shiboken6.isValid(widget):
            callback(*args)
    return call


def _text_box(name: str, placeholder: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setObjectName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


# ------------------------------------------------------------------ the base dialog


class ActionDialog(QDialog):
    """Asks for an action's arguments, confirms if irreversible, performs, offers the form."""

    performed = Signal(object)  # the dossier's record after the action
    dialog_opened = Signal(QDialog)  # the confirmation box or the print offer
    action: Action
    irreversible = False
    form: str | None = None  # the citizen's form the action produces ("02", "03", "04")

    def __init__(self, desk: Desk, view: DossierView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk, self.view = desk, view
        self.setObjectName(f"dialog_{self.action.value}")
        self.setWindowTitle(self.tr("{action}: hồ sơ {code}").format(
            action=action_label(self.action), code=view.code))
        self.confirmation: QMessageBox | None = None
        self.confirm_button: QPushButton | None = None
        self.print_offer: PrintOffer | None = None
        self.busy = False
        layout = QVBoxLayout(self)
        self.intro = QLabel(self.introduction(), self, wordWrap=True)
        self.intro.setObjectName("intro")
        layout.addWidget(self.intro)
        self.form_layout = QFormLayout()
        layout.addLayout(self.form_layout)
        self.build(self.form_layout)
        self.error_label = QLabel(self, wordWrap=True)
        self.error_label.setObjectName("error")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(action_label(self.action),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("ok")
        self.cancel_button = self.buttons.addButton(self.tr("Huỷ"),
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setObjectName("cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.ok_button.setDefault(not self.irreversible)
        self.ok_button.setAutoDefault(not self.irreversible)
        if self.irreversible:
            self.cancel_button.setDefault(True)
        self.ok_button.setEnabled(self.can_proceed())
        self.setMinimumWidth(560)

    # What a subclass provides ---------------------------------------------------------

    def introduction(self) -> str:
        return ""

    def build(self, form: QFormLayout) -> None:
        """Add the fields of this action."""

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``actions.perform`` for this action."""
        return {}

    def can_proceed(self) -> bool:
        """False when the action cannot be taken whatever is typed (OK stays disabled)."""
        return True

    def problem(self) -> str | None:
        """What is missing or wrong before the action can be taken (None: nothing)."""
        return None

    def question(self) -> str:
        """The confirmation question of an irreversible action."""
        return ""

    def confirm_label(self) -> str:
        return action_label(self.action)

    def slip_for(self, inputs: dict[str, Any], arguments: dict[str, Any]) -> printing.Slip:
        """The form this action produces, from ``printing.slip_inputs`` (database worker)."""
        raise NotImplementedError

    # The flow -------------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def accept(self) -> None:  # the OK button: check, confirm, perform
        if self.busy:
            return
        problem = self.problem()
        if problem:
            self.show_error(problem)
            return
        self.show_error("")
        if self.irreversible:
            self._confirm()
        else:
            self.submit()

    def _confirm(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.windowTitle(), self.question(),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("confirmation")
        box.setInformativeText(self.tr("Việc này không thể hoàn tác."))
        proceed = box.addButton(self.confirm_label(), QMessageBox.ButtonRole.DestructiveRole)
        proceed.setObjectName("confirm")
        back = box.addButton(self.tr("Quay lại"), QMessageBox.ButtonRole.RejectRole)
        back.setObjectName("back")
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        self.confirmation, self.confirm_button = box, proceed
        box.finished.connect(lambda _result: self._confirmed(box, proceed))
        self.dialog_opened.emit(box)
        box.open()

    def _confirmed(self, box: QMessageBox, proceed: QPushButton) -> None:
        chosen = box.clickedButton()
        self.confirmation = self.confirm_button = None
        box.deleteLater()
        if chosen is proceed:
            self.submit()

    def submit(self) -> None:
        """Perform the action on the database worker with the arguments as they are now."""
        arguments = self.arguments()
        self._arguments = arguments
        dossier_id, action, role = self.view.dossier_id, self.action, self.desk.person.role
        self._set_busy(True)
        self.desk.tasks.db(
            lambda store: actions.perform(store, dossier_id, action, role, **arguments),
            _alive(self, self._done), _alive(self, self._failed))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.ok_button.setEnabled(not busy and self.can_proceed())
        self.cancel_button.setEnabled(not busy)
        if busy:
            self.show_error("")
            self.error_label.setStyleSheet("")
            self.error_label.setText(self.tr("Đang lưu…"))
            self.error_label.show()
        else:
            self.error_label.setStyleSheet("color: #b00020;")

    def _done(self, record: dict[str, Any]) -> None:
        self._set_busy(False)
        self.performed.emit(record)
        if self.form is not None:
            offer = PrintOffer(self.desk, self.view.dossier_id, self.form,
                               lambda inputs, a=self._arguments: self.slip_for(inputs, a),
                               self.parentWidget())
            self.print_offer = offer
            self.dialog_opened.emit(offer)
            offer.open()
        self.done(QDialog.DialogCode.Accepted)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.show_error(error_text(error))


# ------------------------------------------------------------------ actions with a note


class NoteDialog(ActionDialog):
    """An action that needs nothing but may carry a note for the history."""

    def build(self, form: QFormLayout) -> None:
        self.note = _text_box("note", self.tr("Không bắt buộc"), 2)
        form.addRow(self.tr("Ghi chú"), self.note)

    def arguments(self) -> dict[str, Any]:
        return {"note": self.note.toPlainText().strip()}


class AcceptDialog(NoteDialog):
    action = Action.ACCEPT

    def introduction(self) -> str:
        return self.tr("Tiếp nhận hồ sơ {code} mà công dân đã đăng ký trực tuyến.").format(
            code=self.view.code)


class StartDialog(NoteDialog):
    action = Action.START

    def introduction(self) -> str:
        return self.tr("Bắt đầu xử lý hồ sơ {code}.").format(code=self.view.code)


class SupplementReceivedDialog(NoteDialog):
    action = Action.SUPPLEMENT_RECEIVED

    def introduction(self) -> str:
        return self.tr(
            "Xác nhận công dân đã nộp đủ giấy tờ bổ sung cho hồ sơ {code}. Thời gian chờ bổ "
            "sung không tính vào thời hạn giải quyết: ngày hẹn trả kết quả (hiện là {due}) sẽ "
            "được lùi tương ứng.").format(code=self.view.code, due=time_text(self.view.due_at))


class ResultReadyDialog(NoteDialog):
    action = Action.RESULT_READY

    def introduction(self) -> str:
        return self.tr("Ghi nhận đã có kết quả giải quyết hồ sơ {code}, sẵn sàng trả cho công "
                       "dân.").format(code=self.view.code)


class ResultReturnedDialog(NoteDialog):
    action = Action.RESULT_RETURNED
    irreversible = True

    def introduction(self) -> str:
        return self.tr("Ghi nhận đã trả kết quả hồ sơ {code} cho công dân {name}.").format(
            code=self.view.code, name=self.view.record["applicant"]["full_name"])

    def question(self) -> str:
        return self.tr("Xác nhận đã trả kết quả hồ sơ {code} cho công dân? Hồ sơ sẽ được "
                       "đóng.").format(code=self.view.code)

    def confirm_label(self) -> str:
        return self.tr("Đã trả kết quả")


# ------------------------------------------------------------------ assign


class AssignDialog(ActionDialog):
    action = Action.ASSIGN

    def introduction(self) -> str:
        return self.tr("Giao hồ sơ {code} cho một cán bộ xử lý.").format(code=self.view.code)

    def build(self, form: QFormLayout) -> None:
        self.staff = QComboBox()
        self.staff.setObjectName("staff")
        current = self.view.record.get("assigned_to")
        for person in self.view.staff:
            name = person.get("display_name") or person["username"]
            self.staff.addItem(f"{name} ({person['username']})", person["username"])
            if person["username"] == current:
                self.staff.setCurrentIndex(self.staff.count() - 1)
        form.addRow(self.tr("Giao cho"), self.staff)
        self.note = _text_box("note", self.tr("Không bắt buộc"), 2)
        form.addRow(self.tr("Ghi chú"), self.note)
        if not self.view.staff:
            self.staff.setEnabled(False)
            empty = QLabel(no_staff_text(), wordWrap=True)
            empty.setObjectName("no_staff")
            form.addRow(empty)

    def can_proceed(self) -> bool:
        return bool(self.view.staff)

    def problem(self) -> str | None:
        if not self.view.staff:
            return no_staff_text()
        if self.staff.currentData() is None:
            return self.tr("Hãy chọn người được giao.")
        return None

    def arguments(self) -> dict[str, Any]:
        return {"username": self.staff.currentData(), "note": self.note.toPlainText().strip()}


# ------------------------------------------------------------------ actions with a reason


class ReasonDialog(ActionDialog):
    """An action whose reason is required (and printed on the citizen's form, if any)."""

    reason_placeholder = ""

    def build(self, form: QFormLayout) -> None:
        self.build_fields(form)
        self.reason = _text_box("reason", self.reason_placeholder or self.tr("Bắt buộc"), 3)
        form.addRow(self.tr("Lý do"), self.reason)

    def build_fields(self, form: QFormLayout) -> None:
        """Fields that come before the reason."""

    def problem(self) -> str | None:
        if not self.reason.toPlainText().strip():
            return self.tr("Hãy ghi lý do.")
        return None

    def arguments(self) -> dict[str, Any]:
        return {"reason": self.reason.toPlainText().strip()}


class RequestSupplementDialog(ReasonDialog):
    action = Action.REQUEST_SUPPLEMENT
    form = "02"

    def introduction(self) -> str:
        return self.tr(
            "Yêu cầu công dân bổ sung, hoàn thiện hồ sơ {code}. Chọn các giấy tờ còn thiếu "
            "hoặc chưa đúng; thời hạn giải quyết tạm dừng cho tới khi công dân nộp đủ. Sau khi "
            "lưu có thể in Mẫu 02 cho công dân.").format(code=self.view.code)

    def build_fields(self, form: QFormLayout) -> None:
        box = QGroupBox(self.tr("Giấy tờ theo thủ tục"))
        column = QVBoxLayout(box)
        self.paper_boxes: list[QCheckBox] = []
        for index, paper in enumerate(self.view.procedure.papers):
            check = QCheckBox(paper.name)
            check.setObjectName(f"paper_{index}")
            check.setProperty("paperName", paper.name)
            check.setToolTip(paper.name)
            column.addWidget(check)
            self.paper_boxes.append(check)
        if not self.paper_boxes:
            column.addWidget(QLabel(self.tr("Thủ tục không liệt kê giấy tờ.")))
        form.addRow(box)
        self.extra_papers = _text_box(
            "extra_papers", self.tr("Mỗi dòng một giấy tờ (không bắt buộc)"), 3)
        form.addRow(self.tr("Giấy tờ khác"), self.extra_papers)

    def missing_papers(self) -> list[str]:
        chosen = [str(box.property("paperName")) for box in self.paper_boxes if box.isChecked()]
        extra = [line.strip() for line in self.extra_papers.toPlainText().splitlines()
                 if line.strip()]
        return chosen + [line for line in extra if line not in chosen]

    def problem(self) -> str | None:
        if not self.missing_papers():
            return self.tr("Hãy chọn hoặc ghi ít nhất một giấy tờ cần bổ sung.")
        return super().problem()

    def arguments(self) -> dict[str, Any]:
        return {"missing_papers": self.missing_papers(), **super().arguments()}

    def slip_for(self, inputs: dict[str, Any], arguments: dict[str, Any]) -> printing.Slip:
        return printing.supplement_slip(
            inputs["record"], inputs["procedure"], inputs["commune"], inputs["officer"],
            inputs["printed_at"], arguments["missing_papers"], arguments["reason"])


class RefuseDialog(ReasonDialog):
    action = Action.REFUSE
    form = "03"
    irreversible = True

    def introduction(self) -> str:
        return self.tr(
            "Từ chối tiếp nhận giải quyết hồ sơ {code}. Lý do được in trên Mẫu 03 giao cho "
            "công dân.").format(code=self.view.code)

    def question(self) -> str:
        return self.tr("Từ chối tiếp nhận hồ sơ {code} của công dân {name}? Hồ sơ sẽ chuyển "
                       "sang \"Không tiếp nhận\".").format(
            code=self.view.code, name=self.view.record["applicant"]["full_name"])

    def confirm_label(self) -> str:
        return self.tr("Từ chối hồ sơ")

    def slip_for(self, inputs: dict[str, Any], arguments: dict[str, Any]) -> printing.Slip:
        return printing.refusal_slip(
            inputs["record"], inputs["procedure"], inputs["commune"], inputs["officer"],
            inputs["printed_at"], arguments["reason"])


class WithdrawDialog(ReasonDialog):
    action = Action.WITHDRAW
    irreversible = True

    def introduction(self) -> str:
        return self.tr("Ghi nhận công dân xin rút hồ sơ {code}.").format(code=self.view.code)

    def question(self) -> str:
        return self.tr("Ghi nhận công dân {name} rút hồ sơ {code}? Hồ sơ sẽ dừng giải quyết."
                       ).format(code=self.view.code,
                                name=self.view.record["applicant"]["full_name"])

    def confirm_label(self) -> str:
        return self.tr("Rút hồ sơ")


class ExtendVerificationDialog(ReasonDialog):
    action = Action.EXTEND_VERIFICATION

    def introduction(self) -> str:
        return self.tr(
            "Gia hạn thời gian giải quyết hồ sơ {code} để xác minh. Thủ tục cho phép gia hạn "
            "tối đa {limit} ngày làm việc; hồ sơ đã gia hạn {used} ngày.").format(
            code=self.view.code, limit=self.view.procedure.verification_extension_days,
            used=int(self.view.record.get("verification_days") or 0))

    def build_fields(self, form: QFormLayout) -> None:
        form.addRow(self.tr("Hẹn hiện tại"), QLabel(time_text(self.view.due_at)))
        self.days = QSpinBox()
        self.days.setObjectName("days")
        left = self.view.verification_left
        self.days.setRange(1 if left else 0, left)
        self.days.setSuffix(self.tr(" ngày làm việc"))
        form.addRow(self.tr("Gia hạn thêm"), self.days)
        self.new_due = QLabel()
        self.new_due.setObjectName("new_due")
        form.addRow(self.tr("Hẹn mới (dự kiến)"), self.new_due)
        self.days.valueChanged.connect(self._preview)
        self._preview(self.days.value())

    def can_proceed(self) -> bool:
        return self.view.verification_left > 0

    def _preview(self, days: int) -> None:
        moment = self.view.extension_previews.get(days)
        self.new_due.setText(time_text(moment) if moment else "")

    def problem(self) -> str | None:
        if self.view.verification_left <= 0:
            return self.tr("Hồ sơ đã gia hạn hết số ngày thủ tục cho phép.")
        return super().problem()

    def arguments(self) -> dict[str, Any]:
        return {"days": self.days.value(), **super().arguments()}


class ApologyDialog(ReasonDialog):
    action = Action.APOLOGY_EXTENSION
    form = "04"

    def introduction(self) -> str:
        return self.tr(
            "Xin lỗi công dân và hẹn lại ngày trả kết quả hồ sơ {code} (Mẫu 04). Phải lập "
            "trước khi hết thời điểm hẹn hiện tại.").format(code=self.view.code)

    def build_fields(self, form: QFormLayout) -> None:
        self.old_due = self.view.due_at
        current = QLabel(time_text(self.old_due))
        current.setObjectName("current_due")
        form.addRow(self.tr("Hẹn hiện tại"), current)
        self.new_due_at = QDateTimeEdit()
        self.new_due_at.setObjectName("new_due_at")
        self.new_due_at.setCalendarPopup(True)
        self.new_due_at.setDisplayFormat("dd/MM/yyyy HH:mm")
        # The edit shows Hà Nội's wall-clock time; UTC as its zone keeps the machine's own
        # zone (and its daylight saving) out of the way: only the shown fields are read.
        self.new_due_at.setTimeZone(QTimeZone.utc())
        self.new_due_at.setMinimumDateTime(self._qt(self.old_due + timedelta(minutes=1)))
        self.set_new_due(self.view.suggested_new_due or self.old_due + timedelta(days=1))
        row = QHBoxLayout()
        row.addWidget(self.new_due_at, 1)
        row.addWidget(QLabel(self.tr("giờ Việt Nam (+07:00)")))
        form.addRow(self.tr("Hẹn mới"), row)
        self.apologies = QLabel(self.tr("Đã xin lỗi, hẹn lại {count} lần.").format(
            count=int(self.view.record.get("apologies") or 0)))
        form.addRow(self.apologies)

    @staticmethod
    def _qt(moment: datetime) -> QDateTime:
        local = moment.astimezone(VN_TZ)
        return QDateTime(QDate(local.year, local.month, local.day),
                         QTime(local.hour, local.minute), QTimeZone.utc())

    def set_new_due(self, moment: datetime) -> None:
        self.new_due_at.setDateTime(self._qt(moment))

    def new_due(self) -> datetime:
        value = self.new_due_at.dateTime()
        day, clock = value.date(), value.time()
        return datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute(),
                        tzinfo=VN_TZ)

    def problem(self) -> str | None:
        if self.new_due() <= self.old_due:
            return self.tr("Thời điểm hẹn mới phải sau thời điểm hẹn hiện tại.")
        return super().problem()

    def arguments(self) -> dict[str, Any]:
        return {"new_due_at": self.new_due(), **super().arguments()}

    def slip_for(self, inputs: dict[str, Any], arguments: dict[str, Any]) -> printing.Slip:
        return printing.apology_slip(
            inputs["record"], inputs["procedure"], inputs["commune"], inputs["officer"],
            inputs["printed_at"], self.old_due, arguments["new_due_at"], arguments["reason"])


DIALOGS: dict[Action, type[ActionDialog]] = {
    Action.ACCEPT: AcceptDialog,
    Action.START: StartDialog,
    Action.ASSIGN: AssignDialog,
    Action.REQUEST_SUPPLEMENT: RequestSupplementDialog,
    Action.SUPPLEMENT_RECEIVED: SupplementReceivedDialog,
    Action.REFUSE: RefuseDialog,
    Action.EXTEND_VERIFICATION: ExtendVerificationDialog,
    Action.APOLOGY_EXTENSION: ApologyDialog,
    Action.RESULT_READY: ResultReadyDialog,
    Action.RESULT_RETURNED: ResultReturnedDialog,
    Action.WITHDRAW: WithdrawDialog,
}


def dialog_for(action: Action, desk: Desk, view: DossierView,
               parent: QWidget | None = None) -> ActionDialog:
    """The dialog of ``action`` for the dossier of ``view`` (not yet shown)."""
    dialog = DIALOGS[Action(action)](desk, view, parent)
    return dialog


# ------------------------------------------------------------------ printing the form


class PrintOffer(QDialog):
    """After a form-producing action: preview, print or save the citizen's form as PDF.

    The slip's data is read (and the read logged) on the database worker; the buttons wait
    for it. Preview, print and the save dialog are ui/printing.py's own (modal) dialogs."""

    ready = Signal()  # the slip is built
    failed = Signal(object)

    def __init__(self, desk: Desk, dossier_id: str, form: str,
                 build: Callable[[dict[str, Any]], printing.Slip],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("print_offer")
        self.desk, self.form = desk, form
        self.slip: printing.Slip | None = None
        self.setWindowTitle(self.tr("In phiếu cho công dân"))
        layout = QVBoxLayout(self)
        self.text = QLabel(self.tr("Đã lưu. Đang chuẩn bị {form}…").format(
            form=form_title(form)), self, wordWrap=True)
        self.text.setObjectName("text")
        layout.addWidget(self.text)
        row = QHBoxLayout()
        self.preview_button = QPushButton(self.tr("Xem trước"), self, objectName="preview")
        self.print_button = QPushButton(self.tr("In"), self, objectName="print")
        self.pdf_button = QPushButton(self.tr("Lưu PDF"), self, objectName="save_pdf")
        self.close_button = QPushButton(self.tr("Đóng"), self, objectName="close")
        for button in (self.preview_button, self.print_button, self.pdf_button):
            button.setEnabled(False)
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_)
        self.pdf_button.clicked.connect(self.ask_save_pdf)
        self.close_button.clicked.connect(self.reject)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        desk.tasks.db(lambda store: build(printing.slip_inputs(store, dossier_id)),
                      _alive(self, self._built), _alive(self, self._failed))

    def _built(self, slip: printing.Slip) -> None:
        self.slip = slip
        self.text.setText(self.tr("Đã lưu. In {form} cho công dân?").format(
            form=form_title(self.form)))
        for button in (self.preview_button, self.print_button, self.pdf_button):
            button.setEnabled(True)
        self.preview_button.setDefault(True)
        self.ready.emit()

    def _failed(self, error: BaseException) -> None:
        self.text.setText(self.tr(
            "Đã lưu, nhưng chưa lập được {form}: {error}").format(
            form=form_title(self.form), error=error_text(error)))
        self.text.setStyleSheet("color: #b00020;")
        self.failed.emit(error)

    def preview(self) -> None:
        if self.slip is not None:
            printing.preview_slip(self.slip, self)

    def print_(self) -> None:
        if self.slip is not None:
            printing.print_slip(self.slip, self)

    def ask_save_pdf(self) -> None:
        if self.slip is None:
            return
        try:
            path = printing.ask_save_pdf(self.slip, self)
        except OSError as error:
            self.text.setText(self.tr("Không lưu được tệp PDF: {error}").format(
                error=error.strerror or str(error)))
            return
        if path is not None:
            self.text.setText(self.tr("Đã lưu {path}.").format(path=str(path)))

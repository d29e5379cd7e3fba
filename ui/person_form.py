"""The person block of the intake form: a citizen's name, identification number, date of birth,
sex, phone, e-mail and address, with live warnings next to the fields.

The checks (``app.intake.check_person``: ID number shape, province and birth-year/sex digits,
phone, date of birth, e-mail) are pure CPU work on a few characters, microseconds each, with no
I/O: they run on the GUI thread as the officer types. They only warn; nothing here blocks a save.
Enter moves to the next field. Threading: GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyle,
    QWidget,
)

from app.identity import CheckWarning
from app.intake import check_person, parse_date_of_birth, person_input

WARNING_STYLE = "color: #9a4d00;"  # dark amber: readable on light backgrounds, not an error red


class WarningLabel(QWidget):
    """A warning icon and text shown next to a field; hidden when there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.icon = QLabel(self)
        side = self.fontMetrics().height()
        self.icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(side, side))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setStyleSheet(WARNING_STYLE)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.show_messages([])

    def show_messages(self, messages: list[str]) -> None:
        self.text.setText("\n".join(messages))
        self.setVisible(bool(messages))
        self.setAccessibleDescription(" ".join(messages))

    def message(self) -> str:
        return self.text.text() if self.isVisibleTo(self.parentWidget()) else ""


class PersonForm(QWidget):
    """One person's fields. ``changed`` is emitted on every edit; ``values`` gives the texts,
    ``person_input`` the input dict of ``dossier.schema.json``'s ``person``."""

    changed = Signal()
    FIELDS = ("full_name", "id_number", "date_of_birth", "sex", "phone", "email", "address")

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.full_name = QLineEdit(self)
        self.id_number = QLineEdit(self)
        self.id_number.setMaxLength(20)
        self.id_number.setPlaceholderText(self.tr("12 chữ số trên thẻ căn cước"))
        self.date_of_birth = QLineEdit(self)
        self.date_of_birth.setMaxLength(10)
        self.date_of_birth.setPlaceholderText(self.tr("dd/mm/yyyy hoặc năm sinh"))
        self.sex = QComboBox(self)
        self.sex.addItem(self.tr("(chưa chọn)"), "")
        self.sex.addItem(self.tr("Nam"), "male")
        self.sex.addItem(self.tr("Nữ"), "female")
        self.phone = QLineEdit(self)
        self.phone.setMaxLength(30)
        self.email = QLineEdit(self)
        self.email.setMaxLength(200)
        self.address = QLineEdit(self)
        self.address.setMaxLength(500)
        self.full_name.setMaxLength(200)
        for name in self.FIELDS:
            self.widget(name).setObjectName(name)

        self.labels = {
            "full_name": QLabel(self.tr("&Họ và tên (bắt buộc)"), self),
            "id_number": QLabel(self.tr("Số định &danh cá nhân"), self),
            "date_of_birth": QLabel(self.tr("Ngày &sinh"), self),
            "sex": QLabel(self.tr("&Giới tính"), self),
            "phone": QLabel(self.tr("Số điện th&oại"), self),
            "email": QLabel(self.tr("Thư đ&iện tử"), self),
            "address": QLabel(self.tr("Đị&a chỉ"), self),
        }
        self.warning_labels = {name: WarningLabel(self)
                               for name in ("id_number", "date_of_birth", "phone", "email")}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        for row, name in enumerate(self.FIELDS):
            label = self.labels[name]
            label.setBuddy(self.widget(name))
            grid.addWidget(label, row, 0)
            grid.addWidget(self.widget(name), row, 1)
            if name in self.warning_labels:
                grid.addWidget(self.warning_labels[name], row, 2)

        for name in self.FIELDS:
            widget = self.widget(name)
            widget.installEventFilter(self)
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(self._edited)
            else:
                widget.currentIndexChanged.connect(self._edited)
        self.date_of_birth.editingFinished.connect(self._tidy_date_of_birth)

    # -------------------------------------------------------------- reading

    def widget(self, name: str) -> QWidget:
        return getattr(self, name)

    def values(self) -> dict[str, str]:
        texts = {name: self.widget(name).text() for name in self.FIELDS if name != "sex"}
        return {**texts, "sex": self.sex.currentData() or ""}

    def person_input(self) -> dict:
        return person_input(self.values(), self._today())

    def is_empty(self) -> bool:
        return not any(value.strip() for value in self.values().values())

    def has_name(self) -> bool:
        return bool(self.full_name.text().strip())

    def date_of_birth_unreadable(self) -> bool:
        """A date of birth was typed that cannot be stored (not a date, or in the future)."""
        return parse_date_of_birth(self.date_of_birth.text(), self._today()).iso is None \
            and bool(self.date_of_birth.text().strip())

    def warnings(self) -> dict[str, list[CheckWarning]]:
        return check_person(self.values(), self._today())

    def focus_chain(self) -> list[QWidget]:
        return [self.widget(name) for name in self.FIELDS]

    def clear(self) -> None:
        for name in self.FIELDS:
            widget = self.widget(name)
            if isinstance(widget, QLineEdit):
                widget.clear()
        self.sex.setCurrentIndex(0)

    # -------------------------------------------------------------- live checks

    def _edited(self) -> None:
        # Pure CPU and no I/O (see the module docstring): fine on the GUI thread.
        for name, found in self.warnings().items():
            self.warning_labels[name].show_messages([self.warning_text(w) for w in found])
        self.changed.emit()

    def _tidy_date_of_birth(self) -> None:
        shown = parse_date_of_birth(self.date_of_birth.text(), self._today()).display
        if shown and shown != self.date_of_birth.text():
            self.date_of_birth.setText(shown)

    def warning_text(self, warning: CheckWarning) -> str:
        """The Vietnamese sentence of a check's warning code (translated through Qt)."""
        p = warning.params
        sexes = {"male": self.tr("Nam"), "female": self.tr("Nữ")}
        if warning.code == "id_malformed":
            return self.tr("Số định danh cá nhân phải có 12 chữ số.")
        if warning.code == "id_old_format":
            return self.tr("Đây là số chứng minh nhân dân cũ (9 chữ số).")
        if warning.code == "id_passport":
            return self.tr("Đây là số hộ chiếu, không phải số định danh cá nhân.")
        if warning.code == "id_province_unknown":
            return self.tr("Mã tỉnh {code} ở đầu số định danh không tồn tại.").format(
                code=p.get("code", ""))
        if warning.code == "id_sex_mismatch":
            return self.tr("Số định danh ghi giới tính {id_sex}, khác với giới tính đã chọn "
                           "({sex}).").format(id_sex=sexes.get(p.get("id_sex"), ""),
                                              sex=sexes.get(p.get("sex"), ""))
        if warning.code == "id_birth_year_mismatch":
            return self.tr("Số định danh ghi năm sinh {id_year}, khác với năm sinh đã nhập "
                           "({birth_year}).").format(id_year=p.get("id_year", ""),
                                                     birth_year=p.get("birth_year", ""))
        if warning.code == "phone_invalid":
            return self.tr("Số điện thoại không hợp lệ.")
        if warning.code == "phone_unusual_type":
            return self.tr("Số điện thoại này không phải di động hay cố định ({type}).").format(
                type=p.get("type", ""))
        if warning.code == "dob_invalid":
            return self.tr("Ngày sinh không hợp lệ: nhập dd/mm/yyyy hoặc năm sinh.")
        if warning.code == "dob_future":
            return self.tr("Ngày sinh ở tương lai.")
        if warning.code == "email_invalid":
            return self.tr("Địa chỉ email không đúng dạng.")
        return self.tr("Cần kiểm tra lại ({code}).").format(code=warning.code)

    # -------------------------------------------------------------- keyboard

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in a field moves to the next field (forms on paper are filled top to bottom)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            if watched is self.date_of_birth:
                self._tidy_date_of_birth()
            self.focusNextChild()
            return True
        return super().eventFilter(watched, event)

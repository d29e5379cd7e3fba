"""One register's navigation page ("Văn bản đến" or "Văn bản đi"): its list, or one document's
detail with a way back. Threading: GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app import registers as reg
from ui.context import Desk
from ui.registers.document_detail import DocumentDetail
from ui.registers.list_page import RegisterListPage


class RegisterArea(QStackedWidget):
    """The list of one register, or one document's detail."""

    conflicts_requested = Signal(str)  # a document id: the main window shows the sync page

    def __init__(self, desk: Desk, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = reg.check_kind(kind)
        self.setObjectName(f"register_area_{kind}")
        self.list = RegisterListPage(desk, kind)
        self.detail = DocumentDetail(desk)
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        back = QPushButton(self.tr("← Về sổ văn bản đến") if kind == reg.INCOMING
                           else self.tr("← Về sổ văn bản đi"), objectName="backToRegister")
        back.setShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left))
        back.clicked.connect(self.show_list)
        layout.addWidget(back, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.detail)
        self.addWidget(self.list)
        self.addWidget(holder)
        self.list.document_activated.connect(self.show_document)
        self.detail.conflicts_requested.connect(self.conflicts_requested)

    def show_list(self) -> None:
        self.setCurrentIndex(0)
        self.list.view.setFocus()

    def show_document(self, document_id: str) -> None:
        self.detail.show_document(document_id)
        self.setCurrentIndex(1)

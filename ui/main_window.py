"""The main window: navigation (Hồ sơ, Văn bản đến, Văn bản đi, Đồng bộ, Cài đặt), the global
search box, the dossier pages (list, detail, intake), the two correspondence registers
(ui/registers/), the sync page, the settings page and the status bar.

The window owns no data: each page reads through the task helper and refreshes from change
notices. After an intake is saved the receipt and appointment slip (form 01) is offered at once:
preview, print or save as PDF. Threading: GUI thread only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.files import write_private_file
from app.store import Store
from ui import printing
from ui.context import Desk
from ui.dossier_detail import DossierDetail
from ui.dossier_list import DossierListPage
from ui.intake import IntakePage
from ui.preferences import Preferences
from ui.registers.area import RegisterArea
from ui.settings_page import SettingsPage
from ui.status_bar import DeskStatusBar
from ui.sync_controller import SyncController
from ui.sync_page import SyncPage

SEARCH_DELAY_MS = 150


class DossiersArea(QStackedWidget):
    """The "Hồ sơ" section: the list, one dossier's detail, or the intake form."""

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.list = DossierListPage(desk)
        self.detail = DossierDetail(desk)
        self.intake = IntakePage(desk)
        for page in (self.list, self._with_back(self.detail), self._with_back(self.intake)):
            self.addWidget(page)
        self.list.dossier_activated.connect(self.show_dossier)

    def _with_back(self, page: QWidget) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        back = QPushButton(self.tr("← Về danh sách hồ sơ"), objectName="backToList")
        back.setShortcut(QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left))
        back.clicked.connect(self.show_list)
        layout.addWidget(back, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(page)
        return holder

    def show_list(self) -> None:
        self.setCurrentIndex(0)
        self.list.setFocus()

    def show_dossier(self, dossier_id: str) -> None:
        self.detail.show_dossier(dossier_id)
        self.setCurrentIndex(1)

    def show_intake(self) -> None:
        self.setCurrentIndex(2)
        self.intake.picker.search.setFocus()


def receipt_of(store: Store, dossier_id: str) -> printing.Slip:
    """On the database worker: the receipt slip (form 01) of a dossier, as plain data."""
    inputs = printing.slip_inputs(store, dossier_id)
    return printing.receipt_slip(inputs["record"], inputs["procedure"], inputs["commune"],
                                 inputs["receiving_officer"], inputs["printed_at"])


def slips_folder() -> Path:
    """Where "Lưu PDF" puts printed slips: Documents/CommuneDesk/Phieu."""
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    return Path(documents) / "CommuneDesk" / "Phieu"


class MainWindow(QMainWindow):
    language_changed = Signal(str)
    text_size_changed = Signal(int)
    slip_saved = Signal(object)  # the PDF's path

    def __init__(self, desk: Desk, preferences: Preferences | None = None,
                 sync_interval_s: float | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.preferences = preferences or Preferences()
        self.setWindowTitle(self.tr("CommuneDesk: một cửa và văn thư"))
        self.resize(QSize(1200, 760))
        self.controller = SyncController(desk, interval_s=sync_interval_s)

        self.nav = QListWidget(objectName="navigation", maximumWidth=180)
        self.pages = QStackedWidget(objectName="pages")
        self.dossiers = DossiersArea(desk)
        self.incoming = RegisterArea(desk, "incoming")
        self.outgoing = RegisterArea(desk, "outgoing")
        self.sync_page = SyncPage(desk, self.controller)
        self.settings_page = SettingsPage(desk)
        for name, page in ((self.tr("Hồ sơ"), self.dossiers),
                           (self.tr("Văn bản đến"), self.incoming),
                           (self.tr("Văn bản đi"), self.outgoing),
                           (self.tr("Đồng bộ"), self.sync_page),
                           (self.tr("Cài đặt"), self.settings_page)):
            self.nav.addItem(name)
            self.pages.addWidget(page)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)

        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._build_toolbar()
        self.status = DeskStatusBar(desk, self.controller)
        self.setStatusBar(self.status)
        self.status.conflicts_clicked.connect(lambda: self.show_page(self.sync_page))

        self.dossiers.intake.saved.connect(self._intake_saved)
        self.slip_saved.connect(lambda path: self.statusBar().showMessage(
            self.tr("Đã lưu phiếu: %1").replace("%1", str(path)), 15_000))
        self.settings_page.language_changed.connect(self.language_changed)
        self.settings_page.text_size_changed.connect(self.text_size_changed)
        self.settings_page.sync_interval_changed.connect(self.controller.set_interval)
        self.settings_page.signed_in.connect(lambda _: self.controller.sync_now())
        self.dossiers.detail.conflicts_requested.connect(lambda _: self.show_page(self.sync_page))
        for area in (self.incoming, self.outgoing):
            area.conflicts_requested.connect(lambda _: self.show_page(self.sync_page))
        self.preferences.restore_window(self)

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Thanh công cụ"), objectName="mainToolbar", movable=False)
        self.addToolBar(bar)
        intake = QAction(self.tr("Tiếp nhận hồ sơ mới"), self, objectName="newIntake")
        intake.setShortcuts([QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_N),
                             QKeySequence(Qt.Key.Key_F2)])
        intake.triggered.connect(self.show_intake)
        bar.addAction(intake)
        bar.addSeparator()
        self.search = QLineEdit(objectName="globalSearch", clearButtonEnabled=True)
        self.search.setPlaceholderText(
            self.tr("Tìm hồ sơ: tên, mã hồ sơ, số định danh, điện thoại (Ctrl+F)"))
        self.search.setMinimumWidth(420)
        bar.addWidget(QLabel(self.tr("Tìm:")))
        bar.addWidget(self.search)
        focus = QAction(self.tr("Tìm hồ sơ"), self)
        focus.setShortcut(QKeySequence.StandardKey.Find)
        focus.triggered.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        self.addAction(focus)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self._run_search)

    # -------------------------------------------------------------- navigation

    def show_page(self, page: QWidget) -> None:
        """Show a navigation page (the dossiers, a register, sync, settings)."""
        self.nav.setCurrentRow(self.pages.indexOf(page))

    def show_intake(self) -> None:
        self.nav.setCurrentRow(0)
        self.dossiers.show_intake()

    def _run_search(self) -> None:
        self._search_timer.stop()
        self.nav.setCurrentRow(0)
        self.dossiers.show_list()
        self.dossiers.list.set_search_text(self.search.text())

    # -------------------------------------------------------------- the receipt slip

    def _intake_saved(self, record: dict[str, Any]) -> None:
        self.controller.nudge()
        dossier_id = record["id"]
        self.desk.tasks.db(lambda store: receipt_of(store, dossier_id), self.offer_receipt)

    def offer_receipt(self, slip: printing.Slip) -> QMessageBox:
        """Offer the receipt slip (form 01) of a dossier just received: preview, print, save
        as PDF (into the slips folder, no question asked), or nothing. Not modal: the counter
        can go on while it waits."""
        box = QMessageBox(QMessageBox.Icon.Information,
                          self.tr("Phiếu tiếp nhận và hẹn trả kết quả"),
                          self.tr("Đã tiếp nhận hồ sơ %1. In phiếu hẹn cho công dân?").replace(
                              "%1", slip.dossier_code), parent=self)
        box.setObjectName("receiptOffer")
        buttons = {
            box.addButton(self.tr("Xem trước"), QMessageBox.ButtonRole.ActionRole):
                lambda: printing.preview_slip(slip, self),
            box.addButton(self.tr("In"), QMessageBox.ButtonRole.AcceptRole):
                lambda: printing.print_slip(slip, self),
            box.addButton(self.tr("Lưu PDF"), QMessageBox.ButtonRole.ActionRole):
                lambda: self.save_slip(slip),
        }
        box.addButton(self.tr("Đóng"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(next(b for b in buttons
                                  if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole))
        box.buttonClicked.connect(lambda button: buttons.get(button, lambda: None)())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def save_slip(self, slip: printing.Slip) -> None:
        """Save a slip as PDF in the slips folder (written on the worker), then say where."""
        data = printing.pdf_bytes(slip)
        path = slips_folder() / slip.file_name

        def write() -> Path:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_private_file(path, data)
            return path

        self.desk.tasks.io(write, self.slip_saved.emit, self._slip_not_saved)

    def _slip_not_saved(self, error: BaseException) -> None:
        QMessageBox.warning(self, self.tr("Không lưu được phiếu"),
                            self.tr("Không lưu được tệp PDF: %1").replace("%1", str(error)))

    # -------------------------------------------------------------- closing

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.preferences.save_window(self)
        self.controller.stop()
        super().closeEvent(event)

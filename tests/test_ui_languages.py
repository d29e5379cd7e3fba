"""The whole app speaks one language (issue: "A test switches to Vietnamese and finds no English
left in the main screens and dialogs, and the reverse").

Each test runs once in Vietnamese and once in English (``ui_language``): the language is
installed first and every widget is built after it, as the app does at start-up
(docs/translations.md). On a real profile with a few dossiers (one with a history, an
attachment and a conflict, one registered online, one with its result ready), a staff list and
a sync log with every outcome, it reads what a person sees (tests/i18n_support.py) in: the main
window on each page (list with its cells, sync page, settings page), the intake form with its
live warnings and attachments, the dossier detail, every action dialog with its missing-input
message and confirmation, the print offers, the image preview, the conflict dialog, the receipt
offer box, the unlock dialog, the lock screen, the first-run wizard's pages, and the standard
Qt dialogs the app opens (the file dialogs for attachments and for saving a PDF, print and
print preview, a question box); and the messages the screens build from error codes.

What may differ from the interface language is data, listed in ``allowed`` with the reason for
each entry; everything else must be in the language installed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from app import actions, sync_log
from app.actions import Action
from app.db import transaction
from app.errors import (
    ApologyLimit,
    DomainError,
    IllegalTransition,
    InvalidField,
    PassphraseRequired,
    ProfileDamaged,
    ProfileMissing,
    ProfileTooNew,
    RoleNotAllowed,
    VerificationLimit,
    WrongPassphrase,
)
from app.syncing import WrongCommune
from sync.engine import SyncReport
from sync.lock import SyncBusy
from sync.transport import LinkDown, Refused, SignInRequired
from tests import i18n_support
from tests.conftest import PASSPHRASE, dossier_input
from tests.i18n_support import Allowed, Texts, assert_language, visible_texts
from tests.ui_support import wait_idle
from ui import action_dialogs, printing
from ui.action_dialogs import PrintOffer
from ui.conflicts import ConflictDialog
from ui.context import Person
from ui.dossier_detail import DossierDetail, event_text, sync_text
from ui.main_window import MainWindow, receipt_of
from ui.tasks import Tasks
from ui.unlock import LockScreen, UnlockDialog, open_error_text
from ui.wizard import FirstRunWizard, passphrase_problem, sign_in_error_text

ui_language = i18n_support.ui_language

BIRTH = "1.001193"  # birth registration: same day
MARRIAGE = "1.000894"  # marriage: may be extended for verification
STAFF = (("lan", "Trần Thị Lan", "specialist"), ("binh", "Lê Văn Bình", "specialist"))
SERVER_URL = "https://dongbo.hanoi.gov.vn"
# What the officers type: names, notes and reasons (data, in Vietnamese whatever the interface).
APPLICANTS = ("Nguyễn Văn Đức", "Lê Thị Mai", "Phạm Minh Tuấn", "Đỗ Thu Hà", "Trần Quốc Bảo")
CO_APPLICANT = "Hoàng Thị Yến"
TYPED = ("Chị Lan kiểm tra giúp", "Đã kiểm tra tờ khai", "Bản sao sổ hộ khẩu",
         "Giấy chứng sinh bị mờ", "Công dân đã nộp bản chính", "ghi chú máy này",
         "ghi chú máy chủ", "Phạm Thị Thu Trang", "Thôn Phú Châu")
ADDRESS = dossier_input()["applicant"]["address"]  # "Thôn Bắc Hà, xã Minh Châu"


# ------------------------------------------------------------------ the profile


def _staff(store) -> None:
    with transaction(store.db):
        for row in STAFF:
            store.db.execute("INSERT INTO staff(username, display_name, role) VALUES (?, ?, ?)",
                             list(row))


def _person(name: str) -> dict[str, Any]:
    return {**dossier_input()["applicant"], "full_name": name, "id_number": None}


def _png(width: int = 40, height: int = 30) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


class Failure(Exception):
    """An error with a code, as app/ and sync/ raise them (for the sync log's outcomes)."""

    def __init__(self, code: str, status: int | None = None) -> None:
        super().__init__(code)
        self.code = code
        if status is not None:
            self.status = status


@pytest.fixture
def office(desk) -> dict[str, Any]:
    """The desk's profile filled: dossiers in several states, staff, a sync log, a conflict.
    Returns the dossiers' ids by what they show."""
    store = desk.workspace.open_store()
    try:
        store.set_setting("server.url", SERVER_URL)
        _staff(store)
        birth, _ = store.create_dossier(dossier_input(applicant=_person(APPLICANTS[0])))
        papers = [{"name": "Tờ khai đăng ký kết hôn", "form": "original", "count": 1}]
        marriage, _ = store.create_dossier(dossier_input(
            procedure_code=MARRIAGE, applicant=_person(APPLICANTS[1]), papers=papers,
            co_applicants=[{**_person(CO_APPLICANT), "sex": "female"}]))
        online, _ = store.create_dossier(dossier_input(
            status=1, channel=2, applicant=_person(APPLICANTS[2])))
        ready, _ = store.create_dossier(dossier_input(applicant=_person(APPLICANTS[3])))
        waiting, _ = store.create_dossier(dossier_input(applicant=_person(APPLICANTS[4])))
        perform = actions.perform
        perform(store, birth["id"], Action.ASSIGN, "leader", username="lan", note=TYPED[0])
        perform(store, birth["id"], Action.START, "leader", note=TYPED[1])
        perform(store, birth["id"], Action.REQUEST_SUPPLEMENT, "leader",
                missing_papers=[TYPED[2]], reason=TYPED[3])
        perform(store, birth["id"], Action.SUPPLEMENT_RECEIVED, "leader", note=TYPED[4])
        perform(store, ready["id"], Action.START, "leader")
        perform(store, waiting["id"], Action.REQUEST_SUPPLEMENT, "leader",
                missing_papers=[TYPED[2]], reason=TYPED[3])
        perform(store, ready["id"], Action.RESULT_READY, "leader")
        store.add_attachment(birth["id"], _png(), "giấy-chứng-sinh.png", "image/png")
        with transaction(store.db):  # a field changed on both sides, and a code clash
            store.db.execute(
                "INSERT INTO conflicts(id, record_type, record_id, field, local_value, "
                "server_value, created_at, server_rev, reason) VALUES "
                "('c1', 'dossier', ?, 'notes', '\"ghi chú máy này\"', '\"ghi chú máy chủ\"', "
                "'2026-01-06T02:00:00Z', 1, NULL), "
                "('c2', 'dossier', ?, 'code', ?, '\"09661-260106-0099\"', "
                "'2026-01-06T02:00:00Z', 0, 'code_taken')",
                [marriage["id"], marriage["id"], f'"{marriage["code"]}"'])
            store.db.execute("UPDATE dossiers SET sync_state = 'conflict' WHERE id = ?",
                             [marriage["id"]])
        for error, report in (
                (None, SyncReport(pushed=3, pulled=2, blobs_left=1)),
                (None, SyncReport(pushed=1, conflicts=1)),
                (Failure("link_down"), None), (Failure("sign_in_required"), None),
                (Failure("sync_busy"), None), (Failure("server_not_set"), None),
                (Failure("client_too_old", 426), None), (Failure("forbidden", 403), None),
                (Failure("KeyError"), None)):
            sync_log.record(store, error, report)
        return {"birth": birth["id"], "marriage": marriage["id"], "online": online["id"],
                "ready": ready["id"], "waiting": waiting["id"]}
    finally:
        store.db.close()


def allowed(desk, tmp_path: Path) -> list[Allowed]:
    """Data shown on the screens, not interface text, so either language may show it:

    * the procedures' names, fields, fee notes and papers: the official national catalogue
      (resources/procedures), which is Vietnamese only; the list's procedure filter shows
      every name, the intake and the supplement dialog the others;
    * what officers typed in this test's profile: applicants' names and address, notes,
      reasons, papers (``APPLICANTS``, ``TYPED``...), the signed-in official's and the staff's
      names, and the attachment's file name;
    * the commune and its province ("Xã Minh Châu", "Thành phố Hà Nội": place names);
    * the names of the two languages, each written in its own language (settings page);
    * this test's folders (the data folder on the settings page, the file dialogs' paths),
      whose names are made from the test's name.
    """
    store = desk.workspace.open_store()
    try:
        procedures = store.catalogue.current(desk.workspace.clock.now().date())
    finally:
        store.db.close()
    catalogue = {text for p in procedures
                 for text in (p.name, p.field, p.fee_note, *(paper.name for paper in p.papers))
                 if text}
    texts = {*catalogue, *APPLICANTS, CO_APPLICANT, *TYPED, ADDRESS,
             "Nguyễn Thị Hoa", *(name for _, name, _ in STAFF), "giấy-chứng-sinh.png",
             "Tờ khai đăng ký kết hôn", "Tờ khai đăng ký khai sinh",
             "Xã Minh Châu", "Thành phố Hà Nội", "Tiếng Việt", "English"}
    folders = [re.compile(re.escape(str(tmp_path)) + r"\S*"),
               *(part for part in tmp_path.parts if part != "/"), str(Path.home())]
    return [*sorted(texts, key=len, reverse=True), *folders]  # longest first: inside others


# ------------------------------------------------------------------ helpers


def open_window(qtbot, desk, role: str | None = None) -> MainWindow:
    if role is not None:
        desk.person = Person(desk.person.username, desk.person.display_name, role)
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    wait_idle(qtbot, desk)
    return window


def show_dossier(qtbot, desk, window: MainWindow, dossier_id: str) -> DossierDetail:
    detail = window.dossiers.detail
    with qtbot.waitSignal(detail.loaded, timeout=15_000):
        window.dossiers.show_dossier(dossier_id)
    wait_idle(qtbot, desk)
    return detail


def modal_texts(open_it: Callable[[], Any], kind: type[QWidget],
                close: Callable[[Any], None] = lambda w: w.reject(),
                **options: bool) -> Texts:
    """The texts of the modal ``kind`` window that ``open_it`` opens and waits for (a static
    dialog function, ``exec()``): a timer reads it, then ``close``s it so ``open_it`` returns.
    A file dialog must be Qt's own, not the system's (which speaks the system's language)."""
    found: dict[str, Any] = {}

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, kind) and widget.isVisible() and "texts" not in found:
                QApplication.processEvents()
                found["texts"] = visible_texts(widget, **options)
                found["native"] = (isinstance(widget, QFileDialog) and not widget.testOption(
                    QFileDialog.Option.DontUseNativeDialog))
                timer.stop()
                close(widget)
                return

    timer = QTimer(interval=30)
    timer.timeout.connect(look)
    timer.start()

    def give_up() -> None:  # whatever did open must not leave the test waiting for ever
        timer.stop()
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.close()

    guard = QTimer(singleShot=True, interval=15_000)
    guard.timeout.connect(give_up)
    guard.start()
    open_it()
    guard.stop()
    timer.stop()
    assert "texts" in found, f"no {kind.__name__} was opened"
    assert len(found["texts"]) > 3, found["texts"]  # the texts of a whole dialog were read
    assert not found["native"], "a native file dialog speaks the system's language"
    return found["texts"]


# ------------------------------------------------------------------ the main window


def test_main_window_pages(ui_language, qtbot, desk, office, tmp_path) -> None:
    window = open_window(qtbot, desk)
    allow = allowed(desk, tmp_path)
    listing = window.dossiers.list
    qtbot.waitUntil(lambda: listing.model.rowCount() == 5 and "…" not in [
        listing.model.index(row, 0).data() for row in range(5)], timeout=10_000)
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        wait_idle(qtbot, desk)
        assert_language(window, ui_language, allow=allow, include_items=True)
    # The sync page's log shows every outcome, the conflicts panel its dossier.
    sync_page = window.sync_page
    assert sync_page.log.count() == 9 and sync_page.conflicts.table.rowCount() == 1
    assert window.status.conflicts.text()  # "Xung đột: 2" / "Conflicts: 2"


def test_intake_page_with_warnings_and_attachments(ui_language, qtbot, desk, office,
                                                   tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # where the attachments' file dialog opens
    window = open_window(qtbot, desk)
    window.show_intake()
    intake = window.dossiers.intake
    qtbot.waitUntil(lambda: bool(intake.picker.matches()), timeout=10_000)
    allow = allowed(desk, tmp_path)
    assert_language(window, ui_language, allow=allow, include_items=True)

    intake.picker.search.setText("khai sinh")
    intake.picker.choose(intake.picker.matches()[0])
    applicant = intake.applicant
    applicant.full_name.setText(TYPED[7])
    applicant.id_number.setText("001190034567")  # says born 1990 …
    applicant.date_of_birth.setText("14/08/1992")  # … but 1992 is typed: a warning
    applicant.phone.setText("0123")
    applicant.email.setText("không-phải-email")
    intake.papers.checkboxes()[-1].setChecked(True)  # required papers left: a warning
    intake.add_co_applicant()
    (tmp_path / "scan.png").write_bytes(_png(2400, 1800))  # downscaled: a note
    (tmp_path / "ghi-chu.txt").write_text("không phải ảnh")  # refused: a message
    intake.attachments.add_files([tmp_path / "scan.png", tmp_path / "ghi-chu.txt"])
    qtbot.waitUntil(lambda: not intake.attachments.busy and intake.due_at is not None,
                    timeout=15_000)
    wait_idle(qtbot, desk)
    assert applicant.warning_labels["id_number"].message()
    assert intake.attachments.messages()
    texts = assert_language(window, ui_language, allow=[*allow, "scan.jpg", "ghi-chu.txt"],
                            include_items=True)
    assert any("2400" in text for _, text in texts)  # the downscaled scan's note was read

    # Esc on a filled form asks first (a standard question box: Qt's Yes and No).
    texts = modal_texts(intake.request_clear, QMessageBox,
                           close=lambda box: box.button(QMessageBox.StandardButton.No).click())
    assert_language(texts, ui_language, allow=allow)
    assert applicant.full_name.text() == TYPED[7]  # "No": nothing cleared

    # The attachments' file dialog is Qt's own (it speaks the app's language).
    texts = modal_texts(intake.attachments.choose_files, QFileDialog)
    assert_language(texts, ui_language, allow=allow)


# ------------------------------------------------------------------ the dossier detail


def test_dossier_detail_and_every_action_dialog(ui_language, qtbot, desk, office,
                                                tmp_path) -> None:
    window = open_window(qtbot, desk, role="leader")
    allow = allowed(desk, tmp_path)
    seen: set[Action] = set()
    for name in ("birth", "marriage", "online", "ready", "waiting"):
        detail = show_dossier(qtbot, desk, window, office[name])
        assert_language(window, ui_language, allow=allow, include_items=True)
        if name == "birth":  # numbers and units as the language writes them
            size = detail.view.attachments[0]["size"]
            assert detail.attachments_table.item(0, 1).text() == {
                "vi": f"{size} byte", "en": f"{size} bytes"}[ui_language]
        for action in list(detail.action_buttons):
            dialog = detail.start_action(action)
            assert dialog is not None
            qtbot.waitUntil(dialog.isVisible)
            assert_language(dialog, ui_language, allow=allow)
            dialog.ok_button.click()  # nothing typed: what is missing, if anything
            if dialog.error_label.isVisible():
                assert_language(dialog, ui_language, allow=allow)
            if dialog.irreversible:
                if hasattr(dialog, "reason"):
                    dialog.reason.setPlainText(TYPED[3])
                dialog.ok_button.click()
                box = dialog.confirmation
                assert box is not None
                assert_language(box, ui_language, allow=allow)
                next(b for b in box.buttons() if b.objectName() == "back").click()
            dialog.reject()
            seen.add(action)
    assert seen == set(Action), f"no dossier offered {set(Action) - seen}"


def test_print_offers_preview_print_and_save_dialogs(ui_language, qtbot, desk, office,
                                                     tmp_path) -> None:
    window = open_window(qtbot, desk, role="leader")
    allow = allowed(desk, tmp_path)
    detail = show_dossier(qtbot, desk, window, office["birth"])
    builders = {
        "02": lambda inputs: printing.supplement_slip(
            inputs["record"], inputs["procedure"], inputs["commune"], inputs["officer"],
            inputs["printed_at"], [TYPED[2]], TYPED[3]),
        "03": lambda inputs: printing.refusal_slip(
            inputs["record"], inputs["procedure"], inputs["commune"], inputs["officer"],
            inputs["printed_at"], TYPED[3]),
        "04": lambda inputs: printing.apology_slip(
            inputs["record"], inputs["procedure"], inputs["commune"], inputs["officer"],
            inputs["printed_at"], detail.view.due_at,
            detail.view.due_at.replace(day=detail.view.due_at.day + 1), TYPED[3]),
    }
    offers = []
    for form, build in builders.items():
        offer = PrintOffer(desk, office["birth"], form, build, window)
        offer.show()
        assert_language(offer, ui_language, allow=allow)  # preparing the form
        qtbot.waitUntil(lambda o=offer: o.slip is not None, timeout=15_000)
        assert_language(offer, ui_language, allow=allow)  # ready to print
        offers.append(offer)
    offer = offers[0]
    texts = modal_texts(offer.preview, QPrintPreviewDialog)
    assert_language(texts, ui_language, allow=allow)
    texts = modal_texts(offer.print_, QPrintDialog)
    assert_language(texts, ui_language, allow=allow)
    texts = modal_texts(offer.ask_save_pdf, QFileDialog)
    assert_language(texts, ui_language, allow=allow)
    for each in offers:
        each.close()

    # An image attachment opens in the app's own preview.
    with qtbot.waitSignal(detail.attachment_opened, timeout=15_000):
        detail.open_attachment(detail.view.attachments[0]["id"])
    assert detail.last_preview is not None
    assert_language(detail.last_preview, ui_language, allow=allow)
    detail.last_preview.close()


def test_receipt_offer_box(ui_language, qtbot, desk, office, tmp_path) -> None:
    window = open_window(qtbot, desk)
    store = desk.workspace.open_store()
    try:
        slip = receipt_of(store, office["online"])
    finally:
        store.db.close()
    box = window.offer_receipt(slip)
    qtbot.waitUntil(box.isVisible)
    assert_language(box, ui_language, allow=allowed(desk, tmp_path))
    box.close()


def test_conflict_dialog(ui_language, qtbot, desk, office, tmp_path) -> None:
    window = open_window(qtbot, desk)
    window.show_page(window.sync_page)
    wait_idle(qtbot, desk)
    dialog = window.sync_page.conflicts.dialog_for(0)
    assert isinstance(dialog, ConflictDialog) and len(dialog.conflicts) == 2
    qtbot.addWidget(dialog)
    dialog.show()
    assert_language(dialog, ui_language, allow=allowed(desk, tmp_path))
    dialog.reject()


# ------------------------------------------------------------------ unlocking and locking


def test_unlock_dialog_and_lock_screen(ui_language, qtbot, desk, office, tmp_path,
                                      memory_keyring) -> None:
    allow = allowed(desk, tmp_path)
    memory_keyring.secrets.clear()  # no keychain: the passphrase is asked for, and checked
    tasks = Tasks()
    try:
        dialog = UnlockDialog(tasks, desk.workspace.root)
        qtbot.addWidget(dialog)
        dialog.show()
        assert_language(dialog, ui_language, allow=allow)
        dialog.passphrase.setText("sai")
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=30_000)
        assert_language(dialog, ui_language, allow=allow)
        dialog.reject()
    finally:
        tasks.close()

    window = open_window(qtbot, desk)
    lock = LockScreen(window, desk.workspace, desk.tasks)
    lock.lock()
    overlay = lock.overlays[0]
    assert_language(window, ui_language, allow=allow)
    lock.try_unlock("sai", overlay)
    qtbot.waitUntil(lambda: overlay.message.isVisible(), timeout=30_000)
    assert_language(window, ui_language, allow=allow)
    lock.try_unlock(PASSPHRASE, overlay)
    qtbot.waitUntil(lambda: not lock.is_locked, timeout=30_000)


def test_first_run_wizard_pages(ui_language, qtbot, tmp_path) -> None:
    allow = [*(part for part in tmp_path.parts if part != "/"), "Xã Minh Châu",
             "Thành phố Hà Nội", "Nguyễn Thị Hoa"]
    tasks = Tasks()
    try:
        wizard = FirstRunWizard(tasks, tmp_path / "profile")
        qtbot.addWidget(wizard)
        wizard.show()
        assert_language(wizard, ui_language, allow=allow)  # every page, as it is built
        wizard.server_page.url.setText("dongbo hanoi")  # not an address: a message
        wizard.next()
        assert wizard.server_page.message.isVisible()
        assert_language(wizard, ui_language, allow=allow)
        wizard.server_page.url.setText(SERVER_URL)
        wizard.next()
        wizard.commune_page.choose("09661")
        wizard.commune_page.user_name.setText("Nguyễn Thị Hoa")
        assert_language(wizard, ui_language, allow=allow)
        wizard.next()  # the account
        wizard.sign_in_page.username.setText("hoa")
        wizard.sign_in_page.password.setText("mật khẩu")
        assert_language(wizard, ui_language, allow=allow)
        wizard.next()  # the passphrase, with Back and Finish
        wizard.passphrase_page.first.setText("ngắn")
        wizard.passphrase_page.second.setText("ngắn")
        wizard.passphrase_page.validatePage()  # too short: a message
        assert wizard.passphrase_page.message.isVisible()
        assert_language(wizard, ui_language, allow=allow)
        wizard.reject()
    finally:
        tasks.close()


# ------------------------------------------------------------------ messages made from codes


def test_messages_built_from_error_codes(ui_language, desk, office, tmp_path) -> None:
    """What the screens say after a failure is worded from the error's code in the interface
    language (whatever language the error's own text is in)."""
    class Coded(DomainError):
        code = "something_new"

    url, user, commune = SERVER_URL, "hoa", "09661"
    texts = [
        *(action_dialogs.error_text(error) for error in (
            RoleNotAllowed(""), IllegalTransition(""), InvalidField("", field="reason"),
            InvalidField("", field="new_due_at"), InvalidField("", field="days"),
            InvalidField("", field="username"), VerificationLimit("", used=4, maximum=5),
            ApologyLimit("", apologies=2), Coded(), ZeroDivisionError())),
        *(open_error_text(error) for error in (
            WrongPassphrase(), PassphraseRequired(), ProfileDamaged(), ProfileMissing(),
            ProfileTooNew(), OSError(13, "x"), Coded())),
        *(sign_in_error_text(error, url, user, commune) for error in (
            LinkDown("x"), WrongCommune("", account="00226", profile="09661"),
            SignInRequired("x"), SignInRequired("x", "user_disabled"),
            SignInRequired("x", "role_forbidden"), SignInRequired("x", "device_revoked"),
            Refused(426, "client_too_old", "0.1.0"), Refused(429, "too_many", "", 30),
            Refused(409, "no_slot_left", ""), Refused(400, "bad", "0"), SyncBusy("x"),
            Coded())),
        passphrase_problem("ngắn", "ngắn"), passphrase_problem(" dài dài dài ", "x"),
        passphrase_problem("dài dài dài", "khác"),
        *(sync_text(state, "invalid_record") for state in (
            "synced", "pending", "conflict", "error")),
        *(event_text({"kind": kind, "from_status": before, "to_status": after, "note": ""})
          for kind, before, after in (("received", None, 2), ("received", None, 1),
                                      ("status", 2, 3), ("status", 5, 4), ("status", 6, 4),
                                      ("status", 4, 8), ("assigned", None, None),
                                      ("extended_verification", None, None),
                                      ("apology_extension", None, None))),
    ]
    allow = [*allowed(desk, tmp_path), "Phường Kim Liên", url]
    assert_language([t for t in texts if t], ui_language, allow=allow)

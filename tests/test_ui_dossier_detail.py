"""The dossier detail screen and its action dialogs (pytest-qt, offscreen, a real profile).

Every workflow action is driven through its dialog the way an official would: the button of the
detail screen, the fields typed in (Vietnamese one character at a time), OK, the confirmation of
an irreversible step; then the stored dossier is read back with a second store. Dialogs never
block (``open()``), so the test reaches them as ``detail.current_dialog``. The clock stands
still at Tuesday 06/01/2026 09:00 (tests/conftest.py) unless a test moves it.
"""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, QUrl
from PySide6.QtGui import QColor, QImage

from app.actions import Action
from app.db import transaction
from app.dossier import VN_TZ
from tests.conftest import dossier_input
from tests.ui_support import type_text, wait_idle
from ui import attachment_viewer
from ui.action_dialogs import ActionDialog, PrintOffer
from ui.context import Person
from ui.dossier_detail import DossierDetail

BIRTH_PAPERS = [
    {"name": "Tờ khai đăng ký khai sinh", "form": "original", "count": 1},
    {"name": "Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh", "form": "copy",
     "count": 2},
]


@pytest.fixture
def store(desk):
    """A second store of the desk's profile, on the test's thread, to make and check dossiers."""
    opened = desk.workspace.open_store()
    yield opened
    opened.db.close()


@pytest.fixture
def dossier(store) -> dict:
    record, _ = store.create_dossier(dossier_input(papers=BIRTH_PAPERS))
    return record


def as_role(desk, role: str) -> None:
    desk.person = Person(desk.person.username, desk.person.display_name, role)


def open_detail(qtbot, desk, dossier_id: str) -> DossierDetail:
    detail = DossierDetail(desk)
    qtbot.addWidget(detail)
    detail.resize(900, 700)
    detail.show()
    with qtbot.waitSignal(detail.loaded, timeout=15_000):
        detail.show_dossier(dossier_id)
    return detail


def start(qtbot, detail: DossierDetail, action: Action) -> ActionDialog:
    button = detail.action_buttons[action]
    assert button.isEnabled()
    button.click()
    dialog = detail.current_dialog
    assert isinstance(dialog, ActionDialog) and dialog.action == action
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def finish(qtbot, desk, detail: DossierDetail, dialog: ActionDialog) -> None:
    """OK, then wait for the action, the notices and the detail's reload."""
    with qtbot.waitSignal(detail.loaded, timeout=15_000):
        dialog.ok_button.click()
        if dialog.irreversible:
            assert dialog.confirmation is not None
            dialog.confirm_button.click()
    wait_idle(qtbot, desk)


def events_text(detail: DossierDetail) -> list[str]:
    table = detail.events_table
    return [table.item(row, 2).text() for row in range(table.rowCount())]


def png_bytes(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


# ------------------------------------------------------------------ what the screen shows


def test_the_detail_shows_the_dossier_and_logs_the_access(qtbot, desk, store, dossier,
                                                          clock) -> None:
    detail = open_detail(qtbot, desk, dossier["id"])
    assert detail.code_label.text() == dossier["code"]
    assert detail.applicant_label.text() == "Nguyễn Văn Đức"
    assert detail.field_labels["applicant.phone"].text() == "0912 345 678"
    assert detail.field_labels["received_at"].text() == "06/01/2026 09:00 +07:00"
    assert detail.status_label.text() == "Đã tiếp nhận"
    assert detail.procedure_label.text().endswith("Thủ tục đăng ký khai sinh")
    papers = detail.papers_table
    assert papers.rowCount() == 2
    assert [papers.item(1, c).text() for c in range(3)] == [
        "Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh", "Bản sao", "2"]
    assert events_text(detail) == ["Tiếp nhận hồ sơ"]
    assert detail.field_labels["assigned_to"].text() == "Chưa giao"
    # Same-day procedure received at 09:00: due 17:00, less than a working day away.
    assert detail.due_label.property("dueState") == "due_soon"
    assert detail.due_label.text().startswith("06/01/2026 17:00 +07:00")
    assert detail.sync_frame.property("syncState") == "pending"
    assert "Chưa đồng bộ" in detail.sync_label.text()
    assert not detail.conflict_button.isVisible()
    logged = store.db.execute(
        "SELECT action, record_id FROM access_log WHERE record_id = ?", [dossier["id"]]).fetchall()
    assert logged == [("view", dossier["id"])]

    clock.advance(timedelta(hours=9))  # 18:00: past the appointment
    with qtbot.waitSignal(detail.loaded, timeout=15_000):
        detail.refresh()
    assert detail.due_label.property("dueState") == "overdue"
    assert "QUÁ HẠN" in detail.due_label.text()
    # A refresh re-reads what is on screen: not a new access.
    assert store.db.execute("SELECT count(*) FROM access_log").fetchone()[0] == 1


def test_a_sync_error_is_explained_with_its_reason(qtbot, desk, store, dossier) -> None:
    with transaction(store.db):
        store.db.execute("UPDATE dossiers SET sync_state = 'error', sync_reason = ? WHERE id = ?",
                         ["invalid_record: applicant.phone", dossier["id"]])
    detail = open_detail(qtbot, desk, dossier["id"])
    assert detail.sync_frame.property("syncState") == "error"
    assert "invalid_record: applicant.phone" in detail.sync_label.text()
    assert "đồng bộ lại" in detail.sync_label.text()


def test_the_buttons_follow_the_role(qtbot, desk, dossier) -> None:
    detail = open_detail(qtbot, desk, dossier["id"])  # an officer
    assert list(detail.action_buttons) == [Action.ASSIGN, Action.REQUEST_SUPPLEMENT,
                                           Action.REFUSE, Action.WITHDRAW]
    assert Action.RESULT_READY not in detail.action_buttons
    assert detail.findChild(type(detail.action_buttons[Action.REFUSE]), "action_refuse")
    as_role(desk, "specialist")
    with qtbot.waitSignal(detail.loaded, timeout=15_000):
        detail.refresh()
    assert Action.RESULT_READY in detail.action_buttons
    assert Action.START in detail.action_buttons
    assert Action.REFUSE not in detail.action_buttons
    as_role(desk, "clerk")
    with qtbot.waitSignal(detail.loaded, timeout=15_000):
        detail.refresh()
    assert detail.action_buttons == {}


def test_the_detail_refreshes_when_another_store_changes_the_dossier(qtbot, desk, store,
                                                                     dossier) -> None:
    detail = open_detail(qtbot, desk, dossier["id"])
    other = desk.workspace.open_store()
    try:
        other.transition(dossier["id"], 4, "bắt đầu ở máy khác")
    finally:
        other.db.close()
    wait_idle(qtbot, desk)
    qtbot.waitUntil(lambda: detail.status_label.text() == "Đang xử lý", timeout=10_000)
    assert events_text(detail)[-1] == "Bắt đầu xử lý (Đã tiếp nhận → Đang xử lý)"
    assert detail.events_table.item(1, 3).text() == "bắt đầu ở máy khác"


# ------------------------------------------------------------------ the actions


def test_accept_an_online_registration(qtbot, desk, store) -> None:
    record, _ = store.create_dossier(dossier_input(status=1, channel=2))
    detail = open_detail(qtbot, desk, record["id"])
    dialog = start(qtbot, detail, Action.ACCEPT)
    finish(qtbot, desk, detail, dialog)
    assert store.record(record["id"])["status"] == 2
    assert detail.status_label.text() == "Đã tiếp nhận"


def test_start_with_a_note(qtbot, desk, store, dossier) -> None:
    as_role(desk, "specialist")
    detail = open_detail(qtbot, desk, dossier["id"])
    dialog = start(qtbot, detail, Action.START)
    type_text(dialog.note, "Đã kiểm tra giấy tờ")
    finish(qtbot, desk, detail, dialog)
    assert store.record(dossier["id"])["status"] == 4
    assert store.events(dossier["id"])[-1]["note"] == "Đã kiểm tra giấy tờ"
    assert detail.status_label.text() == "Đang xử lý"


def test_assign_to_someone_on_the_staff_list(qtbot, desk, store, dossier) -> None:
    with transaction(store.db):
        store.db.execute("INSERT INTO staff(username, display_name, role) VALUES "
                         "('lan', 'Trần Thị Lan', 'specialist'), "
                         "('binh', 'Lê Văn Bình', 'specialist')")
    detail = open_detail(qtbot, desk, dossier["id"])
    dialog = start(qtbot, detail, Action.ASSIGN)
    names = [dialog.staff.itemText(i) for i in range(dialog.staff.count())]
    assert names == ["Lê Văn Bình (binh)", "Trần Thị Lan (lan)"]  # by given name
    dialog.staff.setCurrentIndex(dialog.staff.findData("lan"))
    type_text(dialog.note, "Chị Lan xử lý giúp")
    finish(qtbot, desk, detail, dialog)
    assert store.record(dossier["id"])["assigned_to"] == "lan"
    assert detail.field_labels["assigned_to"].text() == "Trần Thị Lan (lan)"
    assert events_text(detail)[-1] == "Giao hồ sơ cho Trần Thị Lan (lan)"
    assert detail.events_table.item(1, 3).text() == "Chị Lan xử lý giúp"


def test_assign_waits_for_a_staff_list(qtbot, desk, dossier) -> None:
    detail = open_detail(qtbot, desk, dossier["id"])
    button = detail.action_buttons[Action.ASSIGN]
    assert not button.isEnabled()
    assert button.toolTip() == "Chưa có danh sách cán bộ; hãy đồng bộ."
    dialog = detail.start_action(Action.ASSIGN)  # reached some other way: it says so too
    assert not dialog.ok_button.isEnabled() and not dialog.staff.isEnabled()
    assert dialog.findChild(type(dialog.intro), "no_staff").text() == \
        "Chưa có danh sách cán bộ; hãy đồng bộ."
    dialog.reject()


def test_refusals_are_explained_by_their_code() -> None:
    from app.errors import ApologyLimit, DomainError, InvalidField, VerificationLimit
    from ui.action_dialogs import error_text

    assert error_text(VerificationLimit("", used=4, days=2, maximum=5)) == (
        "Vượt quá số ngày gia hạn tối đa của thủ tục: đã gia hạn 4 ngày, tối đa 5 ngày.")
    assert "2 lần" in error_text(ApologyLimit("", apologies=2, maximum=2))
    assert error_text(InvalidField("", field="reason")) == "Thông tin chưa hợp lệ: lý do."

    class Novel(DomainError):
        code = "something_new"

    assert error_text(Novel()) == "Không thực hiện được (mã lỗi: something_new)."
    assert "ZeroDivisionError" in error_text(ZeroDivisionError())


def test_supplement_request_then_received_moves_the_due_time(qtbot, desk, store, dossier,
                                                             clock) -> None:
    detail = open_detail(qtbot, desk, dossier["id"])
    dialog = start(qtbot, detail, Action.REQUEST_SUPPLEMENT)
    dialog.ok_button.click()  # nothing chosen yet
    assert dialog.error_label.text() == "Hãy chọn hoặc ghi ít nhất một giấy tờ cần bổ sung."
    assert dialog.isVisible()
    dialog.paper_boxes[1].setChecked(True)
    type_text(dialog.extra_papers, "Bản sao sổ hộ khẩu")
    type_text(dialog.reason, "Giấy chứng sinh bị mờ")
    finish(qtbot, desk, detail, dialog)
    assert store.record(dossier["id"])["status"] == 5
    assert "tạm dừng" in detail.due_label.text()

    offer = detail.current_dialog
    assert isinstance(offer, PrintOffer)
    qtbot.waitUntil(lambda: offer.slip is not None, timeout=10_000)
    assert offer.slip.form == "02"
    assert "Giấy chứng sinh bị mờ" in offer.slip.html
    assert "Bản sao sổ hộ khẩu" in offer.slip.html
    assert offer.preview_button.isEnabled() and offer.pdf_button.isEnabled()
    offer.close_button.click()

    clock.advance(timedelta(days=1))  # the citizen comes back Wednesday 09:00
    dialog = start(qtbot, detail, Action.SUPPLEMENT_RECEIVED)
    finish(qtbot, desk, detail, dialog)
    after = store.record(dossier["id"])
    assert after["status"] == 4
    # Due Tue 17:00; paused Tue 09:00 -> Wed 09:00 = 480 office minutes: due Wed 17:00.
    assert after["due_at"] == "2026-01-07T17:00:00+07:00"
    assert detail.due_label.text().startswith("07/01/2026 17:00 +07:00")


def test_refuse_asks_first_and_going_back_changes_nothing(qtbot, desk, store,
                                                          dossier) -> None:
    detail = open_detail(qtbot, desk, dossier["id"])
    dialog = start(qtbot, detail, Action.REFUSE)
    dialog.ok_button.click()
    assert dialog.error_label.text() == "Hãy ghi lý do."
    type_text(dialog.reason, "Không thuộc thẩm quyền của xã")
    dialog.ok_button.click()
    box = dialog.confirmation
    assert box is not None and detail.current_dialog is box
    assert box.defaultButton().text() == "Quay lại"  # the safe one
    assert "Từ chối tiếp nhận hồ sơ" in box.text()
    box.defaultButton().click()
    wait_idle(qtbot, desk)
    assert store.record(dossier["id"])["status"] == 2
    assert dialog.isVisible() and detail.current_dialog is dialog

    finish(qtbot, desk, detail, dialog)
    assert store.record(dossier["id"])["status"] == 3
    assert store.events(dossier["id"])[-1]["note"] == "Không thuộc thẩm quyền của xã"
    offer = detail.current_dialog
    assert isinstance(offer, PrintOffer)
    qtbot.waitUntil(lambda: offer.slip is not None, timeout=10_000)
    assert offer.slip.form == "03"
    assert detail.action_buttons == {}  # a refused dossier is closed


def test_a_refused_action_keeps_the_dialog_open_with_the_reason(qtbot, desk, store,
                                                                dossier) -> None:
    detail = open_detail(qtbot, desk, dossier["id"])
    dialog = start(qtbot, detail, Action.WITHDRAW)
    type_text(dialog.reason, "Công dân đổi ý")
    store.transition(dossier["id"], 3, "máy khác đã từ chối")  # meanwhile, elsewhere
    dialog.ok_button.click()
    dialog.confirm_button.click()
    wait_idle(qtbot, desk)
    assert dialog.isVisible()
    assert "trạng thái không cho phép" in dialog.error_label.text()
    assert store.record(dossier["id"])["status"] == 3


def test_withdraw_with_confirmation(qtbot, desk, store, dossier) -> None:
    detail = open_detail(qtbot, desk, dossier["id"])
    dialog = start(qtbot, detail, Action.WITHDRAW)
    type_text(dialog.reason, "Công dân xin rút để bổ sung sau")
    finish(qtbot, desk, detail, dialog)
    assert store.record(dossier["id"])["status"] == 7
    assert detail.status_label.text() == "Công dân đã rút hồ sơ"


def test_extend_for_verification_on_a_marriage_dossier(qtbot, desk, store) -> None:
    record, _ = store.create_dossier(dossier_input(
        procedure_code="1.000894",
        papers=[{"name": "Tờ khai đăng ký kết hôn", "form": "original", "count": 1}]))
    assert record["due_at"] == "2026-01-06T17:00:00+07:00"
    as_role(desk, "specialist")
    detail = open_detail(qtbot, desk, record["id"])
    dialog = start(qtbot, detail, Action.EXTEND_VERIFICATION)
    assert dialog.days.maximum() == 5  # the procedure's maximum, none used yet
    dialog.days.setValue(2)
    assert dialog.new_due.text() == "08/01/2026 17:00 +07:00"
    type_text(dialog.reason, "Cần xác minh tình trạng hôn nhân")
    finish(qtbot, desk, detail, dialog)
    after = store.record(record["id"])
    assert after["due_at"] == "2026-01-08T17:00:00+07:00"
    assert after["verification_days"] == 2
    assert events_text(detail)[-1] == "Gia hạn thời gian giải quyết để xác minh"
    assert detail.field_labels["verification_days"].text() == "2 / tối đa 5 ngày làm việc"

    dialog = start(qtbot, detail, Action.EXTEND_VERIFICATION)
    assert dialog.days.maximum() == 3  # what is left
    dialog.reject()


def test_apology_and_extension_sets_a_new_appointment(qtbot, desk, store, dossier) -> None:
    as_role(desk, "leader")
    detail = open_detail(qtbot, desk, dossier["id"])
    dialog = start(qtbot, detail, Action.APOLOGY_EXTENSION)
    assert dialog.findChild(type(dialog.intro), "current_due").text() == \
        "06/01/2026 17:00 +07:00"
    assert dialog.new_due() == datetime(2026, 1, 7, 17, 0, tzinfo=VN_TZ)  # one working day on
    dialog.set_new_due(datetime(2026, 1, 7, 10, 0, tzinfo=VN_TZ))
    type_text(dialog.reason, "Chờ ý kiến của cơ quan cấp trên")
    finish(qtbot, desk, detail, dialog)
    after = store.record(dossier["id"])
    assert after["due_at"] == "2026-01-07T10:00:00+07:00"
    assert after["apologies"] == 1
    assert detail.field_labels["apologies"].text() == "1"
    offer = detail.current_dialog
    assert isinstance(offer, PrintOffer)
    qtbot.waitUntil(lambda: offer.slip is not None, timeout=10_000)
    assert offer.slip.form == "04"
    assert Action.APOLOGY_EXTENSION not in detail.action_buttons  # once per dossier


def test_result_ready_then_returned(qtbot, desk, store, dossier) -> None:
    as_role(desk, "leader")
    detail = open_detail(qtbot, desk, dossier["id"])
    dialog = start(qtbot, detail, Action.RESULT_READY)
    finish(qtbot, desk, detail, dialog)
    assert store.record(dossier["id"])["status"] == 9
    dialog = start(qtbot, detail, Action.RESULT_RETURNED)
    type_text(dialog.note, "Công dân đã nhận bản chính")
    dialog.ok_button.click()
    assert dialog.confirmation.defaultButton().text() == "Quay lại"
    assert "Xác nhận đã trả kết quả" in dialog.confirmation.text()
    with qtbot.waitSignal(detail.loaded, timeout=15_000):
        dialog.confirm_button.click()
    wait_idle(qtbot, desk)
    assert store.record(dossier["id"])["status"] == 10
    assert detail.status_label.text() == "Đã trả kết quả"


# ------------------------------------------------------------------ attachments


def test_an_image_attachment_opens_in_a_preview(qtbot, desk, store, dossier) -> None:
    attachment_id = store.add_attachment(dossier["id"], png_bytes(37, 23),
                                         "giấy-chứng-sinh.png", "image/png")
    detail = open_detail(qtbot, desk, dossier["id"])
    table = detail.attachments_table
    assert table.item(0, 0).text() == "giấy-chứng-sinh.png"
    assert table.item(0, 2).text() == "Có"
    with qtbot.waitSignal(detail.attachment_opened, timeout=15_000):
        table.cellWidget(0, 3).click()
    preview = detail.last_preview
    assert preview is not None and preview.isVisible()
    assert preview.image_size() == QSize(37, 23)
    assert ("open_attachment", attachment_id) in store.db.execute(
        "SELECT action, record_id FROM access_log").fetchall()
    preview.close()


def test_a_pdf_opens_from_a_private_temporary_copy(qtbot, desk, store, dossier,
                                                   monkeypatch) -> None:
    content = b"%PDF-1.4\n% a tiny stand-in for a scanned PDF\n%%EOF\n"
    store.add_attachment(dossier["id"], content, "tờ khai.pdf", "application/pdf")
    opened: list[QUrl] = []
    # No PDF viewer runs here: the system viewer is replaced by a recorder.
    monkeypatch.setattr(attachment_viewer, "open_external", lambda url: opened.append(url)
                        or True)
    detail = open_detail(qtbot, desk, dossier["id"])
    with qtbot.waitSignal(detail.attachment_opened, timeout=15_000):
        detail.attachments_table.cellWidget(0, 3).click()
    path = Path(opened[0].toLocalFile())
    assert path.name == "tờ khai.pdf" and path.read_bytes() == content
    folder = attachment_viewer.private_folder()
    assert folder in path.parents
    if os.name == "posix":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "xoá khi thoát" in detail.message_label.text()
    attachment_viewer.remove_private_folder()
    assert not path.exists() and not folder.exists()


@pytest.mark.skipif(os.name != "posix", reason="the sweep needs a POSIX liveness probe")
def test_copies_left_by_a_crashed_run_are_swept(tmp_path) -> None:
    import subprocess
    import sys
    import tempfile

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    dead_pid = int(ended.stdout)
    left = Path(tempfile.mkdtemp(prefix=f"{attachment_viewer.FOLDER_PREFIX}{dead_pid}-"))
    (left / "scan.pdf").write_bytes(b"%PDF")
    mine = attachment_viewer.private_folder()
    try:
        assert attachment_viewer.sweep_stale_folders() >= 1
        assert not left.exists()
        assert mine.exists()
    finally:
        attachment_viewer.remove_private_folder()

"""The register screens (văn bản đến, văn bản đi) on real widgets offscreen, over real SQLCipher
profiles, and against a real city server on loopback where leases are involved.

Covered: both table models under Qt's model tester (and read lazily in blocks); registering an
incoming document through the form, with the duplicate warning shown and accepted, and the
attachments refused for a secret one; urgent, overdue and due-soon rows drawn differently;
filters (search with and without diacritics, urgent only, status, series); issuing through the
number dialog on a machine holding the lease (the number 01 and the symbol shown before, then
stored; a công văn's symbol); a machine without the lease told who holds it, and an admin's
forced transfer through the lease panel; voiding keeps the number; direction, assignment,
progress and completion dialogs; an attachment removed through its "Gỡ tệp" button after a
question whose default goes back; a register exported to PDF (read back with pypdf) and to Excel;
an edXML package exported from an issued document and imported back through the incoming form
(every field and the attachment survive; a second import warns of the duplicate); the register
screens in both languages.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QFileDialog

from app import documents as docs
from app import leases
from app import registers as reg
from app.clock import Clock
from app.db import transaction
from app.store import ATTACHMENT, INCOMING_DOCUMENT
from app.sync_local import LocalSyncStore
from sync.protocol import Change
from tests import i18n_support
from tests.conftest import make_city_server
from tests.i18n_support import assert_language
from tests.sync_helpers import Machine
from tests.ui_support import close_desk, make_desk, type_text, wait_idle
from ui.context import Person
from ui.registers import dialogs
from ui.registers.area import RegisterArea
from ui.registers.document_detail import DocumentDetail
from ui.registers.list_page import RegisterListPage
from ui.registers.model import (
    DeadlineRole,
    DocumentIdRole,
    Query,
    RegisterModel,
    UrgencyRole,
)

ui_language = i18n_support.ui_language

Role = Qt.ItemDataRole
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STAFF = (("lan", "Trần Thị Lan", "leader"), ("binh", "Lê Văn Bình", "specialist"),
         ("mai", "Đỗ Thị Mai", "specialist"))
PASSWORD = "mật-khẩu-văn-thư"


# ------------------------------------------------------------------ set-up


@pytest.fixture
def clerk(tmp_path: Path, clock, qtbot):
    """A stand-alone profile of a clerk (it holds every register: the only machine), with the
    commune's staff list."""
    opened = make_desk(tmp_path / "clerk", clock, role="clerk")
    store = opened.workspace.open_store()
    with transaction(store.db):
        for row in STAFF:
            store.db.execute("INSERT INTO staff(username, display_name, role) VALUES (?, ?, ?)",
                             list(row))
    store.db.close()
    yield opened
    close_desk(opened)


def with_store(desk, work):
    store = desk.workspace.open_store()
    try:
        return work(store)
    finally:
        store.db.close()


def incoming(desk, **fields) -> dict[str, Any]:
    values = {"author": "UBND Thành phố Hà Nội", "doc_type": "QĐ",
              "summary": "Về việc giao chỉ tiêu kế hoạch năm 2026", **fields}
    return with_store(desk, lambda s: docs.register_incoming(s, values,
                                                             allow_duplicate=True).record)


def draft(desk, **fields) -> dict[str, Any]:
    values = {"doc_type": "QĐ", "summary": "Về việc thành lập tổ công tác",
              "signer": "Nguyễn Văn An", "recipients": ["UBND Thành phố", "Lưu: VT"], **fields}
    return with_store(desk, lambda s: docs.draft_outgoing(s, values))


def issued(desk, **fields) -> dict[str, Any]:
    record = draft(desk, **fields)
    return with_store(desk, lambda s: docs.issue(s, record["id"]))


def rows(model: RegisterModel, column: int = 0) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def wait_rows(qtbot, model: RegisterModel, count: int) -> None:
    def ready() -> bool:
        shown = rows(model)
        return len(shown) == count and "…" not in shown and not model.refresh_pending
    qtbot.waitUntil(ready, timeout=15_000)


def list_page(qtbot, desk, kind: str) -> RegisterListPage:
    page = RegisterListPage(desk, kind)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    wait_idle(qtbot, desk)
    return page


def show_document(qtbot, desk, document_id: str) -> DocumentDetail:
    detail = DocumentDetail(desk)
    qtbot.addWidget(detail)
    detail.resize(1000, 800)
    detail.show()
    with qtbot.waitSignal(detail.loaded, timeout=15_000):
        detail.show_document(document_id)
    wait_idle(qtbot, desk)
    return detail


def confirm(qtbot, dialog: dialogs.DocumentDialog, button: str = "confirm") -> str:
    """Click ``button`` of the question box the dialog opened; the box's text."""
    qtbot.waitUntil(lambda: dialog.confirmation is not None and dialog.confirmation.isVisible(),
                    timeout=15_000)
    box = dialog.confirmation
    text = box.text()
    next(b for b in box.buttons() if b.objectName() == button).click()
    return text


def save_through(qtbot, dialog: QFileDialog, path: Path) -> None:
    """Choose ``path`` in Qt's own file dialog and accept it, as a person would."""
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    dialog.selectFile(str(path))
    dialog.accept()


# ------------------------------------------------------------------ the models


@pytest.mark.parametrize("kind", ["incoming", "outgoing"])
def test_both_models_pass_the_model_tester_and_read_lazily(qtbot, qtmodeltester, clerk,
                                                           kind) -> None:
    for n in range(7):
        if kind == "incoming":
            incoming(clerk, summary=f"Văn bản đến số {n}", urgency="flash" if n == 3 else None)
        elif n < 5:
            issued(clerk, summary=f"Văn bản đi số {n}", urgency="urgent" if n == 2 else None)
        else:
            draft(clerk, summary=f"Dự thảo {n}")
    model = RegisterModel(clerk, kind, block_rows=2, max_blocks=4)
    model.set_query(Query(newest_first=False))
    qtbot.waitUntil(lambda: model.is_loaded, timeout=10_000)
    assert model.rowCount() == 7
    assert model.held_rows == 2  # the first block only
    assert model.index(6, 0).data() == "…"  # asked for, not yet read
    wait_rows(qtbot, model, 7)
    assert model.held_rows <= 4 * 2  # a bounded cache
    qtmodeltester.check(model)
    if kind == "incoming":
        assert rows(model) == ["01", "02", "03", "04", "05", "06", "07"]
    else:
        assert rows(model)[:5] == ["01/QĐ-UBND", "02/QĐ-UBND", "03/QĐ-UBND", "04/QĐ-UBND",
                                   "05/QĐ-UBND"]
        assert rows(model)[5:] == ["(dự thảo)", "(dự thảo)"]  # drafts after the register
    model.set_query(Query(newest_first=True))  # read backwards: the newest first
    qtbot.waitUntil(lambda: model.index(0, 0).data() not in ("…", "01", "01/QĐ-UBND"),
                    timeout=10_000)
    wait_rows(qtbot, model, 7)
    assert rows(model)[-1] in ("01", "01/QĐ-UBND")
    qtmodeltester.check(model)


def test_a_change_notice_refreshes_the_list(qtbot, clerk) -> None:
    page = list_page(qtbot, clerk, "incoming")
    wait_rows(qtbot, page.model, 0)
    incoming(clerk, summary="Văn bản mới")
    wait_idle(qtbot, clerk)
    wait_rows(qtbot, page.model, 1)
    assert page.count_label.text() == "1 văn bản đến"


# ------------------------------------------------------------------ registering


def test_register_an_incoming_document_through_the_form_after_a_duplicate_warning(
        qtbot, clerk, tmp_path: Path) -> None:
    first = incoming(clerk, number_symbol="15/QĐ-UBND", document_date="2026-01-02")
    page = list_page(qtbot, clerk, "incoming")
    wait_rows(qtbot, page.model, 1)
    page.new_button.click()
    form = page.current_dialog
    assert isinstance(form, dialogs.IncomingForm) and form.isVisible()

    form.ok_button.click()  # nothing typed: what is missing
    assert form.error_label.text() == "Hãy ghi tác giả (cơ quan, tổ chức ban hành văn bản)."
    type_text(form.author, "UBND thành phố Hà Nội")  # another case: the same body
    type_text(form.number_symbol, "15/QĐ-UBND")
    form.document_date.setDate(form.document_date.date().addDays(-4))  # 02/01/2026
    form.doc_type.setCurrentIndex(form.doc_type.findData("QĐ"))
    type_text(form.summary, "Về việc giao chỉ tiêu kế hoạch năm 2026 (bản gửi lại)")
    form.urgency.setCurrentIndex(form.urgency.findData("flash"))
    type_text(form.recipient, "Văn phòng")

    # A secret document keeps metadata only: a file is refused, with a message.
    form.secrecy.setCurrentIndex(form.secrecy.findData("confidential"))
    assert form.secret_note.isVisible()
    assert not form.add_files([tmp_path / "scan.pdf"])
    assert "không lưu tệp đính kèm" in form.error_label.text()
    assert not form.attachments.prepared()
    form.secrecy.setCurrentIndex(form.secrecy.findData("none"))
    (tmp_path / "scan.pdf").write_bytes(PDF)
    assert form.add_files([tmp_path / "scan.pdf"])
    qtbot.waitUntil(lambda: len(form.attachments.prepared()) == 1, timeout=10_000)

    with qtbot.waitSignal(page.saved, timeout=15_000) as saved:
        form.ok_button.click()
        question = confirm(qtbot, form)  # the duplicate: shown, then accepted
    assert "15/QĐ-UBND" in question and "Số đến 01" in question
    assert first["summary"] in question
    record = saved.args[0].record
    assert (record["arrival_number"], record["urgency"], record["author"]) == (
        2, "flash", "UBND thành phố Hà Nội")
    assert record["document_date"] == "2026-01-02" and record["recipient"] == "Văn phòng"
    assert page.message.text() == "Đã đăng ký văn bản đến, số đến 02."
    files = with_store(clerk, lambda s: docs.attachments(s, record["id"]))
    assert [(f["file_name"], f["size"]) for f in files] == [("scan.pdf", len(PDF))]
    wait_idle(qtbot, clerk)
    wait_rows(qtbot, page.model, 2)

    # The urgent entry is drawn differently: bold, coloured, with its level's icon.
    model = page.model
    urgent_row = model.row_of(record["id"])
    plain_row = model.row_of(first["id"])
    assert model.index(urgent_row, 0).data(UrgencyRole) == "flash"
    font = model.index(urgent_row, 6).data(Role.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert model.index(plain_row, 6).data(Role.FontRole) is None
    assert model.index(urgent_row, 6).data(Role.ForegroundRole) is not None
    assert model.index(plain_row, 6).data(Role.ForegroundRole) is None
    icon = model.index(urgent_row, 0).data(Role.DecorationRole)
    assert icon is not None and not icon.isNull()
    assert model.index(plain_row, 0).data(Role.DecorationRole) is None
    assert "Hỏa tốc" in model.index(urgent_row, 0).data(Role.ToolTipRole)
    pixels = [page.view.grab(page.view.visualRect(model.index(r, 0))).toImage()
              for r in (urgent_row, plain_row)]
    assert pixels[0] != pixels[1]  # what is painted differs too


def test_the_duplicate_warning_can_send_the_clerk_back(qtbot, clerk) -> None:
    incoming(clerk, number_symbol="07/TB-UBND", author="Sở Nội vụ")
    page = list_page(qtbot, clerk, "incoming")
    form = page.open_incoming_form()
    type_text(form.author, "So Noi vu")  # without diacritics: still the same body
    type_text(form.number_symbol, "07/tb-ubnd")
    type_text(form.summary, "Thông báo")
    form.ok_button.click()
    confirm(qtbot, form, "back")
    wait_idle(qtbot, clerk)
    assert form.isVisible()  # nothing registered; the form waits
    assert with_store(clerk, lambda s: docs.count(s, "incoming")) == 1
    form.reject()


# ------------------------------------------------------------------ lists and filters


def test_filters_search_with_and_without_diacritics_and_colour_deadlines(qtbot, clerk,
                                                                         clock) -> None:
    plain = incoming(clerk, summary="Về việc giao chỉ tiêu kế hoạch năm 2026")
    urgent = incoming(clerk, summary="Về phòng chống bão số 3", urgency="very_urgent")
    late = incoming(clerk, summary="Báo cáo tình hình dân số")
    soon = incoming(clerk, summary="Kế hoạch tiêm chủng", secrecy="confidential")
    today = clock.now().date()
    with_store(clerk, lambda s: (docs.direct(s, late["id"], "lan", deadline=today - timedelta(
        days=2)), docs.direct(s, soon["id"], "binh", deadline=today + timedelta(days=1))))
    page = list_page(qtbot, clerk, "incoming")
    wait_rows(qtbot, page.model, 4)
    model = page.model
    states = {model.index(r, 0).data(DocumentIdRole): model.index(r, 0).data(DeadlineRole)
              for r in range(4)}
    assert states[late["id"]] == "overdue" and states[soon["id"]] == "due_soon"
    assert states[plain["id"]] == "" and states[urgent["id"]] == ""
    late_row = model.row_of(late["id"])
    assert model.index(late_row, 1).data(Role.BackgroundRole) is not None  # coloured
    assert model.index(model.row_of(plain["id"]), 1).data(Role.BackgroundRole) is None
    assert "Quá hạn" in model.index(late_row, model.column_of("deadline")).data(
        Role.ToolTipRole)

    def ids() -> set[str]:
        wait_idle(qtbot, clerk)
        qtbot.waitUntil(lambda: not model.refresh_pending and "…" not in rows(model),
                        timeout=10_000)
        return {model.index(r, 0).data(DocumentIdRole) for r in range(model.rowCount())}

    for text in ("giao chỉ tiêu", "giao chi tieu", "GIAO CHI"):
        page.set_search_text(text)
        assert ids() == {plain["id"]}
    page.set_search_text("")
    page.urgent_filter.setChecked(True)
    assert ids() == {urgent["id"]}
    page.urgent_filter.setChecked(False)
    page.deadline_filter.setCurrentIndex(page.deadline_filter.findData("overdue"))
    assert ids() == {late["id"]}
    page.deadline_filter.setCurrentIndex(0)
    page.series_filter.setCurrentIndex(page.series_filter.findData("secret"))
    assert ids() == {soon["id"]}
    assert model.index(0, 0).data() == "01"  # the secret series numbers on its own
    page.series_filter.setCurrentIndex(0)
    page.status_filter.setCurrentIndex(page.status_filter.findData("directed"))
    assert ids() == {late["id"], soon["id"]}
    page.save_settings()
    again = list_page(qtbot, clerk, "incoming")  # the filters are kept for next time
    assert again.status_filter.currentData() == "directed"
    page.status_filter.setCurrentIndex(0)
    page.save_settings()


# ------------------------------------------------------------------ numbers


def test_issue_through_the_dialog_while_holding_the_lease(qtbot, clerk) -> None:
    decision = draft(clerk)
    detail = show_document(qtbot, clerk, decision["id"])
    assert detail.label.text() == "Dự thảo (chưa có số)"
    assert set(detail.action_buttons) >= {"issue", "edit_draft", "attach"}
    detail.action_buttons["issue"].click()
    dialog = detail.current_dialog
    assert isinstance(dialog, dialogs.NumberDialog)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert dialog.register_label.text() == "Sổ văn bản đi (thường), năm 2026"
    assert dialog.number_label.text() == "01"
    assert dialog.symbol_label.text() == "01/QĐ-UBND"
    assert "01/QĐ-UBND là số chính thức" in dialog.warning.text()
    assert dialog.ok_button.isVisible() and dialog.ok_button.text() == "Cấp số 01/QĐ-UBND"
    assert dialog.cancel_button.isDefault() and not dialog.ok_button.isDefault()
    with qtbot.waitSignal(detail.action_performed, timeout=10_000):
        dialog.ok_button.click()
    stored = with_store(clerk, lambda s: docs.get(s, decision["id"]))
    assert (stored["number"], stored["symbol"], stored["status"]) == (1, "01/QĐ-UBND", "issued")
    qtbot.waitUntil(lambda: detail.label.text() == "01/QĐ-UBND", timeout=10_000)
    assert detail.message_label.text() == "Đã cấp số 01/QĐ-UBND."
    assert [detail.events_table.item(r, 2).text()
            for r in range(detail.events_table.rowCount())] == ["Soạn dự thảo",
                                                               "Cấp số, ban hành"]

    letter = draft(clerk, doc_type="CV", drafting_unit="VP", summary="Về việc báo cáo")
    dialog = dialogs.NumberDialog(clerk, letter["id"], "outgoing")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert dialog.symbol_label.text() == "02/UBND-VP"  # a công văn: no type abbreviation
    dialog.reject()
    assert with_store(clerk, lambda s: docs.get(s, letter["id"]))["status"] == "draft"


def test_void_keeps_the_number_in_the_register(qtbot, clerk) -> None:
    spoiled = issued(clerk)
    issued(clerk, summary="Văn bản thứ hai")
    detail = show_document(qtbot, clerk, spoiled["id"])
    detail.action_buttons["void"].click()
    dialog = detail.current_dialog
    assert isinstance(dialog, dialogs.VoidDialog)
    assert dialog.cancel_button.isDefault()
    dialog.ok_button.click()
    assert dialog.error_label.text() == "Hãy ghi lý do hủy."
    type_text(dialog.reason, "In sai nơi nhận")
    dialog.ok_button.click()
    question = confirm(qtbot, dialog)
    assert "Số 01 vẫn nằm trong sổ" in question
    qtbot.waitUntil(lambda: detail.status_label.text() == "Đã hủy", timeout=10_000)
    stored = with_store(clerk, lambda s: docs.get(s, spoiled["id"]))
    assert (stored["number"], stored["symbol"], stored["status"], stored["void_reason"]) == (
        1, "01/QĐ-UBND", "void", "In sai nơi nhận")
    assert detail.field_labels["void_reason"].text() == "In sai nơi nhận"
    assert issued(clerk, summary="Văn bản thứ ba")["number"] == 3  # 01 is never given again
    page = list_page(qtbot, clerk, "outgoing")
    page.newest_first.setChecked(False)
    wait_idle(qtbot, clerk)
    wait_rows(qtbot, page.model, 3)
    assert rows(page.model) == ["01/QĐ-UBND", "02/QĐ-UBND", "03/QĐ-UBND"]
    assert page.model.index(0, page.model.column_of("status")).data() == "Đã hủy"


# ------------------------------------------------------------------ direction and handling


def test_direction_assignment_progress_reply_and_completion(qtbot, clerk) -> None:
    clerk.person = Person("lan", "Trần Thị Lan", "leader")
    arrival = incoming(clerk, urgency="urgent")
    answer = issued(clerk, summary="Báo cáo thực hiện chỉ tiêu")
    detail = show_document(qtbot, clerk, arrival["id"])
    assert detail.urgency_label.isVisible() and detail.urgency_label.text() == "KHẨN"
    assert detail.field_labels["lead"].text() == "Chưa có ý kiến chỉ đạo"

    detail.action_buttons["direct"].click()
    direction = detail.current_dialog
    assert isinstance(direction, dialogs.DirectionDialog)
    direction.ok_button.click()
    assert direction.error_label.text() == "Hãy chọn người chủ trì."
    direction.lead.setCurrentIndex(direction.lead.findData("binh"))
    mai = next(i for i in range(direction.coordinators.count())
               if direction.coordinators.item(i).data(Role.UserRole) == "mai")
    direction.coordinators.item(mai).setCheckState(Qt.CheckState.Checked)
    direction.has_deadline.setChecked(True)
    type_text(direction.note, "Chủ trì, báo cáo trước hạn")
    with qtbot.waitSignal(detail.loaded, timeout=10_000):
        direction.ok_button.click()
    record = with_store(clerk, lambda s: docs.get(s, arrival["id"]))
    assert (record["lead"], record["coordinators"], record["status"]) == (
        "binh", ["mai"], "directed")
    assert record["deadline"] is not None
    assert detail.field_labels["lead"].text() == "Lê Văn Bình (binh)"
    assert "sắp đến hạn" in detail.field_labels["deadline"].text()  # today, end of day

    detail.action_buttons["assign"].click()
    assign = detail.current_dialog
    assign.assignee.setCurrentIndex(assign.assignee.findData("mai"))
    with qtbot.waitSignal(detail.loaded, timeout=10_000):
        assign.ok_button.click()
    assert detail.field_labels["assigned_to"].text() == "Đỗ Thị Mai (mai)"

    detail.action_buttons["progress"].click()
    progress = detail.current_dialog
    progress.ok_button.click()
    assert progress.error_label.text() == "Hãy ghi nội dung tiến độ."
    type_text(progress.note, "Đã xin ý kiến các thôn")
    with qtbot.waitSignal(detail.loaded, timeout=10_000):
        progress.ok_button.click()

    detail.action_buttons["link_reply"].click()
    link = detail.current_dialog
    qtbot.waitUntil(lambda: link.choice.findData(answer["id"]) >= 0, timeout=10_000)
    link.choice.setCurrentIndex(link.choice.findData(answer["id"]))
    with qtbot.waitSignal(detail.loaded, timeout=10_000):
        link.ok_button.click()
    # A notice-driven reload of the progress note may answer the wait above first.
    qtbot.waitUntil(lambda: detail.field_labels["reply"].text().startswith("01/QĐ-UBND"),
                    timeout=10_000)

    detail.action_buttons["complete"].click()
    complete = detail.current_dialog
    complete.ok_button.click()
    with qtbot.waitSignal(detail.loaded, timeout=10_000):
        confirm(qtbot, complete)
    assert detail.status_label.text() == "Đã giải quyết xong"
    history = [detail.events_table.item(r, 2).text()
               for r in range(detail.events_table.rowCount())]
    assert history == ["Đăng ký vào sổ", "Ý kiến chỉ đạo", "Giao xử lý", "Tiến độ giải quyết",
                       "Liên kết văn bản trả lời", "Giải quyết xong"]
    notes = [detail.events_table.item(r, 3).text() for r in range(3)]
    assert notes[1] == "Chủ trì: Lê Văn Bình (binh)\nChủ trì, báo cáo trước hạn"
    assert notes[2] == "Giao cho: Đỗ Thị Mai (mai)"


def test_edit_an_entry_and_a_draft_through_their_forms(qtbot, clerk) -> None:
    arrival = incoming(clerk)
    detail = show_document(qtbot, clerk, arrival["id"])
    detail.action_buttons["edit_incoming"].click()
    form = detail.current_dialog
    assert isinstance(form, dialogs.IncomingForm) and form.author.text() == arrival["author"]
    form.summary.setPlainText("Về việc giao chỉ tiêu kế hoạch năm 2026 (sửa)")
    with qtbot.waitSignal(detail.loaded, timeout=10_000):
        form.ok_button.click()
    assert with_store(clerk, lambda s: docs.get(s, arrival["id"]))["summary"].endswith("(sửa)")

    letter = draft(clerk)
    detail = show_document(qtbot, clerk, letter["id"])
    detail.action_buttons["edit_draft"].click()
    form = detail.current_dialog
    assert isinstance(form, dialogs.DraftForm) and form.signer.text() == "Nguyễn Văn An"
    form.recipients.setPlainText("UBND Thành phố\nSở Nội vụ\nLưu: VT")
    form.copies.setValue(4)
    form.forwarded_at.setDate(QDate(2026, 1, 7))
    with qtbot.waitSignal(detail.loaded, timeout=10_000):
        form.ok_button.click()
    stored = with_store(clerk, lambda s: docs.get(s, letter["id"]))
    assert stored["recipients"] == ["UBND Thành phố", "Sở Nội vụ", "Lưu: VT"]
    assert (stored["copies"], stored["forwarded_at"]) == (4, "2026-01-07")
    assert detail.field_labels["forwarded_at"].text() == "07/01/2026"


def test_a_document_with_attachments_is_not_made_secret_and_the_form_says_why(
        qtbot, clerk) -> None:
    """The change is refused in the draft form (it stays open with the reason, nothing is
    saved); a secret document's attachments pulled from the server are listed as metadata,
    with no file to open on this machine."""
    letter = draft(clerk)
    with_store(clerk, lambda s: docs.add_attachment(s, letter["id"], PDF, "du-thao.pdf",
                                                    "application/pdf"))
    detail = show_document(qtbot, clerk, letter["id"])
    detail.action_buttons["edit_draft"].click()
    form = detail.current_dialog
    assert isinstance(form, dialogs.DraftForm)
    form.secrecy.setCurrentIndex(form.secrecy.findData("secret"))
    form.ok_button.click()
    qtbot.waitUntil(lambda: not form.busy and form.error_label.isVisible()
                    and "gỡ bỏ các tệp đính kèm" in form.error_label.text(), timeout=10_000)
    assert "1 tệp đính kèm" in form.error_label.text()
    assert form.isVisible()
    assert with_store(clerk, lambda s: docs.get(s, letter["id"]))["secrecy"] == "none"
    form.reject()

    secret, attachment_id = str(uuid.uuid4()), str(uuid.uuid4())
    with_store(clerk, lambda s: LocalSyncStore(s).apply_page([
        Change(INCOMING_DOCUMENT, secret, 5, {
            "register_year": 2026, "series": "secret", "secrecy": "secret",
            "arrived_at": "2026-01-06T10:00:00+07:00", "author": "Công an tỉnh",
            "doc_type": "CV", "summary": "Về việc bảo vệ bí mật nhà nước"}),
        Change(ATTACHMENT, attachment_id, 6, {
            "document_id": secret, "sha256": hashlib.sha256(PDF).hexdigest(),
            "file_name": "mat.pdf", "media_type": "application/pdf", "size": len(PDF),
            "created_at": "2026-01-06T03:00:00Z"})],
        "c1"))
    detail = show_document(qtbot, clerk, secret)
    assert detail.attachments_table.item(0, 0).text() == "mat.pdf"
    assert detail.attachments_table.item(0, 2).text() == "Không lưu (văn bản mật)"
    assert not detail.attachments_table.cellWidget(0, 3).isEnabled()
    assert detail.secret_note.isVisible()


def test_remove_an_attachment_through_its_button_after_a_question(qtbot, clerk) -> None:
    """"Gỡ tệp" beside each attachment asks first; going back (the default, also Enter and
    Escape) removes nothing; confirming removes it on the worker and the list refreshes."""
    letter = draft(clerk)
    wrong, right = PDF + b"%nham", PDF
    ids = [with_store(clerk, lambda s, data=data, name=name: docs.add_attachment(
        s, letter["id"], data, name, "application/pdf"))
        for data, name in ((wrong, "quet-nham.pdf"), (right, "ke-hoach.pdf"))]
    detail = show_document(qtbot, clerk, letter["id"])
    table = detail.attachments_table
    assert "detach" not in detail.action_buttons  # one button per attachment, not in the bar
    assert not table.isColumnHidden(4)
    button = table.cellWidget(0, 4)
    assert (button.objectName(), button.text()) == (f"remove_{ids[0]}", "Gỡ tệp")

    for answer in ("back", Qt.Key.Key_Return, Qt.Key.Key_Escape):
        button.click()
        qtbot.waitUntil(lambda: detail.confirmation is not None
                        and detail.confirmation.isVisible(), timeout=10_000)
        box = detail.confirmation
        assert box.defaultButton().objectName() == "back"
        assert "quet-nham.pdf" in box.text()
        if answer == "back":
            assert confirm(qtbot, detail, "back") == box.text()
        else:
            qtbot.keyClick(box, answer)
        qtbot.waitUntil(lambda: detail.confirmation is None, timeout=10_000)
        wait_idle(qtbot, clerk)
        assert [a["id"] for a in with_store(clerk, lambda s: docs.attachments(
            s, letter["id"]))] == ids
    assert table.rowCount() == 2

    button.click()
    with qtbot.waitSignal(detail.attachment_removed, timeout=10_000) as removed:
        confirm(qtbot, detail)
    assert removed.args[0]["id"] == ids[0]
    qtbot.waitUntil(lambda: detail.attachments_table.rowCount() == 1, timeout=10_000)
    assert detail.attachments_table.item(0, 0).text() == "ke-hoach.pdf"
    assert detail.message_label.text() == "Đã gỡ tệp quet-nham.pdf."
    events = detail.events_table
    assert (events.item(events.rowCount() - 1, 2).text(),
            events.item(events.rowCount() - 1, 3).text()) == ("Gỡ tệp đính kèm", "quet-nham.pdf")
    assert not with_store(clerk, lambda s: s.blobs.has(hashlib.sha256(wrong).hexdigest()))
    assert with_store(clerk, lambda s: s.blobs.has(hashlib.sha256(right).hexdigest()))

    # The last one goes too; with none left the column goes, and a role that may not remove
    # attachments never sees the button.
    detail.attachments_table.cellWidget(0, 4).click()
    with qtbot.waitSignal(detail.attachment_removed, timeout=10_000):
        confirm(qtbot, detail)
    qtbot.waitUntil(lambda: detail.attachments_table.rowCount() == 0, timeout=10_000)
    assert detail.attachments_table.isColumnHidden(4)
    with_store(clerk, lambda s: docs.add_attachment(s, letter["id"], right, "ke-hoach.pdf",
                                                    "application/pdf"))
    clerk.person = Person("khach", "Khách", "city-admin")
    again = show_document(qtbot, clerk, letter["id"])
    assert again.attachments_table.rowCount() == 1
    assert again.attachments_table.isColumnHidden(4)
    assert again.attachments_table.cellWidget(0, 4) is None


def test_an_officer_sees_only_the_actions_of_the_role(qtbot, clerk) -> None:
    clerk.person = Person("hoa", "Nguyễn Thị Hoa", "officer")
    arrival = incoming(clerk)
    detail = show_document(qtbot, clerk, arrival["id"])
    assert set(detail.action_buttons) == {"progress", "attach"}
    page = list_page(qtbot, clerk, "incoming")
    assert not page.new_button.isVisible() and not page.import_button.isVisible()


# ------------------------------------------------------------------ print and export


def test_export_the_outgoing_register_to_pdf_and_excel(qtbot, clerk, tmp_path: Path) -> None:
    issued(clerk, summary="Về việc thành lập tổ công tác", urgency="flash")
    spoiled = issued(clerk, summary="Văn bản in hỏng")
    with_store(clerk, lambda s: docs.void(s, spoiled["id"], "In sai"))
    page = list_page(qtbot, clerk, "outgoing")
    dialog = page.open_export()
    assert dialog.kind.currentData() == "outgoing"
    files: list[QFileDialog] = []
    dialog.file_dialog_opened.connect(files.append)
    dialog.ok_button.click()
    assert len(files) == 1
    chooser = files[0]
    assert chooser.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert chooser.selectedFiles()[0].endswith("so-van-ban-di-2026.pdf")
    target = tmp_path / "so-di.pdf"
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        save_through(qtbot, chooser, target)
    assert dialog.message.text() == f"Đã lưu sổ vào: {target}"
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(target).pages).split())
    for header in ("SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
                   "Người ký", "Nơi nhận văn bản", "Số lượng bản", "Ghi chú", "Năm: 2026",
                   "01/QĐ-UBND", "02/QĐ-UBND", "ĐÃ HỦY", "Hỏa tốc"):
        assert header in text, header

    dialog.kind.setCurrentIndex(dialog.kind.findData("followup"))
    dialog.xlsx.setChecked(True)
    files.clear()
    dialog.ok_button.click()
    workbook_path = tmp_path / "theo-doi.xlsx"
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        save_through(qtbot, files[0], workbook_path)
    workbook = openpyxl.load_workbook(workbook_path)
    assert "Bìa sổ" in workbook.sheetnames

    dialog.date_from.setDate(dialog.date_from.date().addYears(-1))  # two years: refused
    dialog.ok_button.click()
    assert "cùng một năm" in dialog.message.text()
    dialog.reject()


# ------------------------------------------------------------------ edXML


def test_edxml_export_then_import_round_trip_through_the_ui(qtbot, clerk, tmp_path: Path
                                                            ) -> None:
    with_store(clerk, lambda s: s.set_setting("edxml.organ_id", "000.00.01.H26"))
    sent = draft(clerk, summary="Về việc tổ chức Tết Trồng cây", urgency="very_urgent",
                 recipients=["UBND các xã", "Lưu: VT"], copies=5)
    with_store(clerk, lambda s: docs.add_attachment(s, sent["id"], PDF, "ke-hoach.pdf",
                                                    "application/pdf"))
    sent = with_store(clerk, lambda s: docs.issue(s, sent["id"]))
    detail = show_document(qtbot, clerk, sent["id"])
    files: list[QFileDialog] = []
    detail.file_dialog_opened.connect(files.append)
    detail.action_buttons["export_edxml"].click()
    package = tmp_path / "goi.edxml"
    with qtbot.waitSignal(detail.exported, timeout=15_000):
        save_through(qtbot, files[0], package)
    assert package.read_bytes().startswith(b"<?xml")
    assert str(package) in detail.message_label.text()

    page = list_page(qtbot, clerk, "incoming")
    chosen: list[QFileDialog] = []
    page.file_dialog_opened.connect(chosen.append)
    page.import_button.click()
    with qtbot.waitSignal(page.dialog_opened, timeout=15_000):
        chosen[0].selectFile(str(package))
        chosen[0].accept()
    form = page.current_dialog
    assert isinstance(form, dialogs.IncomingForm) and form.imported is not None
    assert form.author.text() == "Ủy ban nhân dân xã Minh Châu"
    assert form.number_symbol.text() == "01/QĐ-UBND"
    assert form.summary.toPlainText() == "Về việc tổ chức Tết Trồng cây"
    assert dialogs.type_of(form.doc_type) == "QĐ"
    assert form.urgency.currentData() == "very_urgent"
    assert form.source.currentData() == "electronic"
    assert form.package_list.count() == 1 and "ke-hoach.pdf" in form.package_list.item(0).text()
    with qtbot.waitSignal(page.saved, timeout=15_000) as saved:
        form.ok_button.click()  # no duplicate yet: registered at once
    record = saved.args[0].record
    assert record["arrival_number"] == 1
    assert (record["author"], record["number_symbol"], record["summary"], record["doc_type"],
            record["urgency"], record["source"]) == (
        "Ủy ban nhân dân xã Minh Châu", "01/QĐ-UBND", "Về việc tổ chức Tết Trồng cây", "QĐ",
        "very_urgent", "electronic")
    assert record["document_date"] == "2026-01-06"  # the day it was issued, in Hà Nội
    assert "000.00.01.H26" in (record["notes"] or "")
    [attachment] = with_store(clerk, lambda s: docs.attachments(s, record["id"]))
    assert attachment["file_name"] == "ke-hoach.pdf"
    assert with_store(clerk, lambda s: s.attachment_bytes(attachment["id"])) == PDF

    chosen.clear()  # the same package again: the duplicate warning
    page.import_button.click()
    with qtbot.waitSignal(page.dialog_opened, timeout=15_000):
        chosen[0].selectFile(str(package))
        chosen[0].accept()
    again = page.current_dialog
    again.ok_button.click()
    question = confirm(qtbot, again, "back")
    assert "01/QĐ-UBND" in question and "Số đến 01" in question
    again.reject()
    assert with_store(clerk, lambda s: docs.count(s, "incoming")) == 1


# ------------------------------------------------------------------ leases, real server


@pytest.fixture(scope="module")
def lease_server(tmp_path_factory, request):
    city = make_city_server(tmp_path_factory.mktemp("city"), "sqlite", request)
    for username, role in (("vt-clerk", "clerk"), ("qt-admin", "admin")):
        city.admin("user", "add", "--commune", "09661", "--username", username, "--role", role,
                   "--name", f"{role} Minh Châu", password=PASSWORD)
    city.start()
    yield city
    city.stop()


def test_without_the_lease_the_dialog_names_the_holder_and_an_admin_transfers_it(
        qtbot, tmp_path: Path, lease_server) -> None:
    holder = Machine(tmp_path / "may-van-thu", lease_server.url, "09661",
                     ("vt-clerk", PASSWORD), clock=Clock())
    holder.sync()
    leases.acquire(holder.store, holder.root, "outgoing", "ordinary")
    Machine(tmp_path / "may-quan-tri", lease_server.url, "09661", ("qt-admin", PASSWORD),
            clock=Clock()).close()
    desk = make_desk(tmp_path / "may-quan-tri")
    try:
        assert desk.person.role == "admin"
        area = RegisterArea(desk, "outgoing")
        qtbot.addWidget(area)
        area.resize(1300, 800)
        area.show()
        panel = area.list.leases
        wait_idle(qtbot, desk)
        assert panel.lines["ordinary"].text() == (
            "Sổ văn bản đi (thường): chưa máy nào giữ quyền cấp số")  # not synced yet
        with qtbot.waitSignal(panel.finished, timeout=30_000):
            panel.refresh_button.click()  # "Hỏi lại máy chủ"
        wait_idle(qtbot, desk)
        assert panel.lines["ordinary"].text().startswith(
            "Sổ văn bản đi (thường): máy “may-van-thu” (người dùng vt-clerk) giữ quyền cấp số")

        letter = draft(desk, summary="Văn bản của máy quản trị")
        dialog = dialogs.NumberDialog(desk, letter["id"], "outgoing")
        qtbot.addWidget(dialog)
        dialog.open()
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
        assert dialog.holder_label.isVisible()
        assert "máy “may-van-thu” (người dùng vt-clerk)" in dialog.holder_label.text()
        assert not dialog.ok_button.isVisible() and dialog.cancel_button.text() == "Đóng"
        dialog.reject()

        with qtbot.waitSignal(panel.finished, timeout=30_000) as refused:
            panel.acquire_buttons["ordinary"].click()  # the server's 409 names the holder
        assert refused.args[1] is not None
        assert "may-van-thu" in panel.message.text() and "vt-clerk" in panel.message.text()
        wait_idle(qtbot, desk)

        with qtbot.waitSignal(panel.dialog_opened, timeout=10_000) as opened:
            panel.transfer_buttons["ordinary"].click()
        transfer = opened.args[0]
        qtbot.waitUntil(lambda: transfer.device.count() >= 2, timeout=30_000)
        assert transfer.device.currentText().startswith("Máy này")
        assert not transfer.ok_button.isEnabled()  # until the consequences are acknowledged
        transfer.understood.setChecked(True)
        transfer.ok_button.click()
        qtbot.waitUntil(lambda: transfer.confirmation is not None, timeout=5_000)
        box = transfer.confirmation
        assert box.defaultButton().objectName() == "back"
        with qtbot.waitSignal(panel.finished, timeout=30_000) as moved:
            next(b for b in box.buttons() if b.objectName() == "confirm").click()
        assert moved.args[1] is None
        wait_idle(qtbot, desk)
        assert panel.lines["ordinary"].text().startswith(
            "Sổ văn bản đi (thường): máy này giữ quyền cấp số")
        assert with_store(desk, lambda s: docs.issue(s, letter["id"]))["number"] == 1

        with qtbot.waitSignal(panel.finished, timeout=60_000) as released:
            panel.release_buttons["ordinary"].click()  # syncs first, then gives it back
        assert released.args[1] is None, panel.message.text()
        wait_idle(qtbot, desk)
        assert "chưa máy nào" in panel.lines["ordinary"].text()
    finally:
        close_desk(desk)
        holder.close()


def test_an_arrival_recorded_without_the_lease_is_numbered_after_acquiring_it(
        qtbot, tmp_path: Path, lease_server) -> None:
    Machine(tmp_path / "may-lanh-dao", lease_server.url, "09661", ("qt-admin", PASSWORD),
            clock=Clock()).close()
    desk = make_desk(tmp_path / "may-lanh-dao")
    try:
        area = RegisterArea(desk, "incoming")
        qtbot.addWidget(area)
        area.resize(1300, 800)
        area.show()
        wait_idle(qtbot, desk)
        page, panel = area.list, area.list.leases
        form = page.open_incoming_form()
        type_text(form.author, "Sở Y tế")
        type_text(form.summary, "Về việc phòng chống dịch")
        with qtbot.waitSignal(page.saved, timeout=15_000) as saved:
            form.ok_button.click()
        assert not saved.args[0].numbered
        assert page.message.text().startswith("Đã ghi văn bản đến, chưa có số đến. Chưa máy "
                                              "nào giữ quyền cấp số của Sổ văn bản đến (thường)")
        record = saved.args[0].record
        assert record["arrival_number"] is None
        wait_idle(qtbot, desk)
        wait_rows(qtbot, page.model, 1)
        assert rows(page.model) == ["(chưa có số)"]

        with qtbot.waitSignal(panel.finished, timeout=30_000) as taken:
            panel.acquire_buttons["ordinary"].click()
        assert taken.args[1] is None, panel.message.text()
        assert panel.message.text() == ("Máy này đã nhận quyền cấp số của Sổ văn bản đến "
                                        "(thường).")
        wait_idle(qtbot, desk)
        with qtbot.waitSignal(area.detail.loaded, timeout=10_000):
            area.show_document(record["id"])
        detail = area.detail
        detail.action_buttons["number"].click()
        dialog = detail.current_dialog
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
        assert dialog.number_label.text() == "01" and not dialog.symbol_label.isVisible()
        with qtbot.waitSignal(detail.loaded, timeout=10_000):
            dialog.ok_button.click()
        assert detail.label.text() == "Số đến 01"
        wait_idle(qtbot, desk)
        wait_rows(qtbot, page.model, 1)
        assert rows(page.model) == ["01"]
    finally:
        close_desk(desk)


# ------------------------------------------------------------------ both languages


def test_register_screens_speak_one_language(ui_language, qtbot, clerk, tmp_path) -> None:
    arrival = incoming(clerk, urgency="flash", number_symbol="15/QĐ-UBND")
    with_store(clerk, lambda s: docs.direct(s, arrival["id"], "binh", ["mai"],
                                            note="Chủ trì, báo cáo"))
    sent = issued(clerk, answers_id=arrival["id"])
    data = ["UBND Thành phố Hà Nội", "Về việc giao chỉ tiêu kế hoạch năm 2026", "15/QĐ-UBND",
            "Về việc thành lập tổ công tác", "Nguyễn Văn An", "UBND Thành phố", "Lưu: VT",
            "Chủ trì, báo cáo", "01/QĐ-UBND", "Nguyễn Thị Hoa", "hoa", "UBND",
            *(name for _, name, _ in STAFF), "Xã Minh Châu",
            *(part for part in tmp_path.parts if part != "/"), str(Path.home()),
            # The decree's abbreviations are part of every symbol (QĐ, HĐ…), and the domain's
            # English names keep their spelling (app/registers.py: "Communiqué").
            *(t.abbreviation for t in reg.DOC_TYPES), "Communiqué"]
    clerk.person = Person("lan", "Trần Thị Lan", "leader")
    for kind, document in (("incoming", arrival), ("outgoing", sent)):
        area = RegisterArea(clerk, kind)
        qtbot.addWidget(area)
        area.resize(1300, 800)
        area.show()
        wait_idle(qtbot, clerk)
        wait_rows(qtbot, area.list.model, 1)
        assert_language(area, ui_language, allow=data, include_items=True)
        with qtbot.waitSignal(area.detail.loaded, timeout=10_000):
            area.show_document(document["id"])
        wait_idle(qtbot, clerk)
        assert_language(area, ui_language, allow=data, include_items=True)
        for action in list(area.detail.action_buttons):
            if action == "export_edxml":
                continue
            dialog = area.detail.start_action(action)
            qtbot.waitUntil(dialog.isVisible)
            wait_idle(qtbot, clerk)
            assert_language(dialog, ui_language, allow=data)
            dialog.reject()
        form = (area.list.open_incoming_form() if kind == "incoming"
                else area.list.open_draft_form())
        assert_language(form, ui_language, allow=data)
        form.ok_button.click()
        assert_language(form, ui_language, allow=data)
        form.reject()
        export = area.list.open_export()
        assert_language(export, ui_language, allow=data)
        export.reject()
    QApplication.processEvents()


def test_messages_of_every_refusal_are_translated(ui_language, qtbot) -> None:
    from app.edxml import EdxmlError
    from app.errors import (
        DocumentState,
        NotLeaseHolder,
        PossibleDuplicate,
        SecretDocument,
        SecretWithAttachments,
        UnsyncedNumbers,
    )
    from sync.transport import LinkDown, Refused
    from ui.registers import texts

    errors = [NotLeaseHolder("", kind="outgoing", series="ordinary",
                             holder_device_name="may-1", holder_user="vt"),
              NotLeaseHolder("", kind="incoming", series="secret"),
              UnsyncedNumbers("", count=2), SecretDocument(""), PossibleDuplicate("", existing="x"),
              DocumentState(""), LinkDown("cut"),
              Refused(409, "lease_held", "held", details={"holder": {"device_name": "may-1"}}),
              Refused(404, "not_found", "no"), Refused(403, "role_forbidden", "no"),
              EdxmlError("edxml_malformed"), EdxmlError("edxml_secret"), OSError(2, "x"),
              SecretWithAttachments("", attachments=2)]
    texts_shown = [texts.error_text(error) for error in errors]
    assert_language(texts_shown, ui_language, allow=["may-1", "vt", "x"])
    if ui_language == "vi":
        assert texts_shown[6].startswith("Không kết nối được máy chủ")

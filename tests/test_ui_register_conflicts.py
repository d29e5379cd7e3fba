"""Issue 6's forced-transfer proof, settled in the desktop app: the old holder of the outgoing
register numbers offline, an admin moves the lease away, and the numbers come back as conflicts;
a person settles them in the side-by-side dialog (one voided with a reason, one given up so the
new holder numbers it), and both choices reach the server. Real server on loopback, real
SQLCipher profiles, real widgets offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QRadioButton

from app import conflicts, leases, syncing
from app import documents as docs
from tests.sync_helpers import Machine
from tests.ui_support import close_desk, make_desk, type_text, wait_idle
from ui.conflicts import ConflictsPanel

PASSWORD = "mật-khẩu-văn-thư"


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest):
    from tests.conftest import make_city_server

    city = make_city_server(tmp_path / "city", "sqlite", request)
    for role in ("clerk", "admin"):
        city.admin("user", "add", "--commune", "09661", "--username", f"mc-{role}", "--role",
                   role, "--name", f"{role} Minh Châu", password=PASSWORD)
    city.start()
    yield city
    city.stop()


def draft(machine: Machine, summary: str) -> str:
    return docs.draft_outgoing(machine.store, {"doc_type": "TB", "summary": summary,
                                               "signer": "Nguyễn Văn An"})["id"]


def test_number_conflicts_are_settled_in_the_dialog_and_reach_the_server(
        qtbot, tmp_path: Path, server) -> None:
    old = Machine(tmp_path / "may-cu", server.url, "09661", ("mc-clerk", PASSWORD))
    new = Machine(tmp_path / "may-moi", server.url, "09661", ("mc-admin", PASSWORD))
    desk = None
    try:
        leases.acquire(old.store, old.root, "outgoing", "ordinary")
        docs.issue(old.store, draft(old, "Văn bản đầu năm"))
        old.sync()
        new.sync()
        spoiled, given_up = draft(old, "Giấy mời họp"), draft(old, "Thông báo nghỉ Tết")
        for document_id in (spoiled, given_up):
            docs.issue(old.store, document_id)  # 02 and 03, offline
        leases.transfer(new.store, new.root, "outgoing", "ordinary",
                        syncing.device_id(new.store))
        docs.issue(new.store, draft(new, "Văn bản của máy mới"))  # 02 on the new holder
        new.sync()
        old.sync()
        assert {c["record_id"] for c in conflicts.open_conflicts(old.store)} == {
            spoiled, given_up}

        desk = make_desk(old.root)
        panel = ConflictsPanel(desk)
        qtbot.addWidget(panel)
        wait_idle(qtbot, desk)
        for left in (2, 1):  # one document at a time; the list shrinks as each is settled
            assert panel.table.rowCount() == left
            record_id = panel.by_dossier[0][0]
            dialog = panel.dialog_for(0)
            qtbot.addWidget(dialog)
            choices = {b.objectName() for b in dialog.findChildren(QRadioButton)}
            assert {"take_server", "take_local", "take_void"} <= choices
            if record_id == spoiled:
                dialog.findChild(QRadioButton, "take_void").click()
                type_text(dialog.findChild(QLineEdit, "voidReason"), "In nhầm, đã thu hồi")
            panel.apply(dialog.decisions())
            wait_idle(qtbot, desk)
        assert conflicts.open_conflicts(old.store) == []

        old.sync()
        new.sync()
        voided = docs.get(new.store, spoiled)
        assert voided["status"] == "void" and "In nhầm" in (voided["void_reason"] or "")
        assert docs.get(new.store, given_up)["status"] == "draft"
        assert docs.issue(new.store, given_up)["number"] == 3  # the new holder numbers it
    finally:
        if desk is not None:
            close_desk(desk)
        old.close()
        new.close()

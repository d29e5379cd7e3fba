"""The desktop app's sync against a real city server on loopback: the status bar follows the
link (offline → syncing → online as the server stops and starts), the sync page logs what
happened in Vietnamese, and a conflict settled in the side-by-side dialog reaches the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QRadioButton

from app.clock import Clock
from tests.conftest import dossier_input, make_city_server
from tests.sync_helpers import HOA, Machine
from tests.ui_support import close_desk, make_desk, wait_idle
from ui import sync_controller as sc
from ui.status_bar import DeskStatusBar
from ui.sync_page import SyncPage


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest):
    city = make_city_server(tmp_path / "city", "sqlite", request)
    city.admin("user", "add", "--commune", "09661", "--username", "hoa", "--role", "officer",
               "--name", "Nguyễn Thị Hoa", password=HOA[1])
    city.start()
    yield city
    city.stop()


def signed_in_desk(root: Path, url: str):
    Machine(root, url, "09661", HOA, clock=Clock()).close()
    return make_desk(root)


def test_status_bar_follows_the_link_as_the_server_stops_and_starts(
        qtbot, tmp_path: Path, server) -> None:
    desk = signed_in_desk(tmp_path / "a", server.url)
    try:
        controller = sc.SyncController(desk)
        bar = DeskStatusBar(desk, controller)
        page = SyncPage(desk, controller)
        qtbot.addWidget(bar)
        qtbot.addWidget(page)
        states: list[str] = []
        controller.state_changed.connect(states.append)
        store = desk.workspace.open_store()
        store.create_dossier(dossier_input())
        wait_idle(qtbot, desk)
        assert bar.pending.text() == "Chờ gửi: 2"  # the dossier and its "received" event

        server.stop()
        controller.sync_now()
        qtbot.waitUntil(lambda: not controller.running, timeout=30_000)
        assert states == [sc.SYNCING, sc.OFFLINE]
        assert bar.link.text() == "● Mất kết nối"
        wait_idle(qtbot, desk)
        assert "Không kết nối được máy chủ" in page.log.item(0).text()

        server.start()
        with qtbot.waitSignal(controller.synced, timeout=30_000):
            page.sync_button.click()
        assert states == [sc.SYNCING, sc.OFFLINE, sc.SYNCING, sc.ONLINE]
        assert bar.link.text() == "● Đã kết nối"
        wait_idle(qtbot, desk)
        assert bar.pending.text() == "Chờ gửi: 0"
        assert bar.last_sync.text().startswith("Đồng bộ lần cuối: ")
        assert page.log.item(0).text().endswith("Đồng bộ xong: gửi 2 thay đổi, nhận 0 thay đổi.")
        store.db.close()
    finally:
        close_desk(desk)


def test_a_conflict_settled_in_the_dialog_reaches_the_server(
        qtbot, tmp_path: Path, server) -> None:
    first = Machine(tmp_path / "a", server.url, "09661", HOA, clock=Clock())
    [record] = [first.store.create_dossier(dossier_input())[0]]
    first.sync()
    desk = signed_in_desk(tmp_path / "b", server.url)
    try:
        controller = sc.SyncController(desk)
        page = SyncPage(desk, controller)
        qtbot.addWidget(page)
        with qtbot.waitSignal(controller.synced, timeout=30_000):
            controller.sync_now()
        second = desk.workspace.open_store()
        first.store.set_field(record["code"], "notes", "ghi chú máy A")
        second.set_field(record["code"], "notes", "ghi chú máy B")
        first.sync()
        with qtbot.waitSignal(controller.synced, timeout=30_000) as synced:
            controller.sync_now()
        assert synced.args[0].entry.outcome == "conflicts"
        wait_idle(qtbot, desk)
        assert "có 1 xung đột" in page.log.item(0).text()
        panel = page.conflicts
        assert panel.table.rowCount() == 1
        assert panel.table.item(0, 0).text() == record["code"]
        assert panel.table.item(0, 1).text() == "Ghi chú"

        dialog = panel.dialog_for(0)
        qtbot.addWidget(dialog)
        local = dialog.findChild(QRadioButton, "takeLocal")
        assert local is not None and local.text() == "ghi chú máy B"
        local.click()
        panel.apply(dialog.decisions())
        wait_idle(qtbot, desk)
        assert panel.table.isHidden() and not panel.empty.isHidden()

        with qtbot.waitSignal(controller.synced, timeout=30_000) as synced:
            controller.sync_now()
        assert synced.args[0].entry.outcome == "ok"
        first.sync()
        assert first.store.record(record["id"])["notes"] == "ghi chú máy B"
        second.db.close()
    finally:
        close_desk(desk)
        first.close()


def test_the_list_takes_in_a_pulled_batch_once_the_sync_has_ended(
        qtbot, tmp_path: Path, server) -> None:
    """While a sync's worker applies pages, a repaint of the list waits for the interpreter
    again and again (docs/benchmarks.md, (c)): the views hear of what it changed after it."""
    from ui.dossier_list import DossierListPage

    other = Machine(tmp_path / "other", server.url, "09661", HOA, clock=Clock())
    other.import_sample(400)
    other.sync()
    desk = signed_in_desk(tmp_path / "desk", server.url)
    try:
        controller = sc.SyncController(desk)
        page = DossierListPage(desk)
        qtbot.addWidget(page)
        page.show()
        wait_idle(qtbot, desk)
        heard_while_syncing: list[bool] = []
        desk.notices.dossiers_changed.connect(
            lambda ids: heard_while_syncing.append(controller.running))
        with qtbot.waitSignal(controller.synced, timeout=60_000) as synced:
            controller.sync_now()
        assert synced.args[0].report.pulled >= 400
        qtbot.waitUntil(lambda: page.model.rowCount() == 400, timeout=15_000)
        assert heard_while_syncing and not any(heard_while_syncing)
    finally:
        close_desk(desk)
        other.close()


def test_notices_wait_for_the_sync_to_end_but_not_for_ever(qtbot, tmp_path: Path,
                                                          monkeypatch) -> None:
    from ui import context

    desk = make_desk(tmp_path / "desk")
    try:
        heard: list[frozenset] = []
        desk.notices.dossiers_changed.connect(heard.append)
        store = desk.workspace.open_store()
        desk.notices.set_sync_running(True)
        first, _ = store.create_dossier(dossier_input())
        qtbot.wait(context.GATHER_MS * 4)
        assert heard == []  # held while the sync runs
        desk.notices.set_sync_running(False)
        qtbot.waitUntil(lambda: heard == [frozenset({first["id"]})], timeout=5_000)

        monkeypatch.setattr(context, "SYNC_GATHER_MS", 300)  # a sync that lasts
        desk.notices.set_sync_running(True)
        second, _ = store.create_dossier(dossier_input())
        qtbot.waitUntil(lambda: len(heard) == 2, timeout=5_000)
        assert heard[1] == frozenset({second["id"]})
        desk.notices.set_sync_running(False)
        store.db.close()
    finally:
        close_desk(desk)


def test_the_conflict_dialog_shows_phones_as_people_write_them(qtbot, desk) -> None:
    from ui.conflicts import ConflictDialog

    conflict = {"id": "c1", "field": "applicant.phone", "reason": "same_field",
                "local": "+84912345678", "server": "+842438251234"}
    dialog = ConflictDialog(desk, "09661-260106-0001", [conflict])
    qtbot.addWidget(dialog)
    assert dialog.findChild(QRadioButton, "takeLocal").text() == "0912 345 678"
    assert dialog.findChild(QRadioButton, "takeServer").text() == "024 3825 1234"

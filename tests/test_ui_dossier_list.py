"""The dossier list (ui/dossier_list.py, ui/dossier_model.py): pytest-qt, offscreen, a real
SQLCipher profile and the real task helper. The clock stands still at Tuesday 06/01/2026 09:00 in
Hà Nội (tests/conftest.py); dossiers are made and changed through a second store on the test's
thread, as another screen or a sync would, so the list learns of them by change notices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt
from PySide6.QtGui import QBrush, QIcon
from PySide6.QtTest import QAbstractItemModelTester, QTest

from app import dossier_query
from app.db import transaction
from tests.conftest import dossier_input
from tests.ui_support import wait_idle
from ui import dossier_model
from ui.dossier_list import DossierListPage, searched_text
from ui.dossier_model import (
    DUE_SOON_BACKGROUND,
    OVERDUE_BACKGROUND,
    OVERDUE_FOREGROUND,
    PLACEHOLDER,
    Column,
    DeadlineRole,
    DossierIdRole,
    DossierTableModel,
)

VIETNAMESE_ORDER = ["Trần Thị Ánh", "Lê Văn Bình", "Nguyễn Văn Dũng", "Nguyễn Văn Đức",
                    "Phạm Thu Hà", "Đỗ Văn Ưng"]


@pytest.fixture(autouse=True)
def qsettings_in_home(isolated_home: Path, qapp) -> Path:
    """QSettings keeps its folder from its first use in the process: point it at this test's
    HOME, so no test sees another's list settings."""
    config = isolated_home / "xdg_config_home"
    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, str(config))
    return config


@pytest.fixture
def store(desk):
    """A second store of the desk's profile, on the test's thread."""
    opened = desk.workspace.open_store()
    yield opened
    opened.db.close()


def make(store, name: str = "Nguyễn Văn Đức", **fields) -> dict:
    record, _ = store.create_dossier(dossier_input(applicant={"full_name": name}, **fields))
    return record


def make_many(store, count: int, **fields) -> None:
    """``count`` dossiers in one batched import (fast enough for a thousand), received in
    December 2025, 44 a day at most (a day's codes are limited)."""
    lines = [(n, dossier_input(applicant={"full_name": f"Người Thứ {n}"},
                               received_at=f"2025-12-{1 + n % 28:02d}T08:00:00+07:00", **fields))
             for n in range(1, count + 1)]
    result = store.import_records(lines)
    assert not result.errors


def visible_rows(page: DossierListPage) -> range:
    view = page.view
    first = max(0, view.rowAt(0))
    last = view.rowAt(view.viewport().height() - 1)
    last = page.model.rowCount() - 1 if last < 0 else last
    return range(first, last + 1)


def settle(qtbot, desk, page: DossierListPage | None = None,
           model: DossierTableModel | None = None) -> None:
    """Wait until no job runs, notices are out, the model has no refresh waiting (a refresh
    may wait REFRESH_INTERVAL_MS for its turn), and every visible row is read (a paint asks for
    blocks after a zero timer, so this goes round a few times)."""
    model = page.model if page is not None else model
    for _ in range(400):  # up to ~6 s
        wait_idle(qtbot, desk)
        qtbot.wait(15)
        if not desk.tasks.idle or (model is not None and model.refresh_pending):
            continue
        if page is None or (page.model.loaded and all(
                page.model.is_row_loaded(r) for r in visible_rows(page))):
            return
    raise AssertionError("the list did not settle")


def open_page(qtbot, desk) -> DossierListPage:
    page = DossierListPage(desk)
    qtbot.addWidget(page)
    page.resize(1200, 500)
    page.show()
    settle(qtbot, desk, page)
    return page


def cell(page: DossierListPage, row: int, column: Column, role=Qt.ItemDataRole.DisplayRole):
    return page.model.data(page.model.index(row, column), role)


def column_texts(page: DossierListPage, column: Column) -> list[str]:
    return [cell(page, row, column) for row in range(page.model.rowCount())]


# ---------------------------------------------------------------------- the model


def test_the_model_passes_the_model_tester_while_blocks_arrive(qtbot, qtmodeltester, desk,
                                                               store, qtlog) -> None:
    make_many(store, 230)
    model = DossierTableModel(desk, block_rows=40, max_cached_rows=120)
    qtmodeltester.check(model, force_py=True)  # checks again on every signal from now on
    qt_tester = QAbstractItemModelTester(  # Qt's own checks too, reported as warnings
        model, QAbstractItemModelTester.FailureReportingMode.Warning)
    model.set_query(dossier_query.DossierQuery())
    settle(qtbot, desk, model=model)
    assert model.rowCount() == 230
    for row in (0, 45, 120, 229, 90, 10):  # blocks asked for, arriving, evicted
        assert model.data(model.index(row, Column.CODE)) is not None
        settle(qtbot, desk, model=model)
        assert model.is_row_loaded(row)
    assert model.cached_row_count <= 120
    model.sort(Column.APPLICANT, Qt.SortOrder.AscendingOrder)
    settle(qtbot, desk, model=model)
    dossier_id = model.data(model.index(0, 0), DossierIdRole) or model.dossier_id(0)
    store.transition(dossier_id, 4)  # a notice for a held row
    make(store, "Trần Thị Ánh")  # and one for a new dossier: the id list changes
    settle(qtbot, desk, model=model)
    assert model.rowCount() == 231
    failures = [r.message for r in qtlog.records if "FAIL" in r.message]
    assert failures == []
    del qt_tester


def test_rows_are_read_once_per_block_and_the_cache_is_bounded(qtbot, desk, store) -> None:
    make_many(store, 600)
    model = DossierTableModel(desk, block_rows=50, max_cached_rows=150)
    model.set_query(dossier_query.DossierQuery())
    settle(qtbot, desk, model=model)
    fetched: list[list[int]] = []
    original = model._fetch
    model._fetch = lambda blocks, wanted: (fetched.append(blocks), original(blocks, wanted))
    # First paint of the middle of the list: placeholders, then one read for the block.
    assert model.data(model.index(300, Column.APPLICANT)) == PLACEHOLDER
    for _ in range(5):
        assert model.data(model.index(310, Column.CODE)) == PLACEHOLDER
    assert model.data(model.index(300, Column.CODE), DossierIdRole) is None
    settle(qtbot, desk, model=model)
    assert fetched == [[6]]  # one read, though the block was asked for six times
    assert model.data(model.index(300, Column.APPLICANT)).startswith("Người Thứ")
    for row in range(0, 600, 50):
        model.data(model.index(row, 0))
        settle(qtbot, desk, model=model)
    assert model.cached_row_count <= 150
    assert all(len(blocks) <= dossier_model.BLOCKS_PER_JOB for blocks in fetched)
    # Block 0 came with the id list; block 6 was evicted (LRU) and read again when asked.
    assert {b for blocks in fetched for b in blocks} == set(range(1, 12))
    del model._fetch  # the patch above made a cycle: the model (and its running tick timer)
    # would wait for a collection, which a worker thread may run (a timer freed off its thread)


def test_an_outdated_answer_is_dropped(qtbot, desk, store) -> None:
    for name in VIETNAMESE_ORDER:
        make(store, name)
    model = DossierTableModel(desk)
    model.set_query(dossier_query.DossierQuery(search="duc"))
    model.set_query(dossier_query.DossierQuery(sort="applicant", descending=False))
    settle(qtbot, desk, model=model)
    names = [model.data(model.index(r, Column.APPLICANT)) for r in range(model.rowCount())]
    assert names == VIETNAMESE_ORDER  # the search's answer came first and was not shown


# ---------------------------------------------------------------------- the page


def test_the_page_shows_rows_from_a_real_profile(qtbot, desk, store) -> None:
    record = make(store, "Nguyễn Văn Đức")
    make(store, "Lê Thị Hoa", status=4)
    page = open_page(qtbot, desk)
    assert page.count_label.text() == "2 hồ sơ"
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert headers == ["Mã hồ sơ", "Người nộp", "Thủ tục", "Trạng thái", "Ngày nhận",
                       "Hẹn trả", "Người xử lý", "Đồng bộ"]
    row = page.model.row_of_dossier(record["id"])
    assert cell(page, row, Column.CODE) == record["code"]
    assert cell(page, row, Column.APPLICANT) == "Nguyễn Văn Đức"
    assert cell(page, row, Column.PROCEDURE) == store.catalogue.get(
        "1.001193", record["procedure_version"]).name
    assert cell(page, row, Column.STATUS) == "Đã tiếp nhận"
    assert cell(page, row, Column.RECEIVED) == "06/01/2026 09:00"
    assert cell(page, row, Column.DUE) == "06/01/2026 17:00"
    assert cell(page, row, Column.SYNC) == "Chờ gửi"
    icon = cell(page, row, Column.SYNC, Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    assert "Chờ gửi" in cell(page, row, Column.SYNC, Qt.ItemDataRole.ToolTipRole)
    assert cell(page, row, Column.CODE, DossierIdRole) == record["id"]
    assert {cell(page, r, Column.STATUS) for r in range(2)} == {"Đã tiếp nhận", "Đang xử lý"}
    page.grab()  # paints offscreen without complaint


def test_filters_change_the_count(qtbot, desk, store) -> None:
    make_many(store, 1_230, status=10)  # results returned: never overdue
    for name in ("Trần Thị Ánh", "Lê Văn Bình"):
        make(store, name, status=4)
    make(store, "Phạm Thu Hà", status=9, due_at="2026-01-06T17:00:00+07:00")
    make(store, "Hoàng Minh Tâm", status=4, received_at="2026-01-05T08:00:00+07:00",
         due_at="2026-01-05T17:00:00+07:00")
    page = open_page(qtbot, desk)
    assert page.count_label.text() == "1.234 hồ sơ"
    page.status_filter.setCurrentIndex(page.status_filter.findData(4))
    settle(qtbot, desk, page)
    assert page.count_label.text() == "3 hồ sơ"
    assert set(column_texts(page, Column.STATUS)) == {"Đang xử lý"}
    page.overdue_filter.click()
    settle(qtbot, desk, page)
    assert column_texts(page, Column.APPLICANT) == ["Hoàng Minh Tâm"]
    page.status_filter.setCurrentIndex(0)  # every status, still overdue only
    settle(qtbot, desk, page)
    assert page.count_label.text() == "1 hồ sơ"
    page.overdue_filter.click()
    page.due_today_filter.click()  # open and due today: Ánh and Bình (Hà's result is ready)
    settle(qtbot, desk, page)
    assert sorted(column_texts(page, Column.APPLICANT)) == ["Lê Văn Bình", "Trần Thị Ánh"]
    page.procedure_filter.setCurrentIndex(page.procedure_filter.findData("1.000656"))
    settle(qtbot, desk, page)
    assert page.count_label.text() == "0 hồ sơ"
    names = [page.procedure_filter.itemText(i) for i in range(page.procedure_filter.count())]
    assert names[0] == "Tất cả thủ tục" and len(names) > 10


def test_deadline_colours_and_sync_state_tooltips(qtbot, desk, store) -> None:
    overdue = make(store, "Trần Thị Ánh", status=4, received_at="2026-01-05T08:00:00+07:00",
                   due_at="2026-01-05T17:00:00+07:00")
    soon = make(store, "Lê Văn Bình")  # same day: due at 17:00 today
    later = make(store, "Phạm Thu Hà", due_at="2026-01-09T17:00:00+07:00")
    refused = make(store, "Đỗ Văn Ưng", status=9, received_at="2026-01-05T08:00:00+07:00",
                   due_at="2026-01-05T17:00:00+07:00")  # late but done: not overdue
    with transaction(store.db):  # the state a refused push leaves (app/sync_local.py)
        store.db.execute("UPDATE dossiers SET sync_state = 'error', sync_reason = ? "
                         "WHERE id = ?", ["invalid_field: applicant.phone", refused["id"]])
    page = open_page(qtbot, desk)
    row = {d["id"]: page.model.row_of_dossier(d["id"]) for d in (overdue, soon, later, refused)}
    background = Qt.ItemDataRole.BackgroundRole
    assert cell(page, row[overdue["id"]], Column.CODE, background) == QBrush(OVERDUE_BACKGROUND)
    assert cell(page, row[overdue["id"]], Column.APPLICANT, Qt.ItemDataRole.ForegroundRole
                ) == QBrush(OVERDUE_FOREGROUND)
    assert cell(page, row[overdue["id"]], Column.DUE, Qt.ItemDataRole.ToolTipRole).startswith(
        "Quá hạn")
    assert cell(page, row[soon["id"]], Column.CODE, background) == QBrush(DUE_SOON_BACKGROUND)
    assert cell(page, row[later["id"]], Column.CODE, background) is None
    assert cell(page, row[refused["id"]], Column.CODE, background) is None
    assert cell(page, row[refused["id"]], Column.CODE, DeadlineRole) == 0
    tooltip = cell(page, row[refused["id"]], Column.SYNC, Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("Lỗi") and "invalid_field: applicant.phone" in tooltip
    assert cell(page, row[refused["id"]], Column.SYNC) == "Lỗi"
    # At 17:00 the same-day dossier is due; a minute later it is overdue (red).
    desk.workspace.clock.moment = desk.workspace.clock.moment.replace(hour=17, minute=1)
    page.model.update_deadlines()
    assert cell(page, row[soon["id"]], Column.CODE, background) == QBrush(OVERDUE_BACKGROUND)


def test_a_change_elsewhere_updates_the_row_without_a_reset(qtbot, desk, store) -> None:
    records = [make(store, name) for name in VIETNAMESE_ORDER]
    page = open_page(qtbot, desk)
    resets: list[int] = []
    changed: list[tuple[int, int]] = []
    page.model.modelReset.connect(lambda: resets.append(1))
    page.model.dataChanged.connect(lambda a, b, *_: changed.append((a.row(), b.row())))
    target = records[3]
    row = page.model.row_of_dossier(target["id"])
    store.transition(target["id"], 4, "bắt đầu xử lý")
    settle(qtbot, desk, page)
    assert cell(page, row, Column.STATUS) == "Đang xử lý"
    assert (row, row) in changed and resets == []
    assert page.model.row_of_dossier(target["id"]) == row

    # With a filter the change takes the dossier out of the list: the id list is swapped.
    page.status_filter.setCurrentIndex(page.status_filter.findData(2))
    settle(qtbot, desk, page)
    assert page.count_label.text() == "5 hồ sơ"
    store.transition(records[0]["id"], 4)
    settle(qtbot, desk, page)
    assert page.count_label.text() == "4 hồ sơ"
    assert "Trần Thị Ánh" not in column_texts(page, Column.APPLICANT)


def test_a_new_dossier_appears_and_the_selection_stays(qtbot, desk, store) -> None:
    records = [make(store, name) for name in VIETNAMESE_ORDER]
    page = open_page(qtbot, desk)
    chosen = records[2]
    row = page.model.row_of_dossier(chosen["id"])
    page.view.selectRow(row)
    make(store, "Vũ Thị Yến")  # a newer code: the top of the default sort (code, newest first)
    settle(qtbot, desk, page)
    assert page.model.rowCount() == len(records) + 1
    assert column_texts(page, Column.APPLICANT)[0] == "Vũ Thị Yến"
    selected = page.view.selectionModel().selectedRows()
    assert [page.model.data(i, DossierIdRole) for i in selected] == [chosen["id"]]
    assert page.current_dossier_id() == chosen["id"]
    assert page.model.row_of_dossier(chosen["id"]) == row + 1


def test_sorting_by_name_gives_vietnamese_order(qtbot, desk, store) -> None:
    for name in reversed(VIETNAMESE_ORDER):
        make(store, name)
    page = open_page(qtbot, desk)
    page.view.sortByColumn(Column.APPLICANT, Qt.SortOrder.AscendingOrder)
    settle(qtbot, desk, page)
    assert column_texts(page, Column.APPLICANT) == VIETNAMESE_ORDER
    header = page.view.horizontalHeader()
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(
        header.sectionViewportPosition(Column.APPLICANT) + 10, header.height() // 2))
    settle(qtbot, desk, page)
    assert column_texts(page, Column.APPLICANT) == VIETNAMESE_ORDER[::-1]
    assert page.model.query().sort == "applicant" and page.model.query().descending


def test_search_text_requeries_and_says_when_it_is_cut_short(qtbot, desk, store,
                                                            monkeypatch) -> None:
    for name in VIETNAMESE_ORDER:
        make(store, name)
    page = open_page(qtbot, desk)
    for typed in ("d", "du", "duc"):  # as typed: a burst, the last text wins
        page.set_search_text(typed)
    qtbot.waitUntil(lambda: page.search_text() == "duc", timeout=5_000)
    settle(qtbot, desk, page)
    assert column_texts(page, Column.APPLICANT) == ["Nguyễn Văn Đức"]
    assert page.search_note.isHidden()
    monkeypatch.setattr(dossier_query, "SEARCH_LIMIT", 2)
    page.set_search_text("nguyen")
    qtbot.waitUntil(lambda: page.search_text() == "nguyen", timeout=5_000)
    settle(qtbot, desk, page)
    assert page.model.rowCount() == 2 and not page.search_note.isHidden()
    page.set_search_text("")
    qtbot.waitUntil(lambda: page.search_text() == "", timeout=5_000)
    settle(qtbot, desk, page)
    assert page.model.rowCount() == len(VIETNAMESE_ORDER)


def test_a_lone_letter_is_not_searched_yet(qtbot, desk, store) -> None:
    assert searched_text("N") == "" and searched_text("  ") == ""
    assert searched_text("Nguyễn V") == "Nguyễn"  # the last word waits for its second letter
    assert searched_text("Nguyễn Vă") == "Nguyễn Vă"
    assert searched_text("  nguyen   van  ") == "nguyen van"
    for name in VIETNAMESE_ORDER:
        make(store, name)
    page = open_page(qtbot, desk)
    page.set_search_text("N")
    qtbot.waitUntil(lambda: page.search_note.isVisible(), timeout=5_000)
    assert page.search_note.text() == "Gõ ít nhất 2 ký tự để tìm."
    assert page.model.rowCount() == len(VIETNAMESE_ORDER) and page.search_text() == ""
    page.set_search_text("Nguyễn V")
    qtbot.waitUntil(lambda: page.search_text() == "Nguyễn", timeout=5_000)
    settle(qtbot, desk, page)
    assert sorted(column_texts(page, Column.APPLICANT)) == ["Nguyễn Văn Dũng", "Nguyễn Văn Đức"]
    assert page.search_note.isHidden()


def test_enter_and_double_click_open_a_dossier(qtbot, desk, store) -> None:
    records = [make(store, name) for name in VIETNAMESE_ORDER[:3]]
    page = open_page(qtbot, desk)
    opened: list[str] = []
    page.dossier_activated.connect(opened.append)
    page.focus_list()
    page.view.selectRow(1)
    QTest.keyClick(page.view, Qt.Key.Key_Return)
    index = page.model.index(2, Column.APPLICANT)
    rect = page.view.visualRect(index)
    # A real double click: press, release, then the double-click event (QTest's alone has no
    # press before it, and the view only activates the row it saw pressed).
    QTest.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    by_row = [page.model.dossier_id(r) for r in range(3)]
    assert opened == [by_row[1], by_row[2]]
    assert set(by_row) == {r["id"] for r in records}


def test_assigned_to_me_and_assignees_by_name(qtbot, desk, store) -> None:
    with transaction(store.db):  # the staff list the server gave at the last sync
        store.db.execute("INSERT INTO staff(username, display_name, role) VALUES "
                         "('hoa', 'Nguyễn Thị Hoa', 'officer')")
    make(store, "Trần Thị Ánh", assigned_to="hoa")  # the desk's official is "hoa"
    make(store, "Lê Văn Bình", assigned_to="nam")  # not on the staff list (yet)
    make(store, "Phạm Thu Hà")
    page = open_page(qtbot, desk)
    page.view.sortByColumn(Column.APPLICANT, Qt.SortOrder.AscendingOrder)
    settle(qtbot, desk, page)
    assert column_texts(page, Column.ASSIGNED) == ["Nguyễn Thị Hoa", "nam", ""]  # Ánh, Bình, Hà
    assert page.mine_filter.isEnabled()
    page.mine_filter.click()
    settle(qtbot, desk, page)
    assert column_texts(page, Column.APPLICANT) == ["Trần Thị Ánh"]
    assert column_texts(page, Column.ASSIGNED) == ["Nguyễn Thị Hoa"]


def test_columns_sort_and_filters_are_remembered(qtbot, desk, store,
                                                 qsettings_in_home) -> None:
    make(store, "Trần Thị Ánh", status=4)
    first = open_page(qtbot, desk)
    first.status_filter.setCurrentIndex(first.status_filter.findData(4))
    first.due_soon_filter.click()
    first.view.horizontalHeader().resizeSection(Column.PROCEDURE, 333)
    first.view.horizontalHeader().moveSection(Column.SYNC, 0)
    first.view.sortByColumn(Column.DUE, Qt.SortOrder.AscendingOrder)
    settle(qtbot, desk, first)
    qtbot.waitUntil(lambda: not first._save_timer.isActive(), timeout=5_000)
    assert any(qsettings_in_home.rglob("*.conf")) or any(qsettings_in_home.rglob("*.ini"))

    second = open_page(qtbot, desk)
    header = second.view.horizontalHeader()
    assert second.status_filter.currentData() == 4
    assert second.due_soon_filter.isChecked() and not second.overdue_filter.isChecked()
    assert header.sectionSize(Column.PROCEDURE) == 333
    assert header.visualIndex(Column.SYNC) == 0
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        Column.DUE, Qt.SortOrder.AscendingOrder)
    query = second.model.query()
    assert (query.statuses, query.due_soon, query.sort, query.descending) == (
        frozenset({4}), True, "due_at", False)
    assert json.dumps(sorted(query.statuses)) == "[4]"
    assert second.model.rowCount() == 1  # due at 17:00 today, status 4: due soon


def test_hostile_search_text_in_the_box_is_harmless(qtbot, desk, store) -> None:
    make(store, "Nguyễn Văn Đức")
    page = open_page(qtbot, desk)
    page.set_search_text("'; DROP TABLE dossiers; --")
    qtbot.waitUntil(lambda: page.search_text().startswith("'"), timeout=5_000)
    settle(qtbot, desk, page)
    assert page.model.rowCount() == 0
    assert store.db.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1
    assert page.model.data(QModelIndex()) is None

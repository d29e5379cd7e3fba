"""The dossier list's table model: every matching dossier's rowid, its rows fetched in blocks.

Anki's browser table, on the task helper (ui/tasks.py). A query (``set_query``, ``sort``) asks the
database worker for the rowids of every matching dossier in display order (the old rows stay
shown until they come); ``rowCount`` is then the length of that list. ``data`` for a row whose
block (``BLOCK_ROWS`` rows) is not held answers a placeholder ("…") and asks for the block once:
requests gathered during one paint go as one job, the most recent first, one job at a time, so
a fast scroll does not queue up blocks nobody looks at any more. Answers for an outdated id list
are dropped (a generation counter). Rows are kept by rowid in a bounded LRU cache
(``MAX_CACHED_ROWS``): the view never holds every row.

Change notices (``Notices.dossiers_changed``): held rows named by the notice are read again and
repainted (``dataChanged``); when the notice names dossiers not held, or a held row changed in a
column the filters or the sort use, the id list is asked again in the background and swapped in
(``beginResetModel``/``endResetModel``) only if it differs. Held rows survive the swap, so the
rows on screen do not flash placeholders while a sync writes (the page keeps the selection and
the scroll position across it).

Overdue and due-soon rows are coloured (derived from the due time and the clock at display time,
never stored); the deadline window is re-read every minute. Threading: GUI thread only; every
database read runs on the database worker.
"""

from __future__ import annotations

import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QModelRoleData,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from app.dossier import VN_TZ
from app.dossier_query import (
    DEFAULT_DUE_SOON_HOURS,
    SORT_COLUMNS,
    Deadline,
    DeadlineWindow,
    DossierQuery,
    DossierRow,
    query_ids,
    rows_for,
)
from ui.context import Desk
from ui.icons import sync_state_icon

BLOCK_ROWS = 200
MAX_CACHED_ROWS = 20 * BLOCK_ROWS
BLOCKS_PER_JOB = 3
PLACEHOLDER = "…"
DEADLINE_TICK_MS = 60_000
REFRESH_INTERVAL_MS = 1_000  # change notices re-ask the id list at most this often

DossierIdRole = int(Qt.ItemDataRole.UserRole)  # the dossier's id (str), None until read
DeadlineRole = DossierIdRole + 1  # a Deadline value (int)
SyncStateRole = DossierIdRole + 2  # "pending", "synced", "conflict", "error"

# Colours readable on an old, washed-out screen: dark text on a light fill, contrast ≥ 5:1.
OVERDUE_BACKGROUND = QColor("#ffc7ce")
OVERDUE_FOREGROUND = QColor("#9c0006")
DUE_SOON_BACKGROUND = QColor("#ffeb9c")
DUE_SOON_FOREGROUND = QColor("#5c3d00")

ModelIndex = QModelIndex | QPersistentModelIndex
# Plain ints and ready objects for the paint path (enum lookups cost in a loop of cells).
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BRUSHES = {
    (Deadline.OVERDUE, _BACKGROUND): QBrush(OVERDUE_BACKGROUND),
    (Deadline.OVERDUE, _FOREGROUND): QBrush(OVERDUE_FOREGROUND),
    (Deadline.DUE_SOON, _BACKGROUND): QBrush(DUE_SOON_BACKGROUND),
    (Deadline.DUE_SOON, _FOREGROUND): QBrush(DUE_SOON_FOREGROUND),
}
# Roles a delegate asks for that this model never answers (``_value`` gives None for them).
_UNANSWERED = frozenset({int(Qt.ItemDataRole.FontRole), int(Qt.ItemDataRole.TextAlignmentRole),
                         int(Qt.ItemDataRole.CheckStateRole)})
# QModelRoleData's methods taken once: calling them on each element of a span skips the
# attribute lookup on its wrapper (a paint makes about 1,700 of these calls).
_role_of = QModelRoleData.role
_set_data = QModelRoleData.setData
_clear_data = QModelRoleData.clearData
_DEADLINE_ROLES = [int(Qt.ItemDataRole.BackgroundRole), int(Qt.ItemDataRole.ForegroundRole),
                   int(Qt.ItemDataRole.ToolTipRole), DeadlineRole]


class Column(IntEnum):
    CODE = 0
    APPLICANT = 1
    PROCEDURE = 2
    STATUS = 3
    RECEIVED = 4
    DUE = 5
    ASSIGNED = 6
    SYNC = 7


_COLUMNS = len(Column)
_SYNC_COLUMN = int(Column.SYNC)
SORT_OF_COLUMN: dict[Column, str] = dict(zip(Column, SORT_COLUMNS, strict=True))
COLUMN_OF_SORT: dict[str, Column] = {sort: column for column, sort in SORT_OF_COLUMN.items()}
# The fields of a row that decide where the sort puts it.
_SORT_FIELDS = {
    "code": "code", "applicant": "applicant", "procedure": "procedure_name",
    "status": "status", "received_at": "received_at", "due_at": "due_at",
    "assigned_to": "assigned_to", "sync_state": "sync_state",
}


def status_names() -> dict[int, str]:
    """The portal's status names in the interface language (Vietnamese source strings)."""
    translate = QCoreApplication.translate
    return {
        1: translate("DossierStatus", "Đăng ký trực tuyến"),
        2: translate("DossierStatus", "Đã tiếp nhận"),
        3: translate("DossierStatus", "Không tiếp nhận"),
        4: translate("DossierStatus", "Đang xử lý"),
        5: translate("DossierStatus", "Yêu cầu bổ sung"),
        6: translate("DossierStatus", "Yêu cầu thực hiện nghĩa vụ tài chính"),
        7: translate("DossierStatus", "Công dân rút hồ sơ"),
        8: translate("DossierStatus", "Dừng xử lý"),
        9: translate("DossierStatus", "Đã có kết quả"),
        10: translate("DossierStatus", "Đã trả kết quả"),
    }


def sync_state_names() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "pending": translate("SyncState", "Chờ gửi"),
        "synced": translate("SyncState", "Đã đồng bộ"),
        "conflict": translate("SyncState", "Xung đột"),
        "error": translate("SyncState", "Lỗi"),
    }


def local_time_text(stored: str) -> str:
    """``2026-01-06T02:00:00Z`` → ``06/01/2026 09:00`` (Asia/Ho_Chi_Minh)."""
    moment = datetime.fromisoformat(stored.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True, slots=True)
class _Shown:
    """A row as the table shows it: the stored columns and their display texts (the status
    and sync-state names are looked up at display time, in the current language)."""

    row: DossierRow
    received: str
    due: str


def _shown(rows: dict[int, DossierRow]) -> dict[int, _Shown]:
    """Display rows (runs on the database worker: formatting stays off the GUI thread)."""
    return {rowid: _Shown(row, local_time_text(row.received_at), local_time_text(row.due_at))
            for rowid, row in rows.items()}


def _runs(positions: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted positions as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for position in sorted(set(positions)):
        if runs and position == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], position)
        else:
            runs.append((position, position))
    return runs


class DossierTableModel(QAbstractTableModel):
    """Every dossier a ``DossierQuery`` selects, read lazily through ``desk.tasks.db``."""

    ids_loaded = Signal()  # a query's (or a refresh's) id list is in place: rowCount is current
    rows_loaded = Signal(int, int)  # first and last row whose data just arrived
    load_failed = Signal(object)  # the exception of a read that failed

    def __init__(self, desk: Desk, parent: QObject | None = None, *,
                 query: DossierQuery | None = None, block_rows: int = BLOCK_ROWS,
                 max_cached_rows: int = MAX_CACHED_ROWS) -> None:
        """``query`` is the one ``set_query``/``refresh`` start from (nothing is read until
        one of them is called)."""
        super().__init__(parent)
        self._desk = desk
        self._block = block_rows
        self._max_rows = max(max_cached_rows, block_rows * BLOCKS_PER_JOB)
        self._query = query or DossierQuery()
        self._ids: list[int] = []
        self._serial = 0  # one per query asked; an id answer for an older one is dropped
        self._generation = 0  # one per id list in place; a block answer for an older one too
        self._rows: OrderedDict[int, _Shown] = OrderedDict()  # rowid → row, least recent first
        self._pos: dict[int, int] = {}  # rowid → row, for held rows read or shown in this list
        self._rowid_of: dict[str, int] = {}  # dossier id → rowid, for held rows
        self._missing: set[int] = set()  # rowids read but gone (this generation)
        self._requested: set[int] = set()  # blocks asked for (this generation)
        self._wanted: list[int] = []  # blocks still to ask for, the most recent last
        self._fetching = False
        self._ids_in_flight = 0
        self._ids_again = False
        self._last_refresh = 0.0
        self._loaded = False
        self.search_capped = False  # the search had more matches than the list shows
        self.reset_is_refresh = False  # the last reset came from a notice, not a new query
        self._hours = DEFAULT_DUE_SOON_HOURS
        self._window = DeadlineWindow.at(self._now(), self._hours)
        self._status_names = status_names()
        self._sync_names = sync_state_names()
        self._headers = self._header_texts()
        self._refresh_timer = QTimer(self, singleShot=True)
        self._refresh_timer.timeout.connect(self._requery)
        self._pump_timer = QTimer(self, singleShot=True, interval=0)
        self._pump_timer.timeout.connect(self._pump)
        self._tick = QTimer(self, interval=DEADLINE_TICK_MS)
        self._tick.timeout.connect(self.update_deadlines)
        self._tick.start()
        desk.notices.dossiers_changed.connect(self._on_dossiers_changed)

    # ------------------------------------------------------------------ public API

    def query(self) -> DossierQuery:
        return self._query

    def set_query(self, query: DossierQuery) -> None:
        """Show the dossiers ``query`` selects (asked in the background; the rows shown stay
        until the answer comes)."""
        self._query = query
        self._serial += 1
        self._submit_ids(fresh=True)

    def refresh(self) -> None:
        """Ask the id list again; swap it in if it changed."""
        self._requery()

    @property
    def loading(self) -> bool:
        """An id list is being read."""
        return self._ids_in_flight > 0

    @property
    def loaded(self) -> bool:
        """The first id list has arrived."""
        return self._loaded

    @property
    def cached_row_count(self) -> int:
        return len(self._rows)

    def rowid_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def dossier_id(self, row: int) -> str | None:
        """The id of the dossier at ``row``, None while its block is not read."""
        rowid = self.rowid_at(row)
        shown = self._rows.get(rowid) if rowid is not None else None
        return shown.row.id if shown else None

    def is_row_loaded(self, row: int) -> bool:
        rowid = self.rowid_at(row)
        return rowid is not None and rowid in self._rows

    def row_of_rowid(self, rowid: int) -> int | None:
        position = self._pos.get(rowid)
        if position is not None and position < len(self._ids) and self._ids[position] == rowid:
            return position
        try:
            return self._ids.index(rowid)
        except ValueError:
            return None

    def row_of_dossier(self, dossier_id: str) -> int | None:
        """The row of a held dossier (None when it is not held or not listed)."""
        rowid = self._rowid_of.get(dossier_id)
        return None if rowid is None else self.row_of_rowid(rowid)

    def update_deadlines(self) -> None:
        """Re-colour for the time now; re-ask the list when a deadline flag filters it."""
        window = DeadlineWindow.at(self._now(), self._hours)
        if window != self._window:
            self._window = window
            self._all_changed(_DEADLINE_ROLES)
        if self._query.deadline_flags:
            self._requery()

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else _COLUMNS

    # No ``flags``: QAbstractTableModel's (enabled, selectable, never has children; none for
    # an invalid index) are this model's, without a call into Python for every painted cell.

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self._cell(index)
        if cell is None:
            return None
        shown, row, column = cell
        if shown is None:
            return PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole else None
        return self._value(shown, row, column, role)

    def multiData(self, index: ModelIndex, roleDataSpan: Any) -> None:  # noqa: N802, N803
        """Every role a delegate asks of one cell in one call (a paint makes one Python call
        a cell instead of seven: far fewer hand-overs of the GIL while a worker is busy).
        The paint path: roles this model never answers are cleared without a call to
        ``_value``."""
        cell = self._cell(index)
        if cell is None or cell[0] is None:
            for role_data in roleDataSpan:
                if cell is not None and _role_of(role_data) == _DISPLAY:
                    _set_data(role_data, PLACEHOLDER)
                else:
                    _clear_data(role_data)
            return
        shown, row, column = cell
        deadline = -1
        for role_data in roleDataSpan:
            role = _role_of(role_data)
            if role == _DISPLAY:
                _set_data(role_data, self._text(shown, column))
            elif role == _BACKGROUND or role == _FOREGROUND:
                if deadline < 0:
                    deadline = self._window.of(shown.row.status, shown.row.due_at)
                brush = _BRUSHES.get((deadline, role))
                if brush is None:
                    _clear_data(role_data)
                else:
                    _set_data(role_data, brush)
            elif role in _UNANSWERED or (role == _DECORATION and column != _SYNC_COLUMN):
                _clear_data(role_data)
            else:
                value = self._value(shown, row, column, role)
                if value is None:
                    _clear_data(role_data)
                else:
                    _set_data(role_data, value)

    def _cell(self, index: ModelIndex) -> tuple[_Shown | None, int, int] | None:
        """(held row or None, row, column) of a valid index; a row not held is asked for."""
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._ids) or not 0 <= column < _COLUMNS:
            return None
        rowid = self._ids[row]
        shown = self._rows.get(rowid)
        if shown is None:
            if rowid in self._missing:
                return None
            block = row // self._block
            if block not in self._requested:
                self._want(block)
            return None, row, column
        self._pos[rowid] = row
        return shown, row, column

    def _value(self, shown: _Shown, row: int, column: int, role: int) -> Any:
        dossier = shown.row
        if role == _DISPLAY:
            return self._text(shown, column)
        if role == _BACKGROUND or role == _FOREGROUND:
            return _BRUSHES.get((self._window.of(dossier.status, dossier.due_at), role))
        if role == _DECORATION:
            return sync_state_icon(dossier.sync_state) if column == Column.SYNC else None
        if role == DossierIdRole:
            return dossier.id
        if role == _TOOLTIP:
            return self._tooltip(shown, Column(column))
        if role == DeadlineRole:
            return int(self._window.of(dossier.status, dossier.due_at))
        if role == SyncStateRole:
            return dossier.sync_state
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        sort = SORT_OF_COLUMN[Column(column)]
        descending = order == Qt.SortOrder.DescendingOrder
        if (sort, descending) != (self._query.sort, self._query.descending):
            self.set_query(replace(self._query, sort=sort, descending=descending))

    # ------------------------------------------------------------------ display

    def _header_texts(self) -> list[str]:
        return [self.tr("Mã hồ sơ"), self.tr("Người nộp"), self.tr("Thủ tục"),
                self.tr("Trạng thái"), self.tr("Ngày nhận"), self.tr("Hẹn trả"),
                self.tr("Người xử lý"), self.tr("Đồng bộ")]

    def _text(self, shown: _Shown, column: int) -> str:
        dossier = shown.row
        if column == 0:  # the order of Column
            return dossier.code
        if column == 1:
            return dossier.applicant
        if column == 2:
            return dossier.procedure_name
        if column == 3:
            return self._status_names.get(dossier.status, str(dossier.status))
        if column == 4:
            return shown.received
        if column == 5:
            return shown.due
        if column == 6:
            return dossier.assignee or ""
        return self._sync_names.get(dossier.sync_state, dossier.sync_state)

    def _tooltip(self, shown: _Shown, column: Column) -> str | None:
        dossier = shown.row
        if column == Column.SYNC:
            if dossier.sync_state == "pending":
                return self.tr("Chờ gửi: thay đổi chưa lên máy chủ, sẽ gửi ở lần đồng bộ tới")
            if dossier.sync_state == "synced":
                return self.tr("Đã đồng bộ với máy chủ")
            if dossier.sync_state == "conflict":
                return self.tr("Xung đột: hai máy đã sửa cùng một trường; cần người chọn "
                               "giá trị giữ lại")
            if dossier.sync_state == "error":
                reason = dossier.sync_reason or self.tr("không rõ lý do")
                return self.tr("Lỗi: máy chủ từ chối (%1). Sửa hồ sơ để gửi lại").replace(
                    "%1", reason)
            return None
        if column == Column.DUE:
            deadline = self._window.of(dossier.status, dossier.due_at)
            if deadline == Deadline.OVERDUE:
                return self.tr("Quá hạn: hẹn trả %1").replace("%1", shown.due)
            if deadline == Deadline.DUE_SOON:
                return self.tr("Sắp đến hạn: hẹn trả %1").replace("%1", shown.due)
            return None
        if column == Column.PROCEDURE:
            return f"{dossier.procedure_name} ({dossier.procedure_code})"
        return None

    def _now(self) -> datetime:
        return self._desk.workspace.clock.now()

    def _answer(self, method: Callable[..., None], *args: Any) -> Callable[[Any], None]:
        """The callback for a job's answer: ``method(model, *args, answer)``, if this model
        still exists. It holds the model weakly: a worker thread that drops the callback must
        never be the one that deletes the model."""
        model = weakref.ref(self)

        def call(value: Any) -> None:
            alive = model()
            if alive is not None and shiboken6.isValid(alive):
                method(alive, *args, value)
        return call

    def _all_changed(self, roles: list[int] | None = None) -> None:
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, len(Column) - 1),
                                  [int(role) for role in roles or []])

    def _rows_changed(self, positions: Iterable[int]) -> None:
        for first, last in _runs(positions):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(Column) - 1))

    # ------------------------------------------------------------------ the id list

    def _submit_ids(self, *, fresh: bool) -> None:
        """Ask the worker for the id list of the current query (with the first block's rows
        for a new query; whether it equals the list in place is worked out there too)."""
        self._ids_in_flight += 1
        serial, query, block = self._serial, self._query, self._block
        before = self._ids

        def job(store: Any) -> tuple[Any, dict[int, _Shown], bool]:
            answer = query_ids(store, query, store.clock.now())
            first = _shown(rows_for(store, answer.ids[:block])) if fresh else {}
            return answer, first, answer.ids == before

        self._desk.tasks.db(job, self._answer(DossierTableModel._ids_done, serial, before, fresh),
                            self._answer(DossierTableModel._ids_failed, serial))

    def _ids_done(self, serial: int, before: list[int], fresh: bool,
                  result: tuple[Any, dict[int, _Shown], bool]) -> None:
        self._ids_in_flight -= 1
        answer, first, same = result
        if serial == self._serial:
            self._hours = answer.due_soon_hours
            self.search_capped = answer.search_capped
            window = DeadlineWindow.at(self._now(), self._hours)
            recolour, self._window = window != self._window, window
            if same and before is self._ids:
                self._hold(first, {rowid: i for i, rowid in enumerate(answer.ids[:self._block])})
                self._rows_changed(range(len(first)))
                if recolour:
                    self._all_changed(_DEADLINE_ROLES)
            else:
                self._swap(answer.ids, first, refresh=not fresh)
            self._loaded = True
            self.ids_loaded.emit()
        if self._ids_again and self._ids_in_flight == 0:
            self._ids_again = False
            self._requery()

    def _ids_failed(self, serial: int, error: BaseException) -> None:
        self._ids_in_flight -= 1
        if serial == self._serial:
            self.load_failed.emit(error)
        if self._ids_again and self._ids_in_flight == 0:
            self._ids_again = False
            self._requery()

    def _requery(self) -> None:
        """Ask the id list again after a change: at once, unless one was asked less than
        ``REFRESH_INTERVAL_MS`` ago (then once when that time is up): a sync's pages of
        notices cost a refresh a second, not one each."""
        if self._ids_in_flight:
            self._ids_again = True
            return
        wait = REFRESH_INTERVAL_MS - (time.monotonic() - self._last_refresh) * 1000
        if wait > 0:
            if not self._refresh_timer.isActive():
                self._refresh_timer.start(int(wait) + 1)
            return
        self._refresh_timer.stop()
        self._last_refresh = time.monotonic()
        self._submit_ids(fresh=False)

    @property
    def refresh_pending(self) -> bool:
        """A refresh waits for its turn or runs (tests wait for this to be False)."""
        return self._refresh_timer.isActive() or self._ids_again or self.loading

    def _swap(self, ids: list[int], first: dict[int, _Shown], *, refresh: bool) -> None:
        """Put a new id list in place. Held rows stay held (by rowid: a row on screen before
        is on screen at once after); their positions are learnt again as they are shown."""
        self.reset_is_refresh = refresh
        self.beginResetModel()
        self._ids = ids
        self._generation += 1
        self._requested.clear()
        self._wanted.clear()
        self._missing.clear()
        self._pos.clear()
        self._hold(first, {rowid: i for i, rowid in enumerate(ids[:self._block])})
        self.endResetModel()

    # ------------------------------------------------------------------ blocks

    def _want(self, block: int) -> None:
        """Called from ``data``: note the block, ask for it once painting is over."""
        self._requested.add(block)
        self._wanted.append(block)
        if not self._pump_timer.isActive():
            self._pump_timer.start()

    def _pump(self) -> None:
        """Ask for the most recently wanted blocks (one job at a time)."""
        while not self._fetching and self._wanted:
            blocks: list[int] = []
            while self._wanted and len(blocks) < BLOCKS_PER_JOB:
                blocks.append(self._wanted.pop())
            ids, size = self._ids, self._block
            wanted = [(position, ids[position]) for block in blocks
                      for position in range(block * size, min((block + 1) * size, len(ids)))
                      if ids[position] not in self._rows]
            if not wanted:
                self._requested.difference_update(blocks)
                continue
            self._fetch(blocks, wanted)

    def _fetch(self, blocks: list[int], wanted: list[tuple[int, int]]) -> None:
        self._fetching = True
        generation = self._generation
        rowids = [rowid for _, rowid in wanted]
        self._desk.tasks.db(
            lambda store: _shown(rows_for(store, rowids)),
            self._answer(DossierTableModel._block_done, generation, blocks, wanted),
            self._answer(DossierTableModel._block_failed, generation, blocks))

    def _block_done(self, generation: int, blocks: list[int], wanted: list[tuple[int, int]],
                    rows: dict[int, _Shown]) -> None:
        self._fetching = False
        if generation == self._generation:
            self._requested.difference_update(blocks)
            self._hold(rows, {rowid: position for position, rowid in wanted})
            gone = [rowid for _, rowid in wanted if rowid not in rows]
            if gone:  # deleted since the list was read: show nothing, ask the list again
                self._missing.update(gone)
                self._requery()
            self._rows_changed(position for position, _ in wanted)
            self.rows_loaded.emit(min(p for p, _ in wanted), max(p for p, _ in wanted))
        self._pump()

    def _block_failed(self, generation: int, blocks: list[int], error: BaseException) -> None:
        self._fetching = False
        if generation == self._generation:
            self._requested.difference_update(blocks)
            self.load_failed.emit(error)
        self._pump()

    # ------------------------------------------------------------------ the row cache

    def _hold(self, rows: dict[int, _Shown], positions: dict[int, int]) -> None:
        for rowid, shown in rows.items():
            self._rows[rowid] = shown
            self._rows.move_to_end(rowid)
            self._rowid_of[shown.row.id] = rowid
            if rowid in positions:
                self._pos[rowid] = positions[rowid]
        while len(self._rows) > self._max_rows:
            self._forget(next(iter(self._rows)))

    def _forget(self, rowid: int) -> None:
        shown = self._rows.pop(rowid, None)
        if shown is not None:
            self._rowid_of.pop(shown.row.id, None)
        self._pos.pop(rowid, None)

    # ------------------------------------------------------------------ change notices

    def _on_dossiers_changed(self, dossier_ids: frozenset[str]) -> None:
        held = [self._rowid_of[i] for i in dossier_ids if i in self._rowid_of]
        if held:
            self._desk.tasks.db(lambda store: _shown(rows_for(store, held)),
                                self._answer(DossierTableModel._rows_refreshed, held),
                                self._answer(DossierTableModel._emit_failure))
        if len(held) < len(dossier_ids) or self._query.search.strip():
            self._requery()  # a dossier not held may be new, or newly (not) matching

    def _emit_failure(self, error: BaseException) -> None:
        self.load_failed.emit(error)

    def _rows_refreshed(self, rowids: list[int], rows: dict[int, _Shown]) -> None:
        moved = False
        positions: list[int] = []
        fields = self._fields_that_place()
        for rowid in rowids:
            old = self._rows.get(rowid)
            if old is None:
                continue  # no longer held
            position = self._pos.get(rowid)
            if position is not None and not (
                    position < len(self._ids) and self._ids[position] == rowid):
                position = None
            new = rows.get(rowid)
            if new is None:
                self._forget(rowid)
                self._missing.add(rowid)
                moved = True
            else:
                moved = moved or any(getattr(old.row, f) != getattr(new.row, f) for f in fields)
                self._rows[rowid] = new
                self._rowid_of[new.row.id] = rowid
            if position is not None:
                positions.append(position)
        self._rows_changed(positions)
        if moved:
            self._requery()

    def _fields_that_place(self) -> set[str]:
        """Row fields whose change may move a row or take it in or out of the list."""
        query = self._query
        fields = {"code", _SORT_FIELDS[query.sort]}
        if query.statuses:
            fields.add("status")
        if query.procedure_code:
            fields.add("procedure_code")
        if query.deadline_flags:
            fields |= {"status", "due_at"}
        if query.assigned_to is not None:
            fields.add("assigned_to")
        return fields

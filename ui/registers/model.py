"""The table model of one register (incoming or outgoing): its entries read lazily in blocks.

A query (``set_query``: a ``RegisterFilter`` and the order) asks the database worker for the
number of matching entries and the first block; ``rowCount`` is that number. ``data`` for a row
whose block (``BLOCK_ROWS`` rows, through ``documents.list_incoming``/``list_outgoing`` with a
limit and an offset) is not held answers a placeholder ("…") and asks for the block once:
blocks wanted during one paint go as one job, the most recent first, one job at a time. At most
``MAX_BLOCKS`` blocks are held (least recently read forgotten first). Answers for an older query
are dropped (a generation counter). "Newest first" reads the register's own order backwards
(offsets counted from the end), so drafts and unnumbered arrivals come first, then the highest
numbers.

Change notices (``Notices.records_changed`` with ``incoming_document`` or ``outgoing_document``):
the count and the held blocks are read again in one job, at most every ``REFRESH_INTERVAL_MS``;
the rows are repainted in place when the count is the same, else the model is reset with the
new blocks already held (no placeholders flash). The deadline colours are derived when read
(app/documents.py) and read again every minute.

Urgent documents stand out: bold, a dark red text and an icon by level in the first column
(ui/registers/icons.py). Overdue and due-soon incoming documents are coloured as in the dossier
list; void outgoing numbers are grey and italic. Threading: GUI thread; every read runs on the
database worker.
"""

from __future__ import annotations

import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app import documents as docs
from app import registers as reg
from app.store import Store
from ui.context import Desk
from ui.dossier_model import (
    DUE_SOON_BACKGROUND,
    DUE_SOON_FOREGROUND,
    OVERDUE_BACKGROUND,
    OVERDUE_FOREGROUND,
    sync_state_names,
)
from ui.icons import sync_state_icon
from ui.registers import texts
from ui.registers.icons import urgency_icon

BLOCK_ROWS = 100
MAX_BLOCKS = 20
BLOCKS_PER_JOB = 3
PLACEHOLDER = "…"
REFRESH_INTERVAL_MS = 500
DEADLINE_TICK_MS = 60_000

DocumentIdRole = int(Qt.ItemDataRole.UserRole)  # the document's id (str)
UrgencyRole = DocumentIdRole + 1  # "normal", "urgent", "very_urgent", "flash"
DeadlineRole = DocumentIdRole + 2  # "overdue", "due_soon" or ""
SyncStateRole = DocumentIdRole + 3
StatusRole = DocumentIdRole + 4

URGENT_FOREGROUND = QColor("#a4000f")
VOID_FOREGROUND = QColor("#6b6b6b")

INCOMING_COLUMNS = ("number", "arrived", "author", "number_symbol", "document_date", "type",
                    "summary", "recipient", "lead", "deadline", "status", "sync")
OUTGOING_COLUMNS = ("symbol", "issued", "type", "summary", "signer", "recipients", "copies",
                    "status", "sync")
COLUMNS = {reg.INCOMING: INCOMING_COLUMNS, reg.OUTGOING: OUTGOING_COLUMNS}

ModelIndex = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_CELL_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
               | Qt.ItemFlag.ItemNeverHasChildren)


@dataclass(frozen=True)
class Query:
    """What the list shows: the filter and the order."""

    filter: docs.RegisterFilter = field(default_factory=docs.RegisterFilter)
    newest_first: bool = True


@dataclass(frozen=True, slots=True)
class Entry:
    """One row: the record as ``documents.get`` gives it and its dates formatted (worker)."""

    record: dict[str, Any]
    dates: tuple[str, ...]  # incoming: arrived, document date, deadline; outgoing: issued

    @property
    def id(self) -> str:
        return self.record["id"]

    @property
    def deadline_state(self) -> str:
        if self.record.get("overdue"):
            return "overdue"
        if self.record.get("due_soon"):
            return "due_soon"
        return ""


def _entry(kind: str, record: dict[str, Any]) -> Entry:
    if kind == reg.INCOMING:
        dates = (texts.local_time(record.get("arrived_at")),
                 texts.local_date(record.get("document_date")),
                 texts.local_time(record.get("deadline")))
    else:
        dates = (texts.local_date(record.get("issued_at")),)
    return Entry(record, dates)


def read_block(store: Store, kind: str, flt: docs.RegisterFilter, total: int,
               newest_first: bool, start: int, end: int) -> list[Entry]:
    """Rows ``start``..``end - 1`` of the list as shown (the register's order, or backwards)."""
    end = min(end, total)
    if start >= end:
        return []
    offset = total - end if newest_first else start
    lister = docs.list_incoming if kind == reg.INCOMING else docs.list_outgoing
    found = lister(store, flt, limit=end - start, offset=offset)
    if newest_first:
        found.reverse()
    return [_entry(kind, record) for record in found]


def read_blocks(store: Store, kind: str, query: Query, blocks: list[int], size: int,
                total: int | None = None) -> tuple[int, dict[int, list[Entry]]]:
    """(count, {block: rows}) for the query; the count is read again when not given."""
    if total is None:
        total = docs.count(store, kind, query.filter)
    return total, {block: read_block(store, kind, query.filter, total, query.newest_first,
                                     block * size, (block + 1) * size) for block in blocks}


class RegisterModel(QAbstractTableModel):
    """The entries of one register a ``Query`` selects, read lazily through ``desk.tasks.db``."""

    loaded = Signal()  # a query's (or a refresh's) count is in place: rowCount is current
    rows_loaded = Signal(int, int)  # first and last row whose data just arrived
    load_failed = Signal(object)

    def __init__(self, desk: Desk, kind: str, parent: QObject | None = None, *,
                 block_rows: int = BLOCK_ROWS, max_blocks: int = MAX_BLOCKS) -> None:
        super().__init__(parent)
        self._desk, self.kind = desk, reg.check_kind(kind)
        self._columns = COLUMNS[kind]
        self._block = block_rows
        self._max_blocks = max(max_blocks, BLOCKS_PER_JOB)
        self._query = Query()
        self._count = 0
        self._blocks: OrderedDict[int, list[Entry]] = OrderedDict()
        self._generation = 0
        self._requested: set[int] = set()
        self._wanted: list[int] = []
        self._fetching = False
        self._in_flight = 0
        self._again = False
        self._last_refresh = 0.0
        self._loaded = False
        self._record_type = docs.RECORD_TYPE[kind]
        self._headers = self._header_texts()
        self._sync_names = sync_state_names()
        self._status_names = {s: texts.status_name(kind, s) for s in (
            reg.INCOMING_STATUSES if kind == reg.INCOMING else reg.OUTGOING_STATUSES)}
        self._type_names: dict[str, str] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._void_font = QFont()
        self._void_font.setItalic(True)
        self._brushes = {
            ("overdue", _BACKGROUND): QBrush(OVERDUE_BACKGROUND),
            ("overdue", _FOREGROUND): QBrush(OVERDUE_FOREGROUND),
            ("due_soon", _BACKGROUND): QBrush(DUE_SOON_BACKGROUND),
            ("due_soon", _FOREGROUND): QBrush(DUE_SOON_FOREGROUND),
        }
        self._urgent_brush = QBrush(URGENT_FOREGROUND)
        self._void_brush = QBrush(VOID_FOREGROUND)
        self._refresh_timer = QTimer(self, singleShot=True)
        self._refresh_timer.timeout.connect(self.refresh)
        self._pump_timer = QTimer(self, singleShot=True, interval=0)
        self._pump_timer.timeout.connect(self._pump)
        if kind == reg.INCOMING:
            self._tick = QTimer(self, interval=DEADLINE_TICK_MS)
            self._tick.timeout.connect(self.refresh)
            self._tick.start()
        desk.notices.records_changed.connect(self._records_changed)

    # ------------------------------------------------------------------ public API

    def query(self) -> Query:
        return self._query

    def set_query(self, query: Query) -> None:
        """Show what ``query`` selects (asked in the background; the rows shown stay until
        the answer comes)."""
        self._query = query
        self._generation += 1
        generation, kind, size = self._generation, self.kind, self._block
        self._in_flight += 1
        self._desk.tasks.db(
            lambda store: read_blocks(store, kind, query, [0], size),
            self._answer(RegisterModel._query_done, generation),
            self._answer(RegisterModel._query_failed, generation))

    def refresh(self) -> None:
        """Read the count and the held blocks again (after a change); throttled."""
        if self._in_flight:
            self._again = True
            return
        wait = REFRESH_INTERVAL_MS - (time.monotonic() - self._last_refresh) * 1000
        if wait > 0:
            if not self._refresh_timer.isActive():
                self._refresh_timer.start(int(wait) + 1)
            return
        self._refresh_timer.stop()
        self._last_refresh = time.monotonic()
        self._in_flight += 1
        generation, kind, query, size = self._generation, self.kind, self._query, self._block
        held = list(self._blocks) or [0]
        self._desk.tasks.db(
            lambda store: read_blocks(store, kind, query, held, size),
            self._answer(RegisterModel._refreshed, generation),
            self._answer(RegisterModel._query_failed, generation))

    @property
    def loading(self) -> bool:
        return self._in_flight > 0 or self._fetching

    @property
    def refresh_pending(self) -> bool:
        return self._refresh_timer.isActive() or self._again or self.loading

    @property
    def is_loaded(self) -> bool:
        """The first query has been answered."""
        return self._loaded

    def entry(self, row: int) -> Entry | None:
        """The entry at ``row`` if its block is held."""
        if not 0 <= row < self._count:
            return None
        rows = self._blocks.get(row // self._block)
        offset = row % self._block
        return rows[offset] if rows is not None and offset < len(rows) else None

    def document_id(self, row: int) -> str | None:
        entry = self.entry(row)
        return entry.id if entry else None

    def row_of(self, document_id: str) -> int | None:
        """The row of a held document (None when not held)."""
        for block, rows in self._blocks.items():
            for offset, entry in enumerate(rows):
                if entry.id == document_id:
                    return block * self._block + offset
        return None

    def column_of(self, name: str) -> int:
        return self._columns.index(name)

    @property
    def held_rows(self) -> int:
        return sum(len(rows) for rows in self._blocks.values())

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _CELL_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not 0 <= row < self._count or not 0 <= column < len(self._columns):
            return None
        entry = self.entry(row)
        if entry is None:
            block = row // self._block
            if block not in self._requested:
                self._want(block)
            return PLACEHOLDER if role == _DISPLAY else None
        self._blocks.move_to_end(row // self._block)
        return self._value(entry, self._columns[column], role)

    # ------------------------------------------------------------------ display

    def _header_texts(self) -> list[str]:
        if self.kind == reg.INCOMING:
            return [self.tr("Số đến"), self.tr("Ngày đến"), self.tr("Tác giả"),
                    self.tr("Số, ký hiệu"), self.tr("Ngày văn bản"), self.tr("Loại"),
                    self.tr("Trích yếu"), self.tr("Nơi nhận"), self.tr("Người chủ trì"),
                    self.tr("Hạn xử lý"), self.tr("Trạng thái"), self.tr("Đồng bộ")]
        return [self.tr("Số, ký hiệu"), self.tr("Ngày"), self.tr("Loại"), self.tr("Trích yếu"),
                self.tr("Người ký"), self.tr("Nơi nhận"), self.tr("Số bản"),
                self.tr("Trạng thái"), self.tr("Đồng bộ")]

    def _type(self, abbreviation: str | None) -> str:
        key = abbreviation or ""
        if key not in self._type_names:
            self._type_names[key] = texts.type_name(key)
        return self._type_names[key]

    def _text(self, entry: Entry, column: str) -> str:
        record = entry.record
        if column == "number":
            return record.get("label") or self.tr("(chưa có số)")
        if column == "symbol":
            return record.get("symbol") or self.tr("(dự thảo)")
        if column == "arrived":
            return entry.dates[0]
        if column == "document_date":
            return entry.dates[1]
        if column == "deadline":
            return entry.dates[2]
        if column == "issued":
            return entry.dates[0]
        if column == "type":
            return self._type(record.get("doc_type"))
        if column == "status":
            return self._status_names.get(record.get("status") or "", record.get("status") or "")
        if column == "sync":
            state = record.get("sync_state") or ""
            return self._sync_names.get(state, state)
        if column == "recipients":
            return "; ".join(record.get("recipients") or [])
        if column == "copies":
            return str(record.get("copies") or 1)
        if column == "lead":
            return record.get("lead") or ""
        return str(record.get(column) or "")

    def _value(self, entry: Entry, column: str, role: int) -> Any:
        record = entry.record
        if role == _DISPLAY:
            return self._text(entry, column)
        urgency = record.get("urgency") or "normal"
        void = record.get("status") == "void"
        if role == _FONT:
            if urgency != "normal":
                return self._bold
            return self._void_font if void else None
        if role == _FOREGROUND:
            deadline = entry.deadline_state
            if urgency != "normal" and not deadline:
                return self._urgent_brush
            if deadline:
                return self._brushes[(deadline, _FOREGROUND)]
            return self._void_brush if void else None
        if role == _BACKGROUND:
            deadline = entry.deadline_state
            return self._brushes[(deadline, _BACKGROUND)] if deadline else None
        if role == _DECORATION:
            if column in ("number", "symbol") and urgency != "normal":
                return urgency_icon(urgency)
            if column == "sync":
                return sync_state_icon(record.get("sync_state") or "")
            return None
        if role == _TOOLTIP:
            return self._tooltip(entry, column)
        if role == DocumentIdRole:
            return entry.id
        if role == UrgencyRole:
            return urgency
        if role == DeadlineRole:
            return entry.deadline_state
        if role == SyncStateRole:
            return record.get("sync_state") or ""
        if role == StatusRole:
            return record.get("status") or ""
        return None

    def _tooltip(self, entry: Entry, column: str) -> str | None:
        record = entry.record
        urgency = record.get("urgency") or "normal"
        if column in ("number", "symbol"):
            parts = []
            if urgency != "normal":
                parts.append(self.tr("Văn bản khẩn: %1").replace("%1", texts.urgency_name(urgency)))
            if (record.get("secrecy") or "none") != "none":
                parts.append(self.tr("Văn bản mật: %1").replace(
                    "%1", texts.secrecy_name(record["secrecy"])))
            if record.get("status") == "void":
                parts.append(self.tr("Đã hủy: %1").replace("%1", record.get("void_reason") or ""))
            return "\n".join(parts) or None
        if column == "deadline":
            if entry.deadline_state == "overdue":
                return self.tr("Quá hạn xử lý: %1").replace("%1", entry.dates[2])
            if entry.deadline_state == "due_soon":
                return self.tr("Sắp đến hạn xử lý: %1").replace("%1", entry.dates[2])
            return None
        if column == "sync":
            if record.get("sync_state") == "error":
                return self.tr("Lỗi: máy chủ từ chối (%1)").replace(
                    "%1", record.get("sync_reason") or "")
            if record.get("sync_state") == "conflict":
                return self.tr("Xung đột: cần người chọn giá trị giữ lại (trang Đồng bộ)")
            return None
        if column in ("summary", "author", "recipients", "recipient"):
            text = self._text(entry, column)
            return text or None
        return None

    # ------------------------------------------------------------------ answers

    def _answer(self, method: Callable[..., None], *args: Any) -> Callable[[Any], None]:
        """A job's callback holding the model weakly (see ui/dossier_model.py)."""
        model = weakref.ref(self)

        def call(value: Any) -> None:
            alive = model()
            if alive is not None and shiboken6.isValid(alive):
                method(alive, *args, value)
        return call

    def _query_done(self, generation: int, answer: tuple[int, dict[int, list[Entry]]]) -> None:
        self._in_flight -= 1
        if generation == self._generation:
            total, blocks = answer
            self._swap(total, blocks)
            self._loaded = True
            self.loaded.emit()
        self._after_answer()

    def _refreshed(self, generation: int, answer: tuple[int, dict[int, list[Entry]]]) -> None:
        self._in_flight -= 1
        if generation == self._generation:
            total, blocks = answer
            if total != self._count:
                self._swap(total, blocks)
            else:
                self._blocks.clear()
                self._requested.clear()
                for block, rows in blocks.items():
                    if rows:
                        self._blocks[block] = rows
                if self._count:
                    self.dataChanged.emit(self.index(0, 0),
                                          self.index(self._count - 1, len(self._columns) - 1))
            self.loaded.emit()
        self._after_answer()

    def _query_failed(self, generation: int, error: BaseException) -> None:
        self._in_flight -= 1
        if generation == self._generation:
            self.load_failed.emit(error)
        self._after_answer()

    def _after_answer(self) -> None:
        if self._again and not self._in_flight:
            self._again = False
            self.refresh()

    def _swap(self, total: int, blocks: dict[int, list[Entry]]) -> None:
        self.beginResetModel()
        self._count = total
        self._blocks.clear()
        self._requested.clear()
        self._wanted.clear()
        self._generation += 1  # block answers asked before the swap are for other rows
        for block, rows in blocks.items():
            if rows:
                self._blocks[block] = rows
        self.endResetModel()

    def _records_changed(self, record_type: str, _ids: frozenset[str]) -> None:
        if record_type == self._record_type:
            self.refresh()

    # ------------------------------------------------------------------ blocks

    def _want(self, block: int) -> None:
        self._requested.add(block)
        self._wanted.append(block)
        if not self._pump_timer.isActive():
            self._pump_timer.start()

    def _pump(self) -> None:
        if self._fetching or not self._wanted:
            return
        blocks: list[int] = []
        while self._wanted and len(blocks) < BLOCKS_PER_JOB:
            block = self._wanted.pop()
            if block in self._blocks:
                self._requested.discard(block)
            elif block not in blocks:
                blocks.append(block)
        if not blocks:
            return
        self._fetching = True
        generation, kind, query, size, total = (self._generation, self.kind, self._query,
                                                self._block, self._count)
        self._desk.tasks.db(
            lambda store: read_blocks(store, kind, query, blocks, size, total),
            self._answer(RegisterModel._blocks_done, generation, blocks),
            self._answer(RegisterModel._blocks_failed, generation, blocks))

    def _blocks_done(self, generation: int, blocks: list[int],
                     answer: tuple[int, dict[int, list[Entry]]]) -> None:
        self._fetching = False
        if generation == self._generation:
            self._requested.difference_update(blocks)
            _, found = answer
            for block, rows in found.items():
                if rows:
                    self._blocks[block] = rows
                    self._blocks.move_to_end(block)
            while len(self._blocks) > self._max_blocks:
                forgotten, _ = self._blocks.popitem(last=False)
                self._requested.discard(forgotten)
            first = min(blocks) * self._block
            last = min((max(blocks) + 1) * self._block, self._count) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0),
                                      self.index(last, len(self._columns) - 1))
                self.rows_loaded.emit(first, last)
        self._pump()

    def _blocks_failed(self, generation: int, blocks: list[int], error: BaseException) -> None:
        self._fetching = False
        if generation == self._generation:
            self._requested.difference_update(blocks)
            self.load_failed.emit(error)
        self._pump()

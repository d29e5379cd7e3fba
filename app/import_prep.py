"""What a dossier import prepares before it writes: validation, due times and ready JSON rows.

Everything here is pure (no database, no clock but the ids it makes), so it runs wherever the
import puts it: in the calling thread for a single dossier or a one-batch import, in helper
processes for a bulk import (``Store.import_records``, docs/decisions/0011). A prepared dossier
carries its rows as JSON text, so handing it back from a helper process and writing it cost
the writing process almost no Python: it only numbers the dossiers that came without a code
and joins the texts (decision 0011).
"""

from __future__ import annotations

import contextlib
import gc
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from datetime import date
from typing import Any, NamedTuple

import orjson

from app import dossier as records
from app.catalogue import Catalogue, Procedure, UnknownProcedure
from app.errors import DomainError, InvalidRecord, MalformedLine
from app.identity import CheckWarning
from app.ids import new_id
from app.search_index import search_text_without_code, sort_key
from app.workcalendar import CalendarRangeError, DueTimeCalculator

# Record types of the outbox (app.store re-exports them with the others).
DOSSIER = "dossier"
DOSSIER_EVENT = "dossier_event"
# The dossiers columns a prepared row holds, in order; the writer adds ``code`` in front (it
# may number the dossier) and ``updated_at`` (the write time).
ROW_COLUMNS = (
    *(key for key in records.RECORD_KEYS
      if key not in ("code", "applicant", "co_applicants", "papers")),
    *(f"applicant_{key}" for key in records.PERSON_KEYS),
    "co_applicants", "papers", "applicant_sort_key", "rev",
)
EVENT_COLUMNS = ("id", "dossier_id", "kind", "from_status", "to_status", "actor", "at", "note")
# An outbox row as prepared; the writer adds ``created_at`` (the write time).
OUTBOX_COLUMNS = ("op_id", "record_type", "record_id", "base_rev", "fields")


class Prepared(NamedTuple):
    """A validated dossier ready to write, but for what its transaction decides: the code of a
    dossier that came without one, and the write time. Rows are JSON text in the column orders
    above; a tuple of strings crosses to another process at the cost of a copy."""

    line_no: int
    id: str
    code: str | None  # as it came; None: the writer numbers it in its slot
    received_day: date  # in Vietnam: the day its code is numbered in
    row: str  # its dossiers row's ROW_COLUMNS values, comma-separated, no brackets
    event: str  # its "received" event's row
    outbox: str  # the two outbox rows (the dossier, the event), comma-separated
    search: str  # its search row's first two values (id, folded names), comma-separated
    other: str  # JSON string of " " and the folded other text; the writer puts the code first


class Batch(NamedTuple):
    """Import lines as a helper prepared them: the count read, the dossiers ready to write,
    and the lines refused (line, code, detail) or warned about."""

    lines: int
    items: list[Prepared]
    errors: list[tuple[int, str, str]]
    warnings: list[tuple[int, CheckWarning]]

    def __reduce__(self) -> tuple[Any, ...]:
        """A batch crosses between processes as columns of plain values, its days as ordinals,
        so that pickle calls no class and no date constructor for each dossier: a batch of 20,000
        cost 23-31 µs a dossier to pickle and unpickle as ``Prepared``, 12-15 µs as columns (a
        one-off script; ``bench/import_split.py --writer-only`` prints today's cost)."""
        columns = [list(column) for column in zip(*self.items, strict=True)]
        if columns:
            columns[3] = [day.toordinal() for day in columns[3]]
        return _batch_from_columns, (self.lines, columns, self.errors, self.warnings)


def _batch_from_columns(lines: int, columns: list[list[Any]], errors: list[tuple[int, str, str]],
                        warnings: list[tuple[int, CheckWarning]]) -> Batch:
    """A ``Batch`` back from its pickled columns (``Batch.__reduce__``)."""
    if columns:
        columns[3] = list(map(date.fromordinal, columns[3]))
    return Batch(lines, list(map(Prepared._make, zip(*columns, strict=True))), errors, warnings)


def _json(value: Any) -> str:
    """Compact JSON text of a row's values. orjson: a sixth of a dossier's preparation went to
    json's encoder and decoder (py-spy of ``prepare_batch``), orjson does both ~5x faster."""
    return orjson.dumps(value).decode()


def procedure_in(catalogue: Catalogue, code: str, received_at: Any,
                 version: int | None) -> Procedure:
    """The procedure version a dossier received at ``received_at`` is handled under."""
    try:
        if version is not None:
            return catalogue.get(code, version)
        return catalogue.version_at(code, received_at.astimezone(records.VN_TZ).date())
    except UnknownProcedure:
        raise InvalidRecord(f"procedure_code: unknown procedure {code}",
                            field="procedure_code", procedure_code=code) from None


def prepare(record: dict[str, Any], catalogue: Catalogue, calculator: DueTimeCalculator,
            actor: str, line_no: int = 0) -> Prepared:
    """Fill in a normalised record (id, procedure version, due time) and build its rows;
    ``actor`` receives it when the record names nobody. Raises ``DomainError``."""
    received_at = records.parse_time(record["received_at"])
    procedure = procedure_in(catalogue, record["procedure_code"], received_at,
                             record["procedure_version"])
    dossier_id = record["id"] = record["id"] or new_id()
    record["procedure_version"] = procedure.version
    if record["due_at"] is None:
        try:
            due_at = calculator.due_at(received_at, procedure.time_limit_days)
        except CalendarRangeError:
            raise InvalidRecord("received_at: outside the working-day calendar",
                                field="received_at") from None
        record["due_at"] = records.utc_text(due_at)
        record["calendar_version"] = calculator.calendar.version
    record["calendar_version"] = record["calendar_version"] or "external"
    row = records.record_to_row(record)
    row["applicant_sort_key"] = sort_key(record)
    row["rev"] = 0
    event_id = new_id()
    names, other = search_text_without_code(record, procedure.name)
    # Ids, times and numbers need no JSON escaping: only the texts go through the encoder.
    return Prepared(
        line_no, dossier_id, record["code"], received_at.astimezone(records.VN_TZ).date(),
        _json([row[column] for column in ROW_COLUMNS])[1:-1],
        f'["{event_id}","{dossier_id}","received",null,{int(record["status"])},'
        f'{_json(record["received_by"] or actor)},"{record["received_at"]}",""]',
        f'["{new_id()}","{DOSSIER}","{dossier_id}",0,null],'
        f'["{new_id()}","{DOSSIER_EVENT}","{event_id}",0,null]',
        f'"{dossier_id}",{_json(names)}',
        _json(f" {other}"),
    )


def _parsed(raw: Any) -> Any:
    """An import line's object: text lines (JSON Lines) are parsed here, on the helper; a line
    without ``id`` gets the UUIDv5 of its content, so importing it again creates nothing."""
    if not isinstance(raw, str):
        return raw
    try:
        item = orjson.loads(raw)
    except orjson.JSONDecodeError as error:  # also what JSON does not allow: NaN, Infinity
        raise MalformedLine(str(error)) from None
    if isinstance(item, dict) and not item.get("id"):
        item["id"] = records.import_id(item)
    return item


def prepare_batch(lines: list[tuple[int, Any]], catalogue: Catalogue,
                  calculator: DueTimeCalculator, actor: str, today: date) -> Batch:
    """Validate and prepare import lines ``(line number, JSON text or object)``; a bad line
    becomes an error, not an exception. ``actor`` receives the dossiers that name nobody;
    ``today`` (the store's) bounds dates of birth."""
    batch = Batch(len(lines), [], [], [])
    with paused_cycle_collector():
        for line_no, raw in lines:
            try:
                record, warnings = records.normalize_input(_parsed(raw), today)
                batch.items.append(prepare(record, catalogue, calculator, actor, line_no))
            except DomainError as error:
                batch.errors.append((line_no, error.code, error.detail))
                continue
            batch.warnings.extend((line_no, warning) for warning in warnings)
    return batch


@contextlib.contextmanager
def paused_cycle_collector() -> Iterator[None]:
    """Python's cycle collector paused for bulk work, restored after it.

    An import keeps batches of 20,000 prepared dossiers alive, millions of objects the collector
    would walk again and again while they live (about a sixth of an import's time, measured).
    An import makes few reference cycles; they are collected once it ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# A helper process's catalogue, calculator, actor and date, set once when it starts.
_helper_context: tuple[Catalogue, DueTimeCalculator, str, date] | None = None


def start_helper(catalogue: Catalogue, calculator: DueTimeCalculator, actor: str,
                 today: date) -> None:
    """Initialiser of an import's helper process: what every batch needs, received once."""
    global _helper_context  # noqa: PLW0603 - one context for the life of the helper process
    _helper_context = (catalogue, calculator, actor, today)
    gc.freeze()  # the modules and reference data: never walked by the collector again


def prepare_in_helper(lines: list[tuple[int, Any]]) -> Batch:
    """``prepare_batch`` in a helper process started with ``start_helper``."""
    assert _helper_context is not None, "start_helper has not run in this process"
    return prepare_batch(lines, *_helper_context)


Chunk = list[tuple[int, Any]]


class _Given(NamedTuple):
    """A piece given to a helper, kept to take it back while no helper has started it."""

    future: Future[Batch]
    piece: Chunk


def batches_in_order(pieces: Iterator[Chunk], submit: Callable[[Chunk], Future[Batch]],
                     given_at_most: int, prepare_here: Callable[[Chunk], Batch],
                     per_batch: int) -> Iterator[Batch]:
    """Batches of ``per_batch`` pieces each, in the pieces' order, prepared by helpers
    (``submit`` gives one a piece) and by the caller (``prepare_here``), who writes them
    (decision 0011).

    Up to ``given_at_most`` pieces are given to the helpers ahead of the caller, so that they
    never wait for it. When the caller needs a piece that is not ready, it does not wait
    either: it takes back the first piece no helper has started (or, when the helpers have
    started them all, reads the next one) and prepares it itself. So the two sides share the
    preparation in whatever proportion keeps both busy: where writing is the slower side the
    caller never prepares, where preparing is it takes its share. What is written, and so the
    codes dossiers get, does not depend on who prepared what; a piece that fails to prepare,
    wherever, fails the iteration when its batch's turn comes, after the batches before it.
    """
    ahead: deque[_Given | Future[Batch]] = deque()  # in the pieces' order
    given = 0  # the ``_Given`` in ``ahead``

    def top_up() -> None:
        nonlocal given
        while given < given_at_most and (piece := next(pieces, None)) is not None:
            ahead.append(_Given(submit(piece), piece))
            given += 1

    def here(piece: Chunk) -> Future[Batch]:
        prepared: Future[Batch] = Future()
        try:
            prepared.set_result(prepare_here(piece))
        except Exception as error:  # noqa: BLE001 - raised when its turn comes
            prepared.set_exception(error)
        return prepared

    def take_one_back() -> bool:
        """Prepare here the first piece no helper has started; False: there is none."""
        nonlocal given
        for index, entry in enumerate(ahead):
            if isinstance(entry, _Given) and entry.future.cancel():
                given -= 1
                ahead[index] = here(entry.piece)
                return True
        if (piece := next(pieces, None)) is None:
            return False
        ahead.append(here(piece))
        return True

    top_up()
    batch: list[Batch] = []
    while ahead:
        head = ahead[0]
        if isinstance(head, _Given):
            if not head.future.done() and take_one_back():
                top_up()
                continue
            given -= 1
        ahead.popleft()
        top_up()
        batch.append((head.future if isinstance(head, _Given) else head).result())
        if len(batch) == per_batch:
            yield joined(batch)
            batch = []
    if batch:
        yield joined(batch)


def joined(batches: list[Batch]) -> Batch:
    """One batch of consecutive batches' lines."""
    if len(batches) == 1:
        return batches[0]
    return Batch(sum(batch.lines for batch in batches),
                 [item for batch in batches for item in batch.items],
                 [error for batch in batches for error in batch.errors],
                 [warning for batch in batches for warning in batch.warnings])

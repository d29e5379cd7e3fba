"""A bulk import prepared in helper processes (docs/decisions/0011): the same records, errors and
search as an import prepared in the calling thread, no process left behind, and the pieces it
relies on (reference data that crosses to a process, dates bounded by the store's clock)."""

from __future__ import annotations

import io
import json
import multiprocessing
import pickle
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime

import pytest

from app import records_io
from app.dossier import VN_TZ
from app.errors import InvalidField
from app.import_prep import Batch, batches_in_order, prepare_batch
from app.search import search
from tests.conftest import PASSPHRASE, dossier_input


def _jsonl() -> list[str]:
    """Import lines as a file holds them: good ones (with and without id, with a code, a
    marriage with a co-applicant), a malformed line, an unknown procedure, a blank line."""
    good = [
        dossier_input(id="5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b5f10"),
        dossier_input(applicant={**dossier_input()["applicant"], "full_name": "Trần Thị Ánh",
                                 "id_number": "001185054321", "sex": "female"},
                      notes="Xin cấp bản sao trích lục"),
        dossier_input(id="5b1c7c8e-6d5a-4b7f-9e52-0A1D3C4B5F12", code="09661-260106-0042"),
        dossier_input(procedure_code="1.000894", co_applicants=[{
            "full_name": "Lê Thị Hồng", "id_number": None, "date_of_birth": "1990",
            "sex": "female", "phone": None, "email": None, "address": None}]),
        dossier_input(received_at="2026-01-05T16:30:00+07:00",
                      applicant={**dossier_input()["applicant"], "full_name": "Phạm Minh Đức"}),
    ]
    lines = [json.dumps(record, ensure_ascii=False) + "\n" for record in good]
    lines.insert(2, '{"procedure_code": "1.001193", "received_at": \n')
    lines.insert(4, json.dumps(dossier_input(procedure_code="9.999999")) + "\n")
    lines.insert(5, "   \n")
    return lines


def _import(store, lines: list[str], **options):
    return store.import_records(records_io.jsonl_lines(io.StringIO("".join(lines))), **options)


def _export(store) -> str:
    out = io.StringIO()
    records_io.write_jsonl(store.export_records(), out)
    return out.getvalue()


@pytest.fixture
def second_store(tmp_path, clock):
    from app.profile import create_profile

    created = create_profile(tmp_path / "second", PASSPHRASE, "09661",
                             user_name="Nguyễn Thị Hoa", clock=clock)
    yield created
    created.db.close()


def test_helper_processes_prepare_what_the_calling_thread_would(store, second_store) -> None:
    lines = _jsonl()
    in_thread = _import(store, lines)  # one batch: prepared here
    in_helpers = _import(second_store, lines, batch_size=2, helpers=2)  # four batches
    assert in_helpers.errors == in_thread.errors
    assert [(line, code) for line, code, _ in in_helpers.errors] == [
        (3, "malformed_json"), (5, "invalid_record")]
    assert len(in_helpers.created) == len(in_thread.created) == 5
    assert _export(second_store) == _export(store)  # byte for byte: codes, due times, papers
    for table in ("dossier_events", "outbox"):
        assert [second_store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]] == [
            store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]]
    assert [hit["applicant_full_name"] for hit in search(second_store.db, "tran thi anh")] == [
        "Trần Thị Ánh"]
    assert [hit["code"] for hit in search(second_store.db, "09661-260106-0042")] == [
        "09661-260106-0042"]
    assert len(search(second_store.db, "ket hon")) == 1  # the procedure's name is indexed too
    again = _import(second_store, lines, batch_size=2, helpers=2)
    assert again.created == [] and len(again.already_present) == 5  # ids of the content


def test_no_helper_process_outlives_the_import(store) -> None:
    lines = [(n, dossier_input(id=f"5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b6{n:03d}"))
             for n in range(1, 8)]
    result = store.import_records(lines, batch_size=3, helpers=2)
    assert len(result.created) == 7
    assert multiprocessing.active_children() == []


def test_a_failure_to_prepare_stops_the_import_with_the_batches_before_it_kept(
        store, monkeypatch) -> None:
    """Line 3 cannot be prepared wherever its piece goes: a helper cannot receive it (it cannot
    be pickled), and here ``prepare_batch`` refuses it. Lines 1 and 2, the batch before it,
    are written, whichever side prepared what."""
    class Unpicklable:
        def __reduce__(self):
            raise TypeError("cannot travel")

    def prepare_here(lines, *context):
        if any(isinstance(raw, Unpicklable) for _, raw in lines):
            raise TypeError("cannot travel")
        return prepare_batch(lines, *context)

    monkeypatch.setattr("app.store.prepare_batch", prepare_here)
    lines = [(1, dossier_input(id="5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b7001")),
             (2, dossier_input(id="5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b7002")),
             (3, Unpicklable()), (4, dossier_input())]
    with pytest.raises(TypeError, match="cannot travel"):
        store.import_records(lines, batch_size=2, helpers=1)
    assert store.db.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 2
    assert multiprocessing.active_children() == []


def _pieces(count: int):
    return iter([[(n, None)] for n in range(count)])


def _batch(piece, where: str) -> Batch:
    """A stand-in batch that says which piece it is and who prepared it."""
    return Batch(1, [], [(piece[0][0], where, "")], [])


def _order(batches) -> list[tuple[int, str]]:
    """(piece, who prepared it) of each piece of the batches, in order."""
    return [error[:2] for batch in batches for error in batch.errors]


def _done(piece) -> Future:
    future = Future()
    future.set_result(_batch(piece, "helper"))
    return future


def _here(piece) -> Batch:
    return _batch(piece, "here")


def test_the_writer_does_not_prepare_while_the_helpers_keep_ahead() -> None:
    """Helpers that always have the next pieces ready: the writer only writes."""
    batches = list(batches_in_order(_pieces(10), _done, 4, _here, per_batch=3))
    assert [batch.lines for batch in batches] == [3, 3, 3, 1]
    assert _order(batches) == [(n, "helper") for n in range(10)]


def test_the_writer_takes_back_the_pieces_no_helper_has_started_in_order() -> None:
    """Helpers that never start (every future stays pending): the writer prepares every
    piece itself, the first needed first, instead of waiting."""
    prepared_here: list[int] = []

    def here(piece):
        prepared_here.append(piece[0][0])
        return _here(piece)

    batches = batches_in_order(_pieces(10), lambda piece: Future(), 4, here, per_batch=2)
    assert _order(batches) == [(n, "here") for n in range(10)]
    assert prepared_here == list(range(10))


def test_a_busy_helper_keeps_its_piece_and_the_writer_prepares_the_next_ones() -> None:
    """A helper still preparing piece 0: the writer prepares pieces 1, 2, 3 meanwhile, in
    that order, and the batches still come out in order, each piece prepared once."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        release = threading.Event()
        started = threading.Event()
        prepared_here: list[int] = []

        def slow_helper(piece):
            started.set()
            release.wait(10)
            return _batch(piece, "helper")

        def submit(piece):
            future = pool.submit(slow_helper, piece)
            if piece[0][0] == 0:
                started.wait(10)  # piece 0 has begun: it cannot be taken back
            return future

        def here(piece):
            prepared_here.append(piece[0][0])
            if piece[0][0] == 3:
                release.set()
            return _here(piece)

        order = _order(batches_in_order(_pieces(12), submit, 8, here, per_batch=4))
    assert order[:4] == [(0, "helper"), (1, "here"), (2, "here"), (3, "here")]
    assert prepared_here[:3] == [1, 2, 3]
    assert [n for n, _ in order] == list(range(12))
    assert sorted(prepared_here) == [n for n, who in order if who == "here"]


def test_a_piece_that_fails_to_prepare_fails_in_its_batchs_turn() -> None:
    """Piece 3, prepared by the writer while a helper prepares piece 2, fails: the batch of
    pieces 0 and 1 still comes out first, then the error."""
    futures: dict[int, Future] = {}

    def submit(piece):
        n = piece[0][0]
        futures[n] = future = _done(piece) if n == 0 else Future()
        if n == 2:
            future.set_running_or_notify_cancel()  # started: the writer cannot take it back
        return future

    def here(piece):
        if piece[0][0] == 3:
            futures[2].set_result(_batch([(2, None)], "helper"))
            raise ValueError("piece 3 cannot be prepared")
        return _here(piece)

    batches = batches_in_order(_pieces(6), submit, 4, here, per_batch=2)
    assert _order([next(batches)]) == [(0, "helper"), (1, "here")]
    with pytest.raises(ValueError, match="piece 3"):
        next(batches)


def test_a_helpers_failure_fails_in_its_turn() -> None:
    def submit(piece):
        if piece[0][0] != 1:
            return _done(piece)
        future = Future()
        future.set_exception(RuntimeError("the helper stopped"))
        return future

    batches = batches_in_order(_pieces(4), submit, 4, _here, per_batch=1)
    assert _order([next(batches)]) == [(0, "helper")]
    with pytest.raises(RuntimeError, match="the helper stopped"):
        next(batches)


def test_reference_data_crosses_to_a_helper_process_unchanged(store) -> None:
    calculator = store.due_calculator
    copy = pickle.loads(pickle.dumps(calculator))
    received = datetime(2026, 4, 29, 15, 30, tzinfo=VN_TZ)  # before 30/4 and 1/5
    for days in (0, 1, 3, 12):
        assert copy.due_at(received, days) == calculator.due_at(received, days)
    assert copy.calendar.version == calculator.calendar.version
    assert pickle.loads(pickle.dumps(store.catalogue)).version_at(
        "1.001193", received.date()) == store.catalogue.version_at("1.001193", received.date())


def test_a_date_of_birth_after_the_stores_today_is_refused(store) -> None:
    """The store's clock says 6 January 2026: a birth on 1 February 2026 has not happened,
    whatever the computer's own date says (here, later)."""
    later = {**dossier_input()["applicant"], "date_of_birth": "2026-02-01"}
    with pytest.raises(InvalidField, match="in the future"):
        store.create_dossier(dossier_input(applicant=later))
    result = store.import_records([(1, dossier_input(applicant=later))])
    assert [(line, code) for line, code, _ in result.errors] == [(1, "invalid_field")]


def test_progress_counts_the_lines_handled_batch_by_batch(store) -> None:
    heard: list[int] = []
    lines = [(n, dossier_input(id=f"5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b8{n:03d}")) for n in range(1, 7)]
    lines.insert(3, (99, {"not": "a dossier"}))
    result = store.import_records(lines, batch_size=2, helpers=1, progress=heard.append)
    assert heard == [2, 4, 6, 7] and result.lines == 7
    assert len(result.created) == 6 and [line for line, _, _ in result.errors] == [99]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_batch_holds_batch_size_lines_whatever_its_pieces(store) -> None:
    """17 lines a batch, prepared in 16 pieces of 1 or 2 lines: progress is heard at 17, 34
    and 50 lines, and every dossier is in."""
    heard: list[int] = []
    lines = [(n, dossier_input(id=f"5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b9{n:03d}"))
             for n in range(1, 51)]
    result = store.import_records(lines, batch_size=17, helpers=1, progress=heard.append)
    assert heard == [17, 34, 50]
    assert len(result.created) == 50 and result.errors == []


def test_the_cli_shows_import_progress_on_a_terminal_only(store, tmp_path, monkeypatch) -> None:
    from app import cli

    source = tmp_path / "dossiers.jsonl"
    source.write_text("".join(_jsonl()), encoding="utf-8")
    profile = str(tmp_path / "profile")  # the store fixture's
    monkeypatch.setenv("COMMUNEDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("COMMUNEDESK_LANG", "vi")
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert cli.main(["--profile", profile, "import", "dossiers", str(source)]) == 1
    shown = terminal.getvalue()
    assert "\rĐang nhập… đã xử lý 7 dòng\n" in shown  # the count, then the line ends
    assert "dòng 3" in shown.lower()  # the malformed line is still reported by number
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    assert cli.main(["--profile", profile, "import", "dossiers", str(source)]) == 1
    assert "Đang nhập" not in piped.getvalue()


def test_nan_and_infinity_are_not_json(store) -> None:
    """JSON has no NaN or Infinity (Python's json module reads them): such a line is malformed,
    reported as such, and the lines around it still go in."""
    good = json.dumps(dossier_input(), ensure_ascii=False) + "\n"
    lines = ['{"procedure_code": "1.001193", "sets_count": NaN}\n', good,
             '{"procedure_code": "1.001193", "sets_count": -Infinity}\n']
    result = _import(store, lines)
    assert [(line, code) for line, code, _ in result.errors] == [
        (1, "malformed_json"), (3, "malformed_json")]
    assert len(result.created) == 1


def test_a_prepared_batch_crosses_to_another_process_whole(store) -> None:
    """A batch travels as columns (``Batch.__reduce__``): every dossier's values, their day
    and order, the errors and the warnings come back as they left, an empty batch too."""
    lines = list(records_io.jsonl_lines(io.StringIO("".join(_jsonl()))))
    batch = prepare_batch(lines, store.catalogue, store.due_calculator, store.actor,
                          store.today())
    assert len(batch.items) == 5 and batch.errors
    assert pickle.loads(pickle.dumps(batch)) == batch
    assert [item.received_day for item in pickle.loads(pickle.dumps(batch)).items] == [
        item.received_day for item in batch.items]
    nothing = prepare_batch([(1, "{")], store.catalogue, store.due_calculator, store.actor,
                            store.today())
    assert nothing.items == [] and pickle.loads(pickle.dumps(nothing)) == nothing

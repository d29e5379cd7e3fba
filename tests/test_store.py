"""The store API on a real SQLCipher profile: intake, codes, outbox, transitions, attachments."""

from __future__ import annotations

import gc
import unicodedata
import uuid
from datetime import datetime, timedelta

import pytest
import sqlcipher3.dbapi2 as sqlite3

from app.dossier import VN_TZ
from app.errors import IllegalTransition, InvalidField, InvalidRecord, SlotExhausted
from app.search import search
from app.status import Status
from app.store import DOSSIER, DOSSIER_EVENT
from tests.conftest import dossier_input

RECOGNITION = "1.001022"  # recognition of parent and child: 3 working days


def count(store, table: str) -> int:
    return store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_intake_numbers_computes_due_time_and_queues_the_change(store) -> None:
    record, warnings = store.create_dossier(dossier_input())
    assert warnings == []
    assert record["code"] == "09661-260106-9000"  # stand-alone slot of a never-synced profile
    assert record["due_at"] == "2026-01-06T17:00:00+07:00"  # same-day rule, received 09:00
    assert record["received_at"] == "2026-01-06T09:00:00+07:00"
    assert record["procedure_version"] == 1
    assert record["calendar_version"] == store.setting("calendar.version")
    assert record["status"] == Status.RECEIVED
    assert store.sync_state(DOSSIER, record["id"]) == ("pending", None)
    ops = store.pending_operations()
    assert [(op.record_type, op.created, op.base_rev) for op in ops] == [
        (DOSSIER, True, 0), (DOSSIER_EVENT, True, 0)]
    assert ops[0].record_id == record["id"]
    assert ops[0].fields["applicant.full_name"] == "Nguyễn Văn Đức"
    assert ops[0].fields["code"] == record["code"]
    assert ops[0].fields["papers"] == record["papers"]
    assert ops[1].fields["kind"] == "received"
    assert ops[1].fields["dossier_id"] == record["id"]


def test_text_enters_as_nfc_and_phone_as_e164(store) -> None:
    decomposed = unicodedata.normalize("NFD", "Trần Thị Hương")
    record, _ = store.create_dossier(dossier_input(applicant={
        "full_name": f"  {decomposed}  ", "phone": "0912 345 678"}))
    assert record["applicant"]["full_name"] == "Trần Thị Hương"
    assert unicodedata.is_normalized("NFC", record["applicant"]["full_name"])
    assert record["applicant"]["phone"] == "+84912345678"


def test_warnings_do_not_block_a_save(store) -> None:
    record, warnings = store.create_dossier(dossier_input(applicant={
        "full_name": "Lê Thị Mai", "id_number": "001085012345", "sex": "female",
        "date_of_birth": "1990-01-01", "phone": "12345"}))
    codes = {w.code for w in warnings}
    assert {"id_sex_mismatch", "id_birth_year_mismatch", "phone_invalid"} <= codes
    assert record["applicant"]["phone"] == "12345"  # kept as typed, flagged, not refused


def test_a_failed_write_leaves_neither_record_nor_operation(store) -> None:
    store.db.execute("CREATE TEMP TRIGGER outbox_fails BEFORE INSERT ON outbox "
                     "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(sqlite3.DatabaseError, match="disk full"):
        store.create_dossier(dossier_input())
    assert count(store, "dossiers") == count(store, "outbox") == 0
    assert count(store, "dossier_events") == 0
    assert count(store, "dossier_search") == 0
    store.db.execute("DROP TRIGGER outbox_fails")
    record, _ = store.create_dossier(dossier_input())
    assert record["code"].endswith("-9000")  # the failed attempt burnt no number


def test_codes_follow_the_daily_sequence_in_the_slot(store) -> None:
    codes = [store.create_dossier(dossier_input())[0]["code"] for _ in range(3)]
    assert codes == ["09661-260106-9000", "09661-260106-9001", "09661-260106-9002"]
    next_day = store.create_dossier(dossier_input(received_at="2026-01-07T08:00:00+07:00"))[0]
    assert next_day["code"] == "09661-260107-9000"


def test_running_out_of_a_slot_is_an_error_not_a_wrap(store) -> None:
    store.set_setting("codes.slot", "1-2")
    store.create_dossier(dossier_input())
    store.create_dossier(dossier_input())
    with pytest.raises(SlotExhausted) as caught:
        store.create_dossier(dossier_input())
    assert caught.value.params == {"day": "2026-01-06", "first": 1, "last": 2}
    assert count(store, "dossiers") == 2


def test_unit_identifier_setting_shapes_the_code(store) -> None:
    store.set_setting("commune.unit_id", "000.00.20.H13")
    store.set_setting("codes.slot", "7-100")
    record, _ = store.create_dossier(dossier_input(received_at="2025-07-01T08:00:00+07:00"))
    assert record["code"] == "000.00.20.H13-250701-0007"


def test_procedure_version_follows_the_receipt_date(store) -> None:
    before, _ = store.create_dossier(dossier_input(received_at="2027-02-26T09:00:00+07:00"))
    after, _ = store.create_dossier(dossier_input(received_at="2027-03-01T09:00:00+07:00"))
    assert (before["procedure_version"], after["procedure_version"]) == (1, 2)


def test_unknown_procedure_and_bad_dates_are_refused(store) -> None:
    with pytest.raises(InvalidRecord, match="procedure_code"):
        store.create_dossier(dossier_input(procedure_code="9.999999"))
    with pytest.raises(InvalidField, match="received_at"):
        store.create_dossier(dossier_input(received_at="2026-02-30T09:00:00+07:00"))
    with pytest.raises(InvalidRecord, match="applicant"):
        store.create_dossier(dossier_input(applicant={"full_name": ""}))
    assert count(store, "dossiers") == 0


def test_transition_records_event_and_operation(store, clock) -> None:
    record, _ = store.create_dossier(dossier_input())
    clock.advance(timedelta(hours=1))
    moved = store.transition(record["code"], 4, note="Chuyển chuyên viên")
    assert moved["status"] == 4
    events = store.events(record["id"])
    assert [(e["kind"], e["from_status"], e["to_status"]) for e in events] == [
        ("received", None, 2), ("status", 2, 4)]
    assert events[1]["actor"] == "Nguyễn Thị Hoa"
    assert events[1]["note"] == "Chuyển chuyên viên"
    assert store.pending_operations()[-2].fields == {"status": 4}


def test_illegal_transition_changes_nothing(store) -> None:
    record, _ = store.create_dossier(dossier_input())
    before = count(store, "outbox")
    with pytest.raises(IllegalTransition):
        store.transition(record["id"], Status.RESULT_RETURNED)
    assert store.record(record["id"])["status"] == 2
    assert count(store, "outbox") == before
    assert len(store.events(record["id"])) == 1


def test_supplement_pause_moves_the_due_time(store, clock) -> None:
    # DOMAIN.md: 3 working days received Mon 05/01 09:00, supplement asked Mon 10:00 and
    # received Tue 10:00 -> due Fri 09/01 09:00 instead of Thu 08/01 09:00.
    record, _ = store.create_dossier(dossier_input(
        procedure_code=RECOGNITION, received_at="2026-01-05T09:00:00+07:00"))
    assert record["due_at"] == "2026-01-08T09:00:00+07:00"
    clock.moment = datetime(2026, 1, 5, 10, 0, tzinfo=VN_TZ)
    store.transition(record["id"], Status.SUPPLEMENT_REQUESTED)
    clock.moment = datetime(2026, 1, 6, 10, 0, tzinfo=VN_TZ)
    resumed = store.transition(record["id"], Status.PROCESSING)
    assert resumed["due_at"] == "2026-01-09T09:00:00+07:00"


def test_set_field_updates_record_index_and_outbox(store) -> None:
    record, _ = store.create_dossier(dossier_input())
    store.db.execute("UPDATE dossiers SET rev = 7, sync_state = 'error', "
                     "sync_reason = 'rejected' WHERE id = ?", [record["id"]])
    store.set_field(record["code"], "notes", "Đã gọi điện hẹn")
    store.set_field(record["code"], "applicant.phone", "+84 98 765 4321")
    store.set_field(record["code"], "applicant.address", "Thôn Đông, xã Minh Châu")
    after = store.record(record["id"])
    assert after["notes"] == "Đã gọi điện hẹn"
    assert after["applicant"]["phone"] == "+84987654321"
    assert after["applicant"]["address"] == "Thôn Đông, xã Minh Châu"
    ops = [op.fields for op in store.pending_operations() if op.base_rev == 7]
    assert ops == [{"notes": "Đã gọi điện hẹn"}, {"applicant.phone": "+84987654321"},
                   {"applicant.address": "Thôn Đông, xã Minh Châu"}]
    # a person's edit takes the record out of its error state
    assert store.sync_state(DOSSIER, record["id"]) == ("pending", None)
    assert [r["id"] for r in search(store.db, "goi dien")] == [record["id"]]


def test_an_operation_carries_the_latest_value_of_its_fields(store) -> None:
    record, _ = store.create_dossier(dossier_input())
    store.set_field(record["id"], "notes", "lần một")
    store.set_field(record["id"], "notes", "lần hai")
    notes_ops = [op for op in store.pending_operations() if "notes" in op.fields]
    assert [op.fields["notes"] for op in notes_ops] == ["lần hai"] * 3  # the create included
    assert len({op.op_id for op in notes_ops}) == 3


def test_only_some_fields_are_editable(store) -> None:
    record, _ = store.create_dossier(dossier_input())
    with pytest.raises(InvalidField):
        store.set_field(record["id"], "status", "10")


def test_events_are_append_only(store) -> None:
    store.create_dossier(dossier_input())
    with pytest.raises(Exception, match="append-only"):
        store.db.execute("UPDATE dossier_events SET note = 'sửa'")
    with pytest.raises(Exception, match="append-only"):
        store.db.execute("DELETE FROM dossier_events")


def test_import_reports_bad_lines_and_keeps_the_rest(store) -> None:
    lines = [
        (1, dossier_input(id="5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b5e61")),
        (2, dossier_input(procedure_code="9.999999")),
        (3, {"not": "a dossier"}),
        (4, dossier_input(id="5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b5e62",
                          received_at="2026-01-06T10:00:00+07:00")),
    ]
    result = store.import_records(lines, batch_size=3)
    assert len(result.created) == 2
    assert [(line, code) for line, code, _ in result.errors] == [
        (2, "invalid_record"), (3, "invalid_record")]
    again = store.import_records(lines)
    assert again.created == [] and len(again.already_present) == 2
    assert count(store, "dossiers") == 2


def test_import_line_the_database_refuses_is_isolated(store) -> None:
    first, _ = store.create_dossier(dossier_input())
    clash = dossier_input(id="5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b5e63", code=first["code"])
    fine = dossier_input(id="5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b5e64")
    result = store.import_records([(1, fine), (2, clash)])
    assert result.created == ["5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b5e64"]
    assert [(line, code) for line, code, _ in result.errors] == [(2, "duplicate_code")]


def test_attachment_bytes_are_encrypted_and_deduplicated(store) -> None:
    record, _ = store.create_dossier(dossier_input())
    scan = b"%PDF-1.7 Giay khai sinh cua Nguyen Van Duc 001085012345" * 50
    first = store.add_attachment(record["id"], scan, "/tmp/giấy khai sinh.pdf",
                                 "application/pdf")
    second = store.add_attachment(record["id"], scan, "ban sao.pdf", "application/pdf")
    assert store.attachment_bytes(first) == store.attachment_bytes(second) == scan
    blobs = list((store.blobs.root).rglob("*"))
    files = [b for b in blobs if b.is_file()]
    assert len(files) == 1
    assert b"Nguyen Van Duc" not in files[0].read_bytes()
    names = [a["file_name"] for a in store.attachments(record["id"])]
    assert sorted(names) == ["ban sao.pdf", "giấy khai sinh.pdf"]  # the folder is dropped


def test_oversize_attachment_is_refused(store) -> None:
    record, _ = store.create_dossier(dossier_input())
    store.set_setting("attachments.max_bytes", "10")
    with pytest.raises(InvalidField):
        store.add_attachment(record["id"], b"x" * 11, "a.jpg", "image/jpeg")
    assert store.attachments(record["id"]) == []


def test_list_is_in_vietnamese_order_of_given_names(store) -> None:
    for name in ["Trần Văn Đức", "Nguyễn Thị Ánh", "Lê Văn Dũng", "Phạm Thị An", "Hồ Yến"]:
        store.create_dossier(dossier_input(applicant={"full_name": name}))
    names = [r["applicant_full_name"] for r in store.list_dossiers()]
    assert names == ["Phạm Thị An", "Nguyễn Thị Ánh", "Lê Văn Dũng", "Trần Văn Đức", "Hồ Yến"]


def test_status_counts_overdue_from_the_due_time(store, clock) -> None:
    store.create_dossier(dossier_input())
    assert store.status()["overdue"] == 0
    clock.moment = datetime(2026, 1, 6, 17, 1, tzinfo=VN_TZ)
    status = store.status()
    assert status["overdue"] == 1 and status["dossiers"] == 1 and status["pending"] == 2


def test_two_slots_never_clash(tmp_path, clock) -> None:
    from app.profile import create_profile

    machines = [create_profile(tmp_path / name, "pw", "09661", clock=clock) for name in "ab"]
    machines[0].set_setting("codes.slot", "1-4999")
    machines[1].set_setting("codes.slot", "5000-8999")
    codes = [m.create_dossier(dossier_input())[0]["code"] for _ in range(20) for m in machines]
    assert len(set(codes)) == 40


def test_a_slot_source_decides_the_numbers(store) -> None:
    from app.codes import Slot

    class ServerSlot:
        def current_slot(self) -> Slot:
            return Slot(100, 101, "server")

    store.slot_source = ServerSlot()
    codes = [store.create_dossier(dossier_input())[0]["code"][-4:] for _ in range(2)]
    assert codes == ["0100", "0101"]
    with pytest.raises(SlotExhausted):
        store.create_dossier(dossier_input())


def test_import_of_records_without_ids_keeps_each_of_them(store) -> None:
    result = store.import_records([(1, dossier_input()), (2, dossier_input())])
    assert len(result.created) == 2 and len(set(result.created)) == 2
    assert result.already_present == []


def test_ids_the_store_makes_are_time_ordered(store) -> None:
    """Events and outbox operations get UUIDv7 ids (app/ids.py): made later, they sort later,
    so new rows append to their indexes instead of rewriting random pages in a bulk import."""
    for _ in range(3):
        store.create_dossier(dossier_input())
    op_ids = [op_id for (op_id,) in store.db.execute("SELECT op_id FROM outbox ORDER BY seq")]
    event_ids = [i for (i,) in store.db.execute("SELECT id FROM dossier_events ORDER BY rowid")]
    assert len(op_ids) == 6 and len(event_ids) == 3
    assert op_ids == sorted(op_ids) and event_ids == sorted(event_ids)
    assert {uuid.UUID(i).version for i in op_ids + event_ids} == {7}


def test_import_over_many_batches_keeps_every_line_in_order(store) -> None:
    """Batches are prepared on a helper thread while the previous one is written: lines,
    codes, outbox order, refusals and repeats still come out as if read one by one."""
    first, _ = store.create_dossier(dossier_input())
    ids = [f"5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b5{n:03d}" for n in range(9)]
    lines = [
        (1, dossier_input(id=ids[0], applicant={"full_name": "Lê Thị Ánh"})),
        (2, dossier_input(id=ids[1])),
        (3, {"not": "a dossier"}),
        (4, dossier_input(id=ids[0])),  # line 1 again, in the next batch
        (5, dossier_input(id=ids[2], code=first["code"])),  # the database refuses it
        (6, dossier_input(id=ids[3], notes='ghi chú "có ngoặc" \\ và \'; DROP TABLE x; --')),
        (7, dossier_input(id=ids[4], received_at="2026-01-07T08:00:00+07:00")),
    ]
    result = store.import_records(lines, batch_size=2)
    assert result.created == [ids[0], ids[1], ids[3], ids[4]]
    assert result.already_present == [ids[0]]
    assert [(line, code) for line, code, _ in result.errors] == [
        (3, "invalid_record"), (5, "duplicate_code")]
    codes = [store.record(i)["code"] for i in result.created]
    assert [c[-4:] for c in codes] == ["9001", "9002", "9003", "9000"]  # 7 January starts anew
    assert store.record(ids[3])["notes"] == 'ghi chú "có ngoặc" \\ và \'; DROP TABLE x; --'
    assert store.record(ids[0])["applicant"]["full_name"] == "Lê Thị Ánh"
    created = [r for (r,) in store.db.execute(
        "SELECT record_id FROM outbox WHERE record_type = ? ORDER BY seq", [DOSSIER])]
    assert created == [first["id"], *result.created]
    assert [hit["id"] for hit in search(store.db, "le thi anh")] == [ids[0]]
    assert count(store, "dossier_events") == 5
    assert store.db.execute("SELECT sum(json_array_length(papers)) FROM dossiers").fetchone() == (5,)


def test_import_stops_with_the_error_of_its_source_and_keeps_earlier_batches(store) -> None:
    def lines():
        yield 1, dossier_input(id="5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b5f01")
        yield 2, dossier_input(id="5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b5f02")
        raise OSError("the disk went away")

    with pytest.raises(OSError, match="disk went away"):
        store.import_records(lines(), batch_size=2)
    assert count(store, "dossiers") == 2
    assert gc.isenabled()  # the collector paused for the import is back


def test_import_pauses_the_cycle_collector_only_while_it_runs(store) -> None:
    seen: list[bool] = []

    def lines():
        seen.append(gc.isenabled())
        yield 1, dossier_input()

    store.import_records(lines())
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        store.import_records([(1, dossier_input())])
        assert not gc.isenabled()  # a caller's own pause is left as it was
    finally:
        gc.enable()


def test_new_codes_skip_a_number_another_dossier_holds(store) -> None:
    """A dossier that came with a code inside this machine's slot (imported, or pulled from
    the server) keeps it; the machine's numbering goes round it, in an import as at the desk."""
    first, _ = store.create_dossier(dossier_input())
    unit_day = first["code"][:-5]
    held = dossier_input(id="5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b5a01", code=f"{unit_day}-9002")
    result = store.import_records([
        (1, held), (2, dossier_input(id="5b1c7c8e-6d5a-4b7f-9e52-0a1d3c4b5a02"))])
    assert not result.errors
    later, _ = store.create_dossier(dossier_input())
    numbers = [store.record(i)["code"][-4:] for i in (first["id"], *result.created, later["id"])]
    assert numbers == ["9000", "9002", "9001", "9003"]

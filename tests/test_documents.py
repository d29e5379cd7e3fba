"""The correspondence registers in the store (app/documents.py, app/leases.py, the document
parts of app/sync_local.py and app/conflicts.py) on real SQLCipher profiles.

The ``store`` fixture is a stand-alone profile (never met a server), which holds every lease
under epoch 0 (docs/correspondence.md); ``set_leases`` (what a sync calls) gives the leases to
another device, as the server would."""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import jsonschema_rs
import pytest
import sqlcipher3.dbapi2 as sqlite3

from app import conflicts, doctor, leases
from app import documents as docs
from app.clock import FixedClock
from app.db import connect
from app.dossier import RESOURCES, VN_TZ
from app.errors import (
    AmbiguousAttachment,
    DocumentState,
    InvalidField,
    NotLeaseHolder,
    PossibleDuplicate,
    RoleNotAllowed,
    SecretDocument,
    SecretWithAttachments,
    UnknownAttachment,
)
from app.schema import migrations, upgrade
from app.store import ATTACHMENT, DOCUMENT_EVENT, INCOMING_DOCUMENT, OUTGOING_DOCUMENT
from app.sync_local import LocalSyncStore
from app.syncing import fetch_attachment
from sync.protocol import Change, OpResult
from tests.conftest import PASSPHRASE, dossier_input

OTHER_DEVICE = "0b7a4c55-8d5e-4f0a-9b1c-2d3e4f5a6b7c"


def incoming(**overrides) -> dict:
    fields = {"author": "UBND Thành phố Hà Nội", "number_symbol": "15/QĐ-UBND",
              "document_date": "2026-01-02", "doc_type": "QĐ",
              "summary": "Về việc giao chỉ tiêu kế hoạch năm 2026"}
    fields.update(overrides)
    return fields


def draft(store, **overrides) -> dict:
    fields = {"doc_type": "TB", "summary": "Thông báo lịch tiếp công dân",
              "signer": "Nguyễn Văn An", "recipients": ["Các thôn", "Lưu: VT"]}
    fields.update(overrides)
    return docs.draft_outgoing(store, fields)


def lease(kind: str, series: str = "ordinary", holder: str | None = OTHER_DEVICE,
          epoch: int = 3, last: dict | None = None, name: str = "MÁY-VĂN-THƯ",
          user: str = "thu") -> dict:
    return {"kind": kind, "series": series, "holder_device_id": holder,
            "holder_device_name": name if holder else None,
            "holder_user": user if holder else None, "epoch": epoch,
            "since": "2026-01-02T01:00:00.000+00:00", "last_numbers": last or {}}


def all_leases(holder: str | None, **kwargs) -> list[dict]:
    return [lease(k, s, holder, **kwargs) for k in ("incoming", "outgoing")
            for s in ("ordinary", "secret")]


def count(store, table: str) -> int:
    return store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def validator(name: str):
    schema = json.loads((RESOURCES / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    return jsonschema_rs.validator_for(schema)


# ---------------------------------------------------------------------- numbering


def test_outgoing_numbers_run_01_02_03_with_symbols_and_the_lease_stamp(store, clock) -> None:
    me = leases.this_device(store)
    issued = [docs.issue(store, draft(store, doc_type=t)["id"]) for t in ("TB", "QĐ", "CV")]
    assert [d["number"] for d in issued] == [1, 2, 3]
    assert [d["symbol"] for d in issued] == ["01/TB-UBND", "02/QĐ-UBND", "03/UBND"]
    assert {d["register_year"] for d in issued} == {2026}
    assert {d["issued_at"] for d in issued} == {"2026-01-06T02:00:00Z"}
    assert {(d["lease_epoch"], d["numbered_by"]) for d in issued} == {(0, me)}
    assert [d["status"] for d in issued] == ["issued"] * 3
    cv = docs.issue(store, draft(store, doc_type="CV", drafting_unit="VP")["id"])
    assert cv["symbol"] == "04/UBND-VP"
    kinds = [e["kind"] for e in docs.events(store, cv["id"])]
    assert kinds == ["drafted", "issued"]


def test_an_issue_and_its_outbox_operation_commit_together(store) -> None:
    made = draft(store)
    before = count(store, "outbox")
    store.db.execute("CREATE TEMP TRIGGER outbox_fails BEFORE INSERT ON outbox "
                     "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(sqlite3.DatabaseError, match="disk full"):
        docs.issue(store, made["id"])
    store.db.execute("DROP TRIGGER outbox_fails")
    assert docs.get(store, made["id"])["number"] is None  # nothing was given
    assert count(store, "outbox") == before
    assert count(store, "document_events") == 1  # "drafted" only
    issued = docs.issue(store, made["id"])
    assert issued["number"] == 1  # the failed attempt burnt no number: no gap
    ops = [op for op in store.pending_operations() if op.record_id == made["id"]]
    assert [(op.created, sorted(op.fields)) for op in ops] == [
        (True, sorted(docs.OUTGOING_FIELDS)),
        (False, sorted(docs.NUMBER_FIELDS["outgoing"]))]
    assert ops[1].fields["number"] == 1 and ops[1].fields["symbol"] == "01/TB-UBND"
    events = [op for op in store.pending_operations() if op.record_type == DOCUMENT_EVENT]
    assert [op.fields["kind"] for op in events] == ["drafted", "issued"]


def test_a_crash_between_the_number_and_its_event_leaves_neither(store) -> None:
    made = draft(store)
    store.db.execute("CREATE TEMP TRIGGER events_fail BEFORE INSERT ON document_events "
                     "WHEN NEW.kind = 'issued' BEGIN SELECT RAISE(ABORT, 'power cut'); END")
    with pytest.raises(sqlite3.DatabaseError, match="power cut"):
        docs.issue(store, made["id"])
    store.db.execute("DROP TRIGGER events_fail")
    assert docs.get(store, made["id"])["status"] == "draft"
    assert docs.issue(store, made["id"])["number"] == 1


def test_a_duplicate_number_can_never_be_stored(store) -> None:
    first = docs.issue(store, draft(store)["id"])
    second = draft(store)
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("UPDATE outgoing_documents SET register_year = 2026, number = ? "
                         "WHERE id = ?", [first["number"], second["id"]])
    registered = docs.register_incoming(store, incoming()).record
    other = docs.register_incoming(store, incoming(number_symbol="16/QĐ-UBND")).record
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("UPDATE incoming_documents SET arrival_number = ? WHERE id = ?",
                         [registered["arrival_number"], other["id"]])


def test_void_keeps_its_number_and_the_series_goes_on(store) -> None:
    first = docs.issue(store, draft(store)["id"])
    voided = docs.void(store, first["id"], "  In sai  ngày ban hành ")
    assert (voided["status"], voided["number"], voided["void_reason"]) == (
        "void", 1, "In sai ngày ban hành")
    assert docs.issue(store, draft(store)["id"])["number"] == 2
    with pytest.raises(DocumentState):
        docs.void(store, first["id"], "again")
    with pytest.raises(DocumentState):
        docs.issue(store, first["id"])
    with pytest.raises(DocumentState):
        docs.void(store, draft(store)["id"], "a draft has no number to void")
    with pytest.raises(InvalidField):
        docs.void(store, docs.issue(store, draft(store)["id"])["id"], "  ")
    register = docs.list_outgoing(store, docs.RegisterFilter(statuses=("issued", "void")))
    assert [(d["number"], d["status"]) for d in register] == [
        (1, "void"), (2, "issued"), (3, "issued")]
    assert [e["kind"] for e in docs.events(store, first["id"])] == ["drafted", "issued",
                                                                   "voided"]


def test_year_rollover_in_ha_noi(store, clock: FixedClock) -> None:
    clock.moment = datetime(2026, 12, 31, 23, 59, tzinfo=VN_TZ)
    last_of_2026 = [docs.issue(store, draft(store)["id"]) for _ in range(2)]
    arrival_2026 = docs.register_incoming(store, incoming()).record
    clock.moment = datetime(2027, 1, 1, 0, 1, tzinfo=VN_TZ)
    first_of_2027 = docs.issue(store, draft(store)["id"])
    arrival_2027 = docs.register_incoming(store, incoming(number_symbol="01/TB-UBND")).record
    assert [(d["register_year"], d["number"]) for d in last_of_2026] == [(2026, 1), (2026, 2)]
    assert (first_of_2027["register_year"], first_of_2027["symbol"]) == (2027, "01/TB-UBND")
    assert (arrival_2026["register_year"], arrival_2026["arrival_number"]) == (2026, 1)
    assert (arrival_2027["register_year"], arrival_2027["arrival_number"]) == (2027, 1)
    assert docs.issue(store, draft(store)["id"])["number"] == 2
    year_2026 = docs.list_outgoing(store, docs.RegisterFilter(year=2026))
    assert [d["symbol"] for d in year_2026] == ["01/TB-UBND", "02/TB-UBND"]
    assert docs.resolve(store, "01/TB-UBND")[1]["register_year"] == 2027  # the latest year's


def test_the_secret_series_numbers_apart(store) -> None:
    ordinary = [docs.issue(store, draft(store)["id"])["number"] for _ in range(2)]
    secret = docs.issue(store, draft(store, secrecy="secret")["id"])
    assert ordinary == [1, 2]
    assert (secret["series"], secret["number"], secret["symbol"]) == ("secret", 1,
                                                                      "01/TB-UBND")
    assert docs.issue(store, draft(store)["id"])["number"] == 3
    confidential = docs.register_incoming(store, incoming(secrecy="confidential")).record
    top = docs.register_incoming(store, incoming(secrecy="top_secret",
                                                 number_symbol="02/CV-CA")).record
    plain = docs.register_incoming(store, incoming(number_symbol="09/KH-UBND")).record
    assert [(d["series"], d["arrival_number"]) for d in (confidential, top, plain)] == [
        ("secret", 1), ("secret", 2), ("ordinary", 1)]


def test_a_draft_may_change_series_before_issue_not_after(store) -> None:
    made = draft(store)
    changed = docs.update_draft(store, made["id"], {"secrecy": "confidential",
                                                    "summary": "Về việc bảo vệ bí mật"})
    assert (changed["series"], changed["summary"]) == ("secret", "Về việc bảo vệ bí mật")
    issued = docs.issue(store, made["id"])
    with pytest.raises(DocumentState):
        docs.update_draft(store, issued["id"], {"summary": "another text"})
    later = docs.update_draft(store, issued["id"], {"forwarded_at": "07/01/2026",
                                                    "copies": 3})
    assert (later["forwarded_at"], later["copies"]) == ("2026-01-07", 3)


# ---------------------------------------------------------------------- leases


def test_a_device_without_the_lease_cannot_number_and_names_the_holder(store) -> None:
    LocalSyncStore(store).set_leases(all_leases(OTHER_DEVICE))
    assert not leases.i_hold(store, "outgoing", "ordinary")
    made = draft(store)  # anyone drafts
    with pytest.raises(NotLeaseHolder) as refused:
        docs.issue(store, made["id"])
    assert refused.value.params == {
        "kind": "outgoing", "series": "ordinary", "holder_device_id": OTHER_DEVICE,
        "holder_device_name": "MÁY-VĂN-THƯ", "holder_user": "thu"}
    assert docs.get(store, made["id"])["status"] == "draft"
    done = docs.register_incoming(store, incoming())
    assert not done.numbered and done.record["arrival_number"] is None
    assert done.lease.holder_device_name == "MÁY-VĂN-THƯ" and not done.lease.mine
    with pytest.raises(NotLeaseHolder):
        docs.number_incoming(store, done.record["id"])
    LocalSyncStore(store).set_leases(all_leases(None))  # released: nobody holds it
    with pytest.raises(NotLeaseHolder) as nobody:
        docs.issue(store, made["id"])
    assert nobody.value.params["holder_device_id"] is None
    assert [item.held for item in leases.lease_status(store)] == [False] * 4


def test_a_new_holder_continues_from_the_servers_last_number(store) -> None:
    me = leases.this_device(store)
    LocalSyncStore(store).set_leases(all_leases(me, epoch=7, last={"2026": 14, "2025": 300}))
    issued = docs.issue(store, draft(store)["id"])
    assert (issued["number"], issued["lease_epoch"], issued["numbered_by"]) == (15, 7, me)
    assert docs.issue(store, draft(store)["id"])["number"] == 16
    unnumbered = docs.register_incoming(store, incoming(), number=False)
    assert unnumbered.record["arrival_number"] is None and unnumbered.lease is None
    numbered = docs.number_incoming(store, unnumbered.record["id"])
    assert (numbered["arrival_number"], numbered["lease_epoch"]) == (15, 7)
    with pytest.raises(DocumentState):
        docs.number_incoming(store, unnumbered.record["id"])
    assert [e["kind"] for e in docs.events(store, numbered["id"])] == ["registered",
                                                                      "numbered"]


def test_a_malformed_lease_list_keeps_the_copy(store) -> None:
    local = LocalSyncStore(store)
    local.set_leases(all_leases(OTHER_DEVICE))
    local.set_leases([{"kind": "outgoing", "series": "ordinary", "epoch": "x"}])
    assert leases.holder_of(store, "outgoing", "ordinary").holder_device_id == OTHER_DEVICE
    assert local.sync_value("leases_refused")
    local.set_leases(all_leases(None))
    assert local.sync_value("leases_refused") is None


def test_roles_for_documents() -> None:
    docs.check_role("clerk", "issue")
    docs.check_role("", "issue")
    with pytest.raises(RoleNotAllowed):
        docs.check_role("officer", "issue")
    with pytest.raises(RoleNotAllowed):
        docs.check_role("city-admin", "draft")
    with pytest.raises(RoleNotAllowed):
        docs.check_role("clerk", "direct")


# ---------------------------------------------------------------------- incoming


def test_the_duplicate_warning_ignores_accents_case_and_spaces(store) -> None:
    first = docs.register_incoming(store, incoming()).record
    with pytest.raises(PossibleDuplicate) as warned:
        docs.register_incoming(store, incoming(number_symbol="15 / qd-ubnd",
                                               author="ubnd thanh pho  Hà Nội"))
    assert warned.value.params["existing_id"] == first["id"]
    assert warned.value.params["existing"].startswith("01/2026")
    assert [d["id"] for d in docs.find_duplicates(store, "15/QĐ-UBND",
                                                  "UBND THÀNH PHỐ HÀ NỘI")] == [first["id"]]
    # Another body's 15/QĐ-UBND, and last year's, are other documents.
    assert docs.find_duplicates(store, "15/QĐ-UBND", "UBND tỉnh Bắc Ninh") == []
    assert docs.find_duplicates(store, "15/QĐ-UBND", "UBND Thành phố Hà Nội",
                                document_date="2025-03-01") == []
    forced = docs.register_incoming(store, incoming(), allow_duplicate=True)
    assert forced.record["arrival_number"] == 2 and forced.duplicates[0]["id"] == first["id"]


def test_direction_assignment_progress_reply_and_completion(store, clock) -> None:
    record = docs.register_incoming(store, incoming(urgency="very_urgent")).record
    assert record["urgent"] and record["status"] == "registered"
    directed = docs.direct(store, record["id"], "lan", ["binh", " ", "cuong"], "2026-01-09",
                           "Chủ trì, báo cáo trước hạn")
    assert (directed["status"], directed["lead"], directed["coordinators"]) == (
        "directed", "lan", ["binh", "cuong"])
    assert directed["deadline"] == "2026-01-09T16:59:59Z"  # end of 09/01 in Hà Nội
    assert directed["directed_by"] == "Nguyễn Thị Hoa"
    assigned = docs.assign(store, record["id"], "binh", "Soạn dự thảo trả lời")
    assert (assigned["assigned_to"], assigned["status"]) == ("binh", "in_progress")
    docs.add_progress(store, record["id"], "Đã xin ý kiến các thôn")
    reply = draft(store, doc_type="CV", drafting_unit="VP", answers_id=record["id"])
    assert docs.get(store, record["id"])["reply_id"] == reply["id"]
    docs.link_reply(store, record["id"], reply["id"])
    done = docs.complete(store, record["id"], "Đã trả lời bằng công văn")
    assert done["status"] == "done"
    events = docs.events(store, record["id"])
    assert [e["kind"] for e in events] == ["registered", "directed", "assigned", "progress",
                                           "replied", "completed"]
    assert events[1]["note"] == "lan\nChủ trì, báo cáo trước hạn"
    assert events[2]["note"] == "binh\nSoạn dự thảo trả lời"
    with pytest.raises(DocumentState):
        docs.add_progress(store, record["id"], "too late")
    kinds = [op.fields["kind"] for op in store.pending_operations()
             if op.record_type == DOCUMENT_EVENT and op.fields["document_id"] == record["id"]]
    assert kinds == [e["kind"] for e in events]


def test_overdue_and_due_soon_are_derived_from_the_deadline(store, clock: FixedClock) -> None:
    late = docs.register_incoming(store, incoming(number_symbol="1/A")).record
    soon = docs.register_incoming(store, incoming(number_symbol="2/A")).record
    later = docs.register_incoming(store, incoming(number_symbol="3/A")).record
    docs.direct(store, late["id"], "lan", deadline=datetime(2026, 1, 5, 17, 0, tzinfo=VN_TZ))
    docs.direct(store, soon["id"], "lan", deadline="2026-01-07")
    docs.direct(store, later["id"], "lan", deadline="2026-01-30")
    flags = {d["number_symbol"]: (d["overdue"], d["due_soon"]) for d in
             docs.list_incoming(store)}
    assert flags == {"1/A": (True, False), "2/A": (False, True), "3/A": (False, False)}
    assert [d["id"] for d in docs.overdue(store)] == [late["id"]]
    assert [d["id"] for d in docs.list_incoming(
        store, docs.RegisterFilter(deadline="due_soon"))] == [soon["id"]]
    docs.complete(store, late["id"])
    assert docs.overdue(store) == []
    clock.advance(timedelta(days=30))
    assert {d["id"] for d in docs.overdue(store)} == {soon["id"], later["id"]}
    assert "overdue" not in {c for (c,) in store.db.execute(
        "SELECT name FROM pragma_table_info('incoming_documents')")}


def test_lists_sort_filter_and_search_without_accents(store, clock: FixedClock) -> None:
    docs.register_incoming(store, incoming(summary="Về việc giao chỉ tiêu"))
    clock.advance(timedelta(days=2))
    docs.register_incoming(store, incoming(number_symbol="20/TB-SNV", author="Sở Nội vụ",
                                           doc_type="TB", summary="Thông báo tuyển dụng",
                                           urgency="urgent"))
    docs.register_incoming(store, incoming(number_symbol="07/CV-CA", author="Công an tỉnh",
                                           summary="Đề nghị phối hợp", secrecy="confidential"))
    docs.register_incoming(store, incoming(number_symbol="99/X", summary="Giấy mời họp"),
                           number=False)
    everything = docs.list_incoming(store)
    assert [(d["register_year"], d["series"], d["arrival_number"]) for d in everything] == [
        (2026, "ordinary", 1), (2026, "ordinary", 2), (2026, "ordinary", None),
        (2026, "secret", 1)]
    ordinary = docs.RegisterFilter(series="ordinary")
    assert len(docs.list_incoming(store, ordinary)) == 3
    assert docs.count(store, "incoming", ordinary) == 3
    by_day = docs.RegisterFilter(date_from=datetime(2026, 1, 8).date(),
                                 date_to=datetime(2026, 1, 8).date())
    assert [d["number_symbol"] for d in docs.list_incoming(store, by_day)] == [
        "20/TB-SNV", "99/X", "07/CV-CA"]  # ordinary register first, unnumbered last in it
    urgent = docs.list_incoming(store, docs.RegisterFilter(urgent_only=True))
    assert [d["number_symbol"] for d in urgent] == ["20/TB-SNV"]
    assert urgent[0]["urgent"]

    def found(text: str, kind: str = "incoming") -> list[str]:
        rows = (docs.list_incoming if kind == "incoming" else docs.list_outgoing)(
            store, docs.RegisterFilter(text=text))
        return [d["number_symbol"] if kind == "incoming" else d["summary"] for d in rows]

    assert found("giao chi tieu") == ["15/QĐ-UBND"]
    assert found("so noi vu") == ["20/TB-SNV"]
    assert found("TB-SNV") == ["20/TB-SNV"]
    assert found("cong an") == ["07/CV-CA"]
    assert found("thông báo") == ["20/TB-SNV"]  # the type's name too
    docs.issue(store, draft(store, recipients=["Trường Tiểu học Minh Châu"])["id"])
    draft(store, summary="Kế hoạch phòng chống bão")
    assert found("truong tieu hoc", "outgoing") == ["Thông báo lịch tiếp công dân"]
    assert found("phong chong", "outgoing") == ["Kế hoạch phòng chống bão"]
    assert found("01/TB", "outgoing") == ["Thông báo lịch tiếp công dân"]
    assert [d["status"] for d in docs.list_outgoing(store)] == ["issued", "draft"]
    drafts = docs.list_outgoing(store, docs.RegisterFilter(statuses=("draft",)))
    assert [d["summary"] for d in drafts] == ["Kế hoạch phòng chống bão"]


def test_text_enters_as_nfc(store) -> None:
    decomposed = unicodedata.normalize("NFD", "Về việc   tổ chức Tết Nguyên đán")
    record = docs.register_incoming(store, incoming(summary=decomposed,
                                                    author=unicodedata.normalize(
                                                        "NFD", "Sở Tư pháp"))).record
    assert record["summary"] == "Về việc tổ chức Tết Nguyên đán"
    assert unicodedata.is_normalized("NFC", record["author"])


def test_invalid_input_is_refused_naming_the_field(store) -> None:
    with pytest.raises(InvalidField) as missing:
        docs.register_incoming(store, incoming(summary=" "))
    assert missing.value.params["field"] == "summary"
    with pytest.raises(InvalidField) as kind:
        docs.draft_outgoing(store, {"doc_type": "XYZ", "summary": "x"})
    assert kind.value.params["field"] == "doc_type"
    with pytest.raises(InvalidField):
        docs.register_incoming(store, incoming(urgency="soon"))
    with pytest.raises(InvalidField):
        docs.register_incoming(store, incoming(document_date="31/02/2026"))
    assert count(store, "incoming_documents") == count(store, "outgoing_documents") == 0


# ---------------------------------------------------------------------- attachments


def test_a_secret_document_refuses_attachments(store) -> None:
    secret = docs.register_incoming(store, incoming(secrecy="secret")).record
    blobs_before = set(store.blobs.root.rglob("*"))
    with pytest.raises(SecretDocument):
        docs.add_attachment(store, secret["id"], b"%PDF-1.4 secret scan", "mat.pdf",
                            "application/pdf")
    assert count(store, "attachments") == 0
    assert set(store.blobs.root.rglob("*")) == blobs_before  # not even the encrypted bytes
    secret_draft = draft(store, secrecy="top_secret")
    with pytest.raises(SecretDocument):
        docs.add_attachment(store, secret_draft["id"], b"x", "x.pdf", "application/pdf")
    assert "attach" not in docs.allowed_actions(store, secret["id"], "clerk")


def test_an_attachment_of_a_document_travels_with_its_document_id(store) -> None:
    record = docs.register_incoming(store, incoming()).record
    attachment_id = docs.add_attachment(store, record["id"], b"%PDF-1.4 scan", "bản quét.pdf",
                                        "application/pdf")
    [listed] = docs.attachments(store, record["id"])
    assert listed["file_name"] == "bản quét.pdf"
    assert store.attachment_bytes(attachment_id) == b"%PDF-1.4 scan"
    [op] = [op for op in store.pending_operations() if op.record_type == ATTACHMENT]
    assert op.fields["document_id"] == record["id"] and "dossier_id" not in op.fields
    assert not list(validator("attachment").iter_errors(op.fields))
    dossier, _ = store.create_dossier(dossier_input())
    store.add_attachment(dossier["id"], b"scan", "a.pdf", "application/pdf")
    dossier_op = [op for op in store.pending_operations() if op.record_type == ATTACHMENT][1]
    assert "document_id" not in dossier_op.fields
    assert not list(validator("attachment").iter_errors(dossier_op.fields))
    assert list(validator("attachment").iter_errors(
        {**dossier_op.fields, "document_id": record["id"]}))  # exactly one owner
    assert doctor.examine(store) == []


def test_a_document_with_attachments_does_not_become_secret(store) -> None:
    arrival = docs.register_incoming(store, incoming(), number=False).record
    docs.add_attachment(store, arrival["id"], b"%PDF-1.4 scan", "scan.pdf", "application/pdf")
    letter = draft(store)
    docs.add_attachment(store, letter["id"], b"%PDF-1.4 draft", "draft.pdf", "application/pdf")
    blobs, outbox = set(store.blobs.addresses()), count(store, "outbox")
    with pytest.raises(SecretWithAttachments) as refused:
        docs.update_incoming(store, arrival["id"], {"secrecy": "secret", "notes": "mật"})
    assert isinstance(refused.value, SecretDocument)
    assert refused.value.code == "secret_has_attachments"
    assert refused.value.params == {"document": arrival["id"], "secrecy": "secret",
                                    "attachments": 1}
    with pytest.raises(SecretWithAttachments) as refused_draft:
        docs.update_draft(store, letter["id"], {"secrecy": "top_secret"})
    assert refused_draft.value.params["attachments"] == 1
    # Nothing written, nothing deleted: the person removes the attachments first.
    kept = docs.get(store, arrival["id"])
    assert (kept["secrecy"], kept["series"], kept["notes"]) == ("none", "ordinary", None)
    assert (docs.get(store, letter["id"])["secrecy"], docs.get(store, letter["id"])["series"]) \
        == ("none", "ordinary")
    assert [len(docs.attachments(store, d["id"])) for d in (arrival, letter)] == [1, 1]
    assert set(store.blobs.addresses()) == blobs and count(store, "outbox") == outbox
    # Other changes go on; a document without attachments becomes secret as before.
    assert docs.update_draft(store, letter["id"], {"urgency": "urgent"})["urgency"] == "urgent"
    plain = draft(store)
    assert docs.update_draft(store, plain["id"], {"secrecy": "confidential"})["series"] == \
        "secret"


def _pulled_attachment(document_id: str, data: bytes, name: str = "scan.pdf") -> dict:
    return {"document_id": document_id, "sha256": hashlib.sha256(data).hexdigest(),
            "file_name": name, "media_type": "application/pdf", "size": len(data),
            "created_at": "2026-01-06T03:00:00Z"}


def _pulled_incoming(secrecy: str = "none") -> dict:
    return {"register_year": 2026, "series": "ordinary" if secrecy == "none" else "secret",
            "secrecy": secrecy, "arrived_at": "2026-01-06T10:00:00+07:00", "author": "Sở Y tế",
            "doc_type": "CV", "summary": "Về việc tiêm chủng", "status": "registered"}


def test_a_secret_documents_pulled_attachments_are_metadata_only(store) -> None:
    local = LocalSyncStore(store)
    early, same, later = (str(uuid.uuid4()) for _ in range(3))
    scans = {d: f"%PDF-1.4 {n}".encode() for n, d in enumerate((early, same, later))}
    ids = {d: str(uuid.uuid4()) for d in scans}
    # The attachment comes a page before its secret document; then both in one page, the
    # attachment first; then a document pulled ordinary, whose file this machine fetched.
    local.apply_page([Change(ATTACHMENT, ids[early], 3, _pulled_attachment(
        early, scans[early]))], "c1")
    local.apply_page([Change(INCOMING_DOCUMENT, early, 4, _pulled_incoming("secret")),
                      Change(ATTACHMENT, ids[same], 5, _pulled_attachment(same, scans[same])),
                      Change(INCOMING_DOCUMENT, same, 6, _pulled_incoming("top_secret")),
                      Change(INCOMING_DOCUMENT, later, 7, _pulled_incoming()),
                      Change(ATTACHMENT, ids[later], 8, _pulled_attachment(
                          later, scans[later]))], "c2")
    for document_id in (early, same, later):
        [listed] = docs.attachments(store, document_id)  # the metadata is here
        assert listed["id"] == ids[document_id]
    wanted = [blob.sha256 for blob in local.blobs_to_fetch()]
    assert wanted == [_pulled_attachment(later, scans[later])["sha256"]]  # never a secret one
    local.store_blob(wanted[0], scans[later])
    # An ordinary document's file that a dossier's attachment shares: those bytes stay.
    shared = str(uuid.uuid4())
    local.apply_page([Change(INCOMING_DOCUMENT, shared, 9, _pulled_incoming()),
                      Change(ATTACHMENT, str(uuid.uuid4()), 10, _pulled_attachment(
                          shared, b"%PDF-1.4 shared"))], "c3")
    local.store_blob(_pulled_attachment(shared, b"%PDF-1.4 shared")["sha256"],
                     b"%PDF-1.4 shared")
    dossier, _ = store.create_dossier(dossier_input())
    store.add_attachment(dossier["id"], b"%PDF-1.4 shared", "a.pdf", "application/pdf")
    assert local.blobs_to_fetch() == []
    kept_files = set(store.blobs.addresses())

    # A later pull makes both documents secret: their files leave this machine with it.
    local.apply_page([Change(INCOMING_DOCUMENT, later, 11, _pulled_incoming("confidential")),
                      Change(INCOMING_DOCUMENT, shared, 12, _pulled_incoming("secret"))], "c4")
    later_sha = _pulled_attachment(later, scans[later])["sha256"]
    shared_sha = _pulled_attachment(shared, b"%PDF-1.4 shared")["sha256"]
    assert not store.blobs.has(later_sha) and not store.blobs.path(later_sha).exists()
    assert store.blobs.has(shared_sha)  # the dossier's attachment still needs it
    assert set(store.blobs.addresses()) == kept_files - {later_sha}
    assert len(docs.attachments(store, later)) == 1  # metadata kept, without its bytes
    assert local.blobs_to_fetch() == [] and local.blobs_to_upload() == []
    with pytest.raises(SecretDocument):  # never fetched on demand either
        fetch_attachment(store, store.blobs.root.parent, ids[later])
    assert doctor.examine(store) == []
    assert local.sync_value("cursor") == "c4"


def test_settling_a_secrecy_conflict_keeps_files_off_a_secret_document(store) -> None:
    """The server's secrecy, chosen by a person, takes the files away as a pull would; the
    person's own choice of a secret level is refused while the files are here."""
    local = LocalSyncStore(store)
    document_id, scan = str(uuid.uuid4()), b"%PDF-1.4 declassified"
    local.apply_page([Change(INCOMING_DOCUMENT, document_id, 3, _pulled_incoming("secret")),
                      Change(ATTACHMENT, str(uuid.uuid4()), 4,
                             _pulled_attachment(document_id, scan))], "c1")
    docs.update_incoming(store, document_id, {"secrecy": "none"})  # declassified here
    [wanted] = local.blobs_to_fetch()  # now an ordinary document's file
    local.store_blob(wanted.sha256, scan)
    [op] = [op for op in local.operations_after(0, 100) if op.id == document_id]
    local.apply_results([OpResult(op.op_id, "conflict", rev=5, fields={
        "secrecy": "top_secret", "series": "secret"})])
    [secrecy] = [c for c in conflicts.open_conflicts(store) if c["field"] == "secrecy"]
    with pytest.raises(SecretWithAttachments):
        conflicts.resolve(store, secrecy["id"], "value", "secret")
    assert store.blobs.has(wanted.sha256) and docs.get(store, document_id)["secrecy"] == "none"
    conflicts.resolve(store, secrecy["id"], "server")
    assert docs.get(store, document_id)["secrecy"] == "top_secret"
    assert not store.blobs.has(wanted.sha256) and local.blobs_to_fetch() == []


# ---------------------------------------------------------------------- removing attachments


def _answer_all(local: LocalSyncStore) -> None:
    """The server applied every waiting operation (as a push would report)."""
    local.apply_results([OpResult(op.op_id, "applied", rev=n)
                         for n, op in enumerate(local.operations_after(0, 500), 1)])


def test_removing_an_attachment_is_one_change_with_its_event_tombstone_and_file(
        store, monkeypatch) -> None:
    record = docs.register_incoming(store, incoming()).record
    scan, annex = b"%PDF-1.4 scan of someone else", b"%PDF-1.4 annex"
    wrong = docs.add_attachment(store, record["id"], scan, "bản quét.pdf", "application/pdf")
    kept = docs.add_attachment(store, record["id"], annex, "phụ lục.pdf", "application/pdf")
    dossier, _ = store.create_dossier(dossier_input())
    store.add_attachment(dossier["id"], annex, "a.pdf", "application/pdf")  # the same bytes
    local = LocalSyncStore(store)
    _answer_all(local)
    scan_sha, annex_sha = (hashlib.sha256(b).hexdigest() for b in (scan, annex))
    assert "detach" in docs.allowed_actions(store, record["id"], "clerk")

    # A failure inside the transaction leaves the row, the file and the outbox as they were.
    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(docs, "_event", broken)
    with pytest.raises(sqlite3.OperationalError):
        docs.remove_attachment(store, record["id"], wrong)
    monkeypatch.undo()
    assert len(docs.attachments(store, record["id"])) == 2 and store.blobs.has(scan_sha)
    assert local.pending_count() == 0

    removed = docs.remove_attachment(store, record["id"], "bản quét.pdf")  # by its file name
    assert (removed["id"], removed["file_name"]) == (wrong, "bản quét.pdf")
    assert [a["id"] for a in docs.attachments(store, record["id"])] == [kept]
    assert not store.blobs.has(scan_sha) and not store.blobs.path(scan_sha).exists()
    event = docs.events(store, record["id"])[-1]
    assert (event["kind"], event["note"], event["actor"]) == (
        "attachment_removed", "bản quét.pdf", "Nguyễn Thị Hoa")
    [tombstone] = [op for op in local.operations_after(0, 100) if op.type == ATTACHMENT]
    assert (tombstone.id, tombstone.fields, tombstone.create, tombstone.base_rev) == (
        wrong, {"deleted": True}, False, 0)
    assert {op.type for op in local.operations_after(0, 100)} == {ATTACHMENT, DOCUMENT_EVENT}
    assert doctor.examine(store) == []

    # By the end of its id (as ``show`` prints it); bytes a dossier also names stay.
    docs.remove_attachment(store, record["id"], docs.short_ref(kept))
    assert docs.attachments(store, record["id"]) == [] and store.blobs.has(annex_sha)
    assert "detach" not in docs.allowed_actions(store, record["id"], "clerk")
    # Nothing is in the way of secrecy any more (docs/correspondence.md).
    docs.update_incoming(store, record["id"], {"notes": "mật"})
    _answer_all(local)
    assert doctor.examine(store) == []


def test_an_attachment_to_remove_is_named_unambiguously(store) -> None:
    letter = draft(store)
    first = docs.add_attachment(store, letter["id"], b"%PDF-1.4 a", "scan.pdf",
                                "application/pdf")
    docs.add_attachment(store, letter["id"], b"%PDF-1.4 b", "scan.pdf", "application/pdf")
    other = draft(store)
    with pytest.raises(AmbiguousAttachment) as twice:
        docs.remove_attachment(store, letter["id"], "scan.pdf")
    assert twice.value.params == {"document": letter["id"], "attachment": "scan.pdf",
                                  "count": 2}
    with pytest.raises(UnknownAttachment):  # another document's attachment is not this one's
        docs.remove_attachment(store, other["id"], first)
    with pytest.raises(UnknownAttachment):
        docs.remove_attachment(store, letter["id"], "khong-co.pdf")
    assert len(docs.attachments(store, letter["id"])) == 2
    assert docs.remove_attachment(store, letter["id"], first.upper())["id"] == first


def test_an_attachment_never_sent_still_goes_up_in_order_as_tombstones(store) -> None:
    """Made offline and removed before any sync: its create stays in the outbox and goes
    first, carrying the tombstone (no row to read), then the removal; a page pulled meanwhile
    does not bring it back; the answers settle both."""
    record = docs.register_incoming(store, incoming()).record
    scan = b"%PDF-1.4 wrong page"
    attachment_id = docs.add_attachment(store, record["id"], scan, "trang-sai.pdf",
                                        "application/pdf")
    local = LocalSyncStore(store)
    docs.remove_attachment(store, record["id"], attachment_id)
    assert not store.blobs.has(hashlib.sha256(scan).hexdigest())
    waiting = [op for op in local.operations_after(0, 100) if op.id == attachment_id]
    assert [(op.create, op.fields) for op in waiting] == [
        (True, {"deleted": True}), (False, {"deleted": True})]
    assert waiting[0].seq < waiting[1].seq
    assert local.blobs_to_upload() == []
    assert doctor.examine(store) == []
    # A page read on the server before the removal reached it (the attachment alive there).
    local.apply_page([Change(ATTACHMENT, attachment_id, 7, _pulled_attachment(
        record["id"], scan, "trang-sai.pdf"))], "c1")
    assert docs.attachments(store, record["id"]) == [] and local.blobs_to_fetch() == []
    _answer_all(local)
    assert local.pending_count() == 0 and doctor.examine(store) == []
    local.apply_page([Change(ATTACHMENT, attachment_id, 9, deleted=True)], "c2")
    assert docs.attachments(store, record["id"]) == []


def test_a_pulled_removal_takes_the_row_the_file_and_a_parked_copy(store) -> None:
    local = LocalSyncStore(store)
    here, later = str(uuid.uuid4()), str(uuid.uuid4())
    scans = {here: b"%PDF-1.4 here", later: b"%PDF-1.4 later"}
    ids = {d: str(uuid.uuid4()) for d in scans}
    shared_id = str(uuid.uuid4())  # a second attachment with the same bytes as ``here``'s
    local.apply_page([Change(INCOMING_DOCUMENT, here, 3, _pulled_incoming()),
                      Change(ATTACHMENT, ids[here], 4, _pulled_attachment(here, scans[here])),
                      Change(ATTACHMENT, shared_id, 5, _pulled_attachment(here, scans[here])),
                      Change(ATTACHMENT, ids[later], 6, _pulled_attachment(
                          later, scans[later]))], "c1")  # parked: its document is not here
    local.store_blob(hashlib.sha256(scans[here]).hexdigest(), scans[here])
    sha = hashlib.sha256(scans[here]).hexdigest()
    local.apply_page([Change(ATTACHMENT, ids[here], 7, deleted=True),
                      Change(ATTACHMENT, ids[later], 8, deleted=True)], "c2")
    assert [a["id"] for a in docs.attachments(store, here)] == [shared_id]
    assert store.blobs.has(sha)  # the other attachment still names the bytes
    local.apply_page([Change(ATTACHMENT, shared_id, 9, deleted=True)], "c3")
    assert docs.attachments(store, here) == []
    assert not store.blobs.has(sha) and not store.blobs.path(sha).exists()
    local.apply_page([Change(INCOMING_DOCUMENT, later, 10, _pulled_incoming())], "c4")
    assert docs.attachments(store, later) == []  # the parked copy went with its tombstone
    assert doctor.examine(store) == []


def test_roles_and_statuses_that_may_remove_an_attachment(store) -> None:
    for role in ("clerk", "leader", "admin", "specialist", "officer", ""):
        docs.check_role(role, "detach")
        assert "attach" in docs.DOCUMENT_ROLES[role] and "detach" in docs.DOCUMENT_ROLES[role]
    with pytest.raises(RoleNotAllowed):
        docs.check_role("city-admin", "detach")
    # Any status: a void outgoing document, a done incoming one; and a secret document's
    # metadata-only attachments (pulled) are removable too.
    spoiled = docs.issue(store, draft(store)["id"])
    docs.add_attachment(store, spoiled["id"], b"%PDF-1.4 misprint", "in-hong.pdf",
                        "application/pdf")
    docs.void(store, spoiled["id"], "In sai")
    assert docs.allowed_actions(store, spoiled["id"], "clerk") == ["detach"]
    assert docs.allowed_actions(store, spoiled["id"], "city-admin") == []
    docs.remove_attachment(store, spoiled["id"], "in-hong.pdf")
    assert docs.allowed_actions(store, spoiled["id"], "clerk") == []
    finished = docs.register_incoming(store, incoming(number_symbol="16/QĐ-UBND")).record
    docs.add_attachment(store, finished["id"], b"%PDF-1.4 x", "x.pdf", "application/pdf")
    docs.complete(store, finished["id"])
    assert "detach" in docs.allowed_actions(store, finished["id"], "officer")
    docs.remove_attachment(store, finished["id"], "x.pdf")
    secret = str(uuid.uuid4())
    LocalSyncStore(store).apply_page([
        Change(INCOMING_DOCUMENT, secret, 3, _pulled_incoming("secret")),
        Change(ATTACHMENT, str(uuid.uuid4()), 4, _pulled_attachment(secret, b"%PDF-1.4 m"))],
        "c1")
    assert docs.allowed_actions(store, secret, "clerk")[-1] == "detach"
    docs.remove_attachment(store, secret, "scan.pdf")
    assert docs.attachments(store, secret) == []


# ---------------------------------------------------------------------- what travels


def test_every_pending_document_operation_satisfies_its_schema(store) -> None:
    record = docs.register_incoming(store, incoming()).record
    docs.direct(store, record["id"], "lan", ["binh"], "2026-01-20", "note")
    docs.issue(store, draft(store, answers_id=record["id"])["id"])
    docs.void(store, docs.issue(store, draft(store, secrecy="secret")["id"])["id"], "lỗi")
    checked = 0
    created = {}
    for op in store.pending_operations():
        name = {INCOMING_DOCUMENT: "incoming_document", OUTGOING_DOCUMENT: "outgoing_document",
                DOCUMENT_EVENT: "document_event"}.get(op.record_type)
        if name is None:
            continue
        whole = {**created.get(op.record_id, {}), **op.fields}
        created[op.record_id] = whole
        assert not list(validator(name).iter_errors(whole)), (name, whole)
        checked += 1
    assert checked >= 12


def test_pulled_documents_apply_keep_pending_fields_and_park_their_events(store) -> None:
    local = LocalSyncStore(store)
    document_id, event_id = str(uuid.uuid4()), str(uuid.uuid4())
    event = {"document_id": document_id, "document_kind": "incoming", "kind": "registered",
             "actor": "thu", "at": "2026-01-06T03:00:00Z", "note": "03"}
    server = {"register_year": 2026, "series": "ordinary", "arrival_number": 3,
              "lease_epoch": 2, "numbered_by": OTHER_DEVICE,
              "arrived_at": "2026-01-06T10:00:00+07:00", "author": "Sở Y tế", "doc_type": "CV",
              "summary": "Về việc tiêm chủng", "status": "registered"}
    local.apply_page([Change(DOCUMENT_EVENT, event_id, 5, event)], "c1")
    assert docs.events(store, document_id) == []  # parked until its document comes
    local.apply_page([Change(INCOMING_DOCUMENT, document_id, 6, server)], "c2")
    pulled = docs.get(store, document_id)
    assert (pulled["arrival_number"], pulled["arrived_at"], pulled["sync_state"]) == (
        3, "2026-01-06T03:00:00Z", "synced")
    assert [e["kind"] for e in docs.events(store, document_id)] == ["registered"]
    assert [d["id"] for d in docs.list_incoming(store, docs.RegisterFilter(
        text="tiem chung"))] == [document_id]
    docs.add_progress(store, document_id, "đang xử lý")  # status pending here
    local.apply_page([Change(INCOMING_DOCUMENT, document_id, 7,
                             {**server, "summary": "Về việc tiêm chủng mở rộng"})], "c3")
    after = docs.get(store, document_id)
    assert (after["summary"], after["status"], after["rev"]) == (
        "Về việc tiêm chủng mở rộng", "in_progress", 7)
    # A corrupt record is refused alone: the page's cursor and other records go on.
    bad, good = str(uuid.uuid4()), str(uuid.uuid4())
    local.apply_page([Change(INCOMING_DOCUMENT, bad, 8, {"summary": "no author"}),
                      Change(OUTGOING_DOCUMENT, good, 9, {"series": "ordinary",
                                                         "doc_type": "TB", "summary": "ok",
                                                         "issuer": "UBND"})], "c4")
    assert local.sync_value("cursor") == "c4"
    assert local.sync_value(f"refused_change.{INCOMING_DOCUMENT}.{bad}")
    assert docs.get(store, good)["status"] == "draft"


def test_a_pulled_number_held_here_becomes_a_conflict_never_a_renumbering(store) -> None:
    mine = docs.issue(store, draft(store)["id"])  # 01, stand-alone
    theirs = str(uuid.uuid4())
    LocalSyncStore(store).apply_page([Change(OUTGOING_DOCUMENT, theirs, 4, {
        "register_year": 2026, "series": "ordinary", "number": 1, "symbol": "01/QĐ-UBND",
        "status": "issued", "issued_at": "2026-01-05T02:00:00Z", "doc_type": "QĐ",
        "summary": "Quyết định khen thưởng", "issuer": "UBND", "lease_epoch": 2,
        "numbered_by": OTHER_DEVICE})], "c1")
    assert docs.get(store, theirs)["number"] == 1
    here = docs.get(store, mine["id"])
    assert (here["number"], here["symbol"], here["sync_state"]) == (None, None, "conflict")
    [conflict] = conflicts.open_conflicts(store)
    assert (conflict["record_id"], conflict["field"], conflict["local"], conflict["server"],
            conflict["reason"], conflict["number_conflict"]) == (
        mine["id"], "number", 1, None, "number_taken", True)
    assert conflict["choices"] == ["server", "local", "void"]
    with pytest.raises(conflicts.ConflictChoice):
        conflicts.resolve(store, conflict["id"], "local")  # number 1 belongs to theirs
    done = conflicts.resolve(store, conflict["id"], "server")
    assert done["record_id"] == mine["id"] and done["code"] is None
    again = docs.get(store, mine["id"])
    assert (again["status"], again["number"], again["sync_state"]) == ("draft", None,
                                                                      "pending")
    assert conflicts.open_conflicts(store) == []
    assert docs.events(store, mine["id"])[-1]["kind"] == "unnumbered"
    reissued = docs.issue(store, mine["id"])  # this machine still holds the lease
    assert reissued["number"] == 2


def test_a_refused_number_comes_back_as_a_conflict_settled_by_void(store) -> None:
    local = LocalSyncStore(store)
    made = docs.issue(store, draft(store)["id"])
    ops = local.operations_after(0, 100)
    answers = [OpResult(op.op_id, "applied", rev=10 + n) for n, op in enumerate(ops)
               if not (op.id == made["id"] and not op.create)]
    issue_op = next(op for op in ops if op.id == made["id"] and not op.create)
    answers.append(OpResult(issue_op.op_id, "conflict", rev=11, fields={"number": None},
                            reason="lease_lost"))
    counts = local.apply_results(answers)
    assert counts.conflicts == 1
    assert docs.get(store, made["id"])["sync_state"] == "conflict"
    assert docs.get(store, made["id"])["number"] == 1  # the paper's number, kept until settled
    [conflict] = conflicts.open_conflicts(store)
    assert conflict["number_conflict"] and conflict["code"] == "01/TB-UBND"
    with pytest.raises(InvalidField):
        conflicts.resolve(store, conflict["id"], "void", "")
    conflicts.resolve(store, conflict["id"], "void", "Số bị máy chủ từ chối; đã thu hồi")
    voided = docs.get(store, made["id"])
    assert (voided["status"], voided["number"], voided["void_reason"]) == (
        "void", None, "Số bị máy chủ từ chối; đã thu hồi")
    last = [op for op in store.pending_operations() if op.record_id == made["id"]][-1]
    assert last.base_rev == 11 and last.fields["number"] is None
    assert last.fields["status"] == "void"
    assert docs.events(store, made["id"])[-1]["note"].startswith("01/TB-UBND")


def test_keep_the_number_only_while_holding_the_lease(store) -> None:
    local = LocalSyncStore(store)
    made = docs.issue(store, draft(store)["id"])
    ops = local.operations_after(0, 100)
    issue_op = next(op for op in ops if op.id == made["id"] and not op.create)
    local.apply_results([OpResult(issue_op.op_id, "conflict", rev=3, fields={"number": None},
                                  reason="lease_lost")])
    [conflict] = conflicts.open_conflicts(store)
    local.set_leases(all_leases(OTHER_DEVICE))
    with pytest.raises(conflicts.ConflictChoice):
        conflicts.resolve(store, conflict["id"], "local")
    me = leases.this_device(store)
    local.set_leases(all_leases(me, epoch=9))
    conflicts.resolve(store, conflict["id"], "local")
    kept = docs.get(store, made["id"])
    assert (kept["number"], kept["lease_epoch"], kept["symbol"]) == (1, 9, "01/TB-UBND")


def test_the_correspondence_migration_keeps_dossier_attachments(tmp_path: Path) -> None:
    key = os.urandom(32)
    db = connect(tmp_path / "old.db", key)
    migrations.apply(db, stop_before="m006_correspondence")
    db.execute("INSERT INTO dossiers(id, code, procedure_code, procedure_version, channel, "
               "status, received_at, due_at, calendar_version, applicant_full_name, "
               "updated_at) VALUES ('d1', '09661-260106-9000', '1.001193', 1, 1, 2, "
               "'2026-01-06T02:00:00Z', '2026-01-06T10:00:00Z', 'v', 'Lê Văn Tám', "
               "'2026-01-06T02:00:00Z')")
    db.execute("INSERT INTO attachments(id, dossier_id, sha256, file_name, media_type, size, "
               "created_at, sync_state, blob_uploaded) VALUES ('a1', 'd1', ?, 'x.pdf', "
               "'application/pdf', 3, '2026-01-06T02:00:00Z', 'synced', 1)", ["0" * 64])
    upgrade(db)
    row = db.execute("SELECT dossier_id, document_id, sync_state, blob_uploaded FROM "
                     "attachments WHERE id = 'a1'").fetchone()
    assert tuple(row) == ("d1", None, "synced", 1)
    with pytest.raises(sqlite3.IntegrityError):  # exactly one owner
        db.execute("INSERT INTO attachments(id, sha256, file_name, media_type, size, "
                   "created_at) VALUES ('a2', ?, 'y', 'x', 1, 'now')", ["1" * 64])
    db.execute("INSERT INTO document_events(id, document_id, document_kind, kind, actor, at) "
               "VALUES ('e', 'd', 'incoming', 'registered', 'a', 'now')")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE document_events SET note = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM document_events")


def test_corrections_actions_and_how_a_document_is_named(store) -> None:
    record = docs.register_incoming(store, incoming()).record
    corrected = docs.update_incoming(store, record["id"], {"summary": "Về việc giao chỉ tiêu",
                                                           "document_date": "03/01/2026"})
    assert (corrected["summary"], corrected["document_date"]) == ("Về việc giao chỉ tiêu",
                                                                  "2026-01-03")
    assert docs.events(store, record["id"])[-1] == {**docs.events(store, record["id"])[-1],
                                                    "kind": "edited",
                                                    "note": "document_date, summary"}
    with pytest.raises(DocumentState):  # a numbered entry stays in its series
        docs.update_incoming(store, record["id"], {"secrecy": "secret"})
    with pytest.raises(InvalidField):
        docs.update_incoming(store, record["id"], {"arrival_number": 9})
    assert docs.resolve(store, record["id"][:8])[0] == "incoming"
    assert docs.resolve(store, "1")[1]["id"] == record["id"]
    issued = docs.issue(store, draft(store, doc_type="QĐ")["id"])
    assert docs.resolve(store, "01/QĐ-UBND") == ("outgoing", docs.resolve(store,
                                                                           issued["id"])[1])
    assert docs.allowed_actions(store, record["id"], "clerk") == [
        "edit_incoming", "assign", "progress", "link_reply", "attach"]
    assert docs.allowed_actions(store, record["id"], "leader") == [
        "edit_incoming", "direct", "assign", "progress", "link_reply", "complete", "attach"]
    assert docs.allowed_actions(store, issued["id"], "clerk") == [
        "link_reply", "edit_draft", "void", "attach"]
    assert docs.allowed_actions(store, issued["id"], "officer") == ["edit_draft", "attach"]
    assert docs.allowed_actions(store, issued["id"], "city-admin") == []


def test_a_field_conflict_of_a_document_is_settled_like_a_dossiers(store) -> None:
    local = LocalSyncStore(store)
    record = docs.register_incoming(store, incoming()).record
    local.apply_results([OpResult(op.op_id, "applied", rev=5)
                         for op in local.operations_after(0, 100)])
    assert docs.get(store, record["id"])["sync_state"] == "synced"
    docs.update_incoming(store, record["id"], {"summary": "Tóm tắt của máy này"})
    edit = [op for op in local.operations_after(0, 100) if op.type == INCOMING_DOCUMENT][-1]
    local.apply_results([OpResult(edit.op_id, "conflict", rev=8,
                                  fields={"summary": "Tóm tắt của máy kia"})])
    [conflict] = conflicts.open_conflicts(store)
    assert (conflict["field"], conflict["local"], conflict["server"], conflict["code"]) == (
        "summary", "Tóm tắt của máy này", "Tóm tắt của máy kia", "01/2026")
    assert not conflict["number_conflict"]
    with pytest.raises(conflicts.ConflictChoice):
        conflicts.resolve(store, conflict["id"], "void")
    conflicts.resolve(store, conflict["id"], "server")
    after = docs.get(store, record["id"])
    assert (after["summary"], after["sync_state"]) == ("Tóm tắt của máy kia", "pending")
    assert docs.list_incoming(store, docs.RegisterFilter(text="may kia"))[0]["id"] == \
        record["id"]
    last = [op for op in store.pending_operations() if op.record_id == record["id"]][-1]
    assert (last.base_rev, last.fields) == (8, {"summary": "Tóm tắt của máy kia"})


def test_files_an_older_version_kept_for_a_secret_document_go_when_the_profile_opens(
        store, tmp_path) -> None:
    """Before 27 November 2026 a document made secret elsewhere kept its scans on this
    machine; the first opening of the profile by this version removes them (once), keeping
    the attachment's row as metadata and the bytes an ordinary attachment still names."""
    from app.profile import SECRET_FILES_SWEPT, open_profile

    secret = docs.register_incoming(store, {"author": "Sở Nội vụ", "doc_type": "CV",
                                            "summary": "Về việc nhân sự"}).record
    plain = docs.register_incoming(store, {"author": "Sở Tư pháp", "doc_type": "CV",
                                           "summary": "Về việc hộ tịch"}).record
    docs.add_attachment(store, secret["id"], b"%PDF-1.4 scan", "scan.pdf", "application/pdf")
    docs.add_attachment(store, secret["id"], b"%PDF-1.4 both", "both.pdf", "application/pdf")
    docs.add_attachment(store, plain["id"], b"%PDF-1.4 both", "both.pdf", "application/pdf")
    [scan, both] = [a["sha256"] for a in docs.attachments(store, secret["id"])]
    # What an older version left: the document secret, its files still here.
    store.db.execute("UPDATE incoming_documents SET secrecy = 'secret' WHERE id = ?",
                     [secret["id"]])
    store.db.execute("DELETE FROM settings WHERE key = ?", [SECRET_FILES_SWEPT])
    store.db.commit()
    assert store.blobs.has(scan) and store.blobs.has(both)
    reopened = open_profile(tmp_path / "profile", PASSPHRASE)
    try:
        assert not reopened.blobs.has(scan)
        assert reopened.blobs.has(both)  # the ordinary document's attachment names them
        assert len(docs.attachments(reopened, secret["id"])) == 2  # metadata stays
        assert reopened.setting(SECRET_FILES_SWEPT) == "1"
    finally:
        reopened.db.close()

"""Dossier workflow actions (app/actions.py) on a real SQLCipher profile: each action's happy
path, each refusal (role, status, missing reason, rules 5 and 7), the event, the outbox
operation written in the same transaction, and the change notice once it commits."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlcipher3.dbapi2 as sqlite3

from app import actions
from app.actions import Action
from app.dossier import VN_TZ
from app.errors import (
    ApologyLimit,
    DuePassed,
    IllegalTransition,
    InvalidField,
    RoleNotAllowed,
    VerificationLimit,
    VerificationNotAllowed,
)
from app.notices import ChangeNotice
from app.profile import create_profile
from app.staff import display_name, staff
from app.status import ALLOWED, Status
from app.store import DOSSIER, DOSSIER_EVENT
from app.sync_local import LocalSyncStore
from tests.conftest import PASSPHRASE, dossier_input

A = Action
BIRTH = "1.001193"  # same day, no extension for verification
MARRIAGE = "1.000894"  # same day, up to 5 working days more if checks are needed
RECOGNITION = "1.001022"  # 3 working days, +5


def make(store, **overrides) -> dict:
    return store.create_dossier(dossier_input(**overrides))[0]


def count(store, table: str) -> int:
    return store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def last_event(store, dossier_id: str) -> dict:
    return store.events(dossier_id)[-1]


def last_operations(store, n: int = 2) -> list:
    return store.pending_operations()[-n:]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=VN_TZ)


# ---------------------------------------------------------------------- the tables


def test_the_role_table() -> None:
    assert actions.role_actions("officer") == {
        A.ACCEPT, A.REFUSE, A.REQUEST_SUPPLEMENT, A.SUPPLEMENT_RECEIVED, A.WITHDRAW,
        A.RESULT_RETURNED, A.ASSIGN}
    assert actions.role_actions("specialist") == {
        A.START, A.REQUEST_SUPPLEMENT, A.SUPPLEMENT_RECEIVED, A.EXTEND_VERIFICATION,
        A.RESULT_READY, A.ASSIGN}
    assert actions.role_actions("leader") == actions.role_actions("admin") == set(Action)
    assert actions.role_actions("") == set(Action)  # stand-alone: its owner runs the counter
    assert actions.role_actions("clerk") == set()
    assert actions.role_actions("city-admin") == actions.role_actions("nobody") == set()
    assert set(actions.DISPLAY_ORDER) == set(Action) == set(actions.FUNCTIONS)


def test_every_status_move_of_the_table_is_one_the_state_machine_allows() -> None:
    for action, target in actions.TARGET.items():
        for source in actions.APPLIES_IN[action]:
            assert target in ALLOWED[source], (action, source, target)


def test_the_role_comes_from_the_sign_in(store) -> None:
    assert actions.current_role(store) == ""
    store.set_setting("user.role", "specialist")
    assert actions.current_role(store) == "specialist"


# ---------------------------------------------------------------------- allowed_actions


def test_allowed_actions_follow_the_status_and_the_role(store) -> None:
    birth = make(store)  # status 2
    marriage = make(store, procedure_code=MARRIAGE)
    online = make(store, status=1, channel=2)
    assert actions.allowed_actions(store, birth["id"], "officer") == [
        A.ASSIGN, A.REQUEST_SUPPLEMENT, A.REFUSE, A.WITHDRAW]
    assert actions.allowed_actions(store, birth["id"], "specialist") == [
        A.START, A.ASSIGN, A.REQUEST_SUPPLEMENT, A.RESULT_READY]  # no rule 5 for births
    assert actions.allowed_actions(store, marriage["id"], "specialist") == [
        A.START, A.ASSIGN, A.REQUEST_SUPPLEMENT, A.EXTEND_VERIFICATION, A.RESULT_READY]
    assert actions.allowed_actions(store, marriage["code"], "leader") == [
        A.START, A.ASSIGN, A.REQUEST_SUPPLEMENT, A.EXTEND_VERIFICATION, A.APOLOGY_EXTENSION,
        A.RESULT_READY, A.REFUSE, A.WITHDRAW]
    assert actions.allowed_actions(store, online["id"], "officer") == [
        A.ACCEPT, A.ASSIGN, A.REFUSE, A.WITHDRAW]
    assert actions.allowed_actions(store, birth["id"], "clerk") == []
    assert actions.allowed_actions(store, birth["id"], "city-admin") == []
    actions.result_ready(store, birth["id"])
    assert actions.allowed_actions(store, birth["id"], "officer") == [
        A.ASSIGN, A.RESULT_RETURNED]
    actions.result_returned(store, birth["id"])
    assert actions.allowed_actions(store, birth["id"], "admin") == []  # final


def test_allowed_actions_leave_out_what_the_dossier_rules_out(store, clock) -> None:
    marriage = make(store, procedure_code=MARRIAGE)
    actions.extend_verification(store, marriage["id"], 5, "Xác minh tình trạng hôn nhân")
    listed = actions.allowed_actions(store, marriage["id"], "admin")
    assert A.EXTEND_VERIFICATION not in listed and A.APOLOGY_EXTENSION in listed
    actions.apology_extension(store, marriage["id"], at(14, 9), "Chờ kết quả xác minh")
    assert A.APOLOGY_EXTENSION not in actions.allowed_actions(store, marriage["id"], "admin")
    birth = make(store)
    clock.moment = at(6, 17, 1)  # its due time passed
    assert A.APOLOGY_EXTENSION not in actions.allowed_actions(store, birth["id"], "admin")


# ---------------------------------------------------------------------- status moves


def test_accept_receives_an_online_dossier(store, clock) -> None:
    online = make(store, status=1, channel=2)
    clock.advance(timedelta(minutes=30))
    done = actions.accept(store, online["id"], note="  Hồ sơ đủ  ")
    assert done["status"] == Status.RECEIVED
    event = last_event(store, online["id"])
    assert (event["kind"], event["from_status"], event["to_status"], event["note"]) == (
        "status", 1, 2, "Hồ sơ đủ")
    assert event["actor"] == "Nguyễn Thị Hoa" and event["at"] == "2026-01-06T02:30:00Z"
    edit, logged = last_operations(store)
    assert (edit.record_type, edit.record_id, edit.fields) == (DOSSIER, online["id"],
                                                               {"status": 2})
    assert logged.record_type == DOSSIER_EVENT and logged.fields["kind"] == "status"


def test_start_and_result_and_return(store) -> None:
    record = make(store)
    assert actions.start(store, record["id"])["status"] == Status.PROCESSING
    assert actions.result_ready(store, record["id"], "Đã ký")["status"] == Status.RESULT_READY
    done = actions.result_returned(store, record["id"])
    assert done["status"] == Status.RESULT_RETURNED
    assert [(e["from_status"], e["to_status"]) for e in store.events(record["id"])] == [
        (None, 2), (2, 4), (4, 9), (9, 10)]


def test_a_supplement_request_stops_the_clock_until_the_supplement_comes(store, clock) -> None:
    # DOMAIN.md's worked example: 3 working days received Mon 05/01 09:00, supplement asked
    # Mon 10:00 and received Tue 10:00 -> due Fri 09/01 09:00 instead of Thu 08/01 09:00.
    record = make(store, procedure_code=RECOGNITION, received_at="2026-01-05T09:00:00+07:00")
    clock.moment = at(5, 10)
    asked = actions.request_supplement(
        store, record["id"], ["Bản sao giấy khai sinh", "  Giấy  xác nhận cư trú "],
        "Thiếu giấy tờ chứng minh quan hệ cha con")
    assert asked["status"] == Status.SUPPLEMENT_REQUESTED
    event = last_event(store, record["id"])
    assert event["note"] == ("- Bản sao giấy khai sinh\n- Giấy xác nhận cư trú\n\n"
                             "Thiếu giấy tờ chứng minh quan hệ cha con")
    assert actions.supplement_request_of(store, record["id"]) == {
        "at": "2026-01-05T10:00:00+07:00", "actor": "Nguyễn Thị Hoa",
        "missing_papers": ["Bản sao giấy khai sinh", "Giấy xác nhận cư trú"],
        "reason": "Thiếu giấy tờ chứng minh quan hệ cha con"}
    clock.moment = at(6, 10)
    resumed = actions.supplement_received(store, record["id"], "Đã nhận đủ")
    assert resumed["status"] == Status.PROCESSING
    assert resumed["due_at"] == "2026-01-09T09:00:00+07:00"
    edit, _ = last_operations(store)
    assert edit.fields == {"status": 4, "due_at": "2026-01-09T09:00:00+07:00"}


def test_refuse_and_withdraw_keep_the_reason(store) -> None:
    refused = make(store)
    done = actions.refuse(store, refused["id"], "Không thuộc thẩm quyền của xã")
    assert done["status"] == Status.NOT_RECEIVED
    assert last_event(store, refused["id"])["note"] == "Không thuộc thẩm quyền của xã"
    withdrawn = make(store)
    actions.request_supplement(store, withdrawn["id"], ["Tờ khai"], "Thiếu tờ khai")
    done = actions.withdraw(store, withdrawn["id"], "Công dân xin rút hồ sơ")
    assert done["status"] == Status.WITHDRAWN
    assert last_event(store, withdrawn["id"])["to_status"] == 7


def test_an_action_that_does_not_apply_in_the_status_changes_nothing(store) -> None:
    record = make(store)
    before = count(store, "outbox")
    with pytest.raises(IllegalTransition) as caught:
        actions.accept(store, record["id"])  # already received
    assert caught.value.params == {"from_status": 2, "to_status": 2, "action": "accept"}
    with pytest.raises(IllegalTransition):
        actions.result_returned(store, record["id"])
    with pytest.raises(IllegalTransition):
        actions.supplement_received(store, record["id"])  # 2 -> 4 is START's move
    actions.withdraw(store, record["id"], "Công dân xin rút")
    with pytest.raises(IllegalTransition) as caught:
        actions.assign(store, record["id"], "hoa")  # a final dossier is handed to nobody
    assert caught.value.params["action"] == "assign"
    assert count(store, "outbox") == before + 2  # the withdrawal only
    assert store.record(record["id"])["assigned_to"] is None


@pytest.mark.parametrize(("call", "field"), [
    (lambda s, i: actions.refuse(s, i, ""), "reason"),
    (lambda s, i: actions.withdraw(s, i, "   "), "reason"),
    (lambda s, i: actions.request_supplement(s, i, [], "Thiếu giấy tờ"), "missing_papers"),
    (lambda s, i: actions.request_supplement(s, i, ["Tờ khai", " "], "Thiếu"), "missing_papers"),
    (lambda s, i: actions.request_supplement(s, i, "Tờ khai", "Thiếu"), "missing_papers"),
    (lambda s, i: actions.request_supplement(s, i, ["Tờ khai"], ""), "reason"),
    (lambda s, i: actions.extend_verification(s, i, 2, ""), "reason"),
    (lambda s, i: actions.extend_verification(s, i, 0, "Xác minh"), "days"),
    (lambda s, i: actions.apology_extension(s, i, at(7, 9), " "), "reason"),
    (lambda s, i: actions.apology_extension(s, i, datetime(2026, 1, 7, 9), "Chậm"),
     "new_due_at"),
])
def test_a_missing_reason_or_argument_names_its_field(store, call, field) -> None:
    record = make(store, procedure_code=MARRIAGE)
    before = count(store, "outbox")
    with pytest.raises(InvalidField) as caught:
        call(store, record["id"])
    assert caught.value.params["field"] == field
    assert count(store, "outbox") == before and len(store.events(record["id"])) == 1


# ---------------------------------------------------------------------- roles


def test_perform_checks_the_role_first(store) -> None:
    record = make(store)
    with pytest.raises(RoleNotAllowed) as caught:
        actions.perform(store, record["id"], Action.REFUSE, "clerk", reason="Sai thẩm quyền")
    assert caught.value.code == "role_not_allowed"
    assert caught.value.params == {"role": "clerk", "action": "refuse"}
    with pytest.raises(RoleNotAllowed):
        actions.perform(store, record["id"], Action.RESULT_READY, "officer")
    with pytest.raises(RoleNotAllowed):
        actions.perform(store, record["id"], "start", "city-admin")
    with pytest.raises(InvalidField) as unknown:
        actions.perform(store, record["id"], "approve", "admin")
    assert unknown.value.params == {"field": "action"}
    assert store.record(record["id"])["status"] == Status.RECEIVED
    assert len(store.events(record["id"])) == 1
    done = actions.perform(store, record["id"], "refuse", "officer", reason="Sai thẩm quyền")
    assert done["status"] == Status.NOT_RECEIVED
    done = actions.perform(store, make(store)["id"], Action.START, "")  # stand-alone
    assert done["status"] == Status.PROCESSING


# ---------------------------------------------------------------------- assign


def give_staff(store) -> None:
    LocalSyncStore(store).apply_reference({"staff": [
        {"username": "hoa", "display_name": "Nguyễn Thị Hoa", "role": "officer"},
        {"username": "nam", "display_name": "Trần Văn Nam", "role": "specialist"},
        {"username": "an", "display_name": "Phạm Thị Ân", "role": "leader"},
        {"username": "anh", "display_name": "Lê Văn Anh", "role": "leader"},
        {"username": "admin", "display_name": None, "role": "admin"},
    ]}, None)


def test_the_staff_list_is_in_vietnamese_order(store) -> None:
    assert staff(store) == []
    give_staff(store)
    assert [p["username"] for p in staff(store)] == ["admin", "anh", "an", "hoa", "nam"]
    assert staff(store)[1] == {"username": "anh", "display_name": "Lê Văn Anh",
                               "role": "leader"}
    assert display_name(store, "nam") == "Trần Văn Nam" and display_name(store, "x") is None


def test_assign_hands_the_dossier_to_someone_on_the_staff_list(store) -> None:
    record = make(store)
    # No staff list yet (never synced): any username is taken.
    assert actions.assign(store, record["id"], "nam")["assigned_to"] == "nam"
    give_staff(store)
    with pytest.raises(InvalidField) as caught:
        actions.assign(store, record["id"], "tam")
    assert caught.value.params == {"field": "username", "username": "tam"}
    done = actions.assign(store, record["code"], "hoa", note="Trả kết quả giúp")
    assert done["assigned_to"] == "hoa" and done["status"] == Status.RECEIVED
    event = last_event(store, record["id"])
    assert (event["kind"], event["from_status"], event["to_status"]) == ("assigned", None, None)
    assert actions.assignment_of(event["note"]) == ("hoa", "Trả kết quả giúp")
    edit, logged = last_operations(store)
    assert edit.fields == {"assigned_to": "hoa"} and logged.fields["kind"] == "assigned"
    assert actions.assign(store, record["id"], None)["assigned_to"] is None
    assert actions.assignment_of(last_event(store, record["id"])["note"]) == (None, "")
    plan = store.db.execute(  # the list screen's filter uses the index
        "EXPLAIN QUERY PLAN SELECT id FROM dossiers WHERE assigned_to = 'hoa'").fetchone()[-1]
    assert "dossiers_assigned" in plan


def test_the_new_fields_are_exported_and_imported_back(store, tmp_path) -> None:
    record = make(store, procedure_code=MARRIAGE)
    actions.assign(store, record["id"], "nam")
    actions.extend_verification(store, record["id"], 2, "Xác minh")
    exported = next(store.export_records())
    assert list(exported)[-3:] == ["assigned_to", "verification_days", "apologies"]
    assert (exported["assigned_to"], exported["verification_days"], exported["apologies"]) == (
        "nam", 2, 0)
    other = create_profile(tmp_path / "other", PASSPHRASE, "09661", clock=store.clock)
    try:
        result = other.import_records([(1, exported)])
        assert result.errors == [] and next(other.export_records()) == exported
    finally:
        other.db.close()


# ---------------------------------------------------------------------- rule 5


def test_extend_for_verification_moves_the_due_time_and_counts_the_days(store) -> None:
    record = make(store, procedure_code=MARRIAGE)  # due Tue 06/01 17:00
    done = actions.extend_verification(store, record["id"], 2, "Xác minh tại nơi cư trú")
    assert done["due_at"] == "2026-01-08T17:00:00+07:00" and done["verification_days"] == 2
    event = last_event(store, record["id"])
    assert (event["kind"], event["note"], event["to_status"]) == (
        "extended_verification", "Xác minh tại nơi cư trú", None)
    edit, _ = last_operations(store)
    assert edit.fields == {"due_at": "2026-01-08T17:00:00+07:00", "verification_days": 2}
    done = actions.extend_verification(store, record["id"], 3, "Chờ trả lời")
    assert done["due_at"] == "2026-01-13T17:00:00+07:00" and done["verification_days"] == 5
    with pytest.raises(VerificationLimit) as caught:
        actions.extend_verification(store, record["id"], 1, "Thêm một ngày")
    assert caught.value.params == {"used": 5, "days": 1, "maximum": 5}
    assert store.record(record["id"])["due_at"] == "2026-01-13T17:00:00+07:00"


def test_extend_for_verification_over_the_maximum_at_once_is_refused(store) -> None:
    record = make(store, procedure_code=RECOGNITION)  # 3 days, +5
    with pytest.raises(VerificationLimit):
        actions.extend_verification(store, record["id"], 6, "Xác minh")
    assert store.record(record["id"])["verification_days"] == 0


def test_extend_for_verification_only_where_the_procedure_allows_it(store) -> None:
    record = make(store)  # birth registration: no extension
    with pytest.raises(VerificationNotAllowed) as caught:
        actions.extend_verification(store, record["id"], 1, "Xác minh")
    assert caught.value.params == {"procedure": BIRTH, "version": 1}
    assert len(store.events(record["id"])) == 1


# ---------------------------------------------------------------------- rule 7


def test_an_apology_sets_a_later_appointment_once(store, clock) -> None:
    record = make(store)  # due Tue 06/01 17:00
    clock.moment = at(6, 16)
    done = actions.apology_extension(store, record["id"], at(7, 10, 30),
                                     "Chờ ý kiến cơ quan cấp trên")
    assert done["due_at"] == "2026-01-07T10:30:00+07:00" and done["apologies"] == 1
    event = last_event(store, record["id"])
    assert (event["kind"], event["note"]) == ("apology_extension",
                                              "Chờ ý kiến cơ quan cấp trên")
    edit, _ = last_operations(store)
    assert edit.fields == {"due_at": "2026-01-07T10:30:00+07:00", "apologies": 1}
    with pytest.raises(ApologyLimit) as caught:
        actions.apology_extension(store, record["id"], at(8, 10), "Lần hai")
    assert caught.value.params == {"apologies": 1, "maximum": 1}
    store.set_setting("dossiers.max_apologies", "2")  # the city allows two
    done = actions.apology_extension(store, record["id"], at(8, 17), "Lần hai")
    assert done["due_at"] == "2026-01-08T17:00:00+07:00" and done["apologies"] == 2


def test_no_apology_once_the_due_time_passed(store, clock) -> None:
    record = make(store)
    clock.moment = at(6, 17, 1)
    with pytest.raises(DuePassed) as caught:
        actions.apology_extension(store, record["id"], at(7, 10), "Chậm")
    assert caught.value.params == {"due_at": "2026-01-06T17:00:00+07:00"}
    assert store.record(record["id"])["apologies"] == 0


@pytest.mark.parametrize("new_due", [
    at(6, 16),  # earlier than the current due time
    at(6, 17),  # the same
    at(7, 12),  # lunch
    at(7, 17, 30),  # evening
    at(10, 9),  # Saturday
])
def test_the_new_appointment_is_later_and_in_office_hours(store, new_due) -> None:
    record = make(store)
    with pytest.raises(InvalidField) as caught:
        actions.apology_extension(store, record["id"], new_due, "Chậm")
    assert caught.value.params["field"] == "new_due_at"
    assert store.record(record["id"])["due_at"] == "2026-01-06T17:00:00+07:00"


# ---------------------------------------------------------------------- one transaction


def test_an_action_whose_outbox_write_fails_leaves_nothing(store) -> None:
    record = make(store, procedure_code=MARRIAGE)
    events, outbox = len(store.events(record["id"])), count(store, "outbox")
    heard: list[ChangeNotice] = []
    store.notices.subscribe(heard.append)
    store.db.execute("CREATE TEMP TRIGGER outbox_fails BEFORE INSERT ON outbox "
                     "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    for call in (lambda: actions.assign(store, record["id"], "nam"),
                 lambda: actions.extend_verification(store, record["id"], 2, "Xác minh"),
                 lambda: actions.apology_extension(store, record["id"], at(7, 9), "Chậm"),
                 lambda: actions.refuse(store, record["id"], "Sai thẩm quyền")):
        with pytest.raises(sqlite3.DatabaseError, match="disk full"):
            call()
    after = store.record(record["id"])
    assert (after["status"], after["assigned_to"], after["verification_days"],
            after["apologies"], after["due_at"]) == (
        2, None, 0, 0, "2026-01-06T17:00:00+07:00")
    assert len(store.events(record["id"])) == events and count(store, "outbox") == outbox
    assert heard == []  # nothing committed, nothing told
    store.db.execute("DROP TRIGGER outbox_fails")
    actions.assign(store, record["id"], "nam")
    assert heard == [ChangeNotice(DOSSIER, frozenset({record["id"]}))]


def test_each_action_tells_the_views_once_it_commits(store, clock) -> None:
    online = make(store, status=1, channel=2, procedure_code=MARRIAGE)
    heard: list[ChangeNotice] = []
    store.notices.subscribe(heard.append)
    steps = [
        (A.ACCEPT, {}), (A.ASSIGN, {"username": "nam"}), (A.START, {}),
        (A.EXTEND_VERIFICATION, {"days": 1, "reason": "Xác minh"}),
        (A.APOLOGY_EXTENSION, {"new_due_at": at(9, 9), "reason": "Chậm"}),
        (A.REQUEST_SUPPLEMENT, {"missing_papers": ["Tờ khai"], "reason": "Thiếu"}),
        (A.SUPPLEMENT_RECEIVED, {}), (A.RESULT_READY, {}), (A.RESULT_RETURNED, {}),
    ]
    for action, arguments in steps:
        before = count(store, "outbox")
        actions.perform(store, online["id"], action, "leader", **arguments)
        assert heard[-1] == ChangeNotice(DOSSIER, frozenset({online["id"]})), action
        assert count(store, "outbox") == before + 2, action  # the edit and its event
    assert len(heard) == len(steps)
    kinds = [e["kind"] for e in store.events(online["id"])]
    assert kinds == ["received", "status", "assigned", "status", "extended_verification",
                     "apology_extension", "status", "status", "status", "status"]

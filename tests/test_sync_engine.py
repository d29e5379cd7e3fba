"""The client sync engine against a real city server on loopback: two machines of one commune
and one of another, real SQLCipher profiles, real HTTP (issue 4)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
import sqlalchemy as sa

from app import actions, conflicts, staff, syncing
from app.clock import Clock
from app.profile import ProfilePaths, open_profile
from app.store import DOSSIER
from sync.lock import SyncBusy, sync_lock
from sync.transport import SignInRequired
from tests.conftest import PASSPHRASE
from tests.sync_helpers import HOA, LAN, Machine


@pytest.fixture
def machines(city_server, tmp_path: Path):
    made: list[Machine] = []

    def make(name: str, commune: str = "09661", account=HOA, **kwargs) -> Machine:
        machine = Machine(tmp_path / name, city_server.url, commune, account, **kwargs)
        made.append(machine)
        return machine

    yield make
    for machine in made:
        machine.close()


def test_dossiers_travel_from_one_machine_to_another(machines) -> None:
    a, b = machines("a"), machines("b")
    made = a.take(3)
    a.store.add_attachment(made[0]["id"], b"%PDF-1.4 scan of the birth certificate",
                           "giấy chứng sinh.pdf", "application/pdf")
    first = a.sync(blobs=True)
    assert first.pushed == 3 * 2 + 1 and first.applied == first.pushed and first.pending == 0
    assert first.blobs_up == 1
    assert a.store.status()["pending"] == 0
    assert a.store.sync_state(DOSSIER, made[0]["id"]) == ("synced", None)
    report = b.sync(blobs=True)
    assert report.pulled >= 7 and report.blobs_down == 1
    assert b.export() == a.export()
    [attachment] = b.store.attachments(made[0]["id"])
    assert b.store.attachment_bytes(attachment["id"]) == b"%PDF-1.4 scan of the birth certificate"
    assert [e["kind"] for e in b.store.events(made[1]["id"])] == ["received"]
    # Nothing new: a second sync moves nothing and changes nothing; A's own upload never
    # came back to it.
    again = a.sync()
    assert again.pushed == 0 and again.pulled == 0 and first.pulled == 0
    assert a.export() == b.export()


def test_codes_come_from_the_slot_the_server_gave(machines) -> None:
    a, b = machines("a"), machines("b")
    slot_a, slot_b = a.store.current_slot(), b.store.current_slot()
    assert slot_a != slot_b and slot_a.first < 9000 and slot_b.first < 9000
    code_a, code_b = a.take(1)[0]["code"], b.take(1)[0]["code"]
    assert int(code_a[-4:]) == slot_a.first and int(code_b[-4:]) == slot_b.first
    assert code_a.startswith(a.store.unit_id)


def test_different_fields_merge_and_the_same_field_conflicts(machines) -> None:
    a, b = machines("a"), machines("b")
    [record] = a.take(1)
    a.sync()
    b.sync()
    a.store.set_field(record["id"], "applicant.phone", "0987 654 321")
    b.store.set_field(record["id"], "applicant.address", "Xóm Đông, xã Minh Châu")
    a.sync()
    assert b.sync().conflicts == 0
    a.sync()
    merged = a.store.record(record["id"])["applicant"]
    assert merged["phone"] == "+84987654321" and merged["address"] == "Xóm Đông, xã Minh Châu"
    assert b.store.record(record["id"])["applicant"] == merged
    # The same field on both, from the same base: a conflict holding both values.
    a.store.set_field(record["id"], "notes", "Máy A: công dân hẹn chiều thứ Năm")
    b.store.set_field(record["id"], "notes", "Máy B: công dân gọi lại")
    a.sync()
    report = b.sync()
    assert report.conflicts == 1
    [conflict] = conflicts.open_conflicts(b.store)
    assert conflict["field"] == "notes" and conflict["local"] == "Máy B: công dân gọi lại"
    assert conflict["server"] == "Máy A: công dân hẹn chiều thứ Năm"
    assert b.store.sync_state(DOSSIER, record["id"])[0] == "conflict"
    # The server kept A's value; B still shows its own until a person chooses.
    assert b.store.record(record["id"])["notes"] == "Máy B: công dân gọi lại"
    conflicts.resolve(b.store, conflict["id"], "local")
    assert b.sync().conflicts == 0
    a.sync()
    assert a.store.record(record["id"])["notes"] == "Máy B: công dân gọi lại"
    assert b.store.sync_state(DOSSIER, record["id"]) == ("synced", None)
    assert conflicts.open_conflicts(b.store) == []


def test_workflow_fields_travel_and_merge_per_field(machines, city_server) -> None:
    """An assignment made on one machine and a note added on another both survive; the
    server stores the new fields (its records are checked against dossier.schema.json)."""
    a, b = machines("a"), machines("b")
    [record] = a.take(1, procedure_code="1.000894")  # marriage: up to 5 days more for checks
    a.sync()
    b.sync()
    assert staff.usernames(a.store) >= {"hoa"}  # the staff list came with the sync
    actions.assign(a.store, record["id"], "hoa", note="Anh Nam nghỉ phép")
    actions.extend_verification(a.store, record["id"], 2, "Xác minh tại nơi cư trú")
    b.store.set_field(record["id"], "notes", "Công dân hẹn chiều thứ Năm")
    assert a.sync().applied == 4  # two edits, two events
    assert b.sync().conflicts == 0
    a.sync()
    for machine in (a, b):
        merged = machine.store.record(record["id"])
        assert (merged["assigned_to"], merged["verification_days"], merged["due_at"],
                merged["notes"]) == ("hoa", 2, "2026-01-08T17:00:00+07:00",
                                     "Công dân hẹn chiều thứ Năm")
        assert [e["kind"] for e in machine.store.events(record["id"])] == [
            "received", "assigned", "extended_verification"]
        assert machine.store.sync_state(DOSSIER, record["id"]) == ("synced", None)
    assert a.export() == b.export()
    with city_server.engine().connect() as connection:
        body = connection.execute(sa.text("SELECT body FROM records WHERE id = :id"),
                                  {"id": record["id"]}).scalar_one()
    stored = json.loads(body)
    assert (stored["assigned_to"], stored["verification_days"], stored["apologies"]) == (
        "hoa", 2, 0)
    # The same field from the same base on both machines: a conflict a person resolves.
    actions.assign(a.store, record["id"], None)
    actions.assign(b.store, record["id"], "hoa", note="Giữ nguyên")
    a.sync()
    assert b.sync().conflicts == 1
    [conflict] = conflicts.open_conflicts(b.store)
    assert (conflict["field"], conflict["local"], conflict["server"]) == (
        "assigned_to", "hoa", None)


def test_an_edit_made_twice_before_a_pull_does_not_conflict_with_itself(machines) -> None:
    a = machines("a")
    [record] = a.take(1)
    a.store.set_field(record["id"], "notes", "lần 1")
    a.sync()
    a.store.set_field(record["id"], "notes", "lần 2")  # local rev still from before
    a.store.set_field(record["id"], "notes", "lần 3")
    assert a.sync().conflicts == 0
    assert a.store.record(record["id"])["notes"] == "lần 3"


def test_a_rejected_operation_leaves_its_record_in_error_until_edited(machines, city_server
                                                                      ) -> None:
    a = machines("a")
    [record] = a.take(1)
    # The server does not know this procedure version's code: the schema refuses it.
    a.store.db.execute("UPDATE dossiers SET procedure_code = 'không-hợp-lệ' WHERE id = ?",
                       [record["id"]])
    report = a.sync()
    assert report.rejected == 1
    state, reason = a.store.sync_state(DOSSIER, record["id"])
    assert state == "error" and "invalid_record" in reason
    assert a.sync().pushed == 0  # not retried by itself
    a.store.db.execute("UPDATE dossiers SET procedure_code = '1.001193' WHERE id = ?",
                       [record["id"]])
    a.store.set_field(record["id"], "notes", "đã sửa mã thủ tục")
    assert a.sync().applied >= 1
    assert a.store.sync_state(DOSSIER, record["id"]) == ("synced", None)


def test_stand_alone_codes_that_clash_become_a_conflict(machines) -> None:
    a = machines("a", sign_in=False)
    b = machines("b", sign_in=False)
    code_a, code_b = a.take(1)[0]["code"], b.take(1)[0]["code"]
    assert code_a == code_b and int(code_a[-4:]) == 9000  # both stand-alone: the same code
    a.sign_in()
    b.sign_in()
    a.sync()
    b.sync()
    [conflict] = conflicts.open_conflicts(b.store)
    assert conflict["field"] == "code" and conflict["reason"] == "code_taken"
    # B now holds A's dossier under that code; its own dossier waits for a new one.
    assert b.store.record(code_a)["applicant"] == a.store.record(code_a)["applicant"]
    done = conflicts.resolve(b.store, conflict["id"], "server")
    assert done["code"] != code_a and int(done["code"][-4:]) < 9000
    b.sync()
    a.sync()
    assert a.export() == b.export()
    assert {code_a, done["code"]} <= {r["code"] for r in a.export()}


def test_a_machine_of_another_commune_pulls_none_of_it(machines) -> None:
    a = machines("a")
    a.take(2)
    a.sync()
    other = machines("kim-lien", commune="00226", account=LAN)
    other.take(1)
    report = other.sync()
    assert report.pulled == 0  # nothing of Minh Châu (and its own changes are not sent back)
    assert len(other.export()) == 1
    again = other.sync(full=True)  # everything the server holds for it: its own two records
    assert again.pulled == 2 and len(other.export()) == 1


def test_a_full_resync_keeps_pending_changes(machines, city_server) -> None:
    a, b = machines("a"), machines("b")
    a.take(2)
    a.sync()
    b.sync()
    [mine] = b.take(1)
    with city_server.engine().begin() as connection:  # the server compacted: a new epoch
        connection.execute(sa.text("UPDATE settings SET value = '2' WHERE key = 'epoch'"))
        if connection.execute(sa.text("SELECT count(*) FROM settings WHERE key = 'epoch'")
                              ).scalar() == 0:
            connection.execute(sa.text("INSERT INTO settings(key, value) VALUES ('epoch', '2')"))
    report = b.sync()
    assert report.resynced and b.store.status()["pending"] == 0
    a.sync()
    assert a.store.record(mine["id"])["code"] == mine["code"]
    assert a.export() == b.export()


class SlowMachineClock(Clock):
    """A machine whose own clock is 42 minutes slow."""

    def machine_now(self) -> datetime:
        return datetime.now(UTC) - timedelta(minutes=42)


def test_a_wrong_machine_clock_is_corrected_and_warned_about(machines) -> None:
    a = machines("a", clock=SlowMachineClock())
    offset = syncing.clock_offset(a.store)  # measured at sign-in
    assert offset is not None and abs(offset - 42 * 60) < 30
    report = a.sync()
    assert report.clock_warning and abs(report.clock_offset - 42 * 60) < 30
    # Codes and due times use the corrected time: the server's.
    assert abs((a.store.clock.now() - datetime.now(UTC)).total_seconds()) < 30
    [record] = a.take(1, received_at=None)
    received = datetime.fromisoformat(record["received_at"])
    assert abs((received - datetime.now(UTC)).total_seconds()) < 30
    # Kept in the profile: a later start corrects its clock before any contact.
    reopened = open_profile(a.root, PASSPHRASE, clock=SlowMachineClock())
    try:
        assert abs((reopened.clock.now() - datetime.now(UTC)).total_seconds()) < 30
    finally:
        reopened.db.close()


def test_one_sync_at_a_time_per_profile(machines) -> None:
    a = machines("a")
    with sync_lock(a.root), pytest.raises(SyncBusy):
        a.sync()


def test_a_revoked_device_must_sign_in_again(machines, city_server) -> None:
    a = machines("a")
    a.take(1)
    city_server.admin("device", "revoke", syncing.device_id(a.store))
    with pytest.raises(SignInRequired):
        a.sync()
    assert a.store.status()["pending"] == 2  # nothing lost


def test_tokens_are_never_in_the_profile_folder_in_clear(machines, memory_keyring) -> None:
    a = machines("a")
    stored = json.loads(memory_keyring.get_password("communedesk-tokens",
                                                    ProfilePaths(a.root).profile_id()))
    assert stored["refresh"] and stored["access"]
    for path in a.root.rglob("*"):
        if path.is_file():
            assert stored["refresh"].encode() not in path.read_bytes()


def test_an_attachment_is_fetched_when_a_person_opens_it(machines) -> None:
    a, b = machines("a"), machines("b")
    [record] = a.take(1)
    attachment_id = a.store.add_attachment(record["id"], b"JPEG scan " * 5000, "cmnd.jpg",
                                           "image/jpeg")
    a.sync(blobs=True)
    report = b.sync()  # bandwidth saver (no link rate measured yet): records only
    assert report.blobs_down == 0 and report.blobs_left >= 1
    [attachment] = b.store.attachments(record["id"])
    assert not b.store.blobs.has(attachment["sha256"])
    data = syncing.fetch_attachment(b.store, b.root, attachment_id)
    assert data == b"JPEG scan " * 5000 and b.store.blobs.has(attachment["sha256"])


def test_each_sync_reports_version_and_pending_to_the_server(machines, city_server) -> None:
    a = machines("a")
    a.take(1)
    a.sync()
    listing = city_server.admin("device", "list", "--json").stdout
    [device] = [d for d in json.loads(listing) if d["id"] == syncing.device_id(a.store)]
    assert device["app_version"] == "0.1.0" and device["pending"] == 0


class NoKeychain(keyring.backend.KeyringBackend):
    """A machine with no usable keychain (a headless server, a locked-down PC)."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.NoKeyringError("no keychain here")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.NoKeyringError("no keychain here")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.NoKeyringError("no keychain here")


def test_without_a_keychain_tokens_live_in_the_encrypted_profile(machines) -> None:
    keyring.set_keyring(NoKeychain())  # the autouse fixture puts the memory keychain back
    a = machines("a")
    a.take(1)
    assert a.sync().applied == 2
    stored = a.store.db.execute("SELECT value FROM sync_meta WHERE key = 'tokens'").fetchone()
    refresh = json.loads(stored[0])["refresh"]
    for path in a.root.rglob("*"):
        if path.is_file():
            assert refresh.encode() not in path.read_bytes()


def test_a_keychain_that_keeps_nothing_does_not_sign_the_device_out(machines) -> None:
    from keyring.backends.null import Keyring as NullKeyring

    keyring.set_keyring(NullKeyring())  # accepts every secret and keeps none
    a = machines("a")
    a.take(1)
    assert a.sync().applied == 2
    assert a.store.db.execute("SELECT 1 FROM sync_meta WHERE key = 'tokens'").fetchone()
    a.take(1)
    assert a.sync().applied == 2  # still signed in: the tokens were kept in the profile

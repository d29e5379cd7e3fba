"""Register leases from the client's side against a real city server on loopback (issue 6's
proof): two machines of one commune, real SQLCipher profiles, real HTTP, app/leases.py and the
sync engine. Only the holder numbers; after sync every number of the year appears exactly once
with no gap; a forced transfer away from a holder that keeps numbering offline brings its
numbers back to it as conflicts, which a person settles, and the new holder continues the
series. Each test works in a commune of its own (leases are per commune)."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import pytest

from app import conflicts, doctor, leases, syncing
from app import documents as docs
from app.errors import NotLeaseHolder, SecretDocument, SecretWithAttachments, UnsyncedNumbers
from app.sync_local import LocalSyncStore
from sync.local import ResultCounts
from tests.sync_helpers import Machine

PASSWORD = "mật-khẩu-văn-thư"


@pytest.fixture(scope="module")
def server(city_server):
    """The module's city server with a clerk, a leader and an admin in Xã Minh Châu (09661)
    and in Phường Kim Liên (00226)."""
    for commune, prefix in (("09661", "mc"), ("00226", "kl")):
        for role in ("clerk", "leader", "admin"):
            city_server.admin("user", "add", "--commune", commune, "--username",
                              f"{prefix}-{role}", "--role", role, "--name", f"{role} {prefix}",
                              password=PASSWORD)
    return city_server


@pytest.fixture
def machines(server, tmp_path: Path):
    made: list[Machine] = []

    def make(name: str, commune: str, username: str) -> Machine:
        machine = Machine(tmp_path / name, server.url, commune, (username, PASSWORD))
        made.append(machine)
        return machine

    yield make
    for machine in made:
        machine.close()


def draft(machine: Machine, summary: str, **fields) -> str:
    return docs.draft_outgoing(machine.store, {"doc_type": "TB", "summary": summary,
                                               "signer": "Nguyễn Văn An", **fields})["id"]


def register(machine: Machine, year: int = 2026) -> list[tuple[int, str]]:
    """(number, id) of the ordinary outgoing register of ``year``, in order."""
    return [(d["number"], d["id"]) for d in docs.list_outgoing(
        machine.store, docs.RegisterFilter(year=year, series="ordinary", numbered_only=True))]


def test_only_the_holder_numbers_and_every_number_appears_once(machines) -> None:
    clerk = machines("van-thu", "09661", "mc-clerk")
    other = machines("chuyen-vien", "09661", "mc-leader")
    for machine in (clerk, other):
        machine.sync()
        assert not leases.i_hold(machine.store, "outgoing", "ordinary")  # signed in: none yet
    taken = leases.acquire(clerk.store, clerk.root, "outgoing", "ordinary")
    assert taken.mine and taken.epoch >= 1 and taken.holder_device_name == "van-thu"
    leases.acquire(clerk.store, clerk.root, "incoming", "ordinary")
    other.sync()
    holder = leases.holder_of(other.store, "outgoing", "ordinary")
    assert (holder.holder_device_name, holder.mine) == ("van-thu", False)

    # The other machine drafts and records arrivals, but numbers nothing, and says who does.
    drafts = [draft(other, f"Dự thảo {n}") for n in range(2)]
    with pytest.raises(NotLeaseHolder) as refused:
        docs.issue(other.store, drafts[0])
    assert refused.value.params["holder_device_name"] == "van-thu"
    with pytest.raises(NotLeaseHolder) as held:  # the server's 409, with the holder named
        leases.acquire(other.store, other.root, "outgoing", "ordinary")
    assert held.value.params["holder_device_name"] == "van-thu"
    arrival = docs.register_incoming(other.store, {
        "author": "Sở Nội vụ", "doc_type": "CV", "summary": "Về việc tuyển dụng"})
    assert not arrival.numbered and arrival.lease.holder_device_name == "van-thu"

    # The holder numbers offline over three days (no sync, the clocks move on), then everyone
    # syncs; the holder numbers the others' drafts.
    mine = []
    for n in range(3):
        mine.append(docs.issue(clerk.store, draft(clerk, f"Văn bản {n}"))["number"])
        for machine in (clerk, other):
            machine.store.clock.advance(timedelta(days=1))
    assert mine == [1, 2, 3]
    issued_days = sorted({d["issued_at"][:10] for d in docs.list_outgoing(clerk.store)
                          if d["issued_at"]})
    assert len(issued_days) == 3  # one a day, offline
    other.sync()
    clerk.sync()
    for document_id in drafts:
        docs.issue(clerk.store, document_id)
    numbered = docs.number_incoming(clerk.store, arrival.record["id"])
    assert numbered["arrival_number"] == 1
    clerk.sync()
    other.sync()
    for machine in (clerk, other):
        assert [n for n, _ in register(machine)] == [1, 2, 3, 4, 5]
        assert machine.store.status()["conflicts"] == 0
    assert register(clerk) == register(other)
    assert docs.get(other.store, arrival.record["id"])["arrival_number"] == 1

    # Moving the register: release (after a sync), acquire; the series goes on.
    released = leases.release(clerk.store, clerk.root, "outgoing", "ordinary")
    assert not released.held
    taken = leases.acquire(other.store, other.root, "outgoing", "ordinary")
    assert taken.mine and taken.last_number(2026) == 5
    assert docs.issue(other.store, draft(other, "Văn bản của máy mới"))["number"] == 6
    with pytest.raises(NotLeaseHolder):
        docs.issue(clerk.store, draft(clerk, "Máy cũ không còn giữ sổ"))
    other.sync()
    clerk.sync()
    assert [n for n, _ in register(clerk)] == [1, 2, 3, 4, 5, 6]
    assert register(clerk) == register(other)


def test_a_release_waits_for_numbers_the_server_has_not_got(machines, monkeypatch) -> None:
    clerk = machines("van-thu-2", "00226", "kl-clerk")
    clerk.sync()
    leases.acquire(clerk.store, clerk.root, "incoming", "secret")
    docs.register_incoming(clerk.store, {"author": "Công an tỉnh", "doc_type": "CV",
                                         "summary": "Tài liệu mật", "secrecy": "secret"})
    monkeypatch.setattr(syncing, "run_sync", lambda store, root: None)  # the sync "failed"
    with pytest.raises(UnsyncedNumbers) as waiting:
        leases.release(clerk.store, clerk.root, "incoming", "secret")
    assert waiting.value.params["count"] == 1
    assert leases.i_hold(clerk.store, "incoming", "secret")  # still numbering
    monkeypatch.undo()
    assert not leases.release(clerk.store, clerk.root, "incoming", "secret").held


def test_a_forced_transfer_brings_the_old_holders_offline_numbers_back_as_conflicts(
        machines) -> None:
    old = machines("may-cu", "00226", "kl-clerk")
    new = machines("may-moi", "00226", "kl-admin")
    old.sync()
    leases.acquire(old.store, old.root, "outgoing", "ordinary")
    for n in range(2):
        docs.issue(old.store, draft(old, f"Văn bản {n + 1}"))
    old.sync()
    new.sync()

    # The old holder goes offline and keeps numbering: 03 and 04.
    offline = [draft(old, "Giấy mời họp"), draft(old, "Thông báo nghỉ Tết")]
    assert [docs.issue(old.store, d)["number"] for d in offline] == [3, 4]
    # Meanwhile the commune admin moves the register to the new machine, which goes on.
    moved = leases.transfer(new.store, new.root, "outgoing", "ordinary",
                            syncing.device_id(new.store))
    assert moved.mine and moved.last_number(2026) == 2
    assert [docs.issue(new.store, draft(new, f"Văn bản mới {n}"))["number"]
            for n in range(2)] == [3, 4]
    new.sync()

    # The old holder comes back: its numbers are conflicts, never renumbered silently.
    old.sync()
    assert not leases.i_hold(old.store, "outgoing", "ordinary")
    waiting = conflicts.open_conflicts(old.store)
    assert waiting and all(c["number_conflict"] for c in waiting)
    assert {c["record_id"] for c in waiting} == set(offline)
    assert {c["reason"] for c in waiting} <= {"lease_lost", "number_taken"}
    # The server refused each number with what goes with it; one choice settles them all.
    assert {c["field"] for c in waiting if c["record_id"] == offline[0]} >= {
        "number", "symbol", "issued_at", "status", "lease_epoch", "numbered_by"}
    for document_id in offline:
        assert docs.get(old.store, document_id)["sync_state"] == "conflict"
    with pytest.raises(conflicts.ConflictChoice):  # not the holder: it cannot keep them
        conflicts.resolve(old.store, waiting[0]["id"], "local")
    for document_id in offline:
        open_one = next(c for c in conflicts.open_conflicts(old.store)
                        if c["record_id"] == document_id)
        conflicts.resolve(old.store, open_one["id"], "server")
    assert conflicts.open_conflicts(old.store) == []
    assert [docs.get(old.store, d)["status"] for d in offline] == ["draft", "draft"]
    old.sync()
    new.sync()
    # The new holder gives them the next numbers; the papers are corrected by hand.
    assert [docs.issue(new.store, d)["number"] for d in offline] == [5, 6]
    new.sync()
    old.sync()
    for machine in (old, new):
        assert [n for n, _ in register(machine)] == [1, 2, 3, 4, 5, 6]
        assert machine.store.status()["conflicts"] == 0
    assert register(old) == register(new)
    assert LocalSyncStore(old.store).sync_value("leases_refused") is None


def test_a_document_made_secret_elsewhere_keeps_no_file_on_any_machine(machines) -> None:
    """A secret document keeps metadata only (docs/correspondence.md): the machine holding a
    document's scan may not make it secret; a machine that has not pulled the scan yet may, and
    then every machine keeps the attachment's metadata without its bytes: the holder's file is
    removed by the pull that makes the document secret, the others never fetch it."""
    clerk = machines("van-thu-mat", "09661", "mc-clerk")
    leader = machines("lanh-dao-mat", "09661", "mc-leader")
    letter = draft(clerk, "Báo cáo tình hình an ninh trật tự")
    clerk.sync(blobs=True)
    leader.sync(blobs=True)  # the leader's machine has the draft, not yet its scan
    scan = b"%PDF-1.4 bao cao " + os.urandom(3000)
    sha = hashlib.sha256(scan).hexdigest()
    attachment_id = docs.add_attachment(clerk.store, letter, scan, "bao-cao.pdf",
                                        "application/pdf")
    assert clerk.sync(blobs=True).blobs_up == 1
    with pytest.raises(SecretWithAttachments):  # the file is here: remove it first
        docs.update_draft(clerk.store, letter, {"secrecy": "secret"})
    assert docs.get(clerk.store, letter)["secrecy"] == "none"

    docs.update_draft(leader.store, letter, {"secrecy": "secret"})
    report = leader.sync(blobs=True)
    assert report.blobs_down == 0 and report.blobs_left == 0
    assert docs.get(leader.store, letter)["sync_state"] == "synced"
    assert [a["id"] for a in docs.attachments(leader.store, letter)] == [attachment_id]
    assert not leader.store.blobs.has(sha)

    clerk.sync(blobs=True)  # the pull that makes the document secret takes the file away
    record = docs.get(clerk.store, letter)
    assert (record["secrecy"], record["series"]) == ("secret", "secret")
    assert [a["id"] for a in docs.attachments(clerk.store, letter)] == [attachment_id]
    assert not clerk.store.blobs.has(sha) and not clerk.store.blobs.path(sha).exists()
    with pytest.raises(SecretDocument):
        syncing.fetch_attachment(clerk.store, clerk.root, attachment_id)
    with pytest.raises(SecretDocument):
        docs.add_attachment(clerk.store, letter, b"%PDF-1.4 x", "x.pdf", "application/pdf")

    newcomer = machines("may-moi-mat", "09661", "mc-admin")  # pulls everything at once
    assert newcomer.sync(blobs=True).blobs_down == 0
    assert [a["id"] for a in docs.attachments(newcomer.store, letter)] == [attachment_id]
    assert not newcomer.store.blobs.has(sha)


def test_a_removed_attachment_leaves_every_machine_of_the_commune(machines) -> None:
    """A synced attachment removed on one machine (docs/correspondence.md): the tombstone goes
    up, the other machine drops the row and its file at its next sync, both keep the event;
    with no attachment left the document may become secret."""
    clerk = machines("van-thu-go", "09661", "mc-clerk")
    leader = machines("lanh-dao-go", "09661", "mc-leader")
    letter = draft(clerk, "Kế hoạch tổ chức hội nghị")
    wrong, right = b"%PDF-1.4 nham " + os.urandom(2000), b"%PDF-1.4 dung " + os.urandom(2000)
    wrong_sha, right_sha = (hashlib.sha256(b).hexdigest() for b in (wrong, right))
    wrong_id = docs.add_attachment(clerk.store, letter, wrong, "quet-nham.pdf",
                                   "application/pdf")
    docs.add_attachment(clerk.store, letter, right, "ke-hoach.pdf", "application/pdf")
    assert clerk.sync(blobs=True).blobs_up == 2
    assert leader.sync(blobs=True).blobs_down == 2
    assert leader.store.blobs.has(wrong_sha)

    removed = docs.remove_attachment(clerk.store, letter, docs.short_ref(wrong_id))
    assert removed["id"] == wrong_id and not clerk.store.blobs.has(wrong_sha)
    report = clerk.sync(blobs=True)
    assert report.rejected == report.conflicts == 0
    assert LocalSyncStore(clerk.store).pending_count() == 0
    leader.sync(blobs=True)
    for machine in (clerk, leader):
        assert [a["file_name"] for a in docs.attachments(machine.store, letter)] == [
            "ke-hoach.pdf"]
        assert not machine.store.blobs.has(wrong_sha)
        assert not machine.store.blobs.path(wrong_sha).exists()
        assert machine.store.blobs.has(right_sha)
        [event] = [e for e in docs.events(machine.store, letter)
                   if e["kind"] == "attachment_removed"]
        assert (event["note"], event["actor"]) == ("quet-nham.pdf", "clerk mc")

    # The last one goes on the leader's machine; then the draft may become secret there.
    docs.remove_attachment(leader.store, letter, "ke-hoach.pdf")
    docs.update_draft(leader.store, letter, {"secrecy": "secret"})
    leader.sync(blobs=True)
    clerk.sync(blobs=True)
    assert docs.attachments(clerk.store, letter) == []
    assert not clerk.store.blobs.has(right_sha)
    assert docs.get(clerk.store, letter)["secrecy"] == "secret"
    newcomer = machines("may-moi-go", "09661", "mc-admin")  # pulls everything at once
    assert newcomer.sync(blobs=True).blobs_down == 0
    assert docs.attachments(newcomer.store, letter) == []


def test_an_attachment_removed_before_it_was_ever_synced(machines, monkeypatch) -> None:
    """Made offline and removed before any sync: its create goes up as a tombstone, then the
    removal; no machine ever lists it. And one whose create reached the server while the
    answer was lost (the link cut): the removal takes it off the server too."""
    clerk = machines("van-thu-offline", "00226", "kl-clerk")
    other = machines("chuyen-vien-offline", "00226", "kl-leader")
    letter = draft(clerk, "Giấy mời họp tổ dân phố")
    never = docs.add_attachment(clerk.store, letter, b"%PDF-1.4 never", "nhap.pdf",
                                "application/pdf")
    docs.remove_attachment(clerk.store, letter, never)
    report = clerk.sync(blobs=True)
    assert (report.rejected, report.conflicts, report.blobs_up) == (0, 0, 0)
    assert LocalSyncStore(clerk.store).pending_count() == 0
    other.sync(blobs=True)
    assert docs.get(other.store, letter)["summary"] == "Giấy mời họp tổ dân phố"
    assert docs.attachments(other.store, letter) == []
    assert [e["note"] for e in docs.events(other.store, letter)
            if e["kind"] == "attachment_removed"] == ["nhap.pdf"]

    # The server applies the create, but every answer is lost on the way back.
    scan = b"%PDF-1.4 lost answer " + os.urandom(1000)
    lost = docs.add_attachment(clerk.store, letter, scan, "mat-tra-loi.pdf", "application/pdf")
    monkeypatch.setattr(LocalSyncStore, "apply_results",
                        lambda self, results: ResultCounts())
    clerk.sync(blobs=True)
    monkeypatch.undo()
    assert LocalSyncStore(clerk.store).pending_count() > 0  # unanswered here
    other.sync(blobs=True)
    assert [a["id"] for a in docs.attachments(other.store, letter)] == [lost]  # alive there
    docs.remove_attachment(clerk.store, letter, "mat-tra-loi.pdf")
    clerk.sync(blobs=True)
    assert LocalSyncStore(clerk.store).pending_count() == 0
    other.sync(blobs=True)
    assert docs.attachments(other.store, letter) == []
    assert not other.store.blobs.has(hashlib.sha256(scan).hexdigest())
    for machine in (clerk, other):
        assert doctor.examine(machine.store) == []
        assert machine.store.status()["errors"] == 0

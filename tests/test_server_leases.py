"""Register leases and the number checks of a push (issue 6, docs/decisions/0009,
docs/sync-protocol.md §7.1), against a real city server on loopback, on SQLite and PostgreSQL.

Each test works in a commune of its own (a clerk, a leader, an admin and an officer, each on a
device of their own), so the leases one test moves are not another's. Commune isolation of the
lease routes is probed in tests/test_server_isolation.py with the other routes.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from server import admin, schema
from server.db import make_engine
from sync.engine import SyncEngine
from sync.local import LEASES_ETAG, BlobRef, ResultCounts
from sync.protocol import SERVER_TIME_HEADER
from sync.transport import Refused, Tokens, Transport
from tests.conftest import BACKENDS, VERSION
from tests.test_server_sync import Device, pull, push

DB_BACKENDS = BACKENDS
PASSWORD = "mật-khẩu-dài"
ROLES = ("clerk", "leader", "admin", "officer")
PAIRS = [("incoming", "ordinary"), ("incoming", "secret"), ("outgoing", "ordinary"),
         ("outgoing", "secret")]


@dataclass
class Desk:
    """One signed-in device of a commune."""

    server: Any
    username: str
    device_id: str
    device_name: str
    headers: dict
    refresh_token: str
    device: Device = field(default_factory=Device)

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, f"{self.server.url}/v1{path}", headers={
            **self.headers, **kwargs.pop("headers", {})}, timeout=60, **kwargs)

    def leases(self) -> dict[tuple[str, str], dict]:
        answer = self.call("GET", "/leases")
        assert answer.status_code == 200, answer.text
        return {(lease["kind"], lease["series"]): lease for lease in answer.json()}

    def acquire(self, kind: str = "outgoing", series: str = "ordinary") -> requests.Response:
        return self.call("POST", f"/leases/{kind}/{series}/acquire")

    def release(self, kind: str = "outgoing", series: str = "ordinary") -> requests.Response:
        return self.call("POST", f"/leases/{kind}/{series}/release")

    def transfer(self, device_id: str, kind: str = "outgoing", series: str = "ordinary",
                 force: Any = True) -> requests.Response:
        body = {"device_id": device_id} if force is None else {"device_id": device_id,
                                                               "force": force}
        return self.call("POST", f"/leases/{kind}/{series}/transfer", json=body)

    def push(self, *ops: dict) -> list[dict]:
        return push(self.server, self.headers, list(ops))


def log_in(server, username: str, device_name: str, device_id: str | None = None,
           password: str = PASSWORD) -> Desk:
    device_id = device_id or str(uuid.uuid4())
    answer = requests.post(f"{server.url}/v1/auth/login", headers=VERSION, timeout=30, json={
        "username": username, "password": password, "device_id": device_id,
        "device_name": device_name})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return Desk(server, username, device_id, device_name,
                {**VERSION, "Authorization": f"Bearer {body['access_token']}"},
                body["refresh_token"])


@pytest.fixture(scope="module")
def engine(city_server):
    made = make_engine(city_server.db_url)
    yield made
    made.dispose()


@pytest.fixture(scope="module")
def communes(engine) -> itertools.count:
    """Commune codes nobody else in this module uses, one per call of ``office``."""
    c = schema.communes
    with engine.connect() as connection:
        codes = [code for (code,) in connection.execute(
            sa.select(c.c.code).where(c.c.code.not_in(["09661", "00226", "00070"]))
            .order_by(c.c.code).limit(40))]
    return iter(codes)


def make_office(city_server, engine, communes) -> dict[str, Any]:
    """A commune of its own: a clerk, a leader, an admin and an officer, each signed in on a
    device of their own (``office["commune"]`` is its code)."""
    code = next(communes)
    desks: dict[str, Any] = {"commune": code}
    for role in ROLES:
        username = f"{role}-{code}"
        admin.add_user(engine, username, role, PASSWORD, code, f"Người {role}")
        desks[role] = log_in(city_server, username, f"máy {role}")
    return desks


@pytest.fixture
def office(city_server, engine, communes) -> dict[str, Desk]:
    """A commune of its own (``make_office``)."""
    return make_office(city_server, engine, communes)


def outgoing(series: str = "ordinary", **extra: Any) -> dict:
    return {"series": series, "doc_type": "QĐ", "summary": "Quyết định khen thưởng",
            "issuer": "UBND", "recipients": ["Phòng Nội vụ"], "status": "draft", **extra}


def issued(desk: Desk, number: int, epoch: int, year: int = 2026, **extra: Any) -> dict:
    return outgoing(**{"number": number, "register_year": year, "numbered_by": desk.device_id,
                       "lease_epoch": epoch, "status": "issued",
                       "symbol": f"{number:02d}/QĐ-UBND",
                       "issued_at": "2026-01-06T09:00:00+07:00", **extra})


def incoming(desk: Desk | None, number: int | None, epoch: int | None, year: int = 2026,
             **extra: Any) -> dict:
    return {"register_year": year, "series": "ordinary", "arrived_at": "2026-01-06T08:30:00+07:00",
            "author": "UBND huyện", "doc_type": "CV", "summary": "Về việc tiêm chủng",
            "arrival_number": number, "numbered_by": desk.device_id if desk else None,
            "lease_epoch": epoch, **extra}


UNISSUED = {"number": None, "register_year": None, "symbol": None, "issued_at": None,
            "status": "draft", "lease_epoch": None, "numbered_by": None}
"""The conflict fields of a new outgoing document whose number is refused: the server's
values of the number and of every field that goes with it."""


def create(desk: Desk, fields: dict, kind: str = "outgoing_document",
           record_id: str | None = None) -> tuple[str, dict]:
    record_id = record_id or str(uuid.uuid4())
    [answer] = desk.push(desk.device.op(record_id, fields, kind=kind, create=True))
    return record_id, answer


def server_record(engine, commune: str, record_id: str) -> dict:
    r = schema.records
    with engine.connect() as connection:
        return json.loads(connection.execute(sa.select(r.c.body).where(
            r.c.commune_code == commune, r.c.id == record_id)).scalar_one())


def error_of(answer: requests.Response) -> dict:
    return answer.json()["error"]


# ----------------------------------------------------------------------- the lease routes


def test_every_register_is_listed_free_at_first(office) -> None:
    officer = office["officer"]
    answer = officer.call("GET", "/leases")
    assert answer.status_code == 200 and answer.headers[SERVER_TIME_HEADER]
    assert [(lease["kind"], lease["series"]) for lease in answer.json()] == PAIRS
    for lease in answer.json():
        assert lease["holder_device_id"] is None and lease["holder_device_name"] is None
        assert lease["holder_user"] is None and lease["epoch"] == 0 and lease["since"] is None
        assert lease["last_numbers"] == {}
    # Nothing moved: the ETag answers 304.
    again = officer.call("GET", "/leases", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == answer.headers["ETag"]


def test_acquire_release_and_epochs(office) -> None:
    clerk, leader, officer = office["clerk"], office["leader"], office["officer"]
    first = clerk.acquire()
    assert first.status_code == 200, first.text
    lease = first.json()
    assert lease["holder_device_id"] == clerk.device_id and lease["epoch"] == 1
    assert lease["holder_device_name"] == "máy clerk" and lease["holder_user"] == clerk.username
    assert lease["holder_display_name"] == "Người clerk" and lease["since"]
    assert first.headers[SERVER_TIME_HEADER]
    again = clerk.acquire()  # idempotent: the same lease, the same epoch
    assert again.status_code == 200 and again.json() == lease
    held = leader.acquire()
    assert held.status_code == 409 and error_of(held)["code"] == "lease_held"
    assert "máy clerk" in error_of(held)["message"] and "Người clerk" in error_of(held)["message"]
    assert error_of(held)["holder"] == {
        "device_id": clerk.device_id, "device_name": "máy clerk", "user": clerk.username,
        "display_name": "Người clerk", "since": lease["since"]}
    forbidden = officer.acquire("incoming", "ordinary")
    assert forbidden.status_code == 403 and error_of(forbidden)["code"] == "role_forbidden"
    not_holder = leader.release()
    assert not_holder.status_code == 409 and error_of(not_holder)["code"] == "not_holder"
    assert error_of(not_holder)["holder"]["device_id"] == clerk.device_id
    released = clerk.release()
    assert released.status_code == 200
    assert released.json()["holder_device_id"] is None and released.json()["epoch"] == 1
    assert clerk.release().status_code == 200  # already free: answered as it is
    taken = leader.acquire()
    assert taken.status_code == 200 and taken.json()["epoch"] == 2
    assert taken.json()["holder_device_id"] == leader.device_id
    # Each pair is its own lease; the others did not move.
    listed = officer.leases()
    assert listed[("outgoing", "ordinary")] == taken.json()
    assert all(listed[pair]["epoch"] == 0 for pair in PAIRS if pair != ("outgoing", "ordinary"))
    # The log, newest first (admin and leader only).
    log = office["admin"].call("GET", "/leases/log")
    assert log.status_code == 200
    assert [(e["action"], e["from_device_id"], e["to_device_id"], e["actor"], e["forced"])
            for e in log.json()] == [
        ("acquire", None, leader.device_id, leader.username, False),
        ("release", clerk.device_id, None, clerk.username, False),
        ("acquire", None, clerk.device_id, clerk.username, False)]
    assert log.json()[0]["to_device_name"] == "máy leader" and log.json()[0]["at"]
    assert leader.call("GET", "/leases/log").json() == log.json()
    older = office["admin"].call("GET", "/leases/log",
                                 params={"before": log.json()[0]["id"], "limit": 1})
    assert older.json() == log.json()[1:2]
    for desk in (clerk, officer):
        refused = desk.call("GET", "/leases/log")
        assert refused.status_code == 403 and error_of(refused)["code"] == "role_forbidden"


def test_a_forced_transfer_by_the_commune_admin(office, city_server) -> None:
    clerk, leader, boss = office["clerk"], office["leader"], office["admin"]
    assert clerk.acquire("incoming", "secret").json()["epoch"] == 1
    for desk in (clerk, leader):  # admin only
        refused = desk.transfer(leader.device_id, "incoming", "secret")
        assert refused.status_code == 403 and error_of(refused)["code"] == "role_forbidden"
    for force in (False, None):
        unforced = boss.transfer(leader.device_id, "incoming", "secret", force=force)
        assert unforced.status_code == 400 and error_of(unforced)["code"] == "force_required"
    moved = boss.transfer(leader.device_id, "incoming", "secret")
    assert moved.status_code == 200, moved.text
    assert moved.json()["holder_device_id"] == leader.device_id and moved.json()["epoch"] == 2
    same = boss.transfer(leader.device_id, "incoming", "secret")  # already there: no move
    assert same.status_code == 200 and same.json() == moved.json()
    # A device of another commune is as unknown as one that exists nowhere.
    stranger = log_in(city_server, "hoa", "máy lạ", password="mật-khẩu-hoa")
    elsewhere = boss.transfer(stranger.device_id, "incoming", "secret")
    nowhere = boss.transfer(str(uuid.uuid4()), "incoming", "secret")
    assert elsewhere.status_code == nowhere.status_code == 404
    assert elsewhere.json() == nowhere.json()
    assert "máy lạ" not in elsewhere.text
    # A revoked device of the commune is refused.
    city_server.admin("device", "revoke", office["officer"].device_id)
    revoked = boss.transfer(office["officer"].device_id, "incoming", "secret")
    assert revoked.status_code == 409 and error_of(revoked)["code"] == "target_revoked"
    [entry, *_] = boss.call("GET", "/leases/log").json()
    assert entry == {**entry, "action": "transfer", "kind": "incoming", "series": "secret",
                     "from_device_id": clerk.device_id, "from_device_name": "máy clerk",
                     "to_device_id": leader.device_id, "to_device_name": "máy leader",
                     "actor": boss.username, "forced": True}
    # The old holder is told who holds it now.
    lost = clerk.release("incoming", "secret")
    assert lost.status_code == 409 and error_of(lost)["holder"]["device_id"] == leader.device_id


def test_unknown_registers_and_bodies_are_refused(office) -> None:
    clerk = office["clerk"]
    for path in ("/leases/nothing/ordinary/acquire", "/leases/incoming/top/release"):
        answer = clerk.call("POST", path)
        assert answer.status_code == 400 and error_of(answer)["code"] == "invalid_request"
    bad = office["admin"].call("POST", "/leases/incoming/ordinary/transfer", json={"force": True})
    assert bad.status_code == 400 and set(bad.json()) == {"error"}
    # Text no database holds is refused before it reaches one; SQL is only an unknown device.
    for device_id in ("máy\x00", "\ud800", "x" * 65):
        hostile = office["admin"].transfer(device_id)
        assert hostile.status_code == 400 and error_of(hostile)["code"] == "invalid_request"
    sql = office["admin"].transfer("' OR 1=1; DROP TABLE register_leases; --")
    assert sql.status_code == 404 and error_of(sql)["code"] == "not_found"
    for params in ({"limit": 0}, {"limit": 501}, {"before": 0}, {"before": "x"}):
        page = office["admin"].call("GET", "/leases/log", params=params)
        assert page.status_code == 400 and error_of(page)["code"] == "invalid_request"


# ----------------------------------------------------------------------- numbers on push


def test_the_holder_numbers_and_last_numbers_follow(office, engine) -> None:
    clerk, officer = office["clerk"], office["officer"]
    epoch = clerk.acquire().json()["epoch"]
    answers = [create(clerk, issued(clerk, n, epoch, year))[1]
               for n, year in ((1, 2025), (2, 2025), (1, 2026))]
    assert [a["status"] for a in answers] == ["applied"] * 3, answers
    # A voided number stays and counts; so does a deleted document's.
    void_id, void = create(clerk, issued(clerk, 2, epoch, 2026))
    [voided] = clerk.push(clerk.device.op(void_id, {"status": "void", "void_reason": "hỏng"},
                                          kind="outgoing_document", base_rev=void["rev"]))
    assert voided["status"] == "applied"
    gone_id, gone = create(clerk, issued(clerk, 3, epoch, 2026))
    [deleted] = clerk.push(clerk.device.op(gone_id, {"deleted": True},
                                           kind="outgoing_document", base_rev=gone["rev"]))
    assert deleted["status"] == "applied"
    inc = clerk.acquire("incoming", "ordinary").json()["epoch"]
    assert create(clerk, incoming(clerk, 1, inc), "incoming_document")[1]["status"] == "applied"
    leases = officer.leases()
    assert leases[("outgoing", "ordinary")]["last_numbers"] == {"2025": 2, "2026": 3}
    assert leases[("incoming", "ordinary")]["last_numbers"] == {"2026": 1}
    assert leases[("outgoing", "secret")]["last_numbers"] == {}
    # A number already in the register is taken, even the deleted document's.
    [taken] = clerk.push(clerk.device.op(str(uuid.uuid4()), issued(clerk, 3, epoch, 2026),
                                         kind="outgoing_document", create=True))
    assert taken["status"] == "conflict" and taken["reason"] == "number_taken"
    # The same number in another year, or in the secret series, is another register.
    secret_epoch = clerk.acquire("outgoing", "secret").json()["epoch"]
    assert create(clerk, issued(clerk, 1, secret_epoch, 2026, series="secret"))[1][
        "status"] == "applied"
    assert create(clerk, issued(clerk, 1, epoch, 2027))[1]["status"] == "applied"
    # A draft without a number needs no lease.
    assert create(officer, outgoing())[1]["status"] == "applied"


def test_a_number_without_the_lease_is_a_conflict_and_the_rest_applies(office, engine) -> None:
    clerk, leader = office["clerk"], office["leader"]
    epoch = clerk.acquire().json()["epoch"]
    # The leader's device numbers without the lease: the document is stored without it and
    # without what goes with it (a draft: no symbol, no issue time, no epoch), the rest applies.
    record_id, answer = create(leader, issued(leader, 1, epoch, notes="gửi gấp"))
    assert answer["status"] == "conflict" and answer["reason"] == "lease_lost"
    assert answer["fields"] == UNISSUED and answer["rev"] > 0
    stored = server_record(engine, office["commune"], record_id)
    assert {path: stored.get(path) for path in UNISSUED} == UNISSUED
    assert stored["summary"] == "Quyết định khen thưởng" and stored["notes"] == "gửi gấp"
    assert stored["recipients"] == ["Phòng Nội vụ"]
    # Another device pulls a draft, never an issued document without its number.
    pulled = next(c for c in pull(clerk.server, office["officer"].headers)[0]
                  if c["id"] == record_id)["record"]
    assert pulled["status"] == "draft" and pulled["number"] is None
    assert pulled["symbol"] is None and pulled["issued_at"] is None
    assert pulled["summary"] == "Quyết định khen thưởng"
    # Numbering an existing draft without the lease: the server keeps null, the rest applies.
    draft_id, draft = create(leader, outgoing())
    [late] = leader.push(leader.device.op(draft_id, {"number": 1, "register_year": 2026,
                                                     "numbered_by": leader.device_id,
                                                     "lease_epoch": epoch, "notes": "gấp"},
                                          kind="outgoing_document", base_rev=draft["rev"]))
    assert late["status"] == "conflict" and late["reason"] == "lease_lost"
    assert late["fields"] == {"number": None, "register_year": None, "numbered_by": None,
                              "lease_epoch": None}
    kept = server_record(engine, office["commune"], draft_id)
    assert kept["notes"] == "gấp" and kept["status"] == "draft"
    assert kept.get("register_year") is None and kept.get("numbered_by") is None
    # The holder's own number needs its own device id in numbered_by and the current epoch.
    for wrong in ({"numbered_by": leader.device_id}, {"lease_epoch": epoch + 1},
                  {"lease_epoch": None}):
        _, refused = create(clerk, {**issued(clerk, 1, epoch), **wrong})
        assert refused["status"] == "conflict" and refused["reason"] == "lease_lost", wrong
    record_id, applied = create(clerk, issued(clerk, 1, epoch))
    assert applied["status"] == "applied"
    # A non-holder can still edit a numbered document's other fields, but not its number.
    [edit] = leader.push(leader.device.op(record_id, {"notes": "đã trình"},
                                          kind="outgoing_document", base_rev=applied["rev"]))
    assert edit["status"] == "applied"
    [renumber] = leader.push(leader.device.op(record_id, {"number": 5},
                                              kind="outgoing_document", base_rev=edit["rev"]))
    assert renumber["status"] == "conflict" and renumber["fields"] == {"number": 1}
    [unnumber] = leader.push(leader.device.op(record_id, {"number": None},
                                              kind="outgoing_document", base_rev=edit["rev"]))
    assert unnumber["status"] == "conflict" and unnumber["reason"] == "lease_lost"
    assert server_record(engine, office["commune"], record_id)["number"] == 1
    # A numbered document needs its register year.
    [no_year] = clerk.push(clerk.device.op(str(uuid.uuid4()), {
        **issued(clerk, 9, epoch), "register_year": None}, kind="outgoing_document",
        create=True))
    assert no_year["status"] == "rejected" and no_year["code"] == "invalid_record"


def test_a_forced_transfer_turns_the_old_holders_numbers_into_conflicts(office, engine) -> None:
    """The decision's proof: the old holder numbered offline after a forced transfer; the new
    holder continues the series; the old holder's numbers come back as conflicts."""
    clerk, leader, boss = office["clerk"], office["leader"], office["admin"]
    old_epoch = clerk.acquire().json()["epoch"]
    assert create(clerk, issued(clerk, 1, old_epoch))[1]["status"] == "applied"
    # The clerk's laptop goes offline and numbers 02 and 03; meanwhile the admin moves the
    # lease to the leader's device, which continues from the server's last number.
    offline = [clerk.device.op(str(uuid.uuid4()), issued(clerk, n, old_epoch),
                               kind="outgoing_document", create=True) for n in (2, 3)]
    moved = boss.transfer(leader.device_id).json()
    assert moved["epoch"] == old_epoch + 1 and moved["last_numbers"] == {"2026": 1}
    new_id, new = create(leader, issued(leader, 2, moved["epoch"]))
    assert new["status"] == "applied"
    answers = clerk.push(*offline)
    assert [(a["status"], a.get("reason"), a["fields"]) for a in answers] == [
        ("conflict", "lease_lost", UNISSUED)] * 2
    # Each number of the year appears once, with no gap.
    leases = office["officer"].leases()
    assert leases[("outgoing", "ordinary")]["last_numbers"] == {"2026": 2}
    with engine.connect() as connection:
        n = schema.register_numbers
        numbers = sorted(number for (number,) in connection.execute(sa.select(n.c.number).where(
            n.c.commune_code == office["commune"], n.c.kind == "outgoing")))
    assert numbers == [1, 2]
    assert server_record(engine, office["commune"], new_id)["numbered_by"] == leader.device_id


def test_numbers_in_one_frame_are_checked_in_order(office) -> None:
    clerk = office["clerk"]
    epoch = clerk.acquire().json()["epoch"]
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    answers = clerk.push(
        clerk.device.op(first, issued(clerk, 1, epoch), kind="outgoing_document", create=True),
        clerk.device.op(second, issued(clerk, 1, epoch), kind="outgoing_document", create=True),
        # The first moves to 2, so 1 is free for the second (whose year, epoch and device were
        # refused with its number, so they come again, as a client settling it sends them).
        clerk.device.op(first, {"number": 2}, kind="outgoing_document", base_rev=0),
        clerk.device.op(second, {"number": 1, "register_year": 2026, "lease_epoch": epoch,
                                 "numbered_by": clerk.device_id},
                        kind="outgoing_document", base_rev=0))
    assert [(a["status"], a.get("reason")) for a in answers] == [
        ("applied", None), ("conflict", "number_taken"), ("applied", None), ("applied", None)]
    assert office["officer"].leases()[("outgoing", "ordinary")]["last_numbers"] == {"2026": 2}


def scan_of(document_id: str, data: bytes) -> dict:
    """An attachment record of an incoming or outgoing document, naming ``data``."""
    return {"document_id": document_id, "sha256": hashlib.sha256(data).hexdigest(),
            "file_name": "bản quét.pdf", "media_type": "application/pdf", "size": len(data)}


def test_a_secret_document_gets_no_attachment_and_its_files_are_not_served(
        office, city_server, engine, communes) -> None:
    """docs/decisions/0009: a secret document keeps metadata only. The server rejects an
    attachment of a secret document of the commune (read from the batch's state or the
    database), accepts secrecy on a document that already has attachments, and then neither
    takes nor gives the bytes only that document's attachments name."""
    clerk = office["clerk"]
    secret, ordinary, later = (str(uuid.uuid4()) for _ in range(3))
    data = {name: os.urandom(2000) for name in ("secret", "ordinary", "batch", "shared")}
    created = clerk.push(
        clerk.device.op(secret, outgoing("secret", secrecy="confidential"),
                        kind="outgoing_document", create=True),
        clerk.device.op(ordinary, outgoing(), kind="outgoing_document", create=True),
        clerk.device.op(later, incoming(None, None, None), kind="incoming_document",
                        create=True))
    assert [a["status"] for a in created] == ["applied"] * 3, created
    # In a later push (the document is read from the database) and in the same batch as the
    # change that makes the document secret (read from the batch's state).
    [refused] = clerk.push(clerk.device.op(str(uuid.uuid4()), scan_of(secret, data["secret"]),
                                           kind="attachment", create=True))
    assert refused["status"] == "rejected" and refused["code"] == "secret_metadata_only"
    assert "secret" in refused["reason"]
    ordinary_scan = str(uuid.uuid4())
    answers = clerk.push(
        clerk.device.op(ordinary_scan, scan_of(ordinary, data["ordinary"]),
                        kind="attachment", create=True),
        clerk.device.op(later, {"secrecy": "secret", "series": "secret"},
                        kind="incoming_document", base_rev=created[2]["rev"]),
        clerk.device.op(str(uuid.uuid4()), scan_of(later, data["batch"]), kind="attachment",
                        create=True))
    assert [(a["status"], a.get("code")) for a in answers] == [
        ("applied", None), ("applied", None), ("rejected", "secret_metadata_only")]
    # Another commune's attachment naming this secret document's id is its own business: it
    # learns nothing of this commune (invariant 6).
    other = make_office(city_server, engine, communes)["clerk"]
    [elsewhere] = other.push(other.device.op(str(uuid.uuid4()), scan_of(secret, data["secret"]),
                                             kind="attachment", create=True))
    assert elsewhere["status"] == "applied", elsewhere

    # The ordinary document's scan is uploaded, and a dossier's attachment shares other bytes.
    blobs = f"{city_server.url}/v1/blobs"

    def patch(sha: str, body: bytes) -> requests.Response:
        return requests.patch(f"{blobs}/{sha}", data=body, timeout=30, headers={
            **clerk.headers, "Upload-Offset": "0", "Upload-Length": str(len(body))})

    ordinary_sha = hashlib.sha256(data["ordinary"]).hexdigest()
    assert patch(ordinary_sha, data["ordinary"]).status_code == 201
    shared_sha = hashlib.sha256(data["shared"]).hexdigest()
    [dossier_scan] = clerk.push(clerk.device.op(str(uuid.uuid4()), {
        "dossier_id": str(uuid.uuid4()), **{k: v for k, v in scan_of(
            ordinary, data["shared"]).items() if k != "document_id"}}, kind="attachment",
        create=True))
    [shared_scan] = clerk.push(clerk.device.op(str(uuid.uuid4()), scan_of(
        ordinary, data["shared"]), kind="attachment", create=True))
    assert dossier_scan["status"] == shared_scan["status"] == "applied"
    assert patch(shared_sha, data["shared"]).status_code == 201
    # The document with attachments is made secret: accepted (a classification wins; the
    # clients drop the files), and its files are no longer served nor taken.
    [classified] = clerk.push(clerk.device.op(ordinary, {"secrecy": "secret",
                                                         "series": "secret"},
                                              kind="outgoing_document",
                                              base_rev=created[1]["rev"]))
    assert classified["status"] == "applied", classified
    refused_get = requests.get(f"{blobs}/{ordinary_sha}", headers=clerk.headers, timeout=30)
    assert refused_get.status_code == 404
    assert error_of(refused_get)["code"] == "secret_metadata_only"
    refused_patch = patch(ordinary_sha, data["ordinary"])
    assert (refused_patch.status_code, error_of(refused_patch)["code"]) == (
        404, "secret_metadata_only")
    # Bytes a dossier's attachment also names are still the dossier's to fetch.
    shared = requests.get(f"{blobs}/{shared_sha}", headers=clerk.headers, timeout=30)
    assert shared.status_code == 200 and shared.content == data["shared"]
    # Removing an attachment of the secret document is allowed (a tombstone).
    [removed] = clerk.push(clerk.device.op(ordinary_scan, {"deleted": True}, kind="attachment",
                                           base_rev=answers[0]["rev"]))
    assert removed["status"] == "applied", removed


def test_concurrent_pushes_of_one_number_have_one_winner(office, city_server) -> None:
    """Four devices push the same number at the same moment, each under the lease it held in
    turn: the holder's wins, the others are lease_lost; then eight documents of the holder
    with one number, pushed at once over as many connections: one wins, seven number_taken."""
    clerk, boss = office["clerk"], office["admin"]
    epoch = clerk.acquire().json()["epoch"]
    writers = [log_in(city_server, office["clerk"].username, f"máy {n}") for n in range(4)]
    epochs = {}
    for desk in writers:  # each holds the lease in turn; the last one keeps it
        epochs[desk.device_id] = boss.transfer(desk.device_id).json()["epoch"]
    holder = writers[-1]
    assert epochs[holder.device_id] == epoch + len(writers)

    def at_once(jobs: list) -> list[dict]:
        barrier, results = threading.Barrier(len(jobs)), [None] * len(jobs)

        def run(index: int) -> None:
            desk, op = jobs[index]
            barrier.wait()
            [results[index]] = desk.push(op)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    results = at_once([(desk, desk.device.op(str(uuid.uuid4()), issued(
        desk, 1, epochs[desk.device_id]), kind="outgoing_document", create=True))
        for desk in writers])
    assert [r["status"] for r in results] == ["conflict"] * 3 + ["applied"]
    assert {r.get("reason") for r in results[:3]} == {"lease_lost"}
    holder_twins = [log_in(city_server, office["clerk"].username, "máy chủ",
                           holder.device_id) for _ in range(8)]  # one device, 8 connections
    results = at_once([(desk, desk.device.op(str(uuid.uuid4()), issued(
        holder, 2, epochs[holder.device_id]), kind="outgoing_document", create=True))
        for desk in holder_twins])
    assert sorted(r["status"] for r in results) == ["applied"] + ["conflict"] * 7
    assert {r.get("reason") for r in results if r["status"] == "conflict"} == {"number_taken"}


def test_incoming_arrival_numbers_follow_the_same_rules(office, engine) -> None:
    clerk, leader = office["clerk"], office["leader"]
    epoch = clerk.acquire("incoming", "ordinary").json()["epoch"]
    assert create(clerk, incoming(clerk, 1, epoch), "incoming_document")[1]["status"] == "applied"
    record_id, lost = create(leader, incoming(leader, 2, epoch), "incoming_document")
    assert lost["status"] == "conflict" and lost["reason"] == "lease_lost"
    assert lost["fields"] == {"arrival_number": None, "lease_epoch": None, "numbered_by": None}
    stored = server_record(engine, office["commune"], record_id)
    assert stored["author"] == "UBND huyện" and stored["register_year"] == 2026
    assert stored["lease_epoch"] is None and stored["numbered_by"] is None
    # An arrival recorded without a number by a device without the lease is simply applied.
    assert create(leader, incoming(None, None, None), "incoming_document")[1][
        "status"] == "applied"
    _, taken = create(clerk, incoming(clerk, 1, epoch), "incoming_document")
    assert taken["status"] == "conflict" and taken["reason"] == "number_taken"
    assert taken["fields"] == {"arrival_number": None, "lease_epoch": None, "numbered_by": None}


# ----------------------------------------------------------------------- the client's calls


class MemoryTokens:
    def __init__(self, tokens: Tokens | None = None) -> None:
        self.tokens = tokens

    def load_tokens(self) -> Tokens | None:
        return self.tokens

    def save_tokens(self, tokens: Tokens) -> None:
        self.tokens = tokens

    def clear_tokens(self) -> None:
        self.tokens = None


def transport_of(desk: Desk) -> Transport:
    return Transport(desk.server.url, "0.1.0", desk.device_id, MemoryTokens(
        Tokens(desk.headers["Authorization"][7:], desk.refresh_token)))


def test_the_transport_calls(office) -> None:
    clerk, leader, boss = (transport_of(office[role]) for role in ("clerk", "leader", "admin"))
    listed = leader.leases()
    assert [(lease["kind"], lease["series"]) for lease in listed] == PAIRS
    lease = clerk.acquire_lease("outgoing", "ordinary")
    assert lease["holder_device_id"] == office["clerk"].device_id and lease["epoch"] == 1
    assert clerk.clock_offset is not None  # the server's time came with the answer
    with pytest.raises(Refused) as held:
        leader.acquire_lease("outgoing", "ordinary")
    assert held.value.status == 409 and held.value.code == "lease_held"
    assert held.value.details["holder"]["device_name"] == "máy clerk"
    with pytest.raises(Refused) as not_holder:
        leader.release_lease("outgoing", "ordinary")
    assert not_holder.value.code == "not_holder"
    with pytest.raises(Refused) as forbidden:
        leader.transfer_lease("outgoing", "ordinary", office["leader"].device_id)
    assert forbidden.value.status == 403
    moved = boss.transfer_lease("outgoing", "ordinary", office["leader"].device_id)
    assert moved["holder_device_id"] == office["leader"].device_id and moved["epoch"] == 2
    assert leader.release_lease("outgoing", "ordinary")["holder_device_id"] is None
    log = boss.lease_log()
    assert [entry["action"] for entry in log] == ["release", "transfer", "acquire"]
    assert boss.lease_log(limit=1, before=log[0]["id"]) == log[1:2]
    with pytest.raises(ValueError):
        boss.acquire_lease("outgoing", "nothing")
    leases, etag = leader.leases_since()
    assert leases is not None and etag
    assert leader.leases_since(etag) == (None, etag)


class MemoryStore:
    """The few parts of a profile a sync with nothing to push or fetch touches (the app's
    store gains ``set_leases`` in app/sync_local.py; this stands in for it here)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.kept: list[list[dict]] = []
        self.refuse = False

    def sync_value(self, key: str) -> str | None:
        return self.values.get(key)

    def set_sync_values(self, values: dict[str, str]) -> None:
        self.values.update(values)

    def pending_count(self) -> int:
        return 0

    def first_unanswered(self) -> int | None:
        return None

    def operations_after(self, seq: int, limit: int) -> list:
        return []

    def apply_results(self, results: list) -> ResultCounts:
        return ResultCounts()

    def fail_operation(self, operation: Any, code: str, reason: str) -> None:
        raise AssertionError("nothing to send")

    def apply_page(self, changes: list, cursor: str) -> None:
        self.values["cursor"] = cursor

    def restart_pull(self) -> None:
        self.values.pop("cursor", None)

    def apply_reference(self, reference: dict, etag: str | None) -> list[str]:
        return []

    def set_leases(self, leases: list[dict]) -> None:
        if self.refuse:  # as the app's store does with a list it cannot keep
            self.values["leases_refused"] = "malformed"
            return
        self.values.pop("leases_refused", None)
        self.kept.append(leases)

    def blobs_to_upload(self) -> list[BlobRef]:
        return []

    def blob_uploaded(self, sha256: str) -> None:
        raise AssertionError("no blobs")

    def blob_bytes(self, sha256: str) -> bytes:
        raise AssertionError("no blobs")

    def blobs_to_fetch(self) -> list[BlobRef]:
        return []

    def store_blob(self, sha256: str, data: bytes) -> None:
        raise AssertionError("no blobs")


def test_each_sync_refreshes_the_leases_cheaply(office) -> None:
    store = MemoryStore()
    engine = SyncEngine(store, transport_of(office["leader"]), app_version="0.1.0")
    first = engine.sync()
    assert first.leases_updated and len(store.kept) == 1 and store.values[LEASES_ETAG]
    assert [(lease["kind"], lease["series"]) for lease in store.kept[0]] == PAIRS
    assert not engine.sync().leases_updated and len(store.kept) == 1  # 304: nothing moved
    office["clerk"].acquire()
    third = engine.sync()
    assert third.leases_updated
    assert store.kept[-1][2]["holder_device_id"] == office["clerk"].device_id
    assert engine.sync(full=True).leases_updated  # a full sync asks without the ETag
    # A list the store refuses keeps no ETag: the next sync asks for it whole again.
    store.refuse = True
    office["clerk"].release()
    refused = engine.sync()
    assert refused.reference_refused == ["leases"] and not store.values[LEASES_ETAG]
    store.refuse = False
    assert engine.sync().leases_updated and len(store.kept) == 4


# ----------------------------------------------------------------------- administration


def test_the_server_command_line(office, city_server) -> None:
    code, clerk, leader = office["commune"], office["clerk"], office["leader"]
    clerk.acquire("incoming", "ordinary")
    listed = json.loads(city_server.admin("lease", "list", "--commune", code, "--json").stdout)
    assert listed[0]["holder_device_id"] == clerk.device_id
    city_server.admin("lease", "transfer", "--commune", code, "--kind", "incoming",
                      "--series", "ordinary", "--device", leader.device_id)
    lease = office["officer"].leases()[("incoming", "ordinary")]
    assert lease["holder_device_id"] == leader.device_id and lease["epoch"] == 2
    [entry, _] = json.loads(city_server.admin("lease", "log", "--commune", code,
                                              "--json").stdout)
    assert entry["actor"] == "server-cli" and entry["forced"] is True
    text = city_server.admin("lease", "list", "--commune", code).stdout
    assert "incoming/ordinary  2" in text and "máy leader" in text
    refused = city_server.admin("lease", "transfer", "--commune", code, "--kind", "incoming",
                                "--series", "ordinary", "--device", str(uuid.uuid4()),
                                check=False)
    assert refused.returncode == 1 and "unknown_device" in refused.stderr
    unknown = city_server.admin("lease", "list", "--commune", "99999", check=False)
    assert unknown.returncode == 1 and "unknown_commune" in unknown.stderr


def test_migration_v3_registers_the_numbers_already_stored(new_db_url) -> None:
    from server.schema import migrate

    engine = make_engine(new_db_url())
    assert migrate(engine, stop_before=3) == 2
    bodies = [("a", "outgoing_document", {"series": "ordinary", "register_year": 2026,
                                          "number": 4}),
              ("b", "outgoing_document", {"series": "ordinary", "register_year": 2026,
                                          "number": 4}),  # a duplicate: the first keeps it
              ("c", "incoming_document", {"series": "secret", "register_year": 2025,
                                          "arrival_number": 7}),
              ("d", "outgoing_document", {"series": "ordinary", "number": None}),
              ("e", "dossier", {"number": 3})]
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO communes(code, name, province_code, province_name, unit_id, last_rev) "
            "VALUES ('09661', 'Xã Minh Châu', 1, 'Hà Nội', 'H01.01', 5)"))
        for rev, (record_id, kind, body) in enumerate(bodies, 1):
            connection.execute(sa.text(
                "INSERT INTO records(commune_code, type, id, rev, deleted, body, field_revs) "
                "VALUES ('09661', :t, :i, :r, false, :b, '{}')"),
                {"t": kind, "i": record_id, "r": rev, "b": json.dumps(body)})
    assert migrate(engine) == len(schema.MIGRATIONS)
    n = schema.register_numbers
    with engine.connect() as connection:
        rows = sorted(tuple(row) for row in connection.execute(
            sa.select(n.c.kind, n.c.register_year, n.c.series, n.c.number, n.c.record_id)))
    assert rows == [("incoming", 2025, "secret", 7, "c"), ("outgoing", 2026, "ordinary", 4, "a")]
    engine.dispose()

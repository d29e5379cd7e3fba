"""Commune isolation, route by route (ARCHITECTURE.md invariant 6, docs/sync-protocol.md §3),
on SQLite and on PostgreSQL.

Every ``/v1/`` route the app serves must have an entry in ``ISOLATION``;
``test_every_route_is_in_the_isolation_table`` fails otherwise, so a new route cannot slip
through unprobed.

The method. Xã Minh Châu (A, 09661) holds dossiers, an event, a tombstone, stored operation
answers, a complete blob and an upload in progress. Two officers (the same role as A's) probe
every route: Kim Liên's (B, 00226) with A's identifiers (record ids, operation ids, dossier
code, blob hashes and bytes, A's cursor, A's device id in ``X-Device-Id``, A's ETag), and the
twin's (T, Phường Hoàn Kiếm 00070) with identifiers that exist nowhere, mapped one to one.
A also keeps registers: its clerk's device holds a lease and numbered a document, its admin
forced another lease onto A's officer's device; the lease routes are probed by B's and T's
admins (the role that may use every one of them), with A's devices and ETag.
B and T start empty and make the same requests in the same order, so their histories stay
identical up to that renaming: anything B could learn about A, or do to it, shows as a
difference between the two answers. They must match exactly in status, headers (but ``Date``,
``X-Server-Time`` and ``Content-Length``, whose renamed text may differ) and body (frame bodies
compared frame by frame, decoded), once A's identifiers and T's are renamed to the same
placeholders. After every route, A's own view (its full pull, push mark, stored answers, blobs,
device row) is exactly what it was, and B's pull holds nothing of A's.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import requests
import sqlalchemy as sa

from server import schema
from sync.protocol import FRAMES_MEDIA_TYPE, MAX_INT, FrameKind, encode_frame, iter_frames
from tests.conftest import BACKENDS, VERSION
from tests.test_server_sync import dossier_fields

DB_BACKENDS = BACKENDS

SECRET = "Bí Mật Của Minh Châu"  # in A's records only: B must never see it
IGNORED_HEADERS = {"date", "x-server-time", "content-length"}
TWIN_COMMUNE = "00070"  # Phường Hoàn Kiếm
PROBES = uuid.UUID("6d1f4a8e-2c57-4b0e-9a3d-5f7e1c2b9a40")  # namespace of B's and T's new ids


@dataclass
class Side:
    """One signed-in device and the identifiers it probes with."""

    name: str
    username: str
    password: str
    device_id: str
    headers: dict
    refresh_token: str
    ids: dict[str, str] = field(default_factory=dict)  # role -> identifier
    blobs: dict[str, bytes] = field(default_factory=dict)  # role of a hash -> its bytes
    seq: int = 0
    # B and T make their own new identifiers from the same sequence, so that their histories
    # stay identical (the same new ids in two communes are two unrelated things).
    twin_ids: bool = False

    def new_id(self, label: str) -> str:
        return str(uuid.uuid5(PROBES, label)) if self.twin_ids else str(uuid.uuid4())

    def op(self, record_id: str, fields: dict, *, kind: str = "dossier", base_rev: int = 0,
           create: bool = False, op_id: str | None = None) -> dict:
        self.seq += 1
        return {"op_id": op_id or self.new_id(f"op-{self.seq}"), "seq": self.seq, "type": kind,
                "id": record_id, "base_rev": base_rev, "create": create, "fields": fields}

    def rename(self, text: str) -> str:
        """``text`` with this side's identifiers replaced by their roles."""
        for role, identifier in sorted(self.ids.items(), key=lambda item: -len(item[1])):
            text = text.replace(identifier, f"<{role}>")
        return text


NOBODY = Side("", "", "", "", {}, "")  # renames nothing: to compare two answers of one caller


def login(server, username: str, password: str, device_id: str | None = None) -> Side:
    device_id = device_id or str(uuid.uuid4())
    answer = requests.post(f"{server.url}/v1/auth/login", headers=VERSION, timeout=30, json={
        "username": username, "password": password, "device_id": device_id,
        "device_name": f"máy của {username}"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return Side(username, username, password, device_id,
                {**VERSION, "Authorization": f"Bearer {body['access_token']}"},
                body["refresh_token"])


def push_body(*frames: list[dict]) -> bytes:
    body = b"".join(encode_frame(FrameKind.OPS, {"ops": ops}) for ops in frames)
    return body + encode_frame(FrameKind.END, {"more": False})


def push(server, side: Side, *frames: list[dict], extra: dict | None = None
         ) -> requests.Response:
    return requests.post(f"{server.url}/v1/push", data=push_body(*frames), timeout=60,
                         headers={**side.headers, "Content-Type": FRAMES_MEDIA_TYPE,
                                  **(extra or {})})


def results_of(answer: requests.Response) -> list[dict]:
    assert answer.status_code == 200, answer.text
    return [r for kind, p in iter_frames([answer.content]) if kind == FrameKind.RESULTS
            for r in p["results"]]


def full_pull(server, headers: dict, cursor: str = "e1:0") -> tuple[list[dict], str]:
    changes = []
    while True:
        answer = requests.get(f"{server.url}/v1/pull", params={"cursor": cursor},
                              headers=headers, timeout=60)
        assert answer.status_code == 200, answer.text
        more = False
        for kind, payload in iter_frames([answer.content]):
            if kind == FrameKind.PAGE:
                changes += payload["changes"]
            elif kind == FrameKind.END:
                cursor, more = payload["cursor"], payload["more"]
        if not more:
            return changes, cursor


def normal(answer: requests.Response, side: Side) -> dict:
    """What a caller can observe of an answer, with the side's identifiers renamed."""
    headers = {k.lower(): side.rename(v) for k, v in answer.headers.items()
               if k.lower() not in IGNORED_HEADERS}
    media = answer.headers.get("content-type", "")
    if media.startswith(FRAMES_MEDIA_TYPE):
        stream = iter_frames([answer.content])
        frames = [[int(kind), payload] for kind, payload in stream]
        body: object = {"frames": json.loads(side.rename(json.dumps(frames, ensure_ascii=False,
                                                                    sort_keys=True))),
                        "complete": stream.complete}
    elif media.startswith("application/json") and answer.content:
        body = json.loads(side.rename(answer.text))
    else:
        body = side.rename(answer.content.decode("latin-1"))
    return {"status": answer.status_code, "headers": headers, "body": body}


@dataclass
class World:
    server: object
    a: Side  # Xã Minh Châu: the data
    b: Side  # Phường Kim Liên: probes with A's identifiers
    t: Side  # the twin: probes with identifiers that exist nowhere
    a_cursor: str = ""  # A's cursor after its last change
    a_view: dict = field(default_factory=dict)
    lease_sides: tuple[Side, Side] | None = None  # B's and T's admins (lease probes)

    def both(self, probe: Callable[[Side], requests.Response]) -> tuple[dict, dict]:
        """B's and T's answers to the same probe, normalised; asserted equal."""
        from_b, from_t = normal(probe(self.b), self.b), normal(probe(self.t), self.t)
        assert from_b == from_t, f"B (A's identifiers) and T (nobody's) got different answers:" \
                                 f"\n{from_b}\n{from_t}"
        return from_b, from_t


def a_view(world: World) -> dict:
    """Everything A can see of its own data (and the server holds of its device)."""
    server, a = world.server, world.a
    changes, cursor = full_pull(server, a.headers)
    mark = requests.get(f"{server.url}/v1/push/mark", headers=a.headers, timeout=30)
    answers = requests.get(f"{server.url}/v1/push/results", headers=a.headers, timeout=30,
                           params={"after": 0, "through": MAX_INT})
    blobs = {}
    for role in ("blob_whole", "blob_part"):
        sha = a.ids[role]
        probe = requests.head(f"{server.url}/v1/blobs/{sha}", headers=a.headers, timeout=30)
        got = requests.get(f"{server.url}/v1/blobs/{sha}", headers=a.headers, timeout=30)
        blobs[role] = (probe.status_code, probe.headers.get("Upload-Offset"),
                       probe.headers.get("Upload-Length"), got.status_code,
                       hashlib.sha256(got.content).hexdigest())
    d = schema.devices
    with server.engine().connect() as connection:
        device = connection.execute(
            sa.select(d.c.commune_code, d.c.user_id, d.c.name, d.c.slot_first, d.c.slot_last,
                      d.c.app_version, d.c.pending, d.c.revoked, d.c.applied_through)
            .where(d.c.id == a.device_id)).one()
    return {"changes": changes, "cursor": cursor, "mark": mark.json(),
            "answers": [r for kind, p in iter_frames([answers.content])
                        if kind == FrameKind.RESULTS for r in p["results"]],
            "blobs": blobs, "device": tuple(device), "leases": a_leases(world)}


def a_leases(world: World) -> dict:
    """A's leases as A sees them, and every lease row, log entry and register number of A."""
    server = world.server
    listed = requests.get(f"{server.url}/v1/leases", headers=world.a.headers, timeout=30)
    rows = {}
    with server.engine().connect() as connection:
        for table in (schema.register_leases, schema.lease_log, schema.register_numbers):
            rows[table.name] = sorted(tuple(str(v) for v in row) for row in connection.execute(
                sa.select(table).where(table.c.commune_code == "09661")))
    return {"listed": (listed.status_code, listed.headers.get("ETag"), listed.json()), **rows}


@pytest.fixture(scope="module")
def world(city_server) -> World:
    server = city_server
    server.admin("user", "add", "--commune", TWIN_COMMUNE, "--username", "tuan", "--role",
                 "officer", password="mật-khẩu-tuấn")
    a = login(server, "hoa", "mật-khẩu-hoa")
    # A's data: two dossiers (one edited, one deleted), an event, two attachments whose
    # bytes are one complete blob and one upload in progress.
    whole, part = os.urandom(3000), os.urandom(5000)
    a.blobs = {"blob_whole": whole, "blob_part": part}
    a.ids = {"record": str(uuid.uuid4()), "gone": str(uuid.uuid4()), "event": str(uuid.uuid4()),
             "code": "09661-260106-0042", "op": str(uuid.uuid4()),
             "blob_whole": hashlib.sha256(whole).hexdigest(),
             "blob_part": hashlib.sha256(part).hexdigest(), "device": a.device_id}
    dossier = {**dossier_fields(a.ids["code"], SECRET), "notes": SECRET}
    first = results_of(push(server, a, [
        a.op(a.ids["record"], dossier, create=True, op_id=a.ids["op"]),
        a.op(a.ids["gone"], dossier_fields("09661-260106-0043", SECRET), create=True),
        a.op(a.ids["event"], {"dossier_id": a.ids["record"], "kind": "status", "from_status": 2,
                              "to_status": 4, "actor": SECRET, "at": "2026-01-06T10:00:00+07:00",
                              "note": SECRET}, kind="dossier_event", create=True),
        *[a.op(str(uuid.uuid4()), {"dossier_id": a.ids["record"], "sha256": a.ids[role],
                                   "file_name": f"{SECRET}.pdf", "media_type": "application/pdf",
                                   "size": len(a.blobs[role])}, kind="attachment", create=True)
          for role in ("blob_whole", "blob_part")]]))
    assert [r["status"] for r in first] == ["applied"] * 5, first
    edited = results_of(push(server, a, [
        a.op(a.ids["record"], {"notes": f"{SECRET} (sửa)"}, base_rev=first[0]["rev"]),
        a.op(a.ids["gone"], {"deleted": True}, base_rev=first[1]["rev"])]))
    assert [r["status"] for r in edited] == ["applied"] * 2, edited
    # A's registers: the clerk holds the outgoing lease and numbered a document; the admin
    # forced the incoming secret lease from the clerk onto A's officer's device.
    server.admin("user", "add", "--commune", "09661", "--username", "vanthu", "--role", "clerk",
                 password="mật-khẩu-văn-thư")
    server.admin("user", "add", "--commune", "09661", "--username", "quantri", "--role",
                 "admin", password="mật-khẩu-quản-trị")
    clerk = login(server, "vanthu", "mật-khẩu-văn-thư")
    boss = login(server, "quantri", "mật-khẩu-quản-trị")
    for pair in ("outgoing/ordinary", "incoming/secret"):
        held = requests.post(f"{server.url}/v1/leases/{pair}/acquire", headers=clerk.headers,
                             timeout=30)
        assert held.status_code == 200, held.text
    moved = requests.post(f"{server.url}/v1/leases/incoming/secret/transfer", timeout=30,
                          headers=boss.headers, json={"device_id": a.device_id, "force": True})
    assert moved.status_code == 200, moved.text
    [numbered] = results_of(push(server, clerk, [clerk.op(str(uuid.uuid4()), {
        "series": "ordinary", "doc_type": "QĐ", "summary": SECRET, "issuer": "UBND",
        "status": "issued", "number": 1, "register_year": 2026, "numbered_by": clerk.device_id,
        "lease_epoch": 1, "symbol": "01/QĐ-UBND"}, kind="outgoing_document", create=True)]))
    assert numbered["status"] == "applied", numbered
    a.ids["lease_device"] = clerk.device_id
    a_cursor = f"e1:{numbered['rev']}"
    url = f"{server.url}/v1/blobs"
    done = requests.patch(f"{url}/{a.ids['blob_whole']}", data=whole, timeout=30, headers={
        **a.headers, "Upload-Offset": "0", "Upload-Length": str(len(whole))})
    assert done.status_code == 201, done.text
    started = requests.patch(f"{url}/{a.ids['blob_part']}", data=part[:1000], timeout=30,
                             headers={**a.headers, "Upload-Offset": "0",
                                      "Upload-Length": str(len(part))})
    assert started.status_code == 204, started.text
    a.ids["etag"] = requests.get(f"{server.url}/v1/reference", headers=a.headers,
                                 timeout=30).headers["ETag"].removeprefix("W/")
    a.ids["lease_etag"] = requests.get(f"{server.url}/v1/leases", headers=a.headers,
                                       timeout=30).headers["ETag"]

    b = login(server, "lan", "mật-khẩu-lan")
    t = login(server, "tuan", "mật-khẩu-tuấn")
    b.ids = dict(a.ids)
    b.blobs = dict(a.blobs)
    # The twin's identifiers: the same shapes, nobody's.
    t.blobs = {role: os.urandom(len(data)) for role, data in a.blobs.items()}
    t.ids = {role: str(uuid.uuid4()) for role in ("record", "gone", "event", "op", "device",
                                                  "lease_device")}
    t.ids |= {"code": "00070-260106-0042", "etag": '"' + "0" * 32 + '"',
              "lease_etag": '"' + "1" * 32 + '"'}
    t.ids |= {role: hashlib.sha256(data).hexdigest() for role, data in t.blobs.items()}
    b.twin_ids = t.twin_ids = True
    # Every probe says it is A's device (B) or a device that exists nowhere (T).
    b.headers["X-Device-Id"], t.headers["X-Device-Id"] = a.device_id, t.ids["device"]
    world = World(server, a, b, t, a_cursor)
    world.a_view = a_view(world)
    return world


# ------------------------------------------------------------------------- the probes, by route


def check_login(world: World) -> None:
    """B's user cannot sign in on A's device (a device id is global: the answer does say it is
    taken, and nothing else), and its own sign-in names its own commune only. A's device keeps
    its commune, user and tokens."""
    server, b = world.server, world.b
    taken = requests.post(f"{server.url}/v1/auth/login", headers=VERSION, timeout=30, json={
        "username": b.username, "password": b.password, "device_id": world.a.device_id,
        "device_name": "máy lạ"})
    assert taken.status_code == 401 and taken.json()["error"]["code"] == "login_failed"
    body = taken.text
    for secret in ("09661", "Minh Châu", "hoa", SECRET):
        assert secret not in body
    own = requests.post(f"{server.url}/v1/auth/login", timeout=30,
                        headers={**VERSION, "X-Device-Id": world.a.device_id},
                        json={"username": b.username, "password": b.password,
                              "device_id": b.device_id, "device_name": "máy của lan"})
    assert own.status_code == 200 and own.json()["commune"]["code"] == "00226"
    for secret in ("09661", "Minh Châu", world.a.device_id, SECRET):
        assert secret not in own.text
    b.headers["Authorization"] = f"Bearer {own.json()['access_token']}"
    b.refresh_token = own.json()["refresh_token"]
    twin = login(server, world.t.username, world.t.password, world.t.device_id)  # in step
    world.t.headers["Authorization"], world.t.refresh_token = (twin.headers["Authorization"],
                                                               twin.refresh_token)


def check_refresh(world: World) -> None:
    """A refresh is bound to the caller's own device: the new pair answers for B's commune."""
    server = world.server

    def refresh(side: Side) -> requests.Response:
        answer = requests.post(f"{server.url}/v1/auth/refresh", timeout=30,
                               headers={**VERSION, "X-Device-Id": side.headers["X-Device-Id"]},
                               json={"refresh_token": side.refresh_token})
        assert answer.status_code == 200, answer.text
        side.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
        side.refresh_token = answer.json()["refresh_token"]
        return answer

    for side, commune in ((world.b, "00226"), (world.t, TWIN_COMMUNE)):
        answer = refresh(side)
        assert set(answer.json()) == {"access_token", "refresh_token", "expires_in"}
        device = requests.get(f"{server.url}/v1/device", headers=side.headers, timeout=30).json()
        assert device["device_id"] == side.device_id and device["commune"]["code"] == commune
    # A's access token used as a refresh token is as unknown as any string.
    stolen = requests.post(f"{server.url}/v1/auth/refresh", headers=VERSION, timeout=30,
                           json={"refresh_token": world.a.headers["Authorization"][7:]})
    forged = requests.post(f"{server.url}/v1/auth/refresh", headers=VERSION, timeout=30,
                           json={"refresh_token": "x" * 43})
    assert stolen.status_code == forged.status_code == 401
    assert stolen.json() == forged.json()


def check_logout(world: World) -> None:
    """B's logout, saying it is A's device, ends B's session only."""
    server = world.server
    throwaway = {"b": login(server, world.b.username, world.b.password),
                 "t": login(server, world.t.username, world.t.password)}

    def logout(side: Side) -> requests.Response:
        own = throwaway["b" if side is world.b else "t"]
        return requests.post(f"{server.url}/v1/auth/logout", timeout=30,
                             headers={**own.headers, "X-Device-Id": side.headers["X-Device-Id"]})

    world.both(logout)
    for own in throwaway.values():
        assert requests.get(f"{server.url}/v1/device", headers=own.headers,
                            timeout=30).status_code == 401
    assert requests.get(f"{server.url}/v1/device", headers=world.a.headers,
                        timeout=30).status_code == 200


def check_device(world: World) -> None:
    """``X-Device-Id`` names nothing: B's answer is about its own device whatever it says."""
    server, b = world.server, world.b
    claims_a = requests.get(f"{server.url}/v1/device", headers=b.headers, timeout=30)
    claims_none = requests.get(f"{server.url}/v1/device", timeout=30,
                               headers={**b.headers, "X-Device-Id": str(uuid.uuid4())})
    assert normal(claims_a, NOBODY) == normal(claims_none, NOBODY)
    body = claims_a.json()
    assert body["device_id"] == b.device_id and body["commune"]["code"] == "00226"
    for secret in ("09661", "Minh Châu", world.a.device_id):
        assert secret not in claims_a.text


def check_device_report(world: World) -> None:
    """A report lands on the caller's device, never on the one ``X-Device-Id`` names."""
    server = world.server
    world.both(lambda side: requests.post(
        f"{server.url}/v1/device/report", headers=side.headers, timeout=30,
        json={"app_version": "9.9.9", "pending": 4242}))
    d = schema.devices
    with server.engine().connect() as connection:
        reported = dict(connection.execute(
            sa.select(d.c.id, d.c.app_version).where(d.c.id.in_(
                [world.a.device_id, world.b.device_id]))).all())
    assert reported[world.b.device_id] == "9.9.9"
    assert reported[world.a.device_id] != "9.9.9"


def check_reference(world: World) -> None:
    """A's ETag and version mean nothing to B (no 304), and B's staff list is its own."""
    server, b = world.server, world.b
    with_a = requests.get(f"{server.url}/v1/reference", timeout=30,
                          params={"since": b.ids["etag"].strip('"')},
                          headers={**b.headers, "If-None-Match": b.ids["etag"]})
    with_none = requests.get(f"{server.url}/v1/reference", timeout=30,
                             params={"since": "0" * 32},
                             headers={**b.headers, "If-None-Match": '"' + "0" * 32 + '"'})
    assert with_a.status_code == 200 and normal(with_a, NOBODY) == normal(with_none, NOBODY)
    staff = {person["username"] for person in with_a.json()["staff"]}
    assert "lan" in staff and "hoa" not in staff


def check_push(world: World) -> None:
    """A's operation id, record ids and dossier code are new to B: B's writes are B's own, and
    the answers are those for identifiers nobody uses (not ``duplicate``, not a conflict on
    the code, not A's revision)."""
    server = world.server
    frames = {}
    for side in (world.b, world.t):
        ids = side.ids
        frames[side.name] = (
            [side.op(side.new_id("fresh"), dossier_fields("00226-260106-0001"), create=True,
                     op_id=ids["op"]),  # A's operation id
             side.op(side.new_id("fresh2"), dossier_fields(ids["code"]), create=True),  # code
             side.op(ids["record"], dossier_fields("00226-260106-0002"), create=True)],  # id
            [side.op(ids["event"], {"note": "sửa"}, kind="dossier_event", base_rev=3),
             side.op(ids["gone"], {"deleted": True}, base_rev=2),  # A's tombstone
             side.op(ids["record"], {"notes": "ghi chú"}, base_rev=1)])
    answer, _ = world.both(lambda side: push(server, side, *frames[side.name]))
    statuses = [r["status"] for kind, p in answer["body"]["frames"]
                if kind == FrameKind.RESULTS for r in p["results"]]
    assert statuses == ["applied"] * 3 + ["rejected", "applied", "applied"], answer
    # The same frames again: B's own first answers come back (deduplicated per commune).
    again, _ = world.both(lambda side: push(server, side, *frames[side.name]))
    assert {r["status"] for kind, p in again["body"]["frames"] if kind == FrameKind.RESULTS
            for r in p["results"]} == {"duplicate"}


def check_push_mark(world: World) -> None:
    """The mark is the caller's device's, whatever ``X-Device-Id`` says (A's, for B)."""
    server = world.server
    answer, _ = world.both(lambda side: requests.get(f"{server.url}/v1/push/mark",
                                                     headers=side.headers, timeout=30))
    assert answer["body"]["applied_through"] == world.b.seq


def check_push_results(world: World) -> None:
    """B's stored answers are B's own, whatever range it asks for."""
    server = world.server
    for after, through in ((0, MAX_INT), (0, 1), (world.a.seq - 1, world.a.seq + 10)):
        world.both(lambda side, after=after, through=through: requests.get(
            f"{server.url}/v1/push/results", headers=side.headers, timeout=30,
            params={"after": after, "through": through}))


def check_pull(world: World) -> None:
    """B pulls its own changes only: from the start, and from A's cursor."""
    server = world.server
    for cursor in ("e1:0", world.a_cursor, "e1:1"):
        world.both(lambda side, cursor=cursor: requests.get(
            f"{server.url}/v1/pull", params={"cursor": cursor}, headers=side.headers,
            timeout=30))


def _blob_url(world: World, side: Side, role: str) -> str:
    return f"{world.server.url}/v1/blobs/{side.ids[role]}"


def check_blob_head(world: World) -> None:
    """A's complete blob and A's upload in progress are 404 to B, like hashes nobody has."""
    for role in ("blob_whole", "blob_part"):
        answer, _ = world.both(lambda side, role=role: requests.head(
            _blob_url(world, side, role), headers=side.headers, timeout=30))
        assert answer["status"] == 404


def check_blob_get(world: World) -> None:
    """Nor can B read them, whole or by any range."""
    for role in ("blob_whole", "blob_part"):
        for extra in ({}, {"Range": "bytes=10-"}, {"Range": "bytes=0-0"},
                      {"Range": "bytes=999999-"}, {"Range": "nonsense"}):
            answer, _ = world.both(lambda side, role=role, extra=extra: requests.get(
                _blob_url(world, side, role), headers={**side.headers, **extra}, timeout=30))
            assert answer["status"] == 404


def check_blob_patch(world: World) -> None:
    """B cannot write A's blob, resume A's upload, or find A's copy through deduplication:
    without an attachment record of its own the hash is unknown; with one, B's upload starts
    from nothing, in B's own folder."""
    server = world.server

    def patch(side: Side, role: str, offset: int, body: bytes) -> requests.Response:
        return requests.patch(_blob_url(world, side, role), data=body, timeout=30, headers={
            **side.headers, "Upload-Offset": str(offset),
            "Upload-Length": str(len(side.blobs[role]))})

    for role in ("blob_whole", "blob_part"):
        answer, _ = world.both(lambda side, role=role: patch(side, role, 0, side.blobs[role]))
        assert answer["status"] == 404
        answer, _ = world.both(lambda side, role=role: patch(side, role, 1000,
                                                             side.blobs[role][1000:]))
        assert answer["status"] == 404
    # Now B (and T) name the hashes in attachment records of their own.
    world.both(lambda side: push(server, side, [
        side.op(side.new_id(role), {"dossier_id": side.ids["record"], "sha256": side.ids[role],
                                    "file_name": "scan.pdf", "media_type": "application/pdf",
                                    "size": len(side.blobs[role])}, kind="attachment",
                create=True) for role in ("blob_whole", "blob_part")]))
    for role in ("blob_whole", "blob_part"):
        # Resuming where A's upload stands is refused from B's own offset: 0.
        answer, _ = world.both(lambda side, role=role: patch(side, role, 1000,
                                                             side.blobs[role][1000:2000]))
        assert answer["status"] == 409 and answer["headers"]["upload-offset"] == "0"
        answer, _ = world.both(lambda side, role=role: patch(side, role, 0,
                                                             side.blobs[role][:500]))
        assert answer["status"] == 204 and answer["headers"]["upload-offset"] == "500"
    blobs = world.server.data_dir / "blobs"
    sha = world.a.ids["blob_whole"]
    assert (blobs / "09661" / sha[:2] / sha).read_bytes() == world.a.blobs["blob_whole"]
    assert not (blobs / "00226" / sha[:2] / sha).exists()


LEASE_ADMINS = {"b": ("kimlien-quantri", "00226"), "t": ("hoankiem-quantri", TWIN_COMMUNE)}
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)")


def lease_sides(world: World) -> tuple[Side, Side]:
    """B's and T's admins (made at first use): their own device and username are renamed
    too, as each answer names its caller's commune's holder."""
    if world.lease_sides is None:
        sides = []
        for base, (username, commune) in ((world.b, LEASE_ADMINS["b"]),
                                          (world.t, LEASE_ADMINS["t"])):
            world.server.admin("user", "add", "--commune", commune, "--username", username,
                               "--role", "admin", password="mật-khẩu-quản-trị")
            side = login(world.server, username, "mật-khẩu-quản-trị")
            side.ids = {**base.ids, "own_device": side.device_id, "own_user": username}
            side.headers["X-Device-Id"] = base.headers["X-Device-Id"]
            side.twin_ids = True
            sides.append(side)
        world.lease_sides = (sides[0], sides[1])
    return world.lease_sides


def both_leases(world: World, probe: Callable[[Side], requests.Response]) -> dict:
    """As ``World.both``, for the lease routes' answers: with the admins' own identifiers
    renamed, times (``since``, ``at``: the moments B and T acted) and the ETag (a hash of
    the answer, times included) masked."""
    b, t = lease_sides(world)
    answers = []
    for side in (b, t):
        seen = normal(probe(side), side)
        text = TIME.sub("<time>", json.dumps(seen, ensure_ascii=False, sort_keys=True))
        seen = json.loads(text)
        if "etag" in seen["headers"]:
            seen["headers"]["etag"] = "<etag>"
        answers.append(seen)
    assert answers[0] == answers[1], f"B (A's identifiers) and T (nobody's) got different " \
                                     f"answers:\n{answers[0]}\n{answers[1]}"
    text = json.dumps(answers[0], ensure_ascii=False)
    for secret in ("09661", "Minh Châu", "vanthu", "quantri", SECRET, "<lease_device>",
                   "<device>"):
        assert secret not in text, secret
    return answers[0]


def lease_call(world: World, side: Side, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, f"{world.server.url}/v1/leases{path}", timeout=30,
                            headers={**side.headers, **kwargs.pop("headers", {})}, **kwargs)


def check_leases(world: World) -> None:
    """B lists its own commune's leases, all free: nothing of A's holders, numbers or epochs;
    A's ETag is no match."""
    answer = both_leases(world, lambda side: lease_call(world, side, "GET", "", headers={
        "If-None-Match": side.ids["lease_etag"]}))
    assert answer["status"] == 200
    assert all(lease["holder_device_id"] is None and lease["epoch"] == 0
               and lease["last_numbers"] == {} for lease in answer["body"])


def check_lease_acquire(world: World) -> None:
    """B's acquire takes B's own free lease (the one A's clerk holds in A), at epoch 1; a
    number B then gives, the one A's document has, is B's own register's."""
    for pair in ("outgoing/ordinary", "incoming/secret"):
        answer = both_leases(world, lambda side, pair=pair: lease_call(
            world, side, "POST", f"/{pair}/acquire"))
        assert answer["status"] == 200 and answer["body"]["epoch"] == 1
        assert answer["body"]["holder_device_id"] == "<own_device>"
        assert answer["body"]["last_numbers"] == {}
    answer = both_leases(world, lambda side: push(world.server, side, [side.op(
        side.new_id("numbered"), {
            "series": "ordinary", "doc_type": "QĐ", "summary": "Quyết định", "issuer": "UBND",
            "status": "issued", "number": 1, "register_year": 2026,
            "numbered_by": side.device_id, "lease_epoch": 1}, kind="outgoing_document",
        create=True)]))
    [[_kind, results], _end] = answer["body"]["frames"]
    assert [r["status"] for r in results["results"]] == ["applied"]


def check_lease_release(world: World) -> None:
    """B releases its own leases only: the one it holds, and a free one (answered as it is);
    A's clerk keeps A's."""
    for pair in ("outgoing/ordinary", "incoming/ordinary"):
        answer = both_leases(world, lambda side, pair=pair: lease_call(
            world, side, "POST", f"/{pair}/release"))
        assert answer["status"] == 200 and answer["body"]["holder_device_id"] is None


def check_lease_transfer(world: World) -> None:
    """A transfer to A's devices (the clerk's that holds A's lease, the officer's) is 404,
    like a transfer to devices that exist nowhere; to B's own device it is B's own."""
    for role in ("lease_device", "device"):
        for pair in ("outgoing/ordinary", "incoming/secret"):
            answer = both_leases(world, lambda side, role=role, pair=pair: lease_call(
                world, side, "POST", f"/{pair}/transfer",
                json={"device_id": side.ids[role], "force": True}))
            assert answer["status"] == 404, answer
    answer = both_leases(world, lambda side: lease_call(
        world, side, "POST", "/incoming/ordinary/transfer",
        json={"device_id": side.device_id, "force": True}))
    assert answer["status"] == 200 and answer["body"]["epoch"] == 1


def check_lease_log(world: World) -> None:
    """B's log holds B's own moves only, whatever page it asks for."""
    for params in ({}, {"limit": 500}, {"before": 1}, {"before": 2**31 - 1, "limit": 2}):
        answer = both_leases(world, lambda side, params=params: lease_call(
            world, side, "GET", "/log", params=params))
        assert answer["status"] == 200
    entries = both_leases(world, lambda side: lease_call(world, side, "GET", "/log"))["body"]
    assert {e["actor"] for e in entries} == {"<own_user>"}
    # Entry ids count the commune's own moves: nothing of how many A (or anyone) made.
    assert [e["id"] for e in entries] == list(range(len(entries), 0, -1))


ISOLATION: dict[tuple[str, str], Callable[[World], None]] = {
    ("POST", "/v1/auth/login"): check_login,
    ("POST", "/v1/auth/refresh"): check_refresh,
    ("POST", "/v1/auth/logout"): check_logout,
    ("GET", "/v1/device"): check_device,
    ("POST", "/v1/device/report"): check_device_report,
    ("GET", "/v1/reference"): check_reference,
    ("POST", "/v1/push"): check_push,
    ("GET", "/v1/push/mark"): check_push_mark,
    ("GET", "/v1/push/results"): check_push_results,
    ("GET", "/v1/pull"): check_pull,
    ("HEAD", "/v1/blobs/{sha256}"): check_blob_head,
    ("GET", "/v1/blobs/{sha256}"): check_blob_get,
    ("PATCH", "/v1/blobs/{sha256}"): check_blob_patch,
    ("GET", "/v1/leases"): check_leases,
    ("POST", "/v1/leases/{kind}/{series}/acquire"): check_lease_acquire,
    ("POST", "/v1/leases/{kind}/{series}/release"): check_lease_release,
    ("POST", "/v1/leases/{kind}/{series}/transfer"): check_lease_transfer,
    ("GET", "/v1/leases/log"): check_lease_log,
}


def served_routes(server) -> set[tuple[str, str]]:
    """Every (method, path) under /v1/: from the app's route table and from the served
    OpenAPI description (a route left out of one still shows in the other)."""
    from server.app import create_app

    app = create_app(engine=None)  # type: ignore[arg-type]
    try:  # FastAPI >= 0.120 keeps included routers whole; this walks into them
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: the routes are flat already
        routes = list(app.routes)
    else:
        routes = list(iter_route_contexts(app.routes))
    found = set()
    for route in routes:
        path = getattr(route, "path", None)
        assert path is not None, f"a route without a path: {route!r}"
        if path.startswith("/v1/") or path == "/v1":
            methods = getattr(route, "methods", None)
            assert methods, f"{path}: not an HTTP route ({route!r}); add it to the table"
            found |= {(method, path) for method in methods}
    described = requests.get(f"{server.url}/openapi.json", timeout=30).json()["paths"]
    found |= {(method.upper(), path) for path, operations in described.items()
              if path.startswith("/v1/") for method in operations}
    return found


def test_every_route_is_in_the_isolation_table(city_server) -> None:
    routes = served_routes(city_server)
    assert routes - set(ISOLATION) == set(), "routes with no isolation probe"
    assert set(ISOLATION) - routes == set(), "probes for routes that are not served"


@pytest.mark.parametrize("route", list(ISOLATION), ids=" ".join)
def test_another_commune_learns_and_changes_nothing(world: World, route) -> None:
    ISOLATION[route](world)
    assert a_view(world) == world.a_view, f"{route}: A's data changed"
    changes, _ = full_pull(world.server, world.b.headers)
    seen = json.dumps(changes, ensure_ascii=False)
    assert SECRET not in seen and world.a.device_id not in seen

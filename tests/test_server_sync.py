"""Push and pull against a real city server on loopback (SQLite and PostgreSQL): exactly-once, merge,
conflicts, rejections, commune isolation, resumption after a cut."""

from __future__ import annotations

import itertools
import socket
import time
import uuid

import pytest
import requests

from sync.protocol import FrameKind, encode_frame, iter_frames
from tests.conftest import BACKENDS, sign_in

DB_BACKENDS = BACKENDS



class Device:
    """Numbers operations as one device's outbox would."""

    def __init__(self) -> None:
        self.seq = 0

    def op(self, record_id: str, fields: dict, *, base_rev: int = 0, create: bool = False,
           kind: str = "dossier", op_id: str | None = None) -> dict:
        self.seq += 1
        return {"op_id": op_id or str(uuid.uuid4()), "seq": self.seq, "type": kind,
                "id": record_id, "base_rev": base_rev, "create": create, "fields": fields}


def dossier_fields(code: str, name: str = "Nguyễn Văn Đức") -> dict:
    return {"code": code, "procedure_code": "1.001193", "procedure_version": 1, "channel": 1,
            "status": 2, "received_at": "2026-01-06T09:00:00+07:00",
            "due_at": "2026-01-06T17:00:00+07:00", "calendar_version": "2026.1+holidays-0.109",
            "applicant.full_name": name, "applicant.phone": "+84912345678",
            "co_applicants": [], "papers": [{"name": "Tờ khai", "form": "original", "count": 1}],
            "sets_count": 1, "result_delivery": "counter", "received_by": "Nguyễn Thị Hoa",
            "notes": ""}


def push(server, headers: dict, *frames: list[dict]) -> list[dict]:
    body = b"".join(encode_frame(FrameKind.OPS, {"ops": ops}) for ops in frames)
    body += encode_frame(FrameKind.END, {"more": False})
    answer = requests.post(f"{server.url}/v1/push", data=body, timeout=60,
                           headers={**headers, "Content-Type": "application/vnd.communedesk.frames"})
    assert answer.status_code == 200, answer.text
    results = []
    for kind, payload in iter_frames([answer.content]):
        if kind == FrameKind.RESULTS:
            results += payload["results"]
    return results


def pull(server, headers: dict, cursor: str = "e1:0") -> tuple[list[dict], str]:
    changes, last = [], cursor
    while True:
        answer = requests.get(f"{server.url}/v1/pull", params={"cursor": last}, headers=headers,
                              timeout=60)
        assert answer.status_code == 200, answer.text
        for kind, payload in iter_frames([answer.content]):
            if kind == FrameKind.PAGE:
                changes += payload["changes"]
                last = payload["cursor"]
            elif kind == FrameKind.END:
                last, more = payload["cursor"], payload["more"]
        if not more:
            return changes, last


# Numbers no earlier call in this test process returned. Each module's tests share one server,
# where a code already taken is a code conflict the test did not mean: random numbers collided
# once (CI, 27 November: test_communes_are_sealed_from_each_other found no record).
_CODE_NUMBERS = itertools.count(1000)


def unique_code() -> str:
    return f"09661-260106-{next(_CODE_NUMBERS):04d}"


def test_a_new_dossier_is_applied_once_and_pulled(city_server, hoa) -> None:
    device, record_id = Device(), str(uuid.uuid4())
    op = device.op(record_id, dossier_fields(unique_code()), create=True)
    [first] = push(city_server, hoa, [op])
    assert first["status"] == "applied" and first["rev"] > 0
    [again] = push(city_server, hoa, [op])  # the answer was lost: the same op again
    assert again["status"] == "duplicate" and again["rev"] == first["rev"]
    changes, cursor = pull(city_server, hoa)
    mine = [c for c in changes if c["id"] == record_id]
    assert len(mine) == 1 and mine[0]["rev"] == first["rev"]
    assert mine[0]["record"]["applicant"]["full_name"] == "Nguyễn Văn Đức"
    assert pull(city_server, hoa, cursor)[0] == []  # nothing new after the cursor


def test_different_fields_merge_and_the_same_field_conflicts(city_server, hoa) -> None:
    device, record_id = Device(), str(uuid.uuid4())
    [created] = push(city_server, hoa, [device.op(record_id, dossier_fields(unique_code()),
                                                  create=True)])
    base = created["rev"]
    [notes] = push(city_server, hoa, [device.op(record_id, {"notes": "máy A"}, base_rev=base)])
    [phone] = push(city_server, hoa, [device.op(record_id, {"applicant.phone": "+84987654321"},
                                                base_rev=base)])
    assert notes["status"] == phone["status"] == "applied"
    # A device never conflicts with its own change, even from an old base.
    [again] = push(city_server, hoa, [device.op(record_id, {"notes": "máy A, sửa"},
                                                base_rev=base)])
    assert again["status"] == "applied"
    other, hoa_b = Device(), sign_in(city_server, "hoa", "mật-khẩu-hoa")
    [clash] = push(city_server, hoa_b, [other.op(record_id, {"notes": "máy B"}, base_rev=base)])
    assert clash["status"] == "conflict" and clash["fields"] == {"notes": "máy A, sửa"}
    [same] = push(city_server, hoa_b, [other.op(record_id, {"notes": "máy A, sửa"},
                                                base_rev=base)])
    assert same["status"] == "applied"  # the same value is no conflict
    record = next(c for c in pull(city_server, hoa)[0] if c["id"] == record_id)["record"]
    assert record["notes"] == "máy A, sửa" and record["applicant"]["phone"] == "+84987654321"
    # A person's resolution is made from the revision they saw, so it applies.
    [resolved] = push(city_server, hoa_b, [other.op(record_id, {"notes": "máy B"},
                                                    base_rev=clash["rev"])])
    assert resolved["status"] == "applied"


def test_a_dossier_code_already_taken_is_a_conflict(city_server, hoa) -> None:
    device, code = Device(), unique_code()
    push(city_server, hoa, [device.op(str(uuid.uuid4()), dossier_fields(code), create=True)])
    [clash] = push(city_server, hoa, [device.op(str(uuid.uuid4()), dossier_fields(code),
                                                create=True)])
    assert clash["status"] == "conflict" and "code" in clash["fields"]


def test_a_dossier_that_changes_its_code_frees_the_old_one(city_server, hoa) -> None:
    """A stored dossier moving to a new code gives up the old one (another dossier may take
    it, in a later push or later in the same one) and holds the new one."""
    device, first, second, third = Device(), unique_code(), unique_code(), unique_code()
    record_id = str(uuid.uuid4())
    [created] = push(city_server, hoa, [device.op(record_id, dossier_fields(first),
                                                  create=True)])
    [moved] = push(city_server, hoa, [device.op(record_id, {"code": second},
                                                base_rev=created["rev"])])
    assert moved["status"] == "applied"
    [reused] = push(city_server, hoa, [device.op(str(uuid.uuid4()), dossier_fields(first),
                                                 create=True)])
    [taken] = push(city_server, hoa, [device.op(str(uuid.uuid4()), dossier_fields(second),
                                                create=True)])
    assert reused["status"] == "applied"
    assert taken["status"] == "conflict" and taken["reason"] == "code_taken"
    moved_again, reused_again = push(city_server, hoa, [
        device.op(record_id, {"code": third}, base_rev=moved["rev"]),
        device.op(str(uuid.uuid4()), dossier_fields(second), create=True)])
    assert (moved_again["status"], reused_again["status"]) == ("applied", "applied")


@pytest.mark.parametrize(("fields", "code"), [
    ({"nonsense": 1}, "unknown_field"),
    ({"applicant.full_name": "Lê Văn A"}, "invalid_record"),  # a new dossier needs much more
    ({**dossier_fields("09661-260106-0001"), "status": 11}, "invalid_record"),
])
def test_invalid_operations_are_rejected_with_a_reason(city_server, hoa, fields, code) -> None:
    [answer] = push(city_server, hoa, [Device().op(str(uuid.uuid4()), fields, create=True)])
    assert answer["status"] == "rejected" and answer["code"] == code and answer["reason"]


def test_events_are_written_once(city_server, hoa) -> None:
    device, event_id = Device(), str(uuid.uuid4())
    event = {"dossier_id": str(uuid.uuid4()), "kind": "status", "from_status": 2,
             "to_status": 4, "actor": "Nguyễn Thị Hoa", "at": "2026-01-06T10:00:00+07:00",
             "note": ""}
    [first] = push(city_server, hoa, [device.op(event_id, event, kind="dossier_event",
                                                create=True)])
    [second] = push(city_server, hoa, [device.op(event_id, {**event, "note": "sửa"},
                                                 kind="dossier_event", create=True)])
    assert second["status"] == "applied" and second["rev"] == first["rev"]


def test_communes_are_sealed_from_each_other(city_server, hoa, lan) -> None:
    device, record_id, op_id = Device(), str(uuid.uuid4()), str(uuid.uuid4())
    code = unique_code()
    [first] = push(city_server, hoa, [device.op(record_id, dossier_fields(code), create=True,
                                                op_id=op_id)])
    assert first["status"] == "applied", first
    theirs, _ = pull(city_server, lan)
    assert record_id not in {c["id"] for c in theirs}
    # The same operation id and record id from another commune touch nothing of Minh Châu's
    # and learn nothing (not "duplicate").
    [answer] = push(city_server, lan, [Device().op(record_id, dossier_fields(code), create=True,
                                                   op_id=op_id)])
    assert answer["status"] == "applied"
    ours = [c for c in pull(city_server, hoa)[0] if c["id"] == record_id]
    assert ours[0]["record"]["applicant"]["full_name"] == "Nguyễn Văn Đức"
    assert len(ours) == 1


def push_cut_in_third_frame(port: int, headers: dict) -> tuple[list[dict], int]:
    """Push three new dossiers, a frame each, in one chunked request to 127.0.0.1:``port``, and
    drop the link inside the third frame (no last chunk, no END frame) once the push mark there
    shows the first two applied, or after 10 s: (the three operations, the mark half a second
    after the cut)."""
    device = Device()
    ops = [device.op(str(uuid.uuid4()), dossier_fields(unique_code(), f"Người {i}"), create=True)
           for i in range(3)]
    whole = b"".join(encode_frame(FrameKind.OPS, {"ops": [op]}) for op in ops[:2])
    partial = encode_frame(FrameKind.OPS, {"ops": [ops[2]]})[:-5]
    head = (f"POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
            f"Authorization: {headers['Authorization']}\r\nX-CommuneDesk-Version: 0.1.0\r\n"
            "Content-Type: application/vnd.communedesk.frames\r\n\r\n").encode()
    chunk = whole + partial
    mark_url = f"http://127.0.0.1:{port}/v1/push/mark"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as link:
        link.sendall(head + f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        # The server applies the whole frames as they arrive, while the request is still open.
        deadline, mark = time.monotonic() + 10, 0
        while time.monotonic() < deadline and mark < ops[1]["seq"]:
            time.sleep(0.1)
            mark = requests.get(mark_url, headers=headers, timeout=30).json()["applied_through"]
    time.sleep(0.5)
    return ops, requests.get(mark_url, headers=headers, timeout=30).json()["applied_through"]


def test_a_cut_keeps_every_complete_frame(city_server) -> None:
    hoa = sign_in(city_server, "hoa", "mật-khẩu-hoa")  # a device of its own: marks are per device
    ops, mark = push_cut_in_third_frame(city_server.port, hoa)
    assert mark == ops[1]["seq"]  # both whole frames, not the cut one
    answers = requests.get(f"{city_server.url}/v1/push/results", headers=hoa, timeout=30,
                           params={"after": 0, "through": mark})
    results = [r for kind, p in iter_frames([answers.content]) if kind == FrameKind.RESULTS
               for r in p["results"]]
    assert [r["op_id"] for r in results] == [ops[0]["op_id"], ops[1]["op_id"]]
    # Resume: only the cut operation is sent again.
    [last] = push(city_server, hoa, [ops[2]])
    assert last["status"] == "applied"


def test_pull_pages_carry_increasing_cursors_and_old_epochs_need_a_resync(city_server, hoa
                                                                         ) -> None:
    changes, cursor = pull(city_server, hoa)
    revs = [c["rev"] for c in changes]
    assert revs == sorted(revs) and len(set(revs)) == len(revs)
    stale = requests.get(f"{city_server.url}/v1/pull", params={"cursor": "e0:5"},
                         headers=hoa, timeout=30)
    assert stale.status_code == 410 and stale.json()["error"]["code"] == "resync_required"
    bad = requests.get(f"{city_server.url}/v1/pull", params={"cursor": "x"}, headers=hoa,
                       timeout=30)
    assert bad.status_code == 400

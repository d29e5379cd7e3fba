"""What a hostile or broken client can send, against a real city server on loopback, on SQLite
and on PostgreSQL: expired and forged tokens, a device revoked in the middle of a sync,
oversized and malformed bodies (JSON and frames), path-like blob names, SQL metacharacters,
NUL characters and lone surrogates in every string field. Every refusal is a 4xx with the
error envelope, nothing is a 5xx, and text is stored and returned exactly as sent.

Covered elsewhere and not repeated here: a missing token and an ``x``-string token
(test_server_auth), a refresh token replayed after its grace period (test_server_auth), names
that are not a SHA-256 at all (test_server_blobs), the frame codec's own limits
(test_protocol).
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import requests
import sqlalchemy as sa
import zstandard

from server import auth, schema
from sync.protocol import FRAMES_MEDIA_TYPE, FrameKind, encode_frame, iter_frames
from tests.conftest import BACKENDS, VERSION
from tests.test_server_sync import Device, dossier_fields, pull, push, unique_code

DB_BACKENDS = BACKENDS

# Quotes, comment and statement markers, LIKE wildcards, an escape, a placeholder, a
# control character, and letters outside the BMP: all plain text to the server.
META = "O'Brien\"; DROP TABLE records; -- /* % _ \\ $1 ? :name \x1a 𝔘 ' OR '1'='1"


def login(server, username: str = "hoa", password: str = "mật-khẩu-hoa",
          device_name: str = "máy thử") -> tuple[dict, str, dict]:
    """(headers, device id, the login answer) of a fresh device."""
    device_id = str(uuid.uuid4())
    answer = requests.post(f"{server.url}/v1/auth/login", headers=VERSION, timeout=30, json={
        "username": username, "password": password, "device_id": device_id,
        "device_name": device_name})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return {**VERSION, "Authorization": f"Bearer {body['access_token']}"}, device_id, body


def assert_envelope(answer: requests.Response, status: int, code: str | None = None) -> None:
    assert answer.status_code == status, (answer.status_code, answer.text[:300])
    body = answer.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    if code is not None:
        assert body["error"]["code"] == code, body


def raw_push(server, headers: dict, body) -> requests.Response:  # noqa: ANN001 - bytes or iter
    return requests.post(f"{server.url}/v1/push", data=body, timeout=60,
                         headers={**headers, "Content-Type": FRAMES_MEDIA_TYPE})


def mark(server, headers: dict) -> int:
    answer = requests.get(f"{server.url}/v1/push/mark", headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()["applied_through"]


def raw_frame(kind: int, payload: bytes, *, declare_size: bool = True) -> bytes:
    packed = zstandard.ZstdCompressor(write_content_size=declare_size).compress(payload)
    return struct.pack(">IB", len(packed) + 1, kind) + packed


END = encode_frame(FrameKind.END, {"more": False})


# ------------------------------------------------------------------------------------- tokens


def test_an_expired_access_token_is_refused_and_the_refresh_token_recovers(city_server
                                                                           ) -> None:
    headers, _device, tokens = login(city_server)
    t = schema.tokens
    with city_server.engine().begin() as db:  # fifteen minutes pass, in the database
        db.execute(t.update().where(t.c.token_hash == auth.token_hash(tokens["access_token"]))
                   .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    refused = requests.get(f"{city_server.url}/v1/device", headers=headers, timeout=30)
    assert_envelope(refused, 401, "token_expired")
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    fresh = requests.post(f"{city_server.url}/v1/auth/refresh", headers=VERSION, timeout=30,
                          json={"refresh_token": tokens["refresh_token"]})
    assert fresh.status_code == 200
    assert requests.get(f"{city_server.url}/v1/device", timeout=30, headers={
        **VERSION, "Authorization": f"Bearer {fresh.json()['access_token']}"}).status_code == 200


def test_an_expired_refresh_token_is_refused(city_server) -> None:
    _headers, _device, tokens = login(city_server)
    t = schema.tokens
    with city_server.engine().begin() as db:
        db.execute(t.update().where(t.c.token_hash == auth.token_hash(tokens["refresh_token"]))
                   .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    refused = requests.post(f"{city_server.url}/v1/auth/refresh", headers=VERSION, timeout=30,
                            json={"refresh_token": tokens["refresh_token"]})
    assert_envelope(refused, 401, "token_invalid")


@pytest.mark.parametrize("authorization", [
    "Bearer " + "A" * 43,  # the shape of a token, not one
    "Bearer REFRESH",  # a real refresh token where an access token belongs
    "Bearer " + "x" * 10_000,
    "Bearer ' OR '1'='1",
    "Bearer ",
    "Basic aG9hOm3huq10LWto4bqpdS1ob2E=",
    "bearer\tsomething",
    "Bearer éàü",  # latin-1 bytes in a header
])
def test_forged_access_tokens_are_refused(city_server, authorization) -> None:
    if "REFRESH" in authorization:
        authorization = f"Bearer {login(city_server)[2]['refresh_token']}"
    for method, path in (("GET", "/v1/device"), ("GET", "/v1/push/mark"),
                         ("GET", "/v1/pull?cursor=e1:0"), ("POST", "/v1/push")):
        answer = requests.request(method, f"{city_server.url}{path}", timeout=30,
                                  headers={**VERSION, "Authorization": authorization},
                                  data=END if method == "POST" else None)
        assert_envelope(answer, 401, "token_invalid")


@pytest.mark.parametrize("token", ["ACCESS", "A" * 43, "' OR 1=1 --", "%", "x" * 200])
def test_forged_refresh_tokens_are_refused(city_server, token) -> None:
    if token == "ACCESS":  # an access token where a refresh token belongs
        token = login(city_server)[2]["access_token"]
    answer = requests.post(f"{city_server.url}/v1/auth/refresh", headers=VERSION, timeout=30,
                           json={"refresh_token": token})
    assert_envelope(answer, 401, "token_invalid")


# ------------------------------------------------------------------ revoked in the middle of it


def applied_through(server, device_id: str) -> int:
    """A device's push mark, read from the database (its token may be dead by then)."""
    d = schema.devices
    with server.engine().connect() as db:
        return db.execute(sa.select(d.c.applied_through).where(d.c.id == device_id)).scalar()


@pytest.mark.parametrize("cut_off", ["device revoke", "user disable"])
def test_a_revocation_between_push_frames_stops_the_push(city_server, cut_off) -> None:
    username = f"u{uuid.uuid4().hex[:8]}"
    city_server.admin("user", "add", "--commune", "09661", "--username", username, "--role",
                      "officer", password="mật-khẩu-thử")
    headers, device_id, _ = login(city_server, username, "mật-khẩu-thử")
    device = Device()
    first = device.op(str(uuid.uuid4()), dossier_fields(unique_code()), create=True)
    second = device.op(str(uuid.uuid4()), dossier_fields(unique_code()), create=True)
    cut = threading.Event()

    def body():
        yield encode_frame(FrameKind.OPS, {"ops": [first]})
        # The first frame is applied while the request is still open; then the device is cut
        # off, and only then does the second frame arrive.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and applied_through(city_server, device_id) < 1:
            time.sleep(0.05)
        if cut_off == "device revoke":
            city_server.admin("device", "revoke", device_id)
        else:
            city_server.admin("user", "disable", "--username", username)
        cut.set()
        yield encode_frame(FrameKind.OPS, {"ops": [second]}) + END

    answer = raw_push(city_server, headers, body())
    assert cut.is_set()
    assert_envelope(answer, 401, "device_revoked" if cut_off == "device revoke"
                    else "user_disabled")
    assert applied_through(city_server, device_id) == first["seq"]
    ids = {change["id"] for change in pull(city_server, login(city_server)[0])[0]}
    assert first["id"] in ids and second["id"] not in ids


def test_a_revoked_device_is_refused_between_pull_calls(city_server) -> None:
    headers, device_id, _ = login(city_server)
    changes, cursor = pull(city_server, headers)
    city_server.admin("device", "revoke", device_id)
    for answer in (
        requests.get(f"{city_server.url}/v1/pull", params={"cursor": cursor}, headers=headers,
                     timeout=30),
        requests.get(f"{city_server.url}/v1/push/mark", headers=headers, timeout=30),
        requests.post(f"{city_server.url}/v1/device/report", headers=headers, timeout=30,
                      json={"app_version": "0.1.0", "pending": 0}),
    ):
        assert_envelope(answer, 401, "device_revoked")
    bare = requests.head(f"{city_server.url}/v1/blobs/{'a' * 64}", headers=headers, timeout=30)
    assert bare.status_code == 401 and not bare.content


# ------------------------------------------------------------------ oversized and malformed


def test_oversized_json_bodies_are_refused(city_server, hoa) -> None:
    headers = hoa
    big = json.dumps({"username": "hoa", "password": "x" * 70_000, "device_id": str(uuid.uuid4()),
                      "device_name": "m"}).encode()
    declared = requests.post(f"{city_server.url}/v1/auth/login", data=big, timeout=30,
                             headers={**VERSION, "Content-Type": "application/json"})
    assert_envelope(declared, 413, "too_large")
    streamed = requests.post(f"{city_server.url}/v1/device/report", timeout=30,
                             data=iter([big[:40_000], big[40_000:]]),  # chunked: no length
                             headers={**headers, "Content-Type": "application/json"})
    assert_envelope(streamed, 413, "too_large")
    assert requests.get(f"{city_server.url}/v1/device", headers=headers,
                        timeout=30).status_code == 200


@pytest.mark.parametrize("body", [b"{not json", b"[]", b"null", b"", b"\xff\xfe{}",
                                  b"[" * 60_000, b'{"username": 5, "password": []}',
                                  b'{"username": "hoa", "password": "x", "device_id": "'
                                  + b"9" * 5000 + b'", "device_name": "m"}'])
def test_malformed_json_bodies_get_the_error_envelope(city_server, body) -> None:
    for path in ("/v1/auth/login", "/v1/auth/refresh"):
        answer = requests.post(f"{city_server.url}{path}", data=body, timeout=30,
                               headers={**VERSION, "Content-Type": "application/json"})
        assert_envelope(answer, 400, "invalid_request")


def _ops(count: int) -> bytes:
    device = Device()
    return encode_frame(FrameKind.OPS, {"ops": [
        device.op(str(uuid.uuid4()), {"nonsense": 1}) for _ in range(count)]})


@pytest.mark.parametrize(("body", "status", "code"), [
    (b"\x00\x00\x00\x05\x01garbage", 400, "bad_frame"),
    (struct.pack(">IB", 2**31, 1), 413, "frame_too_large"),
    (struct.pack(">IB", 0, 1), 400, "bad_frame"),
    (raw_frame(9, b"{}"), 400, "bad_frame"),  # no such kind
    (encode_frame(FrameKind.PAGE, {"changes": [], "cursor": "e1:0"}), 400, "bad_frame"),
    (raw_frame(1, b'{"ops": []}', declare_size=False), 400, "bad_frame"),
    (raw_frame(1, b'[{"ops": []}]'), 400, "bad_frame"),
    (raw_frame(1, b'{"ops": 5}'), 400, "bad_frame"),
    (raw_frame(1, b'{"ops": null}'), 400, "bad_frame"),
    (raw_frame(1, b'{"ops": {"op_id": 1}}'), 400, "bad_frame"),
    (raw_frame(1, b'{"ops": [5]}'), 400, "bad_operation"),
    (raw_frame(1, b'{"ops": [{"op_id": "1; DROP TABLE op_results", "seq": 1, "type": "dossier",'
                  b' "id": "x", "base_rev": 0, "fields": {}}]}'), 400, "bad_operation"),
    (raw_frame(1, b'{"ops": [{"op_id": "00000000-0000-4000-8000-000000000001", "seq": '
                  + str(2**64).encode() + b', "type": "dossier", "id": '
                  b'"00000000-0000-4000-8000-000000000002", "base_rev": 0, "fields": {}}]}'),
     400, "bad_operation"),
    (raw_frame(1, b'{"ops": []}' + b" " * (256 * 1024)), 413, "frame_too_large"),
    (_ops(201), 413, "frame_too_large"),
])
def test_malformed_push_bodies_are_refused_and_apply_nothing(city_server, hoa, body, status,
                                                             code) -> None:
    before = mark(city_server, hoa)
    answer = raw_push(city_server, hoa, body + END)
    assert_envelope(answer, status, code)
    assert mark(city_server, hoa) == before


def test_a_push_over_8_mib_is_refused(city_server, hoa) -> None:
    headers = hoa
    padding = os.urandom(190 * 1024).hex()[:250 * 1024]  # hex: zstd halves it, no more
    frame = encode_frame(FrameKind.OPS, {"ops": [], "padding": padding})
    frames = (8 * 1024 * 1024) // len(frame) + 2
    answer = raw_push(city_server, headers, iter([frame] * frames + [END]))
    assert_envelope(answer, 413, "too_large")


# ---------------------------------------------------------------------------- blob names


@pytest.fixture(scope="module")
def stored_blob(city_server, hoa) -> tuple[dict, str, bytes]:
    headers = hoa
    data = os.urandom(5000)
    sha = hashlib.sha256(data).hexdigest()
    push(city_server, headers, [Device().op(str(uuid.uuid4()), {
        "dossier_id": str(uuid.uuid4()), "sha256": sha, "file_name": "scan.pdf",
        "media_type": "application/pdf", "size": len(data)}, kind="attachment", create=True)])
    done = requests.patch(f"{city_server.url}/v1/blobs/{sha}", data=data, timeout=30,
                          headers={**headers, "Upload-Offset": "0",
                                   "Upload-Length": str(len(data))})
    assert done.status_code == 201, done.text
    return headers, sha, data


@pytest.mark.parametrize("spell", [
    str.upper, lambda s: s[:32].upper() + s[32:], lambda s: f"..%2F{s}", lambda s: f"%2e%2e%2f{s}",
    lambda s: f"{s}%2F..", lambda s: f"{s}%00", lambda s: f"{s}%20", lambda s: f"%20{s}",
    lambda s: f"09661%2F{s[:2]}%2F{s}", lambda s: f"..%2F..%2F09661%2F{s[:2]}%2F{s}",
    lambda s: f"{s}.part", lambda s: f"{s}%2Ejson", lambda s: s[:-1], lambda s: s + "0",
    lambda s: "%EF%BC%90" + s[1:],  # a fullwidth zero
], ids=["upper", "half-upper", "dotdot-slash", "encoded-dotdot", "slash-dotdot", "nul",
        "space-after", "space-before", "commune-path", "climb-to-it", "part-file",
        "sidecar", "63-chars", "65-chars", "fullwidth-digit"])
def test_other_spellings_of_a_stored_blobs_name_find_nothing(city_server, stored_blob,
                                                             spell) -> None:
    headers, sha, data = stored_blob
    name = spell(sha)
    for method in ("HEAD", "GET", "PATCH"):
        answer = requests.request(method, f"{city_server.url}/v1/blobs/{name}", timeout=30,
                                  headers={**headers, "Upload-Offset": "0",
                                           "Upload-Length": "5"},
                                  data=b"12345" if method == "PATCH" else None)
        assert answer.status_code in (404, 405), (method, name, answer.status_code)
        if method != "HEAD" and answer.status_code == 404:
            assert_envelope(answer, 404, "not_found")
    got = requests.get(f"{city_server.url}/v1/blobs/{sha}", headers=headers, timeout=30)
    assert got.status_code == 200 and got.content == data  # and the real one is intact


# --------------------------------------------------------------------- text, stored verbatim


def test_sql_metacharacters_are_plain_text_everywhere(city_server) -> None:
    username = f"m{uuid.uuid4().hex[:8]}"
    city_server.admin("user", "add", "--commune", "09661", "--username", username, "--role",
                      "officer", "--name", META, password="mật-khẩu-thử")
    headers, device_id, answer = login(city_server, username, "mật-khẩu-thử", META)
    assert answer["user"]["display_name"] == META
    device = requests.get(f"{city_server.url}/v1/device", headers=headers, timeout=30).json()
    assert device["name"] == META
    reported = requests.post(f"{city_server.url}/v1/device/report", headers=headers, timeout=30,
                             json={"app_version": META[:40], "pending": 1})
    assert reported.status_code == 204
    listed = {d["id"]: d for d in json.loads(city_server.admin("device", "list",
                                                               "--json").stdout)}
    assert listed[device_id]["app_version"] == META[:40] and listed[device_id]["name"] == META
    staff = requests.get(f"{city_server.url}/v1/reference", headers=headers, timeout=30).json()
    assert {"username": username, "display_name": META, "role": "officer"} in staff["staff"]

    ops = Device()
    record_id, event_id, attachment_id = (str(uuid.uuid4()) for _ in range(3))
    fields = {**dossier_fields(unique_code(), META), "notes": META, "applicant.address": META,
              "received_by": META, "papers": [{"name": META, "form": "original", "count": 1}]}
    answers = push(city_server, headers, [
        ops.op(record_id, fields, create=True),
        ops.op(event_id, {"dossier_id": record_id, "kind": "status", "from_status": 2,
                          "to_status": 4, "actor": META, "at": "2026-01-06T10:00:00+07:00",
                          "note": META}, kind="dossier_event", create=True),
        ops.op(attachment_id, {"dossier_id": record_id, "sha256": "b" * 64, "file_name": META,
                               "media_type": "application/pdf", "size": 1},
               kind="attachment", create=True)])
    assert [a["status"] for a in answers] == ["applied"] * 3, answers
    records = {c["id"]: c["record"] for c in pull(city_server, headers)[0] if "record" in c}
    dossier = records[record_id]
    assert dossier["notes"] == dossier["applicant"]["full_name"] == META
    assert dossier["applicant"]["address"] == dossier["papers"][0]["name"] == META
    assert records[event_id]["note"] == records[event_id]["actor"] == META
    assert records[attachment_id]["file_name"] == META

    for username_try in (META[:64], "hoa' --", "hoa%", "%", "_"):
        refused = requests.post(f"{city_server.url}/v1/auth/login", headers=VERSION, timeout=30,
                                json={"username": username_try, "password": "x",
                                      "device_id": str(uuid.uuid4()), "device_name": "m"})
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "login_failed"
    for params in ({"cursor": META[:60]}, {"cursor": "e1:0 OR 1=1"}, {}, {"cursor": "e1:" + "0" * 62},
                   {"cursor": "e1:0", "omit_own": "maybe"}, {"cursor": "e1:0", "omit_own": META}):
        assert_envelope(requests.get(f"{city_server.url}/v1/pull", params=params,
                                     headers=headers, timeout=30), 400)
    for word in ("true", "1", "yes", "false", "0", "no"):  # pydantic's words, as before
        assert requests.get(f"{city_server.url}/v1/pull", headers=headers, timeout=30,
                            params={"cursor": "e1:0", "omit_own": word}).status_code == 200
    assert requests.get(f"{city_server.url}/v1/reference", params={"since": META[:60]},
                        headers=headers, timeout=30).status_code == 200
    assert_envelope(requests.get(f"{city_server.url}/v1/push/results", headers=headers,
                                 timeout=30, params={"after": "0 OR 1=1", "through": "1"}), 400)


BAD_TEXT = {"nul": "ab\x00cd", "lone surrogate": "ab\ud800cd"}


@pytest.mark.parametrize("text", list(BAD_TEXT.values()), ids=list(BAD_TEXT))
def test_text_the_database_cannot_hold_is_refused_with_400(city_server, hoa, text) -> None:
    base = {"username": "hoa", "password": "mật-khẩu-hoa", "device_id": str(uuid.uuid4()),
            "device_name": "máy thử"}
    def post(path: str, body: dict, headers: dict = VERSION) -> requests.Response:
        return requests.post(f"{city_server.url}{path}", timeout=30,
                             data=json.dumps(body).encode("ascii"),  # \u0000, \ud800 escapes
                             headers={**headers, "Content-Type": "application/json"})

    for name in ("username", "password", "device_name"):
        assert_envelope(post("/v1/auth/login", {**base, name: text}), 400, "invalid_request")
    assert_envelope(post("/v1/auth/refresh", {"refresh_token": text}), 400, "invalid_request")
    assert_envelope(post("/v1/device/report", {"app_version": text, "pending": 0}, hoa), 400,
                    "invalid_request")
    headers = hoa
    since = quote(text.encode("utf-8", "surrogatepass"))  # %00, or %ED%A0%80 (not UTF-8)
    assert requests.get(f"{city_server.url}/v1/reference?since={since}", headers=headers,
                        timeout=30).status_code == 200


def _ops_frame_with_text(ops: list[dict]) -> bytes:
    """An ops frame whose JSON escapes every non-ASCII character (lone surrogates included,
    which UTF-8 cannot carry raw)."""
    return raw_frame(1, json.dumps({"ops": ops}).encode("ascii"))


def test_nul_in_record_values_is_stored_and_returned_verbatim(city_server, hoa) -> None:
    headers = hoa
    ops, record_id = Device(), str(uuid.uuid4())
    fields = {**dossier_fields(unique_code(), "Nguyễn\x00Văn"), "notes": "\x00" * 3}
    answer = raw_push(city_server, headers,
                      _ops_frame_with_text([ops.op(record_id, fields, create=True)]) + END)
    assert answer.status_code == 200, answer.text
    [result] = [r for k, p in iter_frames([answer.content]) if k == FrameKind.RESULTS
                for r in p["results"]]
    assert result["status"] == "applied", result
    record = next(c["record"] for c in pull(city_server, headers)[0] if c["id"] == record_id)
    assert record["notes"] == "\x00" * 3 and record["applicant"]["full_name"] == "Nguyễn\x00Văn"


def test_lone_surrogates_in_record_values_reject_that_operation_only(city_server, hoa) -> None:
    headers = hoa
    ops = Device()
    good, bad, after = (str(uuid.uuid4()) for _ in range(3))
    frame = _ops_frame_with_text([
        ops.op(good, dossier_fields(unique_code()), create=True),
        ops.op(bad, {**dossier_fields(unique_code()), "notes": "x\ud800y"}, create=True),
        ops.op(after, {**dossier_fields(unique_code()),
                       "papers": [{"name": "\udfff", "form": "original", "count": 1}]},
               create=True),
    ])
    answer = raw_push(city_server, headers, frame + END)
    assert answer.status_code == 200, answer.text
    results = [r for k, p in iter_frames([answer.content]) if k == FrameKind.RESULTS
               for r in p["results"]]
    assert [r["status"] for r in results] == ["applied", "rejected", "rejected"]
    assert results[1]["code"] == results[2]["code"] == "invalid_text"
    ids = {c["id"] for c in pull(city_server, headers)[0]}  # the pull still encodes
    assert good in ids and bad not in ids and after not in ids


@pytest.mark.parametrize("code", ["a\x00b", 5, None, ["x"], "x" * 100, "' OR 1=1 --"])
def test_a_tombstone_with_a_code_that_is_no_code_is_rejected(city_server, hoa, code) -> None:
    headers = hoa
    [answer] = push(city_server, headers, [Device().op(str(uuid.uuid4()),
                                                       {"deleted": True, "code": code})])
    assert answer["status"] == "rejected" and answer["code"] == "invalid_record", answer
    assert pull(city_server, headers)[0] is not None

"""Compressed JSON bodies over real HTTP (docs/sync-protocol.md §2, §8; server/compression.py),
on SQLite and on PostgreSQL: requests sent with ``Content-Encoding: zstd`` or ``gzip``, answers
in the coding ``Accept-Encoding`` prefers, the 64 KB limit on the decoded size, bad streams,
and frames and blob bytes left alone.

Answers are read as they come off the wire (``raw.read(decode_content=False)``), so what is
checked is the bytes the server sent, not what ``requests`` made of them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import uuid

import pytest
import requests
import zstandard

from server.compression import JSON_BODY_LIMIT
from sync.protocol import FRAMES_MEDIA_TYPE, FrameKind, encode_frame, iter_frames
from tests.conftest import BACKENDS, VERSION
from tests.test_server_sync import Device, push

DB_BACKENDS = BACKENDS


def zstd(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


def gz(data: bytes) -> bytes:
    return gzip.compress(data)


ENCODERS = {"zstd": zstd, "gzip": gz}


def decode(data: bytes, coding: str | None) -> bytes:
    if coding is None:
        return data
    if coding == "zstd":
        return zstandard.ZstdDecompressor().decompressobj().decompress(data)
    return gzip.decompress(data)


def wire(method: str, url: str, **kwargs) -> tuple[requests.Response, bytes]:
    """The answer and its body exactly as sent (not decoded by requests)."""
    answer = requests.request(method, url, stream=True, timeout=30, **kwargs)
    return answer, answer.raw.read(decode_content=False)


def assert_envelope(answer: requests.Response, body: bytes, status: int, code: str) -> None:
    assert answer.status_code == status, (answer.status_code, body[:300])
    envelope = json.loads(decode(body, answer.headers.get("Content-Encoding")))
    assert envelope == {"error": {"code": code, "message": envelope["error"]["message"]}}
    assert "X-Server-Time" in answer.headers


def login_body(username: str = "hoa", password: str = "mật-khẩu-hoa") -> bytes:
    return json.dumps({"username": username, "password": password,
                       "device_id": str(uuid.uuid4()), "device_name": "máy nén"},
                      ensure_ascii=False).encode()


# ------------------------------------------------------------------------------ requests


@pytest.mark.parametrize("coding", ["zstd", "gzip", "x-gzip", "identity", "ZSTD"])
def test_a_compressed_json_request_is_decoded(city_server, coding) -> None:
    encode = ENCODERS.get(coding.lower().removeprefix("x-"), lambda data: data)
    answer = requests.post(f"{city_server.url}/v1/auth/login", data=encode(login_body()),
                           timeout=30, headers={**VERSION, "Content-Type": "application/json",
                                                "Content-Encoding": coding})
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    headers = {**VERSION, "Authorization": f"Bearer {token}"}
    report = json.dumps({"app_version": "0.4.2", "pending": 12}).encode()
    reported = requests.post(f"{city_server.url}/v1/device/report", data=encode(report),
                             timeout=30, headers={**headers, "Content-Type": "application/json",
                                                  "Content-Encoding": coding})
    assert reported.status_code == 204, reported.text
    device_id = requests.get(f"{city_server.url}/v1/device", headers=headers,
                             timeout=30).json()["device_id"]
    listed = json.loads(city_server.admin("device", "list", "--json").stdout)
    mine = next(d for d in listed if d["id"] == device_id)
    assert (mine["app_version"], mine["pending"]) == ("0.4.2", 12)


@pytest.mark.parametrize("coding", ["zstd", "gzip"])
def test_several_frames_or_members_make_one_body(city_server, coding) -> None:
    body = login_body()
    packed = ENCODERS[coding](body[:20]) + ENCODERS[coding](body[20:])
    answer = requests.post(f"{city_server.url}/v1/auth/login", data=packed, timeout=30,
                           headers={**VERSION, "Content-Type": "application/json",
                                    "Content-Encoding": coding})
    assert answer.status_code == 200, answer.text


def _refresh_body(size: int) -> bytes:
    """A refresh request of exactly ``size`` bytes of JSON (the token padded with spaces)."""
    body = b'{"refresh_token": "not-a-token"}'
    return body[:-1] + b" " * (size - len(body)) + b"}"


@pytest.mark.parametrize("coding", ["zstd", "gzip", None])
def test_the_limit_applies_to_the_decoded_size(city_server, coding) -> None:
    url = f"{city_server.url}/v1/auth/refresh"
    encode = ENCODERS[coding] if coding else (lambda data: data)
    headers = {**VERSION, "Content-Type": "application/json",
               **({"Content-Encoding": coding} if coding else {})}
    at_limit, body = wire("POST", url, data=encode(_refresh_body(JSON_BODY_LIMIT)),
                          headers=headers)
    assert_envelope(at_limit, body, 401, "token_invalid")  # read whole, then refused
    over, body = wire("POST", url, data=encode(_refresh_body(JSON_BODY_LIMIT + 1)),
                      headers=headers)
    assert_envelope(over, body, 413, "too_large")


@pytest.mark.parametrize("coding", ["zstd", "gzip"])
def test_a_small_bomb_is_refused_without_inflating_it(city_server, coding) -> None:
    if coding == "zstd":  # 1 GB of zeros in ~30 KB, no size declared
        bomb = zstandard.ZstdCompressor(write_content_size=False).compress(b"\0" * 2**27) * 8
    else:  # 64 MB of zeros in ~64 KB
        bomb = gz(b"\0" * 2**26)
    assert len(bomb) < JSON_BODY_LIMIT
    answer, body = wire("POST", f"{city_server.url}/v1/auth/login", data=bomb,
                        headers={**VERSION, "Content-Type": "application/json",
                                 "Content-Encoding": coding})
    assert_envelope(answer, body, 413, "too_large")


def _wide_window() -> bytes:
    """A valid zstd stream whose frame asks for a 128 MiB window."""
    params = zstandard.ZstdCompressionParameters.from_level(3, window_log=27,
                                                            write_content_size=0)
    packer = zstandard.ZstdCompressor(compression_params=params).compressobj()
    return packer.compress(login_body()) + packer.flush()


@pytest.mark.parametrize(("coding", "data"), [
    ("zstd", zstd(login_body())[:-3]),  # cut short
    ("zstd", b"not zstd at all"),
    ("zstd", gz(login_body())),  # the wrong coding
    ("zstd", zstd(login_body()) + b"trailing"),
    ("zstd", _wide_window()),
    ("gzip", gz(login_body())[:-3]),
    ("gzip", zstd(login_body())),
    ("gzip", gz(login_body()) + b"trailing"),
    ("gzip", b"\x1f\x8b" + os.urandom(200)),
])
def test_a_bad_stream_is_refused_with_400(city_server, coding, data) -> None:
    answer, body = wire("POST", f"{city_server.url}/v1/auth/login", data=data,
                        headers={**VERSION, "Content-Type": "application/json",
                                 "Content-Encoding": coding})
    assert_envelope(answer, body, 400, "bad_encoding")


@pytest.mark.parametrize("coding", ["br", "deflate", "compress", "gzip, zstd", "zstd, zstd"])
def test_other_or_stacked_codings_are_refused_with_415(city_server, coding) -> None:
    answer, body = wire("POST", f"{city_server.url}/v1/auth/login", data=login_body(),
                        headers={**VERSION, "Content-Type": "application/json",
                                 "Content-Encoding": coding})
    assert_envelope(answer, body, 415, "unsupported_encoding")


def test_frames_and_blob_bytes_may_not_be_content_encoded(city_server, hoa) -> None:
    mark = requests.get(f"{city_server.url}/v1/push/mark", headers=hoa, timeout=30).json()
    frames = encode_frame(FrameKind.OPS, {"ops": [Device().op(
        str(uuid.uuid4()), {"nonsense": 1})]}) + encode_frame(FrameKind.END, {"more": False})
    for coding in ("zstd", "gzip"):
        answer, body = wire("POST", f"{city_server.url}/v1/push", data=ENCODERS[coding](frames),
                            headers={**hoa, "Content-Type": FRAMES_MEDIA_TYPE,
                                     "Content-Encoding": coding})
        assert_envelope(answer, body, 415, "unsupported_encoding")
    assert requests.get(f"{city_server.url}/v1/push/mark", headers=hoa,
                        timeout=30).json() == mark  # nothing applied
    data = os.urandom(2000)
    sha = hashlib.sha256(data).hexdigest()
    push(city_server, hoa, [Device().op(str(uuid.uuid4()), {
        "dossier_id": str(uuid.uuid4()), "sha256": sha, "file_name": "scan.pdf",
        "media_type": "application/pdf", "size": len(data)}, kind="attachment", create=True)])
    answer, body = wire("PATCH", f"{city_server.url}/v1/blobs/{sha}", data=gz(data), headers={
        **hoa, "Content-Encoding": "gzip", "Upload-Offset": "0", "Upload-Length": "2000"})
    assert_envelope(answer, body, 415, "unsupported_encoding")
    assert requests.head(f"{city_server.url}/v1/blobs/{sha}", headers=hoa,
                         timeout=30).status_code == 404  # no upload was started


# ----------------------------------------------------------------------------- answers


@pytest.mark.parametrize(("accept", "coding"), [
    ("zstd", "zstd"), ("gzip", "gzip"), ("gzip, zstd", "zstd"), ("zstd, gzip", "zstd"),
    ("gzip;q=1, zstd;q=0.5", "gzip"), ("zstd;q=0, gzip", "gzip"), ("*", "zstd"),
    ("gzip;q=0.2, *;q=0.1", "gzip"), ("x-gzip", "gzip"), ("br, deflate", None),
    ("identity", None), ("zstd;q=0, gzip;q=0", None), ("", None), (None, None),
    ("zstd;q=nonsense, gzip", "gzip"),
])
def test_json_answers_come_in_the_coding_the_client_prefers(city_server, hoa, accept,
                                                            coding) -> None:
    url = f"{city_server.url}/v1/reference"
    plain = requests.get(url, timeout=30, headers={**hoa, "Accept-Encoding": "identity"})
    headers = {**hoa, "Accept-Encoding": accept} if accept is not None else dict(hoa)
    if accept is None:
        headers["Accept-Encoding"] = None  # requests then sends no such header
    answer, body = wire("GET", url, headers=headers)
    assert answer.status_code == 200
    assert answer.headers.get("Content-Encoding") == coding
    assert "Accept-Encoding" in answer.headers["Vary"]
    assert int(answer.headers["Content-Length"]) == len(body)
    assert json.loads(decode(body, coding)) == plain.json()
    if coding is not None:
        assert len(body) < len(plain.content) // 3  # the catalogue compresses well
    # The tag names the data's version, whatever the coding; a 304 repeats it, uncompressed.
    assert answer.headers["ETag"] == plain.headers["ETag"]
    again = requests.get(url, timeout=30, headers={**hoa, "If-None-Match": answer.headers["ETag"],
                                                   "Accept-Encoding": accept or "identity"})
    assert again.status_code == 304 and not again.content
    assert again.headers["ETag"] == answer.headers["ETag"]
    assert again.headers.get("Content-Encoding") is None


def test_a_small_answer_stays_as_it_is(city_server, hoa) -> None:
    answer, body = wire("GET", f"{city_server.url}/v1/push/mark",
                        headers={**hoa, "Accept-Encoding": "zstd, gzip"})
    assert answer.status_code == 200 and answer.headers.get("Content-Encoding") is None
    assert "applied_through" in json.loads(body) and "Accept-Encoding" in answer.headers["Vary"]


def test_frames_blob_bytes_and_bodiless_answers_are_never_encoded(city_server, hoa) -> None:
    anything = {**hoa, "Accept-Encoding": "zstd, gzip, *"}
    pulled, body = wire("GET", f"{city_server.url}/v1/pull", params={"cursor": "e1:0"},
                        headers=anything)
    assert pulled.status_code == 200 and pulled.headers.get("Content-Encoding") is None
    assert "Vary" not in pulled.headers
    assert any(kind == FrameKind.END for kind, _ in iter_frames([body]))
    data = b"A" * 20_000  # very compressible, and still sent as it is
    sha = hashlib.sha256(data).hexdigest()
    push(city_server, hoa, [Device().op(str(uuid.uuid4()), {
        "dossier_id": str(uuid.uuid4()), "sha256": sha, "file_name": "scan.txt",
        "media_type": "text/plain", "size": len(data)}, kind="attachment", create=True)])
    assert requests.patch(f"{city_server.url}/v1/blobs/{sha}", data=data, timeout=30, headers={
        **hoa, "Upload-Offset": "0", "Upload-Length": str(len(data))}).status_code == 201
    got, body = wire("GET", f"{city_server.url}/v1/blobs/{sha}", headers=anything)
    assert got.headers.get("Content-Encoding") is None and body == data
    head = requests.head(f"{city_server.url}/v1/blobs/{sha}", headers=anything, timeout=30)
    assert head.status_code == 200 and head.headers.get("Content-Encoding") is None
    logout = requests.post(f"{city_server.url}/v1/auth/logout", timeout=30,
                           headers={**anything, **_fresh_device(city_server)})
    assert logout.status_code == 204 and logout.headers.get("Content-Encoding") is None


def _fresh_device(server) -> dict:
    answer = requests.post(f"{server.url}/v1/auth/login", data=login_body(), timeout=30,
                           headers={**VERSION, "Content-Type": "application/json"})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_both_directions_at_once(city_server) -> None:
    """A compressed request, answered compressed: what the sync client does on a slow link."""
    answer, body = wire("POST", f"{city_server.url}/v1/auth/login", data=zstd(login_body()),
                        headers={**VERSION, "Content-Type": "application/json",
                                 "Content-Encoding": "zstd", "Accept-Encoding": "zstd"})
    assert answer.status_code == 200
    assert answer.headers.get("Content-Encoding") in ("zstd", None)  # zstd when it is smaller
    tokens = json.loads(decode(body, answer.headers.get("Content-Encoding")))
    reference, body = wire("GET", f"{city_server.url}/v1/reference", headers={
        **VERSION, "Authorization": f"Bearer {tokens['access_token']}",
        "Accept-Encoding": "zstd"})
    assert reference.headers["Content-Encoding"] == "zstd"
    assert json.loads(decode(body, "zstd"))["catalogue"]["version"]

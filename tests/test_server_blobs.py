"""Attachment bytes against a real city server on loopback (docs/sync-protocol.md §6):
resumable uploads, verification, ranged downloads, per-commune isolation, limits."""

from __future__ import annotations

import hashlib
import os
import socket
import time
import uuid

import pytest
import requests

from tests.test_server_sync import Device, push

KIB = 1024


def attach(server, headers: dict, data: bytes, sha: str | None = None) -> str:
    """Push an attachment record naming these bytes; their SHA-256."""
    sha = sha or hashlib.sha256(data).hexdigest()
    fields = {"dossier_id": str(uuid.uuid4()), "sha256": sha, "file_name": "scan.pdf",
              "media_type": "application/pdf", "size": len(data)}
    [answer] = push(server, headers, [Device().op(str(uuid.uuid4()), fields, kind="attachment",
                                                  create=True)])
    assert answer["status"] == "applied", answer
    return sha


def url(server, sha: str) -> str:
    return f"{server.url}/v1/blobs/{sha}"


def head(server, headers: dict, sha: str) -> requests.Response:
    return requests.head(url(server, sha), headers=headers, timeout=30)


def patch(server, headers: dict, sha: str, offset: int, body: bytes,
          length: int | None = None) -> requests.Response:
    extra = {"Upload-Offset": str(offset)}
    if length is not None:
        extra["Upload-Length"] = str(length)
    return requests.patch(url(server, sha), data=body, headers={**headers, **extra}, timeout=60)


def upload(server, headers: dict, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    answer = patch(server, headers, sha, 0, data, len(data))
    assert answer.status_code == 201, answer.text
    return sha


def test_a_blob_uploads_in_three_requests_and_downloads_whole_and_by_range(city_server,
                                                                           hoa) -> None:
    data = os.urandom(300 * KIB)
    sha = attach(city_server, hoa, data)
    assert head(city_server, hoa, sha).status_code == 404  # named, but nothing sent yet
    first = patch(city_server, hoa, sha, 0, data[:100 * KIB], len(data))
    assert first.status_code == 204 and first.headers["Upload-Offset"] == str(100 * KIB)
    probe = head(city_server, hoa, sha)
    assert probe.status_code == 200
    assert (probe.headers["Upload-Offset"], probe.headers["Upload-Length"]) == (
        str(100 * KIB), str(len(data)))
    second = patch(city_server, hoa, sha, 100 * KIB, data[100 * KIB:200 * KIB])
    assert second.status_code == 204 and second.headers["Upload-Offset"] == str(200 * KIB)
    assert head(city_server, hoa, sha).headers["Upload-Offset"] == str(200 * KIB)
    last = patch(city_server, hoa, sha, 200 * KIB, data[200 * KIB:], len(data))
    assert last.status_code == 201, last.text
    done = head(city_server, hoa, sha)
    assert done.headers["Upload-Offset"] == done.headers["Upload-Length"] == str(len(data))
    # The last answer was lost: the same request again is answered the same way.
    assert patch(city_server, hoa, sha, len(data), b"", len(data)).status_code == 201

    whole = requests.get(url(city_server, sha), headers=hoa, timeout=30)
    assert whole.status_code == 200 and whole.content == data
    part = requests.get(url(city_server, sha), headers={**hoa, "Range": "bytes=1000-"},
                        timeout=30)
    assert part.status_code == 206 and part.content == data[1000:]
    assert part.headers["Content-Range"] == f"bytes 1000-{len(data) - 1}/{len(data)}"
    past = requests.get(url(city_server, sha), headers={**hoa, "Range": f"bytes={len(data)}-"},
                        timeout=30)
    assert past.status_code == 416


def test_a_streamed_body_shorter_than_declared_leaves_a_resumable_offset(city_server,
                                                                         hoa) -> None:
    data = os.urandom(200 * KIB)
    sha = attach(city_server, hoa, data)

    def stops_early():
        yield data[:64 * KIB]
        yield data[64 * KIB:90 * KIB]  # and then the sender stops

    answer = requests.patch(url(city_server, sha), data=stops_early(), timeout=60, headers={
        **hoa, "Upload-Offset": "0", "Upload-Length": str(len(data))})
    assert answer.status_code == 204 and answer.headers["Upload-Offset"] == str(90 * KIB)
    offset = int(head(city_server, hoa, sha).headers["Upload-Offset"])
    assert offset == 90 * KIB
    assert patch(city_server, hoa, sha, offset, data[offset:]).status_code == 201
    assert requests.get(url(city_server, sha), headers=hoa, timeout=30).content == data


def test_a_cut_connection_keeps_the_durable_offset_and_the_upload_resumes(city_server,
                                                                          hoa) -> None:
    data = os.urandom(256 * KIB)
    sha = attach(city_server, hoa, data)
    sent = 150 * KIB
    request_head = (f"PATCH /v1/blobs/{sha} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Content-Length: {len(data)}\r\nUpload-Offset: 0\r\n"
                    f"Upload-Length: {len(data)}\r\nAuthorization: {hoa['Authorization']}\r\n"
                    "X-CommuneDesk-Version: 0.1.0\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", city_server.port), timeout=10) as link:
        link.sendall(request_head + data[:sent])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the server makes progress durable as it goes
            probe = head(city_server, hoa, sha)
            if probe.status_code == 200 and int(probe.headers["Upload-Offset"]) >= 64 * KIB:
                break
            time.sleep(0.05)
        # Then the link drops mid-body.
    deadline, offset = time.monotonic() + 10, -1
    while time.monotonic() < deadline:  # settles once the server notices the cut
        time.sleep(0.2)
        probe = head(city_server, hoa, sha)
        # Once (CI, 29 November) a HEAD here answered without the header; say what it was.
        assert "Upload-Offset" in probe.headers, (probe.status_code, dict(probe.headers))
        now = int(probe.headers["Upload-Offset"])
        if now == offset:
            break
        offset = now
    assert 64 * KIB <= offset <= sent
    # Resuming from elsewhere is refused with the server's offset.
    wrong = patch(city_server, hoa, sha, 0, data[:10], len(data))
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "offset_mismatch"
    assert wrong.headers["Upload-Offset"] == str(offset)
    assert patch(city_server, hoa, sha, offset, data[offset:], len(data)).status_code == 201
    assert requests.get(url(city_server, sha), headers=hoa, timeout=30).content == data


def test_bytes_that_do_not_match_their_hash_are_discarded(city_server, hoa) -> None:
    data = os.urandom(100 * KIB)
    sha = attach(city_server, hoa, data)
    forged = patch(city_server, hoa, sha, 0, os.urandom(len(data)), len(data))
    assert forged.status_code == 422 and forged.json()["error"]["code"] == "hash_mismatch"
    assert head(city_server, hoa, sha).status_code == 404
    assert requests.get(url(city_server, sha), headers=hoa, timeout=30).status_code == 404
    assert patch(city_server, hoa, sha, 0, data, len(data)).status_code == 201  # again: fine


def test_only_a_hash_an_attachment_record_names_can_be_uploaded(city_server, hoa) -> None:
    data = os.urandom(1000)
    sha = hashlib.sha256(data).hexdigest()
    answer = patch(city_server, hoa, sha, 0, data, len(data))
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    assert head(city_server, hoa, sha).status_code == 404


def test_another_commune_cannot_see_or_touch_a_blob_and_keeps_its_own_copy(city_server, hoa,
                                                                           lan) -> None:
    data = os.urandom(70 * KIB)
    sha = attach(city_server, hoa, data)
    upload(city_server, hoa, data)
    half = os.urandom(80 * KIB)
    pending = attach(city_server, hoa, half)
    assert patch(city_server, hoa, pending, 0, half[:1000], len(half)).status_code == 204
    for name in (sha, pending):  # neither a complete blob nor an upload in progress shows
        assert head(city_server, lan, name).status_code == 404
        got = requests.get(url(city_server, name), headers=lan, timeout=30)
        assert got.status_code == 404 and got.json()["error"]["code"] == "not_found"
        refused = patch(city_server, lan, name, 0, data, len(data))
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    # Once Kim Liên has its own attachment record, it uploads (and stores) its own copy.
    attach(city_server, lan, data)
    assert head(city_server, lan, sha).status_code == 404  # no dedup across communes
    assert upload(city_server, lan, data) == sha
    assert requests.get(url(city_server, sha), headers=lan, timeout=30).content == data
    blobs = city_server.data_dir / "blobs"
    assert (blobs / "09661" / sha[:2] / sha).read_bytes() == data
    assert (blobs / "00226" / sha[:2] / sha).read_bytes() == data


@pytest.mark.parametrize("name", ["..%2F..%2Fetc%2Fpasswd", "../x", "..", "ABCDEF" * 10 + "abcd",
                                  "a" * 63, "a" * 65, "g" * 64, "%2e%2e", "a" * 64 + "%00"])
def test_names_that_are_not_a_sha256_are_not_found(city_server, hoa, name) -> None:
    for method in ("HEAD", "GET", "PATCH"):
        answer = requests.request(method, f"{city_server.url}/v1/blobs/{name}", timeout=30,
                                  headers={**hoa, "Upload-Offset": "0", "Upload-Length": "1"},
                                  data=b"x" if method == "PATCH" else None)
        assert answer.status_code == 404, (method, name, answer.status_code)


def test_limits_and_offsets_are_enforced(city_server, hoa) -> None:
    data = os.urandom(10 * KIB)
    sha = attach(city_server, hoa, data)
    big = patch(city_server, hoa, sha, 0, b"", 52_428_801)
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    assert head(city_server, hoa, sha).status_code == 404  # nothing was started
    no_length = patch(city_server, hoa, sha, 0, data[:10])
    assert no_length.status_code == 400
    beyond = patch(city_server, hoa, sha, 0, data + b"extra", len(data))
    assert beyond.status_code == 413
    assert patch(city_server, hoa, sha, 0, data[:1000], len(data)).status_code == 204
    ahead = patch(city_server, hoa, sha, 5000, data[5000:])
    assert ahead.status_code == 409 and ahead.headers["Upload-Offset"] == "1000"
    other = patch(city_server, hoa, sha, 1000, data[1000:], len(data) + 1)
    assert other.status_code == 409
    assert patch(city_server, hoa, sha, 1000, data[1000:]).status_code == 201


def test_an_empty_blob_completes_at_once(city_server, hoa) -> None:
    sha = attach(city_server, hoa, b"")
    assert upload(city_server, hoa, b"") == sha
    got = requests.get(url(city_server, sha), headers=hoa, timeout=30)
    assert got.status_code == 200 and got.content == b""


def test_blobs_need_a_signed_in_caller(city_server) -> None:
    answer = requests.head(url(city_server, "a" * 64), timeout=30,
                           headers={"X-CommuneDesk-Version": "0.1.0"})
    assert answer.status_code == 401


def test_an_app_without_a_data_folder_refuses_blobs() -> None:
    from types import SimpleNamespace

    from server.app import create_app
    from server.auth import Identity
    from server.blob_routes import _blob

    assert create_app(engine=None).state.data_dir is None  # type: ignore[arg-type]
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(data_dir=None)))
    caller = Identity(1, "hoa", "officer", "09661", str(uuid.uuid4()))
    answer = _blob(request, caller, "a" * 64)  # type: ignore[arg-type]
    assert answer.status_code == 503 and b"blobs_unavailable" in answer.body

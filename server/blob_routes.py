"""Resumable attachment bytes over HTTP (docs/sync-protocol.md §6).

``HEAD`` tells how far an upload got (the durable offset), ``PATCH`` appends from there and,
once the declared length is reached, verifies the SHA-256 and moves the blob into place,
``GET`` streams a complete blob (``Range: bytes=n-`` to resume). Everything is per commune
(invariant 6): a blob another commune holds is "not found" here, exactly like one nobody holds.
Only a SHA-256 that an attachment record of the caller's commune names may be uploaded, and
one that only attachments of the commune's secret documents name is neither uploaded nor
downloaded (404 ``secret_metadata_only``: a client that asks anyway leaves it, as for a blob the
server lacks; docs/decisions/0009).
Refusals are the usual envelope, except to ``HEAD``, which has no body: status and headers only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.requests import ClientDisconnect

from server import auth, blob_store
from server.app_support import Caller, check_caller, envelope

router = APIRouter(prefix="/v1")
DURABLE_EVERY = 64 * 1024
RANGE = re.compile(r"bytes=(\d+)-(\d*)")
NOT_FOUND = "no such blob here"
SECRET_ONLY = ("only attachments of secret documents name this blob: a secret document keeps "
               "metadata only, its files are neither uploaded nor downloaded")


def _offsets(offset: int, length: int) -> dict[str, str]:
    return {"Upload-Offset": str(offset), "Upload-Length": str(length)}


def _blob(request: Request, caller: Caller, sha: str) -> blob_store.BlobPaths | JSONResponse:
    """The caller's commune's paths for ``sha``, or the refusal to send."""
    data_dir: Path | None = getattr(request.app.state, "data_dir", None)
    if data_dir is None:
        return envelope(503, "blobs_unavailable", "this server has no data folder for blobs")
    if caller.commune_code is None:
        return envelope(403, "role_forbidden", "blobs belong to a commune")
    try:
        return blob_store.paths(Path(data_dir), caller.commune_code, sha)
    except ValueError:
        return envelope(404, "not_found", NOT_FOUND)


def _header_int(request: Request, name: str) -> int | None | JSONResponse:
    text = request.headers.get(name)
    if text is None:
        return None
    if not text.isdigit() or len(text) > 18:
        return envelope(400, "invalid_request", f"{name} must be a whole number of bytes")
    return int(text)


def _bare(refusal: JSONResponse) -> Response:
    """A refusal to a HEAD request: its status and headers, no JSON (a HEAD has no body)."""
    headers = {k: v for k, v in refusal.headers.items()
               if k.lower() not in ("content-type", "content-length")}
    return Response(status_code=refusal.status_code, headers=headers)


@router.head("/blobs/{sha256}", response_model=None)
async def head_blob(request: Request, sha256: str,
                    authorization: Annotated[str | None, Header()] = None) -> Response:
    try:
        caller = check_caller(request, authorization).identity
    except auth.AuthError as error:
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else {}
        if error.retry_after:
            headers["Retry-After"] = str(error.retry_after)
        return Response(status_code=error.status, headers=headers)
    return await run_in_threadpool(_upload_state, request, caller, sha256)


def _upload_state(request: Request, caller: auth.Identity, sha256: str) -> Response:
    """HEAD's answer: how much of the blob the server holds (files read: a worker thread)."""
    blob = _blob(request, caller, sha256)
    if isinstance(blob, JSONResponse):
        return _bare(blob)
    size = blob_store.complete_size(blob)
    if size is not None:
        return Response(status_code=200, headers=_offsets(size, size))
    state = blob_store.settled_state(blob)
    if state is None:
        return Response(status_code=404)
    return Response(status_code=200, headers=_offsets(state.offset, state.length))


@router.get("/blobs/{sha256}", response_model=None)
def get_blob(request: Request, caller: Caller, sha256: str) -> Response:
    blob = _blob(request, caller, sha256)
    if isinstance(blob, JSONResponse):
        return blob
    size = blob_store.complete_size(blob)
    if size is None:
        return envelope(404, "not_found", NOT_FOUND)
    if blob_store.attachment_names(request.app.state.engine, caller.commune_code,
                                   sha256) == blob_store.SECRET_ONLY:
        return envelope(404, "secret_metadata_only", SECRET_ONLY)
    headers = {"Accept-Ranges": "bytes", "ETag": f'"{sha256}"'}
    wanted = request.headers.get("range")
    if wanted is None:
        return StreamingResponse(blob_store.read_range(blob.complete, 0, size), status_code=200,
                                 media_type="application/octet-stream",
                                 headers={**headers, "Content-Length": str(size)})
    match = RANGE.fullmatch(wanted.strip())
    if match is None:
        return envelope(416, "bad_range", "only Range: bytes=n- or bytes=n-m",
                        {"Content-Range": f"bytes */{size}"})
    start = int(match.group(1))
    end = min(int(match.group(2)) + 1, size) if match.group(2) else size
    if start >= size or end <= start:
        return envelope(416, "bad_range", "the range starts past the end of the blob",
                        {"Content-Range": f"bytes */{size}"})
    return StreamingResponse(blob_store.read_range(blob.complete, start, end), status_code=206,
                             media_type="application/octet-stream",
                             headers={**headers, "Content-Length": str(end - start),
                                      "Content-Range": f"bytes {start}-{end - 1}/{size}"})


@router.patch("/blobs/{sha256}", response_model=None)
async def patch_blob(request: Request, caller: Caller, sha256: str) -> Response:
    engine = request.app.state.engine
    blob = _blob(request, caller, sha256)
    if isinstance(blob, JSONResponse):
        return blob
    named = await run_in_threadpool(blob_store.attachment_names, engine, caller.commune_code,
                                    sha256)
    if named is None:
        return envelope(404, "not_found", NOT_FOUND)
    if named == blob_store.SECRET_ONLY:
        return envelope(404, "secret_metadata_only", SECRET_ONLY)
    offset = _header_int(request, "Upload-Offset")
    length = _header_int(request, "Upload-Length")
    body_length = _header_int(request, "Content-Length")
    for value in (offset, length, body_length):
        if isinstance(value, JSONResponse):
            return value
    if offset is None:
        return envelope(400, "invalid_request", "send Upload-Offset")
    limit = await run_in_threadpool(blob_store.max_bytes, engine)
    if length is not None and length > limit:
        return envelope(413, "too_large", f"a blob may hold at most {limit} bytes")
    size = blob_store.complete_size(blob)
    if size is not None:  # already here: a repeated last request gets its answer again
        if offset == size and not body_length:
            return Response(status_code=201, headers=_offsets(size, size))
        return envelope(409, "offset_mismatch", "the blob is complete", _offsets(size, size))
    try:
        with blob_store.upload_lock(blob):
            return await _append(request, blob, offset, length, body_length)
    except blob_store.Busy:
        return envelope(409, "conflict", "another request is uploading this blob right now")


async def _append(request: Request, blob: blob_store.BlobPaths, offset: int,
                  length: int | None, body_length: int | None) -> Response:
    state = await run_in_threadpool(blob_store.read_state, blob)
    if state is None:
        if length is None:
            return envelope(400, "invalid_request", "the first request sends Upload-Length")
        state = await run_in_threadpool(blob_store.start_upload, blob, length)
    elif length is not None and length != state.length:
        return envelope(409, "length_mismatch", "Upload-Length differs from the first request",
                        _offsets(state.offset, state.length))
    if offset != state.offset:
        return envelope(409, "offset_mismatch", "resume from the server's Upload-Offset",
                        _offsets(state.offset, state.length))
    if body_length is not None and offset + body_length > state.length:
        return envelope(413, "too_large", "the body goes past Upload-Length",
                        _offsets(state.offset, state.length))
    out = await run_in_threadpool(blob_store.open_part, blob, state.offset)
    position, unsynced = state.offset, 0
    try:
        try:
            async for chunk in request.stream():
                if position + len(chunk) > state.length:
                    state.offset = position
                    await run_in_threadpool(blob_store.make_durable, out, blob, state)
                    return envelope(413, "too_large", "the body goes past Upload-Length",
                                    _offsets(state.offset, state.length))
                out.write(chunk)
                position += len(chunk)
                unsynced += len(chunk)
                if unsynced >= DURABLE_EVERY:
                    state.offset, unsynced = position, 0
                    await run_in_threadpool(blob_store.make_durable, out, blob, state)
        except ClientDisconnect:
            state.offset = position  # keep what arrived: the client resumes from here
            await run_in_threadpool(blob_store.make_durable, out, blob, state)
            return Response(status_code=499)  # nobody is listening
        state.offset = position
        await run_in_threadpool(blob_store.make_durable, out, blob, state)
    finally:
        out.close()
    if state.offset < state.length:
        return Response(status_code=204, headers=_offsets(state.offset, state.length))
    if await run_in_threadpool(blob_store.finish, blob):
        return Response(status_code=201, headers=_offsets(state.length, state.length))
    return envelope(422, "hash_mismatch", "the bytes do not have this SHA-256; upload again")

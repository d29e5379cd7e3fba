"""Push, pull and their resumption points over HTTP (docs/sync-protocol.md §4–5).

Push bodies are read frame by frame as they arrive and each frame is applied in its own
transaction, so a connection cut mid-body keeps every complete frame; the device and its user
are checked again before each frame, so a revocation stops a push in the middle. Pull answers
stream pages with their cursors. The caller's commune always comes from its token.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from starlette.requests import ClientDisconnect

from server import auth, busy, sync_store
from server.app_support import Caller, check_caller, envelope
from sync.protocol import (
    FRAMES_MEDIA_TYPE,
    MAX_INT,
    MAX_OPS_PER_FRAME,
    FrameKind,
    FrameReader,
    ProtocolError,
    encode_frame,
    format_cursor,
    pack_frames,
    parse_cursor,
    wire_operation,
)

router = APIRouter(prefix="/v1")
MAX_PUSH_BYTES = 8 * 1024 * 1024
MAX_GROUP_OPS = 600
"""At most this many operations of frames that arrived together are applied in one
transaction (docs/sync-protocol.md §5.2): a commune's lock is held for well under a second."""
PULL_PAGE_ROWS = 200
PULL_RESPONSE_BYTES = 1024 * 1024
_PULL_CALLER = auth.caller_statement(*sync_store.head_columns())
"""A pull's first step: the token check with the epoch and the commune's newest revision."""


def _commune(caller: Any) -> str:
    return caller.commune_code


def _push_lock(request: Request, device_id: str) -> Path | None:
    """The lock a device's push holds while it applies frames (None: no data folder)."""
    data_dir = getattr(request.app.state, "data_dir", None)
    return None if data_dir is None else Path(data_dir) / "pushes" / f"{device_id}.lock"


@router.post("/push", response_class=Response)
async def push(request: Request, caller: Caller) -> Response:
    lock = _push_lock(request, caller.device_id)
    if lock is None:
        return await _push(request, caller)
    with busy.writing(lock):
        return await _push(request, caller)


async def _drain(request: Request, chunks: asyncio.Queue[bytes | None]) -> bool:
    """Read the body as fast as it arrives into ``chunks`` (None ends it); True if the client
    went away. Applying frames is slower than a fast link: a body left in the server's
    buffers when the connection ends is dropped with it, so it is taken in at once."""
    try:
        async for chunk in request.stream():
            await chunks.put(chunk)
        return False
    except ClientDisconnect:
        return True
    finally:
        await chunks.put(None)


def _frame_ops(kind: FrameKind, payload: Any) -> list[dict[str, Any]]:
    """One ops frame's operations, each checked against §5.1 (ProtocolError otherwise)."""
    if kind != FrameKind.OPS:
        raise ProtocolError("bad_frame", f"a push holds ops frames, not {kind.name}")
    wire_ops = payload.get("ops")
    if not isinstance(wire_ops, list):
        raise ProtocolError("bad_frame", "an ops frame holds a list of operations")
    if len(wire_ops) > MAX_OPS_PER_FRAME:
        raise ProtocolError("frame_too_large", f"a frame holds at most "
                            f"{MAX_OPS_PER_FRAME} operations")
    return [wire_operation(op) for op in wire_ops]


async def _arrived_ops(chunks: asyncio.Queue[bytes | None],
                       reader: FrameReader) -> AsyncIterator[list[dict[str, Any]]]:
    """The operations of the push body's complete frames, grouped by arrival: each group holds
    every frame in the chunks that had arrived when the previous group was applied (whole
    frames, in order, at most MAX_GROUP_OPS operations unless one frame holds more). On a slow
    link a group is one frame; a body that arrived at once is applied in a few transactions
    rather than one a frame (a transaction's fixed cost is about that of 20 operations).
    A bad frame or too large a body raises ProtocolError after the groups before it."""
    received = 0
    while True:
        waiting = [await chunks.get()]
        while waiting[-1] is not None and not chunks.empty():
            waiting.append(chunks.get_nowait())
        group: list[dict[str, Any]] = []
        failure: ProtocolError | None = None
        ended = False
        try:
            for chunk in waiting:
                if chunk is None:
                    ended = True
                    break
                received += len(chunk)
                if received > MAX_PUSH_BYTES:
                    raise ProtocolError("too_large", "start a new push after 8 MB of frames")
                for kind, payload in reader.feed(chunk):
                    if kind == FrameKind.END:
                        ended = True
                        break
                    ops = _frame_ops(kind, payload)
                    if group and len(group) + len(ops) > MAX_GROUP_OPS:
                        yield group
                        group = []
                    group += ops
                if ended:
                    break
        except ProtocolError as error:
            failure = error
        if group:
            yield group
        if failure is not None:
            raise failure
        if ended:
            return


def _apply_group(engine: Any, caller: auth.Identity, ops: list[dict[str, Any]]
                 ) -> tuple[list[dict[str, Any]], int | None]:
    """One group's answers and the device's push mark after it. A device revoked (or a user
    disabled) while its push streams in gets no further group applied; the groups before stay
    (docs/sync-protocol.md §3)."""
    auth.check_still_allowed(engine, caller)
    return sync_store.apply_ops(engine, _commune(caller), caller.device_id, ops)


async def _push(request: Request, caller: Caller) -> Response:
    engine = request.app.state.engine
    answers: list[dict[str, Any]] = []
    mark: int | None = None
    chunks: asyncio.Queue[bytes | None] = asyncio.Queue()
    draining = asyncio.create_task(_drain(request, chunks))
    try:
        async for ops in _arrived_ops(chunks, FrameReader()):
            group_answers, mark = await run_in_threadpool(_apply_group, engine, caller, ops)
            answers += group_answers
    except ProtocolError as error:
        status = 413 if error.code in ("too_large", "frame_too_large") else 400
        return envelope(status, error.code, error.message)
    finally:
        draining.cancel()
    if await draining:
        return Response(status_code=499)  # nobody is listening; the frames applied stay
    if mark is None:  # no group applied (an empty push), or the device's row is gone
        mark = await run_in_threadpool(sync_store.push_mark, engine, caller.device_id)
    body = b"".join(pack_frames(answers, key="results", kind=FrameKind.RESULTS))
    body += encode_frame(FrameKind.END, {"more": False, "applied_through": mark})
    return Response(body, media_type=FRAMES_MEDIA_TYPE)


@router.get("/push/mark")
def push_mark(request: Request, caller: Caller) -> dict[str, int]:
    lock = _push_lock(request, caller.device_id)
    if lock is not None:  # a cut push may still be applying what crossed before the cut
        busy.wait_idle(lock)
    return {"applied_through": sync_store.push_mark(request.app.state.engine, caller.device_id)}


@router.get("/push/results", response_class=Response)
def push_results(request: Request, caller: Caller, after: int = Query(ge=0, le=MAX_INT),
                 through: int = Query(ge=0, le=MAX_INT)) -> Response:
    answers = sync_store.stored_answers(request.app.state.engine, _commune(caller),
                                        caller.device_id, after, through)
    body = b"".join(pack_frames(answers, key="results", kind=FrameKind.RESULTS))
    return Response(body + encode_frame(FrameKind.END, {"more": False}),
                    media_type=FRAMES_MEDIA_TYPE)


_PULL_PARAMETERS = [
    {"name": "cursor", "in": "query", "required": True,
     "schema": {"type": "string", "maxLength": 64}},
    {"name": "omit_own", "in": "query", "required": False,
     "schema": {"type": "boolean", "default": False}},
    {"name": "authorization", "in": "header", "required": False, "schema": {"type": "string"}},
]
_BOOLEANS = {word: True for word in ("true", "t", "yes", "y", "on", "1")} | {
    word: False for word in ("false", "f", "no", "n", "off", "0")}  # pydantic's words


@router.get("/pull", response_model=None, openapi_extra={"parameters": _PULL_PARAMETERS})
async def pull(request: Request) -> Response:
    """The first step (the token check, the epoch and the commune's newest revision: one
    query) reads on the event loop (``server/loop_reads.py``): most pulls end after it. Pages
    are read from a worker thread as the answer streams.

    The parameters are read here, as FastAPI would (same rules, same 400 envelope), and
    described to OpenAPI by ``_PULL_PARAMETERS``: FastAPI's own parameter handling cost this,
    the most frequent request, about a fifth of its time (docs/benchmarks.md)."""
    engine = request.app.state.engine
    query = request.query_params
    cursor = query.get("cursor")
    omit_own = _BOOLEANS.get(query.get("omit_own", "false").lower())
    if cursor is None or len(cursor) > 64 or omit_own is None:
        return envelope(400, "invalid_request",
                        "cursor: required, at most 64 characters; omit_own: true or false")
    try:
        epoch, after = parse_cursor(cursor)
    except ProtocolError as error:
        return envelope(400, error.code, error.message)
    checked = check_caller(request, request.headers.get("authorization"), _PULL_CALLER)
    caller = checked.identity
    current, newest = sync_store.head_of(checked.row)
    if epoch != current and after != 0:  # a pull from 0 is a full resync: any epoch
        return envelope(410, "resync_required", "pull again from the start")
    if newest <= after:  # nothing new (most pulls): no stream to set up
        return Response(encode_frame(FrameKind.END, {"more": False,
                                                     "cursor": format_cursor(current, after)}),
                        media_type=FRAMES_MEDIA_TYPE)
    omit = caller.device_id if omit_own else None

    def frames() -> Iterator[bytes]:
        last, sent = after, 0
        while sent < PULL_RESPONSE_BYTES:
            changes, scanned = sync_store.changes_after(engine, _commune(caller), last,
                                                        PULL_PAGE_ROWS, omit)
            if scanned is None:
                yield encode_frame(FrameKind.END, {"more": False,
                                                   "cursor": format_cursor(current, last)})
                return
            for frame in pack_frames(changes, key="changes", kind=FrameKind.PAGE, extra=lambda g:
                                     {"cursor": format_cursor(current, g[-1]["rev"])}):
                sent += len(frame)
                yield frame
            last = scanned
        yield encode_frame(FrameKind.END, {"more": True, "cursor": format_cursor(current, last)})

    return StreamingResponse(frames(), media_type=FRAMES_MEDIA_TYPE)

"""JSON bodies on the wire: their size limit and their content codings (docs/sync-protocol.md
§2, §8), as one pure ASGI middleware.

Requests. A JSON call's body (every route except the streamed ones: push frames and blob bytes)
is read whole before the route runs, bounded by ``JSON_BODY_LIMIT`` (64 KB); a body may arrive
with ``Content-Encoding: zstd`` or ``gzip``, and is then decoded here, the limit applying to the
decoded size. Decoding is bounded: the output is counted while it is produced and never
allowed past the limit (a small zip bomb costs nothing), zstd windows above 8 MiB are refused
(RFC 8878 §3), and a stream that is truncated or corrupt is refused. Refusals are the usual
envelope: 413 ``too_large``, 400 ``bad_encoding``, 415 ``unsupported_encoding`` (an unknown or
stacked coding, or any coding on a streamed body: frames carry their own zstd, blobs travel as
they are). Streamed bodies pass through untouched and unread.

Responses. A JSON answer (``application/json`` or ``+json``) is compressed with the coding the
request's ``Accept-Encoding`` prefers, zstd before gzip at equal weight, when that makes it
smaller; it then carries ``Content-Encoding`` and a recomputed ``Content-Length``. Every JSON
answer carries ``Vary: Accept-Encoding``, so a cache keeps the codings apart. An ETag is left as
the route made it: it names the version of the data (``GET /v1/reference``), and a 304, which
has no body to compress, must repeat it as the 200 would. Frames, blob bytes, HEAD answers and
bodiless statuses are never touched.

Threading: the middleware holds no mutable state; each request gets its own codec objects.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Callable
from typing import Any

import zstandard

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[Message], Any]
ASGIApp = Callable[[Scope, Receive, Send], Any]

JSON_BODY_LIMIT = 64 * 1024
"""Largest JSON request body, after decoding (§8)."""
MAX_ZSTD_WINDOW = 8 * 1024 * 1024
"""Largest zstd window a request may need (RFC 8878 §3.1.1.1.2: the content-coding limit)."""
CODINGS = ("zstd", "gzip")
"""The codings the server reads and writes, in its order of preference."""
_ALIASES = {"x-gzip": "gzip"}
_ZSTD_LEVEL = 3
_GZIP_LEVEL = 6
_NO_BODY_STATUSES = frozenset({204, 304})


class BodyError(Exception):
    """A request body refused before the route runs: status, code and message of the envelope."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def request_coding(header: str | None) -> str | None:
    """The one coding named by a ``Content-Encoding`` header (None: identity). BodyError 415
    for a coding the server does not read, or for several stacked codings."""
    names = [_ALIASES.get(name, name) for part in (header or "").split(",")
             if (name := part.strip().lower()) and name != "identity"]
    if not names:
        return None
    if len(names) > 1 or names[0] not in CODINGS:
        raise BodyError(415, "unsupported_encoding",
                        "a request body may be sent as it is, or with Content-Encoding zstd or "
                        "gzip (one of them)")
    return names[0]


def _too_large(limit: int) -> BodyError:
    return BodyError(413, "too_large", f"a JSON body may hold at most {limit} bytes")


def _bad(coding: str, detail: str) -> BodyError:
    return BodyError(400, "bad_encoding", f"the body is not a valid {coding} stream: {detail}")


def _unzstd(data: bytes, limit: int) -> bytes:
    """The bytes of a zstd stream (one frame or several), refusing output beyond ``limit``."""
    decompressor = zstandard.ZstdDecompressor(max_window_size=MAX_ZSTD_WINDOW)
    try:
        # First measure without keeping anything: a stream reader writes at most what it is
        # asked for, so an enormous output stops at limit + 1.
        produced = 0
        with decompressor.stream_reader(io.BytesIO(data), read_across_frames=True) as reader:
            while chunk := reader.read(min(limit + 1 - produced, 64 * 1024)):
                produced += len(chunk)
                if produced > limit:
                    raise _too_large(limit)
        # Now bounded: decode frame by frame and check that each one is complete.
        out, rest = bytearray(), data
        while rest:
            inflater = decompressor.decompressobj()
            out += inflater.decompress(rest)
            if not inflater.eof:
                raise _bad("zstd", "it ends in the middle of a frame")
            rest = inflater.unused_data
    except zstandard.ZstdError as error:
        raise _bad("zstd", str(error)) from None
    return bytes(out)


def _gunzip(data: bytes, limit: int) -> bytes:
    """The bytes of a gzip stream (one member or several), refusing output beyond ``limit``."""
    out, rest = bytearray(), data
    try:
        while True:
            inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip header required
            out += inflater.decompress(rest, limit + 1 - len(out))
            if len(out) > limit:
                raise _too_large(limit)
            if not inflater.eof:
                raise _bad("gzip", "it ends in the middle of a member")
            rest = inflater.unused_data
            if not rest:
                return bytes(out)
    except zlib.error as error:
        raise _bad("gzip", str(error)) from None


def decode_body(data: bytes, coding: str | None, limit: int = JSON_BODY_LIMIT) -> bytes:
    """``data`` decoded from ``coding`` (None: as it is), at most ``limit`` bytes; BodyError.
    An empty body stays empty whatever its coding says (there is nothing to decode)."""
    if coding is None or not data:
        if len(data) > limit:
            raise _too_large(limit)
        return data
    return _unzstd(data, limit) if coding == "zstd" else _gunzip(data, limit)


def response_coding(accept_encoding: str | None) -> str | None:
    """The coding to answer with for an ``Accept-Encoding`` header (None: identity).

    The acceptable coding (weight above 0, ``*`` standing for any not named) with the highest
    weight wins; at equal weight, zstd before gzip.
    """
    weights: dict[str, float] = {}
    for part in (accept_encoding or "").split(","):
        name, _, params = part.strip().partition(";")
        name = _ALIASES.get(name.strip().lower(), name.strip().lower())
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        if name:
            weights[name] = weight
    best: tuple[float, int] | None = None
    chosen = None
    for rank, coding in enumerate(CODINGS):
        weight = weights.get(coding, weights.get("*", 0.0))
        if weight > 0 and (best is None or (weight, -rank) > best):
            best, chosen = (weight, -rank), coding
    return chosen


def encode_body(data: bytes, coding: str) -> bytes:
    """``data`` compressed with ``coding`` (zstd: one frame that declares its size; gzip
    without a timestamp, so the same answer is the same bytes)."""
    if coding == "zstd":
        return zstandard.ZstdCompressor(level=_ZSTD_LEVEL).compress(data)
    return gzip.compress(data, compresslevel=_GZIP_LEVEL, mtime=0)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                           and media.endswith("+json"))


def _header(scope_or_message: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope_or_message.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class _EncodingSend:
    """Wraps ``send``: compresses a JSON answer for a client that accepts it."""

    def __init__(self, send: Send, coding: str | None, method: str) -> None:
        self.send, self.coding, self.method = send, coding, method
        self.start: Message | None = None
        self.body = bytearray()
        self.buffering = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            content_type = _header(message, b"content-type") or ""
            if (not _is_json(content_type) or self.method == "HEAD"
                    or message["status"] in _NO_BODY_STATUSES or message["status"] < 200
                    or _header(message, b"content-encoding") is not None):
                await self.send(message)
                return
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"vary"]
            vary = [v.decode("latin-1") for k, v in message.get("headers", [])
                    if k.lower() == b"vary"]
            headers.append((b"vary", ", ".join([*vary, "Accept-Encoding"]).encode("latin-1")))
            message = {**message, "headers": headers}
            if self.coding is None:
                await self.send(message)
                return
            self.start, self.buffering = message, True  # JSON answers are small: hold it whole
            return
        if message["type"] != "http.response.body" or not self.buffering:
            await self.send(message)
            return
        self.body += message.get("body", b"")
        if message.get("more_body", False):
            return
        assert self.start is not None and self.coding is not None
        plain = bytes(self.body)
        packed = encode_body(plain, self.coding)
        headers = list(self.start["headers"])
        if len(packed) < len(plain):
            headers = [*[(k, v) for k, v in headers if k.lower() != b"content-length"],
                       (b"content-encoding", self.coding.encode("ascii")),
                       (b"content-length", str(len(packed)).encode("ascii"))]
            plain = packed
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": plain, "more_body": False})


class BodyCodingMiddleware:
    """The ASGI middleware; ``raw_body(path)`` names the routes whose bodies are streamed
    (frames, blob bytes): those are neither buffered, limited here, nor decoded."""

    def __init__(self, app: ASGIApp, *, raw_body: Callable[[str], bool],
                 limit: int = JSON_BODY_LIMIT) -> None:
        self.app, self.raw_body, self.limit = app, raw_body, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _EncodingSend(send, response_coding(_header(scope, b"accept-encoding")),
                             scope.get("method", "GET"))
        try:
            coding = request_coding(_header(scope, b"content-encoding"))
            if self.raw_body(scope["path"]):
                if coding is not None:
                    raise BodyError(415, "unsupported_encoding",
                                    "frames and blob bytes are sent without Content-Encoding")
                await self.app(scope, receive, send)
                return
            body = await self._read(scope, receive, coding)
        except BodyError as error:
            await _refuse(send, error)
            return
        if body is None:  # the client went away before its body arrived
            # An answer nobody reads (the server drops it), as the push route gives: an ASGI
            # app that sends none makes the HTTP middleware above log an error.
            await send({"type": "http.response.start", "status": 499, "headers": []})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        headers = [(k, v) for k, v in scope.get("headers", [])
                   if k.lower() not in (b"content-encoding", b"content-length",
                                        b"transfer-encoding")]
        headers.append((b"content-length", str(len(body)).encode("ascii")))
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: only http.disconnect is left

        await self.app({**scope, "headers": headers}, replay, send)

    async def _read(self, scope: Scope, receive: Receive, coding: str | None) -> bytes | None:
        """The whole request body, decoded; None when the client disconnected first."""
        # A compressed body is a little larger than its content when that does not compress.
        raw_limit = self.limit if coding is None else self.limit + self.limit // 8 + 1024
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > raw_limit:
            raise _too_large(self.limit)
        data = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            data += message.get("body", b"")
            if len(data) > raw_limit:
                raise _too_large(self.limit)
            if not message.get("more_body", False):
                break
        return decode_body(bytes(data), coding, self.limit)


async def _refuse(send: Send, error: BodyError) -> None:
    body = json.dumps({"error": {"code": error.code, "message": error.message}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    await send({"type": "http.response.start", "status": error.status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode("ascii"))]})
    await send({"type": "http.response.body", "body": body, "more_body": False})

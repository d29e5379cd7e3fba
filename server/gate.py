"""The outermost ASGI middleware: the client version gate, ``X-Server-Time`` on every answer,
and one structured log line a request (method, path, status, milliseconds: no token, password or
personal data); and ``MinimumVersion``, the city's minimum client version as a worker keeps it.

A plain ASGI middleware rather than Starlette's ``BaseHTTPMiddleware`` (``@app.middleware``),
which runs the rest of the app as a separate task behind a memory stream for every request: on
the empty pull, the most frequent request a city serves, that was a large share of its cost
(docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.protocol import SERVER_TIME_HEADER, VERSION_HEADER

log = logging.getLogger("communedesk.server")
Refusal = Callable[[str], Awaitable[Response | None]]


class GateMiddleware:
    """``refusal(version)`` answers a ``/v1/`` request's client version: None lets it in."""

    def __init__(self, app: ASGIApp, *, refusal: Refusal, now: Callable[[], datetime]) -> None:
        self.app, self.refusal, self.now = app, refusal, now
        self._version_header = VERSION_HEADER.lower().encode("latin-1")
        self._time_header = SERVER_TIME_HEADER.lower().encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless an answer starts

        async def stamped(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                stamp = self.now().isoformat(timespec="milliseconds").encode("latin-1")
                message = {**message,
                           "headers": [*message.get("headers", ()), (self._time_header, stamp)]}
            await send(message)

        try:
            refused = None
            if scope["path"].startswith("/v1/"):
                version = next((value for name, value in scope["headers"]
                                if name == self._version_header), b"")
                refused = await self.refusal(version.decode("latin-1"))
            if refused is not None:
                await refused(scope, receive, stamped)
            else:
                await self.app(scope, receive, stamped)
        finally:
            log.info("request", extra={"method": scope["method"], "path": scope["path"],
                                       "status": status,
                                       "ms": round((time.perf_counter() - started) * 1000, 1)})


class MinimumVersion:
    """The minimum client version, read with ``read()`` (blocking: it runs in the thread pool)
    at most every ``ttl`` seconds, so ``min-version set`` takes effect within them.

    When the value falls due, the first request starts one read and every request arriving
    before it ends waits for that same read. Each request used to start its own: under load,
    all the requests in flight at that moment (hundreds) queued a read for the thread pool and
    the database's connection pool, and the pulls behind them waited (docs/benchmarks.md).
    Use from one event loop (a worker's).
    """

    def __init__(self, read: Callable[[], str], ttl: float) -> None:
        self._read, self._ttl = read, ttl
        self._value: str | None = None
        self._read_at = 0.0  # time.monotonic() when the value was read
        self._reading: asyncio.Future[str] | None = None

    async def get(self) -> str:
        if self._value is not None and time.monotonic() - self._read_at < self._ttl:
            return self._value
        if self._reading is None:
            self._reading = asyncio.ensure_future(self._read_once())
        # shielded: a request that goes away does not cancel the read the others wait for
        return await asyncio.shield(self._reading)

    async def _read_once(self) -> str:
        try:
            value = await run_in_threadpool(self._read)
            self._value, self._read_at = value, time.monotonic()
            return value
        finally:
            self._reading = None

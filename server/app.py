"""The HTTP API (FastAPI): error envelope, version gate, server time, and the routes.

Every response carries ``X-Server-Time``; every request must carry ``X-CommuneDesk-Version`` and
is refused with 426 below the city's minimum. Every refusal is
``{"error": {"code", "message"}}`` (FastAPI's own ``detail`` shapes included). Request logs are
structured and hold no token, password or personal data. Routes that touch commune data take
the caller's commune from the token, never from the request (docs/sync-protocol.md). JSON
bodies are limited to 64 KB and may be compressed both ways (``server/compression.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from server import auth, schema
from server.admin import get_setting
from server.app_support import Caller, Text, envelope
from server.blob_routes import router as blob_router
from server.compression import BodyCodingMiddleware
from server.contacts import ContactRecorder
from server.db import DATA_DIR_ENV, configured_url, make_engine, reading
from server.gate import GateMiddleware, MinimumVersion
from server.lease_routes import router as lease_router
from server.loop_reads import LoopReader
from server.reference_routes import router as reference_router
from server.sync_routes import router as sync_router
from sync.protocol import VERSION_HEADER

MIN_VERSION_TTL = 5.0
"""Seconds a worker keeps the minimum client version: ``min-version set`` takes effect within
them."""


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


class LoginRequest(BaseModel):
    username: Text = Field(min_length=1, max_length=64)
    password: Text = Field(min_length=1, max_length=1024)
    device_id: uuid.UUID
    device_name: Text = Field(min_length=1, max_length=200)


class RefreshRequest(BaseModel):
    refresh_token: Text = Field(min_length=1, max_length=200)


def _raw_body(path: str) -> bool:
    """The routes whose request bodies are streamed (push frames, blob bytes), not JSON."""
    return path == "/v1/push" or path.startswith("/v1/blobs/")


def create_app(engine: sa.Engine, data_dir: Path | None = None) -> FastAPI:
    reads, contacts = LoopReader(engine), ContactRecorder(engine)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        flushing = asyncio.create_task(contacts.run())
        yield
        flushing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await flushing
        reads.close()

    app = FastAPI(title="CommuneDesk city server", version="1",
                  description="Sync API v1: docs/sync-protocol.md", lifespan=lifespan)
    app.state.engine = engine
    app.state.reads = reads  # the token check's connection (server/loop_reads.py)
    app.state.contacts = contacts  # devices' last contact (server/contacts.py)
    app.state.data_dir = data_dir  # blobs live under it; None: blob routes answer 503
    # Inside the gate (added later, so it wraps this): its refusals get X-Server-Time.
    app.add_middleware(BodyCodingMiddleware, raw_body=_raw_body)

    def now() -> datetime:
        return datetime.now(UTC)

    def read_minimum() -> str:
        with reading(engine) as connection:
            return get_setting(connection, "min_version", "0")

    minimum_version = MinimumVersion(read_minimum, MIN_VERSION_TTL)

    async def refusal(version: str) -> JSONResponse | None:
        try:
            client = _version_tuple(version)
        except ValueError:
            return envelope(400, "version_required", f"send {VERSION_HEADER}")
        minimum = await minimum_version.get()
        if client < _version_tuple(minimum):
            return envelope(426, "upgrade_required",
                            f"CommuneDesk {minimum} or newer is needed: install the update "
                            "from the city's download page")
        return None

    # Added last, so outermost: its refusals and every answer below get X-Server-Time.
    app.add_middleware(GateMiddleware, refusal=refusal, now=now)

    @app.exception_handler(auth.AuthError)
    async def auth_error(_request: Request, error: auth.AuthError) -> JSONResponse:
        headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
        if error.status == 401:
            headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
        return envelope(error.status, error.code, error.message, headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        codes = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed",
                 413: "too_large"}
        return envelope(error.status_code, codes.get(error.status_code, "http_error"),
                        str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        return envelope(400, "invalid_request", f"{where}: {first.get('msg', 'invalid')}")

    @app.post("/v1/auth/login")
    def login(body: LoginRequest) -> dict[str, Any]:
        return auth.login(engine, body.username, body.password, str(body.device_id),
                          body.device_name, now())

    @app.post("/v1/auth/refresh")
    def refresh(body: RefreshRequest) -> dict[str, Any]:
        return auth.refresh(engine, body.refresh_token, now())

    @app.post("/v1/auth/logout", status_code=204)
    def logout(caller: Caller) -> None:
        auth.logout(engine, caller)

    @app.get("/v1/device")
    def device(caller: Caller) -> dict[str, Any]:
        d, c = schema.devices, schema.communes
        with reading(engine) as connection:
            row = connection.execute(
                sa.select(d.c.id, d.c.name, d.c.slot_first, d.c.slot_last, c.c.code, c.c.name
                          .label("commune_name"), c.c.unit_id)
                .join(c, c.c.code == d.c.commune_code).where(d.c.id == caller.device_id)).one()
            minimum = get_setting(connection, "min_version", "0")
        return {"device_id": row.id, "name": row.name,
                "slot": {"first": row.slot_first, "last": row.slot_last},
                "commune": {"code": row.code, "name": row.commune_name, "unit_id": row.unit_id},
                "user": {"username": caller.username, "role": caller.role},
                "min_version": minimum}

    app.include_router(sync_router)
    app.include_router(blob_router)
    app.include_router(reference_router)
    app.include_router(lease_router)
    return app


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory`` (several workers): the data folder from the env."""
    import os

    data_dir = Path(os.environ[DATA_DIR_ENV])
    app = create_app(make_engine(configured_url(data_dir)), data_dir)
    _tune_cycle_collector()
    return app


WORKER_GC_THRESHOLDS = (20_000, 20, 20)
"""A worker's cycle-collector thresholds (Python's: 700, 10, 10)."""


def _tune_cycle_collector() -> None:
    """In a worker process, once the app is built: what exists now (modules, the app, its
    routes and schemas) lives as long as the worker, so it leaves the collector's sight
    (``gc.freeze``), and young collections run after 20,000 allocations rather than 700, so
    a request's objects mostly die before one walks them. Under pushes, collections were 9 %
    of a worker's CPU (perf); these two cut a pushed operation's server CPU from 0.24 to
    0.19 ms (docs/benchmarks.md). Cycles are still collected, a little later."""
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLDS)

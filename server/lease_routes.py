"""Register leases over HTTP (docs/sync-protocol.md §7.1, docs/decisions/0009).

``GET /v1/leases`` (with an ETag), ``POST /v1/leases/{kind}/{series}/acquire|release|transfer``
and ``GET /v1/leases/log``. Every route works on the caller's commune, taken from its token:
another commune's leases, devices and log are never read, and a device of another commune
named in a transfer is 404 like one that exists nowhere. The work is in ``server/leases.py``;
these handlers run on FastAPI's thread pool.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from server import leases
from server.app_support import Caller, Text, envelope

router = APIRouter(prefix="/v1/leases")


class Kind(StrEnum):
    incoming = "incoming"
    outgoing = "outgoing"


class Series(StrEnum):
    ordinary = "ordinary"
    secret = "secret"


class TransferRequest(BaseModel):
    device_id: Text = Field(min_length=1, max_length=64)
    force: bool = False


def _refusal(error: leases.LeaseError) -> JSONResponse:
    if error.holder is None:
        return envelope(error.status, error.code, error.message)
    return JSONResponse({"error": {"code": error.code, "message": error.message,
                                   "holder": error.holder}}, status_code=error.status)


def _commune(caller: Any) -> str:
    if caller.commune_code is None:  # a city-admin cannot sign in; kept for safety
        raise leases.LeaseError(403, "role_forbidden", "a city administrator has no commune")
    return caller.commune_code


def _json(value: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(value, ensure_ascii=False), media_type="application/json",
                    headers=headers)


@router.get("", response_model=None)
def list_leases(request: Request, caller: Caller) -> Response:
    """The commune's four leases (incoming and outgoing, ordinary and secret)."""
    try:
        answer = leases.leases(request.app.state.engine, _commune(caller))
    except leases.LeaseError as error:
        return _refusal(error)
    body = json.dumps(answer, ensure_ascii=False, sort_keys=True)
    etag = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
    matches = {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}
    if etag in matches or f"W/{etag}" in matches:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag})


@router.get("/log", response_model=None)
def lease_log(request: Request, caller: Caller,
              before: int | None = Query(default=None, ge=1, le=2**31 - 1),
              limit: int = Query(default=100, ge=1, le=500)) -> Response:
    """The commune's lease moves, newest first (admin, leader)."""
    try:
        commune = _commune(caller)
        if caller.role not in leases.LOG_ROLES:
            raise leases.LeaseError(403, "role_forbidden",
                                    "only a leader or an admin reads the lease log")
        return _json(leases.log(request.app.state.engine, commune, before=before, limit=limit))
    except leases.LeaseError as error:
        return _refusal(error)


@router.post("/{kind}/{series}/acquire", response_model=None)
def acquire(request: Request, caller: Caller, kind: Kind, series: Series) -> Response:
    try:
        return _json(leases.acquire(request.app.state.engine, _commune(caller),
                                    caller.device_id, caller.username, caller.role,
                                    kind.value, series.value))
    except leases.LeaseError as error:
        return _refusal(error)


@router.post("/{kind}/{series}/release", response_model=None)
def release(request: Request, caller: Caller, kind: Kind, series: Series) -> Response:
    try:
        return _json(leases.release(request.app.state.engine, _commune(caller),
                                    caller.device_id, caller.username, kind.value,
                                    series.value))
    except leases.LeaseError as error:
        return _refusal(error)


@router.post("/{kind}/{series}/transfer", response_model=None)
def transfer(request: Request, caller: Caller, kind: Kind, series: Series,
             body: TransferRequest) -> Response:
    """A forced transfer to a device of the commune (admin): ``{"device_id", "force": true}``."""
    try:
        commune = _commune(caller)
        if caller.role not in leases.TRANSFER_ROLES:
            raise leases.LeaseError(403, "role_forbidden",
                                    "only a commune admin transfers a lease")
        if body.force is not True:
            raise leases.LeaseError(400, "force_required",
                                    'a transfer is forced: send "force": true')
        return _json(leases.transfer(request.app.state.engine, commune, caller.username,
                                     kind.value, series.value, body.device_id))
    except leases.LeaseError as error:
        return _refusal(error)

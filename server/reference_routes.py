"""Reference data and the device report (docs/sync-protocol.md §7).

``GET /v1/reference`` hands a client the city's procedure catalogue and calendar snapshot (from
``reference_data``) and its own commune's staff list, with an ETag over all three; a client that
already has that version (``If-None-Match`` or ``since``) gets 304. ``POST /v1/device/report``
records what ``communedesk-server device list`` shows: app version, pending changes, last
contact. Both take the commune and the device from the caller's token only.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from server import schema
from server.app_support import Caller, Text
from server.db import reading

router = APIRouter(prefix="/v1")
DOCUMENTS = ("catalogue", "calendar")


class DeviceReport(BaseModel):
    app_version: Text = Field(min_length=1, max_length=40)
    pending: int = Field(ge=0, le=2_000_000_000)


@router.post("/device/report", status_code=204)
def device_report(request: Request, caller: Caller, body: DeviceReport) -> Response:
    d = schema.devices
    where = [d.c.id == caller.device_id]
    if caller.commune_code is not None:
        where.append(d.c.commune_code == caller.commune_code)
    with request.app.state.engine.begin() as connection:
        connection.execute(d.update().where(*where).values(
            app_version=body.app_version, pending=body.pending, last_contact=datetime.now(UTC)))
    return Response(status_code=204)


def _reference(engine: sa.Engine, commune: str | None) -> dict[str, Any]:
    ref, u = schema.reference_data, schema.users
    with reading(engine) as connection:
        rows = {row.kind: row for row in connection.execute(
            sa.select(ref.c.kind, ref.c.version, ref.c.body)
            .where(ref.c.kind.in_(DOCUMENTS)))}
        staff = [] if commune is None else [dict(row._mapping) for row in connection.execute(
            sa.select(u.c.username, u.c.display_name, u.c.role)
            .where(u.c.commune_code == commune, u.c.disabled == sa.false())
            .order_by(u.c.username))]
    answer: dict[str, Any] = {
        kind: ({"version": rows[kind].version, "body": json.loads(rows[kind].body)}
               if kind in rows else None)
        for kind in DOCUMENTS}
    answer["staff"] = staff
    return answer


def _version(answer: dict[str, Any]) -> str:
    """One token for the whole answer: the documents' versions and the staff list."""
    key = {kind: (answer[kind] or {}).get("version") for kind in DOCUMENTS}
    key["staff"] = answer["staff"]
    text = json.dumps(key, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@router.get("/reference", response_model=None)
def reference(request: Request, caller: Caller,
              since: str | None = Query(default=None, max_length=64)) -> Response:
    answer = _reference(request.app.state.engine, caller.commune_code)
    version = _version(answer)
    etag = f'"{version}"'
    matches = {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}
    if etag in matches or f"W/{etag}" in matches or "*" in matches or since == version:
        return Response(status_code=304, headers={"ETag": etag})
    body = json.dumps({"version": version, **answer}, ensure_ascii=False)
    return Response(body, media_type="application/json", headers={"ETag": etag})

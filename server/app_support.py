"""Pieces every route module shares: the error envelope and the caller's identity."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse

from server import auth


def envelope(status: int, code: str, message: str,
             headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status,
                        headers=headers)


def caller_identity(request: Request,
                    authorization: Annotated[str | None, Header()] = None) -> auth.Identity:
    """The signed-in caller of a request (its device, user and commune), or 401."""
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    return auth.authenticate(request.app.state.engine, token, datetime.now(UTC))


Caller = Annotated[auth.Identity, Depends(caller_identity)]

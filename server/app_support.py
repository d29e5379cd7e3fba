"""Pieces every route module shares: the error envelope, the caller's identity, and the text
type of every string a request hands to the database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator

from server import auth


def envelope(status: int, code: str, message: str,
             headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status,
                        headers=headers)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header (None: no bearer token)."""
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def check_caller(request: Request, authorization: str | None,
                 statement: sa.Select = auth.CALLER) -> auth.TokenCheck:
    """The token check of a request, on the event loop (``server/loop_reads.py``); marks the
    device's contact when due (``server/contacts.py``). ``statement``: an
    ``auth.caller_statement`` with the extra columns the route reads."""
    now = datetime.now(UTC)
    token = bearer_token(authorization)
    checked = auth.check_token(request.app.state.reads.row, token, now, statement)
    if checked.contact_due:
        request.app.state.contacts.mark(checked.identity.device_id)
    return checked


async def caller_identity(request: Request,
                          authorization: Annotated[str | None, Header()] = None
                          ) -> auth.Identity:
    """The signed-in caller of a request (its device, user and commune), or 401. A coroutine,
    so that FastAPI runs it on the event loop, not in a worker thread."""
    return check_caller(request, authorization).identity


Caller = Annotated[auth.Identity, Depends(caller_identity)]


def _storable(text: str) -> str:
    """Text both databases can hold: PostgreSQL refuses NUL in text, and neither database nor
    UTF-8 can hold a lone surrogate (JSON's ``\\ud800``). Refused here, as a 400, rather than
    as a 500 from the driver."""
    if "\x00" in text:
        raise ValueError("text may not hold NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text may not hold lone surrogates") from None
    return text


Text = Annotated[str, AfterValidator(_storable)]
"""A request string that goes to the database (names, versions, tokens)."""

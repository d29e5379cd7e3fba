"""The client's HTTP link to the city server (docs/sync-protocol.md §2–3, §7).

``Transport`` owns one ``requests`` session: it adds the version, device and bearer headers,
applies slow-link timeouts (connect in seconds, read in minutes, both settings), keeps the clock
offset from the server's ``X-Server-Time``, refreshes an expired access token once, and turns
every failure into one of the typed errors below, so the engine and the CLI decide by type:

- ``LinkDown``: no answer (refused, reset, cut mid-body, timed out): try later (CLI exit 3);
- ``SignInRequired``: the server refused the device's tokens (CLI exit 4);
- ``Refused``: any other error envelope, with its status, code and message (and Retry-After).

Tokens live behind the ``TokenStore`` interface (the app keeps them in the keychain or under the
profile key); they never appear in logs or exceptions. Not thread-safe: one sync owns it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import requests

from sync.protocol import API_PREFIX, DEVICE_HEADER, SERVER_TIME_HEADER, VERSION_HEADER

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 120.0


class SyncError(Exception):
    """Base of every failure the engine reports."""

    code = "sync_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LinkDown(SyncError):
    """The server could not be reached, or the link was cut mid-answer."""

    code = "link_down"


class SignInRequired(SyncError):
    """The device has no valid tokens: a person must sign in again."""

    code = "sign_in_required"

    def __init__(self, message: str, reason: str = "token_invalid") -> None:
        super().__init__(message)
        self.reason = reason


class Refused(SyncError):
    """An error envelope from the server (docs/sync-protocol.md §3)."""

    def __init__(self, status: int, code: str, message: str,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.retry_after = status, code, retry_after

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"


@dataclass(frozen=True)
class Tokens:
    access: str
    refresh: str

    def __repr__(self) -> str:  # never print a token
        return "Tokens(…)"


class TokenStore(Protocol):
    """Where the device's tokens are kept (the app implements it)."""

    def load_tokens(self) -> Tokens | None: ...

    def save_tokens(self, tokens: Tokens) -> None: ...

    def clear_tokens(self) -> None: ...


def _refusal(response: requests.Response) -> Refused:
    try:
        error = response.json()["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        code, message = f"http_{response.status_code}", response.reason or "no envelope"
    retry = response.headers.get("Retry-After")
    return Refused(response.status_code, code, message,
                   float(retry) if retry and retry.isdigit() else None)


class Transport:
    """Requests to one city server on behalf of one device."""

    def __init__(self, base_url: str, app_version: str, device_id: str, tokens: TokenStore, *,
                 connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT,
                 machine_now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.base_url = base_url.rstrip("/")
        self.app_version, self.device_id, self.tokens = app_version, device_id, tokens
        self.timeout = (connect_timeout, read_timeout)
        self.session = requests.Session()
        self.session.trust_env = False  # a proxy from the environment is a setting, not a guess
        self.clock_offset: float | None = None  # server time − local time, seconds
        self.machine_now = machine_now  # the local clock the offset is measured against

    def close(self) -> None:
        self.session.close()

    # ------------------------------------------------------------------ requests

    def _headers(self, extra: Mapping[str, str] | None, signed: bool) -> dict[str, str]:
        headers = {VERSION_HEADER: self.app_version, DEVICE_HEADER: self.device_id,
                   "Accept-Encoding": "identity"}
        if signed:
            tokens = self.tokens.load_tokens()
            if tokens is None:
                raise SignInRequired("this device has not signed in", "not_signed_in")
            headers["Authorization"] = f"Bearer {tokens.access}"
        headers.update(extra or {})
        return headers

    def _note_time(self, response: requests.Response) -> None:
        stamp = response.headers.get(SERVER_TIME_HEADER)
        if not stamp:
            return
        try:
            server = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            return
        # Stamped as the answer left the server: the error is at most the one-way delay.
        self.clock_offset = (server - self.machine_now()).total_seconds()

    def request(self, method: str, path: str, *, json_body: Any = None,
                data: bytes | Iterable[bytes] | None = None,
                headers: Mapping[str, str] | None = None, params: Mapping[str, Any] | None = None,
                stream: bool = False, signed: bool = True,
                ok: tuple[int, ...] = (200, 201, 204, 206)) -> requests.Response:
        """One request; on 401 ``token_expired`` the token is refreshed and a re-sendable
        request repeated once. Raises ``LinkDown``, ``SignInRequired`` or ``Refused``."""
        resendable = data is None or isinstance(data, bytes)
        for attempt in (1, 2):
            response = self._send(method, path, json_body, data, headers, params, stream, signed)
            if response.status_code in ok or (method == "HEAD" and response.status_code == 404):
                return response
            refusal = _refusal(response)  # a HEAD answer has no body: code http_<status>
            response.close()
            if response.status_code != 401 or not signed:
                raise refusal
            if attempt == 1 and refusal.code in ("token_expired", "http_401") and self.refresh():
                if resendable:
                    continue
                raise LinkDown("the access token was renewed; the stream must be sent again")
            raise SignInRequired(refusal.message, refusal.code)
        raise AssertionError("unreachable")

    def _send(self, method: str, path: str, json_body: Any, data: Any,
              headers: Mapping[str, str] | None, params: Mapping[str, Any] | None,
              stream: bool, signed: bool) -> requests.Response:
        all_headers = self._headers(headers, signed)
        if json_body is not None:
            data = json.dumps(json_body, ensure_ascii=False).encode()
            all_headers["Content-Type"] = "application/json"
        try:
            response = self.session.request(method, self.base_url + API_PREFIX + path,
                                            data=data, headers=all_headers, params=params,
                                            stream=stream, timeout=self.timeout)
        except requests.RequestException as error:
            raise LinkDown(f"{type(error).__name__} talking to {self.base_url}") from None
        self._note_time(response)
        return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        try:
            return response.json() if response.content else None
        except requests.RequestException:
            raise LinkDown("the answer was cut") from None
        except ValueError:
            raise Refused(response.status_code, "bad_answer", "the answer is not JSON") from None

    # ------------------------------------------------------------------ sign-in

    def sign_in(self, username: str, password: str, device_name: str) -> dict[str, Any]:
        """Sign the device in; keeps the tokens and returns the rest of the answer
        (commune, user, slot, min_version)."""
        try:
            answer = self.json("POST", "/auth/login", signed=False, json_body={
                "username": username, "password": password, "device_id": self.device_id,
                "device_name": device_name})
        except Refused as refusal:
            if refusal.status in (400, 401, 403, 422):
                raise SignInRequired(refusal.message, refusal.code) from None
            raise
        self.tokens.save_tokens(Tokens(answer.pop("access_token"), answer.pop("refresh_token")))
        return answer

    def refresh(self) -> bool:
        """Swap the refresh token for a new pair; False when the server refuses it.

        A refresh whose answer was lost raises ``LinkDown``; the old token stays valid for the
        server's grace period, so repeating it later is safe.
        """
        tokens = self.tokens.load_tokens()
        if tokens is None:
            return False
        response = self._send("POST", "/auth/refresh", {"refresh_token": tokens.refresh}, None,
                              None, None, False, False)
        if response.status_code != 200:
            return False
        try:
            answer = response.json()
        except (ValueError, requests.RequestException):
            raise LinkDown("the refresh answer was cut") from None
        self.tokens.save_tokens(Tokens(answer["access_token"], answer["refresh_token"]))
        return True

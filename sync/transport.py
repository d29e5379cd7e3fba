"""The client's HTTP link to the city server (docs/sync-protocol.md §2–3, §7).

``Transport`` owns one ``requests`` session: it adds the version, device and bearer headers,
applies slow-link timeouts (connect in seconds, read in minutes, both settings), keeps the clock
offset from the server's ``X-Server-Time``, refreshes an expired access token once, and turns
every failure into one of the typed errors below, so the engine and the CLI decide by type:

- ``LinkDown``: no answer (refused, reset, cut mid-body, timed out): try later (CLI exit 3);
- ``SignInRequired``: the server refused the device's tokens (CLI exit 4);
- ``Refused``: any other error envelope, with its status, code and message (and Retry-After),
  and the envelope's other members in ``details`` (a lease refusal's ``holder``).

Besides sign-in, the calls that are not part of a sync live here too: the register leases
(``leases``, ``acquire_lease``, ``release_lease``, ``transfer_lease``, ``lease_log``;
docs/sync-protocol.md §7.1).

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
    """An error envelope from the server (docs/sync-protocol.md §3). ``details``: the error
    object's members other than code and message (``holder`` of a 409 ``lease_held`` or
    ``not_holder``: ``device_id``, ``device_name``, ``user``, ``display_name``, ``since``)."""

    def __init__(self, status: int, code: str, message: str,
                 retry_after: float | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.retry_after = status, code, retry_after
        self.details: dict[str, Any] = details or {}

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
    details: dict[str, Any] = {}
    try:
        error = response.json()["error"]
        code, message = str(error["code"]), str(error["message"])
        details = {k: v for k, v in error.items() if k not in ("code", "message")}
    except (ValueError, KeyError, TypeError, AttributeError):
        code, message = f"http_{response.status_code}", response.reason or "no envelope"
    retry = response.headers.get("Retry-After")
    return Refused(response.status_code, code, message,
                   float(retry) if retry and retry.isdigit() else None, details)


LEASE_KINDS = ("incoming", "outgoing")
LEASE_SERIES = ("ordinary", "secret")
_LEASE_KEYS = ("kind", "series", "holder_device_id", "epoch", "last_numbers")


def _check_lease(value: Any) -> dict[str, Any]:
    """A lease as the server describes it (docs/sync-protocol.md §7.1), or ``Refused``
    ``bad_answer``: the store never keeps a malformed one."""
    if not (isinstance(value, dict) and all(key in value for key in _LEASE_KEYS)
            and value["kind"] in LEASE_KINDS and value["series"] in LEASE_SERIES
            and (value["holder_device_id"] is None or isinstance(value["holder_device_id"], str))
            and type(value["epoch"]) is int and isinstance(value["last_numbers"], dict)
            and all(isinstance(year, str) and type(n) is int
                    for year, n in value["last_numbers"].items())):
        raise Refused(200, "bad_answer", "a lease in the answer is malformed")
    return value


def _check_pair(kind: str, series: str) -> str:
    if kind not in LEASE_KINDS or series not in LEASE_SERIES:
        raise ValueError(f"no register {kind!r}/{series!r}")
    return f"/leases/{kind}/{series}"


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

    # ------------------------------------------------------------------ register leases

    def leases_since(self, etag: str | None = None) -> tuple[list[dict[str, Any]] | None,
                                                             str | None]:
        """The commune's four leases and the answer's ETag; (None, etag) when ``etag`` still
        names them (304: nothing changed). ``Refused`` ``bad_answer`` for a malformed answer."""
        headers = {"If-None-Match": etag} if etag else None
        response = self.request("GET", "/leases", headers=headers, ok=(200, 304))
        try:
            if response.status_code == 304:
                return None, response.headers.get("ETag") or etag
            try:
                answer = response.json()
            except requests.RequestException:
                raise LinkDown("the leases answer was cut") from None
            except ValueError:
                raise Refused(200, "bad_answer", "the answer is not JSON") from None
        finally:
            response.close()
        if not isinstance(answer, list):
            raise Refused(200, "bad_answer", "the leases answer is not a list")
        return [_check_lease(lease) for lease in answer], response.headers.get("ETag")

    def leases(self) -> list[dict[str, Any]]:
        """``GET /v1/leases``: every (kind, series) of the commune, free ones included:
        ``{kind, series, holder_device_id, holder_device_name, holder_user,
        holder_display_name, holder_revoked, epoch, since, last_numbers: {"<year>": n}}``."""
        return self.leases_since(None)[0] or []

    def acquire_lease(self, kind: str, series: str) -> dict[str, Any]:
        """Hold a register's lease (this device numbers it from now on); the lease, with its
        new epoch and the register's last numbers. Already this device's: the same lease.
        ``Refused`` 409 ``lease_held`` (``details["holder"]`` names who), 403
        ``role_forbidden`` (clerk, leader and admin only)."""
        return _check_lease(self.json("POST", _check_pair(kind, series) + "/acquire"))

    def release_lease(self, kind: str, series: str) -> dict[str, Any]:
        """Give the lease back (after a sync that sent every numbered document); a free lease
        is answered as it is. ``Refused`` 409 ``not_holder`` when another device holds it."""
        return _check_lease(self.json("POST", _check_pair(kind, series) + "/release"))

    def transfer_lease(self, kind: str, series: str, device_id: str,
                       force: bool = True) -> dict[str, Any]:
        """A commune admin's forced transfer to a device of the commune (logged); the old
        holder's later numbers come back as conflicts. ``Refused`` 403 ``role_forbidden``,
        400 ``force_required``, 404 (no such device in the commune), 409 ``target_revoked``."""
        return _check_lease(self.json("POST", _check_pair(kind, series) + "/transfer",
                                      json_body={"device_id": device_id, "force": force}))

    def lease_log(self, limit: int = 100, before: int | None = None) -> list[dict[str, Any]]:
        """The commune's lease moves, newest first (admin, leader; else ``Refused`` 403):
        ``{id, kind, series, action, from_device_id, from_device_name, to_device_id,
        to_device_name, actor, at, forced}``; ``before``: an id, for the next page."""
        params: dict[str, Any] = {"limit": limit}
        if before is not None:
            params["before"] = before
        answer = self.json("GET", "/leases/log", params=params)
        if not isinstance(answer, list) or not all(isinstance(e, dict) for e in answer):
            raise Refused(200, "bad_answer", "the lease log is not a list of entries")
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

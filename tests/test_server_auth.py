"""The city server's sign-in, tokens and request gate, over real HTTP on loopback, on SQLite
and on PostgreSQL."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
import requests
import sqlalchemy as sa

from server import schema
from server.gate import MinimumVersion
from tests.conftest import BACKENDS, VERSION

DB_BACKENDS = BACKENDS


def login(server, username="hoa", password="mật-khẩu-hoa", device=None, name="Máy tiếp nhận 1"):
    return requests.post(f"{server.url}/v1/auth/login", headers=VERSION, timeout=30, json={
        "username": username, "password": password,
        "device_id": str(device or uuid.uuid4()), "device_name": name})


def get_device(server, token):
    return requests.get(f"{server.url}/v1/device", timeout=30,
                        headers={**VERSION, "Authorization": f"Bearer {token}"})


def error_code(response) -> str:
    return response.json()["error"]["code"]


def add_user(server, username: str, commune: str = "09661", role: str = "officer") -> str:
    password = f"pw-{username}-123"
    server.admin("user", "add", "--commune", commune, "--username", username, "--role", role,
                 password=password)
    return password


def test_login_gives_tokens_commune_and_a_slot(city_server) -> None:
    device = uuid.uuid4()
    answer = login(city_server, device=device)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["commune"] == {"code": "09661", "name": "Xã Minh Châu", "unit_id": "09661"}
    assert body["user"]["display_name"] == "Nguyễn Thị Hoa"
    first, last = body["slot"]["first"], body["slot"]["last"]
    assert 1 <= first <= last < 9000  # 9000-9999 stays for stand-alone profiles
    assert "X-Server-Time" in answer.headers
    again = login(city_server, device=device).json()
    assert again["slot"] == body["slot"]  # a device keeps its slot
    other = login(city_server).json()
    assert other["slot"]["first"] > last or other["slot"]["last"] < first
    assert get_device(city_server, body["access_token"]).json()["slot"] == body["slot"]


def test_each_commune_numbers_its_own_slots(city_server) -> None:
    lan = login(city_server, "lan", "mật-khẩu-lan").json()
    assert lan["commune"]["code"] == "00226"
    assert lan["commune"]["name"] == "Phường Kim Liên"
    assert lan["slot"]["first"] == 1


def test_wrong_password_and_unknown_user_look_the_same(city_server) -> None:
    wrong = login(city_server, password="sai")
    unknown = login(city_server, username="khong-co", password="sai")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {
        "error": {"code": "login_failed", "message": "wrong username or password"}}


def test_failed_logins_are_throttled(city_server) -> None:
    password = add_user(city_server, "thu")
    statuses = [login(city_server, "thu", "sai").status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5
    locked = login(city_server, "thu", password)
    assert locked.status_code == 429 and error_code(locked) == "rate_limited"
    assert int(locked.headers["Retry-After"]) > 0


def test_requests_need_a_valid_token(city_server) -> None:
    missing = requests.get(f"{city_server.url}/v1/device", headers=VERSION, timeout=30)
    assert missing.status_code == 401 and error_code(missing) == "token_invalid"
    forged = get_device(city_server, "x" * 43)
    assert forged.status_code == 401 and error_code(forged) == "token_invalid"


def test_refresh_rotates_and_a_lost_answer_can_be_repeated(city_server) -> None:
    first = login(city_server).json()
    second = requests.post(f"{city_server.url}/v1/auth/refresh", headers=VERSION, timeout=30,
                           json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    assert get_device(city_server, second.json()["access_token"]).status_code == 200
    # The answer was lost on the way: the old refresh token works once more within the grace.
    repeat = requests.post(f"{city_server.url}/v1/auth/refresh", headers=VERSION, timeout=30,
                           json={"refresh_token": first["refresh_token"]})
    assert repeat.status_code == 200
    assert get_device(city_server, repeat.json()["access_token"]).status_code == 200


def test_a_replayed_refresh_token_after_the_grace_cuts_the_device_off(city_server, tmp_path
                                                                      ) -> None:
    from server.admin import put_setting
    from server.db import configured_url, make_engine

    engine = make_engine(configured_url(city_server.data_dir))
    put_setting(engine, "refresh_grace_seconds", "0.5")
    try:
        first = login(city_server).json()
        second = requests.post(f"{city_server.url}/v1/auth/refresh", headers=VERSION,
                               timeout=30, json={"refresh_token": first["refresh_token"]}).json()
        time.sleep(1)
        replay = requests.post(f"{city_server.url}/v1/auth/refresh", headers=VERSION,
                               timeout=30, json={"refresh_token": first["refresh_token"]})
        assert replay.status_code == 401 and error_code(replay) == "token_reused"
        assert get_device(city_server, second["access_token"]).status_code == 401
    finally:
        put_setting(engine, "refresh_grace_seconds", "60")


def test_a_revoked_device_is_refused_at_its_next_request(city_server) -> None:
    device = uuid.uuid4()
    tokens = login(city_server, device=device).json()
    assert get_device(city_server, tokens["access_token"]).status_code == 200
    city_server.admin("device", "revoke", str(device))
    refused = get_device(city_server, tokens["access_token"])
    assert refused.status_code == 401 and error_code(refused) == "device_revoked"
    again = login(city_server, device=device)
    assert again.status_code == 401 and error_code(again) == "device_revoked"


def test_a_disabled_user_is_refused_at_the_next_request(city_server) -> None:
    password = add_user(city_server, "binh")
    tokens = login(city_server, "binh", password).json()
    city_server.admin("user", "disable", "--username", "binh")
    refused = get_device(city_server, tokens["access_token"])
    assert refused.status_code == 401 and error_code(refused) == "user_disabled"
    assert error_code(login(city_server, "binh", password)) == "user_disabled"


def test_logout_ends_the_device_session(city_server) -> None:
    tokens = login(city_server).json()
    headers = {**VERSION, "Authorization": f"Bearer {tokens['access_token']}"}
    assert requests.post(f"{city_server.url}/v1/auth/logout", headers=headers,
                         timeout=30).status_code == 204
    assert get_device(city_server, tokens["access_token"]).status_code == 401


def test_a_city_admin_syncs_no_dossiers(city_server) -> None:
    city_server.admin("user", "add", "--username", "thanhpho", "--role", "city-admin",
                      password="city-admin-pw")
    refused = login(city_server, "thanhpho", "city-admin-pw")
    assert refused.status_code == 403 and error_code(refused) == "role_forbidden"


def test_client_version_gate(city_server) -> None:
    no_version = requests.post(f"{city_server.url}/v1/auth/login", timeout=30, json={})
    assert no_version.status_code == 400 and error_code(no_version) == "version_required"
    city_server.admin("min-version", "set", "0.2")
    try:
        _gate_closed(city_server, True)
        old = login(city_server)
        assert old.status_code == 426 and error_code(old) == "upgrade_required"
        assert "0.2" in old.json()["error"]["message"]
        assert "X-Server-Time" in old.headers
    finally:
        city_server.admin("min-version", "set", "0")
        _gate_closed(city_server, False)  # the tests after this one need it open


def _gate_closed(server, closed: bool) -> None:  # noqa: ANN001
    """Wait until the version gate answers (426) or lets through a request without a token
    (401): a worker keeps the minimum version for ``MIN_VERSION_TTL`` seconds
    (server/app.py), so ``min-version set`` takes effect within that time."""
    from server.app import MIN_VERSION_TTL

    deadline = time.monotonic() + MIN_VERSION_TTL + 5
    while True:
        status = requests.get(f"{server.url}/v1/device", headers=VERSION, timeout=30).status_code
        if (status == 426) == closed or time.monotonic() > deadline:
            assert (status == 426) == closed, status
            return
        time.sleep(0.2)


@pytest.mark.parametrize("body", [
    {"username": "hoa", "password": "x", "device_id": "not-a-uuid", "device_name": "m"},
    {"username": "hoa"},
    {"username": "'; DROP TABLE users; --", "password": "x", "device_id": str(uuid.uuid4()),
     "device_name": "m"},
])
def test_bad_bodies_get_the_error_envelope(city_server, body) -> None:
    answer = requests.post(f"{city_server.url}/v1/auth/login", headers=VERSION, json=body,
                           timeout=30)
    assert answer.status_code in (400, 401)
    assert set(answer.json()) == {"error"} and set(answer.json()["error"]) == {"code", "message"}
    assert login(city_server).status_code == 200  # nothing was dropped


def test_unknown_paths_get_the_error_envelope(city_server) -> None:
    answer = requests.get(f"{city_server.url}/v1/nothing", headers=VERSION, timeout=30)
    assert answer.status_code == 404 and error_code(answer) == "not_found"


def test_the_database_holds_no_usable_token_or_password(city_server) -> None:
    tokens = login(city_server).json()
    if city_server.backend == "sqlite":
        raw = b"".join(p.read_bytes() for p in city_server.data_dir.glob("server.db*"))
    else:  # the whole database as pg_dump writes it out (what a stolen backup holds)
        raw = city_server.postgres.dump(city_server.db_url)
        if raw is None:
            pytest.skip("pg_dump is not installed: the raw check needs a dump")
    assert b"scrypt$" in raw  # the dump really holds the users table
    for secret in (tokens["access_token"], tokens["refresh_token"], "mật-khẩu-hoa"):
        assert secret.encode() not in raw
    with city_server.engine().connect() as db:
        assert db.execute(sa.select(schema.users.c.password_hash)
                          .where(schema.users.c.username == "hoa")
                          ).scalar().startswith("scrypt$")


# ------------------------------------------------------------------ the gate's minimum version
# Unit tests of server.gate.MinimumVersion: how many reads reach the database cannot be seen
# from outside the server; a counting ``read`` stands in for the database here.


def test_requests_waiting_for_the_minimum_version_share_one_read() -> None:
    reads: list[float] = []

    def read() -> str:
        reads.append(time.monotonic())
        time.sleep(0.05)  # a slow database: every request below arrives during the read
        return "1.2"

    async def scenario() -> None:
        minimum = MinimumVersion(read, ttl=0.3)
        assert await asyncio.gather(*(minimum.get() for _ in range(200))) == ["1.2"] * 200
        assert len(reads) == 1
        await asyncio.gather(*(minimum.get() for _ in range(50)))  # still fresh: no read
        assert len(reads) == 1
        await asyncio.sleep(0.35)  # due again: one more read for all of these
        await asyncio.gather(*(minimum.get() for _ in range(200)))
        assert len(reads) == 2

    asyncio.run(scenario())


def test_a_request_that_goes_away_does_not_cancel_the_shared_read() -> None:
    def read() -> str:
        time.sleep(0.05)
        return "2.0"

    async def scenario() -> None:
        minimum = MinimumVersion(read, ttl=60)
        leaving = asyncio.ensure_future(minimum.get())
        staying = asyncio.ensure_future(minimum.get())
        await asyncio.sleep(0.01)
        leaving.cancel()  # the client of the first request hung up
        assert await staying == "2.0"
        with pytest.raises(asyncio.CancelledError):
            await leaving

    asyncio.run(scenario())


def test_a_failed_read_fails_its_waiters_and_the_next_request_reads_again() -> None:
    answers: list[Exception | str] = [sa.exc.OperationalError("SELECT", {}, Exception("down")),
                                      "1.0"]

    def read() -> str:
        time.sleep(0.02)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def scenario() -> None:
        minimum = MinimumVersion(read, ttl=60)
        failed = await asyncio.gather(minimum.get(), minimum.get(), return_exceptions=True)
        assert all(isinstance(error, sa.exc.OperationalError) for error in failed)
        assert await minimum.get() == "1.0"  # the database is back: read again, not stuck

    asyncio.run(scenario())

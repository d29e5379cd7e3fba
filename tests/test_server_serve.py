"""What ``communedesk-server serve`` does while it runs, beyond answering: its request log, the
database connections it keeps, and the devices' last contact it records. A real server over
HTTP on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests
import sqlalchemy as sa

from server import schema
from server.contacts import FLUSH_SECONDS
from tests.conftest import BACKENDS, VERSION, make_city_server

DB_BACKENDS = BACKENDS
PASSWORD = "mật-khẩu-hoa"


def serve(tmp_path, db_backend: str, request):
    """A fresh city server with one officer of Xã Minh Châu, its stderr in ``server.log``."""
    server = make_city_server(tmp_path / "city", db_backend, request)
    server.admin("user", "add", "--commune", "09661", "--username", "hoa", "--role", "officer",
                 "--name", "Nguyễn Thị Hoa", password=PASSWORD)
    server.log_path = tmp_path / "server.log"
    server.start(log_path=server.log_path)
    return server


@pytest.fixture
def served(tmp_path, db_backend, request):
    server = serve(tmp_path, db_backend, request)
    yield server
    server.stop()


@pytest.fixture
def served_on_postgresql(tmp_path, request):
    server = serve(tmp_path, "postgresql", request)
    yield server
    server.stop()


def sign_in(server) -> tuple[dict, str, str]:
    """(headers, device id, access token) of a new device of hoa."""
    device = str(uuid.uuid4())
    answer = requests.post(f"{server.url}/v1/auth/login", headers=VERSION, timeout=30, json={
        "username": "hoa", "password": PASSWORD, "device_id": device,
        "device_name": "máy tiếp nhận"})
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    return {**VERSION, "Authorization": f"Bearer {token}"}, device, token


def pull(server, headers: dict) -> requests.Response:
    return requests.get(f"{server.url}/v1/pull", params={"cursor": "e1:0"}, headers=headers,
                        timeout=30)


def last_contact(server, device: str) -> datetime | None:
    listed = json.loads(server.admin("device", "list", "--json").stdout)
    text = next(d for d in listed if d["id"] == device)["last_contact"]
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None


def age_contact(server, device: str) -> datetime:
    """Sets the device's last contact two hours back; that moment."""
    old = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    engine = server.engine()
    try:
        with engine.begin() as connection:
            connection.execute(schema.devices.update().where(schema.devices.c.id == device)
                               .values(last_contact=old))
    finally:
        engine.dispose()
    return old


def test_each_request_is_logged_as_one_json_line_without_secrets(served) -> None:
    headers, _device, token = sign_in(served)
    assert pull(served, headers).status_code == 200
    assert requests.get(f"{served.url}/v1/nowhere", headers=headers,
                        timeout=30).status_code == 404
    served.stop()  # the log is complete
    text = served.log_path.read_text("utf-8")
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    requests_logged = [(line["method"], line["path"], line["status"]) for line in lines
                       if line["event"] == "request"]
    assert ("POST", "/v1/auth/login", 200) in requests_logged
    assert ("GET", "/v1/pull", 200) in requests_logged
    assert ("GET", "/v1/nowhere", 404) in requests_logged
    assert all(isinstance(line["ms"], float) and line["time"].endswith("+00:00")
               for line in lines if line["event"] == "request")
    for secret in (token, PASSWORD, "mật", "Nguyễn", "e1:0"):
        assert secret not in text


def test_a_device_s_contact_is_recorded_without_the_request_waiting_for_it(served) -> None:
    headers, device, _token = sign_in(served)
    old = age_contact(served, device)
    started = datetime.now(UTC).replace(microsecond=0)
    assert pull(served, headers).status_code == 200
    deadline = time.monotonic() + FLUSH_SECONDS + 20
    while (seen := last_contact(served, device)) == old and time.monotonic() < deadline:
        time.sleep(0.5)
    assert seen is not None and seen >= started


def test_contacts_not_yet_written_are_written_when_the_server_stops(served) -> None:
    headers, device, _token = sign_in(served)
    old = age_contact(served, device)
    assert requests.get(f"{served.url}/v1/device", headers=headers, timeout=30).ok
    served.stop()  # most often inside FLUSH_SECONDS: then only the last flush writes it
    assert last_contact(served, device) > old


def test_connections_the_database_dropped_are_replaced(served_on_postgresql) -> None:
    """PostgreSQL ends every session of the server (an administrator, a failover, an idle
    timeout); the next requests are answered as if nothing happened: the token check's
    connection on the event loop is replaced, and the pool's are checked before use."""
    served = served_on_postgresql
    headers, _device, _token = sign_in(served)
    assert pull(served, headers).status_code == 200
    engine = sa.create_engine(served.db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            ended = connection.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar()
    finally:
        engine.dispose()
    assert ended >= 1
    assert pull(served, headers).status_code == 200
    assert requests.get(f"{served.url}/v1/device", headers=headers, timeout=30).ok


def test_a_worker_keeps_its_start_up_objects_out_of_the_cycle_collectors_walks(
        tmp_path) -> None:
    """The app a worker serves (``app_from_env``, what ``serve`` runs) freezes what exists
    once it is built and collects young objects less often: collections were 9 % of a
    worker's CPU under pushes (docs/benchmarks.md). In a fresh interpreter, as a worker is."""
    import subprocess
    import sys
    from pathlib import Path

    from server.app import WORKER_GC_THRESHOLDS
    from server.db import DATA_DIR_ENV

    probe = ("import gc, json; from server.app import app_from_env; app_from_env(); "
             "print(json.dumps([gc.get_threshold(), gc.get_freeze_count()]))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=120, cwd=Path(__file__).resolve().parents[1],
                          env={"PATH": "", DATA_DIR_ENV: str(tmp_path)})
    thresholds, frozen = json.loads(done.stdout)
    assert tuple(thresholds) == WORKER_GC_THRESHOLDS != (700, 10, 10)
    assert frozen > 10_000  # the modules, the app and its routes

"""Reference data and the device report against a real city server (docs/sync-protocol.md §7)."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from tests.conftest import VERSION


def sign_in(server, username: str, password: str) -> tuple[dict, str]:
    device_id = str(uuid.uuid4())
    answer = requests.post(f"{server.url}/v1/auth/login", headers=VERSION, timeout=30, json={
        "username": username, "password": password, "device_id": device_id,
        "device_name": "máy báo cáo"})
    assert answer.status_code == 200, answer.text
    return {**VERSION, "Authorization": f"Bearer {answer.json()['access_token']}"}, device_id


@pytest.fixture(scope="module")
def hoa(city_server) -> dict:
    return sign_in(city_server, "hoa", "mật-khẩu-hoa")[0]


def test_the_device_report_shows_in_the_device_list(city_server) -> None:
    headers, device_id = sign_in(city_server, "hoa", "mật-khẩu-hoa")
    answer = requests.post(f"{city_server.url}/v1/device/report", headers=headers, timeout=30,
                           json={"app_version": "0.3.1", "pending": 7})
    assert answer.status_code == 204, answer.text
    listed = json.loads(city_server.admin("device", "list", "--json").stdout)
    mine = next(d for d in listed if d["id"] == device_id)
    assert mine["app_version"] == "0.3.1" and mine["pending"] == 7 and mine["last_contact"]


@pytest.mark.parametrize("body", [{"app_version": "0.3.1", "pending": -1},
                                  {"app_version": "", "pending": 0}, {"pending": 1}])
def test_a_malformed_report_is_refused(city_server, hoa, body) -> None:
    answer = requests.post(f"{city_server.url}/v1/device/report", headers=hoa, timeout=30,
                           json=body)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_request"


def test_reference_data_carries_versions_and_the_callers_staff_only(city_server, hoa) -> None:
    answer = requests.get(f"{city_server.url}/v1/reference", headers=hoa, timeout=30)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["catalogue"]["version"] == "2025.07.1"
    assert data["catalogue"]["body"]["catalogue_version"] == "2025.07.1"
    assert data["calendar"]["version"] == "2026.1+holidays-0.109"
    assert {"username": "hoa", "display_name": "Nguyễn Thị Hoa", "role": "officer"} in \
        data["staff"]
    assert "lan" not in {person["username"] for person in data["staff"]}
    etag = answer.headers["ETag"]
    again = requests.get(f"{city_server.url}/v1/reference", timeout=30,
                         headers={**hoa, "If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag and not again.content
    since = requests.get(f"{city_server.url}/v1/reference", headers=hoa, timeout=30,
                         params={"since": data["version"]})
    assert since.status_code == 304
    stale = requests.get(f"{city_server.url}/v1/reference", timeout=30,
                         headers={**hoa, "If-None-Match": '"old"'})
    assert stale.status_code == 200


def test_the_staff_list_follows_the_directory(city_server, hoa) -> None:
    first = requests.get(f"{city_server.url}/v1/reference", headers=hoa, timeout=30)
    username = f"tam{uuid.uuid4().hex[:6]}"
    city_server.admin("user", "add", "--commune", "09661", "--username", username, "--role",
                      "officer", password="mật-khẩu-tâm")
    second = requests.get(f"{city_server.url}/v1/reference", timeout=30,
                          headers={**hoa, "If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    assert username in {person["username"] for person in second.json()["staff"]}
    city_server.admin("user", "disable", "--username", username)
    third = requests.get(f"{city_server.url}/v1/reference", headers=hoa, timeout=30).json()
    assert username not in {person["username"] for person in third["staff"]}


def test_reference_needs_a_signed_in_caller(city_server) -> None:
    answer = requests.get(f"{city_server.url}/v1/reference", headers=VERSION, timeout=30)
    assert answer.status_code == 401

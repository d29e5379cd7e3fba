"""schemathesis against the server's own OpenAPI description: no input makes it fail (5xx).

Runs on the real server over loopback, on SQLite and on PostgreSQL, signed in as a device of
Xã Minh Châu (a commune admin, the role every route lets in, so that the lease routes run past
their role check), with the version header every client sends. Generated bodies, headers and parameters may be refused (4xx) but
never crash the server or break the error envelope.
"""

from __future__ import annotations

import json
import uuid

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conftest import BACKENDS, VERSION

DB_BACKENDS = BACKENDS  # PostgreSQL refuses what SQLite takes (NUL, over-long text): both


@pytest.fixture(scope="module")
def api_schema(city_server):
    return schemathesis.openapi.from_url(f"{city_server.url}/openapi.json")


@pytest.fixture(scope="module")
def signed_in(city_server) -> dict:
    city_server.admin("user", "add", "--commune", "09661", "--username", "schemathesis",
                      "--role", "admin", password="schemathesis-pw")
    answer = requests.post(f"{city_server.url}/v1/auth/login", headers=VERSION, timeout=30,
                           json={"username": "schemathesis", "password": "schemathesis-pw",
                                 "device_id": str(uuid.uuid4()), "device_name": "fuzz"})
    return {**VERSION, "Authorization": f"Bearer {answer.json()['access_token']}"}


def test_no_input_makes_the_server_fail(api_schema, city_server, signed_in) -> None:
    # schemathesis' own pytest plugin does not run under pytest 9: drive its strategies here.
    checked = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=30, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def call(case) -> None:
            response = case.call(base_url=city_server.url, headers=signed_in, timeout=30)
            assert response.status_code < 500, (case.method, case.path, response.text[:300])
            content_type = response.headers.get("content-type") or [""]
            if isinstance(content_type, list):  # schemathesis keeps every value of a header
                content_type = content_type[0]
            if (response.status_code >= 400 and case.method != "HEAD"  # HEAD has no body
                    and content_type.startswith("application/json")):
                assert set(json.loads(response.text or "null") or {}) == {"error"}, (
                    case.method, case.path, response.status_code, response.text[:300])

        call()
        checked.append(operation.label)
    assert len(checked) >= 5, checked

"""Reference data reaching the client: the staff list for assignment, and the catalogue and
calendar the city server holds, fetched at each sync with an ETag (docs/sync-protocol.md §7),
against a real city server on loopback."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import actions, staff
from app.errors import InvalidField
from app.notices import ChangeNotice
from app.sync_local import LocalSyncStore
from tests.sync_helpers import Machine


@pytest.fixture
def machines(city_server, tmp_path: Path):
    made: list[Machine] = []

    def make(name: str, **kwargs) -> Machine:
        machine = Machine(tmp_path / name, city_server.url, "09661",
                          ("hoa", "mật-khẩu-hoa"), **kwargs)
        made.append(machine)
        return machine

    yield make
    for machine in made:
        machine.close()


def set_reference(city_server, kind: str, body: dict | str, version: str) -> None:
    """What ``communedesk-server`` would hold after the city published a new document."""
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    with city_server.engine().begin() as connection:
        connection.execute(sa.text("UPDATE reference_data SET version = :v, body = :b "
                                   "WHERE kind = :k"), {"v": version, "b": text, "k": kind})


def test_the_staff_list_comes_with_each_sync_and_costs_a_304_after(machines, city_server
                                                                    ) -> None:
    a = machines("a")
    assert staff.staff(a.store) == []
    first = a.sync()
    assert first.reference_updated and first.reference_refused == []
    assert {"username": "hoa", "display_name": "Nguyễn Thị Hoa", "role": "officer"} in \
        staff.staff(a.store)
    assert "lan" not in staff.usernames(a.store)  # another commune's official
    assert LocalSyncStore(a.store).sync_value("reference_etag")
    again = a.sync()
    assert not again.reference_updated  # If-None-Match: 304, nothing kept again
    # A new official of the commune: the list follows at the next sync, and views hear of it.
    username = f"tam{uuid.uuid4().hex[:6]}"
    city_server.admin("user", "add", "--commune", "09661", "--username", username, "--role",
                      "specialist", "--name", "Đỗ Minh Tâm", password="mật-khẩu-tâm")
    heard: list[ChangeNotice] = []
    a.store.notices.subscribe(heard.append)
    assert a.sync().reference_updated
    assert staff.display_name(a.store, username) == "Đỗ Minh Tâm"
    assert any(n.record_type == "staff" and username in n.ids for n in heard)
    record = a.take(1)[0]
    assert actions.assign(a.store, record["id"], username)["assigned_to"] == username
    with pytest.raises(InvalidField):
        actions.assign(a.store, record["id"], "lan")  # not of this commune
    city_server.admin("user", "disable", "--username", username)
    a.sync()
    assert username not in staff.usernames(a.store)  # replaced whole


def test_a_newer_catalogue_and_calendar_are_installed(machines, city_server) -> None:
    a = machines("a")
    a.sync()
    calendar_before = a.store.setting("calendar.version")
    catalogue = json.loads((Path(__file__).resolve().parents[1] / "resources" / "procedures"
                            / "catalogue.json").read_text("utf-8"))
    marriage = next(p for p in catalogue["procedures"] if p["code"] == "1.000894")
    marriage["effective_to"] = "2027-03-01"
    catalogue["procedures"].append({**marriage, "version": 2, "effective_from": "2027-03-01",
                                    "effective_to": None, "time_limit_days": 1,
                                    "verification_extension_days": 3})
    catalogue["catalogue_version"] = "2027.03.1"
    set_reference(city_server, "catalogue", catalogue, "2027.03.1")
    calendar = json.loads((Path(__file__).resolve().parents[1] / "resources" / "calendar"
                           / "vn-calendar.json").read_text("utf-8"))
    calendar["version"] = "2026.2-test"
    calendar["holidays"].append({"date": "2026-01-07", "name": "Ngày nghỉ bù (thử)"})
    set_reference(city_server, "calendar", calendar, "2026.2-test")
    try:
        report = a.sync()
        assert report.reference_updated and report.reference_refused == []
        assert a.store.setting("catalogue.version") == "2027.03.1"
        assert a.store.catalogue.get("1.000894", 2).time_limit_days == 1
        assert a.store.catalogue.get("1.001193", 1).name  # the versions kept stay
        assert a.store.setting("calendar.version") == "2026.2-test"
        # New dossiers are computed with the city's calendar: Wed 07/01 is now a day off.
        [record] = a.take(1, procedure_code="1.004873",
                          received_at="2026-01-06T09:00:00+07:00")  # 3 working days
        assert record["calendar_version"] == "2026.2-test"
        assert record["due_at"] == "2026-01-12T09:00:00+07:00"
        # Dossiers computed before keep their calendar (and the rule-5 extension uses it).
        assert a.store.calendar(calendar_before).version == calendar_before
    finally:
        from server.admin import seed_reference_data

        with city_server.engine().begin() as connection:
            seed_reference_data(connection)


def test_a_malformed_reference_document_is_refused_and_the_rest_kept(machines, city_server
                                                                      ) -> None:
    a = machines("a")
    a.sync()
    calendar_before = a.store.setting("calendar.version")
    set_reference(city_server, "calendar", {"version": "2026.3-bad", "holidays": "none"},
                  "2026.3-bad")
    username = f"vy{uuid.uuid4().hex[:6]}"
    city_server.admin("user", "add", "--commune", "09661", "--username", username, "--role",
                      "officer", password="mật-khẩu-vy")
    try:
        report = a.sync()
        assert report.reference_refused == ["calendar"]
        assert a.store.setting("calendar.version") == calendar_before  # nothing damaged
        assert username in staff.usernames(a.store)  # the good part is kept
        # No ETag is kept, so a fixed document under the same version comes next time.
        assert LocalSyncStore(a.store).sync_value("reference_etag") is None
        assert a.sync().reference_refused == ["calendar"]
    finally:
        from server.admin import seed_reference_data

        with city_server.engine().begin() as connection:
            seed_reference_data(connection)
        city_server.admin("user", "disable", "--username", username)
    report = a.sync()
    assert report.reference_updated and report.reference_refused == []
    assert username not in staff.usernames(a.store)
    assert LocalSyncStore(a.store).sync_value("reference_etag")


def test_a_full_sync_asks_for_the_reference_data_again(machines) -> None:
    a = machines("a")
    a.sync()
    a.store.db.execute("DELETE FROM staff")
    assert not a.sync().reference_updated and staff.staff(a.store) == []
    assert a.sync(full=True).reference_updated
    assert "hoa" in staff.usernames(a.store)


def test_a_malformed_staff_list_keeps_the_one_there(store) -> None:
    local = LocalSyncStore(store)
    assert local.apply_reference({"staff": [{"username": "hoa", "role": "officer"}]},
                                 '"v1"') == []
    for bad in (None, "hoa", [{"username": "", "role": "officer"}],
                [{"username": "nam", "role": 3}], ["nam"]):
        assert local.apply_reference({"staff": bad}, '"v2"') == ["staff"]
    assert staff.staff(store) == [{"username": "hoa", "display_name": None, "role": "officer"}]
    assert local.sync_value("reference_etag") is None

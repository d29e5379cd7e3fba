"""Concurrent writers on PostgreSQL: revisions are taken per commune under a lock, so revision
order is commit order and no cursor skips a transaction that commits late
(docs/sync-protocol.md §5.4, ARCHITECTURE.md "Sync, in one paragraph").

A real ``communedesk-server serve --workers 3`` on a private PostgreSQL; four devices of one
commune push 150 new dossiers each, at the same time, and pull with their own cursors between
pushes. Skips without PostgreSQL outside CI (``CI=true`` makes that a failure).
On SQLite, concurrent frames on one record merge against its current state.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import make_city_server
from tests.test_server_sync import Device, dossier_fields, pull, push, sign_in

WRITERS = 4
DOSSIERS_EACH = 150
OPS_PER_FRAME = 2
FRAMES_PER_PUSH = 5


@pytest.fixture(scope="module")
def pg_city_server(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    server = make_city_server(tmp_path_factory.mktemp("city-pg"), "postgresql", request)
    server.admin("user", "add", "--commune", "09661", "--username", "hoa", "--role", "officer",
                 "--name", "Nguyễn Thị Hoa", password="mật-khẩu-hoa")
    server.start(workers=3)
    yield server
    server.stop()


def test_concurrent_writers_never_make_a_cursor_skip_a_change(pg_city_server) -> None:
    started = time.monotonic()
    server = pg_city_server
    devices = [sign_in(server, "hoa", "mật-khẩu-hoa") for _ in range(WRITERS)]

    def writer(number: int) -> tuple[list[str], list[dict]]:
        headers, device = devices[number], Device()
        ops = [device.op(f"00000000-0000-4000-8000-{number:04d}{i:08d}",
                         dossier_fields(f"09661-260106-{number * 1000 + i:04d}", f"Người {i}"),
                         create=True)
               for i in range(DOSSIERS_EACH)]
        pushed, seen, cursor = [], [], "e1:0"
        step = OPS_PER_FRAME * FRAMES_PER_PUSH
        for start in range(0, len(ops), step):
            batch = ops[start:start + step]
            frames = [batch[i:i + OPS_PER_FRAME] for i in range(0, len(batch), OPS_PER_FRAME)]
            answers = push(server, headers, *frames)
            assert [a["status"] for a in answers] == ["applied"] * len(batch), answers
            pushed += [op["id"] for op in batch]
            changes, cursor = pull(server, headers, cursor)
            seen += changes
        return pushed, seen, cursor

    with ThreadPoolExecutor(WRITERS) as pool:
        results = [future.result() for future in
                   [pool.submit(writer, n) for n in range(WRITERS)]]

    every = {record_id for pushed, _, _ in results for record_id in pushed}
    assert len(every) == WRITERS * DOSSIERS_EACH

    # One pull from the start: every record exactly once, revisions strictly increasing.
    changes, _ = pull(server, devices[0])
    revs = [c["rev"] for c in changes]
    assert all(a < b for a, b in zip(revs, revs[1:], strict=False))
    assert sorted(c["id"] for c in changes) == sorted(every)

    # Each device's pulls, cursor to cursor, plus one last pull from where it stopped, saw
    # every record once: no cursor skipped a commit that came late.
    for number, (_, seen, cursor) in enumerate(results):
        rest, _ = pull(server, devices[number], cursor)
        ids = [c["id"] for c in seen + rest]
        assert len(ids) == len(set(ids)), f"device {number} got a change twice"
        assert set(ids) == every, f"device {number} missed {len(every - set(ids))} changes"
        incremental = [c["rev"] for c in seen + rest]
        assert incremental == sorted(incremental)
    assert time.monotonic() - started < 60


def test_concurrent_frames_on_sqlite_merge_against_current_state(tmp_path) -> None:
    """On SQLite a frame's reads are inside its write transaction (``BEGIN IMMEDIATE``,
    server/db.py): eight devices that change one field each of one dossier from the same base,
    two devices a field, at the same time, give one change a field and conflicts for the rest.
    With pysqlite's default the reads ran before the transaction: stale merges applied changes
    that had to be conflicts (19 revisions instead of 5)."""
    import uuid
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from server import schema, sync_store
    from server.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    schema.migrate(engine)
    now = datetime.now(UTC)
    with engine.begin() as db:
        db.execute(schema.communes.insert().values(code="09661", name="Xã Minh Châu",
                                                   province_code=1, province_name="Hà Nội",
                                                   unit_id="000.00.20.H13"))
        db.execute(schema.users.insert().values(id=1, username="hoa", commune_code="09661",
                                                role="officer", password_hash="-",
                                                created_at=now))
        db.execute(schema.devices.insert(), [
            {"id": f"device-{i}", "commune_code": "09661", "user_id": 1, "name": "m",
             "created_at": now} for i in range(8)])
    record_id = str(uuid.uuid4())

    def op(device: int, seq: int, fields: dict) -> dict:
        return {"op_id": str(uuid.uuid4()), "seq": seq, "type": "dossier", "id": record_id,
                "base_rev": 1 if seq > 1 else 0, "fields": fields}

    sync_store.apply_ops(engine, "09661", "device-0",
                         [op(0, 1, dossier_fields("09661-260106-0001"))])
    paths = ["notes", "applicant.full_name", "received_by", "sets_count"]

    def writer(device: int) -> list[str]:
        path = paths[device % 4]
        value = device + 2 if path == "sets_count" else f"{path} {device}"
        return [sync_store.apply_ops(engine, "09661", f"device-{device}",
                                     [op(device, seq, {path: value})])[0][0]["status"]
                for seq in range(2, 32)]

    with ThreadPoolExecutor(8) as pool:
        statuses = [s for answers in pool.map(writer, range(8)) for s in answers]
    with engine.connect() as db:
        last_rev = db.execute(sa.select(schema.communes.c.last_rev)).scalar()
    assert last_rev == 1 + len(paths)  # the creation, then one change a field
    assert statuses.count("applied") + statuses.count("conflict") == len(statuses)

"""How the server applies a push body (docs/sync-protocol.md §5.2): frames that arrived together
in one transaction, whole frames only, in order; a batch's reads by full key; one SQLite
writer at a time per worker; stored JSON text.

The grouping is tested on ``server.sync_routes._arrived_ops`` with a real ``asyncio.Queue`` of
body chunks, as ``_push`` fills it; the end-to-end answers against a real server on both
databases; the rest on real SQLite files.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import threading
import time
import uuid
from datetime import UTC, datetime

import psycopg
import pytest
import sqlalchemy as sa

from server import admin, auth, driver_sql, records, schema, sync_routes, sync_store
from server.db import make_engine
from sync.protocol import FrameKind, FrameReader, ProtocolError, encode_frame
from tests.conftest import BACKENDS, sign_in
from tests.test_server_sync import Device, dossier_fields, pull, push, unique_code

DB_BACKENDS = BACKENDS

END = encode_frame(FrameKind.END, {"more": False})


def ops_frame(*ops: dict) -> bytes:
    return encode_frame(FrameKind.OPS, {"ops": list(ops)})


def new_ops(count: int) -> list[dict]:
    device = Device()
    return [device.op(str(uuid.uuid4()), dossier_fields(unique_code()), create=True)
            for _ in range(count)]


def groups_of(*chunks: bytes | None) -> tuple[list[list[str]], ProtocolError | None]:
    """The op ids of each group ``_arrived_ops`` makes of chunks that are all waiting in the
    queue already, and the error it ends with."""

    async def collect() -> tuple[list[list[str]], ProtocolError | None]:
        queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        for chunk in chunks:
            queue.put_nowait(chunk)
        groups = []
        try:
            async for ops in sync_routes._arrived_ops(queue, FrameReader()):
                groups.append([op["op_id"] for op in ops])
        except ProtocolError as error:
            return groups, error
        return groups, None

    return asyncio.run(collect())


def test_frames_that_arrived_together_are_applied_together_in_order() -> None:
    ops = new_ops(5)
    body = ops_frame(ops[0], ops[1]) + ops_frame(ops[2]) + ops_frame(ops[3], ops[4]) + END
    cut = len(body) // 2  # a chunk boundary in the middle of a frame changes nothing
    groups, error = groups_of(body[:cut], body[cut:], None)
    assert error is None
    assert groups == [[op["op_id"] for op in ops]]


def test_a_group_holds_whole_frames_up_to_its_limit(monkeypatch) -> None:
    monkeypatch.setattr(sync_routes, "MAX_GROUP_OPS", 3)
    ops = new_ops(6)
    ids = [op["op_id"] for op in ops]
    body = ops_frame(*ops[:2]) + ops_frame(*ops[2:4]) + ops_frame(*ops[4:]) + END
    groups, error = groups_of(body, None)
    assert error is None
    assert groups == [ids[:2], ids[2:4], ids[4:]]  # 2 + 2 would pass 3: never a split frame


def test_the_frames_before_a_bad_frame_are_still_applied() -> None:
    ops = new_ops(2)
    bad = encode_frame(FrameKind.OPS, {"ops": "not a list"})
    groups, error = groups_of(ops_frame(ops[0]) + ops_frame(ops[1]) + bad + END, None)
    assert groups == [[ops[0]["op_id"], ops[1]["op_id"]]]
    assert error is not None and error.code == "bad_frame"


def test_a_frame_cut_short_is_not_applied() -> None:
    ops = new_ops(2)
    groups, error = groups_of(ops_frame(ops[0]) + ops_frame(ops[1])[:-3], None)
    assert error is None and groups == [[ops[0]["op_id"]]]


def test_later_frames_of_one_body_see_what_earlier_ones_did(city_server) -> None:
    """Three frames in one body (one transaction): a create, a change to it, and a second
    dossier with the same code; the answers are those of three separate pushes."""
    headers = sign_in(city_server, "hoa", "mật-khẩu-hoa")
    device, record_id, code = Device(), str(uuid.uuid4()), unique_code()
    create = device.op(record_id, dossier_fields(code), create=True)
    change = device.op(record_id, {"notes": "Bổ sung giấy tờ"}, base_rev=0)
    twin = device.op(str(uuid.uuid4()), dossier_fields(code, "Trần Thị Lan"), create=True)
    answers = push(city_server, headers, [create], [change], [twin])
    assert [a["status"] for a in answers] == ["applied", "applied", "conflict"]
    assert answers[1]["rev"] == answers[0]["rev"] + 1
    assert answers[2]["reason"] == "code_taken"
    changes, _ = pull(city_server, headers)
    [ours] = [c for c in changes if c["id"] == record_id]
    assert ours["rev"] == answers[1]["rev"]
    assert ours["record"]["notes"] == "Bổ sung giấy tờ"
    assert ours["record"]["code"] == code


def test_a_batchs_reads_use_the_whole_key(tmp_path) -> None:
    """The records, dossier codes, answers and register numbers of a batch are looked up by
    their full key: a push into a commune with many records reads as much as into an empty
    one (the records' lookup once scanned every record of the commune)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    statements: list[str] = []  # as SQLite runs them, values in place
    sa.event.listen(engine, "connect",
                    lambda connection, _r: connection.set_trace_callback(statements.append))
    schema.migrate(engine)
    with engine.begin() as db:
        db.execute(schema.communes.insert().values(code="09661", name="Xã Minh Châu",
                                                   province_code=1, province_name="Hà Nội",
                                                   unit_id="000.00.20.H13"))
    ops = new_ops(2) + [{**Device().op(str(uuid.uuid4()), {"summary": "Công văn"},
                                       create=True, kind="incoming_document")}]
    sync_store.apply_ops(engine, "09661", "no-such-device", ops)
    engine.dispose()
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")
             and "json_each" in sql]
    assert len(reads) == 4, reads  # records, dossier codes, register numbers, answers
    with sqlite3.connect(tmp_path / "server.db") as raw:
        for sql in reads:
            table = re.search(r"FROM\s+(\w+)", sql)[1]
            plan = [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}")
                    if f" {table} " in f"{row[3]} "]
            # The table is searched by its whole key, every column bound: nothing scanned.
            key = {"records": 3, "register_numbers": 3}.get(table, 2)
            assert len(plan) == 1 and plan[0].startswith("SEARCH"), (sql, plan)
            assert plan[0].count("=?") == key, (sql, plan)


def _scans(plan: dict) -> list[dict]:
    """Every node of an EXPLAIN (FORMAT JSON) plan that reads a table."""
    found = [plan] if "Relation Name" in plan else []
    for child in plan.get("Plans", []):
        found += _scans(child)
    return found


def test_a_batchs_reads_probe_the_key_on_postgresql_whatever_its_statistics(
        postgres_server) -> None:
    """On PostgreSQL a batch's reads probe the table's primary key a key even when the
    planner knows nothing of the tables (a new database before autovacuum's first ANALYZE)
    and uses its generic plan (psycopg prepares a statement at its fifth run). With
    ``= ANY(…)`` tests, such plans scanned every row of the commune and compared each with
    the batch's list: 30–45 ms a push at 5,000 records a commune, growing with it."""
    engine = make_engine(postgres_server.create_database())
    schema.migrate(engine)
    tables = ("records", "op_results", "dossier_codes", "register_numbers")
    with engine.begin() as db:
        db.execute(schema.communes.insert().values(code="09661", name="Xã Minh Châu",
                                                   province_code=1, province_name="Hà Nội",
                                                   unit_id="000.00.20.H13"))
        for table in tables:  # no ANALYZE while the test runs
            db.execute(sa.text(f"ALTER TABLE {table} SET (autovacuum_enabled = off)"))
    documents = [Device().op(str(uuid.uuid4()), {"summary": "Công văn"}, create=True,
                             kind="incoming_document") for _ in range(2)]
    for _ in range(15):
        sync_store.apply_ops(engine, "09661", "no-such-device", new_ops(100) + documents)
    lookups = {key: sql for key, sql in driver_sql._lookups.items()
               if key[1] == "postgresql"}
    assert {table.name for table, *_ in lookups} == set(tables)
    with engine.connect() as db:
        raw = db.connection.driver_connection
        stored = {table: raw.execute(f"SELECT * FROM {table} LIMIT 20").fetchall()
                  for table in tables}
        for (table, _dialect, _columns, key), sql in lookups.items():
            names = [column.name for column in schema.metadata.tables[table.name].c]
            keys = [[row[names.index(column)] for column in key]
                    for row in stored[table.name]] + [["no-such"] * len(key)]
            for mode in ("force_generic_plan", "auto"):
                raw.execute(f"SET plan_cache_mode = {mode}")
                raw.execute("PREPARE lookup(json, varchar) AS "
                            + sql.replace("%s", "$1", 1).replace("%s", "$2", 1))
                [[[plan]]] = psycopg.ClientCursor(raw).execute(
                    "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE lookup(%s, %s)",
                    (json.dumps(keys), "09661")).fetchall()
                raw.execute("DEALLOCATE lookup")
                assert plan["Plan"]["Actual Rows"] == len(keys) - 1, (sql, plan)
                primary = [column.name for column in table.primary_key.columns]
                if primary != ["commune_code", *key]:
                    # register_numbers, read by its other unique index: without statistics
                    # the planner may walk the primary key's (commune, kind) prefix instead.
                    continue
                for scan in _scans(plan["Plan"]):
                    assert scan["Node Type"] == "Index Scan", (mode, sql, scan)
                    assert all(column in scan["Index Cond"] for column in key), (mode, scan)
                    assert not scan.get("Rows Removed by Filter"), (mode, scan)
    engine.dispose()


def _signed_in_officer(engine: sa.Engine) -> auth.Identity:
    """A new database with Minh Châu, an officer of it and a device signed in: the caller."""
    schema.migrate(engine)
    with engine.begin() as db:
        db.execute(schema.communes.insert().values(code="09661", name="Xã Minh Châu",
                                                   province_code=1, province_name="Hà Nội",
                                                   unit_id="000.00.20.H13"))
    admin.add_user(engine, "canbo", "officer", "mật khẩu dài 12", "09661")
    device_id = str(uuid.uuid4())
    auth.login(engine, "canbo", "mật khẩu dài 12", device_id, "Máy 1", datetime.now(UTC))
    with engine.connect() as db:
        user_id = db.execute(sa.select(schema.users.c.id)).scalar_one()
    return auth.Identity(device_id=device_id, user_id=user_id, username="canbo",
                         role="officer", commune_code="09661")


def test_a_batch_waits_for_postgresql_a_fixed_few_times(postgres_server, tmp_path) -> None:
    """A batch sends its lock and reads together, then its writes together (psycopg's
    pipeline mode): a push waits for PostgreSQL about four times (BEGIN, reads, writes,
    COMMIT; a fifth to check a connection that rested in the pool) whatever it touches, where it waited once a statement (14 times for a
    batch of dossiers, documents and a retry), each wait a round trip while the commune's
    lock is held. Counted in libpq's own trace of what the client sent: a wait is a Sync
    (the end of a statement, or of a pipeline) or a simple Query."""
    engine = make_engine(postgres_server.create_database())
    device_id = _signed_in_officer(engine).device_id
    device = Device()
    device.seq = 10  # the batch's mark moves from 3 to 12
    stored = new_ops(3)
    sync_store.apply_ops(engine, "09661", device_id, stored)
    batch = [*stored[:1],  # a retry: its first answer comes back
             device.op(stored[1]["id"], {"notes": "đã bổ sung"}, base_rev=1),
             *new_ops(3),
             device.op(str(uuid.uuid4()), {  # not numbered: no lease needed
                 "register_year": 2026, "series": "ordinary", "author": "UBND huyện",
                 "arrived_at": "2026-01-06T08:30:00+07:00", "doc_type": "CV",
                 "summary": "Về việc tiêm chủng", "arrival_number": None}, create=True,
                 kind="incoming_document")]
    trace_file = tmp_path / "libpq.trace"

    @sa.event.listens_for(engine, "checkout")
    def _trace(dbapi_connection, _record, _proxy) -> None:  # noqa: ANN001
        dbapi_connection.pgconn.trace(trace.fileno())
        dbapi_connection.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)

    with open(trace_file, "w") as trace:
        answers, mark = sync_store.apply_ops(engine, "09661", device_id, batch)
        with engine.connect() as db:
            db.connection.driver_connection.pgconn.untrace()
    assert [answer["status"] for answer in answers] == [
        "duplicate", "applied", "applied", "applied", "applied", "applied"]
    assert mark == 12  # from the UPDATE … RETURNING sent in the writes' pipeline
    sent = [line.split("\t") for line in trace_file.read_text().splitlines()]
    waits = [fields[2] for fields in sent if fields[0] == "F" and fields[2] in ("Sync", "Query")]
    assert 3 <= len(waits) <= 6, waits
    engine.dispose()


def test_pushes_keep_their_prepared_statements_on_postgresql(postgres_server) -> None:
    """After a few groups, each as a push applies it (the account check, then the batch), a
    group's statements run as statements PostgreSQL has prepared: psycopg prepares a statement
    on its fifth run on a connection and forgets them all when that connection rolls back, and
    the account check, ended with a ROLLBACK, made PostgreSQL parse and plan every statement
    of every push again."""
    engine = make_engine(postgres_server.create_database())
    caller = _signed_in_officer(engine)
    engine.dispose()  # one connection from here on: the pool hands it back each time
    for _ in range(7):
        answers, _mark = sync_routes._apply_group(engine, caller, new_ops(2))
        assert [answer["status"] for answer in answers] == ["applied", "applied"]
    with engine.begin() as db:
        prepared = db.exec_driver_sql(
            "SELECT statement FROM pg_prepared_statements").scalars().all()
    assert any(statement.startswith("INSERT INTO records") for statement in prepared), prepared
    assert any("FROM op_results" in statement for statement in prepared), prepared
    engine.dispose()


def test_field_writers_are_stored_whole_unless_one_device_wrote_every_field(
        new_db_url) -> None:
    """A record one device wrote alone stores ``{}`` for its writers (its sole writer says
    it); a record with a field of no known writer (stored before schema v2) keeps that field
    unknown once a device writes another: that device's stale change to it conflicts."""
    engine = make_engine(new_db_url())
    schema.migrate(engine)
    with engine.begin() as db:
        db.execute(schema.communes.insert().values(code="09661", name="Xã Minh Châu",
                                                   province_code=1, province_name="Hà Nội",
                                                   unit_id="000.00.20.H13"))
    record_id, device = str(uuid.uuid4()), Device()
    r = schema.records

    def stored() -> tuple[str, str | None]:
        with engine.connect() as db:
            return db.execute(sa.select(r.c.field_writers, r.c.sole_writer)
                              .where(r.c.id == record_id)).one()

    [created], _ = sync_store.apply_ops(engine, "09661", "device-a", [
        device.op(record_id, dossier_fields(unique_code()), create=True)])
    assert created["status"] == "applied" and stored() == ("{}", "device-a")
    [own], _ = sync_store.apply_ops(engine, "09661", "device-a", [
        device.op(record_id, {"notes": "máy A"}, base_rev=0)])
    assert own["status"] == "applied"  # its own fields, read back from "{}"
    with engine.begin() as db:  # as a record stored before schema v2 reads
        db.execute(r.update().where(r.c.id == record_id)
                   .values(field_writers="{}", sole_writer=None))
    [notes], _ = sync_store.apply_ops(engine, "09661", "device-b", [
        device.op(record_id, {"notes": "máy B"}, base_rev=own["rev"])])
    assert notes["status"] == "applied"
    writers, sole = stored()
    assert (json.loads(writers), sole) == ({"notes": "device-b"}, "device-b")
    [stale], _ = sync_store.apply_ops(engine, "09661", "device-b", [
        device.op(record_id, {"applicant.phone": "+84987654321"}, base_rev=0)])
    assert stale["status"] == "conflict" and list(stale["fields"]) == ["applicant.phone"]
    engine.dispose()


def test_pushes_compile_their_statements_once(tmp_path) -> None:
    """A long-running server compiles a push's statements once: every SQLite push compiled
    its three INSERTs again and kept each copy, a leak of a few kilobytes a push."""
    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    schema.migrate(engine)
    with engine.begin() as db:
        db.execute(schema.communes.insert().values(code="09661", name="Xã Minh Châu",
                                                   province_code=1, province_name="Hà Nội",
                                                   unit_id="000.00.20.H13"))
    sync_store.apply_ops(engine, "09661", "no-such-device", new_ops(2))
    remembered = len(driver_sql._compiled)
    for _ in range(3):
        answers, _mark = sync_store.apply_ops(engine, "09661", "no-such-device", new_ops(2))
        assert {answer["status"] for answer in answers} == {"applied"}
    assert len(driver_sql._compiled) == remembered
    engine.dispose()


def test_writers_of_one_worker_queue_without_sqlites_busy_handler(tmp_path) -> None:
    """Two threads of one worker write at once: the second waits for the first's commit on the
    worker's lock. SQLite's busy handler is disabled here, so without that lock the second
    would fail with "database is locked" (with it, it polled in sleeps of up to 100 ms)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    sa.event.listen(engine, "connect",
                    lambda connection, _r: connection.execute("PRAGMA busy_timeout = 0"))
    schema.migrate(engine)
    inside = threading.Event()
    order: list[str] = []

    def first() -> None:
        with engine.begin() as db:
            db.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            inside.set()
            time.sleep(0.3)
            order.append("first")

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(10)
    with engine.begin() as db:
        db.exec_driver_sql("INSERT INTO t VALUES (1)")
        order.append("second")
    thread.join()
    engine.dispose()
    assert order == ["first", "second"]


@pytest.mark.parametrize("value", [
    {"applicant": {"full_name": "Nguyễn Văn Đức"}, "notes": "a\x00b\u2028\"\\", "n": None},
    {"count": 10**30, "list": [1.5, -0.0, 1e300, True]},  # beyond 64 bits: json's text
    [{"đ": "Đ"}, "ư", 2**63 - 1],
])
def test_stored_json_text_reads_back_as_the_same_value(value) -> None:
    text = records.to_json(value)
    assert json.loads(text) == value
    assert " " not in text.replace("Nguyễn Văn Đức", "")  # compact
    assert "\\u1" not in text  # Vietnamese kept as UTF-8, not escaped
    assert records.storable(value)


def test_lone_surrogates_are_not_storable_however_large_the_numbers() -> None:
    assert not records.storable({"notes": "\ud800"})
    assert not records.storable({"count": 10**30, "notes": "x\udfff"})
    assert records.storable({"count": 10**30, "notes": "x"})


def test_writers_waiting_together_share_one_commit_and_fail_alone(tmp_path) -> None:
    """``db.write_together`` on SQLite: eight threads that wait for the writer at once are
    committed together (fewer commits than writers), and the one whose work fails loses its
    own writes only, and gets its own error."""
    from server.db import write_together

    engine = make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    with engine.begin() as db:
        db.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    commits = []
    sa.event.listen(engine, "commit", lambda _connection: commits.append(1))
    start = threading.Barrier(8)

    def work(number: int) -> int:
        def write(db: sa.Connection) -> int:
            db.exec_driver_sql(f"INSERT INTO t VALUES ({number})")
            time.sleep(0.05)  # the others queue meanwhile
            if number == 3:
                raise ValueError("số 3 hỏng")
            return number
        start.wait()
        return write_together(engine, write)

    results: dict[int, object] = {}

    def run(number: int) -> None:
        try:
            results[number] = work(number)
        except ValueError as error:
            results[number] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as db:
        kept = sorted(x for (x,) in db.exec_driver_sql("SELECT x FROM t"))
    engine.dispose()
    assert kept == [0, 1, 2, 4, 5, 6, 7]
    assert isinstance(results.pop(3), ValueError)
    assert results == {n: n for n in (0, 1, 2, 4, 5, 6, 7)}
    assert len(commits) < 8, commits

"""The reads the server runs on its event loop (server/loop_reads.py): the token check and the
empty pull's head, on SQLite and on PostgreSQL (where they are prepared statements run through
libpq, their values read in binary): each gives the row SQLAlchemy gives for the same statement,
with every column type the loop reads (text, integers, booleans, timestamps with microseconds,
NULLs), and nothing for an unknown token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from server import auth, schema
from server.db import make_engine
from server.loop_reads import LoopReader
from server.sync_routes import _PULL_CALLER
from server.sync_store import EPOCH_SETTING
from tests.conftest import BACKENDS

DB_BACKENDS = BACKENDS
EXPIRES = datetime(2026, 11, 27, 3, 4, 5, 678901, tzinfo=UTC)
CREATED = datetime(2025, 7, 1, 0, 0, tzinfo=UTC)


@pytest.fixture
def engine(new_db_url):
    engine = make_engine(new_db_url())
    schema.migrate(engine)
    with engine.begin() as db:
        db.execute(schema.communes.insert().values(
            code="09661", name="Xã Minh Châu", province_code=1, province_name="Hà Nội",
            unit_id="000.00.20.H13", last_rev=9_000_000_000))  # beyond 32 bits
        db.execute(schema.settings.insert().values(key=EPOCH_SETTING, value="3"))
        for number, (disabled, revoked, contact) in enumerate(
                [(False, False, None), (True, True, EXPIRES - timedelta(days=400))], 1):
            db.execute(schema.users.insert().values(
                id=number, username=f"Nguyễn Đức {number}", commune_code="09661",
                role="officer", password_hash="x", disabled=disabled, created_at=CREATED))
            db.execute(schema.devices.insert().values(
                id=f"device-{number}", commune_code="09661", user_id=number, name="Máy 1",
                revoked=revoked, last_contact=contact, created_at=CREATED))
            db.execute(schema.tokens.insert().values(
                token_hash=f"hash-{number}", kind="access", device_id=f"device-{number}",
                user_id=number, expires_at=EXPIRES, revoked=revoked))
    yield engine
    engine.dispose()


@pytest.mark.parametrize("statement", [auth.CALLER, _PULL_CALLER], ids=["token", "pull head"])
def test_the_loop_reads_what_sqlalchemy_reads(engine, statement) -> None:
    reads = LoopReader(engine)
    try:
        for number in (1, 2):
            params = {"token_hash": f"hash-{number}"}
            with engine.connect() as db:
                expected = db.execute(statement, params).one()
            row = reads.row(statement, params)
            assert row is not None
            assert row._asdict() == expected._asdict()
            # SQLite's timestamps come back naive (UTC), as SQLAlchemy reads them
            assert row.expires_at.replace(tzinfo=row.expires_at.tzinfo or UTC) == EXPIRES
        assert reads.row(statement, {"token_hash": "hash-1"}).last_contact is None
        assert reads.row(statement, {"token_hash": "hash-2"}).device_revoked is True
        assert reads.row(statement, {"token_hash": "no such token"}) is None
        if statement is _PULL_CALLER:
            head = reads.row(statement, {"token_hash": "hash-1"})
            assert (head.epoch, head.newest_rev) == ("3", 9_000_000_000)
    finally:
        reads.close()


def test_a_column_type_postgresql_reads_cannot_parse_is_refused_before_any_request(engine
                                                                                     ) -> None:
    """On PostgreSQL the loop reads binary values of known types only; a statement with
    another type fails when it is first prepared, not with a wrong value. SQLite's reads go
    through the driver's cursor, which reads any type."""
    statement = sa.select(sa.cast(sa.literal_column("1.5"), sa.Float).label("ratio"))
    reads = LoopReader(engine)
    try:
        if engine.dialect.name == "postgresql":
            with pytest.raises(TypeError, match="no binary reader"):
                reads.row(statement, {})
        else:
            assert reads.row(statement, {}).ratio == 1.5
    finally:
        reads.close()

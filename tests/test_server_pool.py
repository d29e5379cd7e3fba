"""How the server's pool hands out PostgreSQL connections (server/db.py): a connection that
rested in the pool is checked and replaced if PostgreSQL dropped it; one in steady use is
handed out without a round trip. On a real PostgreSQL, whose backends are ended with
``pg_terminate_backend`` as a restart or an idle timeout would end them."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

from server import db


def _end_the_servers_sessions(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as admin:
        return admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]


def _read(engine: sa.Engine) -> int:
    with db.reading(engine) as connection:
        return connection.execute(sa.text("SELECT 41 + 1")).scalar_one()


def test_a_connection_dropped_while_it_rested_is_replaced(postgres_server, monkeypatch
                                                          ) -> None:
    url = postgres_server.create_database()
    engine = db.make_engine(url)
    assert _read(engine) == 42
    assert _end_the_servers_sessions(url) == 1
    monkeypatch.setattr(db, "IDLE_BEFORE_PING", 0.0)  # it has rested long enough
    assert _read(engine) == 42  # a new connection, not an error
    engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged(postgres_server, monkeypatch) -> None:
    """No round trip before each use; a connection PostgreSQL dropped meanwhile fails the
    statement that finds out (the client sends its request again), and the pool is renewed."""
    url = postgres_server.create_database()
    engine = db.make_engine(url)
    pings = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping",
                        lambda connection: pings.append(1) or real_ping(connection))
    for _ in range(5):
        assert _read(engine) == 42
    assert pings == []
    _end_the_servers_sessions(url)
    with pytest.raises(sa.exc.OperationalError):
        _read(engine)
    assert _read(engine) == 42
    engine.dispose()

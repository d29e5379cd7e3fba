"""Where the server's data lives: the data folder, its config, and the database engine.

The data folder holds ``server.json`` (the database URL, written 0600 because a PostgreSQL URL
may carry a password) and, for the embedded default, ``server.db`` (SQLite, WAL). A URL in
``COMMUNEDESK_DB_URL`` wins over the file, so production can keep the password out of it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import sqlalchemy as sa

DATA_DIR_ENV = "COMMUNEDESK_SERVER_DATA_DIR"
DB_URL_ENV = "COMMUNEDESK_DB_URL"


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'server.db'}"


def save_url(data_dir: Path, url: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "server.json"
    config.write_text(json.dumps({"db_url": url}) + "\n", encoding="utf-8")
    os.chmod(config, 0o600)


def configured_url(data_dir: Path) -> str:
    if os.environ.get(DB_URL_ENV):
        return os.environ[DB_URL_ENV]
    config = data_dir / "server.json"
    if config.exists():
        return json.loads(config.read_text("utf-8"))["db_url"]
    return default_url(data_dir)


def make_engine(url: str) -> sa.Engine:
    """An engine for a ``sqlite:///…`` or ``postgresql://…`` URL (psycopg 3 for the latter)."""
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA busy_timeout = 30000")
            cursor.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True)

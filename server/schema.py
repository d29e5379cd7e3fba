"""The server database: one schema for SQLite and PostgreSQL (SQLAlchemy Core), and its
versioned, forward-only migrations.

Every table that holds commune data carries ``commune_code`` and every query filters on it
(ARCHITECTURE.md invariant 6). Times are timezone-aware UTC. ``migrate`` brings any database to
the newest version; each step runs in its own transaction and records itself in
``schema_version``.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

communes = sa.Table(
    "communes", metadata,
    sa.Column("code", sa.String(5), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("province_code", sa.Integer, nullable=False),
    sa.Column("province_name", sa.Text, nullable=False),
    sa.Column("unit_id", sa.String(40), nullable=False),
    # Last revision given in this commune; taken under a row lock (docs/sync-protocol.md §5.4).
    sa.Column("last_rev", sa.BigInteger, nullable=False, server_default="0"),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("commune_code", sa.String(5), sa.ForeignKey("communes.code"), nullable=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("display_name", sa.Text, nullable=False, server_default=""),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

devices = sa.Table(
    "devices", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("commune_code", sa.String(5), sa.ForeignKey("communes.code"), nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("slot_first", sa.Integer, nullable=True),
    sa.Column("slot_last", sa.Integer, nullable=True),
    sa.Column("app_version", sa.String(40), nullable=True),
    sa.Column("pending", sa.Integer, nullable=True),
    sa.Column("last_contact", sa.DateTime(timezone=True), nullable=True),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # The highest outbox sequence number of this device the server has applied (push mark).
    sa.Column("applied_through", sa.BigInteger, nullable=False, server_default="0"),
    sa.UniqueConstraint("commune_code", "slot_first", name="devices_slot_unique"),
)


tokens = sa.Table(
    "tokens", metadata,
    # SHA-256 of the token: a copied database holds no usable token.
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),  # "access" or "refresh"
    sa.Column("device_id", sa.String(36), sa.ForeignKey("devices.id"), nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    # A rotated refresh token stays usable until this moment (the refresh grace period).
    sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("replaced_by", sa.String(64), nullable=True),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("tokens_device", "device_id"),
)


reference_data = sa.Table(
    "reference_data", metadata,
    # City-wide documents the clients pull: the procedure catalogue, the calendar snapshot.
    sa.Column("kind", sa.String(40), primary_key=True),
    sa.Column("version", sa.String(64), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


def _records_table(meta: sa.MetaData, *, writers: bool) -> sa.Table:
    """Synced records; ``writers``: with v2's ``field_writers`` (path -> the device that made
    the field's last change, JSON; docs/decisions/0005) and ``sole_writer``."""
    extra = [sa.Column("field_writers", sa.Text, nullable=False, server_default="{}"),
             # The device that made every field's last change, when one did (else NULL): a
             # pull asking to omit its own changes skips these rows (docs/sync-protocol.md §5.3).
             sa.Column("sole_writer", sa.String(36), nullable=True)]
    return sa.Table(
        "records", meta,
        sa.Column("commune_code", sa.String(5), sa.ForeignKey("communes.code"),
                  primary_key=True),
        sa.Column("type", sa.String(64), primary_key=True),
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("rev", sa.BigInteger, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("body", sa.Text, nullable=False),  # the whole record, JSON
        sa.Column("field_revs", sa.Text, nullable=False),  # dotted path -> revision, JSON
        *(extra if writers else []),
        sa.Index("records_by_rev", "commune_code", "rev", unique=True),
    )


records = _records_table(metadata, writers=True)

# Dossier codes are unique per commune (docs/decisions/0001).
dossier_codes = sa.Table(
    "dossier_codes", metadata,
    sa.Column("commune_code", sa.String(5), primary_key=True),
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("record_id", sa.String(36), nullable=False),
)

# The first answer to every operation, so a retry gets it again (invariant 2).
op_results = sa.Table(
    "op_results", metadata,
    sa.Column("commune_code", sa.String(5), primary_key=True),
    sa.Column("op_id", sa.String(36), primary_key=True),
    sa.Column("device_id", sa.String(36), nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Index("op_results_by_device", "device_id", "seq"),
)


def _v1(connection: sa.Connection) -> None:
    """Directory, accounts, devices, tokens, reference data, records and operation answers.

    A later migration must not build on ``metadata`` (it moves on); it states its own DDL.
    """
    for table in (settings, communes, users, devices, tokens, reference_data, dossier_codes,
                  op_results):
        table.create(connection)
    frozen = sa.MetaData()
    for table in (communes,):  # what the v1 records table refers to
        table.to_metadata(frozen)
    _records_table(frozen, writers=False).create(connection)


def _v2(connection: sa.Connection) -> None:
    """Each field's last writer, so a device never conflicts with its own change
    (docs/decisions/0005), and the record's sole writer, so a pull can leave out what the
    puller itself wrote."""
    connection.execute(sa.text(
        "ALTER TABLE records ADD COLUMN field_writers TEXT NOT NULL DEFAULT '{}'"))
    connection.execute(sa.text("ALTER TABLE records ADD COLUMN sole_writer VARCHAR(36)"))


MIGRATIONS: list[Callable[[sa.Connection], None]] = [_v1, _v2]


def current_version(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("schema_version"):
            return 0
        return connection.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def migrate(engine: sa.Engine, *, stop_before: int | None = None) -> int:
    """Apply every pending migration (up to ``stop_before``, for tests); return the version."""
    from datetime import UTC, datetime

    with engine.begin() as connection:
        schema_version.create(connection, checkfirst=True)
    version = current_version(engine)
    last = len(MIGRATIONS) if stop_before is None else stop_before - 1
    for number in range(version + 1, last + 1):
        with engine.begin() as connection:
            MIGRATIONS[number - 1](connection)
            connection.execute(schema_version.insert().values(
                version=number, applied_at=datetime.now(UTC)))
    return current_version(engine)

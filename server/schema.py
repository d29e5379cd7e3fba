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

# Register leases (docs/decisions/0009): one per commune, kind and series; a row appears at the
# first acquire or transfer (a pair without one is free, at epoch 0).
register_leases = sa.Table(
    "register_leases", metadata,
    sa.Column("commune_code", sa.String(5), sa.ForeignKey("communes.code"), primary_key=True),
    sa.Column("kind", sa.String(10), primary_key=True),  # incoming | outgoing
    sa.Column("series", sa.String(10), primary_key=True),  # ordinary | secret
    sa.Column("holder_device_id", sa.String(36), sa.ForeignKey("devices.id"), nullable=True),
    sa.Column("epoch", sa.Integer, nullable=False, server_default="0"),
    sa.Column("since", sa.DateTime(timezone=True), nullable=True),
)

# Every move of a lease: who, when, from which device to which, forced or not.
lease_log = sa.Table(
    "lease_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("commune_code", sa.String(5), sa.ForeignKey("communes.code"), nullable=False),
    # The entry's number within its commune (1, 2, …; taken under the commune's lock): what
    # the API shows, since the global id would let a commune count the others' moves.
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("series", sa.String(10), nullable=False),
    sa.Column("action", sa.String(10), nullable=False),  # acquire | release | transfer
    sa.Column("from_device", sa.String(36), nullable=True),
    sa.Column("to_device", sa.String(36), nullable=True),
    sa.Column("actor", sa.String(64), nullable=False),  # the username (server-cli: the CLI)
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("forced", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("lease_log_by_commune", "commune_code", "seq", unique=True),
)

# The numbers the commune's registers hold: one row per numbered incoming or outgoing document
# (live or deleted), so a number is unique in its register (kind, year, series) even if the
# checks in server/sync_store.py were bypassed, and the highest one per year is one query.
register_numbers = sa.Table(
    "register_numbers", metadata,
    sa.Column("commune_code", sa.String(5), sa.ForeignKey("communes.code"), primary_key=True),
    sa.Column("kind", sa.String(10), primary_key=True),
    sa.Column("register_year", sa.Integer, primary_key=True),
    sa.Column("series", sa.String(10), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("record_id", sa.String(36), nullable=False),
    sa.Index("register_numbers_by_record", "commune_code", "kind", "record_id", unique=True),
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


def _v3(connection: sa.Connection) -> None:
    """Register leases, their log, and the numbers each register holds (docs/decisions/0009),
    filled from the incoming and outgoing documents already stored (the first by revision keeps
    a number two of them share)."""
    import json

    connection.execute(sa.text(
        "CREATE TABLE register_leases ("
        " commune_code VARCHAR(5) NOT NULL REFERENCES communes (code),"
        " kind VARCHAR(10) NOT NULL, series VARCHAR(10) NOT NULL,"
        " holder_device_id VARCHAR(36) REFERENCES devices (id),"
        " epoch INTEGER DEFAULT '0' NOT NULL, since TIMESTAMP WITH TIME ZONE,"
        " PRIMARY KEY (commune_code, kind, series))"))
    serial = ("SERIAL" if connection.dialect.name == "postgresql"
              else "INTEGER")  # SQLite: an INTEGER PRIMARY KEY is the rowid
    connection.execute(sa.text(
        f"CREATE TABLE lease_log (id {serial} NOT NULL PRIMARY KEY,"
        " commune_code VARCHAR(5) NOT NULL REFERENCES communes (code), seq INTEGER NOT NULL,"
        " kind VARCHAR(10) NOT NULL, series VARCHAR(10) NOT NULL, action VARCHAR(10) NOT NULL,"
        " from_device VARCHAR(36), to_device VARCHAR(36), actor VARCHAR(64) NOT NULL,"
        " at TIMESTAMP WITH TIME ZONE NOT NULL, forced BOOLEAN DEFAULT false NOT NULL)"))
    connection.execute(sa.text(
        "CREATE UNIQUE INDEX lease_log_by_commune ON lease_log (commune_code, seq)"))
    connection.execute(sa.text(
        "CREATE TABLE register_numbers ("
        " commune_code VARCHAR(5) NOT NULL REFERENCES communes (code),"
        " kind VARCHAR(10) NOT NULL, register_year INTEGER NOT NULL,"
        " series VARCHAR(10) NOT NULL, number INTEGER NOT NULL,"
        " record_id VARCHAR(36) NOT NULL,"
        " PRIMARY KEY (commune_code, kind, register_year, series, number))"))
    connection.execute(sa.text(
        "CREATE UNIQUE INDEX register_numbers_by_record"
        " ON register_numbers (commune_code, kind, record_id)"))
    fields = {"incoming_document": ("incoming", "arrival_number"),
              "outgoing_document": ("outgoing", "number")}
    taken: set[tuple] = set()
    rows = []
    for commune, kind, record_id, body in connection.execute(sa.text(
            "SELECT commune_code, type, id, body FROM records"
            " WHERE type IN ('incoming_document', 'outgoing_document') ORDER BY rev")):
        record = json.loads(body)
        register, field = fields[kind]
        key = (commune, register, record.get("register_year"), record.get("series"),
               record.get(field))
        if not (_whole(key[2]) and key[3] in ("ordinary", "secret") and _whole(key[4])):
            continue
        if key not in taken:
            taken.add(key)
            rows.append({"c": commune, "k": register, "y": key[2], "s": key[3], "n": key[4],
                         "r": record_id})
    if rows:
        connection.execute(sa.text(
            "INSERT INTO register_numbers (commune_code, kind, register_year, series, number,"
            " record_id) VALUES (:c, :k, :y, :s, :n, :r)"), rows)


def _whole(value: object) -> bool:
    """A positive integer that fits the register columns (not a bool)."""
    return type(value) is int and 1 <= value < 2**31


MIGRATIONS: list[Callable[[sa.Connection], None]] = [_v1, _v2, _v3]


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

"""``communedesk doctor``: is this profile healthy?

Checks the database (SQLCipher's and SQLite's integrity checks, foreign keys), the blobs (every
attachment's blob present, decrypting and matching its hash; a secret document's attachments
are metadata only and have none), the outbox (every unsent operation
readable and pointing at a record that exists, or at an attachment removed here whose tombstone
waits in the outbox) and the search index (one entry per dossier).
Returns findings as codes with details; an empty list means healthy. Read-only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlite_utils

from app.blobs import BlobError
from app.documents import of_secret_document
from app.store import (
    ATTACHMENT,
    DELETED,
    DOCUMENT_EVENT,
    DOSSIER,
    DOSSIER_EVENT,
    INCOMING_DOCUMENT,
    OUTGOING_DOCUMENT,
    REMOVABLE_TYPES,
    STATEFUL_TABLES,
    Store,
)

_RECORD_TABLES = {DOSSIER: "dossiers", DOSSIER_EVENT: "dossier_events", ATTACHMENT: "attachments",
                  INCOMING_DOCUMENT: "incoming_documents",
                  OUTGOING_DOCUMENT: "outgoing_documents", DOCUMENT_EVENT: "document_events"}


@dataclass(frozen=True)
class Finding:
    code: str
    detail: str


def examine(store: Store) -> list[Finding]:
    db = store.db
    findings: list[Finding] = []
    integrity = [r[0] for r in db.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        findings += [Finding("database_integrity", line) for line in integrity[:20]]
    findings += [Finding("cipher_integrity", str(r[0]))
                 for r in db.execute("PRAGMA cipher_integrity_check")]
    findings += [Finding("foreign_key", f"{r[0]} row {r[1]} -> {r[2]}")
                 for r in db.execute("PRAGMA foreign_key_check")]

    for attachment_id, sha256 in db.execute(  # a secret document's: metadata only, no blob
            f"SELECT id, sha256 FROM attachments WHERE NOT {of_secret_document()}"):  # noqa: S608
        try:
            store.blobs.get(sha256)
        except BlobError as error:
            findings.append(Finding("blob", f"attachment {attachment_id}: {error}"))

    for seq, record_type, record_id, fields in db.execute(
        "SELECT seq, record_type, record_id, fields FROM outbox WHERE sent_at IS NULL"
    ):
        table = _RECORD_TABLES.get(record_type)
        try:
            names = json.loads(fields) if fields is not None else []
            readable = isinstance(names, list) and all(isinstance(n, str) for n in names)
        except ValueError:
            readable = False
        if not readable:
            findings.append(Finding("outbox", f"operation {seq}: unreadable field list"))
        if table is None:
            findings.append(Finding("outbox", f"operation {seq}: unknown type {record_type}"))
        elif (db.execute(f"SELECT 1 FROM {table} WHERE id = ?",  # noqa: S608
                         [record_id]).fetchone() is None
              and not _removed_here(db, record_type, record_id)):
            findings.append(Finding("outbox", f"operation {seq}: {record_type} {record_id} "
                                    "does not exist"))
    for record_type, table in STATEFUL_TABLES.items():
        pending_without_op = db.execute(
            f"SELECT count(*) FROM {table} WHERE sync_state = 'pending' AND id NOT IN "  # noqa: S608
            "(SELECT record_id FROM outbox WHERE record_type = ? AND sent_at IS NULL)",
            [record_type]).fetchone()[0]
        if pending_without_op:
            findings.append(Finding("sync_state", f"{pending_without_op} pending {record_type} "
                                    "records have no operation in the outbox"))

    dossiers = db.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    indexed = db.execute("SELECT count(*) FROM dossier_search").fetchone()[0]
    if dossiers != indexed:
        findings.append(Finding("search_index", f"{indexed} index entries for {dossiers} "
                                "dossiers"))
    return findings


def _removed_here(db: sqlite_utils.Database, record_type: str, record_id: str) -> bool:
    """An attachment removed on this machine: its operations outlive its row, carrying its
    tombstone (app/documents.py ``remove_attachment``)."""
    return record_type in REMOVABLE_TYPES and db.execute(
        "SELECT 1 FROM outbox WHERE record_type = ? AND record_id = ? AND fields = ?",
        [record_type, record_id, json.dumps([DELETED])]).fetchone() is not None

"""The local database schema, as forward-only sqlite-utils migrations.

Each migration is one function; once released it is never edited, only followed by a new one.
``tests/test_schema.py`` upgrades from every earlier version and compares the result with a fresh
database. Times are UTC ISO-8601 strings (``2026-01-05T02:00:00Z``), which sort as text.
"""

from __future__ import annotations

import functools

import sqlite_utils
from sqlite_utils.migrations import Migrations

from app.errors import ProfileTooNew

migrations = Migrations("communedesk")


@migrations()
def m001_core(db: sqlite_utils.Database) -> None:
    """Settings, reference data, dossiers with their papers, events and attachments, sync tables."""
    db.executescript(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        -- Procedure catalogue: effective-dated versions, one row per (code, version).
        CREATE TABLE procedures (
            code TEXT NOT NULL,
            version INTEGER NOT NULL,
            effective_from TEXT NOT NULL,
            effective_to TEXT,
            name TEXT NOT NULL,
            field TEXT NOT NULL,
            time_limit_days INTEGER NOT NULL,
            verification_extension_days INTEGER NOT NULL,
            fee_vnd INTEGER NOT NULL,
            catalogue_version TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (code, version)
        );

        -- Working-day calendar snapshots: each dossier names the version that computed it.
        CREATE TABLE calendar_versions (
            version TEXT PRIMARY KEY,
            first_year INTEGER NOT NULL,
            last_year INTEGER NOT NULL,
            loaded_at TEXT NOT NULL
        );
        CREATE TABLE calendar_days (
            version TEXT NOT NULL REFERENCES calendar_versions(version),
            date TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('holiday', 'makeup_workday')),
            name TEXT NOT NULL,
            PRIMARY KEY (version, date)
        );

        CREATE TABLE dossiers (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            procedure_code TEXT NOT NULL,
            procedure_version INTEGER NOT NULL,
            channel INTEGER NOT NULL CHECK (channel BETWEEN 1 AND 3),
            status INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
            received_at TEXT NOT NULL,
            due_at TEXT NOT NULL,
            calendar_version TEXT NOT NULL,
            applicant_full_name TEXT NOT NULL,
            applicant_id_number TEXT,
            applicant_date_of_birth TEXT,
            applicant_sex TEXT CHECK (applicant_sex IN ('male', 'female')),
            applicant_phone TEXT,
            applicant_email TEXT,
            applicant_address TEXT,
            co_applicants TEXT NOT NULL DEFAULT '[]',
            sets_count INTEGER NOT NULL DEFAULT 1,
            result_delivery TEXT NOT NULL DEFAULT 'counter',
            received_by TEXT,
            notes TEXT NOT NULL DEFAULT '',
            paused_at TEXT,
            rev INTEGER NOT NULL DEFAULT 0,
            sync_state TEXT NOT NULL DEFAULT 'pending'
                CHECK (sync_state IN ('pending', 'synced', 'conflict', 'error')),
            sync_reason TEXT,
            updated_at TEXT NOT NULL
        );
        -- Per-record sync state lives in the record's row; this index holds only the records
        -- not yet synced, so counting them stays cheap.
        CREATE INDEX dossiers_unsynced ON dossiers(sync_state) WHERE sync_state != 'synced';
        CREATE INDEX dossiers_id_number ON dossiers(applicant_id_number);
        CREATE INDEX dossiers_phone ON dossiers(applicant_phone);
        CREATE INDEX dossiers_received ON dossiers(received_at);
        CREATE INDEX dossiers_due ON dossiers(status, due_at);

        CREATE TABLE dossier_papers (
            dossier_id TEXT NOT NULL REFERENCES dossiers(id),
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            form TEXT NOT NULL CHECK (form IN ('original', 'copy', 'certified_copy')),
            count INTEGER NOT NULL CHECK (count >= 1),
            PRIMARY KEY (dossier_id, position)
        ) WITHOUT ROWID;

        -- Every status change and hand-off: append-only, enforced by the triggers below.
        CREATE TABLE dossier_events (
            id TEXT PRIMARY KEY,
            dossier_id TEXT NOT NULL REFERENCES dossiers(id),
            kind TEXT NOT NULL,
            from_status INTEGER,
            to_status INTEGER,
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX dossier_events_dossier ON dossier_events(dossier_id, at);
        CREATE TRIGGER dossier_events_no_update BEFORE UPDATE ON dossier_events
        BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;
        CREATE TRIGGER dossier_events_no_delete BEFORE DELETE ON dossier_events
        BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;

        -- Attachment metadata; the bytes live encrypted in blobs/ under their SHA-256.
        CREATE TABLE attachments (
            id TEXT PRIMARY KEY,
            dossier_id TEXT NOT NULL REFERENCES dossiers(id),
            sha256 TEXT NOT NULL,
            file_name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            sync_state TEXT NOT NULL DEFAULT 'pending'
                CHECK (sync_state IN ('pending', 'synced', 'conflict', 'error')),
            sync_reason TEXT
        );
        CREATE INDEX attachments_dossier ON attachments(dossier_id);
        CREATE INDEX attachments_sha ON attachments(sha256);

        -- Daily dossier sequence, per day and per slot (the slot's first number).
        CREATE TABLE code_counters (
            day TEXT NOT NULL,
            slot_first INTEGER NOT NULL,
            last INTEGER NOT NULL,
            PRIMARY KEY (day, slot_first)
        );

        -- Transactional outbox: written in the same transaction as the change it carries.
        -- ``fields`` names the changed fields (a JSON list of dotted paths), NULL for a new
        -- record (all of them); their values are read from the record when it is pushed.
        -- Events need no per-record state: they are append-only and never conflict.
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            op_id TEXT NOT NULL,
            record_type TEXT NOT NULL,
            record_id TEXT NOT NULL,
            base_rev INTEGER NOT NULL,
            fields TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX outbox_unsent ON outbox(sent_at, seq);

        CREATE TABLE sync_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE TABLE conflicts (
            id TEXT PRIMARY KEY,
            record_type TEXT NOT NULL,
            record_id TEXT NOT NULL,
            field TEXT NOT NULL,
            local_value TEXT,
            server_value TEXT,
            created_at TEXT NOT NULL,
            resolved_at TEXT
        );
        CREATE INDEX conflicts_open ON conflicts(resolved_at);
        """
    )


@migrations()
def m002_search_and_access_log(db: sqlite_utils.Database) -> None:
    """Accent-folded full-text search, the Vietnamese name sort key, and the access log."""
    db.executescript(
        """
        ALTER TABLE dossiers ADD COLUMN applicant_sort_key TEXT NOT NULL DEFAULT '';
        CREATE INDEX dossiers_sort ON dossiers(applicant_sort_key);

        -- Contentless: the index holds folded tokens only, the text stays in dossiers.
        CREATE VIRTUAL TABLE dossier_search USING fts5(
            names,
            other,
            content='',
            contentless_delete=1,
            tokenize='unicode61 remove_diacritics 2',
            prefix='2 3'
        );

        -- Every read of a dossier's personal data (law 91/2025 asks for it).
        CREATE TABLE access_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            record_id TEXT
        );
        """
    )


    _index_existing_dossiers(db)


@migrations()
def m003_sync(db: sqlite_utils.Database) -> None:
    """What the sync engine keeps: answers, uploaded blobs, conflict revisions, parked changes."""
    db.executescript(
        """
        -- The answer's outcome once the server answered (sent_at): applied, conflict, rejected,
        -- or failed (could not travel); NULL while unanswered.
        ALTER TABLE outbox ADD COLUMN outcome TEXT;
        CREATE INDEX outbox_record ON outbox(record_type, record_id) WHERE sent_at IS NULL;
        CREATE UNIQUE INDEX outbox_op ON outbox(op_id);  -- answers come back by op_id

        -- 1 once the server holds this attachment's bytes (or they came from the server).
        ALTER TABLE attachments ADD COLUMN blob_uploaded INTEGER NOT NULL DEFAULT 0;

        -- The server revision the conflict was seen at (a resolution is made from it), and
        -- why (code_taken: another dossier of the commune has this code).
        ALTER TABLE conflicts ADD COLUMN server_rev INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE conflicts ADD COLUMN reason TEXT;

        -- Pulled events and attachments whose dossier is not here yet; applied when it comes.
        CREATE TABLE parked_changes (
            record_type TEXT NOT NULL,
            record_id TEXT NOT NULL,
            dossier_id TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (record_type, record_id)
        );
        CREATE INDEX parked_by_dossier ON parked_changes(dossier_id);
        """
    )


@migrations()
def m004_workflow_and_staff(db: sqlite_utils.Database) -> None:
    """Workflow fields of a dossier (assignee, rule-5 extension, rule-7 apologies) and the
    commune's staff list from the server's reference data (app/actions.py, app/staff.py)."""
    db.executescript(
        """
        -- Synced fields (dossier.schema.json): the username the dossier is handed to (NULL:
        -- nobody), working days added for verification (rule 5), apology notices (rule 7).
        ALTER TABLE dossiers ADD COLUMN assigned_to TEXT;
        ALTER TABLE dossiers ADD COLUMN verification_days INTEGER NOT NULL DEFAULT 0
            CHECK (verification_days >= 0);
        ALTER TABLE dossiers ADD COLUMN apologies INTEGER NOT NULL DEFAULT 0
            CHECK (apologies >= 0);
        -- The list screen's "assigned to me" and "unassigned" filters.
        CREATE INDEX dossiers_assigned ON dossiers(assigned_to);

        -- The commune's staff, as GET /v1/reference last gave it (replaced whole each time).
        CREATE TABLE staff (
            username TEXT PRIMARY KEY,
            display_name TEXT,
            role TEXT NOT NULL
        );
        """
    )


@migrations()
def m005_list_indexes(db: sqlite_utils.Database) -> None:
    """Covering indexes for the dossier list: each sortable column with the code as its tie
    breaker, so any sort of 200,000 dossiers reads one index (bench/ui_bench.py: 0.5-2.4 s
    down to 0.1-0.2 s for the first rows). About 35 MiB more per 200,000 dossiers."""
    db.executescript(
        """
        DROP INDEX dossiers_received;
        CREATE INDEX dossiers_received ON dossiers(received_at, code);
        DROP INDEX dossiers_sort;
        CREATE INDEX dossiers_sort ON dossiers(applicant_sort_key, code);
        DROP INDEX dossiers_assigned;
        CREATE INDEX dossiers_assigned ON dossiers(assigned_to, code);
        CREATE INDEX dossiers_due_at ON dossiers(due_at, code);
        CREATE INDEX dossiers_status ON dossiers(status, code);
        CREATE INDEX dossiers_procedure ON dossiers(procedure_code, procedure_version, code);
        CREATE INDEX dossiers_sync_state ON dossiers(sync_state, code);
        """
    )


@migrations()
def m006_correspondence(db: sqlite_utils.Database) -> None:
    """The correspondence registers (docs/decisions/0009, docs/correspondence.md): incoming and
    outgoing documents, their append-only events, attachments of documents, the local copy of
    the register leases, and the folded search over the registers."""
    db.executescript(
        """
        -- Văn bản đến (incoming_document.schema.json). ``arrival_number`` is given only by the
        -- holder of the incoming lease of the series; NULL: recorded, not yet numbered.
        -- ``duplicate_key`` (local): folded number-symbol and issuing body, for the warning
        -- before registering the same document twice. Times are UTC text.
        CREATE TABLE incoming_documents (
            id TEXT PRIMARY KEY,
            register_year INTEGER NOT NULL,
            series TEXT NOT NULL CHECK (series IN ('ordinary', 'secret')),
            arrival_number INTEGER CHECK (arrival_number IS NULL OR arrival_number >= 1),
            lease_epoch INTEGER,
            numbered_by TEXT,
            arrived_at TEXT NOT NULL,
            author TEXT NOT NULL,
            number_symbol TEXT,
            document_date TEXT,
            doc_type TEXT NOT NULL,
            summary TEXT NOT NULL,
            urgency TEXT NOT NULL DEFAULT 'normal'
                CHECK (urgency IN ('normal', 'urgent', 'very_urgent', 'flash')),
            secrecy TEXT NOT NULL DEFAULT 'none'
                CHECK (secrecy IN ('none', 'confidential', 'secret', 'top_secret')),
            notes TEXT,
            recipient TEXT,
            forwarded_at TEXT,
            lead TEXT,
            coordinators TEXT NOT NULL DEFAULT '[]',
            deadline TEXT,
            directed_by TEXT,
            directed_at TEXT,
            assigned_to TEXT,
            status TEXT NOT NULL DEFAULT 'registered'
                CHECK (status IN ('registered', 'directed', 'in_progress', 'done')),
            reply_id TEXT,
            source TEXT NOT NULL DEFAULT 'paper' CHECK (source IN ('paper', 'electronic')),
            duplicate_key TEXT,
            rev INTEGER NOT NULL DEFAULT 0,
            sync_state TEXT NOT NULL DEFAULT 'pending'
                CHECK (sync_state IN ('pending', 'synced', 'conflict', 'error')),
            sync_reason TEXT,
            updated_at TEXT NOT NULL
        );
        -- No two documents of one register share an arrival number, ever (invariant 8).
        CREATE UNIQUE INDEX incoming_number_unique
            ON incoming_documents(register_year, series, arrival_number)
            WHERE arrival_number IS NOT NULL;
        CREATE INDEX incoming_register ON incoming_documents(register_year, series,
                                                             arrival_number);
        CREATE INDEX incoming_arrived ON incoming_documents(arrived_at);
        CREATE INDEX incoming_status ON incoming_documents(status);
        CREATE INDEX incoming_deadline ON incoming_documents(deadline) WHERE deadline IS NOT NULL;
        CREATE INDEX incoming_assigned ON incoming_documents(assigned_to);
        CREATE INDEX incoming_duplicate ON incoming_documents(duplicate_key)
            WHERE duplicate_key IS NOT NULL;
        CREATE INDEX incoming_unsynced ON incoming_documents(sync_state)
            WHERE sync_state != 'synced';

        -- Văn bản đi (outgoing_document.schema.json): a draft (no number, no register year),
        -- then issued with its number by the holder of the outgoing lease, or void (the
        -- number stays in the register with the reason).
        CREATE TABLE outgoing_documents (
            id TEXT PRIMARY KEY,
            register_year INTEGER,
            series TEXT NOT NULL CHECK (series IN ('ordinary', 'secret')),
            number INTEGER CHECK (number IS NULL OR number >= 1),
            symbol TEXT,
            lease_epoch INTEGER,
            numbered_by TEXT,
            issued_at TEXT,
            doc_type TEXT NOT NULL,
            summary TEXT NOT NULL,
            urgency TEXT NOT NULL DEFAULT 'normal'
                CHECK (urgency IN ('normal', 'urgent', 'very_urgent', 'flash')),
            secrecy TEXT NOT NULL DEFAULT 'none'
                CHECK (secrecy IN ('none', 'confidential', 'secret', 'top_secret')),
            notes TEXT,
            issuer TEXT NOT NULL,
            drafting_unit TEXT,
            signer TEXT,
            recipients TEXT NOT NULL DEFAULT '[]',
            archive_unit TEXT,
            copies INTEGER NOT NULL DEFAULT 1 CHECK (copies >= 1),
            forwarded_at TEXT,
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued', 'void')),
            void_reason TEXT,
            answers_id TEXT,
            rev INTEGER NOT NULL DEFAULT 0,
            sync_state TEXT NOT NULL DEFAULT 'pending'
                CHECK (sync_state IN ('pending', 'synced', 'conflict', 'error')),
            sync_reason TEXT,
            updated_at TEXT NOT NULL,
            CHECK (number IS NULL OR register_year IS NOT NULL)
        );
        CREATE UNIQUE INDEX outgoing_number_unique
            ON outgoing_documents(register_year, series, number) WHERE number IS NOT NULL;
        CREATE INDEX outgoing_register ON outgoing_documents(register_year, series, number);
        CREATE INDEX outgoing_issued ON outgoing_documents(issued_at);
        CREATE INDEX outgoing_status ON outgoing_documents(status);
        CREATE INDEX outgoing_answers ON outgoing_documents(answers_id)
            WHERE answers_id IS NOT NULL;
        CREATE INDEX outgoing_unsynced ON outgoing_documents(sync_state)
            WHERE sync_state != 'synced';

        -- Registered, numbered, directed, assigned, progress, replied, completed, drafted,
        -- issued, voided, …: append-only, like dossier_events.
        CREATE TABLE document_events (
            id TEXT PRIMARY KEY,
            document_id TEXT NOT NULL,
            document_kind TEXT NOT NULL CHECK (document_kind IN ('incoming', 'outgoing')),
            kind TEXT NOT NULL,
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX document_events_document ON document_events(document_id, at);
        CREATE TRIGGER document_events_no_update BEFORE UPDATE ON document_events
        BEGIN SELECT RAISE(ABORT, 'document_events is append-only'); END;
        CREATE TRIGGER document_events_no_delete BEFORE DELETE ON document_events
        BEGIN SELECT RAISE(ABORT, 'document_events is append-only'); END;

        -- An attachment belongs to a dossier or to a document, exactly one of them
        -- (attachment.schema.json). SQLite cannot drop a NOT NULL: the table is rebuilt.
        CREATE TABLE attachments_new (
            id TEXT PRIMARY KEY,
            dossier_id TEXT REFERENCES dossiers(id),
            sha256 TEXT NOT NULL,
            file_name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            sync_state TEXT NOT NULL DEFAULT 'pending'
                CHECK (sync_state IN ('pending', 'synced', 'conflict', 'error')),
            sync_reason TEXT,
            blob_uploaded INTEGER NOT NULL DEFAULT 0,
            document_id TEXT,
            CHECK ((dossier_id IS NULL) != (document_id IS NULL))
        );
        INSERT INTO attachments_new(id, dossier_id, sha256, file_name, media_type, size,
                                    created_at, sync_state, sync_reason, blob_uploaded)
            SELECT id, dossier_id, sha256, file_name, media_type, size, created_at,
                   sync_state, sync_reason, blob_uploaded FROM attachments;
        DROP TABLE attachments;
        ALTER TABLE attachments_new RENAME TO attachments;
        CREATE INDEX attachments_dossier ON attachments(dossier_id);
        CREATE INDEX attachments_sha ON attachments(sha256);
        CREATE INDEX attachments_document ON attachments(document_id)
            WHERE document_id IS NOT NULL;

        -- The commune's register leases as the server last gave them (GET /v1/leases, or the
        -- answer of an acquire, release or transfer); replaced at each sync. NULL holder:
        -- nobody holds it. ``last_numbers``: JSON {"2026": 14}, the server's highest number
        -- per year of the series, from which a new holder continues.
        CREATE TABLE leases (
            kind TEXT NOT NULL CHECK (kind IN ('incoming', 'outgoing')),
            series TEXT NOT NULL CHECK (series IN ('ordinary', 'secret')),
            holder_device_id TEXT,
            holder_device_name TEXT,
            holder_user TEXT,
            epoch INTEGER NOT NULL DEFAULT 0,
            since TEXT,
            last_numbers TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (kind, series)
        ) WITHOUT ROWID;

        -- Folded text (no diacritics, đ -> d) of author, number and symbol, summary,
        -- recipients; contentless, the rowid is the document's.
        CREATE VIRTUAL TABLE incoming_search USING fts5(
            text,
            content='',
            contentless_delete=1,
            tokenize='unicode61 remove_diacritics 2',
            prefix='2 3'
        );
        CREATE VIRTUAL TABLE outgoing_search USING fts5(
            text,
            content='',
            contentless_delete=1,
            tokenize='unicode61 remove_diacritics 2',
            prefix='2 3'
        );
        """
    )


@migrations()
def m007_papers_in_dossier(db: sqlite_utils.Database) -> None:
    """A dossier's papers move into its row, as JSON like its co-applicants (decision 0013).

    ``dossier_papers`` was keyed by the dossier's id, which has no order: a batch of 20,000
    imported dossiers rewrote nearly every page of it, the largest tree an import touched. The
    papers are read and written only whole, with their dossier, so one column holds them.
    """
    db.executescript(
        """
        ALTER TABLE dossiers ADD COLUMN papers TEXT NOT NULL DEFAULT '[]';
        UPDATE dossiers SET papers = (
            SELECT json_group_array(json_object('name', name, 'form', form, 'count', count))
            FROM (SELECT name, form, count FROM dossier_papers
                  WHERE dossier_id = dossiers.id ORDER BY position))
        WHERE id IN (SELECT dossier_id FROM dossier_papers);
        DROP TABLE dossier_papers;
        """
    )


@migrations()
def m008_search_without_positions(db: sqlite_utils.Database) -> None:
    """The dossier search index keeps which column a word is in, not its position in it.

    Searches ask for words and prefixes in a column (app/search.py), never for phrases or
    words near each other, so positions were written and never read: ``detail=column`` makes
    the index smaller and each write to it cheaper (docs/benchmarks.md, "Local store"). The
    index is contentless, so it is built again from the dossiers (their sort keys stay).
    """
    db.executescript(
        """
        DROP TABLE dossier_search;
        CREATE VIRTUAL TABLE dossier_search USING fts5(
            names,
            other,
            content='',
            contentless_delete=1,
            detail=column,
            tokenize='unicode61 remove_diacritics 2',
            prefix='2 3'
        );
        """
    )
    _index_existing_dossiers(db, sort_keys=False)


@migrations()
def m009_drop_unused_dossier_index(db: sqlite_utils.Database) -> None:
    """``dossiers_unsynced`` answered ``sync_state != 'synced'``, a query nothing asks since the
    counts read the outbox and ``dossiers_sync_state`` (m005) serves every question on the
    state; each write of a dossier still kept it up to date."""
    db.executescript("DROP INDEX dossiers_unsynced;")


def _index_existing_dossiers(db: sqlite_utils.Database, *, sort_keys: bool = True) -> None:
    """Fill the search index, and with ``sort_keys`` the sort key, of the dossiers stored (m002,
    m008): in one transaction, a page of dossiers at a time, one statement a page. (Row by row
    in autocommit, as until 27 November, m008 took 199 s over 200,000 dossiers.)"""
    from app.db import insert_rows, transaction
    from app.dossier import LATER_KEY_DEFAULTS, row_to_record
    from app.search_index import search_text, sort_key

    names = {(code, version): name for code, version, name in
             db.execute("SELECT code, version, name FROM procedures")}
    after = 0
    with transaction(db):
        while rows := list(db.query("SELECT rowid AS _rowid, * FROM dossiers WHERE rowid > ? "
                                    "ORDER BY rowid LIMIT 5000", [after])):
            entries, keys = [], []
            for row in rows:
                # Columns later migrations add may not be there yet: ``row_to_record`` reads
                # today's keys.
                record = row_to_record({**LATER_KEY_DEFAULTS, "papers": "[]", **row})
                name = names.get((row["procedure_code"], row["procedure_version"]), "")
                entries.append([row["_rowid"], *search_text(record, name)])
                if sort_keys:
                    keys.append((sort_key(record), row["_rowid"]))
            insert_rows(db.conn, "dossier_search(rowid, names, other)", entries)
            db.conn.executemany("UPDATE dossiers SET applicant_sort_key = ? WHERE rowid = ?", keys)
            after = rows[-1]["_rowid"]


def upgrade(db: sqlite_utils.Database) -> None:
    """Bring ``db`` to the newest schema (a no-op when it is already there).

    Raises ``ProfileTooNew``, before writing anything, when ``db`` holds migrations this version
    does not have: a newer version upgraded it.
    """
    unknown = [m.name for m in migrations.applied(db) if m.name not in _known_migrations()]
    if unknown:
        raise ProfileTooNew(f"database migrations {', '.join(unknown)}", migrations=unknown)
    migrations.apply(db)


@functools.cache
def _known_migrations() -> frozenset[str]:
    """The names of this version's migrations: all of them are pending on an empty database."""
    return frozenset(m.name for m in migrations.pending(sqlite_utils.Database(memory=True)))


def schema_version(db: sqlite_utils.Database) -> list[str]:
    return [m.name for m in migrations.applied(db)]

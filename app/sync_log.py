"""The log of recent syncs a person reads on the sync page: when, how it ended, what moved.

Each sync, successful or not, adds one entry (newest first, the last ``KEEP`` kept) to the
profile's ``sync_meta`` under ``sync_log``. An entry holds an ``outcome`` code and counts, never
text: the desktop app words it in the person's language and says what to do. Threading: called
on the thread that owns the store (the network worker, after a sync).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from app.dossier import utc_text
from app.store import Store
from app.sync_local import LocalSyncStore
from sync.engine import SyncReport

KEEP = 50
# outcome codes: ok, conflicts (ok, but a person must choose), link_down, sign_in_required,
# sync_busy, server_not_set, refused (with the server's code), error (anything else)


@dataclass(frozen=True)
class SyncLogEntry:
    at: str  # UTC ISO 8601
    outcome: str
    code: str = ""  # the error's code, for refused and error
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SyncLogEntry:
        return cls(str(data.get("at", "")), str(data.get("outcome", "error")),
                   str(data.get("code", "")),
                   {k: int(v) for k, v in (data.get("counts") or {}).items()})


def outcome_of(error: BaseException | None, report: SyncReport | None = None) -> tuple[str, str]:
    """(outcome, code) of a sync that raised ``error`` (None: it finished with ``report``)."""
    if error is None:
        return ("conflicts" if report is not None and report.conflicts else "ok"), ""
    code = str(getattr(error, "code", "") or type(error).__name__)
    if code in ("link_down", "sign_in_required", "sync_busy", "server_not_set"):
        return code, code
    if hasattr(error, "status"):
        return "refused", code
    return "error", code


def record(store: Store, error: BaseException | None, report: SyncReport | None = None
           ) -> SyncLogEntry:
    """Add the entry for one sync and return it."""
    outcome, code = outcome_of(error, report)
    counts = {} if report is None else {
        name: value for name, value in (
            ("pushed", report.pushed), ("pulled", report.pulled),
            ("conflicts", report.conflicts), ("rejected", report.rejected),
            ("blobs_up", report.blobs_up), ("blobs_down", report.blobs_down),
            ("blobs_left", report.blobs_left), ("pending", report.pending)) if value}
    entry = SyncLogEntry(utc_text(store.clock.now()), outcome, code, counts)
    local = LocalSyncStore(store)
    entries = [asdict(entry), *json.loads(local.sync_value("sync_log") or "[]")][:KEEP]
    local.set_sync_values({"sync_log": json.dumps(entries, ensure_ascii=False)})
    return entry


def recent(store: Store) -> list[SyncLogEntry]:
    """The logged syncs, newest first."""
    raw = LocalSyncStore(store).sync_value("sync_log") or "[]"
    try:
        return [SyncLogEntry.from_json(item) for item in json.loads(raw)]
    except (ValueError, TypeError, AttributeError):
        return []  # a damaged log is not worth failing a screen for

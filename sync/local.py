"""What the sync engine needs from the local store: the interface app/ implements.

sync/ never imports app/ (ARCHITECTURE.md, layers): it declares here, as a ``Protocol``, the few
operations it performs on the profile, each of which the app runs as one SQLite transaction.
The engine calls them from the one thread that runs a sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sync.protocol import Change, Operation, OpResult

REFERENCE_ETAG = "reference_etag"  # sync value: the ETag of the reference data kept
LEASES_ETAG = "leases_etag"  # sync value: the ETag of the register leases kept
LEASES_REFUSED = "leases_refused"  # sync value: why the last lease list was not kept


@dataclass(frozen=True)
class BlobRef:
    """An attachment's bytes by content address."""

    sha256: str
    size: int


@dataclass(frozen=True)
class ResultCounts:
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0


class SyncStore(Protocol):
    """The profile as the engine sees it (docs/sync-protocol.md §5–6, §9)."""

    def sync_value(self, key: str) -> str | None:
        """A value of the sync state (``cursor``, ``clock_offset``, ``last_sync``, …)."""

    def set_sync_values(self, values: dict[str, str]) -> None:
        """Store sync state values in one transaction."""

    def pending_count(self) -> int:
        """Operations not yet answered by the server."""

    def first_unanswered(self) -> int | None:
        """The lowest ``seq`` of an operation with no answer yet, or None."""

    def operations_after(self, seq: int, limit: int) -> list[Operation]:
        """Unanswered operations with ``seq`` greater than ``seq``, oldest first, their field
        values read as the records are now."""

    def apply_results(self, results: list[OpResult]) -> ResultCounts:
        """Record the server's answers: operations done, records synced, conflicts stored with
        both values, rejected records in error with the reason. One transaction."""

    def fail_operation(self, operation: Operation, code: str, reason: str) -> None:
        """An operation that cannot travel (too large): its record goes to error, the others
        go on (invariant 9)."""

    def apply_page(self, changes: list[Change], cursor: str) -> None:
        """Apply one pulled page and store its cursor, in one transaction (invariant 3)."""

    def restart_pull(self) -> None:
        """Forget the cursor for a full resync; every pending local change stays."""

    def apply_reference(self, reference: dict[str, Any], etag: str | None) -> list[str]:
        """Keep the city's reference data (``GET /v1/reference``, §7): the commune's staff list
        replaced whole, and the procedure catalogue and calendar installed when their versions
        differ from the ones in use. Each part is checked on its own; the names of the parts
        refused as malformed are returned (``staff``, ``catalogue``, ``calendar``) and the
        others are kept. ``etag`` is stored (sync value ``reference_etag``) when nothing was
        refused; after a refusal none is kept, so the next sync fetches everything again (a
        document fixed under the same version comes then). One transaction."""

    def set_leases(self, leases: list[dict[str, Any]]) -> None:
        """Keep the commune's register leases as the server gave them (``GET /v1/leases``,
        §7.1), replacing the copy kept: one dict per (kind, series), free ones included, with
        ``holder_device_id``, ``holder_device_name``, ``holder_user``, ``epoch``, ``since`` and
        ``last_numbers`` ({"<year>": the highest number the server holds}). One transaction.
        A list the store refuses changes nothing, and leaves the sync value ``leases_refused``
        set (with why); a list it keeps clears it. The engine keeps the answer's ETag (sync
        value ``leases_etag``) after this returns, unless ``leases_refused`` is set: then the
        next sync asks for the whole list again."""

    def blobs_to_upload(self) -> list[BlobRef]:
        """Blobs this machine made whose attachment record the server has applied and whose
        bytes it has not confirmed yet."""

    def blob_uploaded(self, sha256: str) -> None:
        """The server holds these bytes, verified."""

    def blob_bytes(self, sha256: str) -> bytes:
        """The plain bytes of a local blob."""

    def blobs_to_fetch(self) -> list[BlobRef]:
        """Blobs named by attachment records whose bytes this machine does not hold."""

    def store_blob(self, sha256: str, data: bytes) -> None:
        """Keep fetched bytes (verified by the caller against ``sha256``)."""

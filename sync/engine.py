"""One sync, as docs/sync-protocol.md §9 describes it: probe, push, reference data, register
leases, pull, blobs, report.

``SyncEngine.sync()`` runs the steps against a ``Transport`` and a ``SyncStore``. Every step is
resumable at the grain the protocol gives (the frame for push and pull, the durable offset for
blobs), so a link cut every few tens of kilobytes still moves forward: after a cut the engine
asks where the server got to and goes on, for as long as each attempt makes progress, then gives
up with ``LinkDown`` (the scheduler tries again later). Nothing here knows about Qt: progress
reaches the caller through a plain callback.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests

from sync.local import LEASES_ETAG, LEASES_REFUSED, REFERENCE_ETAG, BlobRef, SyncStore
from sync.protocol import (
    FRAMES_MEDIA_TYPE,
    Change,
    FrameKind,
    FrameReader,
    Operation,
    OpResult,
    ProtocolError,
    encode_frame,
    pack_frames,
)
from sync.transport import LinkDown, Refused, Transport

START_CURSOR = "e0:0"
MAX_PUSH_BYTES = 8 * 1024 * 1024 - 64 * 1024  # under the server's 8 MiB, with room for a frame
READ_CHUNK = 16 * 1024
CLOCK_WARNING_SECONDS = 300
RATE_SAMPLE_BYTES = 64 * 1024
STALLED_ATTEMPTS = 3
BUSY_RETRIES = 100  # a cut upload holds its blob until the server notices (a few 0.1 s)  # attempts in a row with no progress before a sync gives up


@dataclass(frozen=True)
class Progress:
    """What the engine is doing: ``stage`` (push, pull, upload, download), counts so far."""

    stage: str
    done: int
    total: int | None = None


@dataclass
class SyncReport:
    pushed: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    failed: int = 0  # operations that could not travel (too large)
    pulled: int = 0
    blobs_up: int = 0
    blobs_down: int = 0
    blobs_left: int = 0  # blobs left for a good link (bandwidth saver) or not yet available
    resynced: bool = False
    reference_updated: bool = False  # new reference data came (200, not 304)
    reference_refused: list[str] = field(default_factory=list)  # malformed parts, not kept
    leases_updated: bool = False  # new register leases came (200, not 304)
    pending: int = 0
    clock_offset: float | None = None
    link_rate_bps: float | None = None  # measured on answers of 64 KiB or more

    @property
    def clock_warning(self) -> bool:
        return self.clock_offset is not None and abs(self.clock_offset) > CLOCK_WARNING_SECONDS


class SyncEngine:
    def __init__(self, store: SyncStore, transport: Transport, *, app_version: str,
                 on_progress: Callable[[Progress], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.store, self.transport, self.app_version = store, transport, app_version
        self.on_progress = on_progress or (lambda progress: None)
        self.sleep = sleep
        self._partial: dict[str, bytearray] = {}  # downloads cut short, resumed by Range
        self._offsets: dict[str, int] = {}  # the last upload offset each blob was seen at
        self._moved = 0  # grows with every step the server or the store keeps
        self.link_rate_bps: float | None = None

    # ------------------------------------------------------------------ the whole sync

    def sync(self, *, blobs: bool = True, full: bool = False) -> SyncReport:
        """One sync. ``blobs``: also move attachment bytes (off under bandwidth saver).
        ``full``: pull everything again from the start, this device's own changes included
        (after a profile was restored from a backup); pending local changes stay."""
        report = SyncReport()
        if full:
            self.store.restart_pull()
        self._retrying(lambda: self._push(report))
        self._retrying(lambda: self._reference(report, full=full))
        self._retrying(lambda: self._leases(report, full=full))
        self._retrying(lambda: self._pull(report, omit_own=not full))
        if blobs:
            self._retrying(lambda: self._upload(report))
            self._retrying(lambda: self._download(report))
        else:
            report.blobs_left = len(self.store.blobs_to_upload()) + len(
                self.store.blobs_to_fetch())
        report.pending = self.store.pending_count()
        self.transport.json("POST", "/device/report", json_body={
            "app_version": self.app_version, "pending": report.pending})
        report.clock_offset = self.transport.clock_offset
        report.link_rate_bps = self.link_rate_bps
        values = {"last_sync": datetime.now(UTC).isoformat(timespec="seconds")}
        if report.clock_offset is not None:
            values["clock_offset"] = f"{report.clock_offset:.3f}"
        if report.link_rate_bps is not None:
            values["link_rate_bps"] = f"{report.link_rate_bps:.0f}"
        self.store.set_sync_values(values)
        return report

    def _retrying(self, step: Callable[[], None]) -> None:
        """Run ``step``; after a cut, run it again for as long as attempts make progress
        (a frame answered, a page applied, a blob offset grown)."""
        stalled = 0
        while True:
            before = self._moved
            try:
                step()
                return
            except LinkDown:
                stalled = 0 if self._moved != before else stalled + 1
                if stalled >= STALLED_ATTEMPTS:
                    raise
                if stalled:  # after progress, go on at once: the link was up a moment ago
                    self.sleep(0.2 * 2 ** stalled)

    def _progress(self, progress: Progress) -> None:
        self._moved += 1
        self.on_progress(progress)

    # ------------------------------------------------------------------ push

    def _push(self, report: SyncReport) -> None:
        """Answers lost to a cut first (§5.2 "After a cut"), then the rest of the outbox."""
        seen = -1
        while True:
            applied_through = self.transport.json("GET", "/push/mark")["applied_through"]
            if applied_through > seen >= 0:
                self._moved += 1  # frames of a cut request were applied
            seen = applied_through
            first = self.store.first_unanswered()
            if first is None:
                return
            if first <= applied_through:
                self._read_results(self.transport.request(
                    "GET", "/push/results", stream=True,
                    params={"after": first - 1, "through": applied_through}), report)
                if self.store.first_unanswered() == first:
                    # The server kept no answer for it (it was never sent): send it now.
                    applied_through = first - 1
                else:
                    continue
            more = self._push_request(applied_through, report)
            if not more:
                return

    def _push_request(self, after: int, report: SyncReport) -> bool:
        """One streamed push request of the operations after ``after``; True if more remain."""
        state = {"more": False, "sent": 0}

        def operations() -> Iterator[Operation]:
            last = after
            while state["sent"] < MAX_PUSH_BYTES:
                batch = self.store.operations_after(last, 500)
                if not batch:
                    return
                yield from batch
                last = batch[-1].seq
            state["more"] = True

        def body() -> Iterator[bytes]:
            source = operations()
            while True:
                taken: list[Operation] = []
                try:
                    for frame in pack_frames(_wire(source, taken), key="ops",
                                             kind=FrameKind.OPS):
                        state["sent"] += len(frame)
                        yield frame
                    break
                except ProtocolError as error:  # one operation too large to travel
                    bad = taken[error.item_index or 0]
                    self.store.fail_operation(bad, error.code, error.message)
                    report.failed += 1
                    # The frames before it went out; the ops read after it are sent again.
                    resume = taken[(error.item_index or 0) + 1:]
                    source = _chain(resume, source)
            yield encode_frame(FrameKind.END, {"more": state["more"]})

        response = self.transport.request(
            "POST", "/push", data=body(), stream=True,
            headers={"Content-Type": FRAMES_MEDIA_TYPE})
        self._read_results(response, report)
        return state["more"]

    def _read_results(self, response: requests.Response, report: SyncReport) -> None:
        """Apply each results frame as it arrives; a cut keeps the ones applied."""
        for kind, payload in self._frames(response):
            if kind == FrameKind.RESULTS:
                results = [OpResult.from_wire(r) for r in payload["results"]]
                counts = self.store.apply_results(results)
                report.pushed += len(results)
                report.applied += counts.applied
                report.conflicts += counts.conflicts
                report.rejected += counts.rejected
                self._progress(Progress("push", report.pushed,
                                        report.pushed + self.store.pending_count()))
            elif kind == FrameKind.END:
                return

    # ------------------------------------------------------------------ reference data

    def _reference(self, report: SyncReport, *, full: bool) -> None:
        """The city's reference data (§7): the staff list, catalogue and calendar, asked with
        the ETag of the version kept (a 304 of a few hundred bytes when nothing changed), and
        before the pull, so dossiers received under a new catalogue find it here. ``full``
        asks for everything again. A malformed answer is reported and keeps nothing."""
        etag = None if full else self.store.sync_value(REFERENCE_ETAG)
        headers = {"Accept-Encoding": "gzip"}  # ~50 KB of JSON when something changed
        if etag:
            headers["If-None-Match"] = etag
        response = self.transport.request("GET", "/reference", headers=headers,
                                          ok=(200, 304))
        try:
            if response.status_code == 304:
                return
            try:
                answer = response.json()
            except requests.RequestException:
                raise LinkDown("the reference answer was cut") from None
            except ValueError:
                answer = None
        finally:
            response.close()
        if not isinstance(answer, dict):
            report.reference_refused.append("reference")
            return
        refused = self.store.apply_reference(answer, response.headers.get("ETag"))
        report.reference_refused += refused
        report.reference_updated = True
        self._progress(Progress("reference", 1, 1))

    # ------------------------------------------------------------------ register leases

    def _leases(self, report: SyncReport, *, full: bool) -> None:
        """The commune's register leases (§7.1), after the push (so the numbers this machine
        just sent count in ``last_numbers``), asked with the ETag kept: a 304 when no lease
        moved and no number was given. A malformed answer, or one the store refuses, is
        reported (``leases`` in ``reference_refused``) and keeps no ETag, so the next sync asks
        again; a server without leases (404: older than issue 6) is skipped."""
        etag = None if full else self.store.sync_value(LEASES_ETAG)
        try:
            leases, new_etag = self.transport.leases_since(etag)
        except Refused as refusal:
            if refusal.code == "bad_answer":
                report.reference_refused.append("leases")
                return
            if refusal.status == 404:
                return
            raise
        if leases is None:
            return
        self.store.set_leases(leases)
        if self.store.sync_value(LEASES_REFUSED):
            report.reference_refused.append("leases")
            self.store.set_sync_values({LEASES_ETAG: ""})
            return
        self.store.set_sync_values({LEASES_ETAG: new_etag or ""})
        report.leases_updated = True
        self._progress(Progress("leases", 1, 1))

    # ------------------------------------------------------------------ pull

    def _pull(self, report: SyncReport, *, omit_own: bool) -> None:
        """Pages from the stored cursor. ``omit_own``: the server leaves out records this
        device wrote last in every field (it has them), so an upload is not downloaded back."""
        params = {"omit_own": "true"} if omit_own else {}
        while True:
            cursor = self.store.sync_value("cursor") or START_CURSOR
            try:
                response = self.transport.request("GET", "/pull", stream=True,
                                                  params={"cursor": cursor, **params})
            except Refused as refusal:
                if refusal.status != 410:
                    raise
                self.store.restart_pull()
                report.resynced = True
                continue
            more = False
            for kind, payload in self._frames(response):
                if kind == FrameKind.PAGE:
                    changes = [Change.from_wire(c) for c in payload["changes"]]
                    self.store.apply_page(changes, payload["cursor"])
                    report.pulled += len(changes)
                    self._progress(Progress("pull", report.pulled))
                elif kind == FrameKind.END:
                    more = bool(payload.get("more"))
                    self.store.set_sync_values({"cursor": payload["cursor"]})
            if not more:
                return

    # ------------------------------------------------------------------ frames

    def _frames(self, response: requests.Response) -> Iterator[tuple[FrameKind, dict]]:
        """Frames of a streamed answer as they arrive; a cut raises ``LinkDown`` after the
        complete frames before it; an ``error`` frame raises ``Refused``."""
        reader = FrameReader()
        ended = False
        started, received = time.monotonic(), 0
        try:
            for chunk in response.iter_content(READ_CHUNK):
                received += len(chunk)
                for kind, payload in reader.feed(chunk):
                    if kind == FrameKind.ERROR:
                        error = payload.get("error", {})
                        raise Refused(response.status_code, str(error.get("code", "error")),
                                      str(error.get("message", "")))
                    yield kind, payload
                    ended = kind == FrameKind.END
        except requests.RequestException:
            raise LinkDown("the answer was cut") from None
        except ProtocolError as error:
            raise Refused(response.status_code, error.code, error.message) from None
        finally:
            response.close()
            elapsed = time.monotonic() - started
            if received >= RATE_SAMPLE_BYTES and elapsed > 0:
                self.link_rate_bps = received * 8 / elapsed
        if not ended:
            raise LinkDown("the answer ended before its last frame")

    # ------------------------------------------------------------------ blobs

    def _upload(self, report: SyncReport) -> None:
        todo = self.store.blobs_to_upload()
        for number, blob in enumerate(todo, 1):
            if self._upload_one(blob):
                self.store.blob_uploaded(blob.sha256)
                report.blobs_up += 1
            self._progress(Progress("upload", number, len(todo)))

    def _upload_one(self, blob: BlobRef) -> bool:
        """Send the bytes the server lacks; True once it holds them all, verified."""
        path = f"/blobs/{blob.sha256}"
        data = self.store.blob_bytes(blob.sha256)
        for _ in range(BUSY_RETRIES):
            head = self.transport.request("HEAD", path)
            offset = int(head.headers.get("Upload-Offset", 0)) if head.status_code == 200 else 0
            if offset > self._offsets.get(blob.sha256, 0):
                self._moved += 1  # a cut upload kept its bytes up to here
            self._offsets[blob.sha256] = offset
            if offset >= len(data):
                return True
            try:
                answer = self.transport.request(
                    "PATCH", path, data=data[offset:],
                    headers={"Upload-Offset": str(offset), "Upload-Length": str(len(data)),
                             "Content-Type": "application/offset+octet-stream"})
            except Refused as refusal:
                if refusal.status == 409:  # the offset moved, or a cut request still holds it
                    self.sleep(0.1)
                    continue
                if refusal.status == 404:  # the attachment record is not there (yet)
                    return False
                raise
            if answer.status_code == 201:
                return True
        raise LinkDown(f"blob {blob.sha256[:12]}: no progress")

    def _download(self, report: SyncReport) -> None:
        todo = self.store.blobs_to_fetch()
        for number, blob in enumerate(todo, 1):
            if self.fetch_blob(blob.sha256) is not None:
                report.blobs_down += 1
            else:
                report.blobs_left += 1
            self._progress(Progress("download", number, len(todo)))

    def fetch_blob(self, sha256: str) -> bytes | None:
        """Fetch one blob (resuming a cut download), verify and keep it; None if the server
        does not hold it yet. Also for a person opening an attachment this machine lacks."""
        buffer = self._partial.setdefault(sha256, bytearray())
        headers = {"Range": f"bytes={len(buffer)}-"} if buffer else {}
        try:
            response = self.transport.request("GET", f"/blobs/{sha256}", stream=True,
                                              headers=headers)
        except Refused as refusal:
            if refusal.status == 404:
                return None
            raise
        if response.status_code == 200:
            buffer.clear()  # the server sent it whole
        try:
            for chunk in response.iter_content(READ_CHUNK):
                buffer += chunk
                self._moved += 1
        except requests.RequestException:
            raise LinkDown("the blob download was cut") from None
        finally:
            response.close()
        data = bytes(buffer)
        del self._partial[sha256]
        if hashlib.sha256(data).hexdigest() != sha256:
            raise Refused(200, "hash_mismatch", f"blob {sha256[:12]} arrived damaged")
        self.store.store_blob(sha256, data)
        return data


def _wire(operations: Iterator[Operation], taken: list[Operation]) -> Iterator[dict]:
    """The operations' wire form, remembering each one read (to find one that cannot travel)."""
    for operation in operations:
        taken.append(operation)
        yield operation.to_wire()


def _chain(first: list[Operation], rest: Iterator[Operation]) -> Iterator[Operation]:
    yield from first
    yield from rest

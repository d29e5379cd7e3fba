"""Attachment bytes on the server's disk, per commune (docs/sync-protocol.md §6, invariants 4, 6).

Layout under the data folder::

    blobs/<commune>/<sha[:2]>/<sha>          a complete, verified blob
    blobs/<commune>/uploads/<sha>.part       an upload in progress
    blobs/<commune>/uploads/<sha>.json       its declared length and durable offset
    blobs/<commune>/uploads/<sha>.lock       held (flock) by the one request writing it

Everything is keyed by the caller's commune: the same bytes from two communes are stored twice,
and offsets, existence and deduplication never cross communes. ``sha`` and ``commune`` are
checked against strict patterns before any path is built from them. The sidecar's offset is
the durable one: the part file is fsync-ed before the sidecar is rewritten (atomically), and a
resumed upload first cuts the part file back to it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from server import busy, schema
from server.db import reading

SHA_PATTERN = re.compile(r"[0-9a-f]{64}")
COMMUNE_PATTERN = re.compile(r"[0-9A-Za-z]{1,10}")
DEFAULT_MAX_BYTES = 52_428_800
READ_CHUNK = 64 * 1024


def valid_sha(sha: str) -> bool:
    return SHA_PATTERN.fullmatch(sha) is not None


@dataclass(frozen=True)
class BlobPaths:
    commune_dir: Path
    sha: str

    @property
    def complete(self) -> Path:
        return self.commune_dir / self.sha[:2] / self.sha

    @property
    def uploads(self) -> Path:
        return self.commune_dir / "uploads"

    @property
    def part(self) -> Path:
        return self.uploads / f"{self.sha}.part"

    @property
    def sidecar(self) -> Path:
        return self.uploads / f"{self.sha}.json"

    @property
    def lock(self) -> Path:
        return self.uploads / f"{self.sha}.lock"


def paths(data_dir: Path, commune: str, sha: str) -> BlobPaths:
    """The paths of one blob of one commune; ValueError for anything but the strict shapes."""
    if not valid_sha(sha) or not COMMUNE_PATTERN.fullmatch(commune or ""):
        raise ValueError("not a blob name")
    return BlobPaths(data_dir / "blobs" / commune, sha)


@dataclass
class UploadState:
    length: int
    offset: int


def complete_size(blob: BlobPaths) -> int | None:
    try:
        return blob.complete.stat().st_size
    except FileNotFoundError:
        return None


def read_state(blob: BlobPaths) -> UploadState | None:
    try:
        data = json.loads(blob.sidecar.read_text("utf-8"))
    except FileNotFoundError:
        return None
    return UploadState(int(data["length"]), int(data["offset"]))


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_state(blob: BlobPaths, state: UploadState) -> None:
    """Record the durable offset: the caller has fsync-ed the part file up to it."""
    temporary = blob.sidecar.with_suffix(".json.tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(json.dumps({"length": state.length, "offset": state.offset}))
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, blob.sidecar)
    _fsync_dir(blob.uploads)


class Busy(Exception):
    """Another request is writing this upload right now."""


def settled_state(blob: BlobPaths) -> UploadState | None:
    """The upload's state once no request is writing it (server/busy.py says why)."""
    busy.wait_idle(blob.lock)
    return read_state(blob)


@contextlib.contextmanager
def upload_lock(blob: BlobPaths) -> Iterator[None]:
    """Hold this upload's lock file (across processes and within one), or raise Busy."""
    blob.uploads.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(blob.lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise Busy() from None
        try:
            same = os.fstat(fd).st_ino == os.stat(blob.lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder before us removed it: take the new one
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            if read_state(blob) is None:  # nothing in progress any more: tidy up
                os.unlink(blob.lock)
        os.close(fd)


def start_upload(blob: BlobPaths, length: int) -> UploadState:
    blob.uploads.mkdir(parents=True, exist_ok=True)
    with open(blob.part, "wb") as out:
        os.fsync(out.fileno())
    state = UploadState(length, 0)
    write_state(blob, state)
    return state


def open_part(blob: BlobPaths, offset: int):  # noqa: ANN201 - a binary file
    """The part file, cut back to the durable offset and positioned there."""
    out = open(blob.part, "r+b")  # noqa: SIM115 - the caller closes it
    out.truncate(offset)
    out.seek(offset)
    return out


def make_durable(out, blob: BlobPaths, state: UploadState) -> None:  # noqa: ANN001
    out.flush()
    os.fsync(out.fileno())
    write_state(blob, state)


def discard(blob: BlobPaths) -> None:
    for path in (blob.part, blob.sidecar):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def finish(blob: BlobPaths) -> bool:
    """Check the part's SHA-256: move it into place (True) or discard it (False)."""
    digest = hashlib.sha256()
    with open(blob.part, "rb") as source:
        while chunk := source.read(1024 * 1024):
            digest.update(chunk)
    if digest.hexdigest() != blob.sha:
        discard(blob)
        return False
    blob.complete.parent.mkdir(parents=True, exist_ok=True)
    os.replace(blob.part, blob.complete)
    _fsync_dir(blob.complete.parent)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(blob.sidecar)
    _fsync_dir(blob.uploads)
    return True


def read_range(path: Path, start: int, end: int) -> Iterator[bytes]:
    """Bytes ``start`` to ``end`` (exclusive) of a file, in chunks."""
    with open(path, "rb") as source:
        source.seek(start)
        left = end - start
        while left > 0:
            chunk = source.read(min(READ_CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


NAMED, SECRET_ONLY = "named", "secret_only"
DOCUMENT_TYPES = ("incoming_document", "outgoing_document")


def attachment_names(engine: sa.Engine, commune: str, sha: str) -> str | None:
    """How the live attachment records of this commune name this SHA-256: None (none does),
    ``SECRET_ONLY`` (each of them belongs to a secret document of the commune: metadata only,
    docs/decisions/0009, so the bytes are neither taken nor given) or ``NAMED``."""
    if not valid_sha(sha):
        return None
    r = schema.records
    needle = f'%"sha256":"{sha}"%'  # records are stored compact (sync_store._dumps)
    with reading(engine) as connection:
        bodies = connection.execute(
            sa.select(r.c.body).where(r.c.commune_code == commune, r.c.type == "attachment",
                                      r.c.deleted == sa.false(), r.c.body.like(needle))
            .limit(20)).scalars().all()
        naming = [record for record in map(json.loads, bodies) if record.get("sha256") == sha]
        if not naming:
            return None
        parents = {record.get("document_id") for record in naming}
        if None in parents or not all(isinstance(p, str) for p in parents):
            return NAMED  # a dossier's attachment (or a malformed one) names it
        secret = {record_id for record_id, body in connection.execute(
            sa.select(r.c.id, r.c.body).where(
                r.c.commune_code == commune, r.c.type.in_(DOCUMENT_TYPES),
                r.c.id.in_(sorted(parents)), r.c.deleted == sa.false()))
            if (json.loads(body).get("secrecy") or "none") != "none"}
    return SECRET_ONLY if parents <= secret else NAMED


def max_bytes(engine: sa.Engine) -> int:
    from server.admin import get_setting

    with reading(engine) as connection:
        value = get_setting(connection, "blob_max_bytes", str(DEFAULT_MAX_BYTES))
    try:
        return int(value)
    except (TypeError, ValueError):
        return DEFAULT_MAX_BYTES

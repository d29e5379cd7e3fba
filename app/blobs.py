"""Attachment bytes on disk: content-addressed by SHA-256, encrypted with AES-256-GCM.

A blob lives at ``blobs/<first two hex>/<sha256>``; its file is ``MAGIC + nonce + ciphertext``,
with the hash as associated data, so a file moved under another name fails to open. The same
bytes are stored once. Writes go through a temporary file and ``os.replace``: a crash leaves the
blob whole or absent. ``discard`` overwrites a blob before removing it (a secret document's
file, docs/correspondence.md). Thread-safe (no shared state besides the file system).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"CDBLOB1\n"
_NONCE = 12
_ZEROS = 1 << 20  # bytes overwritten at a time by ``discard``


class BlobError(Exception):
    code = "blob_damaged"


class BlobStore:
    def __init__(self, root: Path, key: bytes) -> None:
        self.root = root
        self._aead = AESGCM(key)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise BlobError(f"not a SHA-256 address: {sha256[:80]!r}")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store ``data`` (once) and return its SHA-256 address."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if target.exists():
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        nonce = os.urandom(_NONCE)
        sealed = MAGIC + nonce + self._aead.encrypt(nonce, data, sha256.encode())
        tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            handle.write(sealed)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        return sha256

    def get(self, sha256: str) -> bytes:
        """The plain bytes of a blob, verified against its address."""
        try:
            sealed = self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise BlobError(f"blob {sha256} is missing") from None
        if not sealed.startswith(MAGIC):
            raise BlobError(f"blob {sha256} has no header")
        nonce = sealed[len(MAGIC) : len(MAGIC) + _NONCE]
        try:
            data = self._aead.decrypt(nonce, sealed[len(MAGIC) + _NONCE :], sha256.encode())
        except InvalidTag:
            raise BlobError(f"blob {sha256} does not decrypt") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobError(f"blob {sha256} does not match its hash")
        return data

    def has(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def discard(self, sha256: str) -> None:
        """Remove a blob that must not stay on this machine (a secret document's file): its
        encrypted bytes are overwritten with zeros and flushed, then the file is unlinked. On
        flash storage an overwrite may land elsewhere; what may remain there is ciphertext
        under the profile's key (invariant 7). A blob that is not here is nothing to do."""
        target = self.path(sha256)
        try:
            with open(target, "r+b") as handle:
                left = handle.seek(0, os.SEEK_END)
                handle.seek(0)
                while left > 0:
                    left -= handle.write(bytes(min(left, _ZEROS)))
                handle.flush()
                os.fsync(handle.fileno())
        except FileNotFoundError:
            return
        target.unlink(missing_ok=True)

    def addresses(self) -> Iterator[str]:
        if not self.root.exists():
            return
        for folder in sorted(self.root.iterdir()):
            for blob in sorted(folder.iterdir()):
                if not blob.name.endswith(".tmp"):
                    yield blob.name

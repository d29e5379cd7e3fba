"""The profile's data key: made once, kept in the OS keychain and wrapped by the passphrase.

The 256-bit data key encrypts the SQLCipher database and (through a derived sub-key) the blobs.
It is stored twice: in the OS keychain (``keyring``) for a quick start, and in ``key.json`` in the
profile, wrapped with AES-256-GCM under a key derived from the user's passphrase with scrypt, so
the profile still opens on a machine whose keychain is empty or absent. Neither copy is ever
logged or written in clear. Thread-safe: functions only; the keychain call may block briefly.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.errors import PassphraseRequired, ProfileDamaged, WrongPassphrase

log = logging.getLogger(__name__)

KEYRING_SERVICE = "CommuneDesk"
KEY_BYTES = 32
# scrypt cost: 2**15 × 8 × 128 B = 32 MiB of memory, about 0.1 s on a slow laptop.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_WRAP_FORMAT = "communedesk-wrapped-key/1"


@dataclass(frozen=True)
class WrappedKey:
    """The passphrase-wrapped copy of a data key, as stored in ``key.json``."""

    profile_id: str
    salt: bytes
    nonce: bytes
    ciphertext: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    def to_json(self) -> dict:
        b64 = base64.b64encode
        return {
            "format": _WRAP_FORMAT,
            "profile_id": self.profile_id,
            "kdf": {"name": "scrypt", "n": self.n, "r": self.r, "p": self.p},
            "salt": b64(self.salt).decode(),
            "nonce": b64(self.nonce).decode(),
            "ciphertext": b64(self.ciphertext).decode(),
        }

    @classmethod
    def from_json(cls, data: dict) -> WrappedKey:
        if data.get("format") != _WRAP_FORMAT or data.get("kdf", {}).get("name") != "scrypt":
            raise ProfileDamaged("key.json has an unknown format")
        b64 = base64.b64decode
        kdf = data["kdf"]
        return cls(
            profile_id=data["profile_id"],
            salt=b64(data["salt"]),
            nonce=b64(data["nonce"]),
            ciphertext=b64(data["ciphertext"]),
            n=int(kdf["n"]),
            r=int(kdf["r"]),
            p=int(kdf["p"]),
        )


def new_data_key() -> bytes:
    return os.urandom(KEY_BYTES)


def _passphrase_key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    if not passphrase:
        raise PassphraseRequired("an empty passphrase cannot protect the profile")
    kdf = Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p)
    return kdf.derive(passphrase.encode("utf-8"))


def wrap_key(data_key: bytes, passphrase: str, profile_id: str) -> WrappedKey:
    """Wrap ``data_key`` under ``passphrase`` (scrypt + AES-GCM, the profile id as associated data)."""
    salt, nonce = os.urandom(16), os.urandom(12)
    kek = _passphrase_key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    ciphertext = AESGCM(kek).encrypt(nonce, data_key, profile_id.encode())
    return WrappedKey(profile_id, salt, nonce, ciphertext)


def unwrap_key(wrapped: WrappedKey, passphrase: str) -> bytes:
    """Recover the data key; ``WrongPassphrase`` when the passphrase does not open it."""
    kek = _passphrase_key(passphrase, wrapped.salt, wrapped.n, wrapped.r, wrapped.p)
    try:
        return AESGCM(kek).decrypt(wrapped.nonce, wrapped.ciphertext, wrapped.profile_id.encode())
    except InvalidTag:
        raise WrongPassphrase("the passphrase does not open this profile") from None


def write_wrapped_key(path: Path, wrapped: WrappedKey) -> None:
    """Write ``key.json`` atomically (a crash leaves the old file or the new one, never half)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(wrapped.to_json(), indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_wrapped_key(path: Path) -> WrappedKey:
    try:
        return WrappedKey.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as exc:
        raise ProfileDamaged(f"cannot read {path.name}: {type(exc).__name__}") from None


def keychain_get(profile_id: str) -> bytes | None:
    """The data key from the OS keychain, or None when no usable keychain holds it."""
    try:
        stored = keyring.get_password(KEYRING_SERVICE, profile_id)
    except keyring.errors.KeyringError as exc:
        log.info("keychain unavailable: %s", type(exc).__name__)
        return None
    if not stored:
        return None
    try:
        key = base64.b64decode(stored, validate=True)
    except ValueError:
        return None
    return key if len(key) == KEY_BYTES else None


def keychain_put(profile_id: str, data_key: bytes) -> bool:
    """Store the data key in the OS keychain; False when there is no usable keychain."""
    try:
        keyring.set_password(KEYRING_SERVICE, profile_id, base64.b64encode(data_key).decode())
    except keyring.errors.KeyringError as exc:
        log.info("keychain unavailable, the passphrase alone will open the profile: %s",
                 type(exc).__name__)
        return False
    return True


def keychain_forget(profile_id: str) -> None:
    try:
        keyring.delete_password(KEYRING_SERVICE, profile_id)
    except keyring.errors.KeyringError:
        pass


def blob_key(data_key: bytes) -> bytes:
    """The sub-key that encrypts attachment blobs (never the database key itself)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"communedesk blobs")
    return hkdf.derive(data_key)

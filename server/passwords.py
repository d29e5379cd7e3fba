"""Password hashing with scrypt (memory-hard), via ``cryptography``.

Stored form: ``scrypt$N$r$p$salt$hash`` (base64), so the cost can rise later without breaking
old hashes. Verification is constant-time. Thread-safe.
"""

from __future__ import annotations

import base64
import hmac
import os

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

N, R, P = 2**15, 8, 1  # 32 MiB and ~0.1 s a check: slows guessing, not a person


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = Scrypt(salt=salt, length=32, n=N, r=R, p=P).derive(password.encode("utf-8"))
    b64 = base64.b64encode
    return f"scrypt${N}${R}${P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        name, n, r, p, salt, digest = stored.split("$")
        if name != "scrypt":
            return False
        derived = Scrypt(salt=base64.b64decode(salt), length=32, n=int(n), r=int(r),
                         p=int(p)).derive(password.encode("utf-8"))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(derived, base64.b64decode(digest))


# Checked against on unknown usernames, so an unknown name costs as much as a wrong password.
DUMMY_HASH = hash_password(os.urandom(16).hex())

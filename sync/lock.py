"""One sync at a time per profile, also across processes (the desktop app and the CLI).

An exclusive, non-blocking OS file lock on ``sync.lock`` in the profile folder: the kernel
releases it when its holder exits, even by SIGKILL, so a crashed sync never leaves the profile
locked. ``SyncBusy`` when another process (or thread) holds it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sync.transport import SyncError

if os.name == "nt":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


class SyncBusy(SyncError):
    code = "sync_busy"


@contextmanager
def sync_lock(folder: Path) -> Iterator[None]:
    """Hold the profile's sync lock for the ``with`` block, or raise ``SyncBusy`` at once."""
    fd = os.open(folder / "sync.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if not _try_lock(fd):
            raise SyncBusy("another sync is running on this profile")
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock

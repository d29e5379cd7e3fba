"""Waiting for a request that is still writing, across worker processes.

A client whose connection was cut asks at once where the server got to (``GET /v1/push/mark``,
``HEAD /v1/blobs/…``), often before the server has read and applied the bytes that crossed
before the cut. Answering from that moment makes the client send those bytes again. So the
writing request holds an OS file lock (``writing``) and the question waits, a bounded time,
until nobody holds it (``wait_idle``). File locks work across the workers of one machine and
vanish with a crashed process.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WAIT_S = 2.0


@contextmanager
def writing(lock: Path) -> Iterator[None]:
    """Hold ``lock`` (shared among writers: only askers wait) for the ``with`` block."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def wait_idle(lock: Path, wait_s: float = WAIT_S) -> None:
    """Return once no one holds ``lock`` exclusively or shared, or after ``wait_s``."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            fd = os.open(lock, os.O_RDONLY)
        except FileNotFoundError:
            return  # nobody ever wrote here
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            time.sleep(0.01)
        finally:
            os.close(fd)  # closing drops the lock taken to test

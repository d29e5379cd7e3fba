"""When to sync (ARCHITECTURE.md, "Sync, in one paragraph"): soon after a local change, every
few minutes while the link is up, and, while it is down, a cheap probe on an exponential backoff
with full jitter that resets as soon as a request makes progress.

``Scheduler.run`` loops in the caller's thread until ``stop()`` (``sync --watch``); the desktop
app drives the same policy (``wait_after``) from a Qt timer and runs each sync on its network
worker. The
sync itself is the ``run_sync`` callable; it returns normally on success and raises on failure
(``LinkDown`` and other ``SyncError``s back off; anything else stops the loop). No Qt here.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable

from sync.transport import LinkDown, Refused, SignInRequired, SyncError

DEFAULT_INTERVAL = 300.0  # seconds between syncs while online
CHANGE_DELAY = 5.0  # a local change is synced this soon (changes in a burst go together)
BACKOFF_BASE = 5.0
BACKOFF_CAP = 600.0


def backoff_delay(failures: int, *, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP,
                  rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait after ``failures`` failures in a row: exponential, full jitter."""
    if failures <= 0:
        return 0.0
    return min(cap, base * 2 ** (failures - 1)) * rand()


class Scheduler:
    def __init__(self, run_sync: Callable[[], object], *, interval: float = DEFAULT_INTERVAL,
                 change_delay: float = CHANGE_DELAY,
                 on_error: Callable[[Exception, float], None] | None = None,
                 rand: Callable[[], float] = random.random) -> None:
        self.run_sync, self.interval, self.change_delay = run_sync, interval, change_delay
        self.on_error = on_error or (lambda error, wait: None)
        self.rand = rand
        self.failures = 0
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._changed = False

    def nudge(self) -> None:
        """A local change: sync soon (also ends a backoff wait early: the person is working)."""
        self._changed = True
        self._wake.set()

    def made_progress(self) -> None:
        """A request moved something: the link works, so the backoff starts over."""
        self.failures = 0

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    def run(self, *, once_ok: bool = False) -> None:
        """Loop until ``stop()``; ``once_ok``: return after the first successful sync."""
        while not self._stopped.is_set():
            self._changed = False
            try:
                self.run_sync()
            except (LinkDown, Refused, SyncError) as error:
                wait = self.wait_after(error)
                self.on_error(error, wait)
            else:
                wait = self.wait_after(None)
                if once_ok:
                    return
            self._sleep(wait)

    def wait_after(self, error: Exception | None) -> float:
        """Seconds until the next sync after one that ended with ``error`` (None: success).

        The one policy for both drivers: ``run`` here, and the desktop app's timer. Re-raises
        what retrying cannot help: sign-in refused, or a request the server refuses as such."""
        if error is None:
            self.failures = 0
            return self.interval
        if isinstance(error, SignInRequired):
            raise error  # a person must sign in; retrying cannot help
        if isinstance(error, Refused) and error.status in (400, 403, 413, 426):
            raise error  # retrying the same request cannot help either
        if not isinstance(error, LinkDown | Refused | SyncError):
            raise error
        self.failures += 1
        wait = backoff_delay(self.failures, rand=self.rand)
        if isinstance(error, Refused) and error.retry_after:
            wait = max(wait, error.retry_after)
        return wait

    def _sleep(self, seconds: float) -> None:
        """Wait ``seconds``, or less after a local change (even one made during the sync)."""
        if not self._changed:
            self._wake.wait(seconds)
            self._wake.clear()
        if self._changed and not self._stopped.is_set():
            self._stopped.wait(self.change_delay)  # let a burst of changes finish

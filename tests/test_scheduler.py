"""The sync scheduler: backoff with full jitter that starts over after progress, a sync soon
after a local change, and stopping (sync/scheduler.py; no Qt, no server needed)."""

from __future__ import annotations

import threading
import time

import pytest

from sync.scheduler import Scheduler, backoff_delay
from sync.transport import LinkDown, Refused, SignInRequired


def test_backoff_doubles_up_to_a_cap_with_full_jitter() -> None:
    top = [backoff_delay(n, rand=lambda: 1.0) for n in range(1, 10)]
    assert top[:5] == [5.0, 10.0, 20.0, 40.0, 80.0] and top[-1] == 600.0
    assert backoff_delay(3, rand=lambda: 0.25) == 5.0
    assert backoff_delay(0) == 0.0


def run_scheduler(scheduler: Scheduler) -> threading.Thread:
    thread = threading.Thread(target=scheduler.run, daemon=True)
    thread.start()
    return thread


def test_failures_back_off_and_progress_starts_the_backoff_over() -> None:
    waits: list[float] = []
    calls = 0

    def sync() -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            scheduler.made_progress()  # a frame went through before this cut
        raise LinkDown("cut")

    scheduler = Scheduler(sync, rand=lambda: 0.001,
                          on_error=lambda error, wait: waits.append(wait))
    thread = run_scheduler(scheduler)
    while len(waits) < 5:
        time.sleep(0.01)
    scheduler.stop()
    thread.join(5)
    assert waits[:2] == [pytest.approx(0.005), pytest.approx(0.010)]
    assert waits[2] == pytest.approx(0.005)  # progress reset the count before this failure
    assert waits[3] == pytest.approx(0.010)


def test_retry_after_from_the_server_is_respected() -> None:
    waits: list[float] = []

    def sync() -> None:
        raise Refused(429, "rate_limited", "later", retry_after=0.05)

    scheduler = Scheduler(sync, rand=lambda: 0.0, on_error=lambda e, wait: waits.append(wait))
    thread = run_scheduler(scheduler)
    while not waits:
        time.sleep(0.01)
    scheduler.stop()
    thread.join(5)
    assert waits[0] == 0.05


def test_a_local_change_syncs_soon_even_during_the_interval() -> None:
    done: list[float] = []
    scheduler = Scheduler(lambda: done.append(time.monotonic()), interval=3600,
                          change_delay=0.05)
    thread = run_scheduler(scheduler)
    while not done:
        time.sleep(0.01)
    scheduler.nudge()
    deadline = time.monotonic() + 5
    while len(done) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    scheduler.stop()
    thread.join(5)
    assert len(done) >= 2 and done[1] - done[0] < 2


def test_sign_in_and_an_old_version_stop_the_loop() -> None:
    for error in (SignInRequired("revoked", "device_revoked"),
                  Refused(426, "upgrade_required", "update")):
        def sync(error: Exception = error) -> None:
            raise error

        with pytest.raises(type(error)):
            Scheduler(sync).run()


def test_once_ok_returns_after_the_first_success() -> None:
    calls = []
    Scheduler(lambda: calls.append(1)).run(once_ok=True)
    assert calls == [1]

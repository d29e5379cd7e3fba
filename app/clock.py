"""Where "now" comes from.

The store never calls ``datetime.now`` itself: it asks a ``Clock``. Tests move time with
``FixedClock``; the sync issue corrects the system clock by the offset measured at the last server
contact. Thread-safe: clocks hold no mutable state beyond what their owner sets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """The machine's clock, corrected by the offset to the server's measured at the last
    contact (``offset``; app/syncing.py keeps it current)."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def machine_now(self) -> datetime:
        """The machine's own time, uncorrected (what the offset is measured against)."""
        return datetime.now(UTC)

    def now(self) -> datetime:
        return self.machine_now() + self.offset


class FixedClock(Clock):
    """A clock that stands still until moved; for tests and reproducible imports."""

    def __init__(self, moment: datetime) -> None:
        super().__init__()
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self.moment = moment

    def machine_now(self) -> datetime:
        return self.moment.astimezone(UTC)

    def now(self) -> datetime:
        return self.machine_now()  # stands still: a measured offset does not move it

    def advance(self, delta: timedelta) -> None:
        self.moment = self.moment + delta

"""Devices' last contact (``device list``), written in batches rather than by the requests.

A request whose token check finds its device's ``last_contact`` older than
``server.auth.CONTACT_RESOLUTION`` marks the device here and goes on; every ``FLUSH_SECONDS``
the worker writes the time of the flush to all its marked devices in one statement from a
worker thread, and once more when it stops.
Written by the request itself, these were up to one small write transaction a device a minute,
each waited for: on SQLite, where writers queue for one lock, a city's devices coming due
together held pulls for seconds (docs/benchmarks.md). ``device list`` stays at most
``CONTACT_RESOLUTION`` plus ``FLUSH_SECONDS`` behind.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import sqlalchemy as sa
from fastapi.concurrency import run_in_threadpool

from server import schema

FLUSH_SECONDS = 5.0
log = logging.getLogger("communedesk.server")


def write_contacts(engine: sa.Engine, devices: set[str], moment: datetime) -> None:
    """The devices' ``last_contact`` moved forward to ``moment`` (never backwards): one
    statement for them all, so that the worker thread writing it holds the GIL, which the
    event loop needs, for as little as it can (one ``executemany`` of a row a device put
    tens of milliseconds on the pulls' p99)."""
    d = schema.devices
    with engine.begin() as connection:
        connection.execute(
            d.update().where(d.c.id.in_(sorted(devices)),
                             sa.or_(d.c.last_contact.is_(None), d.c.last_contact < moment))
            .values(last_contact=moment))


class ContactRecorder:
    """``mark(device, now)`` from the event loop; ``run()`` is the worker's flushing task."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._marks: set[str] = set()

    def mark(self, device_id: str) -> None:
        self._marks.add(device_id)

    async def flush(self) -> None:
        """Write the marks so far, with the time of the flush; if that fails they are kept for
        the next flush."""
        marks, self._marks = self._marks, set()
        if not marks:
            return
        try:
            await run_in_threadpool(write_contacts, self.engine, marks, datetime.now(UTC))
        except BaseException:
            self._marks |= marks
            raise

    async def run(self) -> None:
        """Flush every FLUSH_SECONDS until cancelled (the worker stops), then once more."""
        try:
            while True:
                await asyncio.sleep(FLUSH_SECONDS)
                try:
                    await self.flush()
                except sa.exc.SQLAlchemyError:  # the database is away: the next flush retries
                    log.exception("writing devices' last contact failed")
        finally:
            if self._marks:
                write_contacts(self.engine, self._marks, datetime.now(UTC))

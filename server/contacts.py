"""Devices' last contact (``device list``), written in batches rather than by the requests.

A request whose token check finds its device's ``last_contact`` older than
``server.auth.CONTACT_RESOLUTION`` marks the device here and goes on; every ``FLUSH_SECONDS`` the worker
writes all its marks in one transaction from a worker thread, and once more when it stops.
Written by the request itself, these were up to one small write transaction a device a minute,
each waited for: on SQLite, where writers queue for one lock, a city's devices coming due
together held pulls for seconds (docs/benchmarks.md). ``device list`` stays at most
``CONTACT_RESOLUTION`` plus ``FLUSH_SECONDS`` behind.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import sqlalchemy as sa
from fastapi.concurrency import run_in_threadpool

from server import schema

FLUSH_SECONDS = 5.0
log = logging.getLogger("communedesk.server")


def write_contacts(engine: sa.Engine, contacts: dict[str, datetime]) -> None:
    """Each device's ``last_contact`` moved forward to its time here (never backwards)."""
    d = schema.devices
    with engine.begin() as connection:
        connection.execute(
            d.update().where(d.c.id == sa.bindparam("device"),
                             sa.or_(d.c.last_contact.is_(None),
                                    d.c.last_contact < sa.bindparam("moment")))
            .values(last_contact=sa.bindparam("moment")),
            [{"device": device, "moment": moment} for device, moment in contacts.items()])


class ContactRecorder:
    """``mark(device, now)`` from the event loop; ``run()`` is the worker's flushing task."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._marks: dict[str, datetime] = {}

    def mark(self, device_id: str, now: datetime) -> None:
        self._marks[device_id] = now

    async def flush(self) -> None:
        """Write the marks so far; if that fails they are kept for the next flush."""
        marks, self._marks = self._marks, {}
        if not marks:
            return
        try:
            await run_in_threadpool(write_contacts, self.engine, marks)
        except BaseException:
            self._marks = {**marks, **self._marks}
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
                write_contacts(self.engine, self._marks)

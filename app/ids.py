"""Ids of the rows this profile makes: time-ordered UUIDs (version 7, RFC 9562).

A random UUIDv4 lands on a random page of its table's primary-key index, so a batch of
20,000 new events and outbox operations rewrites most of those indexes' pages; a UUIDv7 starts
with the time in milliseconds, so new rows append to the index's last pages. They are still
unique without coordination (74 random bits each) and remain plain UUIDs for the server,
which checks only the form. uuid-utils makes them in Rust, ten times faster than
``str(uuid.uuid4())``.
"""

from __future__ import annotations

import uuid_utils


def new_id() -> str:
    """A new time-ordered id in the canonical 36-character form."""
    return str(uuid_utils.uuid7())

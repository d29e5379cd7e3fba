"""Dossier codes ``{unit identifier}-{yyMMdd}-{NNNN}``, unique with many machines offline.

Each device numbers only inside its slot, a sub-range of NNNN valid on every day. The slot comes
from a ``SlotSource``: the server gives one at first sign-in (the sync issue); a profile that has
never met a server uses the stand-alone range. The counter lives in the same transaction as the
dossier it numbers, so a crash never burns or repeats a number. Running out of the slot on a day
is an error, never a wrap-around. See docs/decisions/0001-dossier-codes.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import sqlite_utils

from app.db import insert_rows
from app.errors import InvalidField, SlotExhausted

UNIT_ID_PATTERN = re.compile(r"^[0-9A-Za-z.]{1,40}$")
CODE_PATTERN = re.compile(r"^(?P<unit>[0-9A-Za-z.]{1,40})-(?P<day>\d{6})-(?P<number>\d{4})$")


@dataclass(frozen=True)
class Slot:
    """The numbers ``first``..``last`` (inclusive) of every day's sequence, for one device."""

    first: int
    last: int
    source: str  # "standalone" or "server"

    def __post_init__(self) -> None:
        if not 1 <= self.first <= self.last <= 9999:
            raise ValueError(f"bad slot {self.first}-{self.last}")

    def to_setting(self) -> str:
        return f"{self.first}-{self.last}"

    @classmethod
    def from_setting(cls, value: str, source: str = "server") -> Slot:
        first, _, last = value.partition("-")
        return cls(int(first), int(last), source)


# Kept for profiles that have never met a server; a clash found later becomes a conflict.
STANDALONE_SLOT = Slot(9000, 9999, "standalone")


class SlotSource(Protocol):
    def current_slot(self) -> Slot: ...


def check_unit_id(unit_id: str) -> str:
    if not UNIT_ID_PATTERN.match(unit_id):
        raise InvalidField("unit identifier: letters, digits and dots only", field="unit_id")
    return unit_id


def format_code(unit_id: str, day: date, number: int) -> str:
    # Not f"{day:%y%m%d}": strftime is most of the cost when an import numbers 20,000 dossiers.
    return f"{unit_id}-{day.year % 100:02d}{day.month:02d}{day.day:02d}-{number:04d}"


class CodeAllocator:
    """Hands out the next free codes of a slot inside one transaction.

    Reads each day's counter and the codes already taken in the slot once (all the days of a
    batch in two statements with ``load``), numbers in memory, and writes the counters back
    with ``flush`` before the transaction commits.
    """

    def __init__(self, db: sqlite_utils.Database, unit_id: str, slot: Slot) -> None:
        self.db, self.unit_id, self.slot = db, unit_id, slot
        self._last: dict[date, int] = {}
        self._taken: set[str] = set()  # codes of the slot on the days read, given or taken

    def load(self, days: Iterable[date]) -> None:
        """Read the counters and taken codes of ``days`` (those not read yet) at once.

        Each statement answers one row of JSON, so the read returns to Python once, not once a
        code: a bulk import writes while its helper thread holds Python's interpreter lock.
        """
        days = sorted(set(days) - set(self._last))
        if not days:
            return
        counters = json.loads(self.db.execute(
            "SELECT json_group_object(day, last) FROM code_counters "
            "WHERE slot_first = ? AND day IN (SELECT value FROM json_each(?))",
            [self.slot.first, json.dumps([day.isoformat() for day in days])]).fetchone()[0])
        ranges = [(format_code(self.unit_id, day, self.slot.first),
                   format_code(self.unit_id, day, self.slot.last)) for day in days]
        taken = json.loads(self.db.execute(
            "SELECT json_group_array(d.code) FROM json_each(?) AS r "
            "JOIN dossiers AS d ON d.code BETWEEN r.value->>0 AND r.value->>1",
            [json.dumps(ranges)]).fetchone()[0])
        for day in days:
            self._last[day] = counters.get(day.isoformat(), self.slot.first - 1)
        self._taken.update(taken)

    def take(self, day: date) -> str:
        """The next free code of ``day``; ``SlotExhausted`` past the slot's last number."""
        if day not in self._last:
            self.load([day])
        number = self._last[day] + 1
        while number <= self.slot.last:
            code = format_code(self.unit_id, day, number)
            if code not in self._taken:
                self._last[day] = number
                self._taken.add(code)
                return code
            number += 1
        raise SlotExhausted(
            f"no code left on {day.isoformat()} in slot {self.slot.first}-{self.slot.last}",
            day=day.isoformat(), first=self.slot.first, last=self.slot.last,
        )

    def flush(self) -> None:
        insert_rows(self.db.conn, "code_counters(day, slot_first, last)",
                    [(day.isoformat(), self.slot.first, last) for day, last in self._last.items()],
                    on_conflict="ON CONFLICT(day, slot_first) DO UPDATE "
                                "SET last = max(last, excluded.last)")

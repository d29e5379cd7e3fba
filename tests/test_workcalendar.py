"""Tests for app.workcalendar: the working-day calendar and appointment (due) times."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.workcalendar import (
    DEFAULT_SNAPSHOT,
    CalendarRangeError,
    DueTimeCalculator,
    OfficeHours,
    WorkCalendar,
    to_local,
)

REPO = Path(__file__).resolve().parents[1]
VN = timezone(timedelta(hours=7))
CALENDAR = WorkCalendar.load()
CALC = DueTimeCalculator(CALENDAR)


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    """An aware datetime at +07:00."""
    return datetime(year, month, day, hour, minute, second, tzinfo=VN)


def load_generator():
    """Import resources/calendar/generate.py (a script, not a package) as a module."""
    path = REPO / "resources" / "calendar" / "generate.py"
    spec = importlib.util.spec_from_file_location("calendar_generate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- DOMAIN.md worked examples (calendar of holidays 0.109) -------------------------------------

DOMAIN_EXAMPLES = [
    pytest.param(vn(2026, 1, 6, 15, 0), 0, vn(2026, 1, 6, 17, 0), id="same-day-at-cutoff"),
    pytest.param(vn(2026, 1, 6, 15, 1), 0, vn(2026, 1, 7, 17, 0), id="same-day-after-cutoff"),
    pytest.param(vn(2025, 12, 31, 16, 0), 0, vn(2026, 1, 2, 17, 0), id="same-day-over-new-year"),
    pytest.param(vn(2026, 1, 5, 9, 0), 3, vn(2026, 1, 8, 9, 0), id="3-days"),
    pytest.param(vn(2026, 1, 5, 12, 10), 1, vn(2026, 1, 6, 11, 30), id="1-day-from-lunch"),
    pytest.param(vn(2026, 1, 3, 9, 0), 1, vn(2026, 1, 5, 17, 0), id="1-day-from-saturday"),
    pytest.param(vn(2025, 4, 25, 13, 30), 1, vn(2025, 4, 26, 11, 30), id="makeup-saturday"),
]


@pytest.mark.parametrize(("received", "working_days", "expected"), DOMAIN_EXAMPLES)
def test_domain_examples(received, working_days, expected):
    due = CALC.due_at(received, working_days)
    assert due == expected
    assert due.tzinfo is UTC


def test_domain_example_supplement_pause():
    due = CALC.due_at(vn(2026, 1, 5, 9, 0), 3)
    assert CALC.office_minutes_between(vn(2026, 1, 5, 10, 0), vn(2026, 1, 6, 10, 0)) == 480
    assert CALC.pause(due, vn(2026, 1, 5, 10, 0), vn(2026, 1, 6, 10, 0)) == vn(2026, 1, 9, 9, 0)


# --- Holiday periods of holidays 0.109 -----------------------------------------------------------

HOLIDAY_CASES = [
    # Tết 2026: Mon 16/02 to Fri 20/02 are days off (with the weekends around them).
    pytest.param(vn(2026, 2, 13, 9, 0), 1, vn(2026, 2, 23, 9, 0), id="tet-1-day"),
    pytest.param(vn(2026, 2, 12, 14, 0), 3, vn(2026, 2, 24, 14, 0), id="tet-3-days"),
    pytest.param(vn(2026, 2, 13, 16, 0), 0, vn(2026, 2, 23, 17, 0), id="tet-same-day-late"),
    pytest.param(vn(2026, 2, 13, 14, 59), 0, vn(2026, 2, 13, 17, 0), id="tet-same-day-early"),
    pytest.param(vn(2026, 2, 18, 10, 0), 0, vn(2026, 2, 23, 17, 0), id="tet-received-during"),
    # 30/4 (Thu) and 1/5 (Fri) 2026; Mon 27/04 is the Hùng Kings' day observed.
    pytest.param(vn(2026, 4, 29, 10, 0), 1, vn(2026, 5, 4, 10, 0), id="30-4-1-day"),
    pytest.param(vn(2026, 4, 29, 15, 30), 0, vn(2026, 5, 4, 17, 0), id="30-4-same-day"),
    pytest.param(vn(2026, 4, 24, 10, 0), 2, vn(2026, 4, 29, 10, 0), id="hung-kings-observed"),
    # National Day 2026: Mon 31/08 (swapped for Sat 22/08), Tue 01/09 and Wed 02/09 off.
    pytest.param(vn(2026, 8, 28, 16, 0), 1, vn(2026, 9, 3, 16, 0), id="2-9-1-day"),
    pytest.param(vn(2026, 8, 28, 15, 10), 0, vn(2026, 9, 3, 17, 0), id="2-9-same-day"),
    pytest.param(vn(2026, 8, 21, 16, 0), 0, vn(2026, 8, 22, 17, 0), id="makeup-22-8-same-day"),
    pytest.param(vn(2026, 8, 22, 9, 0), 1, vn(2026, 8, 24, 9, 0), id="makeup-22-8-1-day"),
]


@pytest.mark.parametrize(("received", "working_days", "expected"), HOLIDAY_CASES)
def test_holiday_periods(received, working_days, expected):
    assert CALC.due_at(received, working_days) == expected


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 13), True),
        *[(date(2026, 2, d), False) for d in range(14, 23)],
        (date(2026, 2, 23), True),
        (date(2026, 4, 27), False),
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        (date(2026, 8, 22), True),
        (date(2026, 8, 31), False),
        (date(2026, 9, 1), False),
        (date(2026, 9, 2), False),
        (date(2026, 9, 3), True),
        (date(2025, 4, 26), True),
        (date(2025, 5, 2), False),
    ],
)
def test_is_working_day(day, working):
    assert CALENDAR.is_working_day(day) is working


def test_makeup_working_days():
    for day in (date(2025, 4, 26), date(2026, 8, 22)):
        assert day.weekday() == 5
        assert CALENDAR.is_working_day(day)
        assert any(
            row == {"date": day.isoformat(), "kind": "makeup_workday", "name": ""}
            for row in CALENDAR.to_rows()
        )


def test_holiday_names_are_vietnamese():
    assert CALENDAR.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert CALENDAR.holiday_name(date(2026, 9, 2)) == "Quốc khánh"
    assert CALENDAR.holiday_name(date(2026, 1, 5)) is None


# --- Edges of the counting rules -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "working_days", "expected"),
    [
        pytest.param(vn(2026, 1, 5, 7, 0), 1, vn(2026, 1, 5, 17, 0), id="ends-at-17"),
        pytest.param(vn(2026, 1, 5, 6, 0), 1, vn(2026, 1, 5, 17, 0), id="before-opening"),
        pytest.param(vn(2026, 1, 5, 17, 0), 1, vn(2026, 1, 6, 17, 0), id="at-closing"),
        pytest.param(vn(2026, 1, 5, 11, 30), 1, vn(2026, 1, 6, 11, 30), id="at-lunch-start"),
        pytest.param(vn(2026, 1, 5, 6, 0), 0, vn(2026, 1, 5, 17, 0), id="same-day-early"),
        pytest.param(vn(2026, 1, 6, 15, 0, 40), 0, vn(2026, 1, 6, 17, 0), id="seconds-dropped"),
        pytest.param(
            datetime(2026, 1, 6, 8, 0, tzinfo=UTC), 0, vn(2026, 1, 6, 17, 0), id="utc-input"
        ),
    ],
)
def test_counting_edges(received, working_days, expected):
    assert CALC.due_at(received, working_days) == expected


def test_thirty_working_days_over_tet():
    due = CALC.due_at(vn(2026, 1, 26, 9, 0), 30)
    # 30 working days after Mon 26/01/2026, skipping the five weekdays of Tết.
    assert due == vn(2026, 3, 16, 9, 0)


def test_add_working_days_extends_for_verification():
    due = CALC.due_at(vn(2026, 1, 5, 9, 0), 3)
    assert CALC.add_working_days(due, 5) == vn(2026, 1, 15, 9, 0)
    assert CALC.add_working_days(vn(2026, 1, 5, 17, 0), 1) == vn(2026, 1, 6, 17, 0)
    assert CALC.add_working_days(due, 0) == due


def test_pause_edges():
    due = vn(2026, 1, 8, 9, 0)
    assert CALC.pause(due, vn(2026, 1, 5, 12, 0), vn(2026, 1, 5, 13, 0)) == due
    assert CALC.pause(due, vn(2026, 1, 5, 16, 0), vn(2026, 1, 6, 8, 0)) == vn(2026, 1, 8, 11, 0)
    with pytest.raises(ValueError):
        CALC.pause(due, vn(2026, 1, 6, 10, 0), vn(2026, 1, 5, 10, 0))


def test_office_minutes_between():
    assert CALC.office_minutes_between(vn(2026, 1, 6, 10, 0), vn(2026, 1, 5, 10, 0)) == 0
    assert CALC.office_minutes_between(vn(2026, 1, 5, 10, 0), vn(2026, 1, 5, 10, 0)) == 0
    assert CALC.office_minutes_between(vn(2026, 1, 2, 0, 0), vn(2026, 1, 5, 0, 0)) == 480
    assert CALC.office_minutes_between(vn(2026, 2, 14, 0, 0), vn(2026, 2, 23, 0, 0)) == 0


def test_is_office_time():
    assert CALC.is_office_time(vn(2026, 1, 5, 7, 0))
    assert CALC.is_office_time(vn(2026, 1, 5, 11, 29, 59))
    assert not CALC.is_office_time(vn(2026, 1, 5, 11, 30))
    assert not CALC.is_office_time(vn(2026, 1, 5, 17, 0))
    assert not CALC.is_office_time(vn(2026, 1, 3, 9, 0))
    assert CALC.is_office_time(vn(2025, 4, 26, 9, 0))


def test_naive_datetimes_rejected():
    naive = datetime(2026, 1, 5, 9, 0)
    for call in (
        lambda: CALC.due_at(naive, 1),
        lambda: CALC.add_working_days(naive, 1),
        lambda: CALC.office_minutes_between(naive, vn(2026, 1, 6)),
        lambda: CALC.is_office_time(naive),
        lambda: to_local(naive),
    ):
        with pytest.raises(ValueError, match="timezone-aware"):
            call()


def test_negative_days_rejected():
    with pytest.raises(ValueError):
        CALC.due_at(vn(2026, 1, 5, 9, 0), -1)
    with pytest.raises(ValueError):
        CALC.add_working_days(vn(2026, 1, 5, 9, 0), -1)


def test_to_local():
    local = to_local(datetime(2026, 1, 5, 2, 0, tzinfo=UTC))
    assert local.utcoffset() == timedelta(hours=7)
    assert (local.hour, local.minute) == (9, 0)


# --- Calendar data -------------------------------------------------------------------------------


def test_calendar_out_of_range():
    assert issubclass(CalendarRangeError, ValueError)
    assert CalendarRangeError.code == "calendar_out_of_range"
    for day in (date(2019, 12, 31), date(2031, 1, 1)):
        with pytest.raises(CalendarRangeError):
            CALENDAR.is_working_day(day)
        with pytest.raises(CalendarRangeError):
            CALENDAR.holiday_name(day)
    with pytest.raises(CalendarRangeError):
        CALC.due_at(vn(2030, 12, 31, 16, 0), 0)
    with pytest.raises(CalendarRangeError):
        CALC.due_at(vn(2031, 1, 2, 9, 0), 1)
    # A count passing whole days (by their running total of office minutes) past the end.
    assert CALC.due_at(vn(2030, 12, 2, 9, 0), 15) == vn(2030, 12, 23, 9, 0)
    with pytest.raises(CalendarRangeError):
        CALC.due_at(vn(2030, 12, 20, 9, 0), 15)


def test_snapshot_matches_generator():
    generator = load_generator()
    assert DEFAULT_SNAPSHOT.read_text(encoding="utf-8") == generator.render(
        generator.build_snapshot()
    )
    assert CALENDAR.version == generator.VERSION
    assert (CALENDAR.first_year, CALENDAR.last_year) == (2020, 2030)


def test_generator_refuses_other_holidays_version(monkeypatch):
    generator = load_generator()
    monkeypatch.setattr(generator.holidays, "__version__", "0.1")
    with pytest.raises(SystemExit, match="pins holidays=="):
        generator.build_snapshot()


def test_rows_round_trip():
    rows = CALENDAR.to_rows()
    assert rows == sorted(rows, key=lambda row: row["date"])
    copy = WorkCalendar.from_rows(CALENDAR.version, 2020, 2030, rows)
    assert copy.to_rows() == rows
    assert copy.version == CALENDAR.version


def test_calendar_validation():
    with pytest.raises(ValueError, match="unknown kind"):
        WorkCalendar.from_rows("x", 2026, 2026, [{"date": "2026-01-01", "kind": "x", "name": ""}])
    with pytest.raises(ValueError, match="both"):
        WorkCalendar("x", {date(2026, 1, 1): "a"}, [date(2026, 1, 1)], 2026, 2026)
    with pytest.raises(CalendarRangeError):
        WorkCalendar("x", {date(2027, 1, 1): "a"}, [], 2026, 2026)
    with pytest.raises(ValueError, match="invalid calendar snapshot"):
        WorkCalendar.from_snapshot({"version": "x"})


def test_module_does_not_import_qt():
    code = "import sys, app.workcalendar; print(any(m.startswith('PySide6') for m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --- Office hours settings -----------------------------------------------------------------------


def test_office_hours_defaults():
    hours = OfficeHours()
    assert hours.minutes_per_day == 480
    assert OfficeHours.from_settings({}) == hours
    assert hours.to_settings()["office_hours.morning_start"] == "07:00"
    assert hours.to_settings()["office_hours.timezone"] == "Asia/Ho_Chi_Minh"


def test_office_hours_settings_round_trip():
    hours = OfficeHours(
        morning_start=time(7, 30), afternoon_end=time(16, 45), same_day_cutoff=time(14, 30)
    )
    assert OfficeHours.from_settings(hours.to_settings()) == hours
    assert hours.minutes_per_day == 240 + 195
    partial = OfficeHours.from_settings({"office_hours.afternoon_end": "16:30", "other": "x"})
    assert partial == OfficeHours(afternoon_end=time(16, 30))


@pytest.mark.parametrize(
    "settings_",
    [
        {"office_hours.morning_start": "7h"},
        {"office_hours.morning_end": "14:00"},
        {"office_hours.same_day_cutoff": "18:00"},
    ],
)
def test_office_hours_invalid_settings(settings_):
    with pytest.raises(ValueError):
        OfficeHours.from_settings(settings_)


def test_custom_office_hours():
    hours = OfficeHours(afternoon_end=time(16, 30), same_day_cutoff=time(14, 0))
    calc = DueTimeCalculator(CALENDAR, hours)
    assert calc.due_at(vn(2026, 1, 6, 14, 30), 0) == vn(2026, 1, 7, 16, 30)
    assert calc.due_at(vn(2026, 1, 5, 7, 0), 1) == vn(2026, 1, 5, 16, 30)


# --- Properties ----------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)
receipts = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2029, 12, 31, 23, 59), timezones=st.just(VN)
)
working_days = st.integers(min_value=0, max_value=30)


@st.composite
def office_moments(draw):
    """A moment inside office hours of a working day, 2024 to 2029."""
    day = draw(
        st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31)).filter(
            CALENDAR.is_working_day
        )
    )
    minute = draw(st.integers(min_value=0, max_value=479))
    second = draw(st.integers(min_value=0, max_value=59))
    start = time(7, 0) if minute < 270 else time(13, 30)
    offset = minute if minute < 270 else minute - 270
    return datetime.combine(day, start, tzinfo=VN) + timedelta(minutes=offset, seconds=second)


def in_office_hours_inclusive_end(moment: datetime) -> bool:
    """Inside a period of a working day, start exclusive and end inclusive (17:00 counts)."""
    local = to_local(moment)
    if not CALENDAR.is_working_day(local.date()):
        return False
    clock = local.time().replace(tzinfo=None)
    return any(start < clock <= end for start, end in OfficeHours().periods)


@PROPERTY_SETTINGS
@given(receipts, receipts, working_days)
def test_due_is_monotonic(first, second, days):
    early, late = sorted((first, second))
    assert CALC.due_at(early, days) <= CALC.due_at(late, days)


@PROPERTY_SETTINGS
@given(receipts, working_days)
def test_due_falls_in_office_hours(received, days):
    due = CALC.due_at(received, days)
    assert due.tzinfo is UTC
    assert due > received
    assert in_office_hours_inclusive_end(due)


@PROPERTY_SETTINGS
@given(office_moments(), st.integers(min_value=1, max_value=30))
def test_office_minutes_to_due(received, days):
    assert CALC.is_office_time(received)
    due = CALC.due_at(received, days)
    assert CALC.office_minutes_between(received, due) == days * 480

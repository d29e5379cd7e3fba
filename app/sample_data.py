"""Realistic, deterministic sample people and dossiers for the demo and the benchmarks.

Everything is drawn from the ``random.Random`` passed in (or seeded here), so a seed always gives
the same data. Names follow the real Vietnamese surname mix, identification numbers agree with
the date of birth and sex, phones are valid Vietnamese mobiles, and addresses are in made-up
villages (thôn) of the commune. The data is invented: any likeness to a real person is chance.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from functools import cache
from itertools import accumulate, combinations
from typing import TypeVar

from app.identity import province_codes

_T = TypeVar("_T")
VN_TZ = timezone(timedelta(hours=7))
MARRIAGE_PROCEDURE = "1.000894"

# Share of the population in percent (approximate national figures); the tail shares the rest.
_SURNAME_SHARES = {
    "Nguyễn": 38.0, "Trần": 11.0, "Lê": 9.5, "Phạm": 7.0, "Hoàng": 4.0, "Huỳnh": 1.1,
    "Phan": 4.5, "Vũ": 2.6, "Võ": 1.3, "Đặng": 2.1, "Bùi": 2.0, "Đỗ": 1.4, "Hồ": 1.3,
    "Ngô": 1.3, "Dương": 1.0, "Lý": 0.5,
}  # fmt: skip
_SURNAME_TAIL = (
    "Đinh", "Trịnh", "Lương", "Mai", "Cao", "Lâm", "Tạ", "Hà", "Chu", "Kiều", "Quách", "Đoàn",
    "Trương", "Vương", "Phùng", "Khuất", "Nghiêm", "Lại", "Tô", "Đào", "Thái", "Triệu",
)  # fmt: skip
_SURNAMES = (*_SURNAME_SHARES, *_SURNAME_TAIL)
_SURNAME_CUM = tuple(
    accumulate(
        (
            *_SURNAME_SHARES.values(),
            *[(100 - sum(_SURNAME_SHARES.values())) / len(_SURNAME_TAIL)] * len(_SURNAME_TAIL),
        )
    )
)

# The first entry of each list (Văn, Thị) is the most common middle name.
_MIDDLE = {
    "male": (
        "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Mạnh", "Tiến", "Thành", "Đình",
        "Ngọc", "Trung", "Tuấn", "Duy", "Thế", "Bá", "Gia", "Hải", "Trọng", "Việt", "Anh",
    ),
    "female": (
        "Thị", "Ngọc", "Thu", "Thanh", "Phương", "Bảo", "Minh", "Thùy", "Hồng", "Kim", "Khánh",
        "Mai", "Diệu", "Hải", "Quỳnh", "Bích", "Hoài", "Tuyết", "Thúy", "Lan", "Vân", "Hà",
    ),
}  # fmt: skip
_GIVEN = {
    "male": (
        "An", "Anh", "Bảo", "Bình", "Chiến", "Công", "Cường", "Dũng", "Duy", "Dương", "Đại",
        "Đạt", "Định", "Đông", "Đức", "Giang", "Hải", "Hào", "Hậu", "Hiển", "Hiếu", "Hiệp",
        "Hòa", "Hoàng", "Huy", "Hùng", "Hưng", "Khải", "Khang", "Khánh", "Khoa", "Kiên",
        "Kiệt", "Lâm", "Linh", "Lộc", "Long", "Lợi", "Luân", "Mạnh", "Minh", "Nam", "Nghĩa",
        "Nhân", "Phát", "Phong", "Phú", "Phúc", "Quân", "Quang", "Quý", "Sơn", "Tài", "Tâm",
        "Thắng", "Thành", "Thịnh", "Tiến", "Toàn", "Trí", "Trọng", "Trung", "Tú", "Tuấn",
        "Tùng", "Việt", "Vinh", "Vũ", "Hoan", "Thái",
    ),
    "female": (
        "An", "Anh", "Ánh", "Bích", "Chi", "Dung", "Duyên", "Diệp", "Điệp", "Giang", "Hà",
        "Hạnh", "Hằng", "Hậu", "Hiền", "Hoa", "Hồng", "Huế", "Huyền", "Hương", "Hường",
        "Khánh", "Lan", "Lệ", "Liên", "Linh", "Loan", "Lụa", "Ly", "Mai", "Mến", "My", "Nga",
        "Ngân", "Ngọc", "Nguyệt", "Nhàn", "Nhi", "Nhung", "Oanh", "Phương", "Phượng", "Quyên",
        "Quỳnh", "Tâm", "Thảo", "Thắm", "Thanh", "Thoa", "Thơm", "Thu", "Thúy", "Thủy", "Thư",
        "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến", "Thương", "Lành",
    ),
}  # fmt: skip

_VILLAGES = (
    "Thôn Bắc Hà", "Thôn Chu Chế", "Thôn Phú Châu", "Thôn Đông Bãi", "Thôn Trung Hà",
    "Thôn Nam Châu", "Thôn Minh Hải",
)  # fmt: skip
# Two-digit prefixes after +84 of the Vietnamese mobile networks.
_MOBILE_PREFIXES = (
    "32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98",  # Viettel
    "81", "82", "83", "84", "85", "88", "91", "94",  # VinaPhone
    "70", "76", "77", "78", "79", "90", "93",  # MobiFone (089 only partly allocated)
    "56", "58", "92", "59",  # Vietnamobile, Gmobile (099 only partly allocated)
)  # fmt: skip
_EMAIL_DOMAINS = ("gmail.com",) * 8 + ("yahoo.com", "outlook.com")
# Birth-registration provinces of people living in a Hà Nội commune: mostly Hà Nội itself.
_HANOI_SHARE = 0.85

_PAPERS = {
    "1.001193": (
        ("Giấy chứng sinh", "original"),
        ("Giấy chứng nhận kết hôn của cha mẹ", "copy"),
        ("Văn bản ủy quyền", "certified_copy"),
    ),
    "1.000656": (
        ("Giấy báo tử", "original"),
        ("Văn bản ủy quyền", "certified_copy"),
    ),
    MARRIAGE_PROCEDURE: (
        ("Giấy xác nhận tình trạng hôn nhân", "original"),
        ("Quyết định ly hôn", "certified_copy"),
    ),
}
_GENERIC_PAPERS = (
    ("Giấy tờ chứng minh nhân thân", "copy"),
    ("Giấy khai sinh", "certified_copy"),
    ("Văn bản ủy quyền", "certified_copy"),
    ("Giấy tờ liên quan", "original"),
)
_NOTES = (
    "Công dân xin nhận kết quả sớm do đi đò.",
    "Nộp thay theo ủy quyền.",
    "Người cao tuổi, ưu tiên tiếp nhận.",
    "Hẹn gọi điện khi có kết quả.",
    "Bản sao sẽ bổ sung khi nhận kết quả.",
)
_CHANNELS, _CHANNEL_CUM = (1, 2, 3), (85, 97, 100)
_STATUSES, _STATUS_CUM = (2, 4, 9, 10), (70, 85, 92, 100)
_DELIVERIES, _DELIVERY_CUM = ("counter", "post", "online"), (85, 93, 100)
# A same-day procedure (time limit 0: certification, birth registration) is this many times as
# frequent at the counter as a procedure that takes days.
_SAME_DAY_WEIGHT = 3

# Office hours, in seconds after midnight: 07:00-11:30 and 13:30-17:00, 8 hours a day.
_OPEN, _LUNCH_START, _LUNCH_END, _CLOSE = 7 * 3600, 11 * 3600 + 1800, 13 * 3600 + 1800, 17 * 3600
_MORNING_SECONDS = _LUNCH_START - _OPEN
_DAY_SECONDS = _MORNING_SECONDS + _CLOSE - _LUNCH_END
DEFAULT_PER_DAY = 40  # dossiers a working day at a commune counter


def _ascii(text: str) -> str:
    """Lower-case ASCII form of a Vietnamese word, for e-mail addresses: ``"Đức"`` -> ``"duc"``."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


_ASCII = {word: _ascii(word) for word in (*_SURNAMES, *_GIVEN["male"], *_GIVEN["female"])}


def _pick(rng: random.Random, items: Sequence[_T]) -> _T:
    """One item drawn uniformly (faster than ``rng.choice``, which matters for benchmarks)."""
    return items[int(rng.random() * len(items))]


def _weighted(rng: random.Random, items: Sequence[_T], cum_weights: Sequence[float]) -> _T:
    """One item drawn with the given cumulative weights (faster than ``rng.choices``)."""
    return items[bisect_right(cum_weights, rng.random() * cum_weights[-1])]


@cache
def _paper_lists(code: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Every list of papers a dossier of the procedure may hold: the declaration and 0-2 more."""
    extra = _PAPERS.get(code, _GENERIC_PAPERS)
    return tuple(
        (("Tờ khai", "original"), *more) for k in range(3) for more in combinations(extra, k)
    )


@cache
def _day_range(first_year: int, last_year: int) -> tuple[int, int]:
    """The ordinal of 1 January of the first year and the number of days to the last year's end."""
    first = date(first_year, 1, 1).toordinal()
    return first, date(last_year, 12, 31).toordinal() - first + 1


@cache
def _addresses(commune_name: str) -> tuple[str, ...]:
    """The commune's villages as addresses: ``"Thôn Bắc Hà, xã Minh Châu, TP Hà Nội"``."""
    commune = commune_name[0].lower() + commune_name[1:]
    return tuple(f"{village}, {commune}, TP Hà Nội" for village in _VILLAGES)


@cache
def _provinces() -> tuple[str, ...]:
    """All province codes, for people registered at birth outside Hà Nội."""
    return tuple(province_codes())


def _id_number(rng: random.Random, born: date, sex: str) -> str:
    """A 12-digit identification number that agrees with the date of birth and sex."""
    province = "001" if rng.random() < _HANOI_SHARE else _pick(rng, _provinces())
    digit = (born.year // 100 - 19) * 2 + (sex == "female")
    return f"{province}{digit}{born.year % 100:02d}{int(rng.random() * 1_000_000):06d}"


def person(
    rng: random.Random,
    *,
    sex: str | None = None,
    born_between: tuple[int, int] = (1950, 2005),
    commune_name: str = "Xã Minh Châu",
) -> dict:
    """One invented resident of the commune, born in the given years (inclusive).

    ``sex`` is ``"male"`` or ``"female"``, random when None; the years lie between 1900 and 2399
    (what the identification number can encode). The e-mail address is None for most people.
    The address is in a village of the commune: ``"Thôn Bắc Hà, xã Minh Châu, TP Hà Nội"``.
    """
    sex = sex or _pick(rng, ("male", "female"))
    first, days = _day_range(*born_between)
    born = date.fromordinal(first + int(rng.random() * days))
    surname = _weighted(rng, _SURNAMES, _SURNAME_CUM)
    middles = _MIDDLE[sex]
    middle = middles[0] if rng.random() < 0.45 else _pick(rng, middles)
    if rng.random() < 0.12:
        second = _pick(rng, middles[1:])
        middle = middle if second == middle else f"{middle} {second}"
    given = _pick(rng, _GIVEN[sex])
    email = None
    if rng.random() < 0.3:
        user = f"{_ASCII[given]}{_ASCII[surname]}{born.year % 100:02d}"
        email = f"{user}@{_pick(rng, _EMAIL_DOMAINS)}"
    return {
        "full_name": f"{surname} {middle} {given}",
        "id_number": _id_number(rng, born, sex),
        "date_of_birth": born.isoformat(),
        "sex": sex,
        "phone": f"+84{_pick(rng, _MOBILE_PREFIXES)}{int(rng.random() * 10_000_000):07d}",
        "email": email,
        "address": _pick(rng, _addresses(commune_name)),
    }


def _working_day(day: date) -> date:
    """The day itself if it is a weekday, else the next Monday."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _office_position(start: datetime) -> tuple[date, int]:
    """Where ``start`` falls as (working day, seconds of office time already gone that day)."""
    local = start.astimezone(VN_TZ) if start.tzinfo else start.replace(tzinfo=VN_TZ)
    day, clock = local.date(), local.hour * 3600 + local.minute * 60 + local.second
    if day.weekday() >= 5 or clock < _OPEN:
        return _working_day(day), 0
    if clock >= _CLOSE:
        return _working_day(day + timedelta(days=1)), 0
    if clock < _LUNCH_START:
        return day, clock - _OPEN
    return day, _MORNING_SECONDS + max(0, clock - _LUNCH_END)


def _receipt_times(rng: random.Random, start: datetime, per_day: int) -> Iterator[str]:
    """Strictly increasing receipt times within weekday office hours after ``start``.

    The times are ISO 8601 with +07:00, whole seconds, about ``per_day`` a working day.
    """
    mean_gap = _DAY_SECONDS / per_day
    day, office = _office_position(start)
    day_text = day.isoformat()
    while True:
        office += max(1, round(rng.expovariate(1 / mean_gap)))
        while office >= _DAY_SECONDS:
            office -= _DAY_SECONDS
            day = _working_day(day + timedelta(days=1))
            day_text = day.isoformat()
        clock = (
            _OPEN + office if office < _MORNING_SECONDS else _LUNCH_END + office - _MORNING_SECONDS
        )
        hours, seconds = divmod(clock, 3600)
        yield f"{day_text}T{hours:02d}:{seconds // 60:02d}:{seconds % 60:02d}+07:00"


def _uuid4(bits: int) -> str:
    """``str(uuid.UUID(int=bits, version=4))``, three times as fast."""
    hexa = f"{bits & ~(0xC000 << 48 | 0xF000 << 64) | 0x8000 << 48 | 0x4000 << 64:032x}"
    return f"{hexa[:8]}-{hexa[8:12]}-{hexa[12:16]}-{hexa[16:20]}-{hexa[20:]}"


def dossier_records(
    n: int,
    procedures: Sequence[tuple[str, int]],
    *,
    seed: int = 1,
    start: datetime,
    commune_name: str = "Xã Minh Châu",
    officers: Sequence[str] = ("Nguyễn Thị Hoa", "Trần Văn Nam"),
    per_day: int = DEFAULT_PER_DAY,
) -> Iterator[dict]:
    """``n`` invented dossiers received at the commune's counter from ``start`` on.

    ``procedures`` are (procedure code, time limit in working days) pairs; same-day procedures
    are drawn more often. A naive ``start`` is taken as Vietnamese time. The marriage procedure
    (1.000894) has one co-applicant of the other sex. About ``per_day`` dossiers arrive a working
    day (a benchmark of many dossiers raises it to stay within the calendar's years).

    Consume the records as a stream: holding hundreds of thousands of them in a list makes the
    garbage collector cost about as much again as generating them.
    """
    rng = random.Random(seed)
    codes = [code for code, _ in procedures]
    code_cum = list(accumulate(_SAME_DAY_WEIGHT if days == 0 else 1 for _, days in procedures))
    times = _receipt_times(rng, start, per_day)
    adult_years = (start.year - 50, start.year - 21)
    for _ in range(n):
        dossier_id = _uuid4(rng.getrandbits(128))
        code = _weighted(rng, codes, code_cum)
        if code == MARRIAGE_PROCEDURE:
            applicant = person(rng, born_between=adult_years, commune_name=commune_name)
            other_sex = "female" if applicant["sex"] == "male" else "male"
            co_applicants = [
                person(rng, sex=other_sex, born_between=adult_years, commune_name=commune_name)
            ]
        else:
            applicant = person(rng, commune_name=commune_name)
            co_applicants = []
        papers = [
            {"name": name, "form": form, "count": 1}
            for name, form in _pick(rng, _paper_lists(code))
        ]
        yield {
            "id": dossier_id,
            "procedure_code": code,
            "channel": _weighted(rng, _CHANNELS, _CHANNEL_CUM),
            "status": _weighted(rng, _STATUSES, _STATUS_CUM),
            "received_at": next(times),
            "applicant": applicant,
            "co_applicants": co_applicants,
            "papers": papers,
            "sets_count": 1,
            "result_delivery": _weighted(rng, _DELIVERIES, _DELIVERY_CUM),
            "received_by": _pick(rng, officers),
            "notes": _pick(rng, _NOTES) if rng.random() < 0.1 else "",
        }

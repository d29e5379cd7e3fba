"""Generate the working-day calendar snapshot ``vn-calendar.json`` from the pinned ``holidays``.

The snapshot is data, reviewed by a person and corrected by the city server when the government
announces a swap of days off (DOMAIN.md, appointment rule 2). Regenerate it only with the
``holidays`` release pinned in ``pyproject.toml`` (releases disagree about 2026), bump
``VERSION`` by hand, review the diff, and commit the JSON file.

Usage: ``python resources/calendar/generate.py``
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import holidays

HERE = Path(__file__).resolve().parent
PYPROJECT = HERE.parents[1] / "pyproject.toml"
OUTPUT = HERE / "vn-calendar.json"

#: Snapshot version recorded by each dossier whose due time it computed; bump on regeneration.
VERSION = "2026.1+holidays-0.109"
FIRST_YEAR = 2020
LAST_YEAR = 2030


def pinned_holidays_version(pyproject: Path = PYPROJECT) -> str:
    """Return the exact ``holidays==X`` version pinned in the project's dependencies."""
    with pyproject.open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    for requirement in dependencies:
        match = re.fullmatch(r"\s*holidays\s*==\s*([\w.]+)\s*", requirement)
        if match:
            return match.group(1)
    raise SystemExit(f"{pyproject}: no exact 'holidays==X' pin among the dependencies")


def check_pinned_version() -> str:
    """Return the pinned version, or exit with a message if another version is installed."""
    pinned = pinned_holidays_version()
    if holidays.__version__ != pinned:
        raise SystemExit(
            f"holidays {holidays.__version__} is installed but pyproject.toml pins "
            f"holidays=={pinned}; install the pinned release before regenerating the calendar."
        )
    return pinned


def build_snapshot(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> dict:
    """Build the snapshot dictionary for ``first_year``..``last_year`` from ``holidays``."""
    pinned = check_pinned_version()
    years = range(first_year, last_year + 1)
    names_vi = holidays.Vietnam(years=years, language="vi")
    names_en = holidays.Vietnam(years=years, language="en_US")
    holiday_rows = [
        {"date": day.isoformat(), "name": names_vi.get(day) or names_en[day]}
        for day in sorted(names_en)
    ]
    makeup = sorted(
        day.isoformat() for day in names_en.weekend_workdays if first_year <= day.year <= last_year
    )
    return {
        "version": VERSION,
        "generated_from": f"holidays {pinned}",
        "first_year": first_year,
        "last_year": last_year,
        "holidays": holiday_rows,
        "makeup_working_days": makeup,
    }


def render(snapshot: dict) -> str:
    """Serialise a snapshot deterministically (sorted keys, indent 1, UTF-8 text, final newline)."""
    return json.dumps(snapshot, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    """Write ``vn-calendar.json`` next to this script."""
    snapshot = build_snapshot()
    OUTPUT.write_text(render(snapshot), encoding="utf-8")
    print(
        f"wrote {OUTPUT} (version {snapshot['version']}, {len(snapshot['holidays'])} holidays, "
        f"{len(snapshot['makeup_working_days'])} make-up working days)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

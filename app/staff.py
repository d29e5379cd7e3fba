"""The commune's staff, for handing a dossier to someone (app/actions.py ``assign``).

The list is the one the city server gave in its reference data (``GET /v1/reference``, fetched
at each sync by the engine and stored whole in the ``staff`` table by app/sync_local.py); a
profile that has never synced has none. Sorted the way Vietnamese lists of people are: by given
name, then family and middle names, in Vietnamese alphabetical order (app/textnorm.py), then by
username. Read-only; belongs to the thread that owns the ``Store``.
"""

from __future__ import annotations

from typing import Any

from app.store import Store
from app.textnorm import person_sort_key


def staff(store: Store) -> list[dict[str, Any]]:
    """Every official of the commune: ``username``, ``display_name`` (None when the server has
    none), ``role``; in Vietnamese order of the name shown (the username when there is none)."""
    people = [dict(row) for row in store.db.query(
        "SELECT username, display_name, role FROM staff")]
    people.sort(key=lambda p: (person_sort_key(p["display_name"] or p["username"]),
                               p["username"]))
    return people


def usernames(store: Store) -> set[str]:
    """The usernames of the staff list; empty when none is known yet."""
    return {username for (username,) in store.db.execute("SELECT username FROM staff")}


def display_name(store: Store, username: str) -> str | None:
    """The name to show for ``username``, or None when the staff list does not have it."""
    row = store.db.execute("SELECT display_name FROM staff WHERE username = ?",
                           [username]).fetchone()
    return (row[0] or username) if row else None

"""Dossier status codes (those of the national public service portal) and their state machine.

The stored status is the portal's number 1–10. ``check_transition`` is the only place that says
which move is allowed; an illegal one raises ``IllegalTransition`` with both codes.
"""

from __future__ import annotations

from enum import IntEnum

from app.errors import IllegalTransition


class Status(IntEnum):
    REGISTERED_ONLINE = 1
    RECEIVED = 2
    NOT_RECEIVED = 3
    PROCESSING = 4
    SUPPLEMENT_REQUESTED = 5
    OBLIGATION_REQUESTED = 6
    WITHDRAWN = 7
    STOPPED = 8
    RESULT_READY = 9
    RESULT_RETURNED = 10


S = Status
ALLOWED: dict[Status, frozenset[Status]] = {
    S.REGISTERED_ONLINE: frozenset({S.RECEIVED, S.NOT_RECEIVED, S.WITHDRAWN}),
    S.RECEIVED: frozenset({
        S.PROCESSING, S.NOT_RECEIVED, S.SUPPLEMENT_REQUESTED, S.OBLIGATION_REQUESTED,
        S.WITHDRAWN, S.STOPPED, S.RESULT_READY,
    }),
    S.PROCESSING: frozenset({
        S.NOT_RECEIVED, S.SUPPLEMENT_REQUESTED, S.OBLIGATION_REQUESTED, S.WITHDRAWN, S.STOPPED,
        S.RESULT_READY,
    }),
    S.SUPPLEMENT_REQUESTED: frozenset({S.PROCESSING, S.WITHDRAWN, S.STOPPED}),
    S.OBLIGATION_REQUESTED: frozenset({S.PROCESSING, S.WITHDRAWN, S.STOPPED}),
    S.RESULT_READY: frozenset({S.RESULT_RETURNED}),
    S.NOT_RECEIVED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.STOPPED: frozenset(),
    S.RESULT_RETURNED: frozenset(),
}

# Statuses in which the dossier's clock runs and it can become overdue.
OPEN = frozenset({S.RECEIVED, S.PROCESSING, S.OBLIGATION_REQUESTED})
# Statuses with no way out.
FINAL = frozenset(status for status, nexts in ALLOWED.items() if not nexts)


def parse_status(value: int | str) -> Status:
    try:
        return Status(int(value))
    except ValueError:
        raise IllegalTransition(f"unknown status {value!r}", to_status=value) from None


def check_transition(current: int, target: int) -> Status:
    """Return ``target`` as a Status if the move is allowed, else raise ``IllegalTransition``."""
    source, goal = parse_status(current), parse_status(target)
    if goal not in ALLOWED[source]:
        raise IllegalTransition(
            f"{source.value} -> {goal.value}", from_status=source.value, to_status=goal.value
        )
    return goal

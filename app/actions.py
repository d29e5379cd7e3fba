"""The dossier workflow actions a person takes on the detail screen, and who may take them.

Each action is a function that checks the dossier's state and its arguments, then writes the
dossier change, the history event and the outbox operation in one transaction through
``Store.transition`` / ``Store.update_dossier`` (invariant 1; change notices fire once it
commits). Status moves go through the state machine of app/status.py. The functions do not
look at roles: ``perform`` checks the role against ``ROLE_ACTIONS`` first, and
``allowed_actions`` lists what a role can do to a dossier now (docs/roles.md).

Rules of DOMAIN.md applied here: 5 (extend for verification, up to the procedure version's
``verification_extension_days`` in total, counted in the synced field ``verification_days``),
6 (the clock stops from a supplement request to the supplement's receipt: ``Store.transition``),
7 (apology and extension, form 04: before the due time passes, to a later time in office
hours, at most ``dossiers.max_apologies`` times, counted in ``apologies``).

Errors are typed (app/errors.py): ``RoleNotAllowed``, ``IllegalTransition`` (also for an
action that does not apply in the dossier's status), ``InvalidField`` naming the argument,
``VerificationNotAllowed``, ``VerificationLimit``, ``DuePassed``, ``ApologyLimit``. No
user-facing text. Pure Python; runs on the thread that owns the ``Store``.

Event notes: what the person typed (the reason, or the note), NFC and trimmed. Two actions put
more in it, in a documented shape that ``supplement_request_of`` and ``assignment_of`` read
back: a supplement request's note is one ``- paper`` line per missing paper, a blank line, then
the reason; an assignment's note is the new assignee's username on the first line (empty when
unassigned), then the note, if any.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from app import dossier as records
from app import staff as staff_list
from app.catalogue import Procedure
from app.db import transaction
from app.errors import (
    ApologyLimit,
    DomainError,
    DuePassed,
    IllegalTransition,
    InvalidField,
    RoleNotAllowed,
    VerificationLimit,
    VerificationNotAllowed,
)
from app.status import FINAL, OPEN, Status
from app.store import Store
from app.textnorm import nfc
from app.workcalendar import CalendarRangeError, DueTimeCalculator, to_local

DEFAULT_MAX_APOLOGIES = 1
MAX_APOLOGIES_SETTING = "dossiers.max_apologies"
ROLE_SETTING = "user.role"
STANDALONE_ROLE = ""  # a profile that never signed in: its owner runs the whole counter


class Action(StrEnum):
    ACCEPT = "accept"  # 1 registered online -> 2 received
    START = "start"  # 2 received (or 6 obligation met) -> 4 processing
    ASSIGN = "assign"  # hand-off to a staff member (no status change)
    REQUEST_SUPPLEMENT = "request_supplement"  # -> 5 (form 02), the clock stops (rule 6)
    SUPPLEMENT_RECEIVED = "supplement_received"  # 5 -> 4, the due time moves later (rule 6)
    REFUSE = "refuse"  # -> 3 not received (form 03), with a reason
    EXTEND_VERIFICATION = "extend_verification"  # rule 5
    APOLOGY_EXTENSION = "apology_extension"  # rule 7, form 04
    RESULT_READY = "result_ready"  # -> 9
    RESULT_RETURNED = "result_returned"  # 9 -> 10
    WITHDRAW = "withdraw"  # -> 7 at the citizen's request


A = Action
S = Status
EVERY_ACTION = frozenset(Action)

# Who may do what (docs/roles.md). A role not listed (city-admin, or one this version does not
# know) may do nothing.
ROLE_ACTIONS: Mapping[str, frozenset[Action]] = {
    "officer": frozenset({A.ACCEPT, A.REFUSE, A.REQUEST_SUPPLEMENT, A.SUPPLEMENT_RECEIVED,
                          A.WITHDRAW, A.RESULT_RETURNED, A.ASSIGN}),
    "specialist": frozenset({A.START, A.REQUEST_SUPPLEMENT, A.SUPPLEMENT_RECEIVED,
                             A.EXTEND_VERIFICATION, A.RESULT_READY, A.ASSIGN}),
    "leader": EVERY_ACTION,
    "admin": EVERY_ACTION,
    "clerk": frozenset(),
    STANDALONE_ROLE: EVERY_ACTION,
}

# The status an action moves the dossier to (actions not listed keep the status).
TARGET: Mapping[Action, Status] = {
    A.ACCEPT: S.RECEIVED,
    A.START: S.PROCESSING,
    A.REQUEST_SUPPLEMENT: S.SUPPLEMENT_REQUESTED,
    A.SUPPLEMENT_RECEIVED: S.PROCESSING,
    A.REFUSE: S.NOT_RECEIVED,
    A.RESULT_READY: S.RESULT_READY,
    A.RESULT_RETURNED: S.RESULT_RETURNED,
    A.WITHDRAW: S.WITHDRAWN,
}

# The statuses each action applies in. For a status move every pair is also one the state
# machine allows (tests/test_actions.py checks it); the move itself still goes through it.
APPLIES_IN: Mapping[Action, frozenset[Status]] = {
    A.ACCEPT: frozenset({S.REGISTERED_ONLINE}),
    A.START: frozenset({S.RECEIVED, S.OBLIGATION_REQUESTED}),
    A.ASSIGN: frozenset(Status) - FINAL,
    A.REQUEST_SUPPLEMENT: frozenset({S.RECEIVED, S.PROCESSING}),
    A.SUPPLEMENT_RECEIVED: frozenset({S.SUPPLEMENT_REQUESTED}),
    A.REFUSE: frozenset({S.REGISTERED_ONLINE, S.RECEIVED, S.PROCESSING}),
    A.EXTEND_VERIFICATION: OPEN,
    A.APOLOGY_EXTENSION: OPEN,
    A.RESULT_READY: frozenset({S.RECEIVED, S.PROCESSING}),
    A.RESULT_RETURNED: frozenset({S.RESULT_READY}),
    A.WITHDRAW: frozenset({S.REGISTERED_ONLINE, S.RECEIVED, S.PROCESSING,
                           S.SUPPLEMENT_REQUESTED, S.OBLIGATION_REQUESTED}),
}

# The order ``allowed_actions`` lists them in: the way forward first, the ways out last.
DISPLAY_ORDER: tuple[Action, ...] = (
    A.ACCEPT, A.START, A.ASSIGN, A.REQUEST_SUPPLEMENT, A.SUPPLEMENT_RECEIVED,
    A.EXTEND_VERIFICATION, A.APOLOGY_EXTENSION, A.RESULT_READY, A.RESULT_RETURNED,
    A.REFUSE, A.WITHDRAW,
)

# Event kinds of the actions that change no status (status moves record kind "status").
ASSIGNED = "assigned"
EXTENDED_VERIFICATION = "extended_verification"
APOLOGY_EXTENSION = "apology_extension"


# ---------------------------------------------------------------------- roles


def current_role(store: Store) -> str:
    """The signed-in person's role (``user.role``, set at sign-in); "" when never signed in."""
    return store.setting(ROLE_SETTING) or STANDALONE_ROLE


def role_actions(role: str) -> frozenset[Action]:
    """What ``role`` may do to dossiers; nothing for a role this table does not know."""
    return ROLE_ACTIONS.get(role, frozenset())


def check_role(role: str, action: Action) -> None:
    if Action(action) not in role_actions(role):
        raise RoleNotAllowed(f"{role or 'stand-alone'} may not {action}", role=role,
                             action=str(action))


def allowed_actions(store: Store, dossier_id: str, role: str) -> list[Action]:
    """The actions ``role`` may take on the dossier now, in ``DISPLAY_ORDER``.

    An action is listed when the role may take it, it applies in the dossier's status, and
    nothing in the dossier already rules it out: extend for verification needs days left under
    the procedure's maximum; apology and extension needs the due time not passed and an
    apology left. The arguments (reason, days, new time, assignee) are checked when the action
    runs."""
    row = store.resolve(dossier_id)
    permitted = role_actions(role)
    listed = []
    for action in DISPLAY_ORDER:
        if action not in permitted or row["status"] not in APPLIES_IN[action]:
            continue
        if action is A.EXTEND_VERIFICATION and _verification_room(store, row) <= 0:
            continue
        if action is A.APOLOGY_EXTENSION and (
                _due_passed(store, row) or row["apologies"] >= max_apologies(store)):
            continue
        listed.append(action)
    return listed


def perform(store: Store, dossier_id: str, action: Action, role: str,
            **arguments: Any) -> dict[str, Any]:
    """Check that ``role`` may take ``action`` (``RoleNotAllowed``), then take it with
    ``arguments`` (those of the action's function). Returns the dossier's record after it."""
    try:
        action = Action(action)
    except ValueError:
        raise InvalidField(f"action: unknown action {action!r}", field="action") from None
    check_role(role, action)
    return FUNCTIONS[action](store, dossier_id, **arguments)


# ---------------------------------------------------------------------- status moves


def accept(store: Store, dossier_id: str, note: str = "") -> dict[str, Any]:
    """Receive a dossier registered online (1 -> 2)."""
    return _move(store, dossier_id, A.ACCEPT, _optional(note))


def start(store: Store, dossier_id: str, note: str = "") -> dict[str, Any]:
    """Start processing (2 -> 4, or 6 -> 4 once the financial obligation is met)."""
    return _move(store, dossier_id, A.START, _optional(note))


def request_supplement(store: Store, dossier_id: str, missing_papers: list[str],
                       reason: str) -> dict[str, Any]:
    """Ask the citizen for missing papers (form 02; -> 5): the dossier's clock stops (rule 6).

    ``missing_papers``: at least one, none empty (``InvalidField`` ``missing_papers``)."""
    if isinstance(missing_papers, str) or not missing_papers:
        raise InvalidField("missing_papers: name at least one paper", field="missing_papers")
    papers = [" ".join(nfc(str(paper)).split()) for paper in missing_papers]
    if not all(papers):
        raise InvalidField("missing_papers: a paper without a name", field="missing_papers")
    note = "\n".join(f"- {paper}" for paper in papers) + "\n\n" + _required(reason, "reason")
    return _move(store, dossier_id, A.REQUEST_SUPPLEMENT, note)


def supplement_received(store: Store, dossier_id: str, note: str = "") -> dict[str, Any]:
    """The complete supplement came (5 -> 4): the due time moves later by the office time the
    dossier waited (rule 6, ``Store.transition``)."""
    return _move(store, dossier_id, A.SUPPLEMENT_RECEIVED, _optional(note))


def refuse(store: Store, dossier_id: str, reason: str) -> dict[str, Any]:
    """Refuse to receive the dossier (form 03; -> 3), with the reason."""
    return _move(store, dossier_id, A.REFUSE, _required(reason, "reason"))


def result_ready(store: Store, dossier_id: str, note: str = "") -> dict[str, Any]:
    """The result is ready to be returned (-> 9)."""
    return _move(store, dossier_id, A.RESULT_READY, _optional(note))


def result_returned(store: Store, dossier_id: str, note: str = "") -> dict[str, Any]:
    """The result was handed to the citizen (9 -> 10)."""
    return _move(store, dossier_id, A.RESULT_RETURNED, _optional(note))


def withdraw(store: Store, dossier_id: str, reason: str) -> dict[str, Any]:
    """The citizen withdraws the dossier (-> 7), with the reason."""
    return _move(store, dossier_id, A.WITHDRAW, _required(reason, "reason"))


def _move(store: Store, dossier_id: str, action: Action, note: str) -> dict[str, Any]:
    with transaction(store.db):
        row = store.resolve(dossier_id)
        _check_applies(row, action)
        return store.transition(row["id"], TARGET[action], note)


# ---------------------------------------------------------------------- other actions


def assign(store: Store, dossier_id: str, username: str | None,
           note: str = "") -> dict[str, Any]:
    """Hand the dossier to ``username`` (None or "": to nobody); the event ``assigned`` names
    the new assignee. When a staff list is known (app/staff.py), the username must be on it
    (``InvalidField`` ``username``)."""
    assignee = nfc(username or "").strip() or None
    if assignee is not None:
        if len(assignee) > 100 or "\n" in assignee:
            raise InvalidField("username: not a username", field="username")
        known = staff_list.usernames(store)
        if known and assignee not in known:
            raise InvalidField(f"username: {assignee} is not on the staff list",
                               field="username", username=assignee)
    text = _optional(note)
    with transaction(store.db):
        row = store.resolve(dossier_id)
        _check_applies(row, A.ASSIGN)
        return store.update_dossier(row["id"], {"assigned_to": assignee}, ASSIGNED,
                                    (assignee or "") + (f"\n{text}" if text else ""))


def extend_verification(store: Store, dossier_id: str, days: int,
                        reason: str) -> dict[str, Any]:
    """Rule 5: move the due time ``days`` working days (× office hours) later for checks.

    Only where the dossier's procedure version allows it (``VerificationNotAllowed``), and
    never past its ``verification_extension_days`` in total (``VerificationLimit``)."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise InvalidField("days: a whole number of working days, at least 1", field="days")
    text = _required(reason, "reason")
    with transaction(store.db):
        row = store.resolve(dossier_id)
        _check_applies(row, A.EXTEND_VERIFICATION)
        maximum = _procedure(store, row).verification_extension_days
        if maximum <= 0:
            raise VerificationNotAllowed(
                f"procedure {row['procedure_code']} v{row['procedure_version']}",
                procedure=row["procedure_code"], version=row["procedure_version"])
        used = row["verification_days"]
        if used + days > maximum:
            raise VerificationLimit(f"{used} + {days} > {maximum}", used=used, days=days,
                                    maximum=maximum)
        calculator = store.calculator_for(row["calendar_version"])
        try:
            due = calculator.add_working_days(records.parse_time(row["due_at"]), days)
        except CalendarRangeError:
            raise InvalidField("days: the new due time is outside the working-day calendar",
                               field="days") from None
        return store.update_dossier(
            row["id"], {"due_at": records.utc_text(due), "verification_days": used + days},
            EXTENDED_VERIFICATION, text)


def apology_extension(store: Store, dossier_id: str, new_due_at: datetime,
                      reason: str) -> dict[str, Any]:
    """Rule 7 (form 04): apologise and set a new appointment time ``new_due_at``.

    Only before the current due time passes (``DuePassed``), at most ``dossiers.max_apologies``
    times (default 1; ``ApologyLimit``); the new time must be later than the current one and
    an appointment time (``InvalidField`` ``new_due_at``): inside office hours of a working
    day, or the end of a period (11:30, 17:00), as computed due times are. Whole minutes."""
    if not isinstance(new_due_at, datetime) or new_due_at.utcoffset() is None:
        raise InvalidField("new_due_at: a time with its time zone", field="new_due_at")
    text = _required(reason, "reason")
    new_due = new_due_at.replace(second=0, microsecond=0)
    with transaction(store.db):
        row = store.resolve(dossier_id)
        _check_applies(row, A.APOLOGY_EXTENSION)
        due = records.parse_time(row["due_at"])
        if _due_passed(store, row):
            raise DuePassed(f"due at {row['due_at']}", due_at=records.local_text(row["due_at"]))
        maximum = max_apologies(store)
        if row["apologies"] >= maximum:
            raise ApologyLimit(f"{row['apologies']} of {maximum}", apologies=row["apologies"],
                               maximum=maximum)
        if new_due <= due:
            raise InvalidField("new_due_at: not later than the current due time",
                               field="new_due_at", due_at=records.local_text(row["due_at"]))
        if not _appointment_time(store.calculator_for(row["calendar_version"]), new_due):
            raise InvalidField("new_due_at: outside office hours", field="new_due_at")
        return store.update_dossier(
            row["id"], {"due_at": records.utc_text(new_due), "apologies": row["apologies"] + 1},
            APOLOGY_EXTENSION, text)


FUNCTIONS: Mapping[Action, Callable[..., dict[str, Any]]] = {
    A.ACCEPT: accept,
    A.START: start,
    A.ASSIGN: assign,
    A.REQUEST_SUPPLEMENT: request_supplement,
    A.SUPPLEMENT_RECEIVED: supplement_received,
    A.REFUSE: refuse,
    A.EXTEND_VERIFICATION: extend_verification,
    A.APOLOGY_EXTENSION: apology_extension,
    A.RESULT_READY: result_ready,
    A.RESULT_RETURNED: result_returned,
    A.WITHDRAW: withdraw,
}


# ---------------------------------------------------------------------- reading notes back


def supplement_request_of(store: Store, dossier_id: str) -> dict[str, Any] | None:
    """The latest supplement request of a dossier (to print form 02 again): ``at`` (+07:00),
    ``actor``, ``missing_papers``, ``reason``; None when there was none."""
    row = store.resolve(dossier_id)
    found = store.db.execute(
        "SELECT at, actor, note FROM dossier_events WHERE dossier_id = ? AND to_status = ? "
        "ORDER BY at DESC, rowid DESC LIMIT 1",
        [row["id"], int(S.SUPPLEMENT_REQUESTED)]).fetchone()
    if found is None:
        return None
    at, actor, note = found
    papers, _, reason = note.partition("\n\n")
    missing = [line[2:] for line in papers.split("\n") if line.startswith("- ")]
    if not missing:  # a request made by ``dossier transition`` (no papers named)
        reason = note
    return {"at": records.local_text(at), "actor": actor, "missing_papers": missing,
            "reason": reason}


def assignment_of(note: str) -> tuple[str | None, str]:
    """(assignee username or None, note) of an ``assigned`` event's note."""
    assignee, _, text = note.partition("\n")
    return (assignee or None), text


# ---------------------------------------------------------------------- helpers


def max_apologies(store: Store) -> int:
    """How many apologies a dossier may have (``dossiers.max_apologies``, default 1)."""
    try:
        return max(int(store.setting(MAX_APOLOGIES_SETTING) or DEFAULT_MAX_APOLOGIES), 0)
    except ValueError:
        return DEFAULT_MAX_APOLOGIES


def _required(text: str | None, field: str) -> str:
    value = nfc(text or "").strip()
    if not value:
        raise InvalidField(f"{field}: empty", field=field)
    return value


def _optional(text: str | None) -> str:
    return nfc(text or "").strip()


def _check_applies(row: Mapping[str, Any], action: Action) -> None:
    if row["status"] not in APPLIES_IN[action]:
        target = TARGET.get(action)
        raise IllegalTransition(
            f"{action} in status {row['status']}", from_status=row["status"],
            to_status=int(target) if target is not None else None, action=str(action))


def _procedure(store: Store, row: Mapping[str, Any]) -> Procedure:
    return store.procedure_for(row["procedure_code"], records.parse_time(row["received_at"]),
                               row["procedure_version"])


def _verification_room(store: Store, row: Mapping[str, Any]) -> int:
    """Working days the dossier may still be extended by for verification (rule 5)."""
    try:
        maximum = _procedure(store, row).verification_extension_days
    except DomainError:  # a procedure version this profile lacks: not offered
        return 0
    return maximum - row["verification_days"]


def _due_passed(store: Store, row: Mapping[str, Any]) -> bool:
    """Whether the due time is behind us (overdue, as ``Store.status`` counts it)."""
    return records.parse_time(row["due_at"]) < store.clock.now()


def _appointment_time(calculator: DueTimeCalculator, moment: datetime) -> bool:
    """Inside office hours of a working day, or exactly at the end of one of its periods
    (``is_office_time`` excludes period ends; a computed due time is often 17:00)."""
    try:
        if calculator.is_office_time(moment):
            return True
        local = to_local(moment, calculator.hours)
        ends = {end for _, end in calculator.hours.periods}
        return (calculator.calendar.is_working_day(local.date())
                and local.time().replace(tzinfo=None) in ends)
    except CalendarRangeError:
        return False

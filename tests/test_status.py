"""The dossier state machine: every allowed move works, every other one is refused by code."""

from __future__ import annotations

import pytest

from app.errors import IllegalTransition
from app.status import ALLOWED, FINAL, Status, check_transition


@pytest.mark.parametrize("source", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_transition_table(source: Status, target: Status) -> None:
    if target in ALLOWED[source]:
        assert check_transition(source, target) is target
    else:
        with pytest.raises(IllegalTransition) as caught:
            check_transition(source, target)
        assert caught.value.code == "illegal_transition"
        assert caught.value.params == {"from_status": source.value, "to_status": target.value}


def test_portal_codes_and_final_states() -> None:
    assert [s.value for s in Status] == list(range(1, 11))
    assert FINAL == {Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED,
                     Status.RESULT_RETURNED}
    # A returned result cannot be reopened, a ready one can only be handed over.
    assert ALLOWED[Status.RESULT_READY] == {Status.RESULT_RETURNED}


def test_unknown_status_is_refused() -> None:
    with pytest.raises(IllegalTransition):
        check_transition(2, 11)

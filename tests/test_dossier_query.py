"""The dossier list's queries (app/dossier_query.py): filters, sorts in Vietnamese order, the
derived deadline states at their boundaries, search with and without diacritics, and hostile
search text. A real SQLCipher profile; the clock stands still at Tuesday 06/01/2026 09:00 in
Hà Nội (02:00 UTC)."""

from __future__ import annotations

from datetime import datetime

import pytest

from app import dossier_query
from app.db import transaction
from app.dossier import VN_TZ
from app.dossier_query import (
    SORT_COLUMNS,
    Deadline,
    DeadlineWindow,
    DossierQuery,
    ids_for,
    query_ids,
    rows_for,
)
from app.status import OPEN
from app.textnorm import vn_sort_key
from tests.conftest import dossier_input

NOW = datetime(2026, 1, 6, 9, 0, tzinfo=VN_TZ)


def make(store, name: str = "Nguyễn Văn Đức", **fields) -> dict:
    applicant = {"full_name": name, **fields.pop("applicant", {})}
    record, _ = store.create_dossier(dossier_input(applicant=applicant, **fields))
    return record


def rowid_of(store, dossier_id: str) -> int:
    return store.db.execute("SELECT rowid FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]


def codes(store, query: DossierQuery, now: datetime = NOW) -> list[str]:
    rows = rows_for(store, ids_for(store, query, now))
    return [rows[r].code for r in ids_for(store, query, now)]


def names(store, query: DossierQuery, now: datetime = NOW) -> list[str]:
    ids = ids_for(store, query, now)
    rows = rows_for(store, ids)
    return [rows[r].applicant for r in ids]


# ---------------------------------------------------------------------- filters


def test_status_and_procedure_filters_combine(store) -> None:
    received = make(store, "Trần Thị Ánh")
    processing = make(store, "Lê Văn Bình", status=4)
    ready = make(store, "Phạm Thu Hà", status=9)
    death = make(store, "Võ Văn Tâm", procedure_code="1.000656", status=4)

    def ids(**filters) -> set[str]:
        rows = rows_for(store, ids_for(store, DossierQuery(**filters), NOW))
        return {row.id for row in rows.values()}

    everyone = {received["id"], processing["id"], ready["id"], death["id"]}
    assert ids() == everyone
    assert ids(statuses={4}) == {processing["id"], death["id"]}
    assert ids(statuses={2, 9}) == {received["id"], ready["id"]}
    assert ids(procedure_code="1.000656") == {death["id"]}
    assert ids(procedure_code="1.001193", statuses={4}) == {processing["id"]}
    assert ids(statuses={10}) == set()
    assert ids(procedure_code="9.999999") == set()


def test_assigned_to_filter(store) -> None:
    mine = make(store, "Trần Thị Ánh", assigned_to="hoa")
    make(store, "Lê Văn Bình", assigned_to="nam")
    make(store, "Phạm Thu Hà")
    found = rows_for(store, ids_for(store, DossierQuery(assigned_to="hoa"), NOW))
    assert [row.id for row in found.values()] == [mine["id"]]
    assert ids_for(store, DossierQuery(assigned_to="nobody"), NOW) == []
    by_assignee = names(store, DossierQuery(sort="assigned_to", descending=False))
    assert by_assignee == ["Phạm Thu Hà", "Trần Thị Ánh", "Lê Văn Bình"]  # NULL, hoa, nam


# ---------------------------------------------------------------------- sorting

VIETNAMESE_ORDER = ["Trần Thị Ánh", "Lê Văn Bình", "Nguyễn Văn Dũng", "Nguyễn Văn Đức",
                    "Phạm Thu Hà", "Vũ Thị Ơn", "Đỗ Văn Ưng"]


def test_applicant_sort_is_vietnamese_alphabetical_by_given_name(store) -> None:
    for name in reversed(VIETNAMESE_ORDER):  # made in the wrong order on purpose
        make(store, name)
    assert names(store, DossierQuery(sort="applicant", descending=False)) == VIETNAMESE_ORDER
    assert names(store, DossierQuery(sort="applicant")) == VIETNAMESE_ORDER[::-1]
    # Code point order would put Đức after Ưng and Ánh after Hà: it is not used.
    assert sorted(VIETNAMESE_ORDER) != VIETNAMESE_ORDER


def test_equal_names_are_ordered_by_code(store) -> None:
    for _ in range(3):
        make(store, "Nguyễn Văn An")
    make(store, "Trần Văn Bình")
    ascending = codes(store, DossierQuery(sort="applicant", descending=False))
    assert ascending[:3] == sorted(ascending[:3])
    descending = codes(store, DossierQuery(sort="applicant"))
    assert descending[1:] == sorted(descending[1:], reverse=True)


@pytest.fixture
def varied(store) -> list[dict]:
    """Dossiers that differ in every sortable column."""
    made = []
    for index, (name, procedure, status) in enumerate([
        ("Trần Thị Ánh", "1.001193", 2), ("Lê Văn Bình", "1.000656", 4),
        ("Nguyễn Văn Đức", "1.000894", 9), ("Phạm Thu Hà", "1.001193", 4),
        ("Hoàng Minh Tâm", "1.000656", 2), ("Đỗ Văn Ưng", "1.000894", 10),
    ]):
        fields: dict = {"status": status,
                        "received_at": f"2026-01-0{5 - index % 3}T{8 + index:02d}:00:00+07:00"}
        if procedure == "1.000894":
            fields["co_applicants"] = [{"full_name": "Lê Thị Mai"}]
        made.append(make(store, name, procedure_code=procedure, **fields))
    with transaction(store.db):  # vary the sync state as a sync would
        store.db.execute("UPDATE dossiers SET sync_state = 'synced' WHERE id = ?",
                         [made[1]["id"]])
        store.db.execute("UPDATE dossiers SET sync_state = 'error', sync_reason = 'x' "
                         "WHERE id = ?", [made[2]["id"]])
    return made


def expected_order(store, sort: str, descending: bool) -> list[int]:
    """The order worked out in Python from the display rows and the stored name sort key."""
    name_keys = dict(store.db.execute("SELECT rowid, applicant_sort_key FROM dossiers"))
    rows = rows_for(store, list(name_keys))

    def key(row) -> tuple:
        column = {"code": "", "applicant": name_keys[row.rowid],
                  "procedure": vn_sort_key(row.procedure_name), "status": row.status,
                  "received_at": row.received_at, "due_at": row.due_at,
                  "assigned_to": row.assigned_to or "", "sync_state": row.sync_state}[sort]
        return (column, row.code)

    return [r.rowid for r in sorted(rows.values(), key=key, reverse=descending)]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", SORT_COLUMNS)
def test_every_column_sorts_with_the_code_breaking_ties(store, varied, sort, descending) -> None:
    query = DossierQuery(sort=sort, descending=descending)
    assert ids_for(store, query, NOW) == expected_order(store, sort, descending)


def test_procedure_sort_is_by_name_with_or_without_an_index(store, varied) -> None:
    """The rowids come per procedure through an index when one leads with procedure_code, and
    from one read sorted in Python when none does: both give the same order."""
    query = DossierQuery(sort="procedure", descending=False)
    without = ids_for(store, query, NOW)
    store.db.execute("CREATE INDEX test_procedure ON dossiers(procedure_code, procedure_version,"
                     " code)")  # only in this test's profile
    assert dossier_query._leading_index(store, "procedure_code")
    assert ids_for(store, query, NOW) == without == expected_order(store, "procedure", False)
    shown = [rows_for(store, [r])[r].procedure_name for r in without]
    assert shown == sorted(shown, key=vn_sort_key)


def test_the_large_set_path_gives_the_same_list(store, varied, monkeypatch) -> None:
    """Match sets above SMALL_SET are intersected in Python and taken in the order of the whole
    sorted list; below it SQLite sorts them. Both must agree."""
    queries = [DossierQuery(statuses={2, 4}, sort=sort, descending=d)
               for sort in SORT_COLUMNS for d in (False, True)]
    queries += [DossierQuery(statuses={4}, procedure_code="1.000656"),
                DossierQuery(overdue=True, due_soon=True, statuses={2, 4, 9}, sort="applicant")]
    small = [ids_for(store, q, NOW) for q in queries]
    monkeypatch.setattr(dossier_query, "SMALL_SET", 0)
    assert [ids_for(store, q, NOW) for q in queries] == small


def test_rowids_come_back_in_the_order_sqlite_gives(store, varied) -> None:
    """``json_group_array`` over an ordered sub-query keeps its order (checked, since the list
    relies on it)."""
    direct = [r for (r,) in store.db.execute(
        "SELECT rowid FROM dossiers ORDER BY applicant_sort_key DESC, code DESC")]
    assert dossier_query._rowids(
        store, "SELECT rowid FROM dossiers ORDER BY applicant_sort_key DESC, code DESC") == direct


# ---------------------------------------------------------------------- deadlines


@pytest.fixture
def deadlines(store) -> dict[str, str]:
    """Open dossiers due around 06/01/2026 09:00 (now), and a few that cannot be overdue."""
    due = {
        "overdue by a second": "2026-01-06T08:59:59+07:00",
        "due now": "2026-01-06T09:00:00+07:00",
        "due tonight": "2026-01-06T23:59:59+07:00",
        "due at the end of the window": "2026-01-07T08:59:59+07:00",
        "due just after the window": "2026-01-07T09:00:00+07:00",
        "due in a week": "2026-01-13T09:00:00+07:00",
        "overdue yesterday": "2026-01-05T17:00:00+07:00",
    }
    ids = {}
    for label, due_at in due.items():
        ids[label] = make(store, label.title(), due_at=due_at,
                          received_at="2026-01-05T08:00:00+07:00", status=4)["id"]
    for label, status in (("ready but late", 9), ("waiting for papers", 5),
                          ("registered online", 1)):
        ids[label] = make(store, label.title(), due_at="2026-01-05T17:00:00+07:00",
                          received_at="2026-01-05T08:00:00+07:00", status=status)["id"]
    return ids


def labels(store, deadlines: dict[str, str], now: datetime = NOW, **flags) -> set[str]:
    by_id = {v: k for k, v in deadlines.items()}
    rows = rows_for(store, ids_for(store, DossierQuery(**flags), now))
    return {by_id[row.id] for row in rows.values()}


def test_overdue_is_an_open_dossier_past_its_due_time(store, deadlines) -> None:
    assert labels(store, deadlines, overdue=True) == {"overdue by a second", "overdue yesterday"}
    assert {2, 4, 6} == {int(s) for s in OPEN}  # the statuses whose clock runs


def test_due_soon_is_the_next_24_hours_by_default(store, deadlines) -> None:
    assert labels(store, deadlines, due_soon=True) == {
        "due now", "due tonight", "due at the end of the window"}


def test_the_due_soon_window_is_a_setting(store, deadlines) -> None:
    store.set_setting("list.due_soon_hours", "2")
    assert labels(store, deadlines, due_soon=True) == {"due now"}
    assert query_ids(store, DossierQuery(), NOW).due_soon_hours == 2.0
    store.set_setting("list.due_soon_hours", "không phải số")  # a bad value: the default
    assert dossier_query.due_soon_hours(store) == 24.0


def test_due_today_is_the_local_day_including_what_already_passed(store, deadlines) -> None:
    assert labels(store, deadlines, due_today=True) == {
        "overdue by a second", "due now", "due tonight"}
    # Late in the evening (16:30 UTC is 23:30 in Hà Nội) "today" is still 06/01.
    late = datetime(2026, 1, 6, 23, 30, tzinfo=VN_TZ)
    assert labels(store, deadlines, late, due_today=True) == {
        "overdue by a second", "due now", "due tonight"}


def test_deadline_flags_together_mean_any_of_them(store, deadlines) -> None:
    assert labels(store, deadlines, overdue=True, due_soon=True) == {
        "overdue by a second", "overdue yesterday", "due now", "due tonight",
        "due at the end of the window"}
    assert labels(store, deadlines, overdue=True, due_today=True) == {
        "overdue by a second", "overdue yesterday", "due now", "due tonight"}
    assert labels(store, deadlines, due_today=True, statuses={9}) == set()


def test_the_colouring_window_agrees_with_the_filters(store, deadlines) -> None:
    window = DeadlineWindow.at(NOW, 24)
    rows = rows_for(store, ids_for(store, DossierQuery(), NOW))
    state = {row.applicant.lower(): window.of(row.status, row.due_at) for row in rows.values()}
    assert {k for k, v in state.items() if v == Deadline.OVERDUE} == {
        "overdue by a second", "overdue yesterday"}
    assert {k for k, v in state.items() if v == Deadline.DUE_SOON} == {
        "due now", "due tonight", "due at the end of the window"}


# ---------------------------------------------------------------------- search


@pytest.fixture
def people(store) -> dict[str, dict]:
    made = {}
    for name, id_number, phone in [
        ("Nguyễn Văn Đức", "001085012345", "0912345678"),
        ("Nguyễn Thị Hồng", "001190054321", "0987654321"),
        ("Trần Đức Hùng", "036080011111", "0903111222"),
        ("Lê Thị Hoa", "001195022222", "0389000111"),
    ]:
        made[name] = make(store, name, applicant={"id_number": id_number, "phone": phone})
    return made


def found(store, text: str, **filters) -> set[str]:
    rows = rows_for(store, ids_for(store, DossierQuery(search=text, **filters), NOW))
    return {row.applicant for row in rows.values()}


@pytest.mark.parametrize(("typed", "expected"), [
    ("nguyen", {"Nguyễn Văn Đức", "Nguyễn Thị Hồng"}),
    ("Nguyễn", {"Nguyễn Văn Đức", "Nguyễn Thị Hồng"}),
    ("duc", {"Nguyễn Văn Đức", "Trần Đức Hùng"}),
    ("ĐỨC", {"Nguyễn Văn Đức", "Trần Đức Hùng"}),
    ("nguyen thi h", {"Nguyễn Thị Hồng"}),
    ("001190054321", {"Nguyễn Thị Hồng"}),
    ("0903 111 222", {"Trần Đức Hùng"}),
    ("không ai", set()),
])
def test_search_with_and_without_diacritics(store, people, typed, expected) -> None:
    assert found(store, typed) == expected


def test_search_by_code_and_combined_with_filters(store, people) -> None:
    code = people["Lê Thị Hoa"]["code"]
    assert found(store, code) == {"Lê Thị Hoa"}
    store.transition(people["Trần Đức Hùng"]["id"], 4)
    assert found(store, "duc", statuses={4}) == {"Trần Đức Hùng"}
    ordered = names(store, DossierQuery(search="nguyen", sort="applicant", descending=False))
    assert ordered == ["Nguyễn Văn Đức", "Nguyễn Thị Hồng"]  # Đức < Hồng


def test_search_says_when_it_was_cut_short(store, monkeypatch) -> None:
    for _ in range(4):
        make(store, "Nguyễn Văn An")
    assert not query_ids(store, DossierQuery(search="nguyen"), NOW).search_capped
    monkeypatch.setattr(dossier_query, "SEARCH_LIMIT", 3)
    answer = query_ids(store, DossierQuery(search="nguyen"), NOW)
    assert answer.search_capped and len(answer.ids) == 3


@pytest.mark.parametrize("hostile", [
    "'; DROP TABLE dossiers; --",
    'nguyen" OR 1=1 --',
    "nguyen') OR ('1'='1",
    "* OR rowid > 0",
    "NEAR(nguyen duc)",
    "names : nguyen",
    "%",
    "\"",
    "\x00",
])
def test_hostile_search_text_is_only_text(store, people, hostile) -> None:
    before = store.db.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    assert found(store, hostile) <= set(people)
    ids_for(store, DossierQuery(procedure_code=hostile, assigned_to=hostile), NOW)
    assert store.db.execute("SELECT count(*) FROM dossiers").fetchone()[0] == before == 4
    assert found(store, "nguyen") == {"Nguyễn Văn Đức", "Nguyễn Thị Hồng"}


# ---------------------------------------------------------------------- rows


def test_rows_for_gives_the_display_columns_of_a_block(store, people) -> None:
    record = people["Nguyễn Văn Đức"]
    rowid = rowid_of(store, record["id"])
    rows = rows_for(store, [rowid, 999_999])
    assert list(rows) == [rowid]  # a rowid that is gone is left out
    row = rows[rowid]
    assert (row.id, row.code, row.applicant, row.procedure_code, row.status) == (
        record["id"], record["code"], "Nguyễn Văn Đức", "1.001193", 2)
    assert row.procedure_name == store.catalogue.get("1.001193",
                                                     record["procedure_version"]).name
    assert row.received_at == "2026-01-06T02:00:00Z"  # stored UTC, shown by the view in +07:00
    assert row.due_at == "2026-01-06T10:00:00Z"  # same day, 17:00 in Hà Nội
    assert (row.sync_state, row.sync_reason) == ("pending", None)
    assert rows_for(store, []) == {}


def test_procedure_choices_are_in_vietnamese_order(store) -> None:
    choices = dossier_query.procedure_choices(store)
    assert len(choices) == len({code for code, _ in choices}) > 10
    assert [name for _, name in choices] == sorted((n for _, n in choices), key=vn_sort_key)


def test_an_unknown_sort_is_refused() -> None:
    with pytest.raises(ValueError):
        DossierQuery(sort="applicant_full_name; DROP TABLE dossiers")


def test_a_read_sees_one_snapshot(store, people) -> None:
    """Every read of one query runs in one read transaction and leaves none open."""
    query_ids(store, DossierQuery(statuses={2}, overdue=True, due_soon=True), NOW)
    assert not store.db.conn.in_transaction


def test_id_lists_decode_slice_by_slice_to_the_same_list() -> None:
    import json

    from app.dossier_query import decode_ids

    ids = list(range(1, 250_001, 3))
    text = json.dumps(ids, separators=(",", ":"))
    assert decode_ids(text) == ids
    assert decode_ids(text, slice_chars=7) == ids
    assert decode_ids("[]") == [] and decode_ids("[42]") == [42]

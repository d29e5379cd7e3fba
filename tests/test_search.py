"""Search as a counter official types it: with or without accents, names, numbers, codes."""

from __future__ import annotations

import pytest

from app.search import RANK_AT_MOST, search
from tests.conftest import dossier_input

PEOPLE = [
    ("Nguyễn Văn Đức", "001085012345", "0912345678"),
    ("Nguyễn Thị Hồng", "001190054321", "0987654321"),
    ("Trần Đức Hùng", "036080011111", "0903111222"),
    ("Lê Thị Hoa", "001195022222", "0389000111"),
    ("Hoàng Minh Tâm", "031070033333", None),
    ("Võ Thị Hòa", "079192044444", "0935444555"),
]


@pytest.fixture
def people(store):
    codes = {}
    for index, (name, id_number, phone) in enumerate(PEOPLE):
        record, _ = store.create_dossier(dossier_input(
            received_at=f"2026-01-06T{8 + index:02d}:00:00+07:00",
            applicant={"full_name": name, "id_number": id_number, "phone": phone}))
        codes[name] = record["code"]
    return codes


def names(store, text: str) -> list[str]:
    return [row["applicant_full_name"] for row in search(store.db, text)]


@pytest.mark.parametrize(("accented", "plain"), [
    ("Nguyễn", "nguyen"), ("Đức", "duc"), ("Hồng", "hong"), ("ĐỨC", "DUC"),
    ("Trần Đức Hùng", "tran duc hung"),
])
def test_with_and_without_diacritics_find_the_same(store, people, accented, plain) -> None:
    assert names(store, accented) and set(names(store, accented)) == set(names(store, plain))


def test_diacritics_fold_including_d(store, people) -> None:
    assert set(names(store, "duc")) == {"Nguyễn Văn Đức", "Trần Đức Hùng"}
    assert names(store, "dung") == []  # no "Dũng" here: "d" must not match everything


def test_prefix_of_the_word_being_typed(store, people) -> None:
    assert set(names(store, "nguy")) == {"Nguyễn Văn Đức", "Nguyễn Thị Hồng"}
    assert names(store, "nguyen thi h") == ["Nguyễn Thị Hồng"]


def test_typed_diacritics_rank_the_exact_spelling_first(store, people) -> None:
    assert set(names(store, "hoa")) >= {"Lê Thị Hoa", "Võ Thị Hòa", "Hoàng Minh Tâm"}
    assert names(store, "Hòa")[0] == "Võ Thị Hòa"
    assert names(store, "Hoa")[0] == "Lê Thị Hoa"
    # A whole-word match beats a word that merely starts the same way.
    assert names(store, "hoa")[-1] == "Hoàng Minh Tâm"


def test_exact_numbers(store, people) -> None:
    assert names(store, "036080011111") == ["Trần Đức Hùng"]
    assert names(store, "0987 654 321") == ["Nguyễn Thị Hồng"]
    assert names(store, "+84 987 654 321") == ["Nguyễn Thị Hồng"]
    assert names(store, "0036") == []


def test_id_number_prefix(store, people) -> None:
    assert set(names(store, "00119")) == {"Nguyễn Thị Hồng", "Lê Thị Hoa"}


def test_dossier_code_and_its_prefix(store, people) -> None:
    code = people["Lê Thị Hoa"]
    assert names(store, code) == ["Lê Thị Hoa"]
    assert len(names(store, code.rsplit("-", 1)[0] + "-")) == len(PEOPLE)


def test_notes_and_procedure_name(store, people) -> None:
    store.set_field(people["Võ Thị Hòa"], "notes", "Thiếu bản sao giấy chứng sinh")
    assert names(store, "chung sinh") == ["Võ Thị Hòa"]
    assert len(names(store, "khai sinh")) == len(PEOPLE)  # the procedure's name


def test_empty_and_symbol_queries(store, people) -> None:
    assert search(store.db, "   ") == []
    assert search(store.db, '"*) OR (') == []  # FTS syntax characters are not operators


def test_words_joined_by_underscores_or_dashes(store, people) -> None:
    # The index keeps no positions (m008): each word must reach it as a word, not a phrase.
    assert names(store, "nguyen_thi_hong") == ["Nguyễn Thị Hồng"]
    assert names(store, "Trần-Đức") == ["Trần Đức Hùng"]


def test_huge_match_sets_come_newest_first(store) -> None:
    lines = [(i, dossier_input(
        id=f"00000000-0000-4000-8000-{i:012d}",
        received_at=f"2026-01-{5 + i // 80:02d}T{7 + (i % 80) // 10:02d}:{(i % 10) * 5:02d}:00+07:00",
        applicant={"full_name": f"Nguyễn Văn Số{i}"})) for i in range(RANK_AT_MOST + 20)]
    store.import_records(lines)
    for typed in ("nguyen", "nguy"):  # a whole word, and the start of one
        rows = search(store.db, typed, limit=10)
        assert len(rows) == 10
        received = [r["received_at"] for r in rows]
        assert received == sorted(received, reverse=True)
        assert rows[0]["applicant_full_name"] == f"Nguyễn Văn Số{RANK_AT_MOST + 19}"


def test_a_person_named_so_comes_before_mentions_in_a_huge_set(store) -> None:
    store.create_dossier(dossier_input(received_at="2026-01-05T07:00:00+07:00",
                                       applicant={"full_name": "Trần Văn Nam"}))
    lines = [(i, dossier_input(
        id=f"00000000-0000-4000-8000-{i:012d}",
        received_at=f"2026-01-{6 + i // 80:02d}T{7 + (i % 80) // 10:02d}:{(i % 10) * 5:02d}:00+07:00",
        applicant={"full_name": f"Lê Thị Số{i}"}, notes="Ủy quyền cho ông Trần Văn Nam"))
        for i in range(RANK_AT_MOST + 20)]
    store.import_records(lines)
    rows = search(store.db, "tran van nam", limit=5)
    assert rows[0]["applicant_full_name"] == "Trần Văn Nam"  # the oldest, yet first
    assert len(rows) == 5

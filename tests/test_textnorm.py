"""Vietnamese text handling: NFC, accent folding for search, alphabetical order."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.textnorm import fold, nfc, person_sort_key, vn_sort_key


def test_fold_removes_tones_letter_marks_and_folds_d() -> None:
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐẶNG THỊ HƯƠNG") == "dang thi huong"
    assert fold("Phượng Ánh Ỷ") == "phuong anh y"


def test_fold_same_for_composed_and_combining_input() -> None:
    composed = "Nguyễn Thị Hồng"
    combining = unicodedata.normalize("NFD", composed)
    assert composed != combining
    assert fold(composed) == fold(combining) == "nguyen thi hong"


@given(st.text())
def test_fold_matches_full_decomposition(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text.lower())
    expected = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")
    assert fold(text) == expected


def test_nfc() -> None:
    assert nfc(unicodedata.normalize("NFD", "Hòa")) == "Hòa"
    assert len(nfc(unicodedata.normalize("NFD", "ễ"))) == 1


def test_vietnamese_alphabetical_order() -> None:
    words = ["Yến", "Đức", "Dũng", "Ánh", "Ăn", "Âu", "An", "Bình", "Hương", "Hưng", "Hùng",
             "Hồng", "Hông", "Hóa", "Hòa", "hoa", "Ơn", "Ôn", "Oanh"]
    assert sorted(words, key=vn_sort_key) == [
        "An", "Ánh", "Ăn", "Âu", "Bình", "Dũng", "Đức", "hoa", "Hòa", "Hóa", "Hông", "Hồng",
        "Hùng", "Hưng", "Hương", "Oanh", "Ôn", "Ơn", "Yến",
    ]
    # Code-point order gets it wrong, which is why the key exists.
    assert sorted(["Đức", "Dũng", "Yến"]) != sorted(["Đức", "Dũng", "Yến"], key=vn_sort_key)


@given(st.text())
def test_sort_key_ignores_composition_form(text: str) -> None:
    assert vn_sort_key(unicodedata.normalize("NFC", text)) == vn_sort_key(
        unicodedata.normalize("NFD", text))


def test_person_names_sort_by_given_name_first() -> None:
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Đức", "Phạm Ánh"]
    assert sorted(names, key=person_sort_key) == [
        "Nguyễn Thị An", "Phạm Ánh", "Trần Văn Bình", "Lê Đức"]


_NAME_LETTERS = st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxy AĂÂĐÊÔƠƯ àảãáạằẳẵắặầẩẫấậ"
                                     "èẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ-'"))


@given(st.one_of(st.text(_NAME_LETTERS), st.text()))
def test_sort_key_built_word_by_word_is_the_letter_by_letter_key(text: str) -> None:
    """Names are keyed word by word from a cache (a bulk import keys 200,000 of them); the key
    must be the one the letters give, for names and for any other text."""
    from app.textnorm import _sort_parts

    primary, tones, cases = _sort_parts(text)
    assert vn_sort_key(text) == f"{primary}\x01{tones}\x01{cases}"


@given(st.text())
def test_folding_ascii_text_only_lowers_it(text: str) -> None:
    ascii_text = text.encode("ascii", "ignore").decode()
    assert fold(ascii_text) == ascii_text.lower()
    assert fold(text + "Đ") == fold(text) + "d"

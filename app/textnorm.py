"""Vietnamese text: NFC normalisation, accent folding for search, and alphabetical sort keys.

Pure functions, thread-safe. ``fold`` is used on both sides of a search (the index and the query),
so "Nguyễn" ~ "nguyen" and "Đức" ~ "duc". ``vn_sort_key`` orders text the way a Vietnamese
reader expects (a ă â b c d đ e ê g … o ô ơ … u ư …; tones decide only between otherwise equal
words: ngang, huyền, hỏi, ngã, sắc, nặng), which code-point order does not.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Combining marks that make a distinct letter of the alphabet (ă â ê ô ơ ư).
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
# Tone marks, in the conventional dictionary order (ngang = 0).
_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (Vietnamese keyboards type both composed and combining)."""
    return unicodedata.normalize("NFC", text)


def _fold_slow(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


# Precomputed for every Latin letter with diacritics (U+00C0..U+024F, U+1E00..U+1EFF): one
# str.translate call then folds a whole name, ~10x faster than decomposing it.
_FOLD_TABLE = {
    code: _fold_slow(chr(code))
    for block in (range(0x00C0, 0x0250), range(0x1E00, 0x1F00))
    for code in block
}


def fold(text: str) -> str:
    """Lower-case, strip every diacritic and fold đ/Đ to d: the search form of ``text``."""
    folded = text.lower()
    if folded.isascii():  # numbers, codes, unaccented words: nothing to strip
        return folded
    folded = folded.translate(_FOLD_TABLE)
    return folded if folded.isascii() else _fold_slow(folded)


def _sort_parts(text: str) -> tuple[str, str, str]:
    """Primary letters, tones and cases of ``text`` (see ``vn_sort_key``), the slow way."""
    primary: list[str] = []
    tones: list[str] = []
    cases: list[str] = []
    last_letter = ""
    for ch in unicodedata.normalize("NFD", text):
        if ch in _LETTER_MARKS and primary and last_letter in "aeou":
            base = primary.pop()
            primary.append(chr(ord(base) + _LETTER_MARKS[ch]))
            continue
        if ch in _TONE_MARKS:
            if tones:
                tones[-1] = str(_TONE_MARKS[ch])
            continue
        if unicodedata.combining(ch):
            continue
        lower = last_letter = ch.lower()[:1] or ch
        if lower == "đ":
            primary.append(chr(0x100 + ord("d") * 4 + 1))
        elif ord(lower) < 0x40000:  # room for the three letter marks between two letters
            primary.append(chr(0x100 + ord(lower) * 4))
        else:
            primary.append(lower)
        tones.append("0")
        cases.append("1" if ch != lower else "0")
    return "".join(primary), "".join(tones), "".join(cases)


# The parts of every single character a Vietnamese name is written with, computed once.
_SORT_TABLE = {
    chr(code): parts
    for block in (range(0x20, 0x7F), range(0x00C0, 0x0250), range(0x1EA0, 0x1F00))
    for code in block
    if len((parts := _sort_parts(chr(code)))[0]) == 1
}


@lru_cache(maxsize=65_536)
def _word_parts(word: str) -> tuple[str, str, str] | None:
    """``vn_sort_key``'s three parts of one word from the table; None if a character is not in
    it. Cached: names are made of a few thousand words (a bulk import sorts 200,000 names)."""
    try:
        parts = [_SORT_TABLE[ch] for ch in word]
    except KeyError:
        return None
    return ("".join(p[0] for p in parts), "".join(p[1] for p in parts),
            "".join(p[2] for p in parts))


def vn_sort_key(text: str) -> str:
    """A string whose code-point order is Vietnamese alphabetical order of ``text``.

    Primary level: letters with their letter marks (a < ă < â < b; d < đ), case-insensitive.
    Secondary level, appended after a separator: the tone of each letter, then the case.
    """
    words = [_word_parts(word) for word in text.split(" ")]
    if None in words:
        primary, tones, cases = _sort_parts(text)
    else:  # the table's characters are independent: the words' parts joined by the space's
        space = _SORT_TABLE[" "]
        primary = space[0].join(w[0] for w in words)  # type: ignore[index]
        tones = space[1].join(w[1] for w in words)  # type: ignore[index]
        cases = space[2].join(w[2] for w in words)  # type: ignore[index]
    return primary + "\x01" + tones + "\x01" + cases


def person_sort_key(full_name: str) -> str:
    """Sort key for a person's name as Vietnamese registers sort them: given name first.

    "Nguyễn Văn An" sorts under "An", then by the family and middle names.
    """
    words = nfc(full_name).split()
    if not words:
        return ""
    return vn_sort_key(" ".join([words[-1], *words[:-1]]))

"""Sort what a reader sees in the order of the page's language.

Python's own order is by code point: "Österrike" before "Belgien"? No, after everything ("Ö" is
U+00D6), but "Éire" after "Zypern" and lower case after upper case. A reader expects the
alphabet of their language (the CLDR collations, as ICU implements them):

- English (CLDR root): letters with accents sort with their base letter (é as e), case and
  accents only break ties.
- Swedish (CLDR "sv", standard): the alphabet ends ... X Y Z Å Ä Ö; Æ sorts as Ä, Ø as Ö, Ü as Y
  (Swedish treats them as variants of those letters); other accented letters (é, à) with their
  base letter; W is a letter of its own after V.

A key function, not ICU: the site sorts names of member states, providers and glossary terms,
which these rules cover exactly; PyICU would need ICU's C++ library to build from source on
every machine and CI runner. ``sort_key`` raises on a language it has no rules for.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Callable, Iterable, TypeVar

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")

# Swedish letters after Z, and the letters Swedish sorts as one of them or as another letter.
# They map to characters after "z" in code-point order ("{", "|", "}"), keeping å < ä < ö.
_SV_LETTERS = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"}
LANGUAGES = ("en", "sv")


def _base_letters(text: str) -> str:
    """``text`` in lower case with accents removed (é -> e, ł kept: it has no decomposition)."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _primary(text: str, lang: str) -> str:
    """The letters that decide the order (CLDR's primary strength) for ``lang``."""
    if lang not in LANGUAGES:
        raise ValueError(f"no collation for language {lang!r}; expected one of {LANGUAGES}")
    if lang == "en":
        return _base_letters(text)
    return "".join(_SV_LETTERS.get(ch) or _base_letters(ch) for ch in unicodedata.normalize("NFC", text.casefold()))


def sort_key(text: str, lang: str) -> tuple[str, str, str]:
    """A key that sorts ``text`` in ``lang``'s alphabetical order: its letters first, then its
    accents and case, then the text itself (so equal-looking texts still have one order)."""
    text = str(text)
    return _primary(text, lang), _base_letters(text), text


def sort_by(items: Iterable[T], lang: str, label: Callable[[T], str]) -> list[T]:
    """``items`` sorted by what a reader sees (``label(item)``) in ``lang``'s order; items with the
    same label keep their order (a country's years stay in order)."""
    return sorted(items, key=lambda item: sort_key(label(item), lang))


def by_country_name(frame, ctx) -> "pd.DataFrame":
    """``frame`` (with ``country_code``) in the alphabetical order of the member states' names
    in ``ctx.lang``; a country's rows keep their order (its years stay in order)."""
    names = {code: ctx.country_name(code) for code in set(frame["country_code"])}
    order = sort_by(range(len(frame)), ctx.lang, lambda i: names[frame["country_code"].iloc[i]])
    return frame.iloc[order]

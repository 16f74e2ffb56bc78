"""Format figures for a page's language with Babel, keeping each figure's status visible.

An approximate figure must never look exact and "not reported" must never look like zero, so
every formatted value goes through ``value_html``, which prints the status mark (with its
explanation as a tooltip) beside the number, or the status word where there is no number.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from html import unescape

import pandas as pd
from babel import Locale
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol, get_minus_sign_symbol
from markupsafe import Markup, escape

from transparency.i18n import t
from transparency.layout import macros


# The marks, legend and periods are laid out in templates/_flags.html.
def _flags():
    return macros("_flags.html")

# Babel locales for the site's languages (en uses "1,234" and "4.22%", sv "1 234", "4,22 %").
LOCALES = {"en": "en_GB", "sv": "sv_SE"}

# Flags whose value is a number shown with a mark before it.
_MARKS = {"approximate": "≈", "lower_bound": ">", "upper_bound": "≤"}
# Flags with no number: shown as a word, never as a dash or zero.
_WORDS = ("not_available", "not_reported", "not_applicable")
FLAGS = ("reported", "approximate", "lower_bound", "upper_bound", "range", *_WORDS)


def _locale(lang: str) -> str:
    if lang not in LOCALES:
        raise ValueError(f"unknown language {lang!r}; expected one of {sorted(LOCALES)}")
    return LOCALES[lang]


def is_missing(value) -> bool:
    """True for None, pandas NA and NaN."""
    return value is None or bool(pd.isna(value))


# A plain number in the page's language: integers without decimals, others as given.
def number(value, lang: str, decimals: int | None = None) -> str:
    if is_missing(value):
        raise ValueError("number() got a missing value; use value_html() for flagged cells")
    value = float(value)
    if decimals is None:
        decimals = 0 if value.is_integer() else min(_decimals(value), 3)
    return _number(value, _locale(lang), decimals, math.copysign(1.0, value))


# Babel parses the pattern on every call: a site build formats the same few thousand
# figures again and again, so each (value, locale, decimals) is formatted once per process.
# The sign is part of the key: -0.0 == 0.0, but Babel writes "-0.00".
@lru_cache(maxsize=16384)
def _number(value: float, locale: str, decimals: int, sign: float) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _signed(format_decimal(value, format=pattern, locale=locale), locale)


# Babel writes the pattern's "-" as it stands; CLDR means the locale's minus sign there (sv:
# U+2212). A value that rounds to zero is shown unsigned ("0.00", never "-0.00").
def _signed(text: str, locale: str) -> str:
    if not text.startswith("-"):
        return text
    if not re.search("[1-9]", text):
        return text[1:]
    return get_minus_sign_symbol(locale) + text[1:]


def _decimals(value: float) -> int:
    text = repr(value).split(".")[-1] if "." in repr(value) else ""
    return len(text.rstrip("0")) if "e" not in text else 3


# A percentage given on a 0-100 scale (4.22 -> "4.22%" / "4,22 %").
def percent(value_pct, lang: str, decimals: int = 2) -> str:
    if is_missing(value_pct):
        raise ValueError("percent() got a missing value")
    value_pct = float(value_pct)
    return _percent(value_pct, _locale(lang), decimals, math.copysign(1.0, value_pct))


@lru_cache(maxsize=16384)  # as _number
def _percent(value_pct: float, locale: str, decimals: int, sign: float) -> str:
    # Keep the locale's own pattern (sv puts a no-break space before "%"), with our decimals.
    pattern = Locale.parse(locale).percent_formats[None].pattern
    pattern = pattern.replace("0", "0" + ("." + "0" * decimals if decimals else ""), 1)
    return _signed(format_percent(value_pct / 100, format=pattern, locale=locale), locale)


# The percent sign as the locale writes it after a number ("%" / no-break space and "%"), for
# places that add it to numbers formatted elsewhere (chart axes).
def percent_suffix(lang: str) -> str:
    pattern = Locale.parse(_locale(lang)).percent_formats[None].pattern
    return pattern[pattern.rindex("0") + 1:]


# Plotly's ``layout.separators`` for the language: its decimal sign, then its grouping sign.
def plotly_separators(lang: str) -> str:
    locale = Locale.parse(_locale(lang))
    return get_decimal_symbol(locale) + get_group_symbol(locale)


# Grouping spaces between the digits of a number in our own prose, made no-break where the
# language groups with spaces (sv), so "9 112" never breaks across lines. Our English text
# groups with commas and is left as it is.
_GROUP_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")


def prose(words: str, lang: str) -> str:
    """Text from the data in ``lang`` with the grouping spaces of its numbers no-break."""
    group = _group_symbol(lang)
    return _GROUP_SPACE.sub(group, words) if group.isspace() else words


# Babel parses the locale on every call; every interface string passes through prose().
@lru_cache(maxsize=None)
def _group_symbol(lang: str) -> str:
    return get_group_symbol(_locale(lang))


# Count a "1 234" style number in a large magnitude as words only where the report does.
def compact(value, lang: str) -> str:
    value = float(value)
    for size, key in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            scaled = round(value / size, 1)
            # "1 miljon", not "1 miljoner": the singular where the number is exactly one
            return f"{number(scaled, lang)} {t(key + '_one' if scaled == 1 else key, lang)}"
    return number(value, lang)


def flag_mark(flag: str, lang: str) -> Markup:
    """The mark shown before a flagged number, with its meaning as a tooltip."""
    if flag not in FLAGS:
        raise ValueError(f"unknown flag {flag!r}; expected one of {FLAGS}")
    if flag not in _MARKS:
        return Markup("")
    return _flags().mark(flag, t(f"flag_{flag}_long", lang), _MARKS[flag])


def value_html(value, flag: str, lang: str, *, low=None, high=None, pct=False,
               decimals: int | None = None) -> Markup:
    """A figure with its status: number and mark, a range, or the status in words."""
    if flag not in FLAGS:
        raise ValueError(f"unknown flag {flag!r}; expected one of {FLAGS}")
    show = (lambda v: percent(v, lang, decimals if decimals is not None else 2)) if pct else (
        lambda v: number(v, lang, decimals))
    if flag in _WORDS:
        return _flags().word(flag, t(f"flag_{flag}_long", lang), t(f"flag_{flag}", lang))
    if flag == "range":
        return _flags().range(t("flag_range_long", lang), show(low), show(high))
    if is_missing(value):
        raise ValueError(f"flag {flag!r} needs a value")
    return flag_mark(flag, lang) + escape(show(value))


def value_text(value, flag: str, lang: str, *, low=None, high=None, pct=False, decimals: int | None = None) -> str:
    """``value_html`` as plain text (chart hover labels): mark and number, or the status word.
    Its no-break spaces stay (``Markup.striptags`` would turn them into breakable ones)."""
    html = value_html(value, flag, lang, low=low, high=high, pct=pct, decimals=decimals)
    return unescape(re.sub(r"<[^>]+>", "", str(html)))


def flag_legend(lang: str) -> Markup:
    """A legend explaining every status mark, shown under each table."""
    items = [{"flag": flag, "sample": _MARKS.get(flag) or ("a–b" if flag == "range" else t(f"flag_{flag}", lang)),
              "meaning": t(f"flag_{flag}_long", lang)} for flag in FLAGS[1:]]
    return _flags().legend(t("legend", lang), items)


# How a period's label joins its two ends, per language: (opening word, joining word). The
# Swedish labels are the report's own ("1 augusti 2021 till 31 juli 2022", "mellan juli 2021
# och december 2021", "från den 13 juli 2021 till den 31 december 2021").
_PERIOD_JOINS = {"en": (("", " to "),), "sv": (("mellan ", " och "), ("från ", " till "), ("", " till "))}


def _period_ends(label: str, lang: str) -> tuple[str, str, str, str] | None:
    """``label`` cut into (opening word, first end, joining word, second end), or None when it
    does not name two ends ("2022", "First half of 2023")."""
    for opening, join in _PERIOD_JOINS[lang]:
        rest = label[len(opening):]
        if label.startswith(opening) and rest.count(join) == 1:
            first, second = rest.split(join)
            return opening, first, join, second
    return None


def _whole_period(start: pd.Timestamp, end: pd.Timestamp) -> str | None:
    """The HTML datetime value of a period that is one day, one calendar month or one calendar
    year ("2022-03-01", "2022-03", "2022"), else None: HTML has no value for an interval."""
    if start == end:
        return start.date().isoformat()
    if start.day == 1 and end == start + pd.offsets.MonthEnd(0):
        return start.strftime("%Y-%m")
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return None


def period_html(label: str, start: pd.Timestamp, end: pd.Timestamp, lang: str) -> Markup:
    """A reporting period as its label, machine-readable in HTML's own terms: each end of a label
    that names two ends in a <time> with that end's date; a one-day, one-month or one-year period
    in one <time>; any other ("First half of 2023") in <data> with the ISO 8601 interval."""
    _locale(lang)
    assert start <= end, f"period {label!r} starts {start.date()} after it ends {end.date()}"
    ends, whole = _period_ends(label, lang), _whole_period(start, end)
    if ends:
        opening, first, join, second = ends
        html = _flags().period_ends(opening, start.date().isoformat(), first, join, end.date().isoformat(), second)
    elif whole:
        html = _flags().period_whole(whole, label)
    else:
        html = _flags().period_interval(start.date().isoformat(), end.date().isoformat(), label)
    assert html.striptags() == " ".join(label.split()), f"period {label!r} rendered as {html!r}"
    return html


# Swedish collation (CLDR's "sv" tailoring): å, ä and ö are letters of their own after z, æ
# sorts as ä, ø as ö and ü as y; other accents do not count at the first level.
# (Private-use characters sort after every letter.)
_SV_LETTERS = {"å": "\U000f0001", "ä": "\U000f0002", "æ": "\U000f0002", "ö": "\U000f0003", "ø": "\U000f0003",
               "ü": "y"}


def _base_letters(text: str) -> str:
    """``text`` without accents (NFD, combining marks dropped)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def collation_key(text: str, lang: str) -> tuple[str, str]:
    """A sort key that orders ``text`` as a dictionary of ``lang`` does: case and accents
    ignored first ("Élan" with "elan"), and in Swedish å, ä, ö after z ("Österrike" after
    "Tyskland"); ties broken by the text itself, so the order is total and stable.

    >>> sorted(["Österrike", "Belgien", "Ärlig", "Åland", "Zeta"], key=lambda w: collation_key(w, "sv"))
    ['Belgien', 'Zeta', 'Åland', 'Ärlig', 'Österrike']
    """
    _locale(lang)
    folded = unicodedata.normalize("NFC", text).casefold()
    if lang == "sv":
        folded = "".join(_SV_LETTERS.get(c, c) for c in folded)
    return _base_letters(folded), text

"""Interface strings: every key once, in both languages, and unknown keys fail loudly."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from transparency.i18n import LANGUAGES, STRINGS, t

SOURCE = Path(__file__).resolve().parents[1] / "transparency" / "i18n.py"


def test_no_key_is_defined_twice():
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    strings = next(node.value for node in ast.walk(tree)
                   if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "STRINGS")
    keys = [key.value for key in strings.keys]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})


def test_every_string_has_every_language_and_no_blank():
    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(text.strip() for text in texts.values()), key


def test_unknown_key_or_language_raises():
    with pytest.raises(KeyError, match="no_such_key"):
        t("no_such_key", "en")
    with pytest.raises(ValueError, match="'de'"):
        t("source", "de")

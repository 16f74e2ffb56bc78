"""MkDocs hook: put the data tables and charts that macros deferred (``transparency.deferred``) back into
each page once Markdown has converted it, before any other plugin reads the page's HTML."""

import sys
from pathlib import Path

from mkdocs.plugins import event_priority

# MkDocs loads hooks by file path, before the project folder is importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transparency.deferred import restore  # noqa: E402


@event_priority(100)
def on_page_content(html, page, config, files):
    return restore(html)

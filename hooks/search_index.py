"""MkDocs hook: one search index per language.

mkdocs-static-i18n merges every language's pages into the one search/search_index.json, so
each page load fetched (and handed to the search worker) both languages' text, and an English
search listed Swedish pages. After the last language is built, this splits that index: the
default language keeps search/search_index.json, and each other language gets
<locale>/search/search_index.json with locations relative to its own folder and only its own
Lunr language. overrides/main.html points those pages' search (Material's config "base") at
their language folder.
"""

import json
from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority(-200)  # after mkdocs-static-i18n (-100) has written the merged index
def on_post_build(config, **kwargs):
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.building:  # inside i18n's build of another language: not yet
        return
    site = Path(config["site_dir"])
    merged_path = site / "search" / "search_index.json"
    merged = json.loads(merged_path.read_text(encoding="utf-8"))
    others = [lang.locale for lang in i18n.config.languages if not lang.default and lang.build]
    for locale, docs in split_index(merged["docs"], i18n.default_language, others).items():
        folder = site if locale == i18n.default_language else site / locale
        index = {**merged, "config": {**merged["config"], "lang": [locale]}, "docs": docs}
        (folder / "search").mkdir(parents=True, exist_ok=True)
        (folder / "search" / "search_index.json").write_text(
            json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def split_index(docs: list[dict], default: str, others: list[str]) -> dict[str, list[dict]]:
    """Each language's entries, in their original order; a translated page's location loses
    its language prefix ("sv/countries/at/" -> "countries/at/" in sv's index)."""
    out: dict[str, list[dict]] = {default: [], **{locale: [] for locale in others}}
    for doc in docs:
        location = doc["location"]
        locale = next((o for o in others if location == o or location.startswith(o + "/")), default)
        if locale != default:
            doc = {**doc, "location": location[len(locale):].lstrip("/")}
        out[locale].append(doc)
    return out

"""MkDocs hook: the heading permalinks' tooltip in the page's language.

Python-Markdown's toc extension titles every heading's permalink "Permanent link"
(``permalink_title``), one setting for the whole site, which mkdocs-static-i18n cannot set per
language; a Swedish page gets the Swedish words instead.
"""

# toc's default permalink_title (mkdocs.yml leaves it unset), and its words per language.
ENGLISH_TITLE = 'title="Permanent link"'
TITLES = {"sv": 'title="Permanent länk"'}


def on_page_content(html, page, config, files, **kwargs):
    locale = getattr(page.file, "locale", None)
    return html.replace(ENGLISH_TITLE, TITLES[locale]) if locale in TITLES else html

"""MkDocs hook: keep the default language's 404 page at the site root.

mkdocs-static-i18n builds every language into the same site folder, and each build renders the
theme's 404.html there; the last language's build would otherwise leave a Swedish 404 page whose
language links point at whichever page that build had rendered last. GitHub Pages serves only
the root 404.html, so it is the default language's, with its language links to each home page.
"""

_rendered: dict[str, str] = {}


def on_post_template(output_content, template_name, config, **kwargs):
    if template_name != "404.html":
        return output_content
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.current_language == i18n.default_language:
        _rendered["404.html"] = output_content
        return output_content
    assert "404.html" in _rendered, "the default language's 404 page was not rendered before the others"
    return _rendered["404.html"]

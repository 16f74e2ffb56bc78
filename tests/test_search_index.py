"""The split of mkdocs-static-i18n's merged search index into one index per language."""

from hooks.search_index import split_index


def test_each_entry_goes_to_its_language_without_the_prefix():
    docs = [{"location": "", "title": "Home"}, {"location": "countries/at/", "title": "Austria"},
            {"location": "sv/", "title": "Start"}, {"location": "sv/countries/at/#ncmec", "title": "Österrike"},
            {"location": "svenska-ord/", "title": "An English page whose path starts with sv"}]
    out = split_index(docs, "en", ["sv"])
    assert [d["location"] for d in out["en"]] == ["", "countries/at/", "svenska-ord/"]
    assert [(d["location"], d["title"]) for d in out["sv"]] == [("", "Start"), ("countries/at/#ncmec", "Österrike")]
    assert docs[3]["location"] == "sv/countries/at/#ncmec"  # the input is left as it was


def test_a_language_without_pages_gets_an_empty_index():
    assert split_index([{"location": "", "title": "Home"}], "en", ["sv", "fi"]) == {
        "en": [{"location": "", "title": "Home"}], "sv": [], "fi": []}

"""Country and provider profiles, rendered straight from the real package (no mkdocs build),
and the page generator run against a fake file opener."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import io
import sys
from pathlib import Path

import pytest
from markupsafe import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transparency import fmt, profiles  # noqa: E402
from transparency.context import Ctx  # noqa: E402
from transparency.i18n import t  # noqa: E402
from transparency.package import load_package  # noqa: E402

PKG = load_package()
LANGS = ["en", "sv"]

# Count columns of the member-state resources: every non-empty one must be on the page.
COUNTRY_COUNTS = {
    "ms_reports_received": ["value", "value_low", "value_high"],
    "ncmec_reports_by_country": ["reports__count"],
    "population": ["population__persons"],
    "ms_children_identified": ["girls__count", "boys__count", "unknown_sex__count", "total__count"],
    "ms_convictions": ["convictions__count"],
}


def _ctx(lang: str, pkg=PKG) -> Ctx:
    return Ctx(pkg=pkg, lang=lang, root="../")


def _with_frame(name: str, frame):
    return dataclasses.replace(PKG, frames={**PKG.frames, name: frame})


def _section(html: str, section_id: str) -> str:
    """The HTML of one profile section: from its <h2> to the next one."""
    start = html.index(f'id="{section_id}"')
    end = html.find("<h2 ", start)
    return html[start:] if end == -1 else html[start:end]


def _formatted(value, lang: str) -> str:
    return str(escape(fmt.number(value, lang)))


# ---------------------------------------------------------------------------------------------
# Country profiles
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_country_profile_shows_its_name_and_every_figure(lang):
    ctx = _ctx(lang)
    figures = PKG["figures"]
    for code in ctx.country_codes():
        html = str(profiles.country_profile(ctx, code))
        assert str(escape(ctx.country_name(code))) in html, code
        for resource, columns in COUNTRY_COUNTS.items():
            rows = PKG[resource][PKG[resource]["country_code"] == code]
            for column in columns:
                for value in rows[column].dropna():
                    assert _formatted(value, lang) in html, f"{code} {resource}.{column} = {value}"
        for _, row in figures[figures["country_code"] == code].iterrows():
            pct = row["unit"] == "percent"
            if not fmt.is_missing(row["value"]):
                shown = fmt.percent(row["value"], lang, profiles._printed_decimals(row)) if pct else fmt.number(
                    row["value"], lang)
                assert str(escape(shown)) in _section(html, "other-figures"), f"{code} {row['figure_id']}"


@pytest.mark.parametrize("lang", LANGS)
def test_austria_shows_its_ncmec_count_for_every_year_in_the_data(lang):
    html = str(profiles.country_profile(_ctx(lang), "AT"))
    ncmec = PKG["ncmec_reports_by_country"]
    rows = ncmec[ncmec["country_code"] == "AT"]
    assert len(rows) == ncmec["year"].nunique()
    section = _section(html, "ncmec-reports")
    for _, row in rows.iterrows():
        assert f">{int(row['year'])}<" in section
        assert _formatted(row["reports__count"], lang) in section


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", ["DE", "MT"])
def test_nothing_reported_reads_not_reported_never_zero(lang, code):
    section = _section(str(profiles.country_profile(_ctx(lang), code)), "reports-received")
    assert t("flag_not_reported", lang) in section
    assert ">0<" not in section and ">0 " not in section


@pytest.mark.parametrize("lang", LANGS)
def test_poland_lists_its_three_conviction_periods(lang):
    section = _section(str(profiles.country_profile(_ctx(lang), "PL")), "convictions")
    rows = PKG["ms_convictions"][PKG["ms_convictions"]["country_code"] == "PL"]
    assert len(rows) == 3
    for _, row in rows.iterrows():
        assert str(escape(row[f"period_label_{lang}"])) in section
        assert _formatted(row["convictions__count"], lang) in section


@pytest.mark.parametrize("lang", LANGS)
def test_sections_have_stable_ids(lang):
    html = str(profiles.country_profile(_ctx(lang), "AT"))
    for section_id in ("overview", "reports-received", "ncmec-reports", "population", "children-identified",
                       "convictions", "caveats", "not-reported", "other-figures"):
        assert f'<h2 id="{section_id}"' in html, section_id


def test_a_section_without_rows_says_so_instead_of_an_empty_table():
    convictions = PKG["ms_convictions"]
    pkg = _with_frame("ms_convictions", convictions[convictions["country_code"] != "AT"])
    html = str(profiles.country_profile(_ctx("en", pkg), "AT"))
    section = _section(html, "convictions")
    assert "<table" not in section
    assert str(escape(t("pf_none_figure", "en", name="Austria"))) in section


def test_a_country_without_caveats_or_gaps_says_so():
    caveats, gaps = PKG["ms_caveats"], PKG["ms_nonreporting"]
    code = next(c for c in _ctx("en").country_codes()
                if c not in set(caveats["country_code"]) and c not in set(gaps["country_code"]))
    html = str(profiles.country_profile(_ctx("sv"), code))
    name = _ctx("sv").country_name(code)
    assert str(escape(t("pf_none_caveats", "sv", name=name))) in _section(html, "caveats")
    assert str(escape(t("pf_none_nonreporting", "sv", name=name))) in _section(html, "not-reported")


def test_ncmec_shares_and_rates_are_computed_from_the_data():
    html = _section(str(profiles.country_profile(_ctx("en"), "AT")), "ncmec-reports")
    ncmec, population = PKG["ncmec_reports_by_country"], PKG["population"]
    for year in ncmec["year"].unique():
        count = ncmec[(ncmec["country_code"] == "AT") & (ncmec["year"] == year)]["reports__count"].iat[0]
        people = population[(population["country_code"] == "AT") & (population["year"] == year)]
        per_100k = count / people["population__persons"].iat[0] * 100_000
        assert fmt.number(round(per_100k, 1), "en", 1) in html


def test_data_text_is_escaped_in_country_profiles():
    convictions = PKG["ms_convictions"].copy()
    convictions.loc[convictions["country_code"] == "AT", "note_en"] = "<script>alert(1)</script>"
    html = str(profiles.country_profile(_ctx("en", _with_frame("ms_convictions", convictions)), "AT"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_country_raises():
    with pytest.raises(KeyError, match="XX"):
        profiles.country_profile(_ctx("en"), "XX")


@pytest.mark.parametrize("lang", LANGS)
def test_country_index_links_every_member_state_with_years_from_the_data(lang):
    ctx = _ctx(lang)
    html = str(profiles.country_index(ctx))
    for code in ctx.country_codes():
        assert f'href="../countries/{code.lower()}/"' in html
    for year in PKG["ncmec_reports_by_country"]["year"].unique():
        assert t("pf_ncmec_in_year", lang, year=int(year)) in html
    assert html.count("<tr>") == 1 + len(ctx.country_codes())
    de = html[html.index('href="../countries/de/"'):].split("</tr>")[0]
    assert de.count(t("pf_completeness_none", lang)) == 3


# ---------------------------------------------------------------------------------------------
# Provider profiles
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_provider_profile_shows_its_name_and_detections(lang):
    ctx = _ctx(lang)
    detections = PKG["provider_detections"]
    for provider in ctx.provider_ids():
        html = str(profiles.provider_profile(ctx, provider))
        assert str(escape(ctx.provider_name(provider))) in html
        section = _section(html, "detections")
        for _, row in detections[detections["provider_id"] == provider].iterrows():
            if not fmt.is_missing(row["value"]):
                assert _formatted(row["value"], lang) in section, f"{provider} {row['year']}"
        for section_id in ("scope", "appeals", "reinstatement-rates", "legal-bases", "transfer-grounds",
                           "traffic-data", "safeguards", "data-protection", "retention", "data-sharing",
                           "other-figures"):
            assert f'<h2 id="{section_id}"' in html, f"{provider}: {section_id}"


def test_provider_note_is_shown_escaped():
    providers = PKG["providers"].copy()
    providers.loc[providers["provider_id"] == "x", "note_en"] = "Scope <script>x</script> unclear"
    html = str(profiles.provider_profile(_ctx("en", _with_frame("providers", providers)), "x"))
    assert "<script>" not in html
    assert "Scope &lt;script&gt;x&lt;/script&gt; unclear" in html


def test_x_profile_carries_the_unclear_scope_note():
    row = PKG["providers"].set_index("provider_id").loc["x"]
    html = _section(str(profiles.provider_profile(_ctx("en"), "x")), "scope")
    assert str(escape(row["note_en"])) in html


def test_approximate_appeals_never_look_exact():
    appeals = PKG["provider_appeals"]
    row = appeals[appeals["flag"] == "approximate"].iloc[0]
    html = _section(str(profiles.provider_profile(_ctx("en"), row["provider_id"])), "appeals")
    assert str(fmt.value_html(row["value"], "approximate", "en")) in html


@pytest.mark.parametrize("lang", LANGS)
def test_provider_index_links_every_provider(lang):
    ctx = _ctx(lang)
    html = str(profiles.provider_index(ctx))
    for provider in ctx.provider_ids():
        assert f'href="../providers/{provider}/"' in html
    for year in PKG["provider_detections"]["year"].unique():
        assert t("pf_detected_in_year", lang, year=int(year)) in html


# ---------------------------------------------------------------------------------------------
# Page generator
# ---------------------------------------------------------------------------------------------


def _gen_pages():
    spec = importlib.util.spec_from_file_location("gen_pages", ROOT / "scripts" / "gen_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # __name__ is "gen_pages": nothing is written on import
    return module


def test_gen_pages_writes_two_pages_per_country_and_provider():
    written = {}

    @contextlib.contextmanager
    def fake_open(path, mode):
        assert mode == "w"
        buffer = io.StringIO()
        yield buffer
        written[path] = buffer.getvalue()

    paths = _gen_pages().write_pages(PKG, fake_open)
    assert sorted(paths) == sorted(written)
    for _, row in PKG["member_states"].iterrows():
        code = row["country_code"]
        english, swedish = written.pop(f"countries/{code.lower()}.md"), written.pop(f"countries/{code.lower()}.sv.md")
        assert f"# {row['name_en']}\n" in english and f"# {row['name_sv']}\n" in swedish
        assert f'{{{{ country_profile("{code}") }}}}' in english and f'{{{{ country_profile("{code}") }}}}' in swedish
        assert english.startswith("---\ntitle: ") and "\ndescription: " in swedish
    for _, row in PKG["providers"].iterrows():
        pid = row["provider_id"]
        for path in (f"providers/{pid}.md", f"providers/{pid}.sv.md"):
            page = written.pop(path)
            assert f"# {row['name']}\n" in page and f'{{{{ provider_profile("{pid}") }}}}' in page
    assert not written, f"unexpected pages: {sorted(written)}"


def test_gen_pages_rejects_a_malformed_key():
    states = PKG["member_states"].copy()
    states.loc[0, "country_code"] = 'A"T'
    pkg = dataclasses.replace(PKG, frames={**PKG.frames, "member_states": states})
    with pytest.raises(ValueError, match="country_code"):
        _gen_pages().write_pages(pkg, lambda path, mode: contextlib.nullcontext(io.StringIO()))


def test_i18n_localizes_pages_written_outside_docs_dir(tmp_path):
    from mkdocs.config import load_config
    from mkdocs.structure.files import File
    from mkdocs_static_i18n import reconfigure, suffix

    config = load_config(str(ROOT / "mkdocs.yml"))
    page = tmp_path / "countries" / "at.sv.md"
    page.parent.mkdir()
    page.write_text("# Österrike\n", encoding="utf-8")
    generated = File("countries/at.sv.md", str(tmp_path), config["site_dir"], True)
    assert not reconfigure.is_relative_to(generated.abs_src_path, config["docs_dir"])  # the plugin's bug
    _gen_pages().let_i18n_localize(str(tmp_path))
    assert reconfigure.is_relative_to(generated.abs_src_path, config["docs_dir"])
    made = suffix.create_i18n_file(generated, "sv", "en", ["en", "sv"], config)
    assert made.dest_uri == "sv/countries/at/index.html" and made.locale == "sv"
    assert made.content_string == "# Österrike\n"
    elsewhere = File("countries/at.md", str(tmp_path.parent), config["site_dir"], True)
    assert not reconfigure.is_relative_to(elsewhere.abs_src_path, config["docs_dir"])

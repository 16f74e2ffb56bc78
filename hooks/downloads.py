"""MkDocs hook: put the data package, its zip, CITATION.cff and every chart's numbers under
downloads/ at the site root (shared by both languages), and give each translated language
folder a copy of the sitemap, which Material's language selector fetches from there."""

import shutil
import sys
from pathlib import Path

# MkDocs loads hooks by file path, before the project folder is importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transparency import charts  # noqa: E402
from transparency.context import Ctx
from transparency.downloads import write_downloads
from transparency.package import load_package


def on_post_build(config, **kwargs):
    # mkdocs-static-i18n runs this once per language into the same site folder; the shared
    # downloads only need writing in the default language's build. The sitemap copy needs the
    # translated folders, which exist only once their own build has run.
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.current_language == i18n.default_language:
        _write_downloads(config)
    _copy_sitemaps(config)


def _write_downloads(config) -> None:
    package = load_package(Path(config.config_file_path).resolve().parent / "datapackage" / "datapackage.json")
    target = Path(config["site_dir"]) / "downloads"
    write_downloads(package, target)
    (target / "charts").mkdir(parents=True, exist_ok=True)
    ctx = Ctx(pkg=package, lang="en")
    for chart_id in charts.BUILDERS:
        (target / "charts" / f"{chart_id}.csv").write_text(charts.chart_csv(charts.build(ctx, chart_id)), encoding="utf-8")


def _copy_sitemaps(config) -> None:
    site = Path(config["site_dir"])
    i18n = config.plugins.get("i18n")
    for language in i18n.config.languages if i18n else []:
        if not language.default and (site / language.locale).is_dir():
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                if (site / name).is_file():
                    shutil.copyfile(site / name, site / language.locale / name)

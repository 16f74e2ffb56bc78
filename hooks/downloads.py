"""MkDocs hook: put the data package, its zip, CITATION.cff and every chart's downloads under
downloads/ at the site root (the CSV shared by both languages, an SVG per language, named after
the chart and the data version: downloads/charts/ms-convictions-v1.2.0.csv, ...-v1.2.0.svg,
...-v1.2.0-sv.svg); every released version of the package
under data/vX.Y.Z/ (with data/versions.json naming the latest); and give each translated
language folder a copy of the sitemap, which Material's language selector fetches from there."""

import json
import logging
import shutil
import time
import sys
import tempfile
from pathlib import Path

# MkDocs loads hooks by file path, before the project folder is importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transparency import charts, findable, svgchart  # noqa: E402
from transparency.context import Ctx
from transparency.downloads import checksum_name, write_downloads, write_version, zip_name
from transparency.package import Package, load_package
from transparency.versions import export_package, releases

log = logging.getLogger("mkdocs.hooks.downloads")


def on_post_build(config, **kwargs):
    # mkdocs-static-i18n runs this once per language into the same site folder; the shared
    # downloads only need writing in the default language's build. The sitemap copy needs the
    # translated folders, which exist only once their own build has run.
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.current_language == i18n.default_language:
        _write_downloads(config)
    _copy_sitemaps(config)
    log.info("svgchart: %d chart layouts and SVG texts so far in this process, %.2f s", svgchart.SPENT["drawings"],
             svgchart.SPENT["seconds"])


def _write_downloads(config) -> None:
    package = load_package(Path(config.config_file_path).resolve().parent / "datapackage" / "datapackage.json")
    target = Path(config["site_dir"]) / "downloads"
    site_url = config.site_url or None
    write_downloads(package, target, site_url)
    _write_versions(config, package, site_url)
    if site_url:  # DCAT needs absolute addresses: only a build for a published address has them
        (Path(config["site_dir"]) / "dcat.jsonld").write_text(
            json.dumps(findable.dcat_catalog(package, site_url), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    _write_charts(package, target / "charts", site_url or "")


def _write_charts(package: Package, folder: Path, site_url: str) -> None:
    """Each chart's CSV (English source line, names in both languages) and its SVG per language;
    a keyed chart's too for each member state or provider it has its own numbers for."""
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for lang in ("en", "sv"):
        ctx = Ctx(pkg=package, lang=lang, address=site_url)
        for chart_id in charts.BUILDERS:
            for key in charts.chart_keys(ctx, chart_id):
                if lang == "en":
                    chart = charts.build(ctx, chart_id, key)
                    (folder / charts.download_name(chart_id, package.version, lang, "csv", key)).write_text(
                        charts.chart_csv(chart, package, charts.source_text(ctx, chart)), encoding="utf-8")
                (folder / charts.download_name(chart_id, package.version, lang, "svg", key)).write_text(
                    charts.export_svg(ctx, chart_id, key), encoding="utf-8")
    log.info("chart downloads written in %.2f s", time.perf_counter() - started)


def _write_versions(config, current: Package, site_url: str | None) -> None:
    root = Path(config.config_file_path).resolve().parent
    folder = Path(config["site_dir"]) / "data"
    listed = []
    for release in releases(root, current.version):
        target = folder / f"v{release.version}"
        if release.tag is None:
            write_version(current, target, site_url)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                descriptor = export_package(root, release.tag, Path(tmp))
                old = Package(descriptor, json.loads(descriptor.read_text(encoding="utf-8")), {}, {})
                write_version(old, target, site_url)
                name = zip_name(old)
        name = zip_name(current) if release.tag is None else name
        listed.append({"version": release.version, "tag": release.tag, "path": f"v{release.version}/",
                       "zip": f"v{release.version}/{name}", "sha256": f"v{release.version}/{checksum_name(name)}"})
    assert listed, "no version of the data package to publish"
    (folder / "versions.json").write_text(json.dumps({"latest": listed[0]["version"], "versions": listed}, indent=2) + "\n",
                                          encoding="utf-8")


def _copy_sitemaps(config) -> None:
    site = Path(config["site_dir"])
    i18n = config.plugins.get("i18n")
    for language in i18n.config.languages if i18n else []:
        if not language.default and (site / language.locale).is_dir():
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                if (site / name).is_file():
                    shutil.copyfile(site / name, site / language.locale / name)

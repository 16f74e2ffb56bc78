"""Chromium for the browser tests, showing the site at the address it is built for.

The session build is made for SITE_URL (tests/sitebuild.py), whose port nothing listens on. A
browser context from ``new_context`` answers every request to SITE_URL's origin from the real
server (the build served under SITE_URL's path on a free port): Playwright's route
``continue_(url=...)`` changes the address the request goes to without the page seeing it, so
the page's origin, its Content-Security-Policy and every absolute address in it (canonical,
hreflang alternates and the sitemaps Material fetches beside them) are those of the published
site. The tests thus see what a reader at the published address sees, with one exception:
Playwright does not route the second request of a redirect (documented for ``page.route``), so
a redirect (a folder asked for without its trailing "/") leads the page to the server's port.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sitebuild import SITE_URL, serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
SITE_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(SITE_URL))  # "http://127.0.0.1:8000"
PREFIX = urlsplit(SITE_URL).path  # "/some-repo/"


@dataclass(frozen=True)
class Served:
    """A build being served: ``origin`` is where the server really listens
    ("http://127.0.0.1:PORT"); ``base`` is where the browser loads the pages: SITE_URL without
    its trailing "/", so that ``base + "/sv/"`` is a page's address."""

    origin: str
    base: str = SITE_URL.rstrip("/")


@contextlib.contextmanager
def serve_at_site_url(site: Path):
    """Serve ``site`` under SITE_URL's path (with its 404.html for anything missing or outside
    the path, as GitHub Pages does) on a free port; yield a ``Served``."""
    with serve(site, PREFIX) as origin:
        yield Served(origin)


def real_address(url: str, served: Served) -> str:
    """Where a request to ``url`` (on SITE_URL's origin) really goes: the same path on ``served``."""
    assert url.startswith(SITE_ORIGIN + "/"), url
    return served.origin + url[len(SITE_ORIGIN):]


def new_context(browser, served: Served, **options):
    """A new context of ``browser`` (``options`` as for ``browser.new_context``) in which every
    request to SITE_URL's origin is answered by ``served``. Requests elsewhere are not touched:
    they fail or show up as requests outside the prefix, as they would for a reader."""
    context = browser.new_context(**options)
    context.route(lambda url: url.startswith(SITE_ORIGIN + "/"),
                  lambda route: route.continue_(url=real_address(route.request.url, served)))
    return context


def wait_for_search(page, timeout_ms: float = 60000) -> bool:
    """Wait until Material's search on ``page`` is ready; False if it never is. Every page starts
    the search worker, which fetches its language's index and the Lunr language scripts, then
    reports ready and the search box shows its placeholder. Waiting for that, not for a quiet
    network (the worker may leave it quiet between its requests on a busy machine), keeps the
    next page load from aborting a request in flight."""
    from playwright.sync_api import expect

    config = json.loads(page.locator("#__config").text_content())
    try:
        expect(page.locator(".md-search-result__meta")).to_have_text(
            config["translations"]["search.result.placeholder"], timeout=timeout_ms)
    except AssertionError:
        return False
    return True


# Wait two frames (a scroll's effects, such as the tab bar fading out, start at the next frame),
# then for the finite CSS transitions and animations running (infinite ones never end); again
# until none starts meanwhile.
# Bounded by 10 s: a run once hung in the dark-palette check of /report/2-2-member-states/, and
# an animation that never ends or keeps restarting would hold this loop for ever. After 10 s axe
# goes on, and a colour measured mid-fade, if any, fails with axe's message instead of a hang.
_SETTLE = """async () => {
  const frames = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const end = performance.now() + 10000;
  const later = ms => new Promise(done => setTimeout(done, Math.max(0, ms)));
  while (performance.now() < end) {
    await frames();
    const running = document.getAnimations().filter(a => a.playState === 'running'
      && a.effect && a.effect.getComputedTiming().endTime !== Infinity);
    if (!running.length) return;
    await Promise.race([Promise.all(running.map(a => a.finished.catch(() => null))), later(end - performance.now())]);
  }
}"""


def settle(page) -> None:
    """Wait until every finite transition on ``page`` has ended, those a scroll starts at the
    next frame included. axe measures colours as they
    are at that instant: Material's tab bar fades out when a page scrolls to its charts, and text
    measured mid-fade reads as low contrast although no reader ever sees it held there."""
    page.evaluate(_SETTLE)


def draw_charts(page, interactive: bool = True) -> None:
    """Bring each chart on ``page`` into view and wait until it is drawn. Charts may draw only
    when scrolled into view; the map shows its preview until a mouse enters it, and with
    ``interactive=False`` it is left as a preview. Selector waits, not wait_for_function: the
    site's CSP forbids eval."""
    for plot in page.locator(".js-plotly").all():
        on_demand = plot.get_attribute("data-plotly-draw") == "on-demand"
        if on_demand and not interactive:
            continue
        plot.scroll_into_view_if_needed()
        if on_demand:
            plot.hover()
        # charts.js marks a chart "rendered" once Plotly has finished drawing it and the chart
        # is named and themed; before that its SVG text may still be unstyled.
        page.locator(f'#{plot.get_attribute("id")}[data-plotly-state="rendered"]').wait_for(
            state="attached", timeout=20000)

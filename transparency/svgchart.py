"""A chart's Plotly figure drawn as a static SVG at build time, without a browser.

Every chart (``charts.py``) is a Plotly figure. Plotly's own image export (kaleido) needs a
Chrome, and matplotlib would redraw the figure in another library at many times the cost, so
this module reads the same figure dict and lays it out itself: bar traces (vertical or
horizontal; grouped, stacked, relative or 100 %; with a ``base`` on a date axis), scatter
traces (markers, lines, text), heat maps; linear, log, date and category axes; subplots side
by side; axis titles, annotations (subplot titles) and a horizontal legend below the plot.
What it does not know (another trace type, a template it cannot fill) stops the build with a
message naming the chart.

The layout is computed, not left to a browser: text widths come from the metrics of DejaVu
Sans, the widest of the usual system sans-serif fonts, so a label measured here is never wider
on a reader's screen. Tick labels, legends and axis titles get their own bands (a legend never
overlaps the ticks) and category labels wrap or turn 45 degrees to fit. Numbers are formatted
by ``fmt`` (Babel) in the page's language. The markup is ``templates/chart.svg``.

Everything is measured in SVG user units; the SVG carries a ``viewBox`` and scales to its
column. ``charts.py`` draws each chart twice, narrow (phones) and wide, and CSS shows the one
that fits the column.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache, wraps
from pathlib import Path

import jinja2
from babel.dates import format_date
from markupsafe import Markup, escape

from transparency import colours, fmt

TEMPLATES = Path(__file__).resolve().parent / "templates"
# System fonts only: the site loads no web font, and an exported SVG names no font file.
FONT_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'
# Plotly's default colour sequence, for traces that name no colour.
PLOTLY_COLOURS = ("#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692",
                  "#B6E880", "#FF97FF", "#FECB52")

# Advance widths of DejaVu Sans in em (read from DejaVuSans.ttf's hmtx table); other characters
# count as _WIDE_EM. DejaVu is wider than Liberation/Arial, Helvetica, Segoe UI and Roboto, so
# text measured by it fits in any of them.
_EM = {" ": .318, "!": .401, '"': .46, "#": .838, "$": .636, "%": .95, "&": .78, "'": .275, "(": .39, ")": .39,
       "*": .5, "+": .838, ",": .318, "-": .361, ".": .318, "/": .337, ":": .337, ";": .337, "<": .838, "=": .838,
       ">": .838, "?": .531, "@": 1.0, "[": .39, "\\": .337, "]": .39, "^": .838, "_": .5, "`": .5, "{": .636,
       "|": .337, "}": .636, "~": .838, "A": .684, "B": .686, "C": .698, "D": .77, "E": .632, "F": .575, "G": .775,
       "H": .752, "I": .295, "J": .295, "K": .656, "L": .557, "M": .863, "N": .748, "O": .787, "P": .603, "Q": .787,
       "R": .695, "S": .635, "T": .611, "U": .732, "V": .684, "W": .989, "X": .685, "Y": .611, "Z": .685,
       "a": .613, "b": .635, "c": .55, "d": .635, "e": .615, "f": .352, "g": .635, "h": .634, "i": .278,
       "j": .278, "k": .579, "l": .278, "m": .974, "n": .634, "o": .612, "p": .635, "q": .635, "r": .411,
       "s": .521, "t": .392, "u": .634, "v": .592, "w": .818, "x": .592, "y": .592, "z": .525, "å": .613,
       "ä": .613, "ö": .612, "Å": .684, "Ä": .684, "Ö": .787, "é": .615, "ü": .634, "≈": .838, "≤": .838,
       "·": .318, "–": .5, "—": 1.0, "’": .318, "\u00a0": .318, "\u202f": .2, "→": .838, "×": .838,
       **{d: .636 for d in "0123456789"}}
_WIDE_EM = 0.84
_BOLD = 1.1  # bold text is at most this much wider


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` at font size ``size`` (user units), an upper bound for system fonts."""
    return _ems(text) * size * (_BOLD if bold else 1.0)


@lru_cache(maxsize=16384)
def _ems(text: str) -> float:
    """Width of ``text`` in em, measured once per text: a chart measures its labels over and
    over (each layout, each line that ``wrap`` tries)."""
    return sum(_EM.get(ch, _WIDE_EM) for ch in text)


def wrap(text: str, size: float, max_width: float) -> list[str]:
    """``text`` cut at spaces into lines no wider than ``max_width`` where the words allow."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(lines[-1] + " " + word, size) <= max_width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class Layout:
    """Sizes of one drawing, in user units. ``NARROW`` is for phones, ``WIDE`` for the rest."""

    width: int
    font: float
    plot_height: int  # plot area of a chart whose value axis is vertical
    row: float  # minimum band of one category on a vertical category axis
    name: str


NARROW = Layout(width=360, font=12.5, plot_height=230, row=22, name="narrow")
WIDE = Layout(width=640, font=13, plot_height=300, row=22, name="wide")
GAP = 6  # between a label and what it labels


# Steps of drawing made in this process (layouts by ``scene``, SVG texts by ``render_scene`` and
# ``export_scene``) and the seconds spent on them (hooks/downloads.py logs it).
SPENT = {"drawings": 0, "seconds": 0.0}


def _timed(function):
    @wraps(function)
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT["drawings"] += 1
            SPENT["seconds"] += time.perf_counter() - started
    return timed


class ChartError(ValueError):
    """The figure uses something this renderer does not draw."""


# --- values and axes --------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=8192)
def _number(value, lang: str, decimals: int | None = None) -> str:
    """``fmt.number``, remembered: charts repeat their tick and value labels (Babel is slow)."""
    return fmt.number(value, lang, decimals)


def _is_date(value) -> bool:
    return isinstance(value, str) and bool(_DATE.match(value))


def _ms(value) -> float:
    """A date ("2022-03-01", "2022-03-01 00:00:00") or a number of milliseconds, as milliseconds."""
    if isinstance(value, str):
        moment = datetime.fromisoformat(value.replace(" ", "T")[:19])
        return moment.replace(tzinfo=timezone.utc).timestamp() * 1000
    return float(value)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass
class Axis:
    """One axis: its kind, the values drawn on it, and once fitted its range and ticks."""

    key: str  # "xaxis", "yaxis2"
    spec: dict
    kind: str = "linear"  # linear | log | date | category
    categories: list = field(default_factory=list)
    values: list = field(default_factory=list)  # numbers (ms for dates) the axis must show
    lo: float = 0.0
    hi: float = 1.0
    ticks: list = field(default_factory=list)  # (position on the axis scale, label)
    reversed: bool = False

    @property
    def letter(self) -> str:
        return self.key[0]

    def title(self) -> str:
        title = self.spec.get("title")
        return _plain((title.get("text") if isinstance(title, dict) else title) or "")

    def scale(self, value) -> float:
        """A data value on the axis's own linear scale (log10, ms or category index)."""
        if self.kind == "category":
            return float(self.categories.index(value))
        if self.kind == "date":
            return _ms(value)
        if self.kind == "log":
            return math.log10(value) if value > 0 else -math.inf
        return float(value)

    def fraction(self, position: float) -> float:
        """Where a position on the axis scale falls, 0 at the axis start and 1 at its end."""
        share = (position - self.lo) / (self.hi - self.lo) if self.hi != self.lo else 0.5
        return 1 - share if self.reversed else share


def _axis_kind(spec: dict, samples: list) -> str:
    kind = spec.get("type", "-")
    if kind in ("linear", "log", "date", "category"):
        return kind
    if kind != "-":
        raise ChartError(f"axis type {kind!r} is not drawn")
    present = [v for v in samples if not _missing(v)]
    if present and all(_is_date(v) for v in present):
        return "date"
    if present and any(isinstance(v, str) for v in present):
        return "category"
    return "linear"


def _nice_step(span: float, count: int) -> float:
    """A 1-2-5 step giving about ``count`` intervals over ``span``."""
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0


def _fit_axis(axis: Axis, lang: str, length: float, with_zero: bool) -> None:
    """Range and ticks of ``axis`` for ``length`` user units (about one tick per 60)."""
    spec = axis.spec
    axis.reversed = spec.get("autorange") == "reversed"
    target = max(2, int(length // (60 if axis.letter == "x" else 45)))
    if spec.get("nticks"):
        target = min(target, int(spec["nticks"]))
    prefix, suffix = spec.get("tickprefix", ""), spec.get("ticksuffix", "")
    if axis.kind == "category":  # the first category at the bottom of a y axis, as in Plotly
        axis.lo, axis.hi = -0.5, len(axis.categories) - 0.5
        axis.ticks = [(float(i), _plain(str(c))) for i, c in enumerate(axis.categories)]
        return
    values = [v for v in axis.values if not math.isinf(v)]
    if spec.get("tickmode") == "array" or spec.get("tickvals") is not None:
        _array_ticks(axis, values, lang, with_zero)
        return
    if axis.kind == "date":
        lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
        axis.lo, axis.hi = lo, hi
        axis.ticks = _date_ticks(lo, hi, target, lang)
        return
    if axis.kind == "log":
        if spec.get("range"):
            axis.lo, axis.hi = (float(v) for v in spec["range"])
        else:
            axis.lo = math.floor(min(values)) if values else 0.0
            axis.hi = math.ceil(max(values)) if values else 1.0
            if axis.hi == axis.lo:
                axis.hi += 1
        step = max(1, math.ceil((axis.hi - axis.lo) / target)) if not spec.get("dtick") else 1
        while (axis.hi - axis.lo) / step > target * 2:
            step += 1
        first = math.ceil(axis.lo)
        axis.ticks = [(float(p), prefix + _number(10 ** p, lang) + suffix)
                      for p in range(first, math.floor(axis.hi) + 1, step)]
        return
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if with_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if spec.get("range"):
        lo, hi = (float(v) for v in spec["range"])
    if hi == lo:
        hi = lo + 1
    step = _nice_step(hi - lo, target)
    if not spec.get("range"):
        if with_zero:  # bars start at zero; the far end goes to the next tick
            lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
        else:  # markers keep a margin, as Plotly's autorange does
            pad = (hi - lo) * 0.05
            lo, hi = lo - pad, hi + pad
    axis.lo, axis.hi = lo, hi
    decimals = _decimals(step)
    first = math.ceil(lo / step - 1e-9)
    axis.ticks = [(k * step, prefix + _number(round(k * step, decimals), lang, decimals) + suffix)
                  for k in range(first, int(math.floor(hi / step + 1e-9)) + 1)]


def _array_ticks(axis: Axis, values: list, lang: str, with_zero: bool) -> None:
    """Ticks the figure lists itself (``tickvals``, labelled by ``ticktext``), e.g. counts
    drawn at log10(1 + n) on a linear axis and labelled with the counts."""
    spec = axis.spec
    positions = [axis.scale(v) for v in spec.get("tickvals") or []]
    texts = spec.get("ticktext") or [_number(v, lang) for v in spec.get("tickvals") or []]
    if spec.get("range"):
        axis.lo, axis.hi = (axis.scale(v) if axis.kind == "date" else float(v) for v in spec["range"])
    else:
        span = values + positions + ([0.0] if with_zero else [])
        axis.lo, axis.hi = (min(span), max(span)) if span else (0.0, 1.0)
    low, high = min(axis.lo, axis.hi), max(axis.lo, axis.hi)
    axis.ticks = [(p, _plain(str(text))) for p, text in zip(positions, texts) if low - 1e-9 <= p <= high + 1e-9]


def _date_ticks(lo: float, hi: float, target: int, lang: str) -> list:
    """Ticks on the first day of years, half-years, quarters or months, whichever gives at most
    ``target`` ticks; labelled "2022" or "Mar 2022" in the page's language."""
    start = datetime.fromtimestamp(lo / 1000, tz=timezone.utc)
    end = datetime.fromtimestamp(hi / 1000, tz=timezone.utc)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    for every in (1, 3, 6, 12, 24, 60):
        if months / every <= target:
            break
    ticks = []
    year, month = start.year, 1
    while (year, month) <= (end.year, end.month):
        moment = datetime(year, month, 1, tzinfo=timezone.utc)
        position = moment.timestamp() * 1000
        if lo <= position <= hi and ((year * 12 + month - 1) % every == 0):
            label = str(year) if every % 12 == 0 else format_date(moment.date(), "MMM y", locale=fmt.LOCALES[lang])
            ticks.append((position, label))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return ticks


# --- text and templates -----------------------------------------------------------------------

def _plain(text: str) -> str:
    """Plotly's rich text as plain text: tags dropped, <br> kept as a line break."""
    text = re.sub(r"<br\s*/?>", "\n", str(text), flags=re.I)
    return Markup(re.sub(r"<[^>]+>", "", text)).unescape()


_FIELD = re.compile(r"%\{([a-z_]+)(?:\[(\d+)\])?(?::([^}]*))?\}")


def fill_template(template: str, point: dict, lang: str, chart: str) -> str:
    """A Plotly text or hover template filled for one point, numbers formatted by Babel.
    ``%{x}``, ``%{y:.2f}``, ``%{text}``, ``%{customdata[0]}``; ``<extra>`` parts are dropped."""
    template = re.sub(r"<extra>.*?</extra>", "", template)

    def one(match: re.Match) -> str:
        name, index, spec = match.groups()
        if name not in point:
            raise ChartError(f"chart {chart}: template field %{{{name}}} has no value")
        value = point[name]
        if index is not None:
            value = value[int(index)]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            decimals = re.search(r"\.(\d+)[f%]", spec or "")
            pct = bool(spec) and spec.endswith("%")
            if pct:
                return fmt.percent(value * 100, lang, int(decimals.group(1)) if decimals else 0)
            return _number(value, lang, int(decimals.group(1)) if decimals else None)
        return str(value)

    return _plain(_FIELD.sub(one, template))


def _at(values, i: int, default=None):
    """The i-th value of a per-point attribute that may also be one value for all points."""
    if isinstance(values, (list, tuple)):
        return values[i] if i < len(values) else default
    return default if values is None else values


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The Jinja environment of ``transparency/templates`` (autoescaped, strict)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["n"] = _n
    return env


def _n(value) -> str:
    """A coordinate as written in the SVG: one decimal at most, no trailing zero."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


# --- the markup of the shapes and texts -------------------------------------------------------
# Written by joining strings rather than by a Jinja macro: a drawing has hundreds of elements,
# and a template loop over them was most of the time spent writing a chart's SVG. Colours of
# text, grid and axes are currentColor: the page's text colour in either palette.

def _tip(tip) -> str:
    return f"<title>{escape(tip)}</title>" if tip else ""


def _klass(klass) -> str:
    return f' class="c-{escape(klass)}"' if klass else ""


def _rect(it: dict, font: float) -> str:
    return (f'<rect{_klass(it["klass"])} x="{_n(it["x"])}" y="{_n(it["y"])}" width="{_n(it["w"])}" '
            f'height="{_n(it["h"])}" fill="{escape(it["fill"])}">{_tip(it["tip"])}</rect>')


def _line(it: dict, font: float) -> str:
    opacity = "0.14" if it["klass"] == "grid" else "0.45"
    return (f'<line class="c-{escape(it["klass"])}" x1="{_n(it["x1"])}" y1="{_n(it["y1"])}" x2="{_n(it["x2"])}" '
            f'y2="{_n(it["y2"])}" stroke="currentColor" stroke-opacity="{opacity}"/>')


def _path(it: dict, font: float) -> str:
    dash = f' stroke-dasharray="{escape(it["dash"])}"' if it["dash"] else ""
    return (f'<path d="{escape(it["d"])}" fill="none" stroke="{escape(it["stroke"])}" '
            f'stroke-width="{_n(it["width"])}"{dash}/>')


def _circle(it: dict, font: float) -> str:
    return (f'<circle cx="{_n(it["cx"])}" cy="{_n(it["cy"])}" r="{_n(it["r"])}" fill="{escape(it["fill"])}">'
            f'{_tip(it["tip"])}</circle>')


def _text(it: dict, font: float) -> str:
    x, y, lines = _n(it["x"]), _n(it["y"]), it["lines"]
    attributes = [_klass(it["klass"]), f' x="{x}" y="{y}"']
    if it["anchor"] != "start":
        attributes.append(f' text-anchor="{escape(it["anchor"])}"')
    if it["size"] != font:  # the drawing's own size is set once on the <svg>
        attributes.append(f' font-size="{_n(it["size"])}"')
    attributes.append(f' fill="{escape(it["fill"] or "currentColor")}"')
    if it["bold"]:
        attributes.append(' font-weight="bold"')
    if it["rotate"]:
        attributes.append(f' transform="rotate({_n(it["rotate"])} {x} {y})"')
    if len(lines) == 1:
        body = str(escape(lines[0]))
    else:  # one <tspan> a line, each back at x, the later ones a line height lower
        dy = f' dy="{_n(it["lh"])}"'
        body = "".join(f'<tspan x="{x}"{dy if i else ""}>{escape(line)}</tspan>' for i, line in enumerate(lines))
    return f"<text{''.join(attributes)}>{body}</text>"


_ELEMENT = {"rect": _rect, "line": _line, "path": _path, "circle": _circle, "text": _text}


def items_markup(drawing: "Scene", font: float) -> Markup:
    """The shapes and texts of ``drawing``, one element a line, for a drawing whose own font
    size is ``font``; shared by the page's SVG and the download (``templates/chart*.svg``),
    written once per drawing and font size."""
    if font not in drawing.markup:
        drawing.markup[font] = Markup("".join(
            _ELEMENT[it["kind"]](it, font) + "\n" for it in drawing.items if it["kind"] in _ELEMENT))
    return drawing.markup[font]


# --- the drawing ------------------------------------------------------------------------------

@dataclass
class Scene:
    """What the template draws: shapes and texts in user units, in drawing order."""

    width: float
    height: float = 0.0
    items: list = field(default_factory=list)
    placed: list = field(default_factory=list)  # boxes of the value labels placed so far
    markup: dict = field(default_factory=dict)  # items_markup's text per font size

    def rect(self, x, y, w, h, fill, tip="", klass=""):
        self.items.append({"kind": "rect", "x": float(x), "y": float(y), "w": float(max(w, 0)),
                           "h": float(max(h, 0)), "fill": fill, "tip": tip, "klass": klass})

    def line(self, x1, y1, x2, y2, klass):
        self.items.append({"kind": "line", "x1": float(x1), "y1": float(y1), "x2": float(x2), "y2": float(y2),
                           "klass": klass})

    def path(self, points, stroke, dash="", width=2.0):
        d = "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points)
        self.items.append({"kind": "path", "d": d, "stroke": stroke, "dash": _DASHES.get(dash, ""),
                           "width": float(width)})

    def circle(self, cx, cy, r, fill, tip=""):
        self.items.append({"kind": "circle", "cx": float(cx), "cy": float(cy), "r": float(r), "fill": fill,
                           "tip": tip})

    def text(self, x, y, lines, size, anchor="start", fill="", bold=False, rotate=0, klass=""):
        """Text whose first line's baseline is at ``y``; later lines follow below."""
        lines = lines if isinstance(lines, list) else str(lines).split("\n")
        self.items.append({"kind": "text", "x": float(x), "y": float(y), "lines": lines, "size": float(size),
                           "anchor": anchor, "fill": fill, "bold": bold, "rotate": float(rotate),
                           "lh": float(size * 1.2), "klass": klass})


_DASHES = {"dot": "2 3", "dash": "6 4", "dashdot": "6 3 2 3", "longdash": "10 4", "solid": ""}


def _colour_of(trace: dict, index: int, i: int | None = None) -> str:
    marker = trace.get("marker") or {}
    colour = marker.get("color")
    if isinstance(colour, (list, tuple)):
        colour = colour[i] if i is not None and i < len(colour) else None
    if colour is None and trace.get("type") == "scatter":  # markers take their line's colour, as in Plotly
        colour = (trace.get("line") or {}).get("color")
    return str(colour or PLOTLY_COLOURS[index % len(PLOTLY_COLOURS)])


def _ink(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (#rrggbb)."""
    match = re.fullmatch(r"#([0-9a-fA-F]{6})", fill)
    if not match:
        return "#000000"
    r, g, b = (int(match.group(1)[i:i + 2], 16) / 255 for i in (0, 2, 4))
    lum = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    luminance = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2]
    return "#000000" if luminance > 0.179 else "#ffffff"


def _shown(trace: dict) -> bool:
    return trace.get("visible", True) is True


@dataclass
class _Subplot:
    x: Axis
    y: Axis
    traces: list
    left: float = 0.0  # plot area, user units
    right: float = 0.0
    top: float = 0.0
    bottom: float = 0.0

    def px(self, position: float) -> float:
        return self.left + self.x.fraction(position) * (self.right - self.left)

    def py(self, position: float) -> float:
        return self.bottom - self.y.fraction(position) * (self.bottom - self.top)


def _value_axis(trace: dict) -> str:
    """Which axis letter carries a bar's value."""
    return "x" if trace.get("orientation") == "h" else "y"


def _points(trace: dict) -> tuple[list, list]:
    x, y = list(trace.get("x") or []), list(trace.get("y") or [])
    if trace["type"] == "bar":
        n = max(len(x), len(y))
        if not x:
            x = list(range(n))
        if not y:
            y = list(range(n))
    return x, y


def _collect(figure: dict, chart: str) -> list[_Subplot]:
    layout = figure.get("layout", {})
    subplots: dict[tuple[str, str], _Subplot] = {}
    axes: dict[str, Axis] = {}
    samples: dict[str, list] = {}
    for trace in figure.get("data", []):
        if trace.get("type") not in ("bar", "scatter", "heatmap"):
            raise ChartError(f"chart {chart}: trace type {trace.get('type')!r} is not drawn (svgchart draws "
                             "bar, scatter and heatmap)")
        if not _shown(trace):
            continue
        xk = "xaxis" + str(trace.get("xaxis", "x"))[1:]
        yk = "yaxis" + str(trace.get("yaxis", "y"))[1:]
        x, y = _points(trace)
        samples.setdefault(xk, []).extend(x)
        samples.setdefault(yk, []).extend(y)
        if trace["type"] == "bar" and trace.get("base") is not None:
            base = trace["base"] if isinstance(trace["base"], list) else [trace["base"]]
            samples[xk if _value_axis(trace) == "x" else yk].extend(base)
        key = (xk, yk)
        if key not in subplots:
            for k in key:
                axes.setdefault(k, Axis(k, dict(layout.get(k) or {})))
            subplots[key] = _Subplot(axes[xk], axes[yk], [])
        subplots[key].traces.append(trace)
    for key, axis in axes.items():
        # an axis that "matches" another (shared axes) shows the union of both axes' values
        leader = axes.get(_matched(axis))
        values = samples.get(key, []) + (samples.get(leader.key, []) if leader else [])
        axis.kind = _axis_kind(axis.spec if not leader else {**leader.spec, **axis.spec}, values)
        if axis.kind == "category":
            listed = axis.spec.get("categoryarray") if axis.spec.get("categoryorder") == "array" else None
            for value in list(listed or []) + samples.get(leader.key if leader else key, []) + samples.get(key, []):
                if not _missing(value) and value not in axis.categories:
                    axis.categories.append(value)
    return list(subplots.values())


def _matched(axis: Axis) -> str:
    """The key of the axis that ``axis`` matches ("yaxis"), or ""."""
    matches = axis.spec.get("matches")
    return f"{matches[0]}axis{matches[1:]}" if matches else ""


@dataclass
class _Mark:
    """One bar: its category position and width on the category axis, and its value span."""

    trace: int
    point: int
    centre: float
    width: float
    v0: float
    v1: float
    value: float


def _bar_marks(sub: _Subplot, layout: dict, traces: list[tuple[int, dict]]) -> list[_Mark]:
    """Where each bar of ``traces`` (index, trace) goes, on the axes' own scales."""
    mode = layout.get("barmode", "group")
    gap = float(layout.get("bargap", 0.2))
    group_gap = float(layout.get("bargroupgap", 0.0))
    norm = layout.get("barnorm", "")
    bars = [(i, t) for i, t in traces if t["type"] == "bar"]
    slots = len(bars) if mode == "group" else 1
    marks: list[_Mark] = []
    stacks: dict[tuple[float, bool], float] = {}
    totals: dict[float, float] = {}
    if norm:
        for _, trace in bars:
            x, y = _points(trace)
            cats, vals = (y, x) if _value_axis(trace) == "x" else (x, y)
            for c, v in zip(cats, vals):
                if not _missing(v):
                    totals[c] = totals.get(c, 0.0) + abs(float(v))
    for slot, (index, trace) in enumerate(bars):
        horizontal = _value_axis(trace) == "x"
        cat_axis, val_axis = (sub.y, sub.x) if horizontal else (sub.x, sub.y)
        x, y = _points(trace)
        cats, vals = (y, x) if horizontal else (x, y)
        band = 1.0 if cat_axis.kind == "category" else _band(cat_axis, cats)
        for p, (c, v) in enumerate(zip(cats, vals)):
            if _missing(v) or _missing(c):
                continue
            # the trace's own bar width (category units), else its share of the band
            width = float(_at(trace.get("width"), p, band * (1 - gap) / slots))
            v = float(v)
            if norm:
                v = v / totals[c] * (100 if norm == "percent" else 1) if totals.get(c) else 0.0
            centre = cat_axis.scale(c)
            if mode == "group" and trace.get("width") is None:
                centre += -band * (1 - gap) / 2 + width * (slot + 0.5)
            base = _at(trace.get("base"), p)
            if base is not None:
                start = val_axis.scale(base) if val_axis.kind == "date" else float(base)
                end = start + v
            elif mode in ("stack", "relative"):
                key = (centre, v >= 0 if mode == "relative" else True)
                start = stacks.get(key, 0.0)
                end = start + v
                stacks[key] = end
            else:
                start, end = 0.0, v
            if val_axis.kind == "log":
                v0 = math.log10(start) if start > 0 else -math.inf
                v1 = math.log10(end) if end > 0 else -math.inf
            else:
                v0, v1 = start, end
            marks.append(_Mark(index, p, centre, width * (1 - group_gap), v0, v1, float(v)))
    return marks


def _band(axis: Axis, cats: list) -> float:
    """The smallest distance between bar positions on a numeric category axis."""
    positions = sorted({axis.scale(c) for c in cats if not _missing(c)})
    steps = [b - a for a, b in zip(positions, positions[1:]) if b > a]
    return min(steps) if steps else 1.0


def _legend_items(figure: dict) -> list[dict]:
    layout = figure.get("layout", {})
    shown = [t for t in figure.get("data", []) if _shown(t) and t["type"] != "heatmap"
             and t.get("showlegend", True) is not False and t.get("name")]
    if layout.get("showlegend") is False or (len(shown) < 2 and layout.get("showlegend") is not True):
        return []
    items = []
    for index, trace in enumerate(figure.get("data", [])):
        if trace in shown:
            mode = str(trace.get("mode", "markers")) if trace["type"] == "scatter" else "bar"
            items.append({"name": _plain(str(trace["name"])), "fill": _colour_of(trace, index),
                          "mode": mode, "dash": _DASHES.get((trace.get("line") or {}).get("dash", ""), "")})
    return items


def _wrap_categories(axis: Axis, size: float, band: float) -> tuple[list[list[str]], float]:
    """Category labels wrapped to ``band`` wide (at most three lines); the angle (0 or -45) at
    which they fit."""
    wrapped = [wrap(label, size, band - 2) for _, label in axis.ticks]
    fits = all(len(lines) <= 3 and all(text_width(l, size) <= band - 2 for l in lines) for lines in wrapped)
    if fits:
        return wrapped, 0.0
    return [[label] for _, label in axis.ticks], -45.0


def _thin(ticks: list, size: float, length: float) -> list:
    """Every k-th tick so that labels on a horizontal axis keep apart."""
    if not ticks:
        return ticks
    widest = max(text_width(label, size) for _, label in ticks) + 8
    keep = max(1, math.ceil(widest * len(ticks) / max(length, 1)))
    return ticks[::keep]


@_timed
def scene(figure: dict, lang: str, layout: Layout, chart: str) -> Scene:
    """Lay out ``figure`` for ``layout``: every position the template needs."""
    spec = figure.get("layout", {})
    size = layout.font
    small = size * 0.92
    subplots = _collect(figure, chart)
    if not subplots:
        raise ChartError(f"chart {chart}: no visible trace to draw")
    width = layout.width
    drawing = Scene(width=width)
    legend = _legend_items(figure)
    annotations = [a for a in spec.get("annotations", []) if a.get("text")]
    titles_above = [a for a in annotations if a.get("yref") == "paper" and float(a.get("y", 0)) >= 1]
    # room for the top tick label's upper half, and for subplot titles above the plot
    top = small * 0.7 + 4 + (size * 1.25 + small * 0.8 + 4 if titles_above else 0)
    # The legend goes where the figure puts it, above the plot (legend.y >= 1) or below the axes,
    # in a band of its own either way.
    legend_rows = _legend_rows(legend, size, width - 16) if legend else []
    above = legend and float((spec.get("legend") or {}).get("y", -0.1)) >= 1
    legend_band = len(legend_rows) * size * 1.5
    legend_top = 4.0
    if above:
        top += legend_band + 4

    # Value extents per axis (bars and markers), then each axis's range at a provisional length.
    indexed = list(enumerate(figure.get("data", [])))
    for sub in subplots:
        traces = [(i, t) for i, t in indexed if any(t is s for s in sub.traces)]
        sub.marks = _bar_marks(sub, spec, traces)
        for mark in sub.marks:
            trace = figure["data"][mark.trace]
            axis = sub.x if _value_axis(trace) == "x" else sub.y
            axis.values.extend(v for v in (mark.v0, mark.v1) if not math.isinf(v))
        for _, trace in traces:
            if trace["type"] == "scatter":
                x, y = _points(trace)
                for axis, vals in ((sub.x, x), (sub.y, y)):
                    if axis.kind != "category":
                        axis.values.extend(axis.scale(v) for v in vals if not _missing(v)
                                           and not (axis.kind == "log" and float(v) <= 0))

    # Columns: each subplot's x domain as a share of the width; its y labels inside its share.
    left_pad, right_pad = 4.0, 10.0
    for sub in subplots:
        domain = sub.x.spec.get("domain", [0, 1])
        sub.region = (left_pad + domain[0] * (width - left_pad - right_pad),
                      left_pad + domain[1] * (width - left_pad - right_pad))
    bar_axes = {id(a) for sub in subplots for a in (sub.x, sub.y)
                if any(t["type"] == "bar" and _value_axis(t) == a.letter for t in sub.traces)}
    every_axis = {a.key: a for sub in subplots for a in (sub.x, sub.y)}
    for axis in every_axis.values():
        leader = every_axis.get(_matched(axis))
        if leader is not None:
            shared = leader.values + axis.values
            leader.values[:] = shared
            axis.values[:] = shared
            if id(axis) in bar_axes or id(leader) in bar_axes:
                bar_axes |= {id(axis), id(leader)}
    for sub in subplots:
        for axis in (sub.x, sub.y):
            if axis.kind != "category":
                length = (sub.region[1] - sub.region[0]) * 0.8 if axis.letter == "x" else layout.plot_height
                _fit_axis(axis, lang, length, id(axis) in bar_axes)
            else:
                _fit_axis(axis, lang, 0, False)

    # Left margin of each subplot: y title and y tick labels (wrapped for categories).
    max_label = width * (0.42 if layout is NARROW else 0.34)
    row_heights = []
    for sub in subplots:
        y = sub.y
        if y.kind == "category":
            sub.ylines = [wrap(label, small, max_label) for _, label in y.ticks]
            # Bars side by side in a category (barmode group) each need a line of their own
            # for their value label.
            grouped = sum(1 for t in sub.traces if t.get("type") == "bar" and _value_axis(t) == "x") \
                if figure.get("layout", {}).get("barmode") == "group" else 1
            row_heights.append(max(layout.row, grouped * (small * 1.2 + 3),
                                   max(len(l) for l in sub.ylines) * small * 1.2 + 6))
        else:
            sub.ylines = [[label] for _, label in y.ticks]
        if y.spec.get("showticklabels") is False:
            sub.ylines = [[] for _ in y.ticks]
        label_width = max((text_width(l, small) for lines in sub.ylines for l in lines), default=0)
        sub.ytitle = y.title()
        sub.left = sub.region[0] + label_width + GAP + (size * 1.4 if sub.ytitle else 0) + 2
        sub.right = sub.region[1]
        if sub.x.kind != "category" and sub.x.ticks and sub.x.fraction(sub.x.ticks[-1][0]) > 0.9:
            # the last tick label is centred on its tick: keep its right half inside the drawing
            sub.right -= max(0.0, text_width(sub.x.ticks[-1][1], small) / 2 - right_pad + 2)

    # X tick labels: wrapped, or turned 45 degrees when they cannot fit their band.
    for sub in subplots:
        x = sub.x
        length = sub.right - sub.left
        if x.spec.get("showticklabels") is False:
            x.shown_ticks, sub.xlines, sub.xangle = [], [], 0.0
        elif x.kind == "category":
            band = length / max(len(x.categories), 1)
            sub.xlines, sub.xangle = _wrap_categories(x, small, band)
            x.shown_ticks = x.ticks
        else:
            x.shown_ticks = _thin(x.ticks, small, length)
            sub.xlines, sub.xangle = [[label] for _, label in x.shown_ticks], 0.0
        if not sub.xlines:
            extent = 0.0
        elif sub.xangle:
            extent = max(text_width(l[0], small) for l in sub.xlines) * math.sin(math.pi / 4) + small
            # the first label reaches left and down from its tick: keep it inside the drawing
            reach = (text_width(sub.xlines[0][0], small) + small * 0.8) * math.cos(math.pi / 4) + 2
            for _ in range(3):  # moving the plot's left edge moves the tick a little less
                overhang = reach - sub.px(x.ticks[0][0])
                if overhang <= 0:
                    break
                sub.left += overhang
        else:
            extent = max((len(l) for l in sub.xlines), default=1) * small * 1.2
        sub.xextent = extent
        sub.xtitle = x.title()

    # Rows: subplots with the same y domain stand side by side; rows stack from the highest
    # domain down, each with its own title band (an annotation just above its domain), plot
    # area (a category axis on y gives each category its row) and x labels.
    rows: dict[tuple, list] = {}
    for sub in subplots:
        rows.setdefault(tuple(sub.y.spec.get("domain", [0, 1])), []).append(sub)
    titles = [float(a.get("y", 0)) for a in annotations if a.get("yref", "paper") == "paper"
              and a.get("yanchor") == "bottom"]
    cursor = top - (size * 1.25 + small * 0.8 + 4 if titles_above else 0)
    for n, domain in enumerate(sorted(rows, key=lambda d: -d[1])):
        row = rows[domain]
        if any(abs(y - domain[1]) < 1e-6 for y in titles):
            cursor += size * 1.25 + small * 0.8 + 4
        elif n:
            cursor += small * 0.7
        categories = max((len(s.y.categories) for s in row if s.y.kind == "category"), default=0)
        if categories:
            height = categories * max(row_heights)
        else:
            height = layout.plot_height * (1.0 if len(rows) == 1 else max(0.4, domain[1] - domain[0]))
        for sub in row:
            sub.top, sub.bottom = cursor, cursor + height
        below = max(GAP + s.xextent + (size * 1.6 if s.xtitle else 0) for s in row)
        cursor += height + below + 8

    if above:
        drawing.height = math.ceil(cursor - 2)
    else:
        legend_top = cursor
        drawing.height = math.ceil(legend_top + legend_band + 6)

    for sub in subplots:
        _draw_axes(drawing, sub, size, small)
    for sub in subplots:
        _draw_traces(drawing, sub, figure, lang, small, chart)
    for note in annotations:
        _draw_annotation(drawing, note, subplots, size, width)
    for row, items in enumerate(legend_rows):
        y = legend_top + row * size * 1.5
        for x, item in items:
            _draw_legend_item(drawing, x + 8, y, item, size)
    return drawing


def _legend_rows(items: list[dict], size: float, width: float) -> list[list[tuple[float, dict]]]:
    """Legend entries flowed left to right into rows no wider than ``width``."""
    rows: list[list[tuple[float, dict]]] = [[]]
    x = 0.0
    for item in items:
        item_width = 18 + text_width(item["name"], size)
        if rows[-1] and x + item_width > width:
            rows.append([])
            x = 0.0
        rows[-1].append((x, item))
        x += item_width + 16
    return rows


def _draw_legend_item(drawing: Scene, x: float, y: float, item: dict, size: float) -> None:
    middle = y + size * 0.5
    if item["mode"] == "bar":
        drawing.rect(x, middle - 6, 12, 12, item["fill"])
    else:
        if "lines" in item["mode"]:
            drawing.path([(x, middle), (x + 12, middle)], item["fill"], width=2)
            drawing.items[-1]["dash"] = item["dash"]
        if "markers" in item["mode"]:
            drawing.circle(x + 6, middle, 4.5, item["fill"])
    drawing.text(x + 18, middle + size * 0.35, [item["name"]], size, klass="legend")


def _draw_axes(drawing: Scene, sub: _Subplot, size: float, small: float) -> None:
    x, y = sub.x, sub.y
    # grid lines and tick labels of the value axes
    for position, _ in y.ticks:
        if y.kind != "category":
            drawing.line(sub.left, sub.py(position), sub.right, sub.py(position), "grid")
    for position, _ in (x.ticks if x.spec.get("showticklabels") is False else x.shown_ticks):
        if x.kind != "category":
            drawing.line(sub.px(position), sub.top, sub.px(position), sub.bottom, "grid")
    drawing.line(sub.left, sub.bottom, sub.right, sub.bottom, "axis")
    drawing.line(sub.left, sub.top, sub.left, sub.bottom, "axis")
    for (position, _), lines in zip(y.ticks, sub.ylines):
        if not lines:
            continue
        py = sub.py(position)
        offset = (len(lines) - 1) * small * 1.2 / 2
        drawing.text(sub.left - GAP, py + small * 0.35 - offset, lines, small, anchor="end", klass="tick")
    for (position, _), lines in zip(x.shown_ticks, sub.xlines):
        px = sub.px(position)
        if sub.xangle:
            drawing.text(px, sub.bottom + GAP + small * 0.8, lines, small, anchor="end", rotate=sub.xangle,
                         klass="tick")
        else:
            drawing.text(px, sub.bottom + GAP + small * 0.9, lines, small, anchor="middle", klass="tick")
    if sub.xtitle:
        drawing.text((sub.left + sub.right) / 2, sub.bottom + GAP + sub.xextent + size * 1.3, [sub.xtitle], size,
                     anchor="middle", klass="title")
    if sub.ytitle:
        middle = (sub.top + sub.bottom) / 2
        drawing.text(sub.region[0] + size, middle, [sub.ytitle], size, anchor="middle", rotate=-90, klass="title")


def _hover(trace: dict, point: dict, i: int, lang: str, chart: str, default) -> str:
    """The tooltip of one mark: the trace's hovertext, its hovertemplate filled, or ``default()``."""
    if trace.get("hoverinfo") == "skip":
        return ""
    text = _at(trace.get("hovertext"), i)
    if text:
        return _plain(str(text))
    template = _at(trace.get("hovertemplate"), i)
    if template:
        return fill_template(str(template), point, lang, chart)
    return default()


def _point(trace: dict, i: int, x, y, value=None) -> dict:
    point = {"x": x, "y": y, "value": value if value is not None else (x if trace.get("orientation") == "h" else y),
             "text": _at(trace.get("text"), i, ""), "hovertext": _at(trace.get("hovertext"), i, ""),
             "name": trace.get("name", ""), "fullData": {}}
    if trace.get("customdata") is not None:
        point["customdata"] = _at(trace["customdata"], i)
    return point


def _label(value, axis: Axis, lang: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        suffix = axis.spec.get("ticksuffix", "")
        # Percentages with two decimals, as the tables show them (fmt.percent's default).
        decimals = 2 if "%" in suffix and not float(value).is_integer() else None
        return _number(value, lang, decimals) + suffix
    return str(value)


def _draw_traces(drawing: Scene, sub: _Subplot, figure: dict, lang: str, small: float, chart: str) -> None:
    data = figure["data"]
    for mark in sub.marks:
        trace = data[mark.trace]
        horizontal = _value_axis(trace) == "x"
        x, y = _points(trace)
        fill = _colour_of(trace, mark.trace, mark.point)
        point = _point(trace, mark.point, x[mark.point], y[mark.point], mark.value)
        category = y[mark.point] if horizontal else x[mark.point]
        name = trace.get("name") or ""
        axis = sub.x if horizontal else sub.y
        tip = _hover(trace, point, mark.point, lang, chart,
                     lambda: f"{name} · {category}: {_label(mark.value, axis, lang)}".strip(" ·"))
        lo_edge, hi_edge = _clip(sub, horizontal, mark.v0), _clip(sub, horizontal, mark.v1)
        if horizontal:
            top = sub.py(mark.centre + mark.width / 2)
            bottom = sub.py(mark.centre - mark.width / 2)
            x0, x1 = sorted((sub.px(lo_edge), sub.px(hi_edge)))
            drawing.rect(x0, min(top, bottom), x1 - x0, abs(bottom - top), fill, tip, "bar")
            box = (x0, min(top, bottom), x1, max(top, bottom))
        else:
            left, right = sub.px(mark.centre - mark.width / 2), sub.px(mark.centre + mark.width / 2)
            y0, y1 = sorted((sub.py(lo_edge), sub.py(hi_edge)))
            drawing.rect(min(left, right), y0, abs(right - left), y1 - y0, fill, tip, "bar")
            box = (min(left, right), y0, max(left, right), y1)
        _bar_text(drawing, trace, point, mark.point, box, horizontal, fill, lang, small, chart, sub)
    for index, trace in enumerate(data):
        if not any(trace is t for t in sub.traces):
            continue
        if trace["type"] == "scatter":
            _draw_scatter(drawing, sub, trace, index, lang, small, chart)
        elif trace["type"] == "heatmap":
            _draw_heatmap(drawing, sub, trace, lang, small, chart)


def _clip(sub: _Subplot, horizontal: bool, value: float) -> float:
    """A bar end kept within the axis range (a log axis has no zero: bars start at its floor)."""
    axis = sub.x if horizontal else sub.y
    lo, hi = min(axis.lo, axis.hi), max(axis.lo, axis.hi)
    return min(max(value, lo), hi)


def _bar_text(drawing, trace, point, i, box, horizontal, fill, lang, small, chart, sub) -> None:
    """A bar's text (``text`` or ``texttemplate``) inside the bar if it fits, else beside it."""
    template = _at(trace.get("texttemplate"), i)
    text = fill_template(str(template), point, lang, chart) if template else _at(trace.get("text"), i)
    position = _at(trace.get("textposition"), i, "auto")
    x0, y0, x1, y1 = box
    if text in (None, "") or position == "none" or (x1 - x0 if horizontal else y1 - y0) <= 0:
        return  # as Plotly: no text for a bar it draws no box for
    text = _plain(str(text))
    x0, y0, x1, y1 = box
    width = text_width(text, small)
    upright = abs(float(trace.get("textangle") or 0)) == 90  # reads upwards, beside a narrow bar
    if horizontal:
        fits = width + 8 <= x1 - x0
        room = x1 + 4 + width <= drawing.width - 2
        if (position == "inside" or (position == "auto" and fits) or not room) and fits:
            drawing.text(x1 - 4, (y0 + y1) / 2 + small * 0.35, [text], small, anchor="end", fill=_ink(fill))
        else:
            drawing.text(x1 + 4, (y0 + y1) / 2 + small * 0.35, [text], small, klass="value")
    elif upright:
        # no taller than the bar is wide, so that neighbouring bars' labels never touch
        size = min(small, (x1 - x0) / 1.1)
        width = text_width(text, size)
        fits = width + 8 <= y1 - y0
        if position == "inside" or (position == "auto" and fits) or (y0 - 4 - width < 0 and fits):
            drawing.text((x0 + x1) / 2 + size * 0.35, y0 + 4, [text], size, anchor="end", rotate=-90,
                         fill=_ink(fill))
        else:
            drawing.text((x0 + x1) / 2 + size * 0.35, y0 - 4, [text], size, rotate=-90, klass="value")
    else:
        inside = position in ("inside", "auto") and small * 1.4 <= y1 - y0 and width + 4 <= x1 - x0
        if inside:
            drawing.text((x0 + x1) / 2, y0 + small * 1.1, [text], small, anchor="middle", fill=_ink(fill))
        else:
            drawing.text((x0 + x1) / 2, y0 - 4, [text], small, anchor="middle", klass="value")


def _draw_scatter(drawing, sub, trace, index, lang, small, chart) -> None:
    x, y = _points(trace)
    mode = str(trace.get("mode", "markers"))
    points = []
    for i, (a, b) in enumerate(zip(x, y)):
        if _missing(a) or _missing(b) or (sub.x.kind == "log" and float(a) <= 0) or (
                sub.y.kind == "log" and float(b) <= 0):
            points.append(None)
            continue
        points.append((sub.px(sub.x.scale(a)), sub.py(sub.y.scale(b))))
    line = trace.get("line") or {}
    if "lines" in mode:
        run: list = []
        for p in points + [None]:
            if p is None:
                if len(run) > 1:
                    drawing.path(run, str(line.get("color") or _colour_of(trace, index)), line.get("dash", ""),
                                 float(line.get("width", 2)))
                run = [] if not trace.get("connectgaps") else run
            else:
                run.append(p)
    if "markers" in mode:
        marker = trace.get("marker") or {}
        for i, p in enumerate(points):
            if p is None:
                continue
            point = _point(trace, i, x[i], y[i])
            def default(i=i) -> str:
                who = _plain(str(_at(trace.get("text"), i, "") or trace.get("name", "")))
                return f"{who}: {_label(x[i], sub.x, lang)} → {_label(y[i], sub.y, lang)}"
            drawing.circle(p[0], p[1], float(_at(marker.get("size"), i, 6)) / 2, _colour_of(trace, index, i),
                           _hover(trace, point, i, lang, chart, default))
    if "text" in mode:
        for i, p in enumerate(points):
            text = _at(trace.get("text"), i)
            if p is None or not text:
                continue
            where = str(_at(trace.get("textposition"), i, "middle center"))
            vertical, _, horizontal = where.partition(" ")
            dx = {"left": -4, "right": 4}.get(horizontal, 0)
            dy = {"top": -6, "bottom": small + 4}.get(vertical, small * 0.35)
            anchor = {"left": "end", "right": "start"}.get(horizontal, "middle")
            label = _plain(str(text))
            x, y = p[0] + dx, p[1] + dy
            # a label that would cover one already placed moves up (then down) by a line
            for step in (0, -1, -2, 1, 2):
                if not any(_meets(_text_box(x, y + step * small * 1.2, label, small, anchor), other)
                           for other in drawing.placed):
                    y += step * small * 1.2
                    break
            drawing.placed.append(_text_box(x, y, label, small, anchor))
            drawing.text(x, y, [label], small, anchor=anchor, klass="value")


def _text_box(x: float, y: float, text: str, size: float, anchor: str) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) of one line of text with its baseline at ``y``."""
    width = text_width(text, size)
    left = x - {"start": 0, "middle": width / 2, "end": width}[anchor]
    return left, y - size * 0.8, left + width, y + size * 0.25


def _meets(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _draw_heatmap(drawing, sub, trace, lang, small, chart) -> None:
    z = trace.get("z") or []
    values = [v for row in z for v in row if not _missing(v)]
    zmin = float(trace.get("zmin", min(values) if values else 0))
    zmax = float(trace.get("zmax", max(values) if values else 1))
    scale = trace.get("colorscale") or "Viridis"
    scale = colours.colorscale(scale) if isinstance(scale, str) else [list(s) for s in scale]
    if trace.get("reversescale"):
        scale = [[1 - p, c] for p, c in reversed(scale)]
    xs, ys = trace.get("x") or list(range(len(z[0]) if z else 0)), trace.get("y") or list(range(len(z)))
    xgap, ygap = float(trace.get("xgap", 0)), float(trace.get("ygap", 0))
    texts = trace.get("text")
    template = trace.get("texttemplate")
    for r, row in enumerate(z):
        for c, value in enumerate(row):
            if _missing(value):
                continue
            x0, x1 = sorted((sub.px(sub.x.scale(xs[c]) - 0.5), sub.px(sub.x.scale(xs[c]) + 0.5)))
            y0, y1 = sorted((sub.py(sub.y.scale(ys[r]) - 0.5), sub.py(sub.y.scale(ys[r]) + 0.5)))
            share = (float(value) - zmin) / (zmax - zmin) if zmax != zmin else 0.0
            colour = _sample(scale, share)
            text = texts[r][c] if isinstance(texts, list) and r < len(texts) and isinstance(texts[r], list) else ""
            point = {"x": xs[c], "y": ys[r], "z": value, "text": text}
            tip = _hover(trace, point, 0, lang, chart, lambda: f"{ys[r]} · {xs[c]}: {text or value}") if not isinstance(
                trace.get("hovertemplate"), list) else ""
            drawing.rect(x0 + xgap / 2, y0 + ygap / 2, x1 - x0 - xgap, y1 - y0 - ygap, colour, tip, "cell")
            label = fill_template(str(template), point, lang, chart) if template else ""
            if label:
                lines = wrap(label, small, x1 - x0 - 4)
                drawing.text((x0 + x1) / 2, (y0 + y1) / 2 + small * 0.35 - (len(lines) - 1) * small * 0.6, lines,
                             small, anchor="middle", fill=_ink(colour))


def _sample(scale: list, share: float) -> str:
    return _sample_cached(tuple((float(p), str(c)) for p, c in scale), round(min(1.0, max(0.0, share)), 4))


@lru_cache(maxsize=1024)
def _sample_cached(scale: tuple, share: float) -> str:
    return colours.hex_colour(scale, share)


def _draw_annotation(drawing: Scene, note: dict, subplots: list[_Subplot], size: float, width: float) -> None:
    """An annotation placed in paper coordinates (subplot titles) or on the first subplot's axes."""
    text = _plain(str(note["text"]))
    font = float((note.get("font") or {}).get("size", size))
    font = min(font, size * 1.1)
    x, y = float(note.get("x", 0.5)), float(note.get("y", 0.5))
    if note.get("xref", "paper") == "paper":
        holder = next((s for s in subplots if s.x.spec.get("domain", [0, 1])[0] <= x <= s.x.spec.get("domain", [0, 1])[1]),
                      subplots[0])
        d0, d1 = holder.x.spec.get("domain", [0, 1])
        px = holder.left + (x - d0) / ((d1 - d0) or 1) * (holder.right - holder.left)
    else:
        px = subplots[0].px(subplots[0].x.scale(x))
    first = subplots[0]
    if note.get("yref", "paper") == "paper":
        # a title sits above the subplot whose y domain it tops; else by the first subplot
        row = next((sub for sub in subplots if abs(sub.y.spec.get("domain", [0, 1])[1] - y) < 1e-6), None)
        if row is not None and note.get("yanchor") == "bottom":
            py = row.top - size * 0.92 * 0.8 - 4  # clear of the row's top tick label too
        else:
            py = first.bottom - y * (first.bottom - first.top)
    else:
        py = first.py(first.y.scale(y))
    anchor = {"left": "start", "right": "end"}.get(note.get("xanchor", "center"), "middle")
    lines = text.split("\n")
    span = max(text_width(line, font) for line in lines)
    start = px - {"start": 0, "middle": span / 2, "end": span}[anchor]
    px += max(0.0, 2 - start) - max(0.0, start + span - (width - 2))  # shifted inside the drawing
    drawing.text(px, py, lines, font, anchor=anchor, klass="title")


# --- entry points -----------------------------------------------------------------------------

def render(figure: dict, *, lang: str, title: str, description: str, ident: str, layout: Layout = WIDE,
           chart: str = "") -> Markup:
    """The figure as an inline SVG: ``role="img"``, named by ``title``, described by
    ``description``; ``ident`` keeps its element ids unique in the page."""
    return render_scene(scene(figure, lang, layout, chart or ident), title=title, description=description,
                        ident=ident, layout=layout)


@_timed
def render_scene(drawing: Scene, *, title: str, description: str, ident: str, layout: Layout) -> Markup:
    """As ``render``, from a drawing already laid out (``scene``) in ``layout``: a build lays
    out each chart once per layout and reuses it for the page, the download and the embed."""
    return Markup(templates().get_template("chart.svg").render(
        scene=drawing, items=items_markup(drawing, layout.font), title=title, description=description, ident=ident, layout=layout.name,
        font_family=FONT_STACK, font_size=layout.font).strip())


def export(figure: dict, *, lang: str, title: str, takeaway: str, footer: list[str], ident: str,
           chart: str = "") -> str:
    """A standalone SVG file: title and takeaway above the chart, ``footer`` lines (source,
    licence, address, version) below, on a white background, with its own width and height."""
    return export_scene(scene(figure, lang, WIDE, chart or ident), title=title, takeaway=takeaway,
                        footer=footer, ident=ident)


@_timed
def export_scene(drawing: Scene, *, title: str, takeaway: str, footer: list[str], ident: str) -> str:
    """As ``export``, from the chart's ``WIDE`` drawing already laid out (``scene``)."""
    return _export(drawing, None, title=title, takeaway=takeaway, footer=footer, ident=ident)


def export_preview(preview: Markup, *, lang: str, title: str, takeaway: str, footer: list[str],
                   ident: str) -> str:
    """As ``export``, around a drawing made elsewhere (the map's ``static_map`` SVG)."""
    found = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', str(preview))
    assert found, "the preview SVG has no viewBox"
    width = WIDE.width
    height = float(found.group(2)) * width / float(found.group(1))
    body = Markup(str(preview).replace("<svg ", f'<svg width="{width}" height="{height:.1f}" ', 1))
    return _export(Scene(width=width, height=height), body, title=title, takeaway=takeaway, footer=footer,
                   ident=ident)


def _export(drawing: Scene, body: Markup | None, *, title: str, takeaway: str, footer: list[str],
            ident: str) -> str:
    width = drawing.width
    pad = 16
    title_lines = wrap(title, 18, width - 2 * pad)
    take_lines = wrap(takeaway, 13, width - 2 * pad)
    head = pad + len(title_lines) * 18 * 1.25 + len(take_lines) * 13 * 1.3 + 8
    foot_lines = [line for text in footer for line in wrap(text, 11, width - 2 * pad)]
    height = math.ceil(head + drawing.height + len(foot_lines) * 11 * 1.35 + pad)
    return templates().get_template("chart_export.svg").render(
        scene=drawing, items=Markup("") if body else items_markup(drawing, WIDE.font), body=body, ident=ident, width=int(width), height=height, pad=pad, title_lines=title_lines,
        take_lines=take_lines, head=head, foot_lines=foot_lines, foot_top=head + drawing.height + 11,
        title=title, description=takeaway, font_family=FONT_STACK, font_size=WIDE.font).strip() + "\n"

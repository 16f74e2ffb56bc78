"""The named colour scales the charts use and the sampling of a colour scale, as plotly.py's
``plotly.colors`` does them, without importing plotly (about a tenth of a second of every build,
for a few values that never change).

``tests/test_colours.py`` checks that the scales equal ``plotly.colors.get_colorscale`` and the
samples ``plotly.colors.sample_colorscale`` for the plotly version in requirements.txt (plotly stays a dependency:
the site's interactive charts are plotly.js, and the tests compare against it).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

# plotly.colors.get_colorscale(name) of plotly 7.1: "Blues" is ColorBrewer's
# (_plotly_utils/colors/colorbrewer.py, Blues), "Viridis" matplotlib's
# (_plotly_utils/colors/sequential.py, Viridis); [position, colour] as plotly.py gives them.
SCALES = {
    "Blues": ((0.0, "rgb(247,251,255)"), (0.125, "rgb(222,235,247)"), (0.25, "rgb(198,219,239)"),
              (0.375, "rgb(158,202,225)"), (0.5, "rgb(107,174,214)"), (0.625, "rgb(66,146,198)"),
              (0.75, "rgb(33,113,181)"), (0.875, "rgb(8,81,156)"), (1.0, "rgb(8,48,107)")),
    "Viridis": ((0.0, "#440154"), (0.1111111111111111, "#482878"), (0.2222222222222222, "#3e4989"),
                (0.3333333333333333, "#31688e"), (0.4444444444444444, "#26828e"), (0.5555555555555556, "#1f9e89"),
                (0.6666666666666666, "#35b779"), (0.7777777777777777, "#6ece58"), (0.8888888888888888, "#b5de2b"),
                (1.0, "#fde725")),
}

_RGB = re.compile(r"rgb\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*\)")


def colorscale(name: str) -> list[list]:
    """The named scale as ``plotly.colors.get_colorscale(name)``: a list of [position, colour]."""
    if name not in SCALES:
        raise ValueError(f"colour scale {name!r} is not copied from plotly into colours.SCALES "
                         f"(known: {sorted(SCALES)}); add it there")
    return [[position, colour] for position, colour in SCALES[name]]


@lru_cache(maxsize=256)  # a scale's few colours, parsed once
def _unit_rgb(colour: str) -> tuple[float, float, float]:
    """An ``rgb(r,g,b)`` or ``#rrggbb`` colour as three shares of 255 (plotly's "tuple" type)."""
    found = _RGB.fullmatch(colour.strip())
    if found:
        r, g, b = (float(v) for v in found.groups())
    else:
        hexa = colour.lstrip("#")
        if len(hexa) == 3:
            hexa = "".join(c * 2 for c in hexa)
        if len(hexa) != 6:
            raise ValueError(f"not an rgb() or hex colour: {colour!r}")
        r, g, b = (int(hexa[i:i + 2], 16) for i in (0, 2, 4))
    return r / 255.0, g / 255.0, b / 255.0


def sample(scale, point: float) -> tuple[float, float, float]:
    """The colour at ``point`` (0 to 1) of ``scale`` ([position, colour] pairs, positions rising
    from 0 to 1) as shares of 255: ``plotly.colors.sample_colorscale(scale, [point],
    colortype="tuple")[0]``, step for step, so the floats (and the rounded hex) are plotly's."""
    positions = [stop[0] for stop in scale]
    colours = [_unit_rgb(stop[1]) for stop in scale]
    high = bisect_left(positions, point)
    low = high - 1  # at point 0 this is the last stop, as in plotly (the share comes out 1)
    share = (point - positions[low]) / (positions[high] - positions[low])
    lo, hi = colours[low], colours[high]
    return tuple(lo[i] + share * float(hi[i] - lo[i]) for i in range(3))


def hex_colour(scale, point: float) -> str:
    """``sample`` as #rrggbb."""
    return "#" + "".join(f"{round(c * 255):02x}" for c in sample(scale, point))

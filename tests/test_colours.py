"""The colour scales and their sampling copied from plotly.py (transparency/colours.py) give
what plotly.py itself gives, so the static drawings keep the interactive charts' colours."""

import subprocess
import sys
from pathlib import Path

import pytest
from plotly.colors import get_colorscale, sample_colorscale

from transparency import colours

ROOT = Path(__file__).resolve().parent.parent
# Points where a sampler goes wrong: both ends (plotly's bisect wraps to the last stop at 0),
# on a stop, between stops, and a fine sweep.
POINTS = [0.0, 1.0, 0.125, 0.5, 1 / 3, 0.0001, 0.9999] + [i / 997 for i in range(998)]
# The completeness heat map's own scale (charts.ms_completeness): integer positions, hex colours.
OWN_SCALE = [[0, "#D55E00"], [0.5, "#F0E442"], [1, "#009E73"]]


@pytest.mark.parametrize("name", sorted(colours.SCALES))
def test_named_scales_are_plotlys(name):
    assert colours.colorscale(name) == [list(stop) for stop in get_colorscale(name)]


@pytest.mark.parametrize("scale", [get_colorscale("Blues"), get_colorscale("Viridis"), OWN_SCALE],
                         ids=["Blues", "Viridis", "own"])
def test_samples_are_plotlys_to_the_last_bit(scale):
    expected = sample_colorscale(scale, POINTS, colortype="tuple")
    assert [colours.sample(scale, point) for point in POINTS] == expected
    hexes = ["#" + "".join(f"{round(c * 255):02x}" for c in rgb) for rgb in expected]
    assert [colours.hex_colour(scale, point) for point in POINTS] == hexes


def test_an_unknown_scale_name_is_refused_by_name():
    with pytest.raises(ValueError, match="'Reds'"):
        colours.colorscale("Reds")


def test_drawing_the_charts_and_the_map_does_not_import_plotly():
    script = ("import sys\n"
              "from transparency import charts\n"
              "from transparency.context import Ctx\n"
              "from transparency.package import load_package\n"
              "ctx = Ctx(pkg=load_package(), lang='en')\n"
              "for chart_id in ('ms_completeness', 'ncmec_map', 'provider_detections', 'ms_reports_received'):\n"
              "    charts.chart_block(ctx, chart_id)\n"
              "    charts.export_svg(ctx, chart_id)\n"
              "charts.chart_block(ctx, 'provider_history', 'meta')\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('plotly', '_plotly_utils')))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout

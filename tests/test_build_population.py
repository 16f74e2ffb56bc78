"""scripts/build_population.py: bad Eurostat input is reported like the validator
(``file:row: field: message``), with no traceback and nothing written; good input rebuilds
the package's population files exactly."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The newest archived extract, which the package files were built from.
ARCHIVE = sorted((ROOT / "archive").glob("eurostat-population-1jan-*.csv"))[-1]
DATA = ROOT / "datapackage" / "data"


import build_population as bp  # noqa: E402  scripts/ is on pytest's pythonpath


@pytest.fixture
def work(tmp_path: Path, monkeypatch) -> Path:
    """A directory with the real extract as source.csv and a data/ with member_states.csv."""
    (tmp_path / "data").mkdir()
    shutil.copy(DATA / "member_states.csv", tmp_path / "data" / "member_states.csv")
    shutil.copy(ARCHIVE, tmp_path / "source.csv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _lines(work: Path) -> list[str]:
    return (work / "source.csv").read_text(encoding="utf-8").splitlines()


def _save(work: Path, lines: list[str], bom: bool = False) -> None:
    text = "\n".join(lines) + "\n"
    (work / "source.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


def _line_of(lines: list[str], prefix: str) -> int:
    """1-based line number of the first line starting with `prefix`."""
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(prefix))


def _run(work: Path, capsys) -> tuple[int, list[str]]:
    status = bp.main(["source.csv", "--data", "data"])
    return status, capsys.readouterr().out.splitlines()


def _nothing_written(work: Path) -> bool:
    return not (work / "data" / "population.csv").exists() and not (work / "data" / "population_eu27.csv").exists()


def test_the_archived_extract_rebuilds_the_package_files(work, capsys):
    status, _ = _run(work, capsys)
    assert status == 0
    for name in ("population.csv", "population_eu27.csv"):
        assert (work / "data" / name).read_bytes() == (DATA / name).read_bytes(), name


def test_a_bom_is_accepted(work, capsys):
    _save(work, _lines(work), bom=True)
    status, _ = _run(work, capsys)
    assert status == 0
    assert (work / "data" / "population.csv").read_bytes() == (DATA / "population.csv").read_bytes()


def test_a_number_with_spaces(work, capsys):
    lines = _lines(work)
    line = _line_of(lines, "SE,2022,")
    geo, year, population, flag = lines[line - 1].split(",")
    spaced = f"{int(population):,}".replace(",", " ")
    lines[line - 1] = ",".join([geo, year, spaced, flag])
    _save(work, lines)
    status, out = _run(work, capsys)
    assert status == 1 and _nothing_written(work)
    assert out == [f"source.csv:{line}: population: '{spaced}' is not a whole number (digits only, no spaces or separators: {population})",
                   "1 problem in source.csv; nothing written"]


def test_a_typo_in_a_country_code(work, capsys):
    lines = _lines(work)
    line = _line_of(lines, "SE,2022,")
    lines[line - 1] = "SW" + lines[line - 1][2:]
    _save(work, lines)
    status, out = _run(work, capsys)
    assert status == 1 and _nothing_written(work)
    codes = sorted(line.split(",")[2] for line in (DATA / "member_states.csv").read_text(encoding="utf-8").splitlines()[1:])
    assert f"source.csv:{line}: geo: 'SW' is neither EU27_2020 nor a member state's Eurostat code ({', '.join(codes)}; Greece is EL)" in out
    assert "source.csv:-: geo,year: no row for SE, year 2022 (every member state and EU27_2020 for every year)" in out


def test_a_missing_column(work, capsys):
    lines = _lines(work)
    lines[0] = lines[0].replace("population", "OBS_VALUE")
    _save(work, lines)
    status, out = _run(work, capsys)
    assert status == 1 and _nothing_written(work)
    assert out[0] == ("source.csv:1: population: column 'population' is missing (the header needs geo, year, "
                      "population, eurostat_flag; in Eurostat's CSV it is 'OBS_VALUE')")


def test_a_missing_member_state(work, capsys):
    lines = [line for line in _lines(work) if not line.startswith("MT,2021,")]
    _save(work, lines)
    status, out = _run(work, capsys)
    assert status == 1 and _nothing_written(work)
    assert out == ["source.csv:-: geo,year: no row for MT, year 2021 (every member state and EU27_2020 for every year)",
                   "1 problem in source.csv; nothing written"]


def test_a_year_missing_for_the_eu_total(work, capsys):
    lines = [line for line in _lines(work) if not line.startswith("EU27_2020,2022,")]
    _save(work, lines)
    status, out = _run(work, capsys)
    assert status == 1
    assert out[0] == "source.csv:-: geo,year: no row for EU27_2020, year 2022 (every member state and EU27_2020 for every year)"


def test_a_two_digit_year(work, capsys):
    lines = _lines(work)
    line = _line_of(lines, "AT,2022,")
    lines[line - 1] = lines[line - 1].replace(",2022,", ",22,")
    _save(work, lines)
    status, out = _run(work, capsys)
    assert status == 1
    assert out == [f"source.csv:{line}: year: '22' is not a 4-digit year (e.g. 2023)",
                   "source.csv:-: geo,year: no row for AT, year 2022 (every member state and EU27_2020 for every year)",
                   "2 problems in source.csv; nothing written"]


def test_the_script_prints_no_traceback(work):
    lines = _lines(work)
    line = _line_of(lines, "SE,2022,")
    lines[line - 1] = lines[line - 1].replace("SE,", "SW,", 1)
    _save(work, lines)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_population.py"), "source.csv", "--data", "data"],
                            capture_output=True, text=True, cwd=work, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith(f"source.csv:{line}: geo: 'SW'")

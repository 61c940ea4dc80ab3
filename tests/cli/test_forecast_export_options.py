"""Forecast, backtest and export options: numbers out of range, a backtest with no origin to score and export --as-of
are one-line errors or filters, never tracebacks."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.forecast import limits


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("args, option", [
    (("forecast", "--seed", -1), "--seed"), (("backtest", "--seed", -1), "--seed"),
    (("forecast", "--seed", 2**32), "--seed"), (("backtest", "--seed", 2**32), "--seed"),
    (("forecast", "--paths", 99), "--paths"), (("backtest", "--paths", 100_001), "--paths"),
    (("forecast", "--days", 0), "--days"), (("forecast", "--weeks", 27), "--weeks"),
])
def test_numbers_out_of_range_are_one_line_usage_errors(args, option, tmp_path):
    r = _run(*args, "--db", tmp_path / "none.duckdb")  # refused before the store is looked at
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and f"Invalid value for '{option}'" in lines[0], r.output


def test_the_web_api_and_the_cli_share_the_lower_bounds_and_the_seed_range():
    from crossings.web import settings
    assert settings.MIN_FORECAST_PATHS == limits.MIN_PATHS and settings.MAX_SEED == limits.MAX_SEED == 2**32 - 1
    assert settings.MAX_FORECAST_PATHS <= limits.CLI_MAX_PATHS and settings.MAX_FORECAST_DAYS <= limits.CLI_MAX_DAYS

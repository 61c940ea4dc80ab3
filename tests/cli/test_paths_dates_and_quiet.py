"""A --db path that holds no store is refused by readers without creating it; date errors name their option;
validate refuses an --until with nothing after it before calibrating; compare's given-data indices print no
library notices."""
from __future__ import annotations

import warnings

import numpy as np
from click.testing import CliRunner

from crossings.cli import main


def _run(*args):
    return CliRunner().invoke(main, list(args))


def test_incidents_and_backtest_refuse_a_missing_store_and_create_none(tmp_path):
    missing = tmp_path / "nosuch.duckdb"
    for args in (("incidents", "--db", str(missing)), ("backtest", "--db", str(missing), "--paths", "100")):
        r = _run(*args)
        assert r.exit_code == 1, (args, r.output)
        assert f"no store at {missing}" in r.output and len(r.output.strip().splitlines()) == 1, r.output
        assert not missing.exists()


def test_a_bad_date_names_its_option(tmp_path):
    for args, option in ((("forecast", "--as-of", "25-12-2025"), "--as-of"),
                         (("forecast", "--as-of", "20251225"), "--as-of"),  # ISO's basic form: YYYY-MM-DD only
                         (("ingest", "--release-date", "2025/1/1", str(tmp_path / "x.ods")), "--release-date"),
                         (("backtest", "--start", "1 June"), "--start"),
                         (("calibrate", "--until", "2024-13-01", "--db", ":memory:", "--out", str(tmp_path / "p.json")),
                          "--until"),
                         (("validate", "--until", "20240101", "--db", ":memory:"), "--until")):
        r = _run(*args)
        assert r.exit_code == 2 and f"Invalid value for '{option}'" in r.output and "is not a date" in r.output, \
            (args, r.output)


def test_validate_refuses_an_until_with_no_later_days_before_calibrating():
    r = _run("validate", "--db", ":memory:", "--until", "2030-01-01", "--simulations", "200")
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert lines == ["crossings: error: --until 2030-01-01: no published days after 2025-12-18 to validate on "
                     "(the data end on 2025-12-18)"], r.output


def test_given_data_indices_print_no_library_notices():
    from SALib.analyze import delta

    from crossings.sim.compare import _given_data_s1
    rng = np.random.default_rng(0)
    draws = {"few_values": rng.choice([0.1, 0.2, 0.3], 400), "smooth": rng.uniform(0, 1, 400)}
    y = 3 * draws["smooth"] + rng.normal(0, 0.1, 400)
    x = np.stack(list(draws.values()), axis=1)
    problem = {"num_vars": 2, "names": list(draws), "bounds": [[0.1, 0.3], [0.0, 1.0]]}
    with warnings.catch_warnings(record=True) as raw:      # the library itself does warn on such data
        warnings.simplefilter("always")
        delta.analyze(problem, x, y, num_resamples=10, seed=0, print_to_console=False)
    assert raw
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        s1 = _given_data_s1(draws, y)
    assert not ours, [str(w.message) for w in ours]
    assert s1["smooth"]["S1"] > 0.5 > s1["few_values"]["S1"]


def test_usage_errors_are_one_line_with_exit_2():
    for args in (("forecast", "--as-of", "25-12-2025"), ("forecast", "--model", ""), ("stats", "--nosuch-option"),
                 ("nosuchcmd",), ("simulate", "status_quo", "-n", "many")):
        r = _run(*args)
        lines = r.output.strip().splitlines()
        assert r.exit_code == 2 and len(lines) == 1 and lines[0].startswith("crossings: error: "), (args, r.output)
        assert "--help" in lines[0] and "Traceback" not in r.output

"""Ensemble runner: blocks and seeds, identical numbers on 1 and 2 workers, output files, bad input."""
from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from crossings.errors import CrossingsError, InputError, NetworkError
from crossings.sim.ensemble import block_plan, iter_blocks, run_ensemble
from crossings.sim.model import OUTCOMES, STATES, simulate_block
from crossings.sim.results import DailyWriter, load_daily
from crossings.sim.scenario import load_scenario

DAYS = 60


@pytest.fixture(scope="module")
def scenario():
    """The shipped status quo, cut to 60 days so tests run fast."""
    s = load_scenario("status_quo")
    return s.with_values(end=s.start + timedelta(days=DAYS - 1))


def test_block_plan_covers_every_replicate_once():
    assert block_plan(250, 100) == [(0, 100), (100, 100), (200, 50)]
    assert block_plan(100, 100) == [(0, 100)]
    assert block_plan(7, 100) == [(0, 7)]


def test_each_block_is_the_kernel_run_on_its_spawned_seed(scenario):
    r = run_ensemble(scenario, 250, 11, workers=1, block_size=100, keep_daily=True)
    seeds = np.random.SeedSequence(11).spawn(3)
    for (start, n), ss in zip([(0, 100), (100, 100), (200, 50)], seeds):
        expect = simulate_block(scenario, n, ss)
        for k in OUTCOMES + STATES:
            np.testing.assert_array_equal(r.daily[k].values[start:start + n], expect[k])
        for k in OUTCOMES:
            np.testing.assert_array_equal(r.totals[k].to_numpy()[start:start + n], expect[k].sum(axis=1))
    for (start, daily), (s0, n) in zip(iter_blocks(scenario, 250, 11, block_size=100), block_plan(250, 100)):
        assert start == s0
        np.testing.assert_array_equal(daily["deaths"], r.daily["deaths"].values[s0:s0 + n])
    assert r.daily.sizes == {"replicate": 250, "date": DAYS}
    assert list(r.daily.date.values) == list(scenario.dates().values)
    assert list(r.totals.columns) == list(OUTCOMES)


def test_full_blocks_do_not_depend_on_how_many_replicates_follow(scenario):
    small = run_ensemble(scenario, 230, 3, workers=1, block_size=100)
    large = run_ensemble(scenario, 410, 3, workers=1, block_size=100)
    pd.testing.assert_frame_equal(small.totals.iloc[:200], large.totals.iloc[:200])
    other_seed = run_ensemble(scenario, 230, 4, workers=1, block_size=100)
    assert not small.totals.equals(other_seed.totals)


def test_summary_is_quantiles_of_the_totals(scenario):
    r = run_ensemble(scenario, 200, 1, workers=1)
    s = r.summary()
    arrived = r.totals["migrants_arrived"].to_numpy()
    assert s.loc["migrants_arrived", "median"] == pytest.approx(np.median(arrived))
    assert s.loc["migrants_arrived", "p05"] == pytest.approx(np.percentile(arrived, 5))
    assert s.loc["migrants_arrived", "p95"] == pytest.approx(np.percentile(arrived, 95))
    assert s.loc["deaths", "mean"] == pytest.approx(r.totals["deaths"].mean())
    d = r.to_dict()
    assert d["replicates"] == 200 and d["days"] == DAYS
    assert set(d["outcomes"]) == set(OUTCOMES)
    assert d["outcomes"]["migrants_arrived"]["median"] == pytest.approx(np.median(arrived))


@pytest.mark.parametrize("suffix", [".nc", ".parquet"])
def test_out_file_holds_every_replicate_day(scenario, tmp_path, suffix):
    path = tmp_path / f"run{suffix}"
    r = run_ensemble(scenario, 130, 9, workers=1, block_size=50, keep_daily=True, out=path)
    assert r.out == path and path.exists()
    assert not list(tmp_path.glob(".*part"))
    back = load_daily(path)
    assert back.sizes == {"replicate": 130, "date": DAYS}
    np.testing.assert_array_equal(back.replicate.values, np.arange(130))
    np.testing.assert_array_equal(back.date.values.astype("datetime64[D]"),
                                  scenario.dates().values.astype("datetime64[D]"))
    for k in OUTCOMES + STATES:
        np.testing.assert_array_equal(back[k].values, r.daily[k].values)
    # the totals printed are the sums of the series written
    np.testing.assert_array_equal(back["deaths"].values.sum(axis=1), r.totals["deaths"].to_numpy())


def test_out_without_keep_daily_holds_only_totals(scenario, tmp_path):
    path = tmp_path / "run.nc"
    r = run_ensemble(scenario, 60, 2, workers=1, block_size=25, out=path)
    assert r.daily is None
    back = load_daily(path)
    np.testing.assert_array_equal(back["migrants_arrived"].values.sum(axis=1),
                                  r.totals["migrants_arrived"].to_numpy())
    assert back.attrs["seed"] == 2 and back.attrs["block_size"] == 25


def test_save_writes_what_was_kept(scenario, tmp_path):
    r = run_ensemble(scenario, 40, 5, workers=1, keep_daily=["deaths", "people_waiting"])
    assert set(r.daily.data_vars) == {"deaths", "people_waiting"}
    back = load_daily(r.save(tmp_path / "kept.parquet"))
    np.testing.assert_array_equal(back["people_waiting"].values, r.daily["people_waiting"].values)
    with pytest.raises(InputError, match="no daily series"):
        run_ensemble(scenario, 5, 5, workers=1).save(tmp_path / "x.nc")


def test_a_writer_left_unfinished_leaves_no_file(tmp_path):
    dates = pd.date_range("2026-01-01", periods=3)
    path = tmp_path / "half.nc"
    w = DailyWriter(path, ["deaths"], dates, 4)
    w.write(0, {"deaths": np.ones((2, 3), dtype=np.int64)})
    with pytest.raises(ValueError, match="only 2 of 4"):
        w.close()
    assert list(tmp_path.iterdir()) == []
    w = DailyWriter(path, ["deaths"], dates, 4)
    with pytest.raises(ValueError, match="in order"):
        w.write(2, {"deaths": np.ones((2, 3), dtype=np.int64)})
    w.abort()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kwargs, message", [
    ({"replicates": 0}, "replicates must be at least 1"),
    ({"seed": -1}, "seed must be at least 0"),
    ({"seed": 1.5}, "seed must be a whole number"),
    ({"block_size": 0}, "block_size must be at least 1"),
    ({"workers": 0}, "workers must be at least 1"),
    ({"keep_daily": ["drownings"]}, "unknown daily series drownings"),
    ({"out": "run.csv"}, "unknown output format '.csv'"),
    ({"out": "no/such/folder/run.nc"}, "output folder does not exist"),
])
def test_bad_input_is_refused_before_running(scenario, kwargs, message):
    args = {"replicates": 10, "seed": 1, **kwargs}
    with pytest.raises(InputError, match=message):
        run_ensemble(scenario, args.pop("replicates"), args.pop("seed"), **args)


def test_zarr_needs_the_zarr_package(scenario, tmp_path):
    try:
        import zarr  # noqa: F401
    except ImportError:
        with pytest.raises(InputError, match="needs the optional 'zarr' package"):
            run_ensemble(scenario, 10, 1, workers=1, out=tmp_path / "run.zarr")
    else:
        r = run_ensemble(scenario, 30, 1, workers=1, block_size=10, keep_daily=True, out=tmp_path / "run.zarr")
        np.testing.assert_array_equal(load_daily(tmp_path / "run.zarr")["deaths"].values, r.daily["deaths"].values)


def test_unknown_scenario_name_is_a_crossings_error():
    with pytest.raises(CrossingsError):
        run_ensemble("no_such_doctrine_anywhere", 10, 1, workers=1)


@pytest.mark.slow
def test_same_numbers_on_one_and_two_workers(scenario, tmp_path):
    """Ray with two workers (blocks finish in any order) gives exactly the in-process numbers."""
    one = run_ensemble(scenario, 700, 42, workers=1, block_size=100, keep_daily=["migrants_arrived", "deaths"])
    two = run_ensemble(scenario, 700, 42, workers=2, block_size=100, keep_daily=["migrants_arrived", "deaths"],
                       out=tmp_path / "two.parquet")
    assert two.workers == 2
    pd.testing.assert_frame_equal(one.totals, two.totals)
    for k in ("migrants_arrived", "deaths"):
        np.testing.assert_array_equal(one.daily[k].values, two.daily[k].values)
    back = load_daily(tmp_path / "two.parquet")
    np.testing.assert_array_equal(back["deaths"].values, one.daily["deaths"].values)
    import ray
    assert not ray.is_initialized()  # the Ray it started is shut down


@pytest.mark.slow
def test_a_scenario_error_on_a_ray_worker_is_reported_as_itself(scenario, tmp_path):
    """The real-weather CSV is read where the block runs; a period it does not cover fails there, and the caller
    gets the ScenarioError itself (one line), not Ray's wrapped traceback."""
    csv = tmp_path / "conditions.csv"
    csv.write_text(f"date,wind_speed_ms,wind_gust_ms,wave_height_m\n{scenario.start.isoformat()},4.0,6.0,0.5\n")
    series = scenario.with_values(**{"sea_state.driver": "series", "sea_state.series": {
        "path": str(csv), "thresholds": {"max_wind_speed_ms": 8, "max_wind_gust_ms": 12, "max_wave_height_m": 1.2}}})
    with pytest.raises(CrossingsError) as info:
        run_ensemble(series, 20, 1, workers=2, block_size=10, out=tmp_path / "x.nc")
    assert "conditions.csv" in str(info.value) and "\n" not in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conditions.csv"]  # no half-written output


def test_an_unreachable_cluster_is_a_network_error(scenario, tmp_path):
    """Nothing listens on port 1: refused at once, not after Ray's minutes of retries; no output file left."""
    with pytest.raises(NetworkError, match="cannot reach the Ray cluster at 127.0.0.1:1"):
        run_ensemble(scenario, 10, 1, address="127.0.0.1:1", out=tmp_path / "x.nc")
    assert list(tmp_path.iterdir()) == []

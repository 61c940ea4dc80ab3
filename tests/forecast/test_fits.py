"""Stored fits: a forecast from a stored fit prints the numbers of the one that fitted; the key changes with the
data and the settings (and is the same in another process); a damaged entry is refitted; at most MAX_FITS stay."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import crossings.forecast.fits as fits
from crossings.cli import main
from crossings.forecast.api import forecast
from crossings.forecast.ensemble import EnsembleModel
from crossings.forecast.locallevel import LocalLevelModel
from crossings.store import Store

AS_OF = "2025-06-02"
SMALL = dict(days=3, weeks=2, n_paths=300)


def _same(a, b) -> None:
    assert a.to_dict() == b.to_dict()
    for t in ("boats", "people"):
        np.testing.assert_array_equal(a.weekly_samples[t], b.weekly_samples[t])


def test_a_forecast_from_a_stored_fit_is_the_forecast_that_fitted(official, tmp_path, monkeypatch):
    first = forecast(official, AS_OF, seed=3, fits_folder=tmp_path, **SMALL)
    assert len(list(tmp_path.glob("*.pkl"))) == 1

    def no_fit(self, series):
        raise AssertionError("fitted again")
    monkeypatch.setattr(EnsembleModel, "fit", no_fit)
    again = forecast(official, AS_OF, seed=3, fits_folder=tmp_path, **SMALL)
    _same(first, again)
    other = forecast(official, AS_OF, seed=4, fits_folder=tmp_path, **SMALL)  # another seed: the same fit
    assert other.to_dict() != first.to_dict()
    with pytest.raises(AssertionError, match="fitted again"):  # other data: not that fit
        forecast(official, "2025-06-03", seed=3, fits_folder=tmp_path, **SMALL)


def test_the_stored_fit_carries_no_memory_of_earlier_fits(official):
    model = EnsembleModel()
    results = model.fit(official.upto(pd.Timestamp("2025-05-31")))
    assert model._sims and model._rows and model._fits  # the in-process memory exists ...
    back = pickle.loads(pickle.dumps(results))
    assert back.model._sims == {} and back.model._rows == {} and back.model._fits == {}  # ... and is not stored
    assert all(getattr(f.model, "_fitted", {}) == {} for f in back.fitted)
    assert [getattr(f, "occ_result", None) for f in back.fitted] == [None, None, None]
    rng = [np.random.default_rng(1), np.random.default_rng(1)]
    a, b = results.simulate(20, 200, rng[0]), back.simulate(20, 200, rng[1])
    np.testing.assert_array_equal(a.boats, b.boats)
    np.testing.assert_array_equal(a.people, b.people)


def test_the_key_follows_data_and_settings_and_not_the_process(official):
    cut = official.upto(pd.Timestamp("2025-05-31"))
    k = fits.key(LocalLevelModel(), cut)
    assert k == fits.key(LocalLevelModel(), cut)
    assert k != fits.key(LocalLevelModel(harmonics=1), cut)
    assert k != fits.key(LocalLevelModel(), official.upto(pd.Timestamp("2025-05-30")))
    changed = type(cut)(cut.start, cut.boats.copy(), cut.people.copy())
    changed.people[-1] += 1
    assert k != fits.key(LocalLevelModel(), changed)
    assert k != fits.key(EnsembleModel(), cut)
    code = ("import sys, pickle; import crossings.forecast.fits as f; "
            "m, s = pickle.load(sys.stdin.buffer); print(f.key(m, s))")
    out = subprocess.run([sys.executable, "-c", code], input=pickle.dumps((LocalLevelModel(), cut)),
                         capture_output=True, check=True).stdout.decode().strip()
    assert out == k


def test_loading_a_stored_fit_imports_no_fitting_library(official, tmp_path):
    cut = official.upto(pd.Timestamp("2025-05-31"))
    fits.save(tmp_path, "k", EnsembleModel().fit(cut))
    code = ("import sys; import crossings.forecast.fits as f, numpy as np; "
            f"r = f.load(__import__('pathlib').Path({str(tmp_path)!r}), 'k'); r.simulate(10, 100, "
            "np.random.default_rng(0)); "
            "print(sorted(m for m in ('statsmodels', 'numba', 'scipy.optimize') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout.decode().strip()
    assert out == "[]"


@pytest.mark.parametrize("damage", ["garbage", "flipped byte", "empty"])
def test_a_damaged_entry_is_removed_and_refitted(tmp_path, damage):
    fits.save(tmp_path, "k", {"x": list(range(100))})
    path = tmp_path / "k.pkl"
    raw = path.read_bytes()
    path.write_bytes({"garbage": b"not a fit", "flipped byte": raw[:-5] + bytes([raw[-5] ^ 1]) + raw[-4:],
                      "empty": b""}[damage])
    assert fits.load(tmp_path, "k") is None and not path.exists()
    Counting.n = 0
    assert fits.fit(Counting(), tiny_series(), tmp_path) == {"fitted": 1}
    assert fits.fit(Counting(), tiny_series(), tmp_path) == {"fitted": 1}  # stored this time
    assert Counting.n == 1


class Counting:
    """A model whose fit counts its calls."""
    n = 0

    def fit(self, series):
        Counting.n += 1
        return {"fitted": Counting.n}


def tiny_series():
    """A tiny series (the key reads its first day and counts)."""
    from crossings.forecast.series import Series
    return Series(pd.Timestamp("2024-01-01"), np.arange(5, dtype=np.int64), np.arange(5, dtype=np.int64) * 40)


def test_at_most_max_fits_are_kept_the_newest(tmp_path):
    for i in range(fits.MAX_FITS + 3):
        fits.save(tmp_path, f"k{i:02d}", {"i": i})
        os.utime(tmp_path / f"k{i:02d}.pkl", ns=(i * 10**9, i * 10**9))
    fits.save(tmp_path, "last", {"i": -1})
    names = sorted(p.stem for p in tmp_path.glob("*.pkl"))
    assert len(names) == fits.MAX_FITS and "last" in names
    assert names[:-1] == [f"k{i:02d}" for i in range(4, fits.MAX_FITS + 3)]


def test_the_cli_stores_one_fit_for_two_seeds_and_none_without_the_cache(tmp_path, monkeypatch, wb19):
    db = tmp_path / "store.duckdb"
    with Store(db) as s:
        s.ingest(wb19)
    monkeypatch.setenv("CROSSINGS_DB", str(db))
    folder = fits.folder_in(db.parent / "forecasts")
    args = ["forecast", "--model", "locallevel", "--paths", "200", "--days", "3", "--weeks", "2"]
    r = CliRunner().invoke(main, [*args, "--no-cache"])
    assert r.exit_code == 0 and not folder.exists()
    outs = [CliRunner().invoke(main, [*args, "--seed", s]) for s in ("1", "2")]
    assert [o.exit_code for o in outs] == [0, 0] and outs[0].stdout != outs[1].stdout
    assert len(list(folder.glob("*.pkl"))) == 1


def test_hyper_parameters_remembered_serve_another_as_of_with_the_same_numbers(official, tmp_path, monkeypatch):
    """The local-level hyper-parameters of every refit day the first forecast reached are read back by the
    forecast of the next day: no maximisation runs, and its numbers are those of a forecast that maximised."""
    import scipy.optimize
    calls = []
    real = scipy.optimize.minimize

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(scipy.optimize, "minimize", counting)
    forecast(official, "2025-06-03", seed=2, fits_folder=tmp_path, **SMALL)
    first = len(calls)
    stored = list((tmp_path / "locallevel-hyper").glob("*.json"))
    assert first >= 7 and len(stored) == first  # one set per refit day the 26 history data ends reach
    again = forecast(official, "2025-06-04", seed=2, fits_folder=tmp_path, **SMALL)
    assert len(calls) == first  # nothing maximised: the refit days are the same, with the same data
    fresh = forecast(official, "2025-06-04", seed=2, **SMALL)
    assert len(calls) - first >= first  # without the folder every refit day is maximised (one twice: the
    # in-process memory holds the newest only, and the final fit's day comes before the history's oldest)
    _same(again, fresh)


def test_a_damaged_remembered_value_is_computed_again(tmp_path):
    token = fits._FOLDER.set(tmp_path)
    try:
        assert fits.remembered("k", {"a": 1}, lambda: {"x": 0.1 + 0.2}) == {"x": 0.1 + 0.2}
        (path,) = (tmp_path / "k").glob("*.json")
        assert fits.remembered("k", {"a": 1}, lambda: {"x": -1.0}) == {"x": 0.1 + 0.2}  # read back, exactly
        assert fits.remembered("k", {"a": 2}, lambda: {"x": 2.0}) == {"x": 2.0}  # other inputs: computed
        path.write_text(path.read_text().replace("0.30000000000000004", "0.3"))  # fails its checksum
        assert fits.remembered("k", {"a": 1}, lambda: {"x": 5.0}) == {"x": 5.0}
    finally:
        fits._FOLDER.reset(token)
    assert fits.remembered("k", {"a": 1}, lambda: {"x": 7.0}) == {"x": 7.0}  # no fit running: no folder


def test_a_fit_that_cannot_be_hashed_or_pickled_is_fitted_and_not_stored(tmp_path):
    class Local:  # a class defined in a function: neither joblib nor pickle can name it
        def fit(self, series):
            return {"fitted": True}
    assert fits.fit(Local(), tiny_series(), tmp_path) == {"fitted": True}
    fits.save(tmp_path, "k", Local())
    assert list(tmp_path.glob("*.pkl")) == []


def test_a_remembered_value_is_read_where_its_time_cannot_be_touched(tmp_path, monkeypatch):
    """A folder the process may read but not change (os.utime fails): the stored value is still the answer."""
    token = fits._FOLDER.set(tmp_path)
    try:
        fits.remembered("k", {"a": 1}, lambda: {"x": 1.5})

        def refused(*args, **kwargs):
            raise PermissionError("read-only")
        monkeypatch.setattr(os, "utime", refused)
        assert fits.remembered("k", {"a": 1}, lambda: {"x": -1.0}) == {"x": 1.5}
        assert len(list((tmp_path / "k").glob("*.json"))) == 1
    finally:
        fits._FOLDER.reset(token)

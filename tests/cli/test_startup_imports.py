"""What the quick commands import, each run in a fresh process as a user starts it (``python -m crossings``).

Startup time is import time: a library that a command does not need must not be imported on its path. These tests
check that property (the modules in ``sys.modules`` once the command has run), not a timing; the timings are in
benchmarks/bench_startup.py and docs/performance.md. They also check that a second run of ``simulate`` loads the
compiled kernel from numba's cache instead of compiling it again (on the JIT, ``CROSSINGS_KERNEL=jit``), and that with
the ahead-of-time kernel it imports neither numba, pandas nor scipy.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# Runs the CLI in this process, then prints which of the watched modules were imported (and, after simulate, the
# numba cache statistics of the kernel).
PROBE = """
import json, sys
from crossings.cli import main
try:
    main(sys.argv[2:], standalone_mode=False)
except SystemExit:
    pass
watched = json.loads(sys.argv[1])
out = {"imported": sorted(m for m in watched if m in sys.modules)}
kernel = sys.modules.get("crossings.sim.kernel")
if kernel is not None and "numba" in sys.modules:  # the JIT ran (not the ahead-of-time kernel)
    st = kernel.run_chunk.stats
    out["cache_hits"], out["cache_misses"] = sum(st.cache_hits.values()), sum(st.cache_misses.values())
print("PROBE " + json.dumps(out))
"""

HEAVY = ["pandas", "numpy", "pyarrow", "scipy", "scipy.stats", "statsmodels", "numba", "pydantic", "xarray",
         "matplotlib", "jinja2", "ray", "torch", "sbi", "scoringrules", "SALib", "plotly", "fastapi", "asyncio",
         "tqdm.auto", "formulaic"]


def _probe(env: dict, *args: str) -> dict:
    res = subprocess.run([sys.executable, "-c", PROBE, json.dumps(HEAVY), *args], env=env, capture_output=True,
                         text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    line = next(ln for ln in res.stdout.splitlines() if ln.startswith("PROBE "))
    return json.loads(line.removeprefix("PROBE "))


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    """A store holding the bundled files, in the environment of every probe."""
    tmp = tmp_path_factory.mktemp("startup")
    e = {**os.environ, "CROSSINGS_DB": str(tmp / "store.duckdb"), "CROSSINGS_CACHE": str(tmp / "cache")}
    subprocess.run([sys.executable, "-m", "crossings", "ingest", "--bundled"], env=e, check=True,
                   capture_output=True, timeout=600)
    return e


def test_help_imports_no_data_library(env):
    got = _probe(env, "--help")["imported"]
    assert got == []


@pytest.mark.parametrize("args", [(), ("--only", "key"), ("--format", "json")])
def test_key_figures_need_duckdb_alone(env, args):
    """``crossings stats`` reads the key figures with DuckDB and prints them without pandas or NumPy."""
    got = _probe(env, "stats", *args)["imported"]
    assert got == []


def test_a_table_of_stats_still_comes_from_pandas(env):
    """The other tables are DataFrames: the probe sees pandas there, so it would see it in the key figures too."""
    assert "pandas" in _probe(env, "stats", "--only", "totals_by_year")["imported"]


def _aot_built() -> bool:
    from crossings.sim import kernel_aot
    return kernel_aot.load() is not None


@pytest.mark.skipif(not _aot_built(), reason="no ahead-of-time kernel built here (scripts/setup.sh builds it with a "
                                             "C compiler); the JIT test below covers the run")
def test_small_simulate_imports_neither_pandas_scipy_nor_numba(env):
    """With the ahead-of-time kernel, ``crossings simulate status_quo -n 10`` (its table and its JSON) runs on
    NumPy, pydantic and the built module alone (once the tide windows of the period are in the cache: the first
    run predicts them, with pandas)."""
    _probe(env, "simulate", "status_quo", "-n", "10")
    for fmt in ("table", "json"):
        got = _probe(env, "simulate", "status_quo", "-n", "10", "--format", fmt)["imported"]
        for name in ("pandas", "pyarrow", "scipy", "scipy.stats", "numba", "statsmodels", "xarray", "matplotlib",
                     "jinja2", "ray", "torch", "sbi", "scoringrules", "SALib", "asyncio", "tqdm.auto"):
            assert name not in got, (fmt, name)
        assert "numpy" in got and "pydantic" in got  # the probe sees what the run does import


@pytest.mark.slow
def test_simulate_on_the_jit_imports_no_statistics_or_plotting_library_and_reuses_the_compiled_kernel(env):
    jit = {**env, "CROSSINGS_KERNEL": "jit"}
    _probe(jit, "simulate", "status_quo", "-n", "10")  # may compile the kernel (a fresh checkout) and cache it
    got = _probe(jit, "simulate", "status_quo", "-n", "10")
    assert "numba" in got["imported"]  # the compiled kernel ran (numba itself imports scipy.linalg, for BLAS)
    for name in ("pandas", "scipy.stats", "statsmodels", "xarray", "matplotlib", "jinja2", "ray", "torch",
                 "sbi", "scoringrules", "SALib", "asyncio", "tqdm.auto"):
        assert name not in got["imported"], name
    assert got["cache_misses"] == 0 and got["cache_hits"] >= 1  # loaded from numba's cache, not compiled


def test_forecast_imports_no_scoring_plotting_or_cluster_library(env):
    """The default forecast (whichever model wins the backtest), computed, needs neither the backtest's scoring
    library nor plotting, Ray or the calibration's neural networks."""
    got = _probe(env, "forecast", "--no-cache")["imported"]
    assert "numpy" in got  # computed: the probe sees the models' libraries
    for name in ("scoringrules", "xarray", "matplotlib", "jinja2", "ray", "torch", "sbi", "SALib"):
        assert name not in got, name


def test_hurdle_forecast_imports_statsmodels_not_numba(env):
    """The hurdle model is fitted with statsmodels; numba (the local level model's filter) stays out."""
    got = _probe(env, "forecast", "--model", "hurdle")["imported"]
    assert "statsmodels" in got
    assert "numba" not in got


@pytest.mark.parametrize("args", [(), ("--format", "json"), ("--format", "json", "--out", "{tmp}/fc.json"),
                                  ("--paths", "300", "--days", "2", "--weeks", "1", "--model", "persistence")])
def test_a_cached_forecast_imports_no_data_library(env, tmp_path, args):
    """A forecast read from the cache (the default one, computed by ``ingest``; or one computed by a first run) is
    written with the standard library: neither pandas, NumPy, SciPy, statsmodels nor numba is imported."""
    args = [a.format(tmp=tmp_path) for a in args]
    _probe(env, "forecast", *args)  # the default forecast is a hit already (ingest computed it); others are stored
    got = _probe(env, "forecast", *args)["imported"]
    for name in ("pandas", "numpy", "pyarrow", "scipy", "scipy.stats", "statsmodels", "numba", "pydantic"):
        assert name not in got, name

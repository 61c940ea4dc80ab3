"""The day loop built ahead of time (crossings.sim.kernel_aot) gives the numbers of numba's JIT, bit for bit.

Both compile the same source; the build uses the JIT's fast-math flags, error model, CPU and CPU features, so fused
multiply-adds and approximate library functions come out the same. Checked on every daily series of thousands of
replicates, with the weather generator and with a real series of conditions, so a difference in any rounding of
any process shows up. Skipped where no module was built (no C compiler: simulations then use the JIT).
"""
from __future__ import annotations

import numpy as np
import pytest

from crossings.sim import kernel as K
from crossings.sim import kernel_aot, model
from crossings.sim.scenario import load_scenario

AOT = kernel_aot.load()
pytestmark = pytest.mark.skipif(AOT is None, reason="no ahead-of-time kernel built (python -m crossings.sim."
                                                    "kernel_aot needs a C compiler)")


def _run(monkeypatch, kernel, scenario, replicates: int, seed: int) -> dict[str, np.ndarray]:
    monkeypatch.setattr(model, "_run_chunk", lambda: kernel)
    return model.simulate_params(scenario, {}, np.random.SeedSequence(seed), daily=True, replicates=replicates)


def _assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


@pytest.mark.parametrize("name", ["status_quo", "sea_interception", "no_intervention"])
def test_the_built_kernel_gives_the_jit_numbers(monkeypatch, name):
    sc = load_scenario(name)
    jit = _run(monkeypatch, K.run_chunk, sc, 3000, 11)
    aot = _run(monkeypatch, AOT.run_chunk, sc, 3000, 11)
    _assert_same(jit, aot)
    assert jit["migrants_arrived"].sum() > 0 and jit["deaths"].sum() > 0  # the runs did something to compare


def test_the_built_kernel_gives_the_jit_numbers_on_a_real_series(monkeypatch, tmp_path):
    """Sea state from a conditions file (the other branch of the day loop), over a period with a warm-up."""
    sc = load_scenario("status_quo").with_values(start="2025-03-01", end="2025-06-30")
    days = np.arange(np.datetime64("2025-01-01"), np.datetime64("2025-07-01"))
    rng = np.random.default_rng(5)
    wind = rng.uniform(2, 12, len(days))
    rows = [f"{d},{w:.2f},{w * 1.4:.2f},{w / 8:.2f}" for d, w in zip(days, wind)]
    csv = tmp_path / "conditions.csv"
    csv.write_text("date,wind_speed_ms,wind_gust_ms,wave_height_m\n" + "\n".join(rows) + "\n")
    sc = sc.with_values(**{"sea_state.driver": "series", "sea_state.series": {
        "path": str(csv), "thresholds": {"max_wind_speed_ms": 8, "max_wind_gust_ms": 12, "max_wave_height_m": 1.2}}})
    jit = _run(monkeypatch, K.run_chunk, sc, 2000, 3)
    aot = _run(monkeypatch, AOT.run_chunk, sc, 2000, 3)
    _assert_same(jit, aot)
    crossable = jit["crossable_daily"][0]
    assert 0 < crossable.sum() < len(crossable)  # both kinds of day occur


def test_the_run_uses_the_built_kernel_and_sends_other_types_to_the_jit(monkeypatch):
    """model.run calls the built module; arguments of other types (which it would read as raw memory) go to the
    JIT instead."""
    calls = []
    runner = kernel_aot.run_chunk(lambda *a: calls.append(a))
    assert runner.aot is AOT.run_chunk
    sc = load_scenario("status_quo")
    seed = np.random.SeedSequence(2)
    p = model.draw(sc, 50, seed, {})
    monkeypatch.setattr(model, "_run_chunk", lambda: runner)
    totals, _ = model.run(sc, p, 50, seed)
    assert calls == [] and totals.sum() > 0  # every chunk went to the built module, which ran
    args = _chunk_args(sc, p, 50, seed)
    assert kernel_aot._matches(args)
    for i, change in ((9, lambda a: a.astype(np.int32)),    # months as int32
                      (5, np.asfortranarray),                # the constants column-major
                      (17, lambda a: np.repeat(a, 2)[::2])):  # the people waiting, strided
        bad = list(args)
        bad[i] = change(bad[i])
        assert not kernel_aot._matches(tuple(bad)), i
        runner(*bad)
        assert len(calls) == 1 and calls.pop()[i] is bad[i]


def test_no_module_when_the_jit_is_asked_for(monkeypatch):
    monkeypatch.setenv(kernel_aot.KERNEL_ENV, "jit")
    assert kernel_aot.load() is None
    assert kernel_aot.run_chunk(K.run_chunk) is K.run_chunk


def test_the_module_name_follows_the_kernel_source(tmp_path, monkeypatch):
    """An edit to the kernel's source gives another module name, so a module built before the edit is not used."""
    before = kernel_aot.module_name()
    copy = tmp_path / "sim"
    copy.mkdir()
    for name in kernel_aot.SOURCES:
        (copy / name).write_text((kernel_aot._HERE / name).read_text())
    monkeypatch.setattr(kernel_aot, "_HERE", copy)
    assert kernel_aot.module_name() == before
    (copy / "kernel.py").write_text((copy / "kernel.py").read_text() + "\n# an edit\n")
    assert kernel_aot.module_name() != before
    assert kernel_aot.load() is None


def _chunk_args(sc, p, R, seed) -> tuple:
    """The arguments of one run_chunk call over the whole period, as model.run builds them."""
    captured = []
    real = model._run_chunk

    def capture(*a):
        captured.append(a)
    try:
        model._run_chunk = lambda: capture
        model.run(sc, p, R, seed)
    finally:
        model._run_chunk = real
    return captured[0]

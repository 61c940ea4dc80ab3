"""Sobol indices through crossings.sim.sensitivity on a function whose indices are known analytically."""
from __future__ import annotations

import math

import numpy as np
import pytest

from crossings.errors import InputError
from crossings.sim.params import Prior
from crossings.sim.sensitivity import sign_statement, sobol_indices


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[list[float], list[float]]:
    """Analytic first-order and total indices (Ishigami and Homma 1990; Sobol' and Levitan 1999)."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


def test_ishigami_indices_recovered():
    priors = {f"x{i}": Prior("uniform", -math.pi, math.pi) for i in (1, 2, 3)}
    res = sobol_indices(ishigami, priors, n_base=4096, seed=3)
    s1, st = ishigami_indices()
    for j, name in enumerate(priors):
        assert abs(res[name]["S1"] - s1[j]) < 0.04, (name, res[name])
        assert abs(res[name]["ST"] - st[j]) < 0.04, (name, res[name])
        assert 0 < res[name]["ST_conf"] < 0.1
        assert set(res[name]) >= {"S1", "S1_conf", "ST", "ST_conf"}


def test_ishigami_analytic_values():
    """The analytic formula itself, against the published values (S1 0.3139, 0.4424, 0; ST3 0.2437)."""
    s1, st = ishigami_indices()
    assert s1[0] == pytest.approx(0.3139, abs=1e-3) and s1[1] == pytest.approx(0.4424, abs=1e-3)
    assert st[2] == pytest.approx(0.2437, abs=1e-3)


def test_sample_size_must_be_power_of_two():
    with pytest.raises(InputError, match="power of 2"):
        sobol_indices(ishigami, {"x": Prior("uniform", 0, 1)}, n_base=100)


def test_sign_statements():
    idx = {"a": {"ST": 0.7}, "b": {"ST": 0.2}}
    assert "robust" in sign_statement(0.95, idx, "B - A", "deaths") and "not robust" not in sign_statement(
        0.95, idx, "B - A", "deaths")
    s = sign_statement(0.6, idx, "B - A", "deaths")
    assert "not robust" in s and "Measuring a" in s

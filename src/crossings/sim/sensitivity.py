"""Sobol indices (SALib) of a doctrine difference over the parameters the data cannot identify.

:func:`sobol_indices` is the generic path: Saltelli/Sobol' sample of the unit cube (``SALib.sample.sobol``),
mapped through each parameter's prior inverse CDF, a vectorised model, and ``SALib.analyze.sobol`` (first-order
``S1`` and total ``ST`` with 95% bootstrap confidence intervals). It is tested on the Ishigami function, whose
indices are known analytically.

:func:`doctrine_sensitivity` applies it to the paired difference ``B - A`` of an outcome's total: every parameter
set of the Sobol sample runs ``replicates`` replicates of both doctrines with the same seed (common random
numbers), identifiable parameters from the posterior, and the model output is the mean paired difference. The
remaining Monte Carlo noise of that mean is reported (``noise_share``: its variance over the output's variance).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..errors import InputError
from .params import Prior

#: P(difference > 0) beyond which (or 1 minus which) the sign of a difference is called robust.
ROBUST = 0.9
UNIDENTIFIED = ("doctrine.sea_interception.p_detect", "doctrine.sea_interception.p_success",
                "doctrine.sea_interception.p_incident", "adaptation.deterrence_per_sea_interception",
                "adaptation.displacement_to_taxi")


def sobol_indices(model: Callable[[np.ndarray], np.ndarray], priors: dict[str, Prior], n_base: int = 256,
                  seed: int = 0) -> dict[str, dict[str, float]]:
    """S1, S1_conf, ST, ST_conf per parameter of ``model`` (rows of parameter values -> one output each)."""
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample
    if n_base < 8 or n_base & (n_base - 1):
        raise InputError(f"--samples must be a power of 2 and at least 8, got {n_base}")
    names = list(priors)
    if not names:
        raise InputError("no uncertain parameter to analyse")
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    u = sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    u = np.clip(u, 1e-9, 1 - 1e-9)
    x = np.stack([priors[n].ppf(u[:, j]) for j, n in enumerate(names)], axis=1)
    y = np.asarray(model(x), dtype=float)
    res = analyze.analyze(problem, y, calc_second_order=False, seed=seed, print_to_console=False)
    return {n: {"S1": float(res["S1"][j]), "S1_conf": float(res["S1_conf"][j]), "ST": float(res["ST"][j]),
                "ST_conf": float(res["ST_conf"][j]), "prior": priors[n].describe()} for j, n in enumerate(names)}


def unidentified_priors(scenarios) -> dict[str, Prior]:
    """The uncertain unidentified parameters of the doctrines (the later doctrine's prior wins on a clash)."""
    out: dict[str, Prior] = {}
    for sc in scenarios:
        for k, p in sc.uncertain().items():
            if k in UNIDENTIFIED:
                out[k] = p
    return out


def check_request(outcome: str, n_base: int, replicates: int) -> None:
    """One-line errors for an unknown outcome, a bad Sobol sample size or replicate count."""
    from .model import OUTCOMES
    if outcome not in OUTCOMES:
        raise InputError(f"unknown outcome {outcome!r}; known: {', '.join(OUTCOMES)}")
    if n_base < 8 or n_base & (n_base - 1):
        raise InputError(f"--samples must be a power of 2 and at least 8, got {n_base}")
    if replicates < 1:
        raise InputError(f"--replicates must be at least 1, got {replicates}")


def doctrine_sensitivity(baseline, doctrine, outcome: str = "deaths", n_base: int = 256, replicates: int = 20,
                         seed: int = 0, posterior=None, block: int = 4000) -> dict:
    """Sobol indices of the mean paired difference ``doctrine - baseline`` of ``outcome``'s total (see module)."""
    from .model import simulate_detail
    from .scenario import load_scenario
    check_request(outcome, n_base, replicates)
    a, b = (load_scenario(s) for s in (baseline, doctrine))
    if (a.start, a.end) != (b.start, b.end):
        raise InputError(f"{b.name}: period differs from {a.name}'s; compared doctrines must share a period")
    if posterior is not None:
        a, b = posterior.apply(a), posterior.apply(b)
    priors = unidentified_priors([a, b])
    if not priors:
        raise InputError(f"{a.name} and {b.name} have no uncertain unidentified parameter "
                         f"({', '.join(UNIDENTIFIED)})")
    within: list[float] = []

    def model(x: np.ndarray) -> np.ndarray:
        rows = x.shape[0]
        total = rows * replicates
        diff = np.empty(total)
        for c, s in enumerate(np.random.SeedSequence(seed).spawn(-(-total // block))):
            lo, hi = c * block, min(total, (c + 1) * block)
            n = hi - lo
            vals = {}
            for j, name in enumerate(priors):
                vals[name] = np.repeat(x[:, j], replicates)[lo:hi]
            post = posterior.draw(a, n, s) if posterior is not None else {}
            outs = []
            for sc in (a, b):
                # a value goes to each doctrine that shares its prior (a doctrine's own lever, e.g. B's
                # p_success, goes to B only; A draws its own from the same seed)
                own = sc.priors()
                p = {**post, **{k: v for k, v in vals.items() if own.get(k) == priors[k]}}
                outs.append(simulate_detail(sc, n, s, params=p, detail=False)[outcome].sum(axis=1))
            diff[lo:hi] = outs[1] - outs[0]
        per = diff.reshape(rows, replicates)
        within.append(float(per.var(axis=1, ddof=1).mean() / replicates) if replicates > 1 else float("nan"))
        model.per_replicate = diff
        return per.mean(axis=1)

    idx = sobol_indices(model, priors, n_base, seed)
    diff = model.per_replicate
    y_var = float(np.var(diff.reshape(-1, replicates).mean(axis=1)))
    p_pos = float((diff > 0).mean())
    res = {"baseline": a.name, "doctrine": b.name, "outcome": outcome, "runs": int(len(diff) // replicates),
           "replicates_per_run": replicates, "mean_difference": float(diff.mean()), "p_positive": p_pos,
           "noise_share": (within[0] / y_var) if y_var > 0 else None, "indices": idx,
           "posterior": posterior.describe() if posterior is not None else "priors only"}
    res["statement"] = sign_statement(p_pos, idx, f"{b.name} - {a.name}", outcome)
    return res


def sign_statement(p_positive: float, indices: dict | None, label: str, outcome: str,
                   index: str = "ST") -> str:
    """Whether the sign of a difference is robust across the prior ranges, or which assumption it rests on."""
    if p_positive > ROBUST:
        return f"{label}, {outcome}: higher in {p_positive:.0%} of runs across the prior ranges: the sign is robust."
    if p_positive < 1 - ROBUST:
        return (f"{label}, {outcome}: higher in only {p_positive:.0%} of runs across the prior ranges: robustly "
                f"not higher.")
    if not indices:
        return (f"{label}, {outcome}: higher in {p_positive:.0%} of runs: the sign is not robust; it rests on "
                f"the assumed priors.")
    top = max(indices, key=lambda k: indices[k][index])
    named = ", ".join(indices)
    return (f"{label}, {outcome}: higher in {p_positive:.0%} of runs: the sign is not robust; it rests on the "
            f"assumptions {named}. Measuring {top} would settle most of it ({index} = {indices[top][index]:.2f}).")

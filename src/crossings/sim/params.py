"""Uncertain parameters: a fixed number or a prior (uniform, normal, lognormal, beta), and their per-replicate draws.

A scenario field that nobody can know exactly is written either as a number or as a one-key mapping::

    p_success: 0.44                               # fixed
    p_success: {uniform: [0.35, 0.55]}            # uniform between low and high
    p_success: {beta: {a: 44, b: 56}}             # beta(a, b); only for fields bounded to [0, 1]
    people_per_boat_at_reference: {normal: {mean: 58, sd: 3}}   # normal, truncated to the field's bounds
    inflow_people_per_day: {lognormal: {median: 130, sigma: 0.2}}

Draws are by inverse CDF of uniforms that come from a random stream of their own per parameter name (see
:func:`draw_parameters`), so two scenarios with the same seed get the same draw for every parameter they share,
whatever other parameters they declare: the basis of common random numbers between doctrines.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np

KINDS = ("fixed", "uniform", "normal", "lognormal", "beta")


@dataclass(frozen=True)
class Prior:
    """One parameter: ``kind`` in :data:`KINDS` and its numbers; ``lo``/``hi`` are the field's bounds (or None)."""
    kind: str
    a: float
    b: float = 0.0
    lo: float | None = None
    hi: float | None = None

    @property
    def is_fixed(self) -> bool:
        return self.kind == "fixed"

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF at uniforms ``u`` (normal truncated to [lo, hi], lognormal to its upper bound if any)."""
        u = np.asarray(u, dtype=float)
        if self.kind == "fixed":
            return np.full(u.shape, self.a)
        if self.kind == "uniform":
            return self.a + (self.b - self.a) * u
        # scipy.special rather than scipy.stats: the same functions without the per-call overhead of a
        # distribution object (draws happen on every kernel call, which matters for one-parameter-set calls);
        # imported here, as a run whose priors are all fixed or uniform never needs scipy (startup time)
        from scipy import special
        if self.kind == "beta":
            return special.betaincinv(self.a, self.b, u)
        if self.kind == "normal":
            if not self.b > 0:
                return np.full(u.shape, self.a)
            lo = 0.0 if self.lo is None else special.ndtr((self.lo - self.a) / self.b)
            hi = 1.0 if self.hi is None else special.ndtr((self.hi - self.a) / self.b)
            x = self.a + self.b * special.ndtri(lo + (hi - lo) * u)
            return np.clip(x, -np.inf if self.lo is None else self.lo, np.inf if self.hi is None else self.hi)
        if self.kind == "lognormal":
            x = self.a * np.exp(self.b * special.ndtri(u))
            return x if self.hi is None else np.minimum(x, self.hi)
        raise ValueError(f"unknown prior kind {self.kind!r}")

    def central(self) -> float:
        """A typical value: the number, the median of the prior."""
        return float(self.ppf(np.array([0.5]))[0])

    def describe(self) -> str:
        if self.kind == "fixed":
            return f"{self.a:g}"
        if self.kind == "uniform":
            return f"uniform({self.a:g}, {self.b:g})"
        if self.kind == "beta":
            return f"beta(a={self.a:g}, b={self.b:g})"
        if self.kind == "normal":
            return f"normal(mean={self.a:g}, sd={self.b:g})"
        return f"lognormal(median={self.a:g}, sigma={self.b:g})"


def _num(x, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValueError(f"{what} must be a number, got {x!r}")
    if not math.isfinite(float(x)):
        raise ValueError(f"{what} must be finite, got {x!r}")
    return float(x)


def _check_bound(x: float, lo: float | None, hi: float | None, what: str = "") -> None:
    pre = f"{what} " if what else ""
    if lo is not None and x < lo:
        raise ValueError(f"{pre}must be >= {lo:g}, got {x:g}")
    if hi is not None and x > hi:
        raise ValueError(f"{pre}must be <= {hi:g}, got {x:g}")


#: The two named fields of each two-parameter prior in a scenario file, in the order of ``Prior.a``, ``Prior.b``.
PRIOR_KEYS = {"normal": ("mean", "sd"), "lognormal": ("median", "sigma"), "beta": ("a", "b")}


_PRIOR_SCHEMA = {"description": "a number, or one of {uniform: [low, high]}, {normal: {mean, sd}}, "
                                "{lognormal: {median, sigma}}, {beta: {a, b}}"}


def prior_field(lo: float | None, hi: float | None, what: str):
    """The pydantic field type of a scenario parameter bounded to [lo, hi]: parsed by :func:`parse_prior`, written
    back by :func:`prior_to_data`, described in the JSON schema as ``what``."""
    from typing import Annotated

    from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
    return Annotated[Prior, PlainValidator(lambda v: parse_prior(v, lo, hi)), PlainSerializer(prior_to_data),
                     WithJsonSchema({**_PRIOR_SCHEMA, "title": what})]


def parse_prior(value, lo: float | None = None, hi: float | None = None) -> Prior:
    """A :class:`Prior` from a scenario value; ``ValueError`` with a plain message if it is not one or leaves
    ``[lo, hi]``."""
    if isinstance(value, Prior):
        return value
    if not isinstance(value, dict):
        x = _num(value, "value")
        _check_bound(x, lo, hi)
        return Prior("fixed", x, lo=lo, hi=hi)
    if len(value) != 1:
        raise ValueError(f"give a number or one of {{uniform: [low, high]}}, {{normal: {{mean, sd}}}}, "
                         f"{{lognormal: {{median, sigma}}}}, {{beta: {{a, b}}}}; got keys {sorted(value)}")
    (kind, spec), = value.items()
    if kind == "uniform":
        if not isinstance(spec, (list, tuple)) or len(spec) != 2:
            raise ValueError(f"uniform needs [low, high], got {spec!r}")
        a, b = _num(spec[0], "uniform low"), _num(spec[1], "uniform high")
        if b < a:
            raise ValueError(f"uniform high must be >= low, got [{a:g}, {b:g}]")
        _check_bound(a, lo, hi, "uniform low")
        _check_bound(b, lo, hi, "uniform high")
        return Prior("uniform", a, b, lo, hi)
    need = PRIOR_KEYS
    if kind not in need:
        raise ValueError(f"unknown prior {kind!r}; use uniform, normal, lognormal or beta")
    if not isinstance(spec, dict) or set(spec) != set(need[kind]):
        raise ValueError(f"{kind} needs exactly {{{', '.join(need[kind])}}}, got {spec!r}")
    a, b = (_num(spec[k], f"{kind} {k}") for k in need[kind])
    if kind == "beta":
        if lo is None or hi is None or lo < 0 or hi > 1:
            raise ValueError("beta prior is only for probabilities (fields bounded to [0, 1])")
        if a <= 0 or b <= 0:
            raise ValueError(f"beta a and b must be > 0, got a={a:g}, b={b:g}")
        return Prior("beta", a, b, lo, hi)
    if b < 0:
        raise ValueError(f"{kind} {need[kind][1]} must be >= 0, got {b:g}")
    if kind == "normal":
        _check_bound(a, lo, hi, "normal mean")
        return Prior("normal", a, b, lo, hi)
    if a <= 0:
        raise ValueError(f"lognormal median must be > 0, got {a:g}")
    if lo is not None and lo > 0:
        raise ValueError(f"lognormal prior can go below the field's lower bound {lo:g}; use uniform or normal")
    _check_bound(a, lo, hi, "lognormal median")
    return Prior("lognormal", a, b, lo, hi)


def stream(seed: np.random.SeedSequence, *key: int) -> np.random.Generator:
    """A generator on the child of ``seed`` with spawn key ``seed.spawn_key + key``.

    Built from the key rather than ``seed.spawn()``, which would advance the seed's spawn counter: calling the
    kernel twice with the same SeedSequence object (as a doctrine comparison does) must give the same streams.
    """
    child = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, *key), pool_size=seed.pool_size)
    return np.random.Generator(np.random.PCG64(child))


#: Spawn-key prefix of the per-parameter streams (process streams use small integers, see model.py).
PARAM_STREAM = 1000


def name_key(name: str) -> int:
    """A stable integer for a parameter name (CRC-32), so its stream does not depend on which others exist."""
    return zlib.crc32(name.encode("utf-8"))


_GOLDEN, _M1, _M2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_KEYS: dict[tuple, tuple[np.uint64, np.uint64]] = {}


def _mix(x: np.ndarray) -> np.ndarray:
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def _key(seed: np.random.SeedSequence, head: int) -> tuple[np.uint64, np.uint64]:
    """Two words of the child ``seed.spawn_key + (head,)`` (kept for the last seeds used: a SeedSequence is costly
    next to the draws of one parameter set)."""
    k = (seed.entropy if not isinstance(seed.entropy, list) else tuple(seed.entropy), tuple(seed.spawn_key),
         seed.pool_size, head)
    hit = _KEYS.get(k)
    if hit is None:
        w = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, head),
                                   pool_size=seed.pool_size).generate_state(2, np.uint64)
        hit = (np.uint64(w[0]), np.uint64(w[1]))
        if len(_KEYS) >= 256:
            _KEYS.pop(next(iter(_KEYS)))
        _KEYS[k] = hit
    return hit


def uniforms(seed: np.random.SeedSequence, n: int, head: int, key) -> np.ndarray:
    """``n`` uniforms in (0, 1) for stream ``key`` (< 2**32; an array of keys gives one row each) under the child
    ``seed.spawn_key + (head,)``: the i-th is a counter-based hash of ``(key, i)`` (two rounds of the SplitMix64
    finaliser, as the kernel's random inputs), so replicate ``i`` gets the same value whatever ``n`` is, and no
    generator is built (calls of one or a few parameter sets, as inference libraries make, are dominated by such
    fixed costs)."""
    k0, k1 = _key(seed, head)
    keys = np.asarray(key, dtype=np.uint64) & np.uint64(0xFFFFFFFF)
    c = (keys[..., None] << np.uint64(32)) | np.arange(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        x = _mix(_mix(k0 + c * _GOLDEN) ^ k1)
    return ((x >> np.uint64(11)).astype(float) + 0.5) * (1.0 / 2.0 ** 53)


def draw_parameters(priors: dict[str, Prior], n: int, seed: np.random.SeedSequence) -> dict[str, np.ndarray]:
    """One value per replicate for every parameter: float64 arrays of length ``n``.

    Fixed parameters are repeated; each uncertain one is its prior's inverse CDF at uniforms from its own
    stream (``PARAM_STREAM``, CRC-32 of the dotted name; :func:`uniforms`).
    """
    out = {}
    drawn = [name for name, prior in priors.items() if not prior.is_fixed]
    u = uniforms(seed, n, PARAM_STREAM, [name_key(name) for name in drawn]) if drawn else None
    for name, prior in priors.items():
        if prior.is_fixed:
            out[name] = np.full(n, prior.a)
        else:
            out[name] = np.asarray(prior.ppf(u[drawn.index(name)]), dtype=float)
    return out


def prior_to_data(p: Prior):
    """A prior in its file (YAML) form, the inverse of :func:`parse_prior`, so a dumped scenario loads again."""
    if p.kind == "fixed":
        return p.a
    if p.kind == "uniform":
        return {"uniform": [p.a, p.b]}
    keys = PRIOR_KEYS[p.kind]
    return {p.kind: {keys[0]: p.a, keys[1]: p.b}}

"""Two-part (hurdle) model of daily crossings: whether any boat arrives, then how many, then how many people.

Part 1, occurrence: logistic regression of "crossing day" on season (Fourier terms), trend, recent activity
(crossed yesterday, share of crossing days in the last 7 and 28 days) and, in the conditions variant, forecast sea
conditions (``wave_height_m``, ``wind_speed_ms``) so the zero part depends on the weather.
Part 2, size: on crossing days, ``boats - 1`` follows a negative binomial (over-dispersed) on season, trend, the
recent level of boats per crossing day and the days since the last crossing (its mean capped in simulation at twice
the largest day of the training window).
Part 3, load: people = boats x people-per-boat, the ratio drawn from its empirical distribution over recent crossing
days (its spread carries the extra dispersion of people).

Sample paths are simulated day by day, all paths at once, so the recent-activity features follow each path.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from . import features as F
from .paths import Paths
from .series import Series

CONDITION_COLUMNS = ("wave_height_m", "wind_speed_ms")


def _conditions_matrix(conditions: pd.DataFrame, dates: pd.DatetimeIndex, columns: tuple[str, ...]) -> np.ndarray:
    """Rows of ``conditions`` for ``dates`` (NaN where a day is missing), columns in ``columns`` order."""
    missing = [c for c in ("date", *columns) if c not in conditions.columns]
    if missing:
        raise InputError(f"conditions table lacks column(s) {', '.join(missing)}")
    df = conditions.assign(date=pd.to_datetime(conditions["date"]).dt.normalize())
    df = df.drop_duplicates("date", keep="last").set_index("date")
    return df.reindex(dates)[list(columns)].to_numpy(float)


@dataclass
class HurdleModel:
    """Hurdle model settings. ``conditions``: daily table (date, wave_height_m, wind_speed_ms) for the conditions
    variant; it must cover the training days used and every simulated day.

    ``window_days``: training window ending at the last observed day (the trend is fitted over it only);
    ``ppb_days``: recent crossing days from which people-per-boat is drawn.
    """

    window_days: int = 3 * 365
    harmonics: int = 2
    trend: bool = True
    ppb_days: int = 60
    conditions: pd.DataFrame | None = None
    condition_columns: tuple[str, ...] = CONDITION_COLUMNS

    @property
    def name(self) -> str:
        return "hurdle+conditions" if self.conditions is not None else "hurdle"

    def fit(self, series: Series) -> "HurdleResults":
        """Fit both parts on ``series`` (nothing else is read)."""
        from statsmodels.genmod import families  # slow to import: only when fitting (a stored fit skips it)
        from statsmodels.genmod.generalized_linear_model import GLM
        n = len(series.boats)
        first = max(F.LAG, n - self.window_days)
        if n - first < 120:
            raise InputError(f"need at least {120 + F.LAG} days of daily data to fit the hurdle model, got {n}")
        boats = series.boats.astype(float)
        dates = series.dates[first:]
        ref = series.end
        win = np.lib.stride_tricks.sliding_window_view(boats[:-1], F.LAG)[first - F.LAG:]  # the LAG days before each
        cal = F.calendar(dates, ref, self.harmonics, self.trend)
        cross = boats[first:] > 0
        pos_all = boats[first - F.LAG:][boats[first - F.LAG:] > 0]
        fallback = float(np.median(pos_all)) if pos_all.size else 1.0
        occ_feat, cnt_feat = F.recent(win, fallback)
        x_occ = np.column_stack([cal, occ_feat])
        names_occ = F.calendar_names(self.harmonics, self.trend) + F.RECENT_OCC_NAMES
        keep = np.ones(len(dates), bool)
        if self.conditions is not None:
            cond = _conditions_matrix(self.conditions, dates, self.condition_columns)
            keep = ~np.isnan(cond).any(axis=1)
            if keep.sum() < 120:
                raise InputError(f"conditions cover only {int(keep.sum())} of the {len(dates)} training days "
                                 "(need 120)")
            x_occ = np.column_stack([x_occ, cond])
            names_occ = names_occ + list(self.condition_columns)
        if not cross[keep].any() or cross[keep].all():
            raise InputError("the training window has no variation between crossing and non-crossing days")
        occ = GLM(cross[keep].astype(float), x_occ[keep], family=families.Binomial()).fit()
        x_cnt = np.column_stack([cal, cnt_feat])[cross]
        y_cnt = boats[first:][cross] - 1
        cnt_params, alpha, cnt = _fit_counts(y_cnt, x_cnt)
        # people per boat on the most recent crossing days
        pos = np.flatnonzero(series.boats > 0)[-self.ppb_days:]
        ppb = series.people[pos] / series.boats[pos]
        return HurdleResults(
            model=self, occ_params=np.asarray(occ.params), occ_names=names_occ,
            cnt_params=cnt_params, alpha=alpha,
            cnt_names=F.calendar_names(self.harmonics, self.trend) + F.RECENT_COUNT_NAMES,
            ppb=ppb, fallback_level=fallback, max_mu=2.0 * float(boats[first:].max()),
            last_window=series.boats[-F.LAG:].astype(float),
            ref=ref, start=series.end + pd.Timedelta(days=1), occ_result=occ, cnt_result=cnt)


MIN_ALPHA = 1e-6  # negative binomial dispersion floor: below it the counts are Poisson in all but name


def _fit_counts(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, float, object]:
    """Negative binomial (NB2) regression of ``y`` on ``x``; Poisson if the data show no over-dispersion
    (the NB likelihood then pushes the dispersion to zero and Newton steps leave the parameter space)."""
    import warnings

    from statsmodels.discrete.discrete_model import NegativeBinomial
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            res = NegativeBinomial(y, x).fit(disp=0, method="newton", maxiter=100)
            params = np.asarray(res.params)
            if np.all(np.isfinite(params)) and params[-1] > MIN_ALPHA and res.mle_retvals.get("converged", True):
                return params[:-1], float(params[-1]), res
        except (np.linalg.LinAlgError, ValueError):
            pass
    res = GLM(y, x, family=families.Poisson()).fit()
    if not np.all(np.isfinite(res.params)):
        raise InputError("regression of boats per crossing day did not converge")
    return np.asarray(res.params), MIN_ALPHA, res


@dataclass
class HurdleResults:
    """A fitted hurdle model; :meth:`simulate` draws sample paths from the day after the last observed day."""

    model: HurdleModel
    occ_params: np.ndarray
    occ_names: list[str]
    cnt_params: np.ndarray
    alpha: float
    cnt_names: list[str]
    ppb: np.ndarray
    fallback_level: float
    max_mu: float
    last_window: np.ndarray
    ref: pd.Timestamp
    start: pd.Timestamp
    occ_result: object = field(repr=False, default=None)
    cnt_result: object = field(repr=False, default=None)

    def __getstate__(self) -> dict:
        """Pickled (a stored fit, :mod:`.fits`) without the statsmodels results, which simulation does not use."""
        return {**self.__dict__, "occ_result": None, "cnt_result": None}

    def params(self) -> pd.Series:
        """All coefficients, named ``occurrence.<name>`` and ``boats.<name>`` (plus ``boats.alpha``)."""
        idx = [f"occurrence.{n}" for n in self.occ_names] + [f"boats.{n}" for n in self.cnt_names] + ["boats.alpha"]
        return pd.Series(np.r_[self.occ_params, self.cnt_params, self.alpha], index=idx)

    def simulate(self, horizon: int, n_paths: int, rng: np.random.Generator) -> Paths:
        """``n_paths`` paths of ``horizon`` days; recent-activity features are updated along each path."""
        dates = pd.date_range(self.start, periods=horizon, freq="D")
        cal = F.calendar(dates, self.ref, self.model.harmonics, self.model.trend)
        cond = None
        if self.model.conditions is not None:
            cond = _conditions_matrix(self.model.conditions, dates, self.model.condition_columns)
            if np.isnan(cond).any():
                bad = dates[np.isnan(cond).any(axis=1)][0].date()
                raise InputError(f"no conditions for {bad}, a day to forecast", column="conditions")
        state = F.RecentState(np.tile(self.last_window, (n_paths, 1)), self.fallback_level)
        boats = np.zeros((n_paths, horizon), np.int64)
        k_cal = cal.shape[1]
        b_occ_cal, b_occ_rec = self.occ_params[:k_cal], self.occ_params[k_cal:k_cal + 3]
        b_cnt_cal, b_cnt_rec = self.cnt_params[:k_cal], self.cnt_params[k_cal:]
        size = 1.0 / self.alpha
        for t in range(horizon):
            occ_feat, cnt_feat = state.features()
            eta = cal[t] @ b_occ_cal + occ_feat @ b_occ_rec
            if cond is not None:
                eta = eta + cond[t] @ self.occ_params[k_cal + 3:]
            p = 1.0 / (1.0 + np.exp(-eta))
            crossed = rng.random(n_paths) < p
            # cap: a recent-level coefficient above 1 (fitted in years of fast growth) would feed on itself
            mu = np.minimum(np.exp(cal[t] @ b_cnt_cal + cnt_feat @ b_cnt_rec), self.max_mu)
            extra = (rng.poisson(mu) if self.alpha <= MIN_ALPHA
                     else rng.negative_binomial(size, size / (size + mu)))
            boats[:, t] = np.where(crossed, 1 + extra, 0)
            state.push(boats[:, t])
        ratio = rng.choice(self.ppb, size=boats.shape) if self.ppb.size else np.zeros(boats.shape)
        people = np.rint(boats * ratio).astype(np.int64)
        return Paths(self.start, boats, people)

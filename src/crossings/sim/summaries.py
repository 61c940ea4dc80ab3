"""The observed data a calibration sees (cut at ``until``) and the summary statistics it is fitted on.

One function, :func:`summarise`, turns daily series (observed: one row; simulated: one row per replicate) into the
same vector of summaries, using only the days, weeks and yearly figures the observations have: a day missing from
the official series is left out of both, never counted as zero. Why each statistic is there is in docs/model.md
("Calibration: summary statistics").

Yearly figures (prefecture, IOM) enter with *low weight*: their simulated value is multiplied by lognormal noise
(``ANNUAL_LOG_NOISE``) before the statistic is taken, an observation error that makes them less informative than
the official daily and weekly series.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ..errors import InputError

#: Log-sd of the observation error put on the yearly prefecture and IOM figures (their low weight).
ANNUAL_LOG_NOISE = 0.25
#: A month enters the monthly statistics when at least this many of its days are observed.
MIN_DAYS_PER_MONTH = 20
#: Weekly preventions of a year enter when at least this many weeks are observed.
MIN_WEEKS = 4
#: First day of the official daily series (SB_01).
DATA_START = date(2018, 1, 1)


@dataclass
class Observed:
    """The official series of a calibration window, nothing after ``until``.

    ``people``, ``boats``, ``uncontrolled`` are float arrays on ``dates`` (NaN = not published); ``weeks`` are the
    SB_02 week endings inside the window with ``prevented`` people; ``annual`` maps (year, outcome) to a yearly
    figure (only years that end on or before ``until``); ``vintage`` lists the releases (publication dates) used.
    """
    dates: pd.DatetimeIndex
    people: np.ndarray
    boats: np.ndarray
    uncontrolled: np.ndarray
    weeks: pd.DatetimeIndex
    prevented: np.ndarray
    annual: dict[tuple[int, str], float] = field(default_factory=dict)
    vintage: list[str] = field(default_factory=list)
    source: str = ""

    @property
    def start(self) -> date:
        return self.dates[0].date()

    @property
    def until(self) -> date:
        return self.dates[-1].date()

    def daily_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"date": self.dates, "migrants_arrived": self.people, "boats_arrived": self.boats})


def official_tables(db: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[str], str]:
    """(daily, weekly, release dates, where from): the store's newest values, or the bundled workbook if the store
    is empty."""
    from ..config import bundled_workbooks
    from ..store import Store
    store = Store(db, read_only=True) if db != ":memory:" else None
    try:
        if store is not None and not store.is_empty():
            rel = store.releases()
            return (store.daily(), store.weekly(), sorted({str(pd.Timestamp(d).date()) for d in rel["release_date"]}),
                    "the store")
    finally:
        if store is not None:
            store.close()
    wb = bundled_workbooks()[0]
    mem = Store(":memory:")
    mem.ingest(wb)
    rel = mem.releases()
    return (mem.daily(), mem.weekly(), sorted({str(pd.Timestamp(d).date()) for d in rel["release_date"]}),
            f"bundled workbook {wb.name}")


def observed_window(daily: pd.DataFrame, weekly: pd.DataFrame, until: date | None, years: int,
                    vintage: list[str] | None = None, source: str = "") -> Observed:
    """The calibration window: the ``years`` calendar years ending with ``until``'s (the last may be partial).

    Rows after ``until`` are dropped before anything is computed. ``until`` defaults to the last published day.
    """
    d = daily.assign(date=pd.to_datetime(daily["date"])).sort_values("date")
    last = d.loc[d["migrants_arrived"].notna(), "date"].max()
    if pd.isna(last):
        raise InputError("the official daily series is empty")
    if until is None:
        until = last.date()
    if until < DATA_START or pd.Timestamp(until) < d["date"].min():
        raise InputError(f"--until {until} is before the official daily series starts "
                         f"({d['date'].min().date()})")
    until_ts = min(pd.Timestamp(until), last)
    d = d[d["date"] <= until_ts]
    start = pd.Timestamp(date(until_ts.year - years + 1, 1, 1))
    dates = pd.date_range(max(start, d["date"].min()), until_ts, freq="D")
    if len(dates) < 60:
        raise InputError(f"--until {until}: only {len(dates)} days of data in the window; need at least 60")
    d = d.drop_duplicates("date").set_index("date").reindex(dates)

    def col(name: str) -> np.ndarray:
        return pd.to_numeric(d[name], errors="coerce").to_numpy(dtype=float) if name in d else np.full(len(dates),
                                                                                                       np.nan)
    w = weekly.assign(week_ending=pd.to_datetime(weekly["week_ending"]))
    w = w[(w["week_ending"] <= until_ts) & (w["week_ending"] - pd.Timedelta(days=6) >= dates[0])
          & w["migrants_prevented"].notna()]
    annual = {}
    from .validation import observations
    for y in sorted(set(dates.year)):
        if date(y, 12, 31) > until_ts.date():
            continue                                 # a year's figure is published after it ends
        for o in observations(y, d.reset_index(names="date"), weekly.iloc[:0]):
            if o["model"] in ANNUAL_MODEL and o["start"].year == y:
                key = (y, ANNUAL_MODEL[o["model"]] if o["observable"] != "deaths at sea (IOM)" else "deaths_iom")
                annual[key] = float(o["observed"])
    return Observed(dates=dates, people=col("migrants_arrived"), boats=col("boats_arrived"),
                    uncontrolled=col("uncontrolled_landings"),
                    weeks=pd.DatetimeIndex(w["week_ending"]),
                    prevented=w["migrants_prevented"].to_numpy(dtype=float), annual=annual,
                    vintage=list(vintage or []), source=source)


#: Yearly figures used (prefecture / IOM) -> the simulated outcome they are compared with.
ANNUAL_MODEL = {"people_launched": "people_set_off", "launches": "boats_set_off", "migrants_rescued": "rescued",
                "deaths": "deaths"}


@dataclass(frozen=True)
class Layout:
    """Which statistics a window has (decided from the observations once, applied to every simulation)."""
    names: tuple[str, ...]
    months: tuple[tuple[int, np.ndarray], ...]          # (yyyymm, observed-day mask in the window)
    quarters: tuple[tuple[int, np.ndarray], ...]
    years: tuple[tuple[int, np.ndarray], ...]
    week_rows: tuple[tuple[int, np.ndarray, np.ndarray], ...]   # (year, day index of each week's 7 days, obs)
    has_uncontrolled: bool
    annual: tuple[tuple[int, str, float], ...]
    year_days: tuple[tuple[int, np.ndarray], ...]       # (year, every window day of that year)


def layout(obs: Observed) -> Layout:
    """The statistics available in ``obs``: months with enough observed days, quarters, years, SB_02 weeks."""
    ok = ~np.isnan(obs.people) & ~np.isnan(obs.boats)
    ym = obs.dates.year * 100 + obs.dates.month
    months = tuple((int(k), ok & (ym == k)) for k in np.unique(ym) if (ok & (ym == k)).sum() >= MIN_DAYS_PER_MONTH)
    yq = obs.dates.year * 10 + (obs.dates.month - 1) // 3 + 1
    quarters = tuple((int(k), ok & (yq == k)) for k in np.unique(yq) if (ok & (yq == k)).sum() >= 30)
    years = tuple((int(y), ok & (obs.dates.year == y)) for y in np.unique(obs.dates.year)
                  if (ok & (obs.dates.year == y)).sum() >= 60)
    week_rows = []
    for y in sorted(set(obs.weeks.year)):
        sel = obs.weeks.year == y
        if sel.sum() < MIN_WEEKS:
            continue
        idx = np.stack([obs.dates.get_indexer(pd.date_range(e - pd.Timedelta(days=6), e)) for e in obs.weeks[sel]])
        keep = (idx >= 0).all(axis=1)
        if keep.sum() >= MIN_WEEKS:
            week_rows.append((int(y), idx[keep], obs.prevented[sel][keep]))
    unc = bool((~np.isnan(obs.uncontrolled)).sum() >= 60)
    annual = tuple((y, k, v) for (y, k), v in sorted(obs.annual.items()))
    names = ([f"log_people_{k}" for k, _ in months] + [f"crossing_share_{k}" for k, _ in months]
             + [f"log_people_per_boat_q{k}" for k, _ in quarters]
             + [f"{s}_{y}" for y, _ in years for s in ("boats_per_crossing_day", "log_dispersion_boats",
                                                       "max_boats_day", "crossing_spell_days", "pause_spell_days")]
             + [f"{s}_{y}" for y, _, _ in week_rows for s in ("log_prevented", "prevented_share")]
             + (["log_uncontrolled_landings"] if unc else [])
             + [f"log_{k}_{y}_annual" for y, k, _ in annual])
    year_days = tuple((int(y), np.asarray(obs.dates.year == y)) for y in np.unique(obs.dates.year))
    return Layout(tuple(names), months, quarters, years, tuple(week_rows), unc, annual, year_days)


def _mean_spell(x: np.ndarray, value: bool) -> np.ndarray:
    """Mean length of runs of ``value`` in each row of boolean ``x`` (R, T); 0 where there is none."""
    R, T = x.shape
    hit = x == value
    starts = hit & ~np.concatenate([np.zeros((R, 1), bool), hit[:, :-1]], axis=1)
    n = starts.sum(axis=1)
    return np.divide(hit.sum(axis=1), n, out=np.zeros(R), where=n > 0)


def summarise(lay: Layout, series: dict[str, np.ndarray], rng: np.random.Generator | None = None) -> np.ndarray:
    """Summary statistics ``(R, len(lay.names))`` of daily series on the window's days.

    ``series``: ``migrants_arrived``, ``boats_arrived`` (and, as the layout needs, ``migrants_prevented``,
    ``uncontrolled_landings``, ``migrants_rescued``, ``deaths``, ``launches``), arrays ``(R, T)`` (NaN allowed
    only on days the layout leaves out). ``rng`` draws the low-weight noise of yearly figures (None: no noise,
    for observations).
    """
    people = np.asarray(series["migrants_arrived"], dtype=float)
    boats = np.asarray(series["boats_arrived"], dtype=float)
    people = np.atleast_2d(people)
    boats = np.atleast_2d(boats)
    R = people.shape[0]
    cols = []
    for _, m in lay.months:
        cols.append(np.log1p(np.nansum(people[:, m], axis=1)))
    for _, m in lay.months:
        cols.append((boats[:, m] > 0).mean(axis=1))
    for _, m in lay.quarters:
        cols.append(np.log((np.nansum(people[:, m], axis=1) + 1.0) / (np.nansum(boats[:, m], axis=1) + 1.0 / 50)))
    for _, m in lay.years:
        b = boats[:, m]
        cross = b > 0
        n = cross.sum(axis=1)
        mean = np.divide(b.sum(axis=1), n, out=np.zeros(R), where=n > 0)
        b_c = np.where(cross, b, np.nan)
        with np.errstate(all="ignore"):
            var = np.nanvar(b_c, axis=1)
        disp = np.log(np.divide(var, mean, out=np.ones(R), where=mean > 0) + 0.1)
        cols += [mean, np.nan_to_num(disp, nan=np.log(1.1)), b.max(axis=1),
                 _mean_spell(cross, True), _mean_spell(cross, False)]
    if lay.week_rows:
        prev = np.atleast_2d(np.asarray(series["migrants_prevented"], dtype=float))
        for _, idx, _ in lay.week_rows:
            p = prev[:, idx].sum(axis=(1, 2)) if idx.ndim == 2 else prev[:, idx].sum(axis=1)
            a = people[:, idx].sum(axis=(1, 2))
            cols += [np.log1p(p), p / np.maximum(p + a, 1.0)]
    if lay.has_uncontrolled:
        u = np.atleast_2d(np.asarray(series["uncontrolled_landings"], dtype=float))
        cols.append(np.log1p(np.nansum(u, axis=1)))
    for y, k, _ in lay.annual:
        v = _annual_value(series, k, lay, y)
        if rng is not None:
            v = v * np.exp(rng.normal(0.0, ANNUAL_LOG_NOISE, R))
        cols.append(np.log1p(v))
    return np.stack(cols, axis=1) if cols else np.zeros((R, 0))


def _annual_value(series: dict[str, np.ndarray], key: str, lay: Layout, year: int) -> np.ndarray:
    """A simulated yearly figure: people set off = arrived + rescued + deaths (prevented at sea is nil under the
    doctrine the data come from), boats set off = launches, rescued, deaths."""
    m = dict(lay.year_days)[year]

    def tot(name):
        return np.atleast_2d(np.asarray(series[name], dtype=float))[:, m].sum(axis=1)
    if key == "people_set_off":
        return tot("migrants_arrived") + tot("migrants_rescued") + tot("deaths")
    if key == "boats_set_off":
        return tot("launches")
    if key == "rescued":
        return tot("migrants_rescued")
    return tot("deaths")                                # deaths (prefecture) or deaths_iom


def observed_summaries(lay: Layout, obs: Observed) -> np.ndarray:
    """The summaries of the observations themselves (one row)."""
    series = {"migrants_arrived": obs.people[None], "boats_arrived": obs.boats[None],
              "uncontrolled_landings": obs.uncontrolled[None]}
    zeros = np.zeros((1, len(obs.dates)))
    series.update({k: zeros for k in ("migrants_prevented", "migrants_rescued", "deaths", "launches")})
    cols = summarise(lay, series, None)
    # the weekly and yearly statistics come from the published figures, not from daily series
    names = list(lay.names)
    for y, idx, prevented in lay.week_rows:
        p = prevented.sum()
        a = np.nansum(obs.people[idx])
        cols[0, names.index(f"log_prevented_{y}")] = np.log1p(p)
        cols[0, names.index(f"prevented_share_{y}")] = p / max(p + a, 1.0)
    for y, k, v in lay.annual:
        cols[0, names.index(f"log_{k}_{y}_annual")] = np.log1p(v)
    if not np.isfinite(cols).all():
        bad = [n for n, v in zip(names, cols[0]) if not np.isfinite(v)]
        raise InputError(f"observed summaries not finite: {', '.join(bad[:5])}")
    return cols[0]

"""What happened after an event, against what was expected before it: a comparison, not a causal estimate.

For an event on day E and N weeks: the forecast is made as of E - 1 (only releases published before the event,
:func:`crossings.forecast.forecast_from_store`; when the store holds no release that old, from the later releases'
values of the days before E, and the note says so), for the N official weeks (ending Sunday) from the one holding E.
Each week's observed arrivals (the newest published values) are set against the forecast's median and 90% interval
(5% and 95% quantiles). The N weeks' total is set against the forecast's distribution of that total (the sum of
the same paths over the N weeks, so its interval is not a sum of weekly intervals), with the percentile of the
observed total among the paths, and against the same weeks (same calendar days) of earlier years.
Once all N weeks are published, the event is said to be followed by more (fewer) arrivals than expected when the
observed total is above (below) the total's 90% interval; before that, when the observation is above (below) the
weekly interval in at least half of the published weeks. Weather, season, other events and the model's own errors
all confound this: it does not say that the event caused anything.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from ..errors import InputError
from . import Event

CAVEAT = ("This is a comparison, not a causal estimate: weather, season, other events and the forecast's own errors "
          "all affect the weeks after an event.")
LOW, HIGH = "people_0.05", "people_0.95"
TOTAL_LEVELS = (0.05, 0.5, 0.95)  # the N-week total's 90% interval and median
MIN_DAYS_BEFORE = 60  # what crossings.forecast needs to fit


class Position:
    ABOVE, INSIDE, BELOW = "above", "inside", "below"


@dataclass
class Impact:
    """The comparison for one event; :meth:`to_dict` is the JSON form."""

    event: Event
    weeks: int
    forecast_as_of: date
    forecast_note: str
    weekly: pd.DataFrame  # week_ending, observed, forecast_median, forecast_low_90, forecast_high_90, position
    earlier_years: pd.DataFrame  # year, start, end, people
    observed_total: int | None  # None until every day of the N weeks is published
    forecast_median_total: float  # median over paths of the N weeks' total
    forecast_total_low_90: float
    forecast_total_high_90: float
    observed_total_percentile: float | None  # share of paths below the observed total (ties count half), in %
    verdict: str

    def to_dict(self) -> dict:
        def rows(df: pd.DataFrame) -> list[dict]:
            out = []
            for r in df.to_dict("records"):
                out.append({k: (v.isoformat() if isinstance(v, (date, pd.Timestamp)) else
                                (None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA
                                 else v)) for k, v in r.items()})
            return out
        return {"event": {"id": self.event.id, "date": self.event.date.isoformat(), "title": self.event.title,
                          "kind": self.event.kind.value, "sources": list(self.event.sources)},
                "weeks": self.weeks, "forecast_as_of": self.forecast_as_of.isoformat(),
                "forecast_note": self.forecast_note, "weekly": rows(self.weekly),
                "earlier_years": rows(self.earlier_years), "observed_total": self.observed_total,
                "forecast_median_total": self.forecast_median_total,
                "forecast_total_low_90": self.forecast_total_low_90,
                "forecast_total_high_90": self.forecast_total_high_90,
                "observed_total_percentile": self.observed_total_percentile,
                "verdict": self.verdict, "caveat": CAVEAT}


def _position(obs, lo: float, hi: float) -> str | None:
    if obs is None or obs is pd.NA or pd.isna(obs):
        return None
    return Position.ABOVE if obs > hi else Position.BELOW if obs < lo else Position.INSIDE


def total_summary(samples: "np.ndarray", observed: int | None) -> tuple[float, float, float, float | None]:
    """Median and 90% interval of the paths' totals (``samples``: paths x weeks), and the observed total's
    percentile among them (share of paths below it, ties counting half, in %)."""
    import numpy as np
    totals = samples.sum(axis=1)
    lo, med, hi = (round(float(v), 1) for v in np.quantile(totals, TOTAL_LEVELS))
    if observed is None:
        return med, lo, hi, None
    pct = 100.0 * (float((totals < observed).mean()) + 0.5 * float((totals == observed).mean()))
    return med, lo, hi, round(pct, 1)


def _window_total(daily: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> int | None:
    """Arrivals from ``start`` to ``end`` inclusive; missing unless every day of it is published."""
    d = daily[(daily["date"] >= start) & (daily["date"] <= end)]
    if len(d) != (end - start).days + 1 or d["migrants_arrived"].isna().any():
        return None
    return int(d["migrants_arrived"].sum())


def event_impact(store, event: Event, weeks: int = 8, n_paths: int = 2000, seed: int = 0) -> Impact:
    """Compare the ``weeks`` weeks from the one holding ``event.date`` with the forecast made the day before."""
    from ..forecast import daily_series, forecast, forecast_from_store
    if weeks < 1:
        raise InputError("--weeks must be at least 1")
    as_of = event.date - timedelta(days=1)
    daily = store.daily()
    if daily.empty:
        raise InputError("the store holds no daily arrivals: run 'crossings ingest --bundled' or 'crossings fetch'")
    before = daily[daily["date"] <= pd.Timestamp(as_of)]
    if len(before) < MIN_DAYS_BEFORE:
        raise InputError(f"only {len(before)} days of arrivals before {event.date.isoformat()} (the series starts "
                         f"{daily['date'].min().date().isoformat()}): too few to forecast from (need "
                         f"{MIN_DAYS_BEFORE})")
    if store.daily(as_of=as_of).empty:  # no vintage before the event: later releases' values of the days before it
        fc = forecast(daily_series(daily, as_of=as_of), as_of, weeks=weeks + 1, n_paths=n_paths, seed=seed)
        fc.note += ("; no release published before the event is stored, so the days before it are taken from "
                    "later releases (revisions included)")
    else:
        fc = forecast_from_store(store, as_of=as_of, weeks=weeks + 1, n_paths=n_paths, seed=seed)
    # one week more than asked, then the N weeks from the one holding the event day: right whether the forecast's
    # first week is the one holding as_of or the one holding the day after it
    w = fc.weekly[fc.weekly["week_ending"] >= pd.Timestamp(event.date)].head(weeks).reset_index(drop=True)
    observed = [_window_total(daily, end - pd.Timedelta(days=6), end) for end in w["week_ending"]]
    weekly = pd.DataFrame({
        "week_ending": w["week_ending"].dt.date,
        "observed": pd.array(observed, dtype="Int64"),
        "forecast_median": w["people_0.5"].astype(float),
        "forecast_low_90": w[LOW].astype(float),
        "forecast_high_90": w[HIGH].astype(float)})
    weekly["position"] = [_position(o, lo, hi) for o, lo, hi in
                          zip(observed, weekly["forecast_low_90"], weekly["forecast_high_90"])]
    seen = weekly.dropna(subset=["position"])
    if seen.empty:
        raise InputError(f"the store has no complete week of arrivals after {event.date.isoformat()} yet")
    start = pd.Timestamp(w["week_ending"].iloc[0]) - pd.Timedelta(days=6)
    end = pd.Timestamp(w["week_ending"].iloc[-1])
    years = []
    first_year = int(daily["date"].min().year) if len(daily) else start.year
    for k in range(1, start.year - first_year + 1):
        s, e = start - pd.DateOffset(years=k), end - pd.DateOffset(years=k)
        years.append({"year": s.year, "start": s.date(), "end": e.date(), "people": _window_total(daily, s, e)})
    earlier = pd.DataFrame(years, columns=["year", "start", "end", "people"])
    earlier["people"] = pd.array(earlier["people"].tolist(), dtype="Int64")
    n, above, below = len(seen), int((seen["position"] == Position.ABOVE).sum()), \
        int((seen["position"] == Position.BELOW).sum())
    total = int(seen["observed"].sum()) if n == weeks else None
    rows = (fc.weekly["week_ending"] >= pd.Timestamp(event.date)).to_numpy().nonzero()[0][:weeks]
    med, lo, hi, pct = total_summary(fc.weekly_samples["people"][:, rows], total)
    weeks_said = f"above the weekly 90% interval in {above}, below in {below} of {n} weeks"
    if total is not None:
        where = _position(total, lo, hi)
        said = f"the {weeks} weeks' total {total:,} against {lo:,.0f}-{hi:,.0f} (percentile {pct:g})"
        if where == Position.ABOVE:
            verdict = f"more arrivals than forecast: {said}; {weeks_said}"
        elif where == Position.BELOW:
            verdict = f"fewer arrivals than forecast: {said}; {weeks_said}"
        else:
            verdict = f"within the forecast: {said}; {weeks_said}"
    elif above >= math.ceil(n / 2) and above > below:
        verdict = f"more arrivals than forecast: above the 90% interval in {above} of {n} weeks"
    elif below >= math.ceil(n / 2) and below > above:
        verdict = f"fewer arrivals than forecast: below the 90% interval in {below} of {n} weeks"
    else:
        verdict = (f"within the forecast: inside the 90% interval in {n - above - below} of {n} weeks "
                   f"({above} above, {below} below)")
    if n < weeks:
        verdict += f"; only {n} of the {weeks} weeks are published yet, so the total is not judged"
    return Impact(event, weeks, as_of, fc.note, weekly, earlier, total, med, lo, hi, pct, verdict)

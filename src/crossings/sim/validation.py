"""How a scenario's ensemble compares with what was observed: official series, prefecture figures, IOM deaths.

``check_against_observed`` runs the scenario in blocks (block ``i`` draws from ``SeedSequence(seed).spawn(n)[i]``,
as the ensemble runner does), sums each replicate over the window each observation covers, and returns one row
per observable with the observed value, its source, and the ensemble's median and 50% / 90% intervals.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ..config import bundled_path
from ..errors import InputError
from .model import scenario_calendar, simulate_detail
from .params import draw_parameters
from .scenario import Scenario, load_scenario
from .seastate import WeatherGenerator, fit_weather_generator

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def _official_daily_weekly() -> tuple[pd.DataFrame, pd.DataFrame]:
    from ..config import bundled_workbooks
    from ..sources.homeoffice_ods import WorkbookReader
    rel = WorkbookReader().read(bundled_workbooks()[0])
    return rel.daily, rel.weekly


def observations(year: int, daily: pd.DataFrame | None = None, weekly: pd.DataFrame | None = None) -> list[dict]:
    """Observed totals of ``year``: each a dict with ``observable``, ``model`` (daily series name), ``observed``,
    ``start``/``end`` (window it covers) and ``source``. Official tables default to the bundled workbook."""
    if daily is None or weekly is None:
        d, w = _official_daily_weekly()
        daily = d if daily is None else daily
        weekly = w if weekly is None else weekly
    obs = []
    d = daily.assign(date=pd.to_datetime(daily["date"]))
    d = d[(d["date"].dt.year == year) & d["migrants_arrived"].notna()]
    if len(d):
        s, e = d["date"].min().date(), d["date"].max().date()
        for col, what in (("migrants_arrived", "people arrived"), ("boats_arrived", "boats arrived")):
            obs.append({"observable": what, "model": col, "observed": float(d[col].astype(float).sum()),
                        "start": s, "end": e, "source": f"Home Office SB_01, {s} to {e}"})
    w = weekly.assign(week_ending=pd.to_datetime(weekly["week_ending"]))
    w = w[(w["week_ending"].dt.year == year) & w["migrants_prevented"].notna()]
    if len(w):
        s = max(date(year, 1, 1), (w["week_ending"].min() - pd.Timedelta(days=6)).date())
        e = w["week_ending"].max().date()
        obs.append({"observable": "people prevented", "model": "migrants_prevented",
                    "observed": float(w["migrants_prevented"].astype(float).sum()), "start": s, "end": e,
                    "source": f"Home Office SB_02 (French estimates), weeks ending {w['week_ending'].min():%Y-%m-%d}"
                              f" to {e}"})
    pref = pd.read_csv(bundled_path("prefecture_annual_figures.csv"))
    row = pref[pref["year"] == year]
    if len(row):
        r = row.iloc[0]
        full = (date(year, 1, 1), date(year, 12, 31))
        src = "Prefecture maritime Manche et mer du Nord, annual figures"
        for col, model, what in (("people_attempting_crossing", "people_launched", "people who set off"),
                                 ("boats_attempting", "launches", "boats that set off"),
                                 ("people_rescued_at_sea", "migrants_rescued", "people rescued")):
            if pd.notna(r[col]):
                obs.append({"observable": what, "model": model, "observed": float(r[col]), "start": full[0],
                            "end": full[1], "source": src})
        if pd.notna(r["taxi_boat_share"]):
            obs.append({"observable": "taxi-boat share of boats that set off", "model": "taxi_share",
                        "observed": float(r["taxi_boat_share"]), "start": full[0], "end": full[1], "source": src})
        if pd.notna(r["migrant_deaths"]):
            dead = float(r["migrant_deaths"]) + (float(r["migrants_missing"]) if pd.notna(r["migrants_missing"]) else 0)
            obs.append({"observable": "deaths (dead + missing)", "model": "deaths", "observed": dead,
                        "start": full[0], "end": full[1], "source": src})
    iom = pd.read_csv(bundled_path("iom_missing_migrants.csv"))
    sea = iom[(iom["Incident year"] == year)
              & (iom["Cause of death (category)"].str.contains("Drowning", na=False)
                 | iom["Location of death"].str.contains("Channel", na=False))]
    if len(sea):
        obs.append({"observable": "deaths at sea (IOM)", "model": "deaths",
                    "observed": float(sea["No. dead/missing"].sum()), "start": date(year, 1, 1),
                    "end": date(year, 12, 31),
                    "source": "IOM Missing Migrants Project: drownings or incidents in the Channel"})
    return obs


def taxi_share(scenario: Scenario, n: int, seed: np.random.SeedSequence) -> np.ndarray:
    """Expected share of taxi-boats among boats that set off, per replicate (from its drawn parameters).

    A boat attempting is a taxi-boat with probability ``s`` (after displacement); a share of the Aa-canal ones is
    held by the tide (period mean); beach launches are stopped with the beach prevention probability; taxi-boats
    that set off include those then intercepted at sea.
    """
    p = draw_parameters(scenario.priors(), n, seed)
    pb = p["doctrine.beach_prevention.p_success"]
    cal = scenario_calendar(scenario)
    reported = slice(cal.n_warm_up, None)
    factor = float(np.mean(cal.taxi_factor[reported]))
    s = np.clip(factor * (p["boats.taxi_boat_share"] + p["adaptation.displacement_to_taxi"]
                          * (pb - p["adaptation.beach_prevention_reference"])), 0.0, 1.0)
    closed = 1.0 - float(np.mean(cal.aa_open_share[reported]))
    taxi_go = s * (1.0 - p["boats.aa_canal_share_of_taxi_boats"] * closed)
    beach_go = (1.0 - s) * (1.0 - pb)
    total = taxi_go + beach_go
    return np.divide(taxi_go, total, out=np.zeros_like(total), where=total > 0)


def check_against_observed(scenario: Scenario | str = "status_quo", replicates: int = 10_000, seed: int = 1,
                           block_size: int = 1000, daily: pd.DataFrame | None = None,
                           weekly: pd.DataFrame | None = None) -> pd.DataFrame:
    """Observed totals of the scenario's year next to the ensemble's median and 50% / 90% intervals."""
    sc = load_scenario(scenario) if not isinstance(scenario, Scenario) else scenario
    if sc.start.year != sc.end.year:
        raise InputError(f"scenario {sc.name}: the check needs a period within one year")
    obs = [o for o in observations(sc.start.year, daily, weekly) if o["start"] >= sc.start and o["end"] <= sc.end]
    dates = sc.dates()
    n_blocks = -(-replicates // block_size)
    totals = {i: [] for i in range(len(obs))}
    for b, child in enumerate(np.random.SeedSequence(seed).spawn(n_blocks)):
        n = min(block_size, replicates - b * block_size)
        r = simulate_detail(sc, n, child)
        for i, o in enumerate(obs):
            if o["model"] == "taxi_share":
                totals[i].append(taxi_share(sc, n, child))
                continue
            m = (dates >= pd.Timestamp(o["start"])) & (dates <= pd.Timestamp(o["end"]))
            totals[i].append(r[o["model"]][:, m].sum(axis=1))
    rows = []
    for i, o in enumerate(obs):
        x = np.concatenate(totals[i])
        q = np.quantile(x, QUANTILES)
        rows.append({"observable": o["observable"], "window": f"{o['start']} to {o['end']}",
                     "observed": o["observed"], "median": q[2], "q25": q[1], "q75": q[3], "q05": q[0], "q95": q[4],
                     "observed_quantile": float((x < o["observed"]).mean() + 0.5 * (x == o["observed"]).mean()),
                     "source": o["source"]})
    return pd.DataFrame(rows)


def fit_crossable_chain(daily: pd.DataFrame, scenario: Scenario | str = "status_quo", start: date | str = "2021-01-01",
                        end: date | str = "2025-12-18", iterations: int = 3, replicates: int = 200,
                        seed: int = 0) -> tuple[WeatherGenerator, np.ndarray]:
    """The crossable-day chain whose simulated crossing days (at least one boat arrived) match the official ones.

    Starts from the chain of crossing days, runs ``scenario`` over ``start``..``end`` with it, measures per month
    ``pi`` = P(at least one arrival | crossable), and refits with that correction
    (:func:`~crossings.sim.seastate.fit_weather_generator`), ``iterations`` times. Returns the chain and ``pi``.
    """
    sc = load_scenario(scenario) if not isinstance(scenario, Scenario) else scenario
    sc = sc.with_values(start=pd.Timestamp(start).date(), end=pd.Timestamp(end).date())
    pi = np.ones(12)
    gen = fit_weather_generator(daily, start, end)
    for i in range(iterations):
        gen = fit_weather_generator(daily, start, end, p_arrival_when_crossable=pi)
        run = sc.with_values(**{"sea_state.generator": gen.to_dict(digits=4)})
        r = simulate_detail(run, replicates, np.random.SeedSequence([seed, i]))
        months = np.asarray(run.dates().month) - 1
        crossable = np.bincount(months, weights=r["crossable"].sum(axis=0), minlength=12)
        crossing = np.bincount(months, weights=r["crossing_days"].sum(axis=0), minlength=12)
        pi = np.clip(np.divide(crossing, crossable, out=np.ones(12), where=crossable > 0), 0.05, 1.0)
    return fit_weather_generator(daily, start, end, p_arrival_when_crossable=pi), pi

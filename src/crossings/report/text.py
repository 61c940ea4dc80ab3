"""Number formats and the sentences that title the report's charts, each stating what the data shows."""
from __future__ import annotations

import pandas as pd


def fmt_int(v) -> str:
    """12,345; an en dash where the value is unknown."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return "–"
    return f"{int(round(float(v))):,}"


def fmt_pct(v, digits: int = 0, signed: bool = False) -> str:
    """A share (0.355) or a percentage change (16.0) as text; callers say which with ``signed``."""
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return "–"
    v = float(v)
    if signed:  # a change in percent: one decimal when it would otherwise read as +0%
        return f"{v:+.{max(digits, 1) if abs(v) < 1 else digits}f}%"
    return f"{100 * v:.{digits}f}%"


def fmt_date(v, short: bool = False) -> str:
    """18 December 2025 (or 18 Dec 2025)."""
    if v is None or v is pd.NA:
        return "–"
    ts = pd.Timestamp(v)
    return f"{ts.day} {ts.strftime('%b %Y' if short else '%B %Y')}"


def _more_less(pct: float) -> str:
    return "more" if pct >= 0 else "fewer"


def headlines(key: dict, daily: pd.DataFrame, year_tot: pd.DataFrame, prev: pd.DataFrame,
              prev_year: pd.DataFrame | None, cal_years: list[int]) -> dict:
    """One finding per chart, in words, computed from the data."""
    year = key["year"]
    t = {}
    pct = key.get("ytd_people_change_pct")
    if pct is not None:
        t["lede"] = (f"{fmt_int(key['ytd_people'])} people crossed the Channel in small boats in {year} up to "
                     f"{key['ytd_through']}, {abs(pct):.0f}% {_more_less(pct)} than by the same day of {year - 1}")
    else:
        t["lede"] = f"{fmt_int(key['ytd_people'])} people crossed the Channel in small boats in {year}"

    this = daily[daily["date"].dt.year == year]
    if this["migrants_arrived"].notna().any():
        i = this["migrants_arrived"].astype("float64").idxmax()
        t["daily"] = (f"Crossings come in bursts: the busiest day of {year} was {fmt_date(this.loc[i, 'date'])}, "
                      f"with {fmt_int(this.loc[i, 'migrants_arrived'])} people")
    else:
        t["daily"] = "Daily arrivals"

    if pct is not None:
        t["cumulative"] = (f"{year} is running {abs(pct):.0f}% {'ahead of' if pct >= 0 else 'behind'} "
                           f"{year - 1} at this point in the year")
    else:
        t["cumulative"] = "Arrivals accumulated through each year"

    yt = year_tot.set_index("period")
    base = yt[(yt["boats"].astype("float64") >= 100) & yt["complete"]]
    ppb_now = key.get("people_per_boat_ytd")
    if len(base) and ppb_now is not None:
        first_year, first_ppb = base.index[0], float(base["people_per_boat"].iloc[0])
        word = "up" if ppb_now >= first_ppb else "down"
        crowd = "more crowded than ever" if ppb_now >= float(yt["people_per_boat"].astype("float64").max()) else (
            "more crowded" if ppb_now >= first_ppb else "less crowded")
        t["people_per_boat"] = (f"Boats are {crowd}: {ppb_now:.0f} people per boat on average in {year}, "
                                f"{word} from {first_ppb:.0f} in {first_year}")
    else:
        t["people_per_boat"] = "People per boat"

    share = key.get("share_crossing_days_ytd")
    t["calendar"] = (f"Boats crossed on {key['crossing_days_ytd']} of {key['recorded_days_ytd']} days in {year} "
                     f"({fmt_pct(share)})"
                     if share is not None else "Days with crossings")

    if prev_year is not None and len(prev_year):
        py = prev_year.set_index("year")
        y = year if year in py.index else int(py.index.max())
        t["preventions"] = (f"French authorities stopped {fmt_pct(py.loc[y, 'share_prevented'])} of the people "
                            f"seen trying to cross in {y}")
    else:
        t["preventions"] = "Preventions in France against arrivals in the UK"
    return t

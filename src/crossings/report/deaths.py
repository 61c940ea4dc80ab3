"""The report's deaths-and-incidents section and the event markers on the daily and cumulative charts.

:func:`report_extras` reads what the section needs from a store (nothing if no IOM release is stored) and the
shipped events timeline; :func:`mark_events` draws numbered event markers on a chart, listed under it with their
titles and sources.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
from markupsafe import Markup

from . import charts

MAP_SOURCE = ("Incidents: IOM Missing Migrants Project, CC BY 4.0 (minimum estimates). Coastline: GSHHG (Wessel and "
              "Smith), LGPL. Launch areas, ports and landing places: public place coordinates (approximate).")
EVENT_COLOR = "#8a1c1c"


def mark_events(ax, marks: list[tuple[float, int]], narrow: bool) -> None:
    """Dashed vertical lines at ``x`` with their number at the top of the axes."""
    for x, number in marks:
        ax.axvline(x, color=EVENT_COLOR, linewidth=0.8, linestyle=(0, (3, 2)), zorder=4, alpha=0.8)
        ax.annotate(str(number), (x, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 2),
                    textcoords="offset points", ha="center", va="bottom", fontsize=7 if narrow else 7.5,
                    color=EVENT_COLOR, fontweight="bold")


def events_between(events: list | None, start: pd.Timestamp, end: pd.Timestamp) -> list:
    """The events dated from ``start`` to ``end``, numbered 1, 2, ... in date order."""
    if not events:
        return []
    return [e for e in events if start.date() <= e.date <= end.date()]


def _year_chart(by_year: pd.DataFrame, width_in: float) -> str:
    import matplotlib.pyplot as plt
    narrow = charts._narrow(width_in)
    with plt.rc_context(charts.RC):
        fig, ax = charts._fig(width_in, 2.6 if not narrow else 2.4)
        x = by_year["year"].to_numpy()
        sea = by_year["dead_missing_sea"].astype("float64").fillna(0).to_numpy()
        land = by_year["dead_missing_land"].astype("float64").fillna(0).to_numpy()
        ax.bar(x, sea, color=charts.NAVY, width=0.7, label="at sea")
        ax.bar(x, land, bottom=sea, color=charts.ORANGE, width=0.7, label="on land")
        ax.set_xticks(x[::2] if narrow else x, [str(v) for v in (x[::2] if narrow else x)])
        return charts._svg(fig, f"deaths-year-{width_in:g}", "Dead and missing per year, at sea and on land")


def _rate_chart(rates: pd.DataFrame, width_in: float) -> str:
    import matplotlib.pyplot as plt
    r = rates.dropna(subset=["dead_missing_sea_per_1000_arrived"])
    narrow = charts._narrow(width_in)
    with plt.rc_context(charts.RC):
        fig, ax = charts._fig(width_in, 2.4 if not narrow else 2.2)
        x = r["year"].to_numpy()
        y = r["dead_missing_sea_per_1000_arrived"].astype("float64").to_numpy()
        ax.bar(x, y, color=charts.NAVY, width=0.7)
        for xi, yi in zip(x, y):
            ax.annotate(f"{yi:.1f}", (xi, yi), xytext=(0, 2), textcoords="offset points", ha="center",
                        fontsize=7.5, color=charts.MUTED)
        ax.set_xticks(x, [str(v) for v in x])
        return charts._svg(fig, f"deaths-rate-{width_in:g}",
                           "Dead and missing at sea per 1,000 people arriving")


def _both(fn, *args) -> Markup:
    return Markup(f'<div class="wide">{fn(*args, charts.WIDE_IN)}</div>'
                  f'<div class="narrow">{fn(*args, charts.NARROW_IN)}</div>')


def deaths_section(store, daily: pd.DataFrame) -> dict | None:
    """Charts, tables and source lines of the deaths-and-incidents section; None without IOM incidents."""
    from ..analysis.deaths import (AREA_NOTE, MINIMUM_NOTE, SETTING_NOTE, deaths_by_area, deaths_by_year,
                                   deaths_per_1000, incidents_frame, prefecture_frame)
    from .map import incident_map
    inc = incidents_frame(store)
    if inc.empty:
        return None
    by_year = deaths_by_year(inc)
    rates = deaths_per_1000(inc, daily, prefecture_frame(store))
    rel = inc["release_date"].iloc[0]
    return {
        "year_chart": _both(_year_chart, by_year),
        "rate_chart": _both(_rate_chart, rates),
        "map": Markup(f'<div class="wide">{incident_map(inc, charts.WIDE_IN)}</div>'
                      f'<div class="narrow">{incident_map(inc, charts.NARROW_IN)}</div>'),
        "by_year": by_year.iloc[::-1].to_dict("records"),
        "by_area": deaths_by_area(inc).to_dict("records"),
        "per_attempt": rates.dropna(subset=["dead_missing_sea_per_1000_attempting"]).to_dict("records"),
        "total": int(by_year["dead_missing"].sum()),
        "first_year": int(by_year["year"].min()), "last_year": int(by_year["year"].max()),
        "release_date": rel.isoformat() if isinstance(rel, date) else str(rel),
        "minimum_note": MINIMUM_NOTE, "setting_note": SETTING_NOTE, "area_note": AREA_NOTE,
        "map_source": MAP_SOURCE,
    }


def report_extras(store, daily: pd.DataFrame) -> dict:
    """What the report adds beyond the Home Office series: ``deaths`` (or None) and the ``events`` timeline."""
    from ..events import timeline
    return {"deaths": deaths_section(store, daily), "events": timeline()}

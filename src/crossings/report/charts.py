"""The report's charts as inline SVG strings, drawn with matplotlib (no files, no external fonts).

Text is left as SVG text (``svg.fonttype = 'none'``) so the page's own fonts apply and the figures stay small.
Every function takes analysis DataFrames and returns one ``<svg>`` element sized by its viewBox.
"""
from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

INK, MUTED, GRID = "#1f2328", "#6a737d", "#e3e5e8"
NAVY, ORANGE, PALE, OLD = "#1f4e79", "#d9622b", "#a9bdd2", "#c4c9cf"
WIDE_IN, NARROW_IN = 7.0, 3.9  # desktop and phone versions; the page shows one or the other
RC = {
    "svg.fonttype": "none", "font.family": "sans-serif",
    "font.sans-serif": ["Helvetica Neue", "Arial", "Liberation Sans", "DejaVu Sans"],
    "font.size": 9.5, "axes.edgecolor": MUTED, "axes.labelcolor": MUTED, "axes.linewidth": 0.8,
    "xtick.color": MUTED, "ytick.color": MUTED, "xtick.labelsize": 9, "ytick.labelsize": 9,
    "axes.spines.top": False, "axes.spines.right": False, "axes.spines.left": False,
    "axes.grid": True, "axes.grid.axis": "y", "grid.color": GRID, "grid.linewidth": 0.8,
    "ytick.major.size": 0, "xtick.major.size": 3, "axes.axisbelow": True, "text.color": INK,
    "legend.frameon": False,
}

_thousands = FuncFormatter(lambda v, _: f"{v:,.0f}")


def _svg(fig, name: str, label: str) -> str:
    """The figure as an <svg> element: no XML prolog, no fixed size, ids unique to this chart, an accessible label."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"crossings-{name}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight",
                    pad_inches=0.04)
    plt.close(fig)
    s = buf.getvalue()
    s = s[s.index("<svg"):]
    s = re.sub(r"\s*<metadata>.*?</metadata>", "", s, flags=re.S)  # RDF boilerplate, nothing a reader sees
    s = re.sub(r'<svg([^>]*?)\swidth="[^"]*"\sheight="[^"]*"', r"<svg\1", s, count=1)
    s = s.replace("<svg", f'<svg class="chart-svg" role="img" aria-label="{label}" data-chart="{name}"', 1)
    # ids: prefix with the chart name so several charts on one page never share one
    return re.sub(r'(id="|url\(#|xlink:href="#|href="#)([A-Za-z])', rf"\1{name}-\2", s)


def _fig(width_in: float, height_in: float):
    fig, ax = plt.subplots(figsize=(width_in, height_in))
    return fig, ax


def _narrow(width_in: float) -> bool:
    return width_in < 5


def _quarters(ax, width_in: float) -> None:
    """Month ticks on a date axis: every quarter (every half year when narrow), the year under January."""
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7) if _narrow(width_in) else (1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda v, _: mdates.num2date(v).strftime("%b\n%Y" if mdates.num2date(v).month == 1 else "%b")))


def both(fn, *args, **kw) -> dict[str, str]:
    """A chart drawn at both widths: {'wide': svg, 'narrow': svg}."""
    return {"wide": fn(*args, width_in=WIDE_IN, **kw), "narrow": fn(*args, width_in=NARROW_IN, **kw)}


def daily_chart(roll: pd.DataFrame, since: pd.Timestamp, width_in: float = WIDE_IN,
                events: list | None = None) -> str:
    """Daily arrivals (shaded steps, one path rather than hundreds of bars) and their 7-day mean (line)."""
    r = roll[roll["date"] >= since]
    with plt.rc_context(RC):
        fig, ax = _fig(width_in, 2.7 if not _narrow(width_in) else 2.4)
        ax.fill_between(r["date"], 0, r["people"].astype("float64").fillna(0), step="mid", color=PALE,
                        linewidth=0)
        ax.plot(r["date"], r["people_7d_mean"].astype("float64"), color=NAVY, linewidth=1.6)
        ax.yaxis.set_major_formatter(_thousands)
        ax.yaxis.set_major_locator(MaxNLocator(4 if _narrow(width_in) else 5))
        _quarters(ax, width_in)
        ax.set_xlim(r["date"].iloc[0] - pd.Timedelta(days=1), r["date"].iloc[-1] + pd.Timedelta(days=1))
        ax.set_ylim(bottom=0)
        if events:  # numbered (n, event) pairs, listed under the chart
            from .deaths import mark_events
            mark_events(ax, [(pd.Timestamp(e.date), n) for n, e in events], _narrow(width_in))
        return _svg(fig, f"daily-{width_in:g}", "Daily arrivals with 7-day mean")


def _spread(ys: list[float], gap: float) -> list[float]:
    """Label positions moved apart so that no two are closer than ``gap`` (order kept, pushed upward)."""
    order = np.argsort(ys)
    out = np.array(ys, dtype=float)
    for k in range(1, len(order)):
        a, b = order[k - 1], order[k]
        if out[b] - out[a] < gap:
            out[b] = out[a] + gap
    return list(out)


def cumulative_chart(daily: pd.DataFrame, width_in: float = WIDE_IN, events: list | None = None) -> str:
    """Arrivals accumulated through each year by day of year: one line per year, the latest highlighted."""
    d = daily[["date", "migrants_arrived"]].copy()
    d["year"], d["doy"] = d["date"].dt.year, d["date"].dt.day_of_year
    latest = int(d["year"].max())
    narrow = _narrow(width_in)
    with plt.rc_context(RC):
        fig, ax = _fig(width_in, 3.3 if not narrow else 3.0)
        ends = []
        for year, g in d.groupby("year"):
            cum = g["migrants_arrived"].astype("float64").fillna(0).cumsum()
            now, prev = year == latest, year == latest - 1
            color, lw, z = (ORANGE, 2.4, 3) if now else ((NAVY, 1.6, 2) if prev else (OLD, 1.0, 1))
            ax.plot(g["doy"], cum, color=color, linewidth=lw, zorder=z, solid_capstyle="round")
            ends.append((int(year), float(g["doy"].iloc[-1]), float(cum.iloc[-1]), color, now))
        top = max(e[2] for e in ends)
        ax.set_ylim(0, top * 1.06)
        ys = _spread([e[2] for e in ends], gap=top * (0.065 if narrow else 0.05))
        for (year, x, _, color, now), y in zip(ends, ys):
            ax.annotate(str(year), (x, y), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=8.5, color=color if color != OLD else MUTED, fontweight="bold" if now else "normal")
        months = range(1, 13, 3 if narrow else 1)
        ax.set_xticks([pd.Timestamp(2023, m, 1).day_of_year for m in months],
                      [pd.Timestamp(2023, m, 1).strftime("%b") for m in months])
        ax.set_xlim(1, 366 + (40 if narrow else 28))
        ax.spines["bottom"].set_bounds(1, 366)
        ax.yaxis.set_major_formatter(_thousands)
        ax.yaxis.set_major_locator(MaxNLocator(4 if narrow else 5))
        if events:  # numbered (n, event) pairs of the latest year, at their day of year
            from .deaths import mark_events
            mark_events(ax, [(pd.Timestamp(e.date).day_of_year, n) for n, e in events], narrow)
        return _svg(fig, f"cumulative-{width_in:g}", "Cumulative arrivals by year")


def people_per_boat_chart(monthly: pd.DataFrame, min_boats: int = 5, width_in: float = WIDE_IN) -> str:
    """People per boat each month (months with fewer than ``min_boats`` boats left out as too noisy)."""
    m = monthly.reset_index(drop=True)
    ppb = m["people_per_boat"].astype("float64").where(m["boats"].astype("float64") >= min_boats)
    narrow = _narrow(width_in)
    with plt.rc_context(RC):
        fig, ax = _fig(width_in, 2.6 if not narrow else 2.4)
        ax.plot(m["start"], ppb, color=NAVY, linewidth=1.6)
        last = ppb.last_valid_index()
        if last is not None:
            ax.plot([m["start"][last]], [ppb[last]], "o", color=NAVY, markersize=4)
            ax.annotate(f"{ppb[last]:.0f}", (m["start"][last], ppb[last]), xytext=(5, 0),
                        textcoords="offset points", va="center", color=NAVY, fontweight="bold")
        ax.xaxis.set_major_locator(mdates.YearLocator(2 if narrow else 1))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.yaxis.set_major_locator(MaxNLocator(4 if narrow else 5, integer=True))
        ax.set_ylim(bottom=0)
        return _svg(fig, f"people-per-boat-{width_in:g}", "People per boat by month")


CAL_BOUNDS = [-1.5, -0.5, 0.5, 100, 300, 600, 1e9]
CAL_COLORS = ["#ffffff", "#eceff2", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]
CAL_LABELS = ["not recorded", "no boats", "1-99 people", "100-299", "300-599", "600 or more"]


def calendar_chart(daily: pd.DataFrame, years: list[int], width_in: float = WIDE_IN) -> str:
    """A calendar per year (weeks across, Monday to Sunday down), each day a square shaded by people arrived."""
    cmap, norm = ListedColormap(CAL_COLORS), BoundaryNorm(CAL_BOUNDS, len(CAL_COLORS))
    d = daily.set_index("date")["migrants_arrived"]
    narrow = _narrow(width_in)
    row_in = width_in * 7.6 / 54  # square cells: 54 week columns across, 7 days down, plus month labels
    with plt.rc_context({**RC, "axes.grid": False}):
        fig, axes = plt.subplots(len(years), 1, figsize=(width_in, row_in * len(years) + 0.1), squeeze=False)
        fig.subplots_adjust(left=0.08 if not narrow else 0.11, right=0.995, top=0.99, bottom=0.05, hspace=0.5)
        for ax, year in zip(axes[:, 0], years):
            days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
            jan1 = days[0].day_of_week
            vals = d.reindex(days).astype("float64").to_numpy()
            in_data = np.asarray((days >= d.index.min()) & (days <= d.index.max()))
            vals = np.where(np.isnan(vals) & in_data, -1, vals)  # inside the series but not recorded
            shown = ~np.isnan(vals)
            col = (np.arange(len(days)) + jan1) // 7
            row = days.day_of_week.to_numpy()
            ax.set_xlim(-0.6, 53.6)
            ax.set_ylim(6.6, -0.6)
            ax.set_aspect("equal")
            # marker side in points: one cell's width on the page, less a thin white gap
            cell_pt = ax.get_position().width * width_in * 72 / 54.2
            na = vals[shown] < 0
            ax.scatter(col[shown], row[shown], c=cmap(norm(vals[shown])), marker="s", s=(cell_pt * 0.84) ** 2,
                       edgecolors=np.where(na, MUTED, "none"), linewidths=np.where(na, 0.6, 0))
            months = pd.date_range(f"{year}-01-01", periods=12, freq="MS")
            step = 2 if narrow else 1
            ax.set_xticks([(m.day_of_year - 1 + jan1) // 7 for m in months[::step]],
                          [m.strftime("%b") for m in months[::step]])
            ax.set_yticks([])
            ax.tick_params(axis="x", length=0, labelsize=8, pad=1.5)
            for sp in ax.spines.values():
                sp.set_visible(False)
            ax.set_ylabel(str(year), rotation=0, ha="right", va="center", fontsize=9, color=INK,
                          fontweight="bold", labelpad=4)
        return _svg(fig, f"calendar-{width_in:g}", "Calendar of crossing days")


def preventions_chart(prev: pd.DataFrame, width_in: float = WIDE_IN) -> str:
    """Weekly people arrived in the UK (bars) and prevented from leaving France (stacked on top)."""
    p = prev.dropna(subset=["arrived"])
    arrived = p["arrived"].astype("float64")
    prevented = p["prevented"].astype("float64").fillna(0)
    with plt.rc_context(RC):
        fig, ax = _fig(width_in, 2.7 if not _narrow(width_in) else 2.4)
        ax.bar(p["week_ending"], arrived, width=5.6, color=NAVY, linewidth=0)
        ax.bar(p["week_ending"], prevented, bottom=arrived, width=5.6, color=ORANGE, linewidth=0)
        ax.yaxis.set_major_formatter(_thousands)
        ax.yaxis.set_major_locator(MaxNLocator(4 if _narrow(width_in) else 5))
        _quarters(ax, width_in)
        return _svg(fig, f"preventions-{width_in:g}", "Weekly arrivals and preventions")

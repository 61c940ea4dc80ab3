"""The headline figures ("key figures") from plain rows, with their labels and how each value is shown.

Plain Python on purpose: ``crossings stats`` reads the rows straight from DuckDB (:func:`key_figures_from_store`)
and prints them without importing pandas, so the command starts in well under a second.
:func:`crossings.analysis.key_figures` is the same computation on the daily and weekly DataFrames.

Definitions are those of the analysis tables (``crossings.analysis``): a *crossing day* has ``boats_arrived >= 1``;
year to date is 1 January through the same calendar day as the latest day (29 February -> 28 February); a count
not recorded (``None``) is never summed as zero; the current run is the run of identical state (crossing day,
day without crossings, not recorded) holding the latest day; preventions are counted by the year of the week's
last day (Sunday), over the weeks where both arrivals and preventions were recorded. Percentages and ratios are
rounded half to even as NumPy rounds (``round(x * 10**d) / 10**d``), which is what the tables show.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from .errors import InputError

KEY = "key"  # the name of the headline figures in ``stats --only`` and the JSON output

#: A day: (date, people arrived, boats arrived); a week: (week ending, people arrived, people prevented).
DayRow = tuple[date, int | None, int | None]
WeekRow = tuple[date, int | None, int | None]

# Headline figures: name -> (human label, how the value is shown). Kinds: count (12,345), pct_change (+16.0%),
# share (35.5%), ratio (61.2), text (as given).
KEY_LABELS: dict[str, tuple[str, str]] = {
    "latest_day": ("Latest day", "text"),
    "latest_day_people": ("People on the latest day", "count"),
    "latest_day_boats": ("Boats on the latest day", "count"),
    "year": ("Year", "text"),
    "ytd_through": ("Year to date through", "text"),
    "ytd_people": ("People this year to date", "count"),
    "ytd_boats": ("Boats this year to date", "count"),
    "ytd_people_previous_year": ("People, same days last year", "count"),
    "ytd_boats_previous_year": ("Boats, same days last year", "count"),
    "ytd_people_change_pct": ("Change in people against last year", "pct_change"),
    "ytd_boats_change_pct": ("Change in boats against last year", "pct_change"),
    "people_per_boat_ytd": ("People per boat this year", "ratio"),
    "people_per_boat_previous_year_ytd": ("People per boat, same days last year", "ratio"),
    "crossing_days_ytd": ("Crossing days this year", "count"),
    "recorded_days_ytd": ("Days recorded this year", "count"),
    "share_crossing_days_ytd": ("Share of days with crossings this year", "share"),
    "last_7_days_people": ("People in the last 7 days", "count"),
    "last_7_days_boats": ("Boats in the last 7 days", "count"),
    "record_day": ("Record day", "text"),
    "record_day_people": ("People on the record day", "count"),
    "current_run_kind": ("Current run", "text"),
    "current_run_days": ("Current run, days", "count"),
    "total_people": ("People since the series began", "count"),
    "total_boats": ("Boats since the series began", "count"),
    "first_day": ("First day of the series", "text"),
    "prevented_through": ("Preventions counted through", "text"),
    "prevented_year": ("Crossings prevented this year (people)", "count"),
    "arrived_prevention_weeks_year": ("People arrived in the same weeks", "count"),
    "share_prevented_year": ("Share prevented this year", "share"),
    "latest_release": ("Latest release", "text"),
}
NOT_KNOWN = "not known"
RUN_KINDS = {1: "crossing", 0: "quiet", -1: "not_recorded"}  # a day's state -> the run kind's name


def format_value(value: Any, kind: str) -> str:
    """A headline value as text: thousands separators, signed percentages, ``not known`` for a missing value."""
    if value is None or (isinstance(value, float) and value != value):
        return NOT_KNOWN
    if kind == "count":
        return f"{int(value):,}"
    if kind == "pct_change":
        return f"{float(value):+.1f}%"
    if kind == "share":
        return f"{float(value) * 100:.1f}%"
    if kind == "ratio":
        return f"{float(value):,.1f}"
    return str(value)


def figure_rows(figures: dict) -> list[tuple[str, str]]:
    """The headline figures as (human label, shown value) pairs, in dict order."""
    rows = []
    for name, value in figures.items():
        label, kind = KEY_LABELS.get(name, (name.replace("_", " ").capitalize(), "text"))
        rows.append((label, format_value(value, kind)))
    return rows


def _round(x: float, decimals: int) -> float:
    """``x`` rounded as ``numpy.round`` (and so pandas) rounds: scale, round half to even, scale back."""
    f = 10.0 ** decimals
    return round(x * f) / f


def _ratio(num: int | None, den: int | None, decimals: int) -> float | None:
    """num / den rounded, ``None`` where either is unknown or the denominator is 0."""
    if num is None or den is None or not den > 0:
        return None
    return _round(num / den, decimals)


def _sum(values: list[int | None]) -> int | None:
    """The sum of the known values, ``None`` if none is known (never a missing value counted as 0)."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _same_day(year: int, month: int, day: int) -> date:
    """The same calendar day in ``year``; 29 February becomes 28 February in a common year."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, 28)


def _calendar(days: Sequence[DayRow]) -> list[DayRow]:
    """The days on a complete calendar from the first to the last, a day absent from the input unknown."""
    rows = sorted(days, key=lambda r: r[0])
    for a, b in zip(rows, rows[1:]):
        if a[0] == b[0]:
            raise InputError(f"daily table has more than one row for {a[0]:%Y-%m-%d}")
    if not rows or (rows[-1][0] - rows[0][0]).days + 1 == len(rows):
        return rows
    given = {r[0]: r for r in rows}
    first, n = rows[0][0], (rows[-1][0] - rows[0][0]).days + 1
    return [given.get(d, (d, None, None)) for d in (first + timedelta(i) for i in range(n))]


def _year_window(days: list[DayRow], year: int, through: date) -> dict:
    """Year to date of ``year`` (1 January through ``through``): recorded days, people, boats, crossing days."""
    w = [r for r in days if r[0].year == year and r[0] <= through]
    boats = [r[2] for r in w]
    return {"days": sum(b is not None for b in boats), "people": _sum([r[1] for r in w]), "boats": _sum(boats),
            "crossing_days": sum(b is not None and b >= 1 for b in boats) if w else None}


def _current_run(days: list[DayRow]) -> dict:
    """The run of identical state holding the latest day: kind and length in days."""
    def state(boats):
        return -1 if boats is None else (1 if boats >= 1 else 0)
    last = state(days[-1][2])
    n = 0
    for r in reversed(days):
        if state(r[2]) != last:
            break
        n += 1
    return {"kind": RUN_KINDS[last], "days": n}


def _change_pct(now: int | None, before: int | None) -> float | None:
    if now is None or before is None or not before > 0:
        return None
    return _round(100 * ((now - before) / before), 1)


def _preventions(weeks: Sequence[WeekRow], year: int) -> dict:
    """This year's preventions and arrivals over the weeks where both were recorded, from the first week with a
    prevention count; ``None`` everywhere if that year has no such week (or no week is stored: daily pages only)."""
    none = dict.fromkeys(("prevented_through", "prevented_year", "arrived_prevention_weeks_year",
                          "share_prevented_year"))
    rows = sorted(weeks, key=lambda r: r[0])
    since = next((r[0] for r in rows if r[2] is not None), None)
    if since is None:
        return none
    w = [r for r in rows if r[0] >= since and r[0].year == year and r[1] is not None and r[2] is not None]
    if not w:
        return none
    arrived, prevented = sum(r[1] for r in w), sum(r[2] for r in w)
    return {"prevented_through": max(r[0] for r in w).isoformat(), "prevented_year": prevented,
            "arrived_prevention_weeks_year": arrived,
            "share_prevented_year": _ratio(prevented, arrived + prevented, 3)}


def figures_from_rows(days: Sequence[DayRow], weeks: Sequence[WeekRow] | None = None,
                      latest_release: date | None = None) -> dict:
    """The latest day, this year to date against the same window of last year, people per boat, share of crossing
    days, the last 7 days, the record day, the current run, this year's preventions (with ``weeks``) and the latest
    release (if given); ``None`` where unknown. ``days`` are (date, people, boats), one row per date."""
    df = _calendar(days)
    if not df:
        raise InputError("daily table is empty: ingest a release first (crossings ingest)")
    last = df[-1][0]
    this = _year_window(df, last.year, last)
    has_prev = last.year - 1 >= df[0][0].year
    prev = _year_window(df, last.year - 1, _same_day(last.year - 1, last.month, last.day)) if has_prev else None
    last7 = df[-7:]
    recorded = [r for r in df if r[1] is not None]
    rec = max(recorded, key=lambda r: (r[1], -r[0].toordinal())) if recorded else None  # earliest of the most
    run = _current_run(df)
    days_this_year = this["days"]
    f = {
        "latest_day": last.isoformat(),
        "latest_day_people": df[-1][1],
        "latest_day_boats": df[-1][2],
        "year": last.year,
        "ytd_through": last.strftime("%d %B").lstrip("0"),
        "ytd_people": this["people"],
        "ytd_boats": this["boats"],
        "ytd_people_previous_year": prev["people"] if prev else None,
        "ytd_boats_previous_year": prev["boats"] if prev else None,
        "ytd_people_change_pct": _change_pct(this["people"], prev["people"] if prev else None),
        "ytd_boats_change_pct": _change_pct(this["boats"], prev["boats"] if prev else None),
        "people_per_boat_ytd": _ratio(this["people"], this["boats"], 1),
        "people_per_boat_previous_year_ytd": _ratio(prev["people"], prev["boats"], 1) if prev else None,
        "crossing_days_ytd": this["crossing_days"],
        "recorded_days_ytd": days_this_year,
        "share_crossing_days_ytd": round(this["crossing_days"] / days_this_year, 3) if days_this_year else None,
        # The last 7 days are unknown as a whole if any of them was not recorded.
        "last_7_days_people": sum(r[1] for r in last7) if all(r[1] is not None for r in last7) else None,
        "last_7_days_boats": sum(r[2] for r in last7) if all(r[2] is not None for r in last7) else None,
        "record_day": rec[0].isoformat() if rec else None,
        "record_day_people": rec[1] if rec else None,
        "current_run_kind": run["kind"],
        "current_run_days": run["days"],
        "total_people": sum(r[1] for r in recorded),
        "total_boats": sum(r[2] for r in df if r[2] is not None),
        "first_day": df[0][0].isoformat(),
    }
    if weeks is not None:
        f.update(_preventions(weeks, last.year))
    if latest_release is not None:
        f["latest_release"] = latest_release.isoformat()
    return f


def key_figures_from_store(con) -> dict:
    """The headline figures of the newest values in the store (a DuckDB connection), as ``crossings stats``
    shows them: the rows are read with DuckDB alone, no DataFrame is built."""
    from .store.views import latest_rows
    daily = latest_rows(con, "daily", ["date", "migrants_arrived", "boats_arrived", "release_date"])
    weekly = latest_rows(con, "weekly", ["week_ending", "migrants_arrived", "migrants_prevented"])
    released = max((r[3] for r in daily), default=None)
    return figures_from_rows([r[:3] for r in daily], weekly, released)

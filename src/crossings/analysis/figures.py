"""Headline figures: a small dict of plain Python values (JSON-ready) for the report and ``crossings stats --only key``."""
from __future__ import annotations

import pandas as pd

from ..headline import figures_from_rows
from ._frame import prepare_daily, prepare_weekly, require_rows


def key_figures(daily: pd.DataFrame, weekly: pd.DataFrame | None = None) -> dict:
    """The latest day, this year to date against the same window of last year, people per boat, share of crossing
    days, the last 7 days, the record day, the current run, and this year's preventions; ``None`` where unknown.

    The tables are checked and put on a complete calendar as for every statistic, then the figures are computed
    by :func:`crossings.headline.figures_from_rows` (the same code ``crossings stats`` runs on the store's rows).
    """
    df = prepare_daily(daily)
    require_rows(df, "daily")
    days = list(zip(_dates(df["date"]), _counts(df["migrants_arrived"]), _counts(df["boats_arrived"])))
    weeks = None
    if weekly is not None:
        w = prepare_weekly(weekly)
        weeks = list(zip(_dates(w["week_ending"]), _counts(w["migrants_arrived"]), _counts(w["migrants_prevented"])))
    released = None
    if "release_date" in daily.columns and len(daily):
        released = pd.Timestamp(max(daily["release_date"])).date()
    return figures_from_rows(days, weeks, released)


def _dates(s: pd.Series) -> list:
    return [t.date() for t in s]


def _counts(s: pd.Series) -> list[int | None]:
    """Counts as plain ints, ``None`` where not recorded."""
    return [None if v is pd.NA else int(v) for v in s]

"""The observatory's questions as plain functions of the daily and weekly tables, each returning a DataFrame.

``daily`` and ``weekly`` are the tables of :meth:`crossings.store.Store.daily` / ``weekly`` (or any frame with the same
columns). Counts are nullable ``Int64``; a count the official file marks '-' (not recorded) stays ``<NA>`` and is
never summed as zero.

>>> from crossings import analysis
>>> analysis.totals(daily, by="year")
>>> analysis.all_stats(daily, weekly)["runs"]
"""
from __future__ import annotations

from .figures import key_figures
from .preventions import preventions, preventions_by_year
from .records import record_days, records
from .rolling import rolling
from .runs import current_run, run_table, runs
from .totals import crossing_days, people_per_boat, totals, uncontrolled, year_to_date

__all__ = ["all_stats", "key_figures", "totals", "year_to_date", "people_per_boat", "crossing_days", "uncontrolled",
           "runs", "run_table", "current_run", "records", "record_days", "rolling", "preventions",
           "preventions_by_year"]


def all_stats(daily, weekly) -> dict:
    """Every table of ``crossings stats``, in display order: name -> DataFrame."""
    return {
        "totals_by_year": totals(daily, "year"),
        "totals_by_month": totals(daily, "month"),
        "totals_by_week": totals(daily, "week"),
        "year_to_date": year_to_date(daily),
        "people_per_boat": people_per_boat(daily, "month"),
        "crossing_days": crossing_days(daily, "year"),
        "runs": runs(daily),
        "record_days": record_days(daily, "people"),
        "record_days_boats": record_days(daily, "boats"),
        "records": records(daily),
        "rolling": rolling(daily),
        "preventions": preventions(weekly),
        "preventions_by_year": preventions_by_year(weekly),
        "uncontrolled_landings": uncontrolled(daily, "year"),
    }

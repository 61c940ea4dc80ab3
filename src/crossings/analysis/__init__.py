"""The observatory's questions as plain functions of the daily and weekly tables, each returning a DataFrame.

``daily`` and ``weekly`` are the tables of :meth:`crossings.store.Store.daily` / ``weekly`` (or any frame with the same
columns). Counts are nullable ``Int64``; a count the official file marks '-' (not recorded) stays ``<NA>`` and is
never summed as zero.

>>> from crossings import analysis
>>> analysis.totals(daily, by="year")
>>> analysis.all_stats(daily, weekly)["runs"]
>>> analysis.tables()            # the registry of stats tables: name -> StatsTable
"""
from __future__ import annotations

from .figures import key_figures
from .preventions import preventions, preventions_by_year
from .records import record_days, records
from .registry import GROUPS, KEY, StatsInput, StatsTable, build_tables, key_figures_table, register_table, tables
from .rolling import rolling
from .runs import current_run, run_table, runs
from .totals import crossing_days, people_per_boat, totals, uncontrolled, year_to_date

__all__ = ["all_stats", "key_figures", "key_figures_table", "tables", "register_table", "build_tables", "StatsTable",
           "StatsInput", "KEY", "GROUPS", "totals", "year_to_date", "people_per_boat", "crossing_days", "uncontrolled",
           "runs", "run_table", "current_run", "records", "record_days", "rolling", "preventions",
           "preventions_by_year"]


def all_stats(daily, weekly) -> dict:
    """Every table of ``crossings stats`` built from the daily and weekly tables, in display order: name -> DataFrame
    (the registry is :func:`tables`; tables that need the store are left out here)."""
    return build_tables(daily, weekly)

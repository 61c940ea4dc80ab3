"""The tables of ``crossings stats``, in one registry: name -> :class:`StatsTable`.

Each table is built from a :class:`StatsInput` (the latest daily and weekly tables, and the open store for tables
that read other store tables). Another area adds a table by adding an entry, with no change to the CLI::

    from crossings.analysis import StatsTable, register_table
    register_table(StatsTable("deaths_by_year", "Deaths by year", lambda inp: deaths_by_year(inp.store)))

``key`` (the headline figures) is not a table of this registry: it is a dict, shown with :func:`key_figures_table`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..headline import KEY, KEY_LABELS, NOT_KNOWN, figure_rows, format_value
from .figures import key_figures
from .preventions import preventions, preventions_by_year
from .records import record_days, records
from .rolling import rolling
from .runs import runs
from .totals import crossing_days, people_per_boat, totals, uncontrolled, year_to_date



@dataclass(frozen=True)
class StatsInput:
    """What a table is built from: the latest daily and weekly tables, and the store (``None`` outside the CLI)."""

    daily: pd.DataFrame
    weekly: pd.DataFrame
    store: Any = None


@dataclass(frozen=True)
class StatsTable:
    """One table of ``crossings stats``: its name (``--only NAME``), a human title, and how it is built."""

    name: str
    title: str
    build: Callable[[StatsInput], pd.DataFrame]
    needs_store: bool = False  # True: built only when a store is given (reads tables other than daily/weekly)
    note: str = ""  # said with the table in every format (e.g. that IOM's figures are minimum estimates)


_TABLES: dict[str, StatsTable] = {}


def register_table(table: StatsTable) -> StatsTable:
    """Add ``table`` to the registry (after the others; the same name replaces the earlier entry)."""
    if table.name == KEY:
        raise ValueError(f"{KEY!r} is reserved for the headline figures")
    _TABLES[table.name] = table
    return table


def tables() -> dict[str, StatsTable]:
    """Every registered table, in display order: name -> :class:`StatsTable`."""
    return dict(_TABLES)


def build_tables(daily: pd.DataFrame, weekly: pd.DataFrame, names: list[str] | None = None,
                 store: Any = None) -> dict[str, pd.DataFrame]:
    """The tables ``names`` (default: every table that can be built without or with ``store``): name -> frame."""
    inp = StatsInput(daily, weekly, store)
    chosen = list(_TABLES) if names is None else names
    return {n: _TABLES[n].build(inp) for n in chosen if store is not None or not _TABLES[n].needs_store}


for _t in (
    StatsTable("totals_by_year", "Totals by year", lambda i: totals(i.daily, "year")),
    StatsTable("totals_by_month", "Totals by month", lambda i: totals(i.daily, "month")),
    StatsTable("totals_by_week", "Totals by week", lambda i: totals(i.daily, "week")),
    StatsTable("year_to_date", "Year to date, against the same days of earlier years", lambda i: year_to_date(i.daily)),
    StatsTable("people_per_boat", "People per boat by month", lambda i: people_per_boat(i.daily, "month")),
    StatsTable("crossing_days", "Crossing days by year", lambda i: crossing_days(i.daily, "year")),
    StatsTable("runs", "Longest runs of crossing and non-crossing days", lambda i: runs(i.daily)),
    StatsTable("record_days", "Record days by people", lambda i: record_days(i.daily, "people")),
    StatsTable("record_days_boats", "Record days by boats", lambda i: record_days(i.daily, "boats")),
    StatsTable("records", "Records", lambda i: records(i.daily)),
    StatsTable("rolling", "Rolling 7 and 28 day totals", lambda i: rolling(i.daily)),
    StatsTable("preventions", "Crossings prevented by the French authorities, by week", lambda i: preventions(i.weekly)),
    StatsTable("preventions_by_year", "Crossings prevented by year", lambda i: preventions_by_year(i.weekly)),
    StatsTable("uncontrolled_landings", "Uncontrolled landings by year", lambda i: uncontrolled(i.daily, "year")),
):
    register_table(_t)


def _death_table(name: str) -> Callable[[StatsInput], pd.DataFrame]:
    def build(inp: StatsInput) -> pd.DataFrame:
        from .deaths import death_table
        return death_table(inp.store, name, inp.daily)
    return build


#: Deaths, incidents and rescues (IOM incidents and the prefecture's yearly figures, read from the store).
IOM_MINIMUM_NOTE = ("IOM figures are minimum estimates: they count only deaths and disappearances that were reported and "
             "verified, so the true numbers are higher.")
for _name, _title in (
    ("deaths_by_year", "Dead and missing by year, at sea and on land (IOM)"),
    ("deaths_per_1000", "Deaths per 1,000 people arriving and per 1,000 attempting"),
    ("deaths_by_area", "Dead and missing by area, from the coordinates (IOM)"),
    ("incidents_by_month", "Incidents by month (IOM)"),
    ("deadliest_incidents", "The deadliest incidents (IOM)"),
    ("rescues_by_year", "Survivors rescued by year (IOM, prefecture)"),
    ("prefecture_figures", "Prefecture maritime yearly figures"),
):
    register_table(StatsTable(_name, _title, _death_table(_name), needs_store=True, note=IOM_MINIMUM_NOTE))

#: Names of several tables at once for ``stats --only`` (CSV shows the first).
GROUPS: dict[str, tuple[str, ...]] = {
    "deaths": ("deaths_by_year", "deaths_per_1000", "deaths_by_area"),
    "incidents": ("incidents_by_month", "deadliest_incidents"),
    "rescues": ("rescues_by_year", "prefecture_figures"),
}


def key_figures_table(figures: dict) -> pd.DataFrame:
    """The headline figures as a two-column table (``figure``, ``value``) with human labels, in dict order."""
    return pd.DataFrame(figure_rows(figures), columns=["figure", "value"])


__all__ = ["GROUPS", "KEY", "KEY_LABELS", "StatsInput", "StatsTable", "build_tables", "format_value", "key_figures",
           "key_figures_table", "register_table", "tables"]

"""Deaths, incidents and rescues: the questions asked of IOM's incidents and the prefecture's yearly figures.

Every function takes frames (the classified incidents of :func:`incidents_frame`, the Home Office daily table, the
prefecture's figures) and returns a table; :func:`death_tables` assembles them from a store for ``crossings stats``.
IOM's figures are minimum estimates: a death no one reported is not in them. A count IOM left blank stays missing
(sums skip it and say how many were blank), never zero.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from ..sources.iom import ATTRIBUTION as IOM_ATTRIBUTION
from ..sources.prefecture import ATTRIBUTION as PREFECTURE_ATTRIBUTION
from .incident_geo import COASTAL_AREAS, Area, Setting, classify

MINIMUM_NOTE = ("IOM figures are minimum estimates: they count only deaths and disappearances that were reported "
                "and verified, so the true numbers are higher.")
SETTING_NOTE = ("'sea' = during a boat crossing attempt (at sea, on beaches, bodies washed ashore, launch canals); "
                "'land' = elsewhere on the route (motorways, lorries, trains, the tunnel, camps); see "
                "crossings.analysis.incident_geo.")
AREA_NOTE = ("Areas from the coordinates: nearer the British coast = UK side; over 12 nautical miles from the French "
             "coast = mid-Channel; else the area of the nearest launch area or port within 30 km.")
# ``crossings stats --only`` names: each group shows these tables (and the notes).
GROUPS: dict[str, tuple[str, ...]] = {
    "deaths": ("deaths_by_year", "deaths_per_1000", "deaths_by_area"),
    "incidents": ("incidents_by_month", "deadliest_incidents"),
    "rescues": ("rescues_by_year", "prefecture_figures"),
}
NOTES_TABLE = "about_deaths"


def incidents_frame(store, as_of: date | None = None) -> pd.DataFrame:
    """The current IOM incidents in the store (newest release on or before ``as_of``), with setting and area."""
    from ..store.incidents import latest_incidents
    inc = latest_incidents(store.con, as_of)
    return classify(inc) if len(inc) else inc.assign(setting=pd.Series(dtype=str), area=pd.Series(dtype=str))


def prefecture_frame(store, as_of: date | None = None) -> pd.DataFrame:
    from ..store.incidents import latest_prefecture
    return latest_prefecture(store.con, as_of)


def _sum(s: pd.Series) -> object:
    """Sum of the known values; missing if none is known."""
    return s.sum(min_count=1)


def deaths_by_year(inc: pd.DataFrame) -> pd.DataFrame:
    """Dead and missing per year (by incident date), at sea, on land and in all; incidents with blank counts."""
    df = inc.assign(year=inc["date"].dt.year)
    out = pd.DataFrame({"year": sorted(df["year"].unique())})
    g = df.groupby("year")
    out["incidents"] = out["year"].map(g.size()).astype("Int64")
    for st in (Setting.SEA.value, Setting.LAND.value):
        gs = df[df["setting"] == st].groupby("year")
        for c in ("dead", "missing", "dead_missing"):
            out[f"{c}_{st}"] = out["year"].map(gs[c].agg(_sum)).astype("Int64").fillna(0) \
                if len(gs) else pd.array([0] * len(out), dtype="Int64")
    for c in ("dead", "missing", "dead_missing"):
        out[c] = out["year"].map(g[c].agg(_sum)).astype("Int64")
    out["incidents_with_blank_count"] = out["year"].map(
        g.apply(lambda x: int((x["dead"].isna() | x["missing"].isna()).sum()))).astype("Int64")
    return out


def deaths_per_1000(inc: pd.DataFrame, daily: pd.DataFrame | None, pref: pd.DataFrame | None) -> pd.DataFrame:
    """Dead and missing at sea per 1,000 people arriving (Home Office) and per 1,000 attempting (prefecture).

    A year the Home Office series does not cover in full has its arrivals marked with ``arrivals_through``; a year
    without prefecture attempts has the second rate missing.
    """
    by_year = deaths_by_year(inc)[["year", "dead_missing_sea"]]
    out = by_year.copy()
    if daily is not None and len(daily):
        d = daily.dropna(subset=["migrants_arrived"]).assign(year=lambda x: x["date"].dt.year)
        arr = d.groupby("year")["migrants_arrived"].sum()
        through = d.groupby("year")["date"].max().dt.date
        out["people_arrived"] = out["year"].map(arr).astype("Int64")
        out["arrivals_through"] = out["year"].map(through)
    else:
        out["people_arrived"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["arrivals_through"] = None
    out["dead_missing_sea_per_1000_arrived"] = (1000 * out["dead_missing_sea"] / out["people_arrived"]) \
        .astype("Float64").round(2)
    if pref is not None and len(pref):
        out = out.merge(pref[["year", "people_attempting", "deaths", "missing"]].rename(
            columns={"deaths": "prefecture_deaths", "missing": "prefecture_missing"}), on="year", how="outer")
    else:
        for c in ("people_attempting", "prefecture_deaths", "prefecture_missing"):
            out[c] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["dead_missing_sea_per_1000_attempting"] = (1000 * out["dead_missing_sea"] / out["people_attempting"]) \
        .astype("Float64").round(2)
    return out.sort_values("year").reset_index(drop=True)


def incidents_by_month(inc: pd.DataFrame) -> pd.DataFrame:
    """Incidents, dead and missing per calendar month, every month from the first to the last incident."""
    if inc.empty:
        return pd.DataFrame(columns=["month", "incidents", "incidents_sea", "dead_missing"])
    m = inc["date"].dt.to_period("M")
    months = pd.period_range(m.min(), m.max(), freq="M")
    g = inc.groupby(m)
    out = pd.DataFrame({"month": months.astype(str)})
    out["incidents"] = pd.array(g.size().reindex(months, fill_value=0).to_numpy(), dtype="Int64")
    out["incidents_sea"] = pd.array(
        inc[inc["setting"] == Setting.SEA.value].groupby(m).size().reindex(months, fill_value=0).to_numpy(),
        dtype="Int64")
    out["dead_missing"] = pd.array(g["dead_missing"].agg(_sum).reindex(months).fillna(0).to_numpy(), dtype="Int64")
    return out


def deadliest(inc: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` incidents with the most dead and missing (ties: the earlier first)."""
    cols = ["date", "incident_id", "dead", "missing", "dead_missing", "survivors", "setting", "area", "location",
            "link"]
    df = inc.sort_values(["dead_missing", "date"], ascending=[False, True], na_position="last")
    return df[cols].head(n).reset_index(drop=True)


def rescues_by_year(inc: pd.DataFrame, pref: pd.DataFrame | None) -> pd.DataFrame:
    """Survivors of deadly incidents (IOM) and people rescued at sea (prefecture), per year."""
    df = inc.assign(year=inc["date"].dt.year)
    g = df.groupby("year")
    out = pd.DataFrame({"year": sorted(df["year"].unique())})
    out["iom_survivors"] = out["year"].map(g["survivors"].agg(_sum)).astype("Int64")
    out["iom_incidents_with_survivors_recorded"] = out["year"].map(g["survivors"].count()).astype("Int64")
    if pref is not None and len(pref):
        out = out.merge(pref[["year", "people_rescued", "rescue_operations"]].rename(
            columns={"people_rescued": "prefecture_people_rescued"}), on="year", how="outer")
    return out.sort_values("year").reset_index(drop=True)


def deaths_by_area(inc: pd.DataFrame) -> pd.DataFrame:
    """Incidents and dead and missing by area of the strait (fixed order; areas without incidents show 0)."""
    order = [a.value for a in (*COASTAL_AREAS, Area.ELSEWHERE, Area.UNKNOWN)]
    out = pd.DataFrame({"area": order})
    g = inc.groupby("area")
    out["incidents"] = out["area"].map(g.size()).fillna(0).astype("Int64")
    for st in (Setting.SEA.value, Setting.LAND.value):
        out[f"dead_missing_{st}"] = out["area"].map(
            inc[inc["setting"] == st].groupby("area")["dead_missing"].agg(_sum)).astype("Int64").fillna(0)
    out["dead_missing"] = out["area"].map(g["dead_missing"].agg(_sum)).astype("Int64").fillna(0)
    return out


def notes_table() -> pd.DataFrame:
    return pd.DataFrame({"note": [MINIMUM_NOTE, SETTING_NOTE, AREA_NOTE, f"Source: {IOM_ATTRIBUTION}",
                                  f"Source: {PREFECTURE_ATTRIBUTION}"]})


def death_tables(store, daily: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every deaths, incidents and rescues table, by name (``about_deaths`` first); empty if no IOM release."""
    inc = incidents_frame(store)
    if inc.empty:
        return {}
    pref = prefecture_frame(store)
    if daily is None:
        daily = store.daily()
    return {
        NOTES_TABLE: notes_table(),
        "deaths_by_year": deaths_by_year(inc),
        "deaths_per_1000": deaths_per_1000(inc, daily, pref),
        "deaths_by_area": deaths_by_area(inc),
        "incidents_by_month": incidents_by_month(inc),
        "deadliest_incidents": deadliest(inc),
        "rescues_by_year": rescues_by_year(inc, pref),
        "prefecture_figures": pref.drop(columns=["release_id"], errors="ignore"),
    }


def select(tables: dict[str, pd.DataFrame], only: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """The tables that ``--only`` names, groups (deaths, incidents, rescues) expanded, the notes always first."""
    names = {t for o in only for t in GROUPS.get(o, (o,))}
    chosen = {k: v for k, v in tables.items() if k in names}
    return {NOTES_TABLE: tables[NOTES_TABLE], **chosen} if chosen and NOTES_TABLE in tables else chosen


TITLES: dict[str, str] = {
    NOTES_TABLE: "About the deaths figures (IOM figures are minimum estimates)",
    "deaths_by_year": "Dead and missing per year, at sea and on land",
    "deaths_per_1000": "Dead and missing at sea per 1,000 arriving and per 1,000 attempting",
    "deaths_by_area": "Dead and missing by area of the strait",
    "incidents_by_month": "Incidents by month",
    "deadliest_incidents": "The deadliest incidents",
    "rescues_by_year": "Survivors and people rescued per year",
    "prefecture_figures": "Prefecture yearly figures, with their sources",
}


def stats_table_builders() -> list[tuple[str, str, object]]:
    """(name, title, build(store, daily) -> DataFrame) for each table, for a registry of ``stats`` tables.

    Each builder reads only what its table needs; with no IOM release stored it returns an empty frame.
    """
    def one(name: str):
        def build(store, daily: pd.DataFrame | None = None) -> pd.DataFrame:
            if name == NOTES_TABLE:
                return notes_table()
            if name == "prefecture_figures":
                return prefecture_frame(store).drop(columns=["release_id"], errors="ignore")
            inc = incidents_frame(store)
            if inc.empty:
                return pd.DataFrame()
            if name == "deaths_by_year":
                return deaths_by_year(inc)
            if name == "deaths_per_1000":
                return deaths_per_1000(inc, store.daily() if daily is None else daily, prefecture_frame(store))
            if name == "deaths_by_area":
                return deaths_by_area(inc)
            if name == "incidents_by_month":
                return incidents_by_month(inc)
            if name == "deadliest_incidents":
                return deadliest(inc)
            return rescues_by_year(inc, prefecture_frame(store))
        return build
    return [(n, TITLES[n], one(n)) for n in TITLES]

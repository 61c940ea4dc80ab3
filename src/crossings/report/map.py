"""A static map of incidents on the coastline of the strait (inline SVG, drawn with matplotlib).

Land from the bundled GSHHG extract (``strait_land.geojson``), launch areas, ports and UK landing places from
``places.csv``, incidents from IOM (circles sized by dead and missing, coloured sea or land). Longitude is drawn
shrunk by cos(51 N) so distances look right.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from ..analysis.incident_geo import GEO_FILE, places
from ..config import bundled_path
from . import charts

EXTENT = (0.85, 2.65, 50.35, 51.4)  # lon min, lon max, lat min, lat max
LAND, SEA_BG = "#e9e4d8", "#f4f8fb"
SEA_DOT, LAND_DOT = charts.NAVY, charts.ORANGE
_ASPECT = 1 / math.cos(math.radians(51.0))
LABELLED = ("dunkerque_port", "calais_port", "boulogne_port", "gravelines_aa", "dover", "folkestone", "dungeness",
            "berck", "cap_gris_nez")


def _rings(geometry: dict) -> list[np.ndarray]:
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [np.asarray(p[0]) for p in polys]


def incident_map(incidents: pd.DataFrame, width_in: float = charts.WIDE_IN) -> str:
    """The map as one ``<svg>``: every incident with coordinates inside the extent."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    with open(bundled_path(GEO_FILE), encoding="utf-8") as f:
        land = json.load(f)
    narrow = charts._narrow(width_in)
    x0, x1, y0, y1 = EXTENT
    height_in = width_in * (y1 - y0) / (x1 - x0) * _ASPECT
    with plt.rc_context({**charts.RC, "axes.grid": False, "axes.spines.bottom": False}):
        fig, ax = plt.subplots(figsize=(width_in, height_in))
        ax.set_facecolor(SEA_BG)
        for feat in land["features"]:
            for ring in _rings(feat["geometry"]):
                ax.fill(ring[:, 0], ring[:, 1], color=LAND, linewidth=0.4, edgecolor="#b9b19c", zorder=1)
        inc = incidents.dropna(subset=["latitude", "longitude"])
        inc = inc[inc["longitude"].between(x0, x1) & inc["latitude"].between(y0, y1)]
        for setting, color in (("land", LAND_DOT), ("sea", SEA_DOT)):
            g = inc[inc["setting"] == setting]
            size = 10 + 9 * g["dead_missing"].astype("float64").fillna(1).to_numpy()
            ax.scatter(g["longitude"], g["latitude"], s=size * (0.6 if narrow else 1), color=color, alpha=0.55,
                       linewidth=0.5, edgecolor="white", zorder=3)
        pl = places()
        markers = {"launch_area": ("^", "#2d6a4f"), "port": ("s", charts.INK), "landing_area": ("D", "#7b2cbf")}
        for kind, (m, color) in markers.items():
            g = pl[pl["kind"] == kind]
            ax.scatter(g["longitude"], g["latitude"], marker=m, s=16 if not narrow else 10, color=color, zorder=4,
                       linewidth=0)
        if not narrow:
            for _, p in pl[pl["place_id"].isin(LABELLED)].iterrows():
                right = p["country"] != "France"
                ax.annotate(p["name"].split(" - ")[0].split(" (")[0], (p["longitude"], p["latitude"]),
                            xytext=(-5 if right else 5, 0), textcoords="offset points", fontsize=7.5,
                            ha="right" if right else "left", va="center", color=charts.INK, zorder=5)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(_ASPECT)
        ax.set_xticks([])
        ax.set_yticks([])
        handles = [Line2D([], [], marker="o", ls="", color=SEA_DOT, alpha=0.6, label="incident at sea"),
                   Line2D([], [], marker="o", ls="", color=LAND_DOT, alpha=0.6, label="incident on land"),
                   Line2D([], [], marker="^", ls="", color="#2d6a4f", label="launch area"),
                   Line2D([], [], marker="s", ls="", color=charts.INK, label="port"),
                   Line2D([], [], marker="D", ls="", color="#7b2cbf", label="UK landing place")]
        ax.legend(handles=handles, loc="lower left", fontsize=7.5 if not narrow else 6.5, frameon=True,
                  framealpha=0.85, edgecolor="none")
        return charts._svg(fig, f"incident-map-{width_in:g}", "Map of incidents, launch areas and landing places")

"""`crossings report` writes the simulator's model page next to the report and links it."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from crossings.cli import main
from crossings.report.model_page import shipped_validations
from crossings.store import Store


@pytest.fixture(scope="module")
def store_db(tmp_path_factory, wb19):
    db = tmp_path_factory.mktemp("store") / "s.duckdb"
    with Store(db) as s:
        s.ingest(wb19)
        daily = s.daily()
    return db, daily


def test_report_links_the_model_page_written_beside_it(store_db, tmp_path):
    db, daily = store_db
    res = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "out" / "r.html"), "--db", str(db)])
    assert res.exit_code == 0, res.output
    report = (tmp_path / "out" / "r.html").read_text(encoding="utf-8")
    page = tmp_path / "out" / "r-model.html"
    assert page.is_file()
    assert 'href="r-model.html"' in report and 'id="model"' in report
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 3                      # priors/posteriors, daily fan, weekly fan
    # the validation tables: the observed totals are the workbook's own sums over the projected days
    vals = shipped_validations()
    assert {v["window"][1] for v in vals} >= {"2023-12-31", "2024-12-31"}
    d = daily.assign(date=pd.to_datetime(daily["date"]))
    for v in vals:
        lo, hi = pd.Timestamp(v["projected"][0]), pd.Timestamp(v["projected"][1])
        people = d.loc[(d["date"] >= lo) & (d["date"] <= hi), "migrants_arrived"].sum()
        assert f"{people:,.0f}" in html, v["window"]
        assert f"Calibrated to {v['window'][1]}" in html
    # the simulation-based calibration of the default posterior is shown
    assert "Simulation-based calibration" in html


def test_no_model_page_leaves_the_report_alone(store_db, tmp_path):
    db, _ = store_db
    res = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "r.html"), "--db", str(db), "--no-model-page"])
    assert res.exit_code == 0, res.output
    assert not (tmp_path / "r-model.html").exists()
    assert "r-model.html" not in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_shipped_validations_carry_their_command():
    for v in shipped_validations():
        assert v["command"].startswith("crossings validate --until ") and v["window"][1] in v["command"]
        json.dumps(v)

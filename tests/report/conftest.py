"""The report built once per test session from the 19 December 2025 workbook."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

GENERATED = datetime(2025, 12, 20, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def tables19(tmp_path_factory, wb19):
    from crossings.store import Store
    with Store(tmp_path_factory.mktemp("store") / "store.duckdb") as s:
        s.ingest(wb19)
        return s.daily(), s.weekly(), s.releases()


@pytest.fixture(scope="session")
def report19(tmp_path_factory, tables19):
    from crossings.report import build_report
    daily, weekly, releases = tables19
    return build_report(daily, weekly, releases=releases, generated=GENERATED,
                        out_path=tmp_path_factory.mktemp("report") / "report.html")

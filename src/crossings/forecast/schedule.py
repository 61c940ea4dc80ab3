"""What a forecaster had on a given day: the publication schedule of the official releases.

The Home Office publishes the weekly workbook on a Friday with data to the day before (Thursday), and a daily
"last 7 days" page with data to the day before its publication. A forecast issued on day D (after that day's
publications) therefore knows the daily series up to ``known_through(D)``: D - 1 when the daily pages are used, the
Thursday before the last Friday on or before D when only the workbooks are. The backtest replays this schedule on
the revised series of the newest release (values as revised, dates as published); a store holding the releases
themselves answers the same question with ``Store.daily(as_of=D)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

FRIDAY = 4  # pandas day_of_week: Monday 0 ... Sunday 6


@dataclass(frozen=True)
class Schedule:
    """``workbook_weekday``: day the weekly workbook appears; ``workbook_lag_days``: its data end that many days
    before; ``daily_pages``: whether the daily pages are used; ``page_lag_days``: their data end before publication."""

    daily_pages: bool = True
    workbook_weekday: int = FRIDAY
    workbook_lag_days: int = 1
    page_lag_days: int = 1

    @property
    def label(self) -> str:
        return "workbooks and daily pages" if self.daily_pages else "weekly workbooks only"

    def last_workbook(self, day: date | pd.Timestamp) -> pd.Timestamp:
        """Publication date of the last workbook on or before ``day``."""
        d = pd.Timestamp(day).normalize()
        return d - pd.Timedelta(days=(d.day_of_week - self.workbook_weekday) % 7)

    def known_through(self, day: date | pd.Timestamp) -> pd.Timestamp:
        """Last day of the daily series published on or before ``day``."""
        d = pd.Timestamp(day).normalize()
        wb = self.last_workbook(d) - pd.Timedelta(days=self.workbook_lag_days)
        if not self.daily_pages:
            return wb
        return max(wb, d - pd.Timedelta(days=self.page_lag_days))

    def describe(self) -> str:
        days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        text = (f"weekly workbook every {days[self.workbook_weekday]} with data to {self.workbook_lag_days} day(s) "
                "before")
        if self.daily_pages:
            text += f", daily page every day with data to {self.page_lag_days} day(s) before"
        return text

"""Where the official sample files are (imported by tests; kept out of conftest so nested conftests don't shadow it)."""
from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
# The shared reference data beside the checkout when present; else the copies kept with the tests (clean clone).
HOMEOFFICE = SHARED / "homeoffice" if (SHARED / "homeoffice").is_dir() else Path(__file__).parent / "data" / "homeoffice"
WB_19DEC = HOMEOFFICE / "19_December_2025_Small_boats_-_time_series.ods"
WB_12DEC = HOMEOFFICE / "12_December_2025_Small_boats_-_time_series.ods"
WB_14NOV = HOMEOFFICE / "14_November_2025_Small_boats_-_time_series.ods"
LAST7 = sorted((HOMEOFFICE / "last_7_days").glob("*.html"))
OPENMETEO = Path(__file__).parent / "data" / "openmeteo"  # small Open-Meteo responses in the documented format
TESTS_DATA = Path(__file__).parent / "data"  # files kept with the tests

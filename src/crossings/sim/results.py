"""The result of an ensemble run, kept apart from the model (as statsmodels keeps results apart from models).

A :class:`SimulationResult` holds the per-replicate totals over the period (always) and, when asked for, every
replicate's daily series as an ``xarray.Dataset`` with dims ``(replicate, date)``. Daily series are written to
NetCDF (``.nc``, h5netcdf engine), Parquet (``.parquet``, long format: one row per replicate and day) or Zarr
(``.zarr``, needs the optional ``zarr`` package) by :class:`DailyWriter`, one replicate block at a time, so a long run
can be saved without holding it in memory; :func:`load_daily` reads any of them back.
"""
from __future__ import annotations

import functools
import math
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

from ..errors import InputError

if TYPE_CHECKING:  # pandas and xarray are imported where they are used: a small run needs neither (startup time)
    import pandas as pd
    import xarray as xr

#: Quantiles reported by :meth:`SimulationResult.summary`, as (column name, probability).
QUANTILES: tuple[tuple[str, float], ...] = (("p05", 0.05), ("p25", 0.25), ("median", 0.5), ("p75", 0.75),
                                            ("p95", 0.95))
#: File suffixes the daily series can be written to.
OUTPUT_SUFFIXES = (".nc", ".parquet", ".zarr")


#: Columns of a summary, in order.
SUMMARY_COLUMNS = ("median", "p05", "p25", "p75", "p95", "mean")


def summary_values(arr: np.ndarray) -> dict[str, np.ndarray]:
    """:data:`SUMMARY_COLUMNS` -> one value per column of a replicate x variable array (NaN with no replicate)."""
    arr = np.asarray(arr, dtype=float)
    qs = np.quantile(arr, [q for _, q in QUANTILES], axis=0) if len(arr) else np.full((len(QUANTILES),
                                                                                          arr.shape[1]), np.nan)
    out = {name: qs[i] for i, (name, _) in enumerate(QUANTILES)}
    out["mean"] = arr.mean(axis=0) if len(arr) else np.full(arr.shape[1], np.nan)
    return {k: out[k] for k in SUMMARY_COLUMNS}


def summarise(values: pd.DataFrame) -> pd.DataFrame:
    """Median, 50% and 90% intervals and mean of each column of a replicate x variable table."""
    import pandas as pd
    out = pd.DataFrame(summary_values(values.to_numpy(dtype=float)), index=values.columns)
    out.index.name = "outcome"
    return out


@dataclass
class SimulationResult:
    """Replicates of one scenario: totals per replicate, optional daily series, and how the run was made."""

    scenario_name: str
    days: np.ndarray  # (n_days,) datetime64[D]: the simulated days
    totals_array: np.ndarray  # (replicates, outcomes) int64: totals over the period
    outcomes: tuple[str, ...]  # names of the columns of totals_array
    seed: int
    block_size: int
    seconds: float
    workers: int = 1
    daily: xr.Dataset | None = None  # dims (replicate, date); present when asked for (keep_daily)
    out: Path | None = None  # file the daily series were written to, if any
    extra: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        kept = f", daily {list(self.daily.data_vars)}" if self.daily is not None else ""
        return (f"<SimulationResult {self.scenario_name}: {self.replicates} replicates x {self.n_days} days "
                f"({self.dates[0].date()} to {self.dates[-1].date()}), seed {self.seed}, block size "
                f"{self.block_size}{kept}>")

    @functools.cached_property
    def dates(self) -> pd.DatetimeIndex:
        """The simulated days."""
        import pandas as pd
        return pd.DatetimeIndex(self.days)

    @functools.cached_property
    def totals(self) -> pd.DataFrame:
        """Index: replicate (0..n-1); columns: outcomes; values: totals over the period."""
        import pandas as pd
        return pd.DataFrame(self.totals_array, columns=list(self.outcomes),
                            index=pd.RangeIndex(len(self.totals_array), name="replicate"))

    @property
    def replicates(self) -> int:
        return len(self.totals_array)

    @property
    def n_days(self) -> int:
        return len(self.days)

    @property
    def first_day(self) -> str:
        return str(self.days[0])

    @property
    def last_day(self) -> str:
        return str(self.days[-1])

    def summary(self) -> pd.DataFrame:
        """Per outcome: median, p05, p25, p75, p95 and mean of the totals over the period."""
        return summarise(self.totals)

    def summary_values(self) -> dict[str, np.ndarray]:
        """:meth:`summary` without pandas: column -> one value per outcome (in ``outcomes`` order)."""
        return summary_values(self.totals_array)

    def to_text(self) -> str:
        """The table printed by ``crossings simulate``: median, 50% and 90% intervals and mean per outcome (the
        layout of a printed DataFrame, without pandas)."""
        s = self.summary_values()
        cols = {"median": [fmt_count(x) for x in s["median"]],
                "50% interval": [f"[{fmt_count(a)}, {fmt_count(b)}]" for a, b in zip(s["p25"], s["p75"])],
                "90% interval": [f"[{fmt_count(a)}, {fmt_count(b)}]" for a, b in zip(s["p05"], s["p95"])],
                "mean": [f"{x:,.1f}" for x in s["mean"]]}
        index = "outcome"
        w0 = max(len(index), *(len(o) for o in self.outcomes))
        widths = {c: max(len(c), *(len(v) for v in vals)) for c, vals in cols.items()}
        lines = [" " * w0 + "".join(f"  {c:>{widths[c]}}" for c in cols),
                 index.ljust(w0 + sum(2 + w for w in widths.values()))]
        lines += [name.ljust(w0) + "".join(f"  {cols[c][i]:>{widths[c]}}" for c in cols)
                  for i, name in enumerate(self.outcomes)]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """The JSON shape printed by ``crossings simulate --format json``."""
        s = self.summary_values()
        return {
            "scenario": self.scenario_name,
            "start": self.first_day,
            "end": self.last_day,
            "replicates": self.replicates,
            "days": self.n_days,
            "seed": self.seed,
            "block_size": self.block_size,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "outcomes": {name: {k: _num(s[k][i]) for k in SUMMARY_COLUMNS} for i, name in enumerate(self.outcomes)},
            **({"out": str(self.out)} if self.out else {}),
        }

    def save(self, path: str | os.PathLike) -> Path:
        """Write the daily series to ``.nc``, ``.parquet`` or ``.zarr`` (by suffix); needs ``keep_daily``."""
        if self.daily is None:
            raise InputError("this result holds no daily series; run with keep_daily=True (or out=PATH)",
                             file=str(path))
        variables = list(self.daily.data_vars)
        with DailyWriter(path, variables, self.dates, self.replicates, attrs=dict(self.daily.attrs)) as w:
            w.write(0, {v: self.daily[v].values for v in variables})
        return Path(path)


def fmt_count(x: float) -> str:
    """A count or quantile of counts for tables: thousands separated, one decimal only below 10 and when needed."""
    if x is None or math.isnan(float(x)):
        return "-"
    x = float(x)
    return f"{x:,.0f}" if abs(x) >= 10 or abs(x - round(x)) < 1e-6 else f"{x:,.1f}"


def _num(x: float):
    """A JSON-friendly number: int when whole, else rounded float."""
    x = float(x)
    return int(x) if x.is_integer() else round(x, 3)


def daily_dataset(arrays: Mapping[str, np.ndarray], dates: pd.DatetimeIndex, first_replicate: int = 0,
                  attrs: Mapping | None = None) -> xr.Dataset:
    """An ``xarray.Dataset`` (replicate, date) from variable -> (n, n_days) arrays, with glossary descriptions."""
    from ..glossary import GLOSSARY
    n = next(iter(arrays.values())).shape[0] if arrays else 0
    import pandas as pd
    import xarray as xr
    ds = xr.Dataset(
        {k: (("replicate", "date"), v, {"description": GLOSSARY[k]} if k in GLOSSARY else {})
         for k, v in arrays.items()},
        coords={"replicate": np.arange(first_replicate, first_replicate + n, dtype=np.int64),
                "date": pd.DatetimeIndex(dates)},
        attrs=dict(attrs or {}))
    return ds


def check_output_path(path: str | os.PathLike) -> Path:
    """Refuse an output path whose suffix is not a known format (or Zarr without the package), before any work."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise InputError(f"unknown output format {p.suffix or '(no suffix)'!r}; use one of "
                         f"{', '.join(OUTPUT_SUFFIXES)}", file=str(p))
    if suffix == ".zarr":
        try:
            import zarr  # noqa: F401
        except ImportError:
            raise InputError("writing Zarr needs the optional 'zarr' package (pip install zarr); "
                             "or use .nc or .parquet", file=str(p)) from None
    if not p.parent.exists():
        raise InputError("the output folder does not exist", file=str(p))
    return p


class DailyWriter:
    """Write (replicate, date) daily series block by block to NetCDF, Parquet or Zarr.

    Blocks must arrive in replicate order. The file is written under a temporary name beside the target and
    renamed on success, so a failed run never leaves a half-written file at ``path``.
    """

    def __init__(self, path: str | os.PathLike, variables: Sequence[str], dates: pd.DatetimeIndex,
                 n_replicates: int, *, attrs: Mapping | None = None, chunk_replicates: int = 1000):
        self.path = check_output_path(path)
        self.kind = self.path.suffix.lower()
        self.variables = list(variables)
        import pandas as pd
        self.dates = pd.DatetimeIndex(dates)
        self.n_replicates = int(n_replicates)
        self.attrs = {k: v for k, v in dict(attrs or {}).items() if isinstance(v, (str, int, float))}
        self.chunk = max(1, min(int(chunk_replicates), self.n_replicates))
        self._tmp = self.path.with_name(f".{self.path.name}.part")
        self._next = 0
        self._handle = None
        _remove(self._tmp)
        getattr(self, f"_open_{self.kind[1:]}")()

    # -- NetCDF via h5netcdf: fixed-size variables, written by hyperslab per block
    def _open_nc(self) -> None:
        import h5netcdf
        from ..glossary import GLOSSARY
        f = h5netcdf.File(self._tmp, "w")
        f.dimensions = {"replicate": self.n_replicates, "date": len(self.dates)}
        rep = f.create_variable("replicate", ("replicate",), "i8")
        rep[:] = np.arange(self.n_replicates, dtype=np.int64)
        day = f.create_variable("date", ("date",), "i8")
        day[:] = (self.dates - self.dates[0]).days.to_numpy(dtype=np.int64)
        day.attrs["units"] = f"days since {self.dates[0].date().isoformat()}"
        day.attrs["calendar"] = "proleptic_gregorian"
        for v in self.variables:
            var = f.create_variable(v, ("replicate", "date"), "i8", chunks=(self.chunk, len(self.dates)),
                                    compression="gzip", compression_opts=1, shuffle=True)
            if v in GLOSSARY:
                var.attrs["description"] = GLOSSARY[v]
        for k, val in self.attrs.items():
            f.attrs[k] = val
        self._handle = f

    def _write_nc(self, start: int, arrays: Mapping[str, np.ndarray]) -> None:
        for v in self.variables:
            a = arrays[v]
            self._handle.variables[v][start:start + a.shape[0], :] = a

    def _close_nc(self) -> None:
        self._handle.close()

    # -- Parquet via pyarrow: long format, one row group per block
    def _open_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq
        self._schema = pa.schema([("replicate", pa.int64()), ("date", pa.date32())]
                                 + [(v, pa.int64()) for v in self.variables],
                                 metadata={k.encode(): str(v).encode() for k, v in self.attrs.items()})
        self._handle = pq.ParquetWriter(self._tmp, self._schema, compression="zstd")
        self._date32 = self.dates.to_numpy(dtype="datetime64[D]")

    def _write_parquet(self, start: int, arrays: Mapping[str, np.ndarray]) -> None:
        import pyarrow as pa
        n = arrays[self.variables[0]].shape[0]
        t = len(self.dates)
        cols = {"replicate": np.repeat(np.arange(start, start + n, dtype=np.int64), t),
                "date": np.tile(self._date32, n)}
        cols.update({v: np.ascontiguousarray(arrays[v]).reshape(-1) for v in self.variables})
        self._handle.write_table(pa.table(cols, schema=self._schema))

    def _close_parquet(self) -> None:
        self._handle.close()

    # -- Zarr via xarray: append along replicate
    def _open_zarr(self) -> None:
        self._handle = True

    def _write_zarr(self, start: int, arrays: Mapping[str, np.ndarray]) -> None:
        ds = daily_dataset({v: arrays[v] for v in self.variables}, self.dates, start, self.attrs)
        if start == 0:
            ds.to_zarr(self._tmp, mode="w", consolidated=False)
        else:
            ds.to_zarr(self._tmp, append_dim="replicate", consolidated=False)

    def _close_zarr(self) -> None:
        pass

    def write(self, start: int, arrays: Mapping[str, np.ndarray]) -> None:
        """Write replicates ``start .. start+n-1``; ``arrays`` maps each variable to an (n, n_days) array."""
        if start != self._next:
            raise ValueError(f"blocks must be written in order: expected replicate {self._next}, got {start}")
        n = arrays[self.variables[0]].shape[0]
        if start + n > self.n_replicates:
            raise ValueError("more replicates written than declared")
        getattr(self, f"_write_{self.kind[1:]}")(start, arrays)
        self._next = start + n

    def close(self) -> Path:
        """Finish the file and move it into place."""
        getattr(self, f"_close_{self.kind[1:]}")()
        self._handle = None
        if self._next != self.n_replicates:
            _remove(self._tmp)
            raise ValueError(f"only {self._next} of {self.n_replicates} replicates were written")
        _remove(self.path)
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        """Drop the partial file."""
        if self._handle is not None:
            try:
                getattr(self, f"_close_{self.kind[1:]}")()
            except Exception:  # noqa: BLE001  the file is being thrown away
                pass
            self._handle = None
        _remove(self._tmp)

    def __enter__(self) -> "DailyWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def _remove(p: Path) -> None:
    if p.is_dir():
        shutil.rmtree(p)
    elif p.exists():
        p.unlink()


def load_daily(path: str | os.PathLike) -> xr.Dataset:
    """Read daily series written by :class:`DailyWriter` (or ``crossings simulate --out``) as a Dataset."""
    import xarray as xr
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", file=str(p))
    suffix = p.suffix.lower()
    if suffix == ".nc":
        with xr.open_dataset(p, engine="h5netcdf") as ds:
            return ds.load()
    if suffix == ".parquet":
        import pandas as pd
        import pyarrow.parquet as pq
        table = pq.read_table(p)
        df = table.to_pandas()
        df["date"] = pd.to_datetime(df["date"])
        ds = df.set_index(["replicate", "date"]).to_xarray()
        ds.attrs.update({k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()
                         if not k.startswith(b"pandas")})
        return ds
    if suffix == ".zarr":
        with xr.open_zarr(p, consolidated=False) as ds:
            return ds.load()
    raise InputError(f"unknown format {p.suffix!r}; expected one of {', '.join(OUTPUT_SUFFIXES)}", file=str(p))

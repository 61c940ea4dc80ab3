"""Computed forecasts kept on disk and reused: a forecast is a deterministic function of its inputs.

The key is a SHA-256 digest of everything the output depends on: the stored releases published on or before the
forecast day (id, kind, publication date, file and content digests), the forecast day, days, weeks, paths, seed,
model, the stored sea conditions when the hurdle model uses them, the crossings version, the versions of the
numerical libraries and a digest of the source files the forecast runs (this package, the store's views, the
conditions reader), so a code change never serves an old result. The value is the forecast's JSON form and the two
tables the text output prints, so a hit is written with the standard library alone: this module imports neither
pandas nor NumPy (the computing path imports them when it runs).

Entries are JSON files in ``forecasts/`` beside the store file (as ``downloads/``: every store, a test's among
them, has its own), written with :mod:`crossings.atomic`; an entry that cannot be read, fails its checksum or holds
another key is removed and recomputed, never shown. At most :data:`MAX_ENTRIES` are kept (the least recently used go
first) besides the default forecast of the store's newest release (``crossings forecast`` without options, the
dashboard's and the one ``ingest`` computes), which other requests never evict. An in-memory store is not cached
unless a folder is given (the dashboard gives its store's).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import write_text
from .names import DEFAULT_MODEL

FORMAT = 1  # layout of an entry file; a change of layout is a change of key
MAX_ENTRIES = 64  # entries kept besides the default one (7.4 kB each); the least recently used are removed first
SUBDIR = "forecasts"
STALE_RELEASE_DAYS = 7  # the note says "run 'crossings fetch'" when the newest release is older than this
# The numerical libraries whose versions can change the numbers or the printed tables.
LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels", "numba")
# Source files, relative to the crossings package, whose code decides a forecast's numbers or its tables.
CODE = ("forecast/*.py", "store/views.py", "conditions/store.py")
_PACKAGE = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

    from ..store import Store


@dataclass(frozen=True)
class ForecastRequest:
    """What ``crossings forecast`` was asked for (``as_of`` None: the newest release's publication date)."""

    as_of: date | None = None
    days: int = 14
    weeks: int = 8
    n_paths: int = 2000
    seed: int = 0
    model: str = DEFAULT_MODEL
    use_conditions: bool = True


@dataclass(frozen=True)
class Entry:
    """A computed forecast: ``doc`` is :meth:`Forecast.to_dict` for the forecast day ``doc['as_of']`` given
    explicitly (so without the note on the newest release's age, which depends on today); the tables are the text
    output's daily and weekly tables."""

    doc: dict
    daily_table: str
    weekly_table: str

    def note(self, requested_as_of: date | None, today: date | None = None) -> str:
        """The forecast's note as ``crossings forecast`` prints it for ``requested_as_of`` on ``today``."""
        if requested_as_of is not None:
            return self.doc["note"]
        return self.doc["note"] + release_age_note(date.fromisoformat(self.doc["as_of"]), today or date.today())

    def json_doc(self, requested_as_of: date | None, today: date | None = None) -> dict:
        """The JSON form of the forecast (as :meth:`Forecast.to_dict`) with :meth:`note`."""
        return {**self.doc, "note": self.note(requested_as_of, today)}

    def table(self, requested_as_of: date | None, today: date | None = None) -> str:
        """The text output of ``crossings forecast --format table``."""
        return (f"Forecast as of {self.doc['as_of']} ({self.note(requested_as_of, today)})\n\nDaily\n"
                f"{self.daily_table}\n\nWeekly totals (weeks end on Sunday)\n{self.weekly_table}\n")

    def payload(self) -> dict:
        """What an entry file holds besides its key and checksum."""
        return {"doc": self.doc, "daily_table": self.daily_table, "weekly_table": self.weekly_table}


def release_age_note(release_day: date, today: date) -> str:
    """'' or the sentence added to the note when the newest release is more than a week old."""
    age = (today - release_day).days
    if age <= STALE_RELEASE_DAYS:
        return ""
    return f"; the newest stored release was published {age} days ago (run 'crossings fetch')"


def _code_files() -> list[tuple[Path, tuple[str, int, int]]]:
    """The source files of :data:`CODE` with what identifies their state (name, modification time, size)."""
    files = []
    for pattern in CODE:
        for p in sorted(_PACKAGE.glob(pattern)):
            st = p.stat()
            files.append((p, (p.relative_to(_PACKAGE).as_posix(), st.st_mtime_ns, st.st_size)))
    return files


_digests: dict[tuple, str] = {}  # files' states -> digest: a process reads the files again only when one changed


def code_digest() -> str:
    """SHA-256 of the forecast's source files (names and bytes), the crossings version and the library versions."""
    files = _code_files()
    state = tuple(s for _, s in files)
    if state in _digests:
        return _digests[state]
    h = hashlib.sha256()
    for p, (name, _, _) in files:
        h.update(name.encode() + b"\0" + p.read_bytes() + b"\0")
    from .. import __version__
    h.update(f"crossings {__version__}\n".encode())
    for lib in LIBRARIES:
        try:
            version = metadata.version(lib)
        except metadata.PackageNotFoundError:
            version = "absent"
        h.update(f"{lib} {version}\n".encode())
    _digests.clear()
    _digests[state] = h.hexdigest()
    return _digests[state]


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def forecast_day(con: DuckDBPyConnection, as_of: date | None, today: date | None = None) -> date | None:
    """The forecast day of a request (the newest release's date when ``as_of`` is None), or None when the request is
    one the computing path rejects (empty store, a day in the future or before the first release)."""
    first, last = con.execute("SELECT min(release_date), max(release_date) FROM releases").fetchone()
    if last is None:
        return None
    if as_of is None:
        return _day(last)
    if as_of > (today or date.today()) or as_of < _day(first):
        return None
    return as_of


def last_simulated_day(target: date, days: int, weeks: int) -> date:
    """The last day a forecast from ``target`` reports (as :func:`crossings.forecast.api.forecast_from_store`)."""
    first_end = target + timedelta(days=6 - target.weekday())
    return max(target + timedelta(days=days - 1), first_end + timedelta(days=7 * (weeks - 1)))


def _releases(con: DuckDBPyConnection, target: date) -> list[list] | None:
    rows = con.execute("SELECT release_id, kind, release_date, sha256, content_sha256 FROM releases "
                       "WHERE release_date <= ? ORDER BY release_id", [target]).fetchall()
    if any(r[4] is None for r in rows):  # a release stored before content digests: its content is not known here
        return None
    return [[r[0], r[1], _day(r[2]).isoformat(), r[3], r[4]] for r in rows]


def _conditions(con: DuckDBPyConnection, before: date) -> list:
    """Row count and MD5 of every stored hourly condition before ``before`` (more than the model reads: a change
    anywhere there is a miss, never a stale hit)."""
    n, digest = con.execute(
        "SELECT count(*), md5(coalesce(string_agg(CAST(ROW(point, time_utc, wind_speed_ms, wind_gust_ms, "
        "wind_direction_deg, wave_height_m, source, fetched_at) AS VARCHAR), ';' "
        "ORDER BY point, time_utc, source), '')) FROM conditions_hourly WHERE time_utc < ?", [before]).fetchone()
    return [n, digest]


def key_inputs(con: DuckDBPyConnection, req: ForecastRequest, today: date | None = None) -> dict | None:
    """Every input that decides the forecast of ``req`` from the store ``con``, or None when it is not cacheable."""
    target = forecast_day(con, req.as_of, today)
    if target is None:
        return None
    releases = _releases(con, target)
    if releases is None:
        return None
    inputs = {"format": FORMAT, "code": code_digest(), "as_of": target.isoformat(), "days": req.days,
              "weeks": req.weeks, "n_paths": req.n_paths, "seed": req.seed, "model": req.model,
              "releases": releases}
    if req.model == "hurdle":
        inputs["use_conditions"] = req.use_conditions
        if req.use_conditions:
            end = last_simulated_day(target, req.days, req.weeks) + timedelta(days=1)
            inputs["conditions"] = _conditions(con, end)
    return inputs


def digest(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def checksum(payload: dict) -> str:
    """SHA-256 of a JSON-able payload (keys sorted): what an entry file stores to detect damage."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def folder_beside(store_path: str | os.PathLike) -> Path:
    """The cache folder of the store file at ``store_path``."""
    return Path(store_path).expanduser().resolve().parent / SUBDIR


def store_folder(con: DuckDBPyConnection) -> Path | None:
    """The cache folder of the store ``con`` reads (None for an in-memory store: nothing is cached)."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return folder_beside(row[0]) if row and row[0] else None


def discard(path: Path) -> None:
    """Remove a cache file if it is there and can be removed (a cache that cannot be changed costs time only)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def touch(path: Path) -> None:
    """Mark a cache file as just used (evicted last), if its time can be changed."""
    try:
        os.utime(path)
    except OSError:
        pass


def load(folder: Path, key: str) -> Entry | None:
    """The entry of ``key`` in ``folder``, or None (missing; unreadable or corrupt: then removed)."""
    path = folder / f"{key}.json"
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        discard(path)
        return None
    try:
        data = json.loads(raw)
        payload = {k: data[k] for k in ("doc", "daily_table", "weekly_table")}
        ok = (data.get("format") == FORMAT and data.get("key") == key and data.get("check") == checksum(payload)
              and isinstance(payload["doc"], dict) and isinstance(payload["doc"].get("note"), str)
              and isinstance(payload["doc"].get("as_of"), str)
              and all(isinstance(payload[k], str) for k in ("daily_table", "weekly_table")))
        date.fromisoformat(payload["doc"]["as_of"])
    except (ValueError, KeyError, TypeError, AttributeError):
        ok = False
    if not ok:
        discard(path)
        return None
    touch(path)
    return Entry(**payload)


def save(folder: Path, key: str, inputs: dict, entry: Entry, pinned: tuple[str, ...] = ()) -> None:
    """Write the entry of ``key`` into ``folder`` (atomically), then keep the :data:`MAX_ENTRIES` most recently
    used there besides the entries of the keys ``pinned``."""
    payload = entry.payload()
    data = {"format": FORMAT, "key": key, "inputs": inputs, **payload, "check": checksum(payload)}
    try:
        write_text(folder / f"{key}.json", json.dumps(data, indent=0) + "\n")
        evict(folder, MAX_ENTRIES, pinned)
    except OSError:  # a cache that cannot be written costs a recomputation next time, nothing else
        pass


def evict(folder: Path, keep: int, pinned: tuple[str, ...] = (), pattern: str = "*.json") -> int:
    """Remove all but the ``keep`` most recently used files of ``folder`` matching ``pattern`` (the entries), never
    counting or removing those of the keys ``pinned``; returns how many were removed."""
    spared = {f"{k}.json" for k in pinned}
    try:
        files = [(p.stat().st_mtime_ns, p.name, p) for p in folder.glob(pattern) if p.name not in spared]
    except OSError:
        return 0
    files.sort(reverse=True)
    for _, _, p in files[keep:]:
        discard(p)
    return max(0, len(files) - keep)


def default_key(con: DuckDBPyConnection, today: date | None = None) -> str | None:
    """The key of the default forecast (:class:`ForecastRequest` ``()``) from the store ``con``, None when it is
    not cacheable."""
    inputs = key_inputs(con, ForecastRequest(), today)
    return None if inputs is None else digest(inputs)


def compute(store: Store, req: ForecastRequest, target: date | None = None, folder: Path | None = None) -> Entry:
    """Run the forecast of ``req`` on ``store`` (pandas, NumPy and the model) and render its entry; with the cache
    ``folder``, the model's fit is read from or stored in its fits folder (:mod:`.fits`)."""
    from . import fits
    from .api import forecast_from_store
    from .tables import forecast_tables
    if target is None:  # the day given explicitly: the entry's note is the day's, without the release's age
        target = forecast_day(store.con, None) if req.as_of is None else req.as_of
    fc = forecast_from_store(store, target, req.days, req.weeks, req.n_paths, req.seed, model=req.model,
                             use_conditions=req.use_conditions,
                             fits_folder=None if folder is None else fits.folder_in(folder))
    daily, weekly = forecast_tables(fc)
    return Entry(fc.to_dict(), daily, weekly)


def lookup(store: Store, req: ForecastRequest, *, today: date | None = None,
           folder: Path | None = None) -> Entry | None:
    """The stored entry of ``req`` (as :func:`get_or_compute` would read it), or None; never computes."""
    folder = folder or store_folder(store.con)
    inputs = key_inputs(store.con, req, today) if folder is not None else None
    return None if inputs is None else load(folder, digest(inputs))


def get_or_compute(store: Store, req: ForecastRequest, *, use_cache: bool = True, today: date | None = None,
                   folder: Path | None = None) -> tuple[Entry, bool]:
    """The entry of ``req`` from the cache, else computed (and stored when ``use_cache``); and whether it was a hit.

    ``store`` is a :class:`crossings.store.Store` (or a stand-in with ``con`` and the reading methods); ``folder``
    the cache folder (default: beside the store's file; an in-memory store without ``folder`` is not cached)."""
    folder = folder or (store_folder(store.con) if use_cache else None)
    inputs = key_inputs(store.con, req, today) if use_cache and folder is not None else None
    if inputs is None:
        return compute(store, req), False
    key = digest(inputs)
    entry = load(folder, key)
    if entry is not None:
        return entry, True
    entry = compute(store, req, date.fromisoformat(inputs["as_of"]), folder)
    default = default_key(store.con, today)
    save(folder, key, inputs, entry, pinned=() if default is None else (default,))
    return entry, False

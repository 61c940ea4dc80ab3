"""Fitted models kept on disk: a forecast with other paths, seed, days or weeks on the same data skips the fit.

A fit is a deterministic function of the model's settings and the series (the ensemble's history forecasts draw
from streams seeded by their data end), so the fitted results of one forecast serve every later forecast from the
same data: only the simulation, which depends on the paths and the seed, runs again. Loading a stored fit imports
neither statsmodels, SciPy's optimisers nor numba (the models import them when they fit), which is most of a
computed forecast's time (docs/performance.md).

The key is a SHA-256 digest of the model's settings (:func:`joblib.hash` of the unfitted model, conditions table
included), the series (first day, boats and people), and :func:`.cache.code_digest` (the forecast's source files
and the numerical libraries' versions, so a code change or an upgrade never loads an old fit). An entry is the
pickled results behind a header line with the format and the SHA-256 of the pickle, written with
:mod:`crossings.atomic`; one that is unreadable, fails its checksum or does not unpickle is removed and refitted.
The folder is ``forecasts/fits/`` beside the store file (the forecast cache's own folder), so it is as trusted as
the store itself. At most :data:`MAX_FITS` entries are kept, the least recently used removed first.

While a fit runs with a folder, its parts that are functions of older data are remembered there too
(:func:`remembered`: JSON numbers in a subfolder per kind): the local-level model's hyper-parameters, fitted on
the data up to a refit day on a fixed four-weekly calendar, serve every later forecast whose fits reach back to
that day with the same data, a forecast of another ``--as-of`` among them.
"""
from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from ..atomic import write_bytes, write_text
from .cache import checksum, code_digest, discard, evict, touch
from .series import Series

FORMAT = 1
MAX_FITS = 8  # a stored ensemble fit of the bundled series is 78 kB
MAX_REMEMBERED = 512  # entries per kind of remembered part (a local-level hyper-parameter set is 0.3 kB)
SUBDIR = "fits"
_MAGIC = b"crossings-fit"
_FOLDER: ContextVar[Path | None] = ContextVar("crossings_fits_folder", default=None)  # of the fit running


def folder_in(cache_folder: Path) -> Path:
    """The fits folder inside a forecast cache folder (:func:`.cache.store_folder`)."""
    return Path(cache_folder) / SUBDIR


def key(model: Any, series: Series) -> str:
    """What identifies a fit: the unfitted model's settings, the series and the forecast's code."""
    import joblib

    h = hashlib.sha256()
    for arr in (series.boats, series.people):
        h.update(str(arr.dtype).encode() + b"\0" + arr.tobytes() + b"\0")
    inputs = {"format": FORMAT, "code": code_digest(), "model": joblib.hash(model),
              "start": series.start.isoformat(), "series": h.hexdigest()}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def load(folder: Path, name: str) -> Any | None:
    """The stored results of key ``name``, or None (missing; unreadable, corrupt or not unpickling: then removed)."""
    path = folder / f"{name}.pkl"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        discard(path)
        return None
    header, _, body = raw.partition(b"\n")
    if header != _MAGIC + f" {FORMAT} {hashlib.sha256(body).hexdigest()}".encode():
        discard(path)
        return None
    try:
        results = pickle.loads(body)
    except Exception:  # noqa: BLE001 - any failure to unpickle (a class since renamed, say): refit
        discard(path)
        return None
    touch(path)
    return results


def save(folder: Path, name: str, results: Any) -> None:
    """Store ``results`` under key ``name`` (atomically), then keep the :data:`MAX_FITS` most recently used;
    results that cannot be pickled are not stored (the next forecast fits again)."""
    try:
        body = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - pickle raises several kinds (PicklingError, TypeError, AttributeError)
        return
    header = _MAGIC + f" {FORMAT} {hashlib.sha256(body).hexdigest()}".encode()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes(folder / f"{name}.pkl", header + b"\n" + body)
        evict(folder, MAX_FITS, pattern="*.pkl")
    except OSError:  # a fit that cannot be stored costs a refit next time, nothing else
        pass


def remembered(kind: str, inputs: dict, compute: Callable[[], dict[str, float]]) -> dict[str, float]:
    """``compute()`` (a dict of numbers that is a function of ``inputs`` and the code), read from the folder of the
    fit running (:func:`fit`) when stored there, else computed and stored there; without a fit folder, computed.
    JSON keeps every float exactly, so a remembered value is the computed one to the last bit."""
    folder = _FOLDER.get()
    if folder is None:
        return compute()
    name = hashlib.sha256(json.dumps({"format": FORMAT, "code": code_digest(), "kind": kind, **inputs},
                                     sort_keys=True).encode()).hexdigest()
    path = folder / kind / f"{name}.json"
    value = None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["key"] == name and data["check"] == checksum(data["value"]):
            value = {k: float(v) for k, v in data["value"].items()}
        else:
            discard(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # unreadable or corrupt: computed again
        discard(path)
    if value is not None:
        touch(path)
        return value
    value = {k: float(v) for k, v in compute().items()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps({"key": name, "inputs": inputs, "value": value, "check": checksum(value)}))
        evict(path.parent, MAX_REMEMBERED)
    except OSError:
        pass
    return value


def fit(model: Any, series: Series, folder: Path | None = None) -> Any:
    """``model.fit(series)``, loaded from ``folder`` when stored there (and stored there when not); without
    ``folder``, simply fitted."""
    if folder is None:
        return model.fit(series)
    try:
        name = key(model, series)
    except Exception:  # noqa: BLE001 - settings joblib cannot hash: fitted, not stored (never a failed forecast)
        return model.fit(series)
    results = load(folder, name)
    if results is None:
        token = _FOLDER.set(folder)
        try:
            results = model.fit(series)
        finally:
            _FOLDER.reset(token)
        save(folder, name, results)
    return results

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
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path
from typing import Any

from ..atomic import write_bytes
from .series import Series

FORMAT = 1
MAX_FITS = 8  # a stored ensemble fit of the bundled series is 78 kB
SUBDIR = "fits"
_MAGIC = b"crossings-fit"


def folder_in(cache_folder: Path) -> Path:
    """The fits folder inside a forecast cache folder (:func:`.cache.store_folder`)."""
    return Path(cache_folder) / SUBDIR


def key(model: Any, series: Series) -> str:
    """What identifies a fit: the unfitted model's settings, the series and the forecast's code."""
    import joblib

    from .cache import code_digest
    h = hashlib.sha256()
    for arr in (series.boats, series.people):
        h.update(str(arr.dtype).encode() + b"\0" + arr.tobytes() + b"\0")
    inputs = {"format": FORMAT, "code": code_digest(), "model": joblib.hash(model),
              "start": series.start.isoformat(), "series": h.hexdigest()}
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def load(folder: Path, name: str) -> Any | None:
    """The stored results of key ``name``, or None (missing; unreadable, corrupt or not unpickling: then removed)."""
    path = folder / f"{name}.pkl"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        _remove(path)
        return None
    header, _, body = raw.partition(b"\n")
    if header != _MAGIC + f" {FORMAT} {hashlib.sha256(body).hexdigest()}".encode():
        _remove(path)
        return None
    try:
        results = pickle.loads(body)
    except Exception:  # noqa: BLE001 - any failure to unpickle (a class since renamed, say): refit
        _remove(path)
        return None
    try:
        os.utime(path)  # recently used: removed last
    except OSError:
        pass
    return results


def save(folder: Path, name: str, results: Any) -> None:
    """Store ``results`` under key ``name`` (atomically), then keep the :data:`MAX_FITS` most recently used."""
    body = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    header = _MAGIC + f" {FORMAT} {hashlib.sha256(body).hexdigest()}".encode()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes(folder / f"{name}.pkl", header + b"\n" + body)
        files = sorted(((p.stat().st_mtime_ns, p.name, p) for p in folder.glob("*.pkl")), reverse=True)
        for _, _, p in files[MAX_FITS:]:
            _remove(p)
    except OSError:  # a fit that cannot be stored costs a refit next time, nothing else
        pass


def fit(model: Any, series: Series, folder: Path | None = None) -> Any:
    """``model.fit(series)``, loaded from ``folder`` when stored there (and stored there when not); without
    ``folder``, simply fitted."""
    if folder is None:
        return model.fit(series)
    name = key(model, series)
    results = load(folder, name)
    if results is None:
        results = model.fit(series)
        save(folder, name, results)
    return results

"""``crossings fetch``: discover the current release on GOV.UK, download it, and ingest it.

Everything is downloaded and parsed before anything is written: with no network, or when GOV.UK lists nothing
usable, or when a download cannot be read, the store and the downloads folder are left as they were. Each file
that passes is then stored as one release in its own transaction (the same file twice adds nothing).
"""
from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .atomic import write_bytes
from .config import default_db_path
from .errors import InputError
from .sources import ParsedRelease, read
from .sources.govuk import FILE_EXPIRE_S, PAGE_EXPIRE_S, Discovery, base_url as govuk_base, discover, download, \
    page_filename, write_file
from .store import IngestResult, Store, add_release

__all__ = ["FetchResult", "downloads_dir", "fetch_latest"]


@dataclass(frozen=True)
class FetchResult:
    """What one fetch did: the files saved and, for each, whether it added a release to the store."""

    base_url: str
    discovery: Discovery
    files: tuple[Path, ...]
    ingested: tuple[IngestResult, ...]

    @property
    def added(self) -> list[IngestResult]:
        return [r for r in self.ingested if r.added]

    def describe(self) -> str:
        lines = [r.describe() for r in self.ingested]
        n = len(self.added)
        lines.append(f"fetched from {self.base_url}: "
                     + (f"{n} new release{'s' if n != 1 else ''}" if n else "nothing new"))
        return "\n".join(lines)


def downloads_dir(db_path: Path) -> Path:
    """Where downloaded files are kept: ``downloads/`` beside the store."""
    return db_path.parent / "downloads"


def _keep_name(folder: Path, name: str, data: bytes) -> str:
    """``name``, unless a different file already has it there: then the name with a short hash of ``data``."""
    existing = folder / name
    if not existing.exists() or existing.read_bytes() == data:
        return name
    stem, dot, suffix = name.rpartition(".")
    tag = hashlib.sha256(data).hexdigest()[:8]
    return f"{stem}_{tag}.{suffix}" if dot else f"{name}_{tag}"


def _read_download(path: Path, url: str) -> ParsedRelease:
    """Parse a staged download; an error names the address it came from (the staged copy is about to go)."""
    try:
        return read(path, origin=url)
    except InputError as exc:
        raise InputError(exc.problem, file=url, sheet=exc.sheet, row=exc.row, column=exc.column) from None


def _fetch_parsed(url: str, staged: Path, expire_after_s: int) -> tuple[bytes, ParsedRelease]:
    """Download ``url`` and read it from a staged copy named ``staged``; the HTTP cache keeps it only if it reads."""
    def parse(data: bytes) -> tuple[bytes, ParsedRelease]:
        write_file(data, staged)
        return data, _read_download(staged, url)
    return download(url, expire_after_s=expire_after_s, parse=parse)


def fetch_latest(db_path: str | Path | None = None, base_url: str | None = None, *,
                 today: date | None = None) -> FetchResult:
    """Download the newest workbook and the daily page from GOV.UK (or ``base_url``) and ingest both.

    Raises ``NetworkError`` when GOV.UK cannot be reached (or an answer is too large or too slow),
    ``DiscoveryError`` when the publication lists no workbook, ``InputError`` when a download cannot be read; in
    each case the store is not opened and nothing is changed. Only downloads that were read are kept in the HTTP
    cache, so a bad answer is asked for again next time.
    """
    base = govuk_base(base_url)
    found = discover(base)
    db = Path(db_path).expanduser() if db_path else default_db_path()
    folder = downloads_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    page_name = page_filename(today or date.today())
    # Parse staged copies (under the names they are kept by: a workbook's name carries its publication date);
    # keep the files only when both were read.
    with tempfile.TemporaryDirectory(prefix="crossings-fetch-") as staging:
        workbook, wb_release = _fetch_parsed(found.workbook.url, Path(staging) / found.workbook.filename,
                                             FILE_EXPIRE_S)
        page, page_release = _fetch_parsed(found.last7.url, Path(staging) / page_name, PAGE_EXPIRE_S)
    files = [write_bytes(folder / _keep_name(folder, name, data), data)
             for name, data in ((found.workbook.filename, workbook), (page_name, page))]
    with Store(db) as store:
        results = tuple(add_release(store.con, rel, path=str(f))
                        for rel, f in zip((wb_release, page_release), files))
    return FetchResult(base, found, tuple(files), results)

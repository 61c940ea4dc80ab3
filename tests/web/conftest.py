"""The dashboard started for real: ``python -m crossings serve`` (uvicorn) on a free port of 127.0.0.1, over a store
built from the official sample workbooks."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from paths import WB_12DEC, WB_14NOV, WB_19DEC

START_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    db: Path
    proc: subprocess.Popen

    def get(self, path: str, **kw) -> requests.Response:
        return requests.get(self.url + path, timeout=kw.pop("timeout", 120), **kw)

    def post(self, path: str, **kw) -> requests.Response:
        return requests.post(self.url + path, timeout=kw.pop("timeout", 300), **kw)


def cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    """The crossings CLI in a subprocess (the path a user takes), failing the test on a non-zero exit."""
    return subprocess.run([sys.executable, "-m", "crossings", *args, "--db", str(db)], capture_output=True,
                          text=True, check=True, timeout=300)


def build_store(path: Path, workbooks) -> Path:
    from crossings.store import Store
    with Store(path) as s:
        for wb in workbooks:
            s.ingest(wb)
    return path


def start_server(db: Path, env: dict | None = None) -> Server:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "crossings", "serve", "--port", str(port), "--db", str(db)],
                            env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"crossings serve exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if requests.get(url + "/api/health", timeout=5).status_code == 200:
                return Server(url, db, proc)
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("crossings serve did not answer in time")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(timeout=10)


def bundled_layer_files() -> list[Path]:
    """The IOM incidents and prefecture figures shipped with the package (empty in a version without them)."""
    try:
        from crossings.store.incidents import bundled_table_files
    except ImportError:
        return []
    return list(bundled_table_files())


@pytest.fixture(scope="session")
def store3(tmp_path_factory) -> Path:
    """A store holding the 14 Nov, 12 Dec and 19 Dec 2025 workbooks (release ids 1, 2, 3) and the bundled IOM
    incidents and prefecture figures."""
    return build_store(tmp_path_factory.mktemp("web") / "store.duckdb",
                       [WB_14NOV, WB_12DEC, WB_19DEC, *bundled_layer_files()])


@pytest.fixture(scope="session")
def server(store3) -> Iterator[Server]:
    s = start_server(store3)
    yield s
    stop_server(s)


@pytest.fixture()
def fresh_store(tmp_path, store3) -> Path:
    """A private copy of the three-release store (for tests that write to it or need their own server)."""
    return Path(shutil.copy(store3, tmp_path / "store.duckdb"))


@contextmanager
def in_process_server(db: Path) -> Iterator[tuple[Server, object]]:
    """The dashboard app served by uvicorn in a thread of this process (its state, such as the forecast lock, is
    then visible to the test); yields the server and the app."""
    import threading

    import uvicorn

    from crossings.web import create_app
    from crossings.web.settings import Settings
    app = create_app(Settings(db_path=db))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the in-process server did not start")
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}", db, None), app
    finally:
        server.should_exit = True
        thread.join(timeout=30)

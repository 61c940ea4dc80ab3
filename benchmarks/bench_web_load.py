"""Load on the dashboard: 200 requests per second for 30 s on /api/stats/key, first alone, then while doctrine
comparisons run back to back. Tool: locust (as a library, headless, FastHttpUser with constant throughput).

    .venv/bin/python benchmarks/bench_web_load.py [--rate 200] [--seconds 30] [--db STORE] [--quick]

Starts ``crossings serve`` for real (uvicorn, its own process) on a free loopback port over a store holding the
bundled workbook (or --db). Targets: p99 < 100 ms alone, p99 < 200 ms during a comparison, no failed request.
Record the printed table in docs/performance.md with the machine's load at the time.
"""
from __future__ import annotations

import gevent.monkey

gevent.monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402
from locust import constant_throughput, task  # noqa: E402
from locust.contrib.fasthttp import FastHttpUser  # noqa: E402
from locust.env import Environment  # noqa: E402

USERS = 20  # each at rate/USERS requests per second
COMPARISON = {"doctrines": ["status_quo", "sea_interception", "enhanced_beach"], "start": "2025-01-01",
              "end": "2025-12-31", "replicates": 2000, "seed": 1}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _store(db: str | None, tmp: Path) -> Path:
    if db:
        return Path(db)
    path = tmp / "store.duckdb"
    subprocess.run([sys.executable, "-m", "crossings", "ingest", "--bundled", "--db", str(path)], check=True,
                   capture_output=True)
    return path


def _serve(db: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "crossings", "serve", "--port", str(port), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(url + "/api/health", timeout=2).ok:
                return proc, url
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("crossings serve did not start")


def _load(url: str, rate: float, seconds: float) -> dict:
    class KeyFigures(FastHttpUser):
        host = url
        wait_time = constant_throughput(rate / USERS)

        @task
        def key(self):
            self.client.get("/api/stats/key")

    env = Environment(user_classes=[KeyFigures])
    runner = env.create_local_runner()
    runner.start(USERS, spawn_rate=USERS)
    gevent.sleep(2)  # ramp up, then measure from a clean slate
    env.stats.reset_all()
    t0 = time.perf_counter()
    gevent.sleep(seconds)
    elapsed = time.perf_counter() - t0
    s = env.stats.total
    out = {"requests": s.num_requests, "failures": s.num_failures, "rps": round(s.num_requests / elapsed, 1),
           "p50_ms": s.get_response_time_percentile(0.5), "p99_ms": s.get_response_time_percentile(0.99),
           "max_ms": round(s.max_response_time, 1)}
    runner.quit()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--db", default=None)
    ap.add_argument("--quick", action="store_true", help="CI: 50 requests/s for 5 s, small comparisons")
    args = ap.parse_args()
    if args.quick:
        args.rate, args.seconds = 50.0, 5.0
        COMPARISON.update(replicates=100, end="2025-03-31")
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = _serve(_store(args.db, Path(tmp)))
        try:
            requests.get(url + "/api/stats/key", timeout=60)  # fill the cache
            small = dict(COMPARISON, end="2025-01-10", replicates=10)
            requests.post(url + "/api/compare", json=small, timeout=300)  # start the simulation worker
            alone = _load(url, args.rate, args.seconds)
            running = {"n": 0, "statuses": [], "stop": False}

            def comparisons():
                while not running["stop"]:
                    r = requests.post(url + "/api/compare", json=COMPARISON, timeout=600)
                    running["n"] += 1
                    running["statuses"].append(r.status_code)

            g = gevent.spawn(comparisons)
            gevent.sleep(1)
            during = _load(url, args.rate, args.seconds)
            running["stop"] = True
            g.join(timeout=600)
            during["comparisons_answered"] = running["statuses"]
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    load = os.getloadavg()
    print(json.dumps({"tool": "locust (library, FastHttpUser, constant_throughput)", "rate": args.rate,
                      "seconds": args.seconds, "cpus": os.cpu_count(), "loadavg_1_5_15": [round(x, 2) for x in load],
                      "alone": alone, "during_comparison": during,
                      "targets_met": {"alone_p99_under_100ms": alone["p99_ms"] < 100 and alone["failures"] == 0,
                                      "during_p99_under_200ms": during["p99_ms"] < 200 and during["failures"] == 0}},
                     indent=1))


if __name__ == "__main__":
    main()

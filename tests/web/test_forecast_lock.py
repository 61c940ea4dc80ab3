"""``/api/forecast`` while another forecast is being computed: a forecast already in the cache (on disk, or the
dashboard's in memory) is answered at once, not after the computation holding the lock. Real concurrent requests
against the app served by uvicorn in this process, whose forecast lock the test watches; nothing is stubbed."""
from __future__ import annotations

import threading
import time

import pytest

from conftest import in_process_server

pytestmark = pytest.mark.slow

#: A forecast that takes seconds to compute (the web limits, the slowest model); a seed no other test uses.
SLOW = {"days": 28, "weeks": 12, "paths": 5000, "model": "ensemble", "seed": 424242}
#: A small one, computed first so that it is in the cache.
CACHED = {"as_of": "2025-12-12", "days": 3, "weeks": 1, "paths": 200, "model": "persistence", "seed": 5}
WAIT_S = 120  # how long the test waits for the slow forecast to take the lock (not a timing assertion)


def test_a_cached_forecast_does_not_wait_for_one_being_computed(fresh_store):
    with in_process_server(fresh_store) as (server, app):
        lock = app.state.forecast_lock
        small = server.get("/api/forecast", params=CACHED)
        default = server.get("/api/forecast")
        assert small.status_code == default.status_code == 200
        assert not lock.locked()

        slow: dict = {}

        def ask_slow():
            slow["response"] = server.get("/api/forecast", params=SLOW, timeout=600)
        a = threading.Thread(target=ask_slow)
        a.start()
        deadline = time.monotonic() + WAIT_S
        while not lock.locked():  # the slow forecast is being computed once it holds the lock
            assert a.is_alive() and time.monotonic() < deadline, "the slow forecast never took the lock"
            time.sleep(0.01)

        again_small = server.get("/api/forecast", params=CACHED)  # on disk
        again_default = server.get("/api/forecast")  # in memory
        # both answered while the slow computation still holds the lock and has not answered
        assert lock.locked() and a.is_alive() and "response" not in slow
        assert again_small.status_code == again_default.status_code == 200
        assert again_small.json() == small.json() and again_default.json() == default.json()

        a.join(timeout=600)
        assert slow["response"].status_code == 200, slow["response"].text[:300]
        body = slow["response"].json()
        assert len(body["daily"]) == 28 and len(body["weekly"]) == 12 and not lock.locked()

"""Simulations off the event loop: a pool of worker processes (pebble), a time limit, and a cap on how many run.

A job that would exceed ``max_simulations`` is refused at once (:class:`Busy`, answered 429) rather than queued, so
a burst of comparisons cannot pile up behind each other. A job past its time limit has its worker process stopped
(pebble terminates and replaces it) and is answered 504. The event loop only awaits futures, so other pages stay
fast while a comparison runs on another core.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from ..errors import CrossingsError


class Busy(Exception):
    """Every simulation slot is taken."""


class TimedOut(Exception):
    """A job ran past its time limit and was stopped."""


def _warm() -> None:
    """Worker start-up: import the simulator once, so the first job does not pay for it."""
    import crossings.sim.compare  # noqa: F401  (crossings.sim exports lazily: the modules a job runs)
    import crossings.sim.model  # noqa: F401
    import crossings.forecast  # noqa: F401


class JobRunner:
    """At most ``max_jobs`` jobs at once, each in a worker process, each with a time limit."""

    def __init__(self, max_jobs: int):
        self.max_jobs = max_jobs
        self._running = 0
        self._lock = threading.Lock()
        self._pool = None

    def _get_pool(self):
        if self._pool is None:
            from pebble import ProcessPool
            # forkserver: workers do not inherit the server's threads or its open sockets
            self._pool = ProcessPool(max_workers=self.max_jobs, initializer=_warm,
                                     context=multiprocessing.get_context("forkserver"))
        return self._pool

    @property
    def running(self) -> int:
        return self._running

    def _acquire(self) -> None:
        with self._lock:
            if self._running >= self.max_jobs:
                raise Busy(f"{self._running} simulation(s) already running (the limit is {self.max_jobs}); "
                           "try again when it finishes")
            self._running += 1

    def _release(self) -> None:
        with self._lock:
            self._running -= 1

    async def run(self, fn: Callable[..., Any], *args: Any, timeout_s: float) -> Any:
        """Run ``fn(*args)`` in a worker process; :class:`Busy` if no slot is free, :class:`TimedOut` past
        ``timeout_s``. A :class:`CrossingsError` raised by ``fn`` is raised here unchanged."""
        self._acquire()
        try:
            future = self._get_pool().schedule(fn, args=args, timeout=timeout_s)
            try:
                return await asyncio.wrap_future(future)
            except (FutureTimeout, TimeoutError):
                raise TimedOut(f"the simulation ran past the time limit of {timeout_s:g} s and was stopped; "
                               "ask for fewer replicates or a shorter period") from None
            except CrossingsError:
                raise
        finally:
            self._release()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=5)
            self._pool = None

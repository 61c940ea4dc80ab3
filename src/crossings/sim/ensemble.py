"""Run many replicates of a scenario, in process or on Ray, with numbers that do not depend on the worker count.

Replicates are cut into blocks of a fixed size (``block_size``, independent of how many workers run them). Block
``i`` draws from ``SeedSequence(seed).spawn(n_blocks)[i]``; a spawned child depends only on the root seed and its
index, so the numbers of every replicate depend on ``(scenario, seed, block_size)`` and nothing else: one worker or
many, any order of completion, and the first full blocks of a larger run equal those of a smaller one.

Blocks run in this process when ``workers=1`` (or, with ``workers=None``, when the run is small), otherwise as Ray
tasks: on a local Ray started here (and shut down afterwards) or on a cluster given by ``address`` (see
``docs/ray.md``). Results are assembled in block order. Only per-replicate totals are kept unless daily series are
asked for (``keep_daily``) or written (``out``), which are streamed block by block to the file.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

import numpy as np

from ..errors import CrossingsError, InputError, NetworkError
from .results import DailyWriter, SimulationResult, check_output_path, daily_dataset

#: Replicates per block: the unit of work and of random streams. Changing it changes the numbers. The kernel
#: has a fixed cost per simulated day, so blocks of a few thousand run near full speed; 2,500 splits 10,000
#: replicates evenly over 2 or 4 workers.
DEFAULT_BLOCK_SIZE = 2500
#: With ``workers=None`` and no Ray address, runs smaller than this many replicate-days stay in process
#: (starting Ray costs a few seconds).
IN_PROCESS_REPLICATE_DAYS = 5_000_000
#: Progress bar only for runs at least this large (replicate-days).
PROGRESS_REPLICATE_DAYS = 2_000_000


def _model():
    from . import model
    return model


def variables() -> tuple[str, ...]:
    """Every daily series the kernel returns: outcomes (summed over the period) then states."""
    m = _model()
    return tuple(m.OUTCOMES) + tuple(getattr(m, "STATES", ()))


def resolve_scenario(scenario):
    """A Scenario object from a Scenario, a YAML path or a shipped doctrine name."""
    if isinstance(scenario, (str, os.PathLike)):
        from .scenario import load_scenario
        return load_scenario(scenario)
    return scenario


def block_plan(replicates: int, block_size: int) -> list[tuple[int, int]]:
    """``(first replicate, size)`` of each block: full blocks of ``block_size`` then a remainder."""
    return [(s, min(block_size, replicates - s)) for s in range(0, replicates, block_size)]


def block_seeds(seed: int, n_blocks: int) -> list[np.random.SeedSequence]:
    """One independent SeedSequence per block, spawned from the run's root seed."""
    return np.random.SeedSequence(seed).spawn(n_blocks)


def run_block(scenario, n_replicates: int, seed: np.random.SeedSequence, daily_vars: Sequence[str] = (),
              posterior=None) -> tuple[np.ndarray, dict[str, np.ndarray], float]:
    """Simulate one block: totals (n, n_outcomes) int64, ``{var: (n, n_days) int64 for var in daily_vars}``, and
    the CPU seconds the block took where it ran. Only the daily series asked for are held in memory. With a
    ``posterior`` (crossings.sim.posterior.Posterior, already applied to ``scenario``), its calibrated parameters
    replace their priors' draws."""
    cpu = time.process_time()
    m = _model()
    given = posterior.draw(scenario, n_replicates, seed) if posterior is not None else None
    p = m.draw(scenario, n_replicates, seed, given)
    all_totals, daily = m.run(scenario, p, n_replicates, seed, tuple(daily_vars))
    totals = np.ascontiguousarray(all_totals[[m.SERIES.index(k) for k in m.OUTCOMES]].T)
    return totals, daily, time.process_time() - cpu


#: Share of the available memory a run may plan to use; beyond it the run is refused before it starts.
MEMORY_SHARE = 0.5
#: Working memory of the kernel per replicate of a block besides its daily series (parameters, constants, one
#: day of random inputs), bytes; and per replicate-day of the random inputs drawn at once.
PER_REPLICATE_BYTES = 1200
CHUNK_BYTES = 70 * (1 << 16)


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation: /proc/meminfo's MemAvailable on Linux (what psutil reports
    there, without its import), else psutil if installed, else sysconf."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        import psutil
        return int(psutil.virtual_memory().available)
    except ImportError:
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def memory_estimate(replicates: int, n_days: int, block_size: int, n_wanted: int, n_kept: int,
                    blocks_in_flight: int = 1) -> int:
    """Bytes a run will hold at its peak: the daily series kept (replicates x days x series x 8), each block in
    flight (its daily series, twice when written to a file, and the kernel's working memory), and the totals."""
    block = min(block_size, replicates)
    per_block = block * n_days * n_wanted * 8 * 2 + block * PER_REPLICATE_BYTES + CHUNK_BYTES
    return replicates * n_days * n_kept * 8 + blocks_in_flight * per_block + replicates * 8 * 8 * 2


def check_memory(replicates: int, n_days: int, block_size: int, n_wanted: int, n_kept: int,
                 blocks_in_flight: int = 1, limit: int | None = None) -> None:
    """Refuse (InputError) a run whose :func:`memory_estimate` exceeds ``limit`` (default: MEMORY_SHARE of the
    available memory), saying what would fit."""
    if limit is None:
        avail = available_memory()
        if avail is None:
            return
        limit = int(avail * MEMORY_SHARE)
    need = memory_estimate(replicates, n_days, block_size, n_wanted, n_kept, blocks_in_flight)
    if need <= limit:
        return
    gib = 2 ** 30
    per_replicate = n_days * n_kept * 8 + 8 * 8 * 2            # kept daily series and totals
    remaining = limit - replicates * per_replicate - CHUNK_BYTES * blocks_in_flight
    fit_block = max(0, int(remaining // (blocks_in_flight * (n_days * n_wanted * 16 + PER_REPLICATE_BYTES))))
    hint = []
    if replicates * per_replicate > limit // 2:
        what = "with their daily series in memory (or write them with --out)" if n_kept else ""
        hint.append(f"at most about {limit // 2 // per_replicate:,} replicates {what}".rstrip())
    if min(block_size, replicates) > fit_block:
        hint.append(f"a block size of at most {fit_block:,}")
    raise InputError(f"this run would need about {need / gib:,.1f} GiB ({replicates:,} replicates x {n_days:,} days, "
                     f"blocks of {min(block_size, replicates):,}), more than the {limit / gib:,.1f} GiB allowed "
                     f"({MEMORY_SHARE:.0%} of the available memory); "
                     f"what fits: {'; '.join(hint) or 'fewer replicates'}")


def _check_int(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputError(f"{name} must be a whole number, got {value!r}")
    if value < minimum:
        raise InputError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def _daily_vars(keep_daily: bool | Sequence[str], out) -> tuple[list[str], list[str]]:
    """(variables kept in memory, variables returned by each block)."""
    allv = list(variables())
    if keep_daily is True:
        keep = allv
    elif keep_daily is False or keep_daily is None:
        keep = []
    else:
        keep = list(keep_daily)
        unknown = [k for k in keep if k not in allv]
        if unknown:
            raise InputError(f"unknown daily series {', '.join(unknown)}; known: {', '.join(allv)}")
    wanted = allv if out is not None else keep
    return keep, wanted


def run_ensemble(scenario, replicates: int, seed: int, *, workers: int | None = None, address: str | None = None,
                 block_size: int = DEFAULT_BLOCK_SIZE, keep_daily: bool | Sequence[str] = False,
                 out: str | os.PathLike | None = None, progress: bool | None = None,
                 posterior=None) -> SimulationResult:
    """Run ``replicates`` replicates of ``scenario`` from root ``seed``.

    ``posterior`` (a :class:`crossings.sim.posterior.Posterior`): its calibrated parameters and plug-in inputs
    replace the scenario's priors for them (see docs/model.md, "Calibration").

    ``scenario`` is a Scenario, a YAML path or a shipped doctrine name. ``workers=1`` runs in this process;
    ``workers=K`` runs K Ray workers (local Ray unless ``address`` names a cluster, where K caps the tasks in
    flight); ``workers=None`` stays in process for small runs and otherwise uses every core (or the whole cluster).
    ``keep_daily`` (True or a list of series) keeps daily series in ``result.daily``; ``out`` streams every
    series of every replicate to ``.nc``/``.parquet``/``.zarr``. ``progress``: True/False, or None for a bar on
    stderr only when it is a terminal and the run is long. The numbers depend only on scenario, seed and block size.
    """
    t0 = time.perf_counter()
    replicates = _check_int("replicates", replicates, 1)
    seed = _check_int("seed", seed, 0)
    block_size = _check_int("block_size", block_size, 1)
    if workers is not None:
        workers = _check_int("workers", workers, 1)
    out_path = check_output_path(out) if out is not None else None
    scenario = resolve_scenario(scenario)
    if posterior is not None:
        scenario = posterior.apply(scenario)
    dates = scenario.days()
    n_days = len(dates)
    keep, wanted = _daily_vars(keep_daily, out_path)
    outcomes = list(_model().OUTCOMES)

    plan = block_plan(replicates, block_size)
    use_ray = wants_ray(workers, address, len(plan), replicates * n_days)
    check_memory(replicates, n_days, block_size, len(wanted), len(keep),
                 blocks_in_flight=2 * (workers or os.cpu_count() or 1) if use_ray else 1)
    seeds = block_seeds(seed, len(plan))

    totals = np.empty((replicates, len(outcomes)), dtype=np.int64)
    kept = {k: np.empty((replicates, n_days), dtype=np.int64) for k in keep}
    attrs = {"scenario": str(scenario.name), "seed": seed, "block_size": block_size}
    writer = DailyWriter(out_path, wanted, dates, replicates, attrs=attrs, chunk_replicates=block_size) \
        if out_path is not None else None
    bar = _progress_bar(progress, replicates, n_days, str(scenario.name))

    cpu_seconds = 0.0

    def consume(i: int, block: tuple[np.ndarray, dict[str, np.ndarray], float]) -> None:
        nonlocal cpu_seconds
        start, n = plan[i]
        block_totals, daily, cpu = block
        cpu_seconds += cpu
        totals[start:start + n] = block_totals
        for k in keep:
            kept[k][start:start + n] = daily[k]
        if writer is not None:
            writer.write(start, daily)
        bar.update(n)

    try:
        if use_ray:
            used = _run_on_ray(scenario, plan, seeds, wanted, consume, workers=workers, address=address,
                               posterior=posterior)
        else:
            used = 1
            for i, (start, n) in enumerate(plan):
                consume(i, run_block(scenario, n, seeds[i], wanted, posterior))
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        bar.close()
    if writer is not None:
        writer.close()

    return SimulationResult(
        scenario_name=str(scenario.name), days=dates, totals_array=totals, outcomes=tuple(outcomes),
        seed=seed, block_size=block_size, seconds=time.perf_counter() - t0, workers=used,
        daily=daily_dataset(kept, dates, attrs=attrs) if keep else None, out=out_path,
        extra={"block_cpu_seconds": cpu_seconds})


def wants_ray(workers: int | None, address: str | None, n_blocks: int, replicate_days: int) -> bool:
    """Whether a run goes to Ray: a cluster address, more than one worker, or (``workers=None``) a long run.

    A Ray already initialised by the caller is used for every run that does not ask for ``workers=1``.
    """
    if address is not None or (workers is not None and workers > 1):
        return True
    if workers == 1:
        return False
    ray = sys.modules.get("ray")  # importing Ray only to ask would cost a second
    if ray is not None and ray.is_initialized():
        return True
    if not ray_installed():  # Ray is the extra crossings[ray]: without it a long run stays in this process
        return False
    return n_blocks > 1 and replicate_days >= IN_PROCESS_REPLICATE_DAYS


def import_ray():
    """The ``ray`` module, quiet; a one-line error saying how to install the extra when it is missing."""
    if not ray_installed():
        raise CrossingsError("Ray is not installed (needed for --workers above 1 and --address): "
                             "pip install 'crossings[ray]'")
    for var, value in (("RAY_BACKEND_LOG_LEVEL", "error"), ("RAY_USAGE_STATS_ENABLED", "0")):
        os.environ.setdefault(var, value)
    import ray
    for name in ("ray", "ray._private", "ray.worker", "ray._private.worker"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return ray


def ray_installed() -> bool:
    """Whether Ray (the ``crossings[ray]`` extra) can be imported, without importing it."""
    import importlib.util
    try:
        return importlib.util.find_spec("ray") is not None
    except ValueError:  # sys.modules['ray'] is None: made unimportable
        return False


@contextmanager
def ray_session(workers: int | None = None, address: str | None = None):
    """Start Ray (local with ``workers`` CPUs, or connect to ``address``) unless it is running; stop what it started.

    Yields the parallelism available: ``workers`` if given, else the cluster's CPUs.
    """
    ray = import_ray()

    started = False
    address = address or os.environ.get("RAY_ADDRESS") or None  # Ray's own variable names a cluster too
    if not ray.is_initialized():
        quiet = {"log_to_driver": False, "logging_level": logging.ERROR}
        if address is not None:
            _check_reachable(address)
            try:
                ray.init(address=address, **quiet)
            except (ConnectionError, RuntimeError) as exc:
                raise NetworkError(f"cannot reach the Ray cluster at {address} ({str(exc).splitlines()[0][:200]}); "
                                   "is it started, and is this machine allowed in (see docs/ray.md)?") from None
        else:
            # "local": a new Ray of our own, even when a cluster started with `ray start` runs on this machine
            ray.init(address="local", num_cpus=workers or os.cpu_count() or 1, include_dashboard=False, **quiet)
        started = True
    try:
        yield workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    finally:
        if started:
            ray.shutdown()


def _check_reachable(address: str, timeout_s: float = 5.0) -> None:
    """Fail fast with a NetworkError when ``host:port`` does not answer (Ray itself would retry for minutes);
    addresses Ray resolves itself (``auto``, ``local``) are left to Ray."""
    import socket
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit() or not host:
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s).close()
    except OSError as exc:
        raise NetworkError(f"cannot reach the Ray cluster at {address}: {exc.strerror or exc}; "
                           "start it with 'ray start --head' (see docs/ray.md)") from None


class _NoBar:
    """The progress bar of a run that shows none."""

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(progress: bool | None, replicates: int, n_days: int, name: str):
    if progress is None:
        disable = None if replicates * n_days >= PROGRESS_REPLICATE_DAYS else True  # None: tqdm hides it off-TTY
    else:
        disable = not progress
    if disable is True:  # no bar: nothing to import (tqdm.auto imports asyncio and the notebook widgets)
        return _NoBar()
    from tqdm.auto import tqdm
    return tqdm(total=replicates, desc=name, unit="rep", file=sys.stderr, disable=disable, leave=False)


def _run_on_ray(scenario, plan, seeds, wanted: Sequence[str], consume: Callable[[int, tuple], None], *,
                workers: int | None, address: str | None, posterior=None) -> int:
    """Run the blocks as Ray tasks, handing each to ``consume`` in block order; returns the parallelism used.

    At most twice the parallelism of blocks are in flight or waiting to be consumed, so memory stays bounded
    whatever the number of blocks.
    """
    ray = import_ray()

    with ray_session(workers, address) as parallel:
        task = ray.remote(num_cpus=1)(run_block)
        scenario_ref = ray.put(scenario)
        limit = 2 * parallel
        pending: dict = {}
        done: dict[int, tuple] = {}
        submitted = flushed = 0
        while flushed < len(plan):
            while submitted < len(plan) and len(pending) + len(done) < limit:
                ref = task.remote(scenario_ref, plan[submitted][1], seeds[submitted], tuple(wanted), posterior)
                pending[ref] = submitted
                submitted += 1
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                try:
                    done[pending.pop(ref)] = ray.get(ref)
                except ray.exceptions.RayTaskError as exc:  # a scenario problem found on a worker: say it plainly
                    if isinstance(getattr(exc, "cause", None), CrossingsError):
                        raise exc.cause from None
                    raise
            while flushed in done:
                consume(flushed, done.pop(flushed))
                flushed += 1
        return parallel


def iter_blocks(scenario, replicates: int, seed: int, block_size: int = DEFAULT_BLOCK_SIZE
                ) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    """Yield ``(first replicate, daily series)`` block by block in this process: the same numbers as
    :func:`run_ensemble`, for callers that want to reduce blocks themselves."""
    scenario = resolve_scenario(scenario)
    plan = block_plan(_check_int("replicates", replicates, 1), _check_int("block_size", block_size, 1))
    for (start, n), s in zip(plan, block_seeds(_check_int("seed", seed, 0), len(plan))):
        yield start, _model().simulate_block(scenario, n, s)

"""Timing and summary statistics shared by every benchmark.

Wall-clock times on a shared 2-core machine are noisy, so every comparison is a ratio
of two things timed the same way, in the same process, interleaved so that a burst of
load hits both sides.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence

#: A timed batch should last at least this long, so timer resolution and call overhead vanish.
MIN_BATCH_SECONDS = 0.02


def median(values: Sequence[float]) -> float:
    """The median of ``values`` (nan when empty)."""
    return percentile(values, 50.0)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile of ``values`` with linear interpolation (numpy's default).

    Parameters
    ----------
    values : sequence of float, length M
    q : float
        In [0, 100].

    Returns
    -------
    float
        nan when ``values`` is empty.
    """
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def calls_per_batch(function: Callable[[], object], *, min_seconds: float = MIN_BATCH_SECONDS,
                    max_calls: int = 1_000_000) -> int:
    """How many calls of ``function`` last at least ``min_seconds`` (like timeit's autorange).

    Tries 1, 2, 5, 10, 20, 50, ... calls until a batch is long enough.
    """
    number = 1
    while True:
        for factor in (1, 2, 5):
            calls = number * factor
            start = time.perf_counter()
            for _ in range(calls):
                function()
            if time.perf_counter() - start >= min_seconds or calls >= max_calls:
                return calls
        number *= 10


def interleaved_best(functions: Mapping[str, Callable[[], object]], *, repeats: int = 5,
                     min_seconds: float = MIN_BATCH_SECONDS) -> dict[str, float]:
    """Best-of-``repeats`` seconds per call of each function, timed in interleaved rounds.

    Each round times one batch of every function, in an order that rotates from round
    to round, so that a slow spell of the machine lands on every side of a comparison.
    The minimum over rounds is the estimate least disturbed by other load (as timeit
    recommends).

    Parameters
    ----------
    functions : mapping of str to callable
        Zero-argument callables, keyed by a label.
    repeats : int
        Number of rounds.
    min_seconds : float
        Minimum length of one timed batch.

    Returns
    -------
    dict of str to float
        Seconds per call, keyed like ``functions``.
    """
    names = list(functions)
    numbers = {name: calls_per_batch(functions[name], min_seconds=min_seconds) for name in names}
    best = dict.fromkeys(names, math.inf)
    for round_index in range(repeats):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            function, calls = functions[name], numbers[name]
            start = time.perf_counter()
            for _ in range(calls):
                function()
            best[name] = min(best[name], (time.perf_counter() - start) / calls)
    return best


def summarize_ms(seconds: Sequence[float]) -> dict[str, float]:
    """Median, p95 and count of a list of durations, in milliseconds."""
    values = [1000.0 * value for value in seconds]
    return {"median": median(values), "p95": percentile(values, 95.0), "n": float(len(values))}

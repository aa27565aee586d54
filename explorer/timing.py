"""Timing two or more functions fairly on a shared, noisy machine.

Best-of-rounds, interleaved: each round times one batch of every function, in an order
that rotates from round to round, so a slow spell of the machine lands on every side of
a comparison. Used by the /check page and by the benchmark harness (``bench/``).
Standard library only.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping

#: A timed batch should last at least this long, so timer resolution and call overhead vanish.
MIN_BATCH_SECONDS = 0.02


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

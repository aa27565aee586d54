"""Timing and summary statistics shared by every benchmark.

Wall-clock times on a shared 2-core machine are noisy, so every comparison is a ratio
of two things timed the same way, in the same process, interleaved so that a burst of
load hits both sides. The interleaved best-of timing itself is `explorer.timing` (the
/check page times with it too).
"""

from __future__ import annotations

import math
from collections.abc import Sequence


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


def summarize_ms(seconds: Sequence[float]) -> dict[str, float]:
    """Median, p95 and count of a list of durations, in milliseconds."""
    values = [1000.0 * value for value in seconds]
    return {"median": median(values), "p95": percentile(values, 95.0), "n": float(len(values))}

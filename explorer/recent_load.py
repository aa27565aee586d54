"""How busy this process has been with one kind of work lately: the share of the last
second (by default) spent in it, from the durations it reports.

/training uses it to train runs ahead (explorer/pages/training_nearby.py) only while the
server has time to spare: a lecture hall full of learners changing settings must not pay
for runs that one teacher's next key press might want. Pure Python; thread-safe.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class RecentLoad:
    """The share of the last ``window`` seconds spent in the work timed by :meth:`timed`.

    Parameters
    ----------
    window : float
        Seconds looked back.
    clock : callable
        Monotonic seconds (``time.perf_counter``; tests pass their own).
    """

    def __init__(self, window: float = 1.0, clock: Callable[[], float] = time.perf_counter):
        self.window = window
        self.clock = clock
        self._spans: deque[tuple[float, float]] = deque()  # (start, end), oldest first
        self._lock = threading.Lock()

    def add(self, start: float, end: float) -> None:
        """Record one piece of work from ``start`` to ``end`` (clock seconds)."""
        with self._lock:
            self._spans.append((start, end))
            self._forget(end)

    @contextmanager
    def timed(self) -> Iterator[None]:
        """Record the time spent inside the ``with`` block."""
        start = self.clock()
        try:
            yield
        finally:
            self.add(start, self.clock())

    def share(self) -> float:
        """The fraction of the last ``window`` seconds covered by recorded work (overlapping
        pieces, from several threads, count once per thread, so it can exceed 1)."""
        now = self.clock()
        with self._lock:
            self._forget(now)
            since = now - self.window
            busy = sum(end - max(start, since) for start, end in self._spans if end > since)
        return busy / self.window

    def _forget(self, now: float) -> None:
        while self._spans and self._spans[0][1] <= now - self.window:
            self._spans.popleft()

"""How busy this process has been lately: the share of one core it used over about the
last second (process CPU time, every thread, over wall time).

/training trains runs ahead (explorer/pages/training_nearby.py) only while the server has
time to spare: a lecture hall full of learners changing settings must not pay for runs
that one teacher's next key press might want. Pure Python; thread-safe.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class CpuShare:
    """The share of one core used since the last look at least ``window`` seconds old.

    Each call of :meth:`share` is also a sample: the share is measured from the latest
    earlier sample taken at least ``window`` seconds ago (or the oldest one, if none is
    that old) to now. With no earlier sample, or one too recent to tell (under
    ``shortest`` seconds), it is 0.

    Parameters
    ----------
    window : float
        Seconds looked back.
    shortest : float
        The shortest span measured.
    wall, cpu : callable
        Wall-clock and process CPU seconds (``time.perf_counter``, ``time.process_time``;
        tests pass their own).
    """

    def __init__(self, window: float = 1.0, shortest: float = 0.05,
                 wall: Callable[[], float] = time.perf_counter,
                 cpu: Callable[[], float] = time.process_time):
        self.window = window
        self.shortest = shortest
        self.wall = wall
        self.cpu = cpu
        self._samples: deque[tuple[float, float]] = deque()  # (wall, cpu), oldest first
        self._lock = threading.Lock()

    def share(self) -> float:
        """CPU seconds per wall second since the base sample (can exceed 1 with threads
        running on several cores)."""
        now, used = self.wall(), self.cpu()
        with self._lock:
            while len(self._samples) > 1 and self._samples[1][0] <= now - self.window:
                self._samples.popleft()
            base = self._samples[0] if self._samples else None
            self._samples.append((now, used))
        if base is None or now - base[0] < self.shortest:
            return 0.0
        return max(used - base[1], 0.0) / (now - base[0])

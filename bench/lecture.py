"""A lecture: N tabs through the balancer, each moving a slider about once a second.

Tab ``i`` is on one of /softmax, /weights and /training, with its own settings in the URL
(no two share cached results). Optionally a replica is killed (SIGKILL) mid-lecture: the
tabs it served see their websocket close; each reconnects through the balancer with its
(now stale) cookie and opens its page with the address it had; the balancer sends it to a
live replica with a new cookie, and because every control lives in the URL, the tab must
see the same view again (same slider value). Every loop is bounded in count and in time.
"""

from __future__ import annotations

import contextlib
import math
import os
import random
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from bench import procstat
from bench.pages import PAGES
from bench.payload import bounce
from bench.replicas import Cluster, Replica
from bench.tab import CONNECTION_LOST, Tab, student_query

STUDENT_PAGES = ("softmax", "weights", "training")


@dataclass
class Lecture:
    """What N tabs saw through the balancer and what the replicas used meanwhile."""

    sessions: int
    changes: int
    latencies: dict[str, list[float]] = field(default_factory=dict)  # per page, seconds
    by_replica: dict[str, int] = field(default_factory=dict)  # answered changes per replica
    errors: list[str] = field(default_factory=list)
    #: Per tab of the killed replica: seconds from the kill to noticing, and to its view.
    noticed: list[float] = field(default_factory=list)
    recovered: list[float] = field(default_factory=list)
    recovered_tabs: list[int] = field(default_factory=list)
    affected: int = 0
    #: Tabs that did not come back on their view, by index: why.
    lost: dict[int, str] = field(default_factory=dict)
    cpu_percent: dict[str, float] = field(default_factory=dict)  # per replica, % of a core
    cpu_ms_per_change: float = math.nan
    client_percent: float = math.nan
    seconds: float = 0.0

    @property
    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies.values() for value in values]

    @property
    def answered(self) -> int:
        return len(self.all_latencies)


@contextlib.contextmanager
def _cpu_monitor(replicas: Sequence[Replica]) -> Iterator[dict]:
    """CPU seconds of each live replica and of this process from ``mark()`` to the end."""
    samples: dict[str, list[tuple[float, float]]] = {r.name: [] for r in replicas}
    me = {"start": (0.0, 0.0)}
    stop = threading.Event()

    def sample() -> None:
        now = time.monotonic()
        for replica in replicas:
            with contextlib.suppress(OSError, AttributeError):
                if replica.process.poll() is None:
                    samples[replica.name].append((now, procstat.cpu_seconds(replica.pid)))

    def mark() -> None:
        for values in samples.values():
            values.clear()
        sample()
        me["start"] = (time.monotonic(), procstat.cpu_seconds(os.getpid()))

    def loop() -> None:
        while not stop.wait(0.25):
            sample()

    result: dict = {"mark": mark, "sample": sample}
    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield result
    finally:
        stop.set()
        thread.join(timeout=5)
        sample()
        percent, seconds = {}, 0.0
        for name, values in samples.items():
            if len(values) >= 2:
                used = values[-1][1] - values[0][1]
                seconds += used
                percent[name] = 100 * used / max(1e-9, values[-1][0] - values[0][0])
        result["percent"] = percent
        result["cpu_seconds"] = seconds
        wall = time.monotonic() - me["start"][0]
        result["client_percent"] = 100 * (procstat.cpu_seconds(os.getpid())
                                          - me["start"][1]) / max(1e-9, wall)


def lecture(hall: Cluster, sessions: int, *, pages: Sequence[str] = STUDENT_PAGES,
            changes: int = 10, period: float = 1.0, ramp_seconds: float = 5.0,
            max_seconds: float = 120.0, kill_after: float | None = None) -> Lecture:
    """``sessions`` tabs through the balancer, each making ``changes`` changes a ``period`` apart.

    Tab ``i`` is on page ``pages[i % len(pages)]``. Tabs connect over ``ramp_seconds``, then
    all start together, each at its own phase within the period; the whole run stops after
    ``max_seconds``. With ``kill_after``, the last replica is killed that many seconds after
    the start of the changes, and its tabs must come back on the same view.
    """
    result = Lecture(sessions, changes, {name: [] for name in pages})
    lock = threading.Lock()
    tabs: list[Tab | None] = [None] * sessions
    start_at: list[float] = []
    killed: dict = {}
    phases = random.Random(0)
    offsets = [phases.random() * period for _ in range(sessions)]
    deadline = time.monotonic() + max_seconds

    with _cpu_monitor(hall.replicas) as usage:
        def start_changes() -> None:
            usage["mark"]()
            start_at.append(time.monotonic() + 0.1)

        ready = threading.Barrier(sessions + 1, timeout=max_seconds, action=start_changes)
        finished = threading.Barrier(sessions + 1, timeout=max_seconds)

        def student(index: int) -> None:
            spec = PAGES[pages[index % len(pages)]]
            tab = Tab(hall.url, hall.balancer.cookie_name, spec)
            tabs[index] = tab
            try:
                time.sleep(ramp_seconds * index / sessions)
                query = student_query(spec, index)
                tab.load(query)
                first = tab.connect(query)
                if first.exceptions:
                    raise RuntimeError(first.exceptions[0])
                walk = tab.session.slider_walk(spec.slider)
                shown = tab.session.slider_value(spec.slider)
                indices = bounce(shown, len(walk), changes)
            except Exception as error:
                with lock:
                    result.errors.append(f"tab {index} could not open: {error}")
                for barrier in (ready, finished):
                    with contextlib.suppress(threading.BrokenBarrierError):
                        barrier.wait()
                tab.close()
                return
            try:
                ready.wait()
                begin = start_at[0] + offsets[index]
                for number, value_index in enumerate(indices):
                    time.sleep(max(0.0, begin + number * period - time.monotonic()))
                    if time.monotonic() > deadline:
                        raise TimeoutError("the lecture ran out of time")
                    try:
                        answer = tab.change(walk[value_index])
                    except CONNECTION_LOST as error:
                        if not _recover(tab, index, shown, killed, result, lock, error):
                            break
                        answer = tab.change(walk[value_index])
                    with lock:
                        result.latencies[spec.name].append(answer.seconds)
                        result.by_replica[tab.replica] = result.by_replica.get(tab.replica,
                                                                               0) + 1
                        if answer.exceptions:
                            result.errors.append(f"tab {index}: {answer.exceptions[0]}")
                    shown = value_index
            except Exception as error:
                with lock:
                    result.errors.append(f"tab {index}: {type(error).__name__}: {error}")
            with contextlib.suppress(threading.BrokenBarrierError):
                finished.wait()
            tab.close()

        threads = [threading.Thread(target=student, args=(i,), daemon=True)
                   for i in range(sessions)]
        for thread in threads:
            thread.start()
        ready.wait()
        begin = time.perf_counter()
        if kill_after is not None:
            victim = hall.replicas[-1]
            time.sleep(max(0.0, start_at[0] + kill_after - time.monotonic()))
            usage["sample"]()
            with lock:
                killed["tabs"] = {i for i, tab in enumerate(tabs)
                                  if tab is not None and tab.replica == victim.name}
                killed["at"] = time.monotonic()
            victim.kill()
            result.affected = len(killed["tabs"])
        with contextlib.suppress(threading.BrokenBarrierError):
            finished.wait(timeout=max(1.0, deadline - time.monotonic()))
        result.seconds = time.perf_counter() - begin
    for thread in threads:
        thread.join(timeout=max(1.0, deadline + 10 - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        result.errors.append("some tabs were still running at the time limit")
    result.cpu_percent = usage["percent"]
    result.cpu_ms_per_change = 1000 * usage["cpu_seconds"] / max(1, result.answered)
    result.client_percent = usage["client_percent"]
    if killed:
        for index in killed["tabs"] - set(result.recovered_tabs) - set(result.lost):
            result.lost[index] = "never noticed the kill"
    return result


def _recover(tab: Tab, index: int, shown: int, killed: dict, result: Lecture,
             lock: threading.Lock, error: Exception) -> bool:
    """Bring a tab whose websocket broke back on its view; record how long it took."""
    noticed = time.monotonic()
    stale = tab.replica
    with lock:
        expected = "at" in killed and index in killed["tabs"]
        if not expected:
            result.errors.append(f"tab {index} lost its connection without a kill: {error}")
    try:
        back = tab.reconnect()
    except TimeoutError as failure:
        with lock:
            result.lost[index] = str(failure)
        return False
    same_view = tab.session.slider_value(tab.spec.slider) == shown
    with lock:
        if not same_view:
            result.lost[index] = "came back on another view"
        elif tab.replica == stale:
            result.lost[index] = "came back with the dead replica's cookie"
        elif expected:
            result.noticed.append(noticed - killed["at"])
            result.recovered.append(back - killed["at"])
            result.recovered_tabs.append(index)
    return same_view

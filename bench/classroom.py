"""A classroom on one server: N protocol-level sessions, each moving a slider once a second.

Every session is a thread with its own websocket (:class:`bench.protocol.Session`), on
/softmax. Each opens the page with its own logits in the URL (so that no two students
share ``st.cache_data`` entries by accident), then moves ``z0`` one step about once a
second, 20 times; the latency of a change is from sending it to its ``script_finished``.
A monitor thread samples the server's CPU time and resident memory from ``/proc``.

The soak: one session, 2000 slider changes back to back, the server's memory before
and after. Every loop is bounded in count and in time; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import contextlib
import math
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bench import goals, procstat
from bench.pages import BARE, BARE_SCRIPT, PAGES, PageSpec, open_page
from bench.payload import bounce
from bench.protocol import Session
from bench.results import Section, judge
from bench.stats import median, percentile
from explorer.settings import specs

PAGE = PAGES["softmax"]
#: A second setting given a different value per session, so that cache keys differ.
PER_STUDENT = specs.SOFTMAX_LOGITS[1]
CHANGE_TIMEOUT = 30.0
SAMPLE_SECONDS = 0.5
#: Streamlit reads ``[runner] postScriptGC`` from this variable too.
POST_SCRIPT_GC = "STREAMLIT_RUNNER_POST_SCRIPT_GC"


@dataclass
class Load:
    """What N sessions saw and what the server used meanwhile."""

    sessions: int
    latencies: list[float] = field(default_factory=list)
    #: ``(sent, seconds)`` per answered change, ``sent`` on the monotonic clock.
    spans: list[tuple[float, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cpu_percent: float = math.nan
    peak_rss_mb: float = math.nan
    seconds: float = 0.0


@contextlib.contextmanager
def _monitor(pid: int) -> Iterator[dict]:
    """Sample the server's memory until the block ends; report CPU % of one core and peak RSS.

    The yielded dict's ``mark()`` restarts the CPU accounting; ``client_percent`` is this
    process's own CPU (the client threads), to show whether the client kept up.
    """
    result = {"peak_rss_mb": 0.0, "cpu_percent": math.nan, "client_percent": math.nan}
    stop = threading.Event()
    me = os.getpid()
    start = {"cpu": procstat.cpu_seconds(pid), "client": procstat.cpu_seconds(me),
             "wall": time.perf_counter()}

    def mark() -> None:
        # Restart the CPU accounting (called when the sessions start changing sliders).
        start.update(cpu=procstat.cpu_seconds(pid), client=procstat.cpu_seconds(me),
                     wall=time.perf_counter())

    result["mark"] = mark

    def sample() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError):
                result["peak_rss_mb"] = max(result["peak_rss_mb"], procstat.memory_mb(pid)["rss"])
            stop.wait(SAMPLE_SECONDS)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield result
    finally:
        stop.set()
        thread.join(timeout=5)
        wall = time.perf_counter() - start["wall"]
        result["cpu_seconds"] = procstat.cpu_seconds(pid) - start["cpu"]
        result["cpu_percent"] = 100.0 * result["cpu_seconds"] / wall
        result["client_percent"] = 100.0 * (procstat.cpu_seconds(me) - start["client"]) / wall


def softmax_student_query(index: int) -> dict[str, str]:
    """Distinct URL logits for student ``index`` (z1 differs; z0 starts somewhere else)."""
    z0, z1 = PAGE.setting, PER_STUDENT
    steps = round((z1.max_value - z1.min_value) / z1.step)
    z1_value = z1.min_value + ((index * 37) % (steps + 1)) * z1.step
    z0_value = z0.min_value + ((index * 53 + 17) % (steps + 1)) * z0.step
    return {z0.key: f"{z0_value:.1f}", z1.key: f"{z1_value:.1f}"}


def classroom(base_url: str, sessions: int, *, changes: int = 20, period: float = 1.0,
              ramp_seconds: float = 5.0, max_seconds: float = 300.0, spec: PageSpec = PAGE,
              query: Callable[[int], dict[str, str]] = softmax_student_query,
              on_start: Callable[[], object] | None = None) -> Load:
    """Run ``sessions`` students, each making ``changes`` slider changes every ``period`` s.

    Sessions connect over ``ramp_seconds`` (a class does not click at the same instant),
    all start changing together, each at its own random phase within the period. The
    whole run stops after ``max_seconds`` whatever happens.

    Parameters
    ----------
    spec : PageSpec
        The page and its slider (default /softmax and ``z0``).
    query : callable
        ``query(i)`` is the URL settings of session ``i``.
    on_start : callable, optional
        Called once when every session has opened its page, just before the changes.
    """
    load = Load(sessions)
    lock = threading.Lock()
    start_at: list[float] = []
    # The barrier's action runs once, before any thread is released: one common start.
    def start_changes() -> None:
        if on_start is not None:
            on_start()
        start_at.append(time.monotonic() + 0.1)

    ready = threading.Barrier(sessions + 1, timeout=max_seconds, action=start_changes)
    deadline = time.monotonic() + max_seconds
    phases = random.Random(0)
    offsets = [phases.random() * period for _ in range(sessions)]

    def student(index: int) -> None:
        session = None
        try:
            time.sleep(ramp_seconds * index / sessions)
            session = Session(base_url, timeout=CHANGE_TIMEOUT)
            first = open_page(session, spec, query(index))
            if first.exceptions:
                raise RuntimeError(first.exceptions[0])
            walk = session.slider_walk(spec.slider)
            indices = bounce(session.slider_value(spec.slider), len(walk), changes)
        except Exception as error:
            with lock:
                load.errors.append(f"session {index} could not open: {error}")
            with contextlib.suppress(threading.BrokenBarrierError):
                ready.wait()
            if session:
                session.close()
            return
        try:
            ready.wait()
            begin = start_at[0] + offsets[index]
            for number, value_index in enumerate(indices):
                due = begin + number * period
                time.sleep(max(0.0, due - time.monotonic()))
                if time.monotonic() > deadline:
                    raise TimeoutError("the classroom ran out of time")
                sent = time.monotonic()
                result = session.set_slider(spec.slider, walk[value_index])
                with lock:
                    load.latencies.append(result.seconds)
                    load.spans.append((sent, result.seconds))
                    if result.exceptions:
                        load.errors.append(f"session {index}: {result.exceptions[0]}")
        except Exception as error:
            with lock:
                load.errors.append(f"session {index}: {type(error).__name__}: {error}")
        finally:
            session.close()

    threads = [threading.Thread(target=student, args=(i,), daemon=True) for i in range(sessions)]
    for thread in threads:
        thread.start()
    ready.wait()
    begin = time.perf_counter()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic()))
    load.seconds = time.perf_counter() - begin
    if any(thread.is_alive() for thread in threads):
        load.errors.append("some sessions were still running at the time limit")
    return load


def in_flight(spans: list[tuple[float, float]]) -> list[int]:
    """For each change, how many other changes were in flight when it was sent.

    Parameters
    ----------
    spans : list of (float, float)
        ``(sent, seconds)`` per change.

    Returns
    -------
    list of int, same order as ``spans``
    """
    counts = []
    for index, (sent, _) in enumerate(spans):
        counts.append(sum(1 for other, (start, seconds) in enumerate(spans)
                          if other != index and start <= sent < start + seconds))
    return counts


def explain_tail(load: Load, cpu_per_change: float, cpu_percent: float) -> str:
    """Why the slowest changes were slow: server saturation, or bursts of changes."""
    sessions = load.sessions
    counts = in_flight(load.spans)
    order = sorted(range(len(counts)), key=lambda i: load.spans[i][1])
    slowest = order[-max(1, len(order) // 20):]
    tail_busy = sum(counts[i] for i in slowest) / len(slowest)
    typical = median([float(count) for count in counts])
    needed = sessions * cpu_per_change / 10  # % of one core at one change per second
    budget = 0.6 * 1000 / sessions  # ms per change that keeps one core 60% busy
    text = (
        f"p95 goal missed at N={sessions}. Each change cost the server about "
        f"{cpu_per_change:.0f} ms of CPU; {sessions} students at one change a second need "
        f"about {needed:.0f}% of one core, and the server used {cpu_percent:.0f}%. A Streamlit "
        "server is one Python process running every session's script in a thread, so all "
        "their Python work shares one core through the GIL. "
    )
    if needed > 60:
        text += (
            "That core is (nearly) saturated, so changes queue behind each other: reaching "
            f"the goal needs a change to cost about {budget:.0f} ms of server CPU or less."
        )
    else:
        text += (
            "The core is not saturated on average, so the tail comes from bursts: the "
            f"slowest 5% of changes were sent while {tail_busy:.1f} other changes were in "
            f"flight (a typical change: {typical:.0f}), and simultaneous reruns take turns "
            "on the GIL: less work per change shortens every turn."
        )
    try:
        load_average = os.getloadavg()[0]
    except OSError:
        load_average = math.nan
    return text + (f" Load average at the end of the run: {load_average:.1f} on "
                   f"{os.cpu_count()} cores (other processes share this machine).")


def soak(base_url: str, pid: int, *, reruns: int = 2000, warmup: int = 20,
         max_seconds: float = 900.0, spec: PageSpec = PAGE) -> dict:
    """One session, ``reruns`` slider changes back to back: the server's RSS before and after.

    Returns
    -------
    dict
        ``before``, ``after`` (MB), ``done`` (changes made), ``seconds``, ``trace`` (RSS
        every tenth of the run), ``errors``.
    """
    errors, trace = [], []
    deadline = time.monotonic() + max_seconds
    with Session(base_url, timeout=CHANGE_TIMEOUT) as session:
        open_page(session, spec)
        walk = session.slider_walk(spec.slider)
        indices = bounce(session.slider_value(spec.slider), len(walk), warmup + reruns)
        for value_index in indices[:warmup]:
            session.set_slider(spec.slider, walk[value_index])
        before = procstat.memory_mb(pid)["rss"]
        begin = time.perf_counter()
        done = 0
        for value_index in indices[warmup:]:
            if time.monotonic() > deadline:
                errors.append(f"stopped at the time limit after {done} changes")
                break
            result = session.set_slider(spec.slider, walk[value_index])
            if result.exceptions:
                errors.append(result.exceptions[0])
            done += 1
            if done % max(1, reruns // 10) == 0:
                trace.append(procstat.memory_mb(pid)["rss"])
        seconds = time.perf_counter() - begin
    after = procstat.memory_mb(pid)["rss"]
    return {"before": before, "after": after, "done": done, "seconds": seconds,
            "trace": trace, "errors": errors}


@contextlib.contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the servers started inside the block."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def cost_per_change(script: str, spec: PageSpec, *, changes: int = 50, warmup: int = 10,
                    environment: dict[str, str] | None = None) -> tuple[float, float]:
    """Server CPU and latency of one change in a lone session, on a fresh server.

    Returns
    -------
    (float, float)
        Median latency and mean server CPU time per change, in milliseconds.
    """
    from tests.support.live import streamlit_server

    with _environment(environment or {}), streamlit_server(script) as base_url:
        pid = procstat.server_pid(base_url)
        with Session(base_url, timeout=CHANGE_TIMEOUT) as session:
            open_page(session, spec)
            walk = session.slider_walk(spec.slider)
            indices = bounce(session.slider_value(spec.slider), len(walk), warmup + changes)
            for value_index in indices[:warmup]:
                session.set_slider(spec.slider, walk[value_index])
            cpu_start = procstat.cpu_seconds(pid)
            latencies = [session.set_slider(spec.slider, walk[value_index]).seconds
                         for value_index in indices[warmup:]]
            cpu = procstat.cpu_seconds(pid) - cpu_start
    return 1000 * median(latencies), 1000 * cpu / changes


def _cost_rows(section: Section, quick: bool) -> None:
    """Server CPU per change for the bare app and /softmax, with Streamlit's post-run GC
    as configured and switched the other way: the floor every session pays."""
    from streamlit import config

    changes, warmup = (5, 2) if quick else (50, 10)
    configured = bool(config.get_option("runner.postScriptGC"))
    other = "false" if configured else "true"
    variants = ((f", postScriptGC {'on' if configured else 'off'} (as configured)", {}),
                (f", postScriptGC {'off' if configured else 'on'}", {POST_SCRIPT_GC: other}))
    for label, environment in variants:
        for name, script, spec in (("bare app", BARE_SCRIPT, BARE), (f"/{PAGE.name}", "app.py",
                                                                      PAGE)):
            latency, cpu = cost_per_change(script, spec, changes=changes, warmup=warmup,
                                           environment=environment)
            section.check(cpu > 0 and latency > 0, f"{name}: no cost measured")
            section.add(f"1 session, {name}{label}: server CPU per change", cpu, "ms",
                        note=f"median latency {latency:.0f} ms, changes back to back")
    section.notes.append(
        "One session alone, one change at a time, back to back: the server's CPU time per "
        "change. (A change sent within about 0.1 s of the previous run's end waited about "
        "40 ms longer than one sent later, on every app including the bare one, so "
        "back-to-back latencies - these rows and the soak - carry that extra wait.) "
        "With `[runner] postScriptGC = true` (Streamlit's default) the server runs a full "
        "garbage collection (`gc.collect(2)`) after every script run, holding the GIL, so "
        "every session pays it on every change, on top of the page's own work; the rows "
        "show the setting as configured and switched the other way."
    )


def run(*, quick: bool = False) -> Section:
    """Classroom loads at N = 10, 30, 60 and the soak, each on a fresh server."""
    from tests.support.live import streamlit_server

    section = Section("Classroom: concurrent sessions on one server")
    sizes = (3,) if quick else (10, goals.CLASSROOM_N, 60)
    changes = 3 if quick else 20
    for sessions in sizes:
        with streamlit_server("app.py") as base_url:
            pid = procstat.server_pid(base_url)
            idle_rss = procstat.memory_mb(pid)["rss"]
            with _monitor(pid) as usage:
                load = classroom(base_url, sessions, changes=changes,
                                 ramp_seconds=1.0 if quick else 5.0, on_start=usage["mark"])
        print(f"    N={sessions}: {len(load.latencies)} changes, {len(load.errors)} errors, "
              f"{load.seconds:.0f} s", file=sys.stderr, flush=True)
        judged = not quick and sessions == goals.CLASSROOM_N
        latencies = [1000 * value for value in load.latencies]
        expected = sessions * changes
        section.check(len(latencies) + len(load.errors) > 0, f"N={sessions}: nothing happened")
        if quick:
            section.check(not load.errors, f"N={sessions}: {load.errors[:1]}")
            section.check(len(latencies) == expected,
                          f"N={sessions}: {len(latencies)} of {expected} changes answered")
        label = f"N={sessions}"
        section.add(f"{label}: p50 latency", median(latencies), "ms",
                    note=f"{len(latencies)} of {expected} changes answered")
        section.add(f"{label}: p95 latency", percentile(latencies, 95), "ms",
                    f"<= {goals.CLASSROOM_P95_MS:g} ms" if judged else "",
                    judge(percentile(latencies, 95), at_most=goals.CLASSROOM_P95_MS,
                          judged=judged))
        section.add(f"{label}: errors", float(len(load.errors)), "", "0" if judged else "",
                    judge(len(load.errors), at_most=0, judged=judged),
                    note=load.errors[0][:100] if load.errors else "")
        cpu_per_change = 1000 * usage["cpu_seconds"] / max(1, len(latencies))
        section.add(f"{label}: server CPU", usage["cpu_percent"], "% of a core",
                    note=f"{load.seconds:.0f} s of changes; {cpu_per_change:.0f} ms of server "
                         f"CPU per change; client threads {usage['client_percent']:.0f}%")
        if judged and percentile(latencies, 95) > goals.CLASSROOM_P95_MS:
            section.notes.append(explain_tail(load, cpu_per_change, usage["cpu_percent"]))
        section.add(f"{label}: server peak RSS", usage["peak_rss_mb"], "MB",
                    f"< {goals.CLASSROOM_RSS_MB:g} MB" if judged else "",
                    judge(usage["peak_rss_mb"], at_most=goals.CLASSROOM_RSS_MB - 1e-9,
                          judged=judged),
                    note=f"{idle_rss:.0f} MB before the sessions connected")
    _cost_rows(section, quick)
    reruns = 20 if quick else 2000
    with streamlit_server("app.py") as base_url:
        result = soak(base_url, procstat.server_pid(base_url), reruns=reruns,
                      warmup=3 if quick else 20)
    growth = result["after"] - result["before"]
    section.check(result["done"] > 0, "the soak made no change")
    if quick:
        section.check(not result["errors"], f"soak: {result['errors'][:1]}")
    section.add(f"soak: RSS growth over {result['done']} reruns", growth, "MB",
                f"< {goals.SOAK_GROWTH_MB:g} MB" if not quick else "",
                judge(growth, at_most=goals.SOAK_GROWTH_MB - 1e-9, judged=not quick),
                note=f"{result['before']:.0f} -> {result['after']:.0f} MB in "
                     f"{result['seconds']:.0f} s; {len(result['errors'])} errors")
    if result["trace"]:
        section.notes.append("Soak RSS every tenth of the run (MB): "
                             + ", ".join(f"{value:.0f}" for value in result["trace"]))
    section.notes.insert(0, (
        f"Each session opens /{PAGE.name} with its own logits, then moves `{PAGE.slider}` one "
        f"step every second ({changes} changes); latency = BackMsg sent to script_finished "
        "received, measured by the client threads (which share this machine's 2 cores with "
        "the server). CPU is the server's CPU time over the wall time of the changes, in % "
        "of one core (200% = both cores; the GIL keeps the server's Python code to about "
        "one). Each N runs on a fresh server."
    ))
    return section

"""Bytes sent to the browser per slider change, counted on a real server session.

A :class:`bench.protocol.Session` loads each page, then moves its slider one step at
a time (always to a value not seen in the last runs, as a learner dragging a slider
does), and adds up the ForwardMsgs of each run until ``script_finished``. The browser's
message cache is emulated, so an unchanged big element costs only its reference.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bench import goals
from bench.pages import BARE, PAGES, PageSpec, open_page
from bench.protocol import Session
from bench.results import Section, judge
from bench.stats import median

KIB = 1024.0


def bounce(start: int, size: int, count: int) -> list[int]:
    """``count`` indices into a walk of ``size`` values: one step up from ``start`` each
    time, turning at the ends.

    >>> bounce(2, 4, 5)
    [3, 2, 1, 0, 1]
    """
    if size < 2:
        raise ValueError(f"a slider with {size} value(s) cannot move")
    indices, index, direction = [], start, 1
    for _ in range(count):
        if not 0 <= index + direction < size:
            direction = -direction
        index += direction
        indices.append(index)
    return indices


@dataclass
class PagePayload:
    """The bytes of every slider change on one page, and where they went.

    Attributes
    ----------
    first_load : int
        Bytes of the first load of the page.
    changes : list of int
        Bytes per slider change.
    parts : Counter
        Bytes per kind of message (``plotly_chart:jacobian``), summed over the changes.
    exceptions : list of str
        Exceptions the page showed.
    """

    first_load: int
    changes: list[int]
    parts: Counter
    exceptions: list[str]

    def top_parts(self, count: int = 3) -> str:
        """The biggest kinds of message per change, as ``name KiB`` text."""
        per_change = max(1, len(self.changes))
        return ", ".join(f"{name} {size / per_change / KIB:.1f} KiB"
                         for name, size in self.parts.most_common(count))


def measure(base_url: str, spec: PageSpec, query: dict[str, str] | None = None, *,
            changes: int = 10) -> PagePayload:
    """Load ``spec``'s page with ``query`` and move its slider ``changes`` times."""
    with Session(base_url) as session:
        first = open_page(session, spec, query)
        exceptions = list(first.exceptions)
        walk = session.slider_walk(spec.slider)
        start = session.slider_value(spec.slider)
        sizes, parts = [], Counter()
        for index in bounce(start, len(walk), changes):
            result = session.set_slider(spec.slider, walk[index])
            sizes.append(result.bytes)
            exceptions.extend(result.exceptions)
            for name, size in result.parts:
                parts[name] += size
    return PagePayload(first.bytes, sizes, parts, exceptions)


def run(base_url: str, bare_url: str, *, quick: bool = False) -> Section:
    """Payload per slider change on the bare app and on every page (one page when quick)."""
    section = Section("Payload per slider change")
    changes = 3 if quick else 12
    baseline = measure(bare_url, BARE, changes=changes)
    section.check(all(size > 0 for size in baseline.changes), "the bare app sent no bytes")
    section.add("bare app (1 slider, 1 chart)", median(baseline.changes) / KIB, "KiB",
                note=f"first load {baseline.first_load / KIB:.1f} KiB")
    names = ["softmax"] if quick else list(PAGES)
    for name in names:
        spec = PAGES[name]
        settings = [("defaults", {})] if quick else [("defaults", {}), ("largest", spec.largest)]
        for label, query in settings:
            title = f"/{name} {label}" + (f" ({_query_text(query)})" if query else "")
            limit = (goals.PAYLOAD_KIB if label == "defaults"
                     else goals.PAYLOAD_LARGEST_KIB).get(name)
            goal = f"<= {limit:g} KiB" if limit else ""
            try:
                result = measure(base_url, spec, query, changes=changes)
            except LookupError as error:
                # A placeholder page has no slider: a missed goal in a full run, but in
                # the quick run (which checks the harness on a page that exists) an error.
                if quick:
                    section.errors.append(f"/{name}: {error}")
                section.add(title, float("nan"), "KiB", goal, False if goal and not quick else None,
                            note=f"not measured: {error} (page not built yet?)")
                continue
            value = median(result.changes) / KIB
            section.check(bool(result.changes) and min(result.changes) > 0,
                          f"/{name}: a change sent no bytes")
            if result.exceptions:
                section.errors.append(f"/{name} {label}: {result.exceptions[0]}")
            row = section.add(
                title, value, "KiB", goal,
                judge(value, at_most=limit, judged=not quick) if limit else None,
                note=f"max {max(result.changes) / KIB:.1f} KiB; first load "
                     f"{result.first_load / KIB:.0f} KiB; biggest: {result.top_parts()}",
            )
            if row.passed is False:
                section.notes.append(
                    f"/{name} sends {value:.1f} KiB per change (goal {limit:g} KiB); per change "
                    f"the biggest messages are {result.top_parts(5)}."
                )
    section.notes.append(
        f"Median over {changes} one-step slider changes, each to a value not seen in the "
        "last two runs (so the browser's message cache cannot serve it); the cache itself "
        "is emulated, so unchanged big elements cost only a reference."
    )
    return section


def _query_text(query: dict[str, str]) -> str:
    return ", ".join(f"{key}={value}" for key, value in query.items())

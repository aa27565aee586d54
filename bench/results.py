"""What a benchmark produces: rows of a table, each with its goal and verdict, plus notes.

A :class:`Row` is one measurement. ``passed`` is None when there is no goal or when the
run does not judge times (``--quick``). ``Section.errors`` are failures of the harness
itself (a crash, an output that cannot be right); they make ``python -m bench`` fail.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass
class Row:
    """One measurement.

    Attributes
    ----------
    name : str
        What was measured, with its sizes (``loss_and_grad / floor, N=100000 K=10``).
    value : float
        The number (nan when it could not be measured).
    unit : str
        ``ms``, ``x``, ``KiB``, ``MB``, ``/s`` ...
    goal : str
        The target in words (``<= 1.25x``), or "" when there is none.
    passed : bool or None
        Whether the goal is met; None when not judged.
    note : str
        A short remark (why a value is missing, the p95 next to a median ...).
    """

    name: str
    value: float
    unit: str
    goal: str = ""
    passed: bool | None = None
    note: str = ""

    def formatted(self) -> str:
        """The value with a sensible number of digits and its unit."""
        if self.value is None or (isinstance(self.value, float) and math.isnan(self.value)):
            return "n/a"
        magnitude = abs(self.value)
        if float(self.value).is_integer() and magnitude < 1000:
            text = f"{self.value:.0f}"
        elif magnitude >= 1000:
            text = f"{self.value:,.0f}"
        elif magnitude >= 100:
            text = f"{self.value:.0f}"
        elif magnitude >= 10:
            text = f"{self.value:.1f}"
        else:
            text = f"{self.value:.2f}"
        return f"{text} {self.unit}".strip()

    def verdict(self) -> str:
        """``pass``, ``FAIL`` or ``-`` (not judged)."""
        if self.passed is None:
            return "-"
        return "pass" if self.passed else "FAIL"


@dataclass
class Section:
    """The rows of one benchmark, with notes (profiles, explanations) and harness errors."""

    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, *args, **kwargs) -> Row:
        """Append ``Row(*args, **kwargs)`` and return it."""
        row = Row(*args, **kwargs)
        self.rows.append(row)
        return row

    def check(self, condition: bool, message: str) -> bool:
        """Record ``message`` as a harness error unless ``condition`` holds."""
        if not condition:
            self.errors.append(message)
        return condition


def judge(value: float, *, at_most: float | None = None, at_least: float | None = None,
          judged: bool = True) -> bool | None:
    """The verdict of ``value`` against a bound; None when not judged or not measured."""
    if not judged:
        return None
    if value is None or math.isnan(value):
        return False
    if at_most is not None and value > at_most:
        return False
    return not (at_least is not None and value < at_least)

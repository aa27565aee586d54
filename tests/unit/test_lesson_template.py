"""The reveal template language: what it renders, and everything it refuses."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.guided.template import TemplateError, render

NOW = {"p": np.array([0.1, 0.2, 0.7]), "J": np.arange(9.0).reshape(3, 3), "loss": 1.25,
       "name": "adam", "steps": 12, "zero": -0.0}
BEFORE = {"p": np.array([0.3, 0.3, 0.4]), "J": np.zeros((3, 3)), "loss": 2.5, "name": "gd",
          "steps": 3, "zero": 0.0}


@pytest.mark.parametrize(("template", "expected"), [
    ("{p[2]:.2f}", "0.70"),
    ("p₂ rose from {before.p[2]:.2f} to {p[2]:.2f}", "p₂ rose from 0.40 to 0.70"),
    ("{J[1][2]:g} {before.J[1][2]:g}", "5 0"),
    ("{p[-1]:.1f}", "0.7"),
    ("{loss:+.3f} {loss:.0%} {loss:.1e} {loss:>6.2f}", "+1.250 125% 1.2e+00   1.25"),
    ("{name} after {steps} steps", "adam after 12 steps"),
    ("{{literal}} {steps:d}", "{literal} 12"),
    ("{zero:.3f}", "0.000"),
])
def test_renders_quantities_of_this_and_the_previous_step(template, expected):
    assert render(template, NOW, BEFORE) == expected


@pytest.mark.parametrize(("template", "reason"), [
    ("{p.__class__}", "not a quantity name"),
    ("{p[0].real}", "not a quantity name"),
    ("{loss.__add__}", "not a quantity name"),
    ("{before.before.p[0]}", "not a quantity name"),
    ("{after.p[0]}", "not a quantity name"),
    ("{p[x]}", "not a quantity name"),
    ("{p()}", "not a quantity name"),
    ("{0}", "not a quantity name"),
    ("{}", "not a quantity name"),
    ("{loss!r}", "conversions"),
    ("{loss!s}", "conversions"),
    ("{q}", "unknown quantity 'q'"),
    ("{before.q[0]}", "unknown quantity 'q'"),
    ("{p}", "pick one with [index]"),
    ("{J[0]}", "pick one with [index]"),
    ("{p[3]}", "out of range"),
    ("{p[0][0]}", "cannot be indexed"),
    ("{loss:>1000}", "not a plain number format"),
    ("{loss:{steps}}", "no fields inside a format"),
    ("{name:.2f}", "does not fit"),
    ("{p[0]", "literal braces"),
    ("p}", "literal braces"),
])
def test_refuses_anything_but_indexing_into_the_quantities(template, reason):
    with pytest.raises(TemplateError) as caught:
        render(template, NOW, BEFORE)
    assert reason in str(caught.value)


def test_refuses_values_that_are_not_numbers_or_text():
    with pytest.raises(TemplateError, match="not a number or a text"):
        render("{thing}", {"thing": object()}, {})

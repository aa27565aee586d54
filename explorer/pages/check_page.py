"""/check: naive loops, vectorised numpy and central differences must agree.

On a random problem of the chosen size the three ways of computing dL/dW run and are timed
live; then the code of both implementations is shown, read from the functions themselves
so the code on screen is the code that ran.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from explorer import chart_text
from explorer.figures.check_figs import timing_figure
from explorer.guided.page_settings import PAGE_SETTINGS
from explorer.i18n import N_, _
from explorer.losses import loss_and_grad, loss_and_grad_naive, loss_and_grad_textbook
from explorer.page_logic.check import (
    NOISE_FLOOR,
    PASS_THRESHOLD,
    WEIGHT_SCALE,
    called_helpers,
    code_without_docstring,
    compare,
    make_problem,
)
from explorer.pages.charts import show_chart
from explorer.pages.controls import control, lesson_header, show_url_notes
from explorer.pages.guided import guided_lesson

SETTINGS = PAGE_SETTINGS["check"]

EXPLANATION = N_("""
**The problem.** N examples with D standard-normal features, labels drawn uniformly from
0..K−1, and small random weights (entries about {weight_scale}·N(0, 1)), so every
probability starts near 1/K and the loss near ln K — a first sanity check.

**Three ways to the same gradient.** `loss_and_grad_naive` loops over examples and classes,
one number at a time. `loss_and_grad_textbook` does the same arithmetic as matrix products:
P = softmax(XW + b), dW = Xᵀ(P − Y)/N + reg·W. The numerical gradient knows no formula at
all: it nudges each of the D·K weights by ±h and evaluates the loss twice,
(L(W + h) − L(W − h)) / 2h. A fourth row, *optimised*, is `loss_and_grad`, the same matrix
form tuned for training's inner loop (transposed scores, in-place updates).

**Reading the numbers.** The relative error |a − n| / (|a| + |n|) of two gradients should be
below {threshold}. Naive and vectorised agree to rounding error (about 1e-15); against
central differences expect about 1e-9 — except for entries very close to 0, where the
rounding noise of central differences (about 1e-11) dominates the ratio.

**Timing.** Measured live on this server, in interleaved rounds (every method once per
round, in a rotating order) and the best round kept, so a busy moment of the server slows
every method alike and the ratios stay stable between loads: the loops pay Python's cost
per number, the numerical gradient pays 2·D·K loss evaluations.
""")

VERDICT_TEXT = {
    "pass": N_(":green-badge[:material/check_circle: pass]"),
    "noise": N_(":orange-badge[:material/help: within noise]"),
    "fail": N_(":red-badge[:material/cancel: fail]"),
}


@st.cache_data(max_entries=32, show_spinner=False)
def cached_problem(n: int, d: int, k: int, seed: int):
    """The random problem, keyed by four small integers."""
    return make_problem(n, d, k, seed)


def format_ms(seconds: float) -> str:
    """A time in milliseconds with three significant digits."""
    return f"{seconds * 1e3:.3g} ms"


def format_error(value: float | None) -> str:
    """A relative error in scientific notation, or a dash when there is none."""
    return "—" if value is None else f"{value:.1e}"


def problem_controls() -> tuple[int, int, int, int, float]:
    """N, D, K, seed and reg in one row."""
    columns = st.columns([1.4, 1, 1, 1, 1.2])
    values = []
    for column, setting in zip(columns, SETTINGS, strict=True):
        with column:
            values.append(control(setting))
    return tuple(values)


def results_table(methods) -> pd.DataFrame:
    """Loss, best time and cost of each method."""
    d, k = methods[0].dW.shape
    costs = {
        "vectorised": _("2 matrix products"),
        "optimised": _("2 matrix products, in place"),
        "naive": _("loops over N·K·D"),
        "numerical": _("{count} loss evaluations").format(count=2 * d * k),
    }
    return pd.DataFrame(
        {
            _("loss"): ["—" if m.loss is None else f"{m.loss:.10f}" for m in methods],
            _("best time"): [format_ms(m.seconds) for m in methods],
            _("work"): [costs.get(m.name, "") for m in methods],
        },
        index=[f"`{m.name}`" for m in methods],
    )


def differences_table(differences) -> pd.DataFrame:
    """Pairwise relative differences of the losses and of dW, with a verdict."""
    return pd.DataFrame(
        {
            _("loss: relative difference"): [format_error(d.loss) for d in differences],
            _("dW: max relative difference"): [format_error(d.dW) for d in differences],
            _("dW: max absolute difference"): [f"{d.dW_absolute:.1e}" for d in differences],
            _("verdict"): [_(VERDICT_TEXT[d.verdict]) for d in differences],
        },
        index=[_("{first} vs {second}").format(first=d.first, second=d.second)
               for d in differences],
    )


@st.fragment
def check_panel() -> None:
    """The controls, the three methods run and timed, and their differences."""
    n, d, k, seed, reg = problem_controls()
    problem = cached_problem(n, d, k, seed)
    methods, differences = compare(problem, reg)
    st.caption(_(
        "X: {n} × {d}, y: {n} labels in 0..{last}, W: {d} × {k}, b: {k}. "
        "With weights this small the loss should be close to ln K = {ln_k}."
    ).format(n=n, d=d, k=k, last=k - 1, ln_k=f"{math.log(k):.4f}"))
    by_name = {method.name: method for method in methods}
    speed_up = by_name["naive"].seconds / max(by_name["vectorised"].seconds, 1e-12)
    slow_down = by_name["numerical"].seconds / max(by_name["vectorised"].seconds, 1e-12)
    table, timing = st.columns([1.25, 1], gap="large")
    with table:
        st.table(results_table(methods))
        first, second = st.columns(2)
        first.metric(_("Vectorised speed-up"), f"{speed_up:,.0f}×", border=True,
                     help=_("Naive time ÷ vectorised time (best of several calls each)."))
        second.metric(_("Numerical slow-down"), f"{slow_down:,.0f}×", border=True,
                      help=_("Numerical time ÷ vectorised time: central differences evaluate "
                             "the loss {count} times (2·D·K).").format(count=2 * d * k))
    with timing:
        show_chart(
            timing_figure([m.name for m in methods], [m.seconds * 1e3 for m in methods]),
            key="timings", alt=chart_text.bars_text(
                _("the best time per call"), [m.name for m in methods],
                [m.seconds * 1e3 for m in methods], unit=" ms", decimals=3),
        )
        st.button(_("Measure again"), icon=":material/timer:", key="measure_again",
                  help=_("Rerun and retime every method."), width="stretch")
    st.markdown(_("**Do they agree?** Every pair, entry by entry "
                  "(pass: relative difference < {threshold}).").format(
        threshold=f"{PASS_THRESHOLD:g}"))
    st.table(differences_table(differences))
    if any(difference.verdict == "noise" for difference in differences):
        st.caption(_(
            ":material/info: *within noise*: every absolute difference is below "
            "{floor}; the relative difference is large only for entries of dW so "
            "close to 0 that the rounding noise of central differences dominates."
        ).format(floor=f"{NOISE_FLOOR:g}"))


def source_with_helpers(function) -> str:
    """``function``'s code followed by the private helpers it calls (the code that runs)."""
    parts = [function] + [helper for helper in called_helpers(function)
                          if helper not in shared_helpers()]
    return "\n\n".join(code_without_docstring(part) for part in parts) + "\n"


def shared_helpers() -> list:
    """Helpers every implementation calls (the argument checks), shown once."""
    naive = called_helpers(loss_and_grad_naive)
    return [helper for helper in called_helpers(loss_and_grad_textbook) if helper in naive]


def source_section() -> None:
    """The lesson's two implementations side by side, then the optimised one, as they ran."""
    st.subheader(_("The code that ran"), anchor=False)
    st.markdown(_("Read with `inspect.getsource` from the very functions that ran above (only "
                  "the docstrings are left out), followed by the private helpers they call."))
    vectorised, naive = st.columns(2, gap="medium")
    with vectorised:
        st.markdown(_("**Vectorised** — `loss_and_grad_textbook`: dW = Xᵀ(P − Y)/N + reg·W"))
        st.code(source_with_helpers(loss_and_grad_textbook), language="python",
                wrap_lines=True)
    with naive:
        st.markdown(_("**Naive** — `loss_and_grad_naive`"))
        st.code(source_with_helpers(loss_and_grad_naive), language="python", wrap_lines=True)
    with st.expander(_("Optimised variant — `loss_and_grad`, what training runs")):
        st.markdown(_("The same numbers as the vectorised form, with the scores transposed so "
                      "every reduction runs along contiguous memory, and P − Y formed in place."))
        st.code(source_with_helpers(loss_and_grad), language="python", wrap_lines=True)
    shared = shared_helpers()
    if shared:
        names = ", ".join(f"`{helper.__name__}`" for helper in shared)
        with st.expander(_("Argument checks every implementation calls: {names}").format(
                names=names)):
            st.code("\n\n".join(code_without_docstring(helper) for helper in shared),
                    language="python", wrap_lines=True)


guided_lesson("check")
notes = lesson_header(
    N_("Gradient check"),
    N_("Naive loops, vectorised numpy and central differences must give the same gradient. "
       "Compare them, time them, and read the code that runs."),
    EXPLANATION,
    SETTINGS,
    explanation_fields={"weight_scale": f"{WEIGHT_SCALE:g}", "threshold": f"{PASS_THRESHOLD:g}"},
)
check_panel()
source_section()
show_url_notes(notes)

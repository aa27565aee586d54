"""/softmax: move the logits and the temperature; watch p, the Jacobian and p - y together."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from explorer import chart_text, state
from explorer.figures import softmax_figs
from explorer.figures.style import CLASS_COLORS
from explorer.pages.charts import show_chart
from explorer.pages.controls import control, lesson_header, show_url_notes
from explorer.pages.presentation import presenting, secondary_panel
from explorer.softmax_lesson import (
    EXP_OVERFLOW,
    OVERFLOW_SCALE,
    RANK_RTOL,
    SATURATION,
    SoftmaxView,
    entry_derivation,
    jacobian_checks,
    softmax_view,
    tex_number,
)

SETTINGS = (
    state.SOFTMAX_K, *state.SOFTMAX_LOGITS, state.TEMPERATURE, state.SOFTMAX_TARGET,
    state.OVERFLOW_DEMO,
)
#: Where the last clicked Jacobian cell (i, j) is kept: the chart's own selection is
#: forgotten whenever the figure changes, the learner's choice should not be.
CELL_KEY = "softmax_jacobian_cell"
DEFAULT_CELL = (0, 1)
#: Flex basis (px) of each chart box: side by side when both fit, stacked otherwise.
#: Below this a row sum or an asymmetry is rounding error (the entries are at most 1/(4T) = 5).
ROUNDING = 1e-12
FLEX_BASIS = {"probs_box": 520, "grad_box": 360, "jacobian_box": 540, "story_box": 400}
#: In presentation mode the main picture, p beside J, leads the row (then p - y, the story).
PRESENT_ORDER = {"probs_box": (1, 380), "jacobian_box": (2, 380), "grad_box": (3, 360),
                 "story_box": (4, 400)}

LESSON = (
    "Softmax turns K scores (logits) into probabilities. Move a logit and watch **every** "
    "probability respond: that response is the Jacobian $J_{ij} = \\partial p_i / "
    "\\partial z_j$, and with the cross-entropy loss it collapses to the gradient $p - y$."
)
EXPLANATION = r"""
- **Left, the controls.** K logits $z_0 \dots z_{K-1}$ (one colour per class, the same
  colour in every chart), the temperature $T$ and the target class $y$.
- **Logits and probabilities.** $p_i = e^{z_i/T} / \sum_k e^{z_k/T}$. Only differences between
  logits matter: adding the same number to every $z_i$ changes nothing. Small $T$ sharpens
  $p$ towards one-hot, large $T$ flattens it towards uniform. The outlined bar is the target $y$.
- **p − y.** The cross-entropy loss is $L = -\log p_y$; its gradient with respect to the logits
  is $(p - y)/T$, where $y$ is one-hot. The target's bar is negative (raise $z_y$ to lower the
  loss), every other bar is positive.
- **The Jacobian.** Row $i$, column $j$ holds $\partial p_i / \partial z_j$: red is positive,
  blue negative, white 0. The diagonal is positive (raising $z_i$ raises $p_i$), everything
  else is negative (it takes probability from the other classes). Rows sum to 0 because the
  probabilities always sum to 1. Click any cell to see where its value comes from.
- **Saturation.** When one $p_i$ is close to 1, every entry of $J$ is close to 0: gradients
  through the softmax vanish.
- **Overflow.** The switch multiplies the logits by 1000 and compares the textbook formula with
  the stable one that subtracts $\max z$ first.
"""


def _page_css(k: int, present: bool = False) -> str:
    """Constant CSS (no user input): class colours on the sliders, a layout that adapts.

    - each logit slider's thumb, and a square before its label, take the class colour;
    - the controls stay in view (sticky) while the charts scroll past them;
    - the four chart boxes share one wrapping row: on a wide screen (a projector) the
      probabilities sit beside p - y and the Jacobian beside its derivation; on a narrow one
      (a laptop with the sidebar open) they stack, the Jacobian moving up next to p.
    """
    rules = []
    for index in range(k):
        colour = CLASS_COLORS[index]
        rules.append(
            f".st-key-z{index} [role='group'] [data-rac][style*='absolute']"
            f"{{background-color:{colour} !important;}}"
            f".st-key-z{index} label p::before{{content:'■ ';color:{colour};}}"
        )
    rules.append(
        "div:has(> .st-key-softmax_controls){position:sticky;top:4rem;}"
        ".st-key-softmax_controls{max-height:calc(100vh - 5rem);overflow-y:auto;}"
        ".st-key-softmax_charts{container-type:inline-size;}"
    )
    for key, basis in FLEX_BASIS.items():
        rules.append(f"div:has(> .st-key-{key}){{flex:1 1 {basis}px !important;}}")
    wide = FLEX_BASIS["probs_box"] + FLEX_BASIS["grad_box"] + 24
    rules.append(
        f"@container (max-width:{wide}px){{div:has(> .st-key-grad_box){{order:3;}}}}"
    )
    if present:
        for key, (order, basis) in PRESENT_ORDER.items():
            rules.append(
                f"div:has(> .st-key-{key}){{order:{order} !important;"
                f"flex:1 1 {basis}px !important;}}"
            )
    return "<style>" + "".join(rules) + "</style>"


@st.cache_data(max_entries=512, show_spinner=False)
def _view(logits: tuple[float, ...], temperature: float, target: int, big: bool) -> SoftmaxView:
    return softmax_view(logits, temperature, target, overflow_demo=big)


def _keep_target_below_k() -> None:
    """on_change of K: a target y >= K would make Streamlit's y slider raise, so clamp it."""
    k = st.session_state[state.SOFTMAX_K.key]
    if st.session_state.get(state.SOFTMAX_TARGET.key, 0) > k - 1:
        st.session_state[state.SOFTMAX_TARGET.key] = k - 1


def _controls() -> tuple[tuple[float, ...], float, int, bool]:
    """The controls of the lesson; returns (logits, T, y, overflow demo on)."""
    k = control(state.SOFTMAX_K, on_change=_keep_target_below_k)
    temperature = control(state.TEMPERATURE)
    # The valid targets depend on K: created with that range so Streamlit itself rejects y >= K.
    target = control(state.SOFTMAX_TARGET.with_range(max_value=k - 1))
    st.markdown("**Logits z**")
    logits = tuple(float(control(setting)) for setting in state.SOFTMAX_LOGITS[:k])
    big = control(state.OVERFLOW_DEMO)
    return logits, float(temperature), int(target), bool(big)


def _remember_cell() -> None:
    """on_select callback of the Jacobian: keep the clicked cell (i, j)."""
    points = st.session_state["jacobian"]["selection"]["points"]
    if points:
        st.session_state[CELL_KEY] = (int(points[0]["y"]), int(points[0]["x"]))


def _current_cell(k: int) -> tuple[tuple[int, int], bool]:
    """The cell to derive and whether the learner chose it (else the default)."""
    cell = st.session_state.get(CELL_KEY)
    if cell is not None and all(0 <= index < k for index in cell):
        return (int(cell[0]), int(cell[1])), True
    return DEFAULT_CELL, False


def _overflow_table(view: SoftmaxView) -> None:
    st.markdown(
        f"**Overflow demo: logits × {OVERFLOW_SCALE:g}.** The charts below use the stable "
        f"softmax of these scaled logits."
    )
    frame = pd.DataFrame(
        {
            f"z × {OVERFLOW_SCALE:g}": [f"{value:g}" for value in view.logits],
            "textbook exp(z/T) / Σ": [f"{value:.6g}" for value in view.p_naive],
            "stable (z − max z)": [f"{value:.6g}" for value in view.p],
        },
        index=pd.Index([f"class {index}" for index in range(view.classes)]),
    )
    st.table(frame)
    largest = float(np.max(view.logits)) / view.temperature
    st.markdown(
        f"The largest $z/T$ is {largest:.6g}; $e^x$ overflows to inf for $x > "
        f"{EXP_OVERFLOW:.2f}$ and $\\infty/\\infty$ is nan. Subtracting $\\max z$ first leaves "
        f"$p$ unchanged (the factor $e^{{-\\max z / T}}$ cancels) and makes every exponent "
        f"≤ 0, so nothing can overflow."
    )


def _saturation_note(view: SoftmaxView) -> None:
    st.info(
        f"**Vanishing gradients.** max p = {view.p.max():.4f} > {SATURATION}: p is almost "
        f"one-hot. Every entry of J is $p_i(1 - p_i)/T$ or $-p_i p_j/T$, and each of these "
        f"products tends to 0 as p approaches one-hot, so almost no gradient flows back "
        f"through the softmax (largest |J| entry now {np.abs(view.jacobian).max():.3g}).",
        icon=":material/trending_flat:",
    )


def _loss(view: SoftmaxView) -> None:
    loss_col, target_col = st.columns(2)
    # + 0.0 turns the -0.0 of -log(1) into 0.0.
    loss_col.metric("Cross-entropy L = −log p_y", f"{view.loss + 0.0:.4f}")
    target_col.metric(f"p_y (target y = {view.target})", f"{view.p[view.target]:.4f}")


def _derivation(view: SoftmaxView, cell: tuple[int, int], chosen: bool) -> None:
    story = entry_derivation(view.p, view.temperature, *cell)
    i, j = cell
    st.markdown(f"#### Where $J_{{{i},{j}}}$ comes from")
    if not chosen:
        st.caption(":material/touch_app: Click a cell of the Jacobian to derive that entry.")
    st.markdown(story.summary)
    for line in story.latex:
        st.latex(line)
    st.caption(f"The heatmap shows {view.jacobian[i, j] + 0.0:.6g} in row {i}, column {j}.")


def _checks(view: SoftmaxView) -> None:
    """One line per property, measured on the Jacobian drawn above."""
    checks = jacobian_checks(view.jacobian)
    expected = checks.classes - 1
    ok, off = ":green[:material/check_circle:]", ":orange[:material/error:]"
    rank_line = (
        f"{ok} **rank K − 1 = {expected}**: `matrix_rank(J, rtol={RANK_RTOL:g})` = "
        f"{checks.rank}"
        if checks.rank == expected
        else f"{off} **rank** {checks.rank}, not K − 1 = {expected}: p is so close to one-hot "
        f"that J has lost rank numerically (in exact arithmetic it is K − 1)"
    )
    lines = [
        f"{ok if checks.max_row_sum < ROUNDING else off} **rows sum to 0**: "
        f"max $|\\sum_j J_{{ij}}|$ = ${tex_number(checks.max_row_sum, 2)}$",
        f"{ok if checks.max_asymmetry < ROUNDING else off} **symmetric**: "
        f"max $|J - J^\\top|$ = ${tex_number(checks.max_asymmetry, 2)}$",
        rank_line,
        f":gray[:material/info:] **largest entry**: max $|J_{{ij}}|$ = "
        f"{np.abs(view.jacobian).max():.4g} (it shrinks to 0 as p saturates)",
    ]
    st.markdown("  \n".join(lines))


def _probs_chart(view: SoftmaxView, big: bool) -> None:
    logits_title = f"logits z × {OVERFLOW_SCALE:g}" if big else "logits z"
    show_chart(
        softmax_figs.probs_figure(view.logits, view.p, view.target, logits_title=logits_title),
        key="probs", alt=chart_text.probabilities_text(view.logits, view.p, view.target),
        width="stretch",
    )
    st.caption(f"The outlined bars are the target class y = {view.target}.")


def _dlogits_chart(view: SoftmaxView) -> None:
    _loss(view)
    show_chart(
        softmax_figs.dlogits_figure(view.one_hot, view.error),
        key="dlogits", alt=chart_text.error_text(view.error, view.target), width="stretch",
    )
    st.caption(
        "p − y is T times the gradient of the loss: ∂L/∂z = (p − y)/T. "
        "A gradient-descent step raises z_y and lowers every other logit."
    )


def _jacobian_chart(view: SoftmaxView, cell: tuple[int, int]) -> None:
    st.markdown("#### Jacobian $J_{ij} = \\partial p_i / \\partial z_j$")
    show_chart(
        softmax_figs.jacobian_figure(view.jacobian, selected=cell),
        key="jacobian", on_select=_remember_cell, selection_mode="points", width="stretch",
        alt=chart_text.matrix_text("the Jacobian J = dp_i/dz_j", view.jacobian, rows="i",
                                   columns="j", decimals=3),
    )
    with secondary_panel("Checks: rows sum to 0, symmetric, rank K − 1"):
        _checks(view)


@st.fragment
def _panel() -> None:
    controls_col, charts_col = st.columns([1, 3], gap="medium")
    with controls_col, st.container(border=True, key="softmax_controls"):
        logits, temperature, target, big = _controls()
    view = _view(logits, temperature, target, big)
    with charts_col:
        if big:
            with st.container(border=True, key="overflow_demo"):
                _overflow_table(view)
        if view.saturated:
            _saturation_note(view)
        cell, chosen = _current_cell(view.classes)
        with st.container(horizontal=True, gap="medium", key="softmax_charts"):
            with st.container(key="probs_box"):
                _probs_chart(view, big)
            with st.container(key="grad_box"):
                _dlogits_chart(view)
            with st.container(key="jacobian_box"):
                _jacobian_chart(view, cell)
            with st.container(key="story_box"), secondary_panel("Where the entry comes from"):
                _derivation(view, cell, chosen)


notes_slot = lesson_header(
    "Softmax and its Jacobian", LESSON, EXPLANATION, SETTINGS, forget=(CELL_KEY,)
)
st.html(_page_css(state.MAX_CLASSES, presenting()))
_panel()
show_url_notes(notes_slot)

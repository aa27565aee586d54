"""/softmax: move the logits and the temperature; watch p, the Jacobian and p - y together.

The controls and the charts live in the browser (explorer/web/softmax_view.js, mounted by
explorer/pages/live.py): a key press redraws within the frame. This script checks the
state the browser syncs back and runs the slow parts on it: the derivation of the chosen
Jacobian entry, the measured properties of J, the overflow and saturation notes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from explorer.guided.page_settings import PAGE_SETTINGS
from explorer.i18n import N_, _
from explorer.page_logic.softmax import (
    EXP_OVERFLOW,
    OVERFLOW_SHIFT,
    RANK_RTOL,
    SATURATION,
    SoftmaxView,
    entry_derivation,
    jacobian_checks,
    softmax_view,
    tex_number,
)
from explorer.pages import live
from explorer.pages.controls import lesson_header, show_url_notes
from explorer.pages.guided import guided_lesson
from explorer.pages.offline_download import offline_download
from explorer.pages.presentation import presenting, secondary_panel
from explorer.settings import specs
from explorer.settings.setting import Setting
from explorer.view_labels import softmax_labels
from explorer.view_states import SOFTMAX_DATA, softmax_state

SETTINGS = PAGE_SETTINGS["softmax"]
#: Below this a row sum or an asymmetry is rounding error (the entries are at most 1/(4T) = 5).
ROUNDING = 1e-12

LESSON = N_(
    "Softmax turns K scores (logits) into probabilities. Move a logit and watch **every** "
    "probability respond: that response is the Jacobian $J_{ij} = \\partial p_i / "
    "\\partial z_j$, and with the cross-entropy loss it collapses to the gradient $p - y$."
)
EXPLANATION = N_(r"""
- **Left, the controls.** K logits $z_0 \dots z_{K-1}$ (one colour per class, the same
  colour in every chart), the temperature $T$ and the target class $y$. Every slider moves
  with the arrow keys once focused (Tab to it).
- **Logits and probabilities.** $p_i = e^{z_i/T} / \sum_k e^{z_k/T}$. Only differences between
  logits matter: adding the same number to every $z_i$ changes nothing. Small $T$ sharpens
  $p$ towards one-hot, large $T$ flattens it towards uniform. The outlined bar is the target $y$.
- **p − y.** The cross-entropy loss is $L = -\log p_y$; its gradient with respect to the logits
  is $(p - y)/T$, where $y$ is one-hot. The target's bar is negative (raise $z_y$ to lower the
  loss), every other bar is positive.
- **The Jacobian.** Row $i$, column $j$ holds $\partial p_i / \partial z_j$: red is positive,
  blue negative, white 0. The diagonal is positive (raising $z_i$ raises $p_i$), everything
  else is negative (it takes probability from the other classes). Rows sum to 0 because the
  probabilities always sum to 1. Click a cell (or move to it with the arrow keys and press
  Enter) to see where its value comes from.
- **Saturation.** When one $p_i$ is close to 1, every entry of $J$ is close to 0: gradients
  through the softmax vanish.
- **Overflow.** The switch adds 1000 to every logit. The stable softmax, which subtracts
  $\max z$ first, gives exactly the same $p$; the textbook formula computes $e^{1000}$ = inf.
""")


def _from_browser(synced) -> dict:
    """The browser's state as raw setting values (checked afterwards by live.check_values)."""
    logits = list(synced["z"])
    if len(logits) != len(specs.SOFTMAX_LOGITS):
        raise ValueError("expected one logit per possible class")
    i, j = synced["cell"]
    return {
        specs.SOFTMAX_K.key: synced["k"],
        **{setting.key: value for setting, value in zip(specs.SOFTMAX_LOGITS, logits,
                                                        strict=True)},
        specs.TEMPERATURE.key: synced["t"],
        specs.SOFTMAX_TARGET.key: synced["y"],
        specs.OVERFLOW_DEMO.key: synced["big"],
        specs.JACOBIAN_CELL.key: f"{int(i)},{int(j)}",
    }


def _dependent(values) -> list[Setting]:
    """The target and the Jacobian cell must lie inside the K classes."""
    k = values[specs.SOFTMAX_K.key]
    return [
        specs.SOFTMAX_TARGET.with_range(max_value=k - 1),
        specs.JACOBIAN_CELL.with_options(f"{i},{j}" for i in range(k) for j in range(k)),
    ]


VIEW = live.define(live.LiveView(
    name="softmax", component=live.SOFTMAX_COMPONENT, settings=SETTINGS,
    to_browser=softmax_state, from_browser=_from_browser, refine=_dependent,
))
@st.cache_data(max_entries=512, show_spinner=False)
def _view(logits: tuple[float, ...], temperature: float, target: int, big: bool) -> SoftmaxView:
    return softmax_view(logits, temperature, target, overflow_demo=big)


def _overflow_table(view: SoftmaxView) -> None:
    st.markdown(_(
        "**Overflow demo: every logit + {shift}.** The charts above use the "
        "stable softmax of these shifted logits: the same p as before the shift."
    ).format(shift=f"{OVERFLOW_SHIFT:g}"))
    frame = pd.DataFrame(
        {
            f"z + {OVERFLOW_SHIFT:g}": [f"{value:g}" for value in view.logits],
            _("textbook exp(z/T) / Σ"): [f"{value:.6g}" for value in view.p_naive],
            _("stable (z − max z)"): [f"{value:.6g}" for value in view.p],
        },
        index=pd.Index([_("class {index}").format(index=index)
                        for index in range(view.classes)]),
    )
    st.table(frame)
    largest = float(np.max(view.logits)) / view.temperature
    if largest > EXP_OVERFLOW:
        verdict = _("$e^x$ overflows to inf for $x > {limit}$ and "
                    "$\\infty/\\infty$ is nan.").format(limit=f"{EXP_OVERFLOW:.2f}")
    else:
        verdict = _("That is below {limit}, so at this temperature even the textbook "
                    "formula survives: lower T to see it overflow.").format(
            limit=f"{EXP_OVERFLOW:.2f}")
    st.markdown(_(
        "The largest $z/T$ is {largest}. {verdict} Subtracting $\\max z$ first leaves "
        "$p$ unchanged (the factor $e^{{-\\max z / T}}$ cancels) and makes every exponent "
        "≤ 0, so nothing can overflow."
    ).format(largest=f"{largest:.6g}", verdict=verdict))


def _saturation_note(view: SoftmaxView) -> None:
    st.info(
        _("**Vanishing gradients.** max p = {max_p} > {saturation}: p is almost "
          "one-hot. Every entry of J is $p_i(1 - p_i)/T$ or $-p_i p_j/T$, and each of these "
          "products tends to 0 as p approaches one-hot, so almost no gradient flows back "
          "through the softmax (largest |J| entry now {largest}).").format(
            max_p=f"{view.p.max():.4f}", saturation=SATURATION,
            largest=f"{np.abs(view.jacobian).max():.3g}"),
        icon=":material/trending_flat:",
    )


def _derivation(view: SoftmaxView, cell: tuple[int, int], chosen: bool) -> None:
    story = entry_derivation(view.p, view.temperature, *cell)
    i, j = cell
    st.markdown(_("#### Where $J_{{{i},{j}}}$ comes from").format(i=i, j=j))
    if not chosen:
        st.caption(_(":material/touch_app: Click a cell of the Jacobian (or reach it with the "
                     "arrow keys and press Enter) to derive that entry."))
    st.markdown(story.summary)
    for line in story.latex:
        st.latex(line)
    st.caption(_("The heatmap shows {value} in row {i}, column {j}.").format(
        value=f"{view.jacobian[i, j] + 0.0:.6g}", i=i, j=j))


def _checks(view: SoftmaxView) -> None:
    """One line per property, measured on the Jacobian the browser draws (numpy's twin)."""
    checks = jacobian_checks(view.jacobian)
    expected = checks.classes - 1
    ok, off = ":green[:material/check_circle:]", ":orange[:material/error:]"
    rank_line = (
        _("{mark} **rank K − 1 = {expected}**: `matrix_rank(J, rtol={rtol})` = "
          "{rank}").format(mark=ok, expected=expected, rtol=f"{RANK_RTOL:g}", rank=checks.rank)
        if checks.rank == expected
        else _("{mark} **rank** {rank}, not K − 1 = {expected}: p is so close to one-hot "
               "that J has lost rank numerically (in exact arithmetic it is K − 1)").format(
            mark=off, rank=checks.rank, expected=expected)
    )
    lines = [
        _("{mark} **rows sum to 0**: max $|\\sum_j J_{{ij}}|$ = ${value}$").format(
            mark=ok if checks.max_row_sum < ROUNDING else off,
            value=tex_number(checks.max_row_sum, 2)),
        _("{mark} **symmetric**: max $|J - J^\\top|$ = ${value}$").format(
            mark=ok if checks.max_asymmetry < ROUNDING else off,
            value=tex_number(checks.max_asymmetry, 2)),
        rank_line,
        _(":gray[:material/info:] **largest entry**: max $|J_{{ij}}|$ = "
          "{value} (it shrinks to 0 as p saturates)").format(
            value=f"{np.abs(view.jacobian).max():.4g}"),
    ]
    st.markdown(_("#### Properties of J, measured (numpy, on the server)"))
    st.markdown("  \n".join(lines))


@st.fragment
def _panel() -> None:
    """The live view, then the server's part computed from the state it synced."""
    values = live.mount(VIEW, {**SOFTMAX_DATA, "labels": softmax_labels()},
                        present=presenting())
    offline_download("softmax", values)
    k = values[specs.SOFTMAX_K.key]
    logits = tuple(values[setting.key] for setting in specs.SOFTMAX_LOGITS[:k])
    big = values[specs.OVERFLOW_DEMO.key]
    view = _view(logits, values[specs.TEMPERATURE.key], values[specs.SOFTMAX_TARGET.key], big)
    cell_text = values[specs.JACOBIAN_CELL.key]
    cell = tuple(int(part) for part in cell_text.split(","))
    with st.container(key="server_panel"):
        if big:
            with st.container(border=True, key="overflow_demo"):
                _overflow_table(view)
        if view.saturated:
            _saturation_note(view)
        story, checks = st.columns([1.2, 1], gap="large")
        with story, st.container(key="story_box"):
            _derivation(view, cell, chosen=cell_text != specs.JACOBIAN_CELL.default)
        with checks, st.container(key="checks_box"), secondary_panel(
                _("Checks: rows sum to 0, symmetric, rank K − 1")):
            _checks(view)
    live.write_url(VIEW, values)


guided_lesson("softmax")
notes_slot = lesson_header(
    N_("Softmax and its Jacobian"), LESSON, EXPLANATION, SETTINGS, forget=(VIEW.values_key,)
)
_panel()
show_url_notes(notes_slot)

"""/weights: one example, a linear classifier, and the gradient of the loss in its weights.

The controls, the plane and the gradient heatmaps live in the browser
(explorer/web/weights_view.js, mounted by explorer/pages/live.py), so moving a weight
redraws within the frame. This script checks the state the browser syncs back and runs the
slow part on it: both gradients against central differences, and the numeric dp_j/dW.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import chart_text
from explorer.figures.style import (
    symmetric_range,
)
from explorer.figures.weights_figs import weight_gradient_heatmap
from explorer.guided.page_settings import PAGE_SETTINGS
from explorer.i18n import N_, _
from explorer.page_logic.check import NOISE_FLOOR, PASS_THRESHOLD
from explorer.page_logic.weights import (
    check_loss_gradient,
    check_probability_gradient,
    forward,
)
from explorer.pages import live
from explorer.pages.charts import show_chart
from explorer.pages.controls import lesson_header, show_url_notes
from explorer.pages.guided import guided_lesson
from explorer.pages.offline_download import offline_download
from explorer.pages.presentation import presenting, secondary_panel
from explorer.settings import specs
from explorer.settings.setting import Setting
from explorer.view_labels import weights_labels
from explorer.view_states import WEIGHTS_DATA, weights_state

SETTINGS = PAGE_SETTINGS["weights"]

EXPLANATION = N_("""
**The model.** One example x = (x1, x2) gets one score per class, z_k = x·w_k + b_k, where
the weight vector w_k is column k of W (2 × K). Softmax turns the scores into
probabilities p, and the loss is L = −log p_y + ½·reg·ΣW².

**The plane.** The background colours show which class the classifier picks at every point
(paler where it is unsure); where two colours meet is a decision boundary — a straight
line, because the classifier is linear. The arrows are the weight vectors w_k: a point scores
high for class k when it lies far along w_k. The dashed arrows show −lr·∂L/∂w_k, the
step gradient descent would take; *Take one gradient step* takes it (and b −= lr·∂L/∂b),
and the loss shown falls step by step when lr is small enough.

**The gradient.** W[i][k] is the weight from feature i to class k. For one example,
column k of dL/dW is x·(p_k − y_k) and dL/db = p − y: the true class's
weights are pulled towards x, every other class's weights are pushed away from x, each in
proportion to its probability. L2 regularisation adds reg·W, pulling every weight towards 0.

**The check.** Central differences (f(W + h) − f(W − h)) / 2h approximate each derivative
independently of any formula; if the formula is right, the two agree to about 1e-9.
Switch on the *common mistake* to see a wrong formula fail the check: the entries it gets
wrong are outlined in red dots.
""")


def _from_browser(synced) -> dict:
    """The browser's state as raw setting values (checked afterwards by live.check_values)."""
    raw = {
        specs.WEIGHTS_K.key: synced["k"], specs.EXAMPLE_X1.key: synced["x1"],
        specs.EXAMPLE_X2.key: synced["x2"], specs.WEIGHTS_TARGET.key: synced["y"],
        specs.WEIGHTS_REG.key: synced["reg"], specs.PROB_CLASS.key: synced["j"],
        specs.COMMON_MISTAKE.key: synced["mistake"], specs.WEIGHTS_LR.key: synced["lr"],
    }
    for row, settings in zip(synced["W"], specs.WEIGHT_SLIDERS, strict=True):
        raw.update({setting.key: value for setting, value in zip(settings, row, strict=True)})
    raw.update({setting.key: value
                for setting, value in zip(specs.BIAS_SLIDERS, synced["b"], strict=True)})
    return raw


def _dependent(values) -> list[Setting]:
    """The class of x and the differentiated p_j must be among the K classes."""
    k = values[specs.WEIGHTS_K.key]
    return [specs.WEIGHTS_TARGET.with_range(max_value=k - 1),
            specs.PROB_CLASS.with_range(max_value=k - 1)]


VIEW = live.define(live.LiveView(
    name="weights", component=live.WEIGHTS_COMPONENT, settings=SETTINGS,
    to_browser=weights_state, from_browser=_from_browser, refine=_dependent,
))


def model(values) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, float]:
    """W (2, K), b (K,), x (2,), y and reg of the checked values."""
    k = values[specs.WEIGHTS_K.key]
    W = np.array([[values[setting.key] for setting in row[:k]] for row in specs.WEIGHT_SLIDERS])
    b = np.array([values[setting.key] for setting in specs.BIAS_SLIDERS[:k]])
    x = np.array([values[specs.EXAMPLE_X1.key], values[specs.EXAMPLE_X2.key]])
    return W, b, x, values[specs.WEIGHTS_TARGET.key], values[specs.WEIGHTS_REG.key]


def show_check(label: str, check) -> None:
    """Relative error as a metric, and the verdict as a coloured callout."""
    st.metric(label, f"{check.relative:.2e}", border=True,
              help=_("Largest |analytic − numeric| / (|analytic| + |numeric|) over the entries; "
                     "below {threshold} passes.").format(threshold=f"{PASS_THRESHOLD:g}"))
    if check.verdict == "pass":
        st.success(_("**PASS** (< {threshold})").format(threshold=f"{PASS_THRESHOLD:g}"),
                   icon=":material/check_circle:")
    elif check.verdict == "fail":
        st.error(_("**FAIL** (≥ {threshold})").format(threshold=f"{PASS_THRESHOLD:g}"),
                 icon=":material/cancel:")
    else:
        st.warning(
            _("**WITHIN NOISE**: every difference is below {floor}, the rounding noise "
              "of central differences; some entries are too close to 0 to judge.").format(
                floor=f"{NOISE_FLOOR:g}"),
            icon=":material/help:",
        )


def gradient_check(W, b, x, y: int, reg: float) -> None:
    """dL/dW from loss_and_grad against central differences of the loss, and the loss."""
    result = forward(W, b, x, y, reg)
    check = check_loss_gradient(W, b, x, y, reg)
    explain, loss, badge = st.columns([2.2, 1, 1], vertical_alignment="center")
    with explain:
        st.markdown(_(
            "**Gradient check of dL/dW** (server, numpy): the {count} entries from "
            "`loss_and_grad` against central differences of the loss (2 loss evaluations "
            "per weight). Column y = {y} is pulled towards x by (1 − p_y) = "
            "{pull}; every other column k is pushed away from x by p_k."
        ).format(count=2 * W.shape[1], y=y, pull=f"{1 - result.p[y]:.3f}"))
    with loss:
        st.metric(_("Loss L (numpy)"), f"{result.loss:.4f}", border=True,
                  help=_("−log p_y + ½·reg·ΣW², from loss_and_grad on the batch X = [x]."))
    with badge:
        show_check(_("dL/dW: relative error"), check)


def probability_check(W, b, x, j: int, mistake: bool) -> None:
    """dp_j/dW from the chosen formula against central differences of p_j."""
    check = check_probability_gradient(W, b, x, j, mistake=mistake)
    left, right = st.columns([1.3, 1], gap="medium")
    with left:
        show_chart(
            weight_gradient_heatmap(check.numeric, zmax=symmetric_range(check.numeric),
                                    title=_("∂p{j}/∂W[i][k] by central differences").format(
                                        j=j)),
            key="dprob_numeric",
            alt=chart_text.matrix_text(_("dp{j}/dW[i][k] by central differences").format(j=j),
                                       check.numeric, rows=_("feature i"),
                                       columns=_("class k"), decimals=3),
        )
    with right:
        show_check(_("∂p{j}/∂W: relative error").format(j=j), check)
    if not np.any(x):
        st.info(_("With x = 0 every derivative is 0, so no check can tell a right formula "
                  "from a wrong one: move x away from the origin."), icon=":material/info:")
    elif mistake and check.verdict != "fail":
        st.info(
            _("The formula is still wrong — it drops −p_j p_k x — but here those terms are too "
              "small for the check to see: move x or the weights so that every class keeps "
              "some probability."), icon=":material/visibility_off:",
        )
    elif mistake:
        st.error(
            _("Why it fails: w_k also sits in the denominator Σ_m exp(w_m·x + b_m), so raising "
              "w_k·x lowers every other probability — the dropped term −p_j p_k x is why the "
              "outlined entries differ: columns k ≠ {j} should not be 0, and column {j} "
              "should be smaller.").format(j=j),
            icon=":material/error:",
        )


@st.fragment
def weights_panel() -> None:
    """The live view, then the server's checks of the state it synced."""
    values = live.mount(VIEW, {**WEIGHTS_DATA, "labels": weights_labels()},
                        present=presenting())
    offline_download("weights", values)
    W, b, x, y, reg = model(values)
    with st.container(key="server_panel"):
        gradient_check(W, b, x, y, reg)
        with secondary_panel(_("Gradient check of dp_j/dW")):
            probability_check(W, b, x, values[specs.PROB_CLASS.key],
                              values[specs.COMMON_MISTAKE.key])
    live.write_url(VIEW, values)


guided_lesson("weights")
notes = lesson_header(
    N_("Gradients of the weights"),
    N_("One example, a linear softmax classifier: dL/dW = x (p − y)ᵀ + reg·W and "
       "dL/db = p − y. Move a weight and watch the gradient, the regions and the check move "
       "with it, or take a gradient step."),
    EXPLANATION,
    SETTINGS,
    forget=(VIEW.values_key,),
)
weights_panel()
show_url_notes(notes)

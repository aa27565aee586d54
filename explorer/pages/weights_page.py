"""/weights: one example, a linear classifier, and the gradient of the loss in its weights.

Reads like its layout: the example and the weights (with the plane they live in), the
forward pass, dL/dW split into its data and regularisation terms, then how one
probability depends on every weight vector, checked against central differences.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from explorer import chart_text, state
from explorer.check_runner import NOISE_FLOOR, PASS_THRESHOLD
from explorer.figures.style import class_color, symmetric_range, text_on
from explorer.figures.weights_figs import plane_figure, weight_gradient_heatmap
from explorer.one_example import (
    check_loss_gradient,
    check_probability_gradient,
    forward,
)
from explorer.pages.charts import show_chart
from explorer.pages.controls import control, lesson_header, show_url_notes

SETTINGS = (
    state.WEIGHTS_K, state.EXAMPLE_X1, state.EXAMPLE_X2, state.WEIGHTS_TARGET,
    *state.WEIGHT_SLIDERS[0], *state.WEIGHT_SLIDERS[1], *state.BIAS_SLIDERS,
    state.WEIGHTS_REG, state.PROB_CLASS, state.COMMON_MISTAKE,
)

EXPLANATION = """
**The model.** One example x = (x1, x2) gets one score per class, z_k = x·w_k + b_k, where
the weight vector w_k is column k of W (2 × K). Softmax turns the scores into
probabilities p, and the loss is L = −log p_y + ½·reg·ΣW².

**The plane.** The background colours show which class the classifier picks at every point
(paler where it is unsure); the dark lines are the decision boundaries — straight lines,
because the classifier is linear. The arrows are the weight vectors w_k: a point scores
high for class k when it lies far along w_k. The dashed arrows show −∂L/∂w_k, the
direction gradient descent would move each weight vector.

**The gradient.** For one example, column k of dL/dW is x·(p_k − y_k): the true class's
weights are pulled towards x, every other class's weights are pushed away from x, each in
proportion to its probability. L2 regularisation adds reg·W, pulling every weight towards 0.

**The check.** Central differences (f(W + h) − f(W − h)) / 2h approximate each derivative
independently of any formula; if the formula is right, the two agree to about 1e-9.
Switch on the *common mistake* to see a wrong formula fail the check.
"""


def _gradient_text(name: str, values: np.ndarray) -> str:
    """The text alternative of a (2, K) weight-gradient heatmap."""
    return chart_text.matrix_text(name, values, rows="feature x", columns="class", decimals=3)


def class_chip(k: int) -> str:
    """A small class-coloured label (fixed markup: no user text goes into it)."""
    return (
        f"<span style='background:{class_color(k)};color:{text_on(class_color(k))};"
        f"border-radius:0.4rem;"
        f"padding:0.1rem 0.45rem;font-weight:600;white-space:nowrap'>class {k}</span>"
    )


def example_controls() -> tuple[int, np.ndarray, int, float]:
    """K, the example x, its class y and reg."""
    st.markdown("**The example and the model**")
    left, right = st.columns(2)
    with left:
        x1 = control(state.EXAMPLE_X1)
        k = control(state.WEIGHTS_K)
    with right:
        x2 = control(state.EXAMPLE_X2)
        # The valid class depends on K, so the widget gets that range and Streamlit
        # itself rejects an out-of-range URL value.
        y = control(state.WEIGHTS_TARGET.with_range(max_value=k - 1))
    reg = control(state.WEIGHTS_REG)
    return k, np.array([x1, x2]), y, reg


def weight_controls(k: int) -> tuple[np.ndarray, np.ndarray]:
    """W (2, K) and b (K,), one small column of sliders per class."""
    st.markdown("**Weights w_k (columns of W) and biases b_k**")
    W = np.zeros((2, k))
    b = np.zeros(k)
    for cls, column in enumerate(st.columns(k, gap="small")):
        with column:
            st.markdown(class_chip(cls), unsafe_allow_html=True)
            W[0, cls] = control(state.WEIGHT_SLIDERS[0][cls])
            W[1, cls] = control(state.WEIGHT_SLIDERS[1][cls])
            b[cls] = control(state.BIAS_SLIDERS[cls])
    return W, b


@st.cache_data(max_entries=64, show_spinner=False)
def cached_plane(W: tuple, b: tuple, x: tuple, y: int, descent: tuple):
    """The plane figure, keyed by small tuples (unchanged inputs give the same figure)."""
    return plane_figure(np.array(W), np.array(b), np.array(x), y, descent=np.array(descent))


def forward_table(result) -> pd.DataFrame:
    """Scores, probabilities, one-hot target and p − y, one column per class."""
    k = result.p.shape[0]
    rows = {
        "score z = x·w + b": result.logits,
        "probability p": result.p,
        "target y (one-hot)": result.target,
        "p − y": result.p - result.target,
    }
    return pd.DataFrame(
        {f"class {cls}": [f"{values[cls]:.4f}" for values in rows.values()] for cls in range(k)},
        index=list(rows),
    )


def show_check(label: str, check) -> None:
    """Relative error as a metric, and the verdict as a coloured callout."""
    st.metric(label, f"{check.relative:.2e}", border=True,
              help="Largest |analytic − numeric| / (|analytic| + |numeric|) over the entries; "
                   f"below {PASS_THRESHOLD:g} passes.")
    if check.verdict == "pass":
        st.success(f"**PASS** (< {PASS_THRESHOLD:g})", icon=":material/check_circle:")
    elif check.verdict == "fail":
        st.error(f"**FAIL** (≥ {PASS_THRESHOLD:g})", icon=":material/cancel:")
    else:
        st.warning(
            f"**WITHIN NOISE**: every difference is below {NOISE_FLOOR:g}, the rounding noise "
            "of central differences; some entries are too close to 0 to judge.",
            icon=":material/help:",
        )


def gradient_section(result, W, b, x, y: int, reg: float) -> None:
    """dL/dW = data term + regularisation term, and its gradient check."""
    k = result.p.shape[0]
    st.subheader("dL/dW = x (p − y)ᵀ + reg·W", anchor=False)
    half = symmetric_range(np.concatenate([result.dW, result.data_term, result.reg_term]))
    total, data, regular = st.columns(3, gap="small")
    with total:
        show_chart(
            weight_gradient_heatmap(result.dW, title="dL/dW (total)", zmax=half),
            key="dweights", alt=_gradient_text("dL/dW", result.dW),
        )
    with data:
        show_chart(
            weight_gradient_heatmap(result.data_term, title="= data term: x·(p_k − y_k)",
                                    zmax=half),
            key="dweights_data", alt=_gradient_text("the data term x·(p − y)ᵀ",
                                                    result.data_term),
        )
    with regular:
        show_chart(
            weight_gradient_heatmap(result.reg_term, title=f"+ reg term: {reg:g}·W", zmax=half),
            key="dweights_reg", alt=_gradient_text("the regularisation term reg·W",
                                                   result.reg_term),
        )
    check = check_loss_gradient(W, b, x, y, reg)
    explain, badge = st.columns([3, 1], vertical_alignment="center")
    with explain:
        st.markdown(
            f"Column y = {y} is pulled towards x by (1 − p_y) = {1 - result.p[y]:.3f}; "
            f"every other column k is pushed away from x by p_k. "
            f"**Gradient check:** the {2 * k} entries of dL/dW from `loss_and_grad`, against "
            "central differences of the loss (2 loss evaluations per weight)."
        )
    with badge:
        show_check("dL/dW: relative error", check)


@st.fragment
def probability_panel(W: np.ndarray, b: np.ndarray, x: np.ndarray, k: int) -> None:
    """dp_j/dw_i for every class i, the correct or the mistaken formula, checked."""
    st.subheader("How one probability depends on every weight vector", anchor=False)
    choose, verdict = st.columns([2.2, 0.8], gap="medium")
    with choose:
        j = control(state.PROB_CLASS.with_range(max_value=k - 1))
        mistake = control(state.COMMON_MISTAKE)
        st.markdown(
            "Mistaken: ∂p_j/∂w_i = p_j δ_ij x  (denominator held constant)" if mistake else
            "Correct: ∂p_j/∂w_i = p_j (δ_ij − p_i) x"
        )
    check = check_probability_gradient(W, b, x, j, mistake=mistake)
    with verdict:
        show_check(f"∂p{j}/∂W: relative error", check)
    wrong_cells = [(row, i) for row in range(2) for i in range(k) if i != j] if mistake else []
    half = symmetric_range(np.concatenate([check.analytic, check.numeric]))
    left, right = st.columns(2, gap="medium")
    with left:
        show_chart(
            weight_gradient_heatmap(
                check.analytic, zmax=half, highlight=wrong_cells,
                title=f"∂p{j}/∂w_i from the {'mistaken ' if mistake else ''}formula",
            ),
            key="dprob", alt=_gradient_text(f"dp{j}/dw_i from the formula", check.analytic),
        )
    with right:
        show_chart(
            weight_gradient_heatmap(check.numeric, zmax=half,
                                    title=f"∂p{j}/∂w_i by central differences"),
            key="dprob_numeric",
            alt=_gradient_text(f"dp{j}/dw_i by central differences", check.numeric),
        )
    if not np.any(x):
        st.info("With x = 0 every derivative is 0, so no check can tell a right formula "
                "from a wrong one: move x away from the origin.", icon=":material/info:")
    elif mistake and check.verdict != "fail":
        st.info(
            "The formula is still wrong — it drops −p_j p_i x — but here those terms are too "
            "small for the check to see: move x or the weights so that every class keeps "
            "some probability.", icon=":material/visibility_off:",
        )
    elif mistake:
        st.error(
            "Why it fails: w_i also sits in the denominator Σ_k exp(w_k·x + b_k), so raising "
            "w_i·x lowers every other probability — the dropped term −p_j p_i x is why the "
            f"outlined columns i ≠ {j} should not be 0.",
            icon=":material/error:",
        )


@st.fragment
def weights_panel() -> None:
    """Every control and view of the lesson; a slider reruns only this panel."""
    controls, plane = st.columns([1, 1.1], gap="large")
    with controls:
        k, x, y, reg = example_controls()
        W, b = weight_controls(k)
    result = forward(W, b, x, y, reg)
    with plane:
        show_chart(
            cached_plane(tuple(map(tuple, W)), tuple(b), tuple(x), y,
                         tuple(map(tuple, -result.dW))),
            key="regions", alt=chart_text.regions_text(
                k, points=1, accuracy=float(np.argmax(result.p) == y),
                extra=f"The example x = ({x[0]:g}, {x[1]:g}) of class {y}; arrows: the "
                      f"weight vectors w_k and the descent step −dL/dw_k."),
        )
        st.caption("Regions: the class the model picks (paler = less sure). Arrows: the "
                   "weight vectors w_k; dashed: the gradient-descent step −∂L/∂w_k.")
    st.subheader("Forward pass", anchor=False)
    table, loss = st.columns([4, 1], vertical_alignment="center")
    with table:
        st.table(forward_table(result))
    with loss:
        st.metric("Loss L", f"{result.loss:.4f}", border=True,
                  help="−log p_y + ½·reg·ΣW², from loss_and_grad on the batch X = [x].")
    gradient_section(result, W, b, x, y, reg)
    probability_panel(W, b, x, k)


notes = lesson_header(
    "Gradients of the weights",
    "One example, a linear softmax classifier: dL/dW = x (p − y)ᵀ + reg·W. Move a weight "
    "and watch the gradient, the regions and the check move with it.",
    EXPLANATION,
    SETTINGS,
)
weights_panel()
show_url_notes(notes)

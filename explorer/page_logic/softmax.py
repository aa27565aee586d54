"""The numbers the /softmax lesson shows, and the story of one Jacobian entry.

Everything on the page derives from a handful of scalars (the K logits, the temperature T,
the target class y and the overflow switch); :func:`softmax_view` computes all of it at once,
:func:`jacobian_checks` measures the properties a learner can verify on screen, and
:func:`entry_derivation` writes the quotient-rule derivation of one entry ``J[i, j]`` with
the current numbers, as LaTeX lines. Pure numpy: nothing here imports streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from explorer.i18n import _
from explorer.softmax import log_softmax, softmax, softmax_jacobian, softmax_naive

#: The overflow demonstration adds this to every logit. Softmax ignores a common shift, so p
#: stays exactly what it was; but exp() overflows float64 above about 709.78, so the
#: textbook formula gives inf / inf = nan whenever (max z + 1000) / T exceeds that.
OVERFLOW_SHIFT = 1000.0
#: log of the largest float64: exp(x) is inf for x above this.
EXP_OVERFLOW = math.log(np.finfo(np.float64).max)
#: Singular values below this fraction of the largest count as 0 in the rank. numpy's default
#: (K * machine epsilon) is too strict here: the exactly-zero singular value of the softmax
#: Jacobian, computed in float64, lands just above it for about 6% of random logits.
RANK_RTOL = 1e-10
#: Above this largest probability the page says the gradients are vanishing.
SATURATION = 0.99


@dataclass(frozen=True)
class SoftmaxView:
    """Everything the /softmax page draws for one choice of logits, T and y.

    Attributes
    ----------
    logits : ndarray, shape (K,)
        The logits the charts use (``shift`` already added).
    temperature : float
    target : int
        The target class y in ``0..K-1``.
    shift : float
        0, or :data:`OVERFLOW_SHIFT` when the overflow demonstration is on.
    p : ndarray, shape (K,)
        The stable softmax ``softmax(logits, T)``.
    p_naive : ndarray, shape (K,)
        The textbook ``exp(z/T) / sum exp(z/T)`` of the same logits (may hold nan).
    jacobian : ndarray, shape (K, K)
        ``J[i, j] = dp_i / dz_j``.
    one_hot : ndarray, shape (K,)
        The target as a one-hot vector.
    error : ndarray, shape (K,)
        ``p - one_hot``; the gradient of the loss with respect to the logits is ``error / T``.
    loss : float
        Cross-entropy ``-log p_y``, from the stable log-softmax.
    """

    logits: np.ndarray
    temperature: float
    target: int
    shift: float
    p: np.ndarray
    p_naive: np.ndarray
    jacobian: np.ndarray
    one_hot: np.ndarray
    error: np.ndarray
    loss: float

    @property
    def classes(self) -> int:
        return int(self.p.shape[0])

    @property
    def saturated(self) -> bool:
        """True when p is nearly one-hot (max p above :data:`SATURATION`)."""
        return bool(self.p.max() > SATURATION)


def softmax_view(logits, temperature: float, target: int, *, overflow_demo: bool = False):
    """Compute every quantity of the /softmax lesson.

    Parameters
    ----------
    logits : array_like, shape (K,)
        The logits as set on the sliders.
    temperature : float
        T > 0.
    target : int
        The target class y, ``0 <= y < K``.
    overflow_demo : bool
        Add :data:`OVERFLOW_SHIFT` to every logit first.

    Returns
    -------
    SoftmaxView
    """
    shift = OVERFLOW_SHIFT if overflow_demo else 0.0
    z = np.asarray(logits, dtype=np.float64) + shift
    if z.ndim != 1:
        raise ValueError(f"logits must be 1-D, got shape {z.shape}")
    k = z.shape[0]
    if not 0 <= target < k:
        raise ValueError(f"target must be in 0..{k - 1}, got {target}")
    p = softmax(z, temperature)
    one_hot = np.zeros(k)
    one_hot[target] = 1.0
    return SoftmaxView(
        logits=z,
        temperature=float(temperature),
        target=int(target),
        shift=shift,
        p=p,
        p_naive=softmax_naive(z, temperature),
        jacobian=softmax_jacobian(z, temperature),
        one_hot=one_hot,
        error=p - one_hot,
        loss=float(-log_softmax(z, temperature)[target]),
    )


@dataclass(frozen=True)
class JacobianChecks:
    """Properties of a Jacobian as computed (not as assumed).

    Attributes
    ----------
    max_row_sum : float
        ``max_i |sum_j J[i, j]|`` (0 in exact arithmetic: the p_i always sum to 1).
    max_col_sum : float
        ``max_j |sum_i J[i, j]|``.
    max_asymmetry : float
        ``max |J - J^T|``.
    rank : int
        ``numpy.linalg.matrix_rank(J, rtol=RANK_RTOL)``.
    classes : int
        K; the exact rank is K - 1 while every p_i > 0.
    """

    max_row_sum: float
    max_col_sum: float
    max_asymmetry: float
    rank: int
    classes: int


def jacobian_checks(jacobian) -> JacobianChecks:
    """Measure row and column sums, symmetry and rank of ``jacobian``.

    Parameters
    ----------
    jacobian : array_like, shape (K, K)

    Returns
    -------
    JacobianChecks
    """
    jac = np.asarray(jacobian, dtype=np.float64)
    return JacobianChecks(
        max_row_sum=float(np.abs(jac.sum(axis=1)).max()),
        max_col_sum=float(np.abs(jac.sum(axis=0)).max()),
        max_asymmetry=float(np.abs(jac - jac.T).max()),
        rank=int(np.linalg.matrix_rank(jac, rtol=RANK_RTOL)),
        classes=int(jac.shape[0]),
    )


def tex_number(value: float, digits: int = 4) -> str:
    """``value`` with ``digits`` significant digits as LaTeX (``1.23 \\times 10^{-5}``)."""
    if math.isnan(value):
        return r"\mathrm{nan}"
    if math.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:.{digits}g}"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


@dataclass(frozen=True)
class EntryDerivation:
    """The quotient-rule derivation of one Jacobian entry, with the current numbers.

    Attributes
    ----------
    i, j : int
        Row (output p_i) and column (logit z_j).
    diagonal : bool
        True for ``i == j``.
    value : float
        ``p_i (1 - p_i) / T`` or ``-p_i p_j / T``.
    summary : str
        One sentence (markdown) on which case of the quotient rule applies and why.
    latex : tuple of str
        The derivation, one equation per item, ending with the numbers.
    """

    i: int
    j: int
    diagonal: bool
    value: float
    summary: str
    latex: tuple[str, ...]


def entry_derivation(p, temperature: float, i: int, j: int) -> EntryDerivation:
    """Derive ``J[i, j] = dp_i / dz_j`` by the quotient rule, with the current numbers.

    Parameters
    ----------
    p : array_like, shape (K,)
        The probabilities ``softmax(z, T)``.
    temperature : float
        T > 0.
    i, j : int
        The entry, ``0 <= i, j < K``.

    Returns
    -------
    EntryDerivation
    """
    probs = np.asarray(p, dtype=np.float64)
    k = probs.shape[0]
    if not (0 <= i < k and 0 <= j < k):
        raise ValueError(f"i and j must be in 0..{k - 1}, got i={i}, j={j}")
    t = float(temperature)
    pi, pj = float(probs[i]), float(probs[j])
    ei, ej = f"e^{{z_{{{i}}}/T}}", f"e^{{z_{{{j}}}/T}}"
    definition = rf"p_{{{i}}} = \frac{{{ei}}}{{S}}, \qquad S = \sum_{{k}} e^{{z_k/T}}"
    quotient_rule = (
        rf"\frac{{\partial p_{{{i}}}}}{{\partial z_{{{j}}}}} = "
        rf"\frac{{\frac{{\partial {ei}}}{{\partial z_{{{j}}}}}\, S"
        rf" - {ei}\, \frac{{\partial S}}{{\partial z_{{{j}}}}}}}{{S^2}}"
    )
    if i == j:
        value = pi * (1.0 - pi) / t
        summary = _(
            "**Diagonal entry, i = j = {i}:** both the numerator and the sum S contain "
            "$e^{{z_{i}/T}}$, so both terms of the quotient rule survive. Always positive: "
            "raising z{i} raises p{i}."
        ).format(i=i)
        case = (
            rf"\frac{{\partial p_{{{i}}}}}{{\partial z_{{{i}}}}} = "
            rf"\frac{{\tfrac{{1}}{{T}} {ei} S - {ei} \cdot \tfrac{{1}}{{T}} {ei}}}{{S^2}}"
            rf" = \frac{{1}}{{T}}\, p_{{{i}}} \left(1 - p_{{{i}}}\right)"
        )
        numbers = (
            rf"= \frac{{1}}{{{tex_number(t)}}} \times {tex_number(pi)} \times "
            rf"\left(1 - {tex_number(pi)}\right) = {tex_number(value)}"
        )
    else:
        value = -pi * pj / t
        summary = _(
            "**Off-diagonal entry, i = {i}, j = {j}:** z{j} appears only in the sum S, so "
            "the first term of the quotient rule is 0. Always negative: raising z{j} takes "
            "probability away from class {i}."
        ).format(i=i, j=j)
        case = (
            rf"\frac{{\partial p_{{{i}}}}}{{\partial z_{{{j}}}}} = "
            rf"\frac{{0 \cdot S - {ei} \cdot \tfrac{{1}}{{T}} {ej}}}{{S^2}}"
            rf" = -\frac{{1}}{{T}}\, p_{{{i}}}\, p_{{{j}}}"
        )
        numbers = (
            rf"= -\frac{{1}}{{{tex_number(t)}}} \times {tex_number(pi)} \times "
            rf"{tex_number(pj)} = {tex_number(value)}"
        )
    return EntryDerivation(
        i=int(i), j=int(j), diagonal=i == j, value=value, summary=summary,
        latex=(definition, quotient_rule, case, numbers),
    )

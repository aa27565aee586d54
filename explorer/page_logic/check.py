"""Naive loops, vectorised numpy and central differences, run side by side and timed.

The /check lesson compares the three ways of getting the gradient of the regularised
cross-entropy of a linear softmax classifier (docs/math.md sections 7 and 8). Pure numpy and
the standard library: nothing here knows about the app.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from explorer.gradcheck import numerical_gradient, relative_error
from explorer.losses import loss_and_grad, loss_and_grad_naive, loss_and_grad_textbook
from explorer.timing import interleaved_best

#: A relative error below this means the two gradients agree on float64 (docs/math.md section 8).
PASS_THRESHOLD = 1e-7
#: Absolute differences this small are within the rounding error of central differences
#: (about 1e-11 times the function value, plus h**2 truncation): too small to judge.
NOISE_FLOOR = 1e-8
#: Scale of the random weights: small, so every p is close to 1/K and the loss to ln K.
WEIGHT_SCALE = 0.01


def verdict(relative: float, absolute: float) -> str:
    """``"pass"``, ``"noise"`` or ``"fail"`` for a gradient check.

    Parameters
    ----------
    relative : float
        The largest relative error (see :func:`explorer.relative_error`).
    absolute : float
        The largest absolute difference between the two gradients.

    Returns
    -------
    str
        ``"pass"`` when ``relative < PASS_THRESHOLD``; ``"noise"`` when it is not but every
        difference is below the rounding noise of central differences (the relative error
        then comes from entries so close to 0 that the check cannot judge them);
        ``"fail"`` otherwise.
    """
    if relative < PASS_THRESHOLD:
        return "pass"
    if absolute <= NOISE_FLOOR:
        return "noise"
    return "fail"


@dataclass(frozen=True)
class Problem:
    """A random classification problem: ``W`` (D, K), ``b`` (K,), ``X`` (N, D), ``y`` (N,)."""

    W: np.ndarray
    b: np.ndarray
    X: np.ndarray
    y: np.ndarray


def make_problem(n: int, d: int, k: int, seed: int) -> Problem:
    """Standard-normal features, uniform labels and small random weights, from ``seed``.

    Parameters
    ----------
    n, d, k : int
        Examples N, features D, classes K.
    seed : int

    Returns
    -------
    Problem
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = rng.integers(0, k, size=n)
    W = WEIGHT_SCALE * rng.standard_normal((d, k))
    b = WEIGHT_SCALE * rng.standard_normal(k)
    return Problem(W=W, b=b, X=X, y=y)


@dataclass(frozen=True)
class Method:
    """One way of computing the gradient, its results and its best time.

    Attributes
    ----------
    name : str
    loss : float or None
        None for the numerical gradient, which only differentiates the loss.
    dW : ndarray, shape (D, K)
    seconds : float
    """

    name: str
    loss: float | None
    dW: np.ndarray  # noqa: N815 -- the name docs/math.md uses
    seconds: float


@dataclass(frozen=True)
class Difference:
    """How far two methods are apart.

    Attributes
    ----------
    first, second : str
        The names of the two methods.
    loss : float or None
        Relative error of the losses (None when one method has no loss).
    dW : float
        Largest elementwise relative error of dW.
    dW_absolute : float
        Largest absolute difference of dW.
    verdict : str
        See :func:`verdict`.
    """

    first: str
    second: str
    loss: float | None
    dW: float  # noqa: N815 -- the name docs/math.md uses
    dW_absolute: float  # noqa: N815
    verdict: str


#: The ways to the gradient, in the order the page shows them: the lesson's textbook matrix
#: form, the tuned form training uses, the loops, and central differences.
METHOD_NAMES = ("vectorised", "optimised", "naive", "numerical")


def compare(problem: Problem, reg: float, *, repeats: int = 3,
            min_seconds: float = 0.005) -> tuple[list[Method], list[Difference]]:
    """Run the four ways to dL/dW on ``problem`` and time them fairly.

    Parameters
    ----------
    problem : Problem
    reg : float
        L2 strength.
    repeats, min_seconds : int, float
        Rounds of the interleaved best-of timing and the shortest timed batch
        (:func:`explorer.timing.interleaved_best`): every method is timed in every round,
        in a rotating order, so a slow spell of the server hits all of them alike and the
        ratios shown stay stable between loads.

    Returns
    -------
    methods : list of Method
        In the order of :data:`METHOD_NAMES`.
    differences : list of Difference
        Every pair of methods.
    """
    W, b, X, y = problem.W, problem.b, problem.X, problem.y

    def loss_of(weights: np.ndarray) -> float:
        return loss_and_grad(weights, b, X, y, reg)[0]

    runs = {
        "vectorised": lambda: loss_and_grad_textbook(W, b, X, y, reg),
        "optimised": lambda: loss_and_grad(W, b, X, y, reg),
        "naive": lambda: loss_and_grad_naive(W, b, X, y, reg),
        "numerical": lambda: (None, numerical_gradient(loss_of, W), None),
    }
    results = {name: run() for name, run in runs.items()}
    seconds = interleaved_best(runs, repeats=repeats, min_seconds=min_seconds)
    methods = [Method(name, results[name][0], results[name][1], seconds[name])
               for name in METHOD_NAMES]
    differences = []
    for index, first in enumerate(methods):
        for second in methods[index + 1:]:
            loss_gap = None
            if first.loss is not None and second.loss is not None:
                loss_gap = relative_error(first.loss, second.loss)
            gap = relative_error(first.dW, second.dW)
            absolute = float(np.max(np.abs(first.dW - second.dW)))
            differences.append(
                Difference(first.name, second.name, loss_gap, gap, absolute, verdict(gap, absolute))
            )
    return methods, differences


def called_helpers(function: Callable) -> list[Callable]:
    """The private functions of ``function``'s own module that it calls by name.

    ``loss_and_grad`` checks its arguments and hands the work to a private helper; showing
    the helpers next to it shows all the code that runs.

    Returns
    -------
    list of callable
        In the order their names first appear in ``function``'s code.
    """
    module = inspect.getmodule(function)
    helpers = []
    for name in function.__code__.co_names:
        candidate = getattr(module, name, None)
        if (name.startswith("_") and inspect.isfunction(candidate)
                and candidate.__module__ == function.__module__):
            helpers.append(candidate)
    return helpers


def code_without_docstring(function: Callable) -> str:
    """The source of ``function`` (``inspect.getsource``) with its docstring left out.

    Every other line is kept verbatim; the docstring's lines are replaced by one comment,
    so the code of two implementations can be read side by side.
    """
    source = textwrap.dedent(inspect.getsource(function))
    lines = source.splitlines()
    definition = ast.parse(source).body[0]
    first = definition.body[0] if definition.body else None
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        return source
    start, end = first.lineno - 1, first.end_lineno
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    kept = [*lines[:start], f"{indent}# (docstring left out)", *lines[end:]]
    return "\n".join(kept) + "\n"

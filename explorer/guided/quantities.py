"""The numbers a reveal text can read, per page, computed from the page's settings.

Each page has a table of named quantities (name -> description and how to compute it
from the page's results); :func:`quantities` returns a lazy mapping over that table, so
a reveal that reads only ``p`` never trains a model or times a gradient. Every number
comes from the same library functions the page itself draws with. Pure Python.

Settings are the mapping of URL key -> value that :mod:`explorer.guided.page_settings`
resolves for a step (every setting of the page present).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np

from explorer.i18n import N_, _
from explorer.page_logic.check import compare, make_problem
from explorer.page_logic.softmax import softmax_view
from explorer.page_logic.training_run import DataSettings, TrainSettings, compute_run, make_data
from explorer.page_logic.weights import check_loss_gradient, check_probability_gradient, forward

#: Repeats and shortest batch of the timing behind /check's speed-ups: a reveal quotes a
#: ratio to its first digit or two, so a quicker measurement than the page's is enough.
TIMING_REPEATS = 2
TIMING_MIN_SECONDS = 0.002
#: Quantities that are measured (timings), not computed: they differ from run to run.
MEASURED = frozenset({"speedup", "slowdown"})
#: What a measured quantity reads when nothing is measured (a positive ratio, like a real one).
MEASURED_STAND_IN = 1.0
#: What a reveal shows for "did not diverge", and for a gradient check's verdict
#: (translated when the reveal is filled, in the learner's language).
NEVER = N_("never")
VERDICT_WORDS = {"pass": N_("pass"), "noise": N_("within noise"), "fail": N_("fail")}


@dataclass(frozen=True)
class Quantity:
    """One number (or array) a reveal can read: what it is, and how to get it."""

    doc: str
    compute: Callable[[Any], Any]


class _SoftmaxPage:
    def __init__(self, values: Mapping[str, Any]):
        k = values["k"]
        self.view = softmax_view(
            [values[f"z{i}"] for i in range(k)], values["t"], values["y"],
            overflow_demo=values["big"],
        )


class _WeightsPage:
    def __init__(self, values: Mapping[str, Any]):
        k = values["k"]
        self.W = np.array([[values[f"w{row}_{col}"] for col in range(k)] for row in (1, 2)])
        self.b = np.array([values[f"b{col}"] for col in range(k)])
        self.x = np.array([values["x1"], values["x2"]])
        self.y, self.j, self.reg = values["y"], values["j"], values["reg"]
        self.mistake = values["mistake"]

    @cached_property
    def result(self):
        return forward(self.W, self.b, self.x, self.y, self.reg)

    @cached_property
    def probability_check(self):
        return check_probability_gradient(self.W, self.b, self.x, self.j, mistake=self.mistake)

    @cached_property
    def loss_check(self):
        return check_loss_gradient(self.W, self.b, self.x, self.y, self.reg)


class _TrainingPage:
    def __init__(self, values: Mapping[str, Any]):
        self.data_settings = DataSettings.from_values(values)
        self.first = TrainSettings.from_values(values)
        self.second = replace(self.first, optimizer=values["optimizer2"], lr=values["lr2"])

    @cached_property
    def data(self):
        return make_data(self.data_settings)

    @cached_property
    def run(self):
        return compute_run(self.data, self.first)

    @cached_property
    def run2(self):
        return compute_run(self.data, self.second)


class _CheckPage:
    def __init__(self, values: Mapping[str, Any]):
        self.problem = make_problem(values["n"], values["d"], values["k"], values["seed"])
        self.reg = values["reg"]

    @cached_property
    def compared(self):
        methods, differences = compare(
            self.problem, self.reg, repeats=TIMING_REPEATS, min_seconds=TIMING_MIN_SECONDS
        )
        return {m.name: m for m in methods}, {(d.first, d.second): d for d in differences}

    def difference(self, first: str, second: str):
        return self.compared[1][(first, second)]

    def seconds(self, name: str) -> float:
        return self.compared[0][name].seconds


def _diverged(run) -> int | str:
    return _(NEVER) if run.diverged_at is None else int(run.diverged_at)


def _test_accuracy(run) -> float:
    return float(run.test_accuracy[-1]) if run.test_accuracy.size else math.nan


PAGES: dict[str, tuple[type, dict[str, Quantity]]] = {
    "softmax": (_SoftmaxPage, {
        "K": Quantity("number of classes", lambda s: s.view.classes),
        "T": Quantity("temperature", lambda s: s.view.temperature),
        "y": Quantity("target class", lambda s: s.view.target),
        "z": Quantity("logits used (+1000 in the overflow demo), shape (K,)",
                      lambda s: s.view.logits),
        "p": Quantity("stable softmax probabilities, shape (K,)", lambda s: s.view.p),
        "p_max": Quantity("largest probability", lambda s: float(s.view.p.max())),
        "top": Quantity("class with the largest probability", lambda s: int(s.view.p.argmax())),
        "p_naive": Quantity("textbook exp(z/T)/Σ, may hold nan, shape (K,)",
                            lambda s: s.view.p_naive),
        "naive_nans": Quantity("how many entries of p_naive are nan",
                               lambda s: int(np.isnan(s.view.p_naive).sum())),
        "J": Quantity("Jacobian J[i][j] = dp_i/dz_j, shape (K, K)", lambda s: s.view.jacobian),
        "J_max": Quantity("largest |J[i][j]|", lambda s: float(np.abs(s.view.jacobian).max())),
        "J_row_sum": Quantity("largest |row sum| of J (0 up to rounding)",
                              lambda s: float(np.abs(s.view.jacobian.sum(axis=1)).max())),
        "p_minus_y": Quantity("p − one-hot(y), shape (K,)", lambda s: s.view.error),
        "dlogits": Quantity("dL/dz = (p − y)/T, shape (K,)",
                            lambda s: s.view.error / s.view.temperature),
        "loss": Quantity("cross-entropy −log p_y", lambda s: s.view.loss + 0.0),
    }),
    "weights": (_WeightsPage, {
        "K": Quantity("number of classes", lambda s: int(s.b.shape[0])),
        "x": Quantity("the example (x1, x2), shape (2,)", lambda s: s.x),
        "y": Quantity("class of x", lambda s: int(s.y)),
        "j": Quantity("the probability p_j differentiated", lambda s: int(s.j)),
        "z": Quantity("logits xW + b, shape (K,)", lambda s: s.result.logits),
        "p": Quantity("probabilities, shape (K,)", lambda s: s.result.p),
        "loss": Quantity("−log p_y + ½·reg·ΣW²", lambda s: float(s.result.loss)),
        "dW": Quantity("dL/dW, shape (2, K): dW[row][class]", lambda s: s.result.dW),
        "db": Quantity("dL/db, shape (K,)", lambda s: s.result.db),
        "data_term": Quantity("x (p − y)ᵀ, shape (2, K)", lambda s: s.result.data_term),
        "reg_term": Quantity("reg·W, shape (2, K)", lambda s: s.result.reg_term),
        "dp": Quantity("dp_j/dW as the page shows it (with the mistake if on), shape (2, K)",
                       lambda s: s.probability_check.analytic),
        "dp_numeric": Quantity("dp_j/dW by central differences, shape (2, K)",
                               lambda s: s.probability_check.numeric),
        "dp_error": Quantity("relative error of dp against central differences",
                             lambda s: s.probability_check.relative),
        "dp_verdict": Quantity("pass, within noise or fail (in the learner's language)",
                               lambda s: _(VERDICT_WORDS[s.probability_check.verdict])),
        "dW_error": Quantity("relative error of dL/dW against central differences",
                             lambda s: s.loss_check.relative),
    }),
    "training": (_TrainingPage, {
        "loss": Quantity("training loss at every step, shape (steps taken + 1,)",
                         lambda s: s.run.train_loss),
        "first_loss": Quantity("loss before the first step", lambda s: float(s.run.train_loss[0])),
        "final_loss": Quantity("loss after the last step", lambda s: s.run.final_loss),
        "steps_taken": Quantity("steps recorded (fewer when it diverged)",
                                lambda s: s.run.steps_taken),
        "diverged_at": Quantity(f"the step that diverged, or '{NEVER}'",
                                lambda s: _diverged(s.run)),
        "accuracy": Quantity("final training accuracy (0..1, use :.0%)",
                             lambda s: float(s.run.train_accuracy[-1])),
        "test_accuracy": Quantity("final test accuracy (nan without a test split)",
                                  lambda s: _test_accuracy(s.run)),
        "loss2": Quantity("the second run's loss at every step (optimizer2, lr2)",
                          lambda s: s.run2.train_loss),
        "final_loss2": Quantity("the second run's final loss", lambda s: s.run2.final_loss),
        "diverged_at2": Quantity(f"the second run's divergence step, or '{NEVER}'",
                                 lambda s: _diverged(s.run2)),
        "accuracy2": Quantity("the second run's final training accuracy",
                              lambda s: float(s.run2.train_accuracy[-1])),
    }),
    "check": (_CheckPage, {
        "D": Quantity("features", lambda s: int(s.problem.W.shape[0])),
        "K": Quantity("classes", lambda s: int(s.problem.W.shape[1])),
        "N": Quantity("examples", lambda s: int(s.problem.X.shape[0])),
        "lnK": Quantity("ln K, the loss of uniform guessing",
                        lambda s: math.log(s.problem.W.shape[1])),
        "loss": Quantity("the loss (vectorised)", lambda s: s.compared[0]["vectorised"].loss),
        "naive_error": Quantity("max relative difference of dW: vectorised vs naive loops",
                                lambda s: s.difference("vectorised", "naive").dW),
        "numerical_error": Quantity("max relative difference of dW: vectorised vs numerical",
                                    lambda s: s.difference("vectorised", "numerical").dW),
        "numerical_verdict": Quantity(
            "pass, within noise or fail (vectorised vs numerical; in the learner's language)",
            lambda s: _(VERDICT_WORDS[s.difference("vectorised", "numerical").verdict])),
        "evaluations": Quantity("loss evaluations of the numerical gradient, 2·D·K",
                                lambda s: 2 * s.problem.W.size),
        "speedup": Quantity("naive time ÷ vectorised time (measured, noisy)",
                            lambda s: s.seconds("naive") / max(s.seconds("vectorised"), 1e-12)),
        "slowdown": Quantity("numerical time ÷ vectorised time (measured, noisy)",
                             lambda s: s.seconds("numerical") / max(s.seconds("vectorised"),
                                                                    1e-12)),
    }),
}


class Quantities(Mapping):
    """The quantities of one page for one set of settings, computed on first read."""

    def __init__(self, page: str, values: Mapping[str, Any], *, measure: bool = True):
        results, self._table = PAGES[page]
        self._measure = measure
        self._values = dict(values)
        self._results_type = results
        self._cache: dict[str, Any] = {}

    @cached_property
    def _results(self):
        return self._results_type(self._values)

    def __getitem__(self, name: str) -> Any:
        if name not in self._cache:
            if not self._measure and name in MEASURED:
                return MEASURED_STAND_IN
            self._cache[name] = self._table[name].compute(self._results)
        return self._cache[name]

    def __contains__(self, name: object) -> bool:
        return name in self._table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


def quantities(page: str, values: Mapping[str, Any], *, measure: bool = True) -> Quantities:
    """The lazy mapping of every quantity of ``page`` for the settings ``values``.

    ``measure=False`` gives :data:`MEASURED_STAND_IN` for the timings instead of timing
    anything: enough to check that a template formats them, at no cost.
    """
    return Quantities(page, values, measure=measure)

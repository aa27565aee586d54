"""Is a training run healthy? Divergence and oscillation, each explained in one sentence.

Why a softmax classifier misbehaves (the page's text says the same): without L2, the
gradient of the mean cross-entropy with respect to W is ``F^T (P - Y) / N``, bounded by
the size of the inputs, so gradient descent cannot blow up geometrically. A step that
is too long *overshoots*: the loss rises instead of falling, and with large inputs a
single overshoot costs a lot, because the curvature of the loss grows with the square
of the inputs (scaling every input by 10 divides the largest stable learning rate by
100). True geometric blow-up needs L2 with ``lr * reg > 2``: each step multiplies W by
``1 - lr * reg``.

- **diverged**: training stopped on a non-finite or exploding loss (``diverged_at``), or
  the loss ended well above where it started (``ENDED_ABOVE`` times): the steps made
  the model worse.
- **oscillating**: the loss rose, by more than ``RISE_TOLERANCE`` of its starting value,
  on at least ``OSCILLATION_SHARE`` of the steps (and at least ``MIN_RISES`` times), and
  the rises undid at least half of the falls.

A suggested learning rate is a stop of the lr control at most a third of the current one
whose own run is healthy (it is trained and checked, not guessed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from explorer.i18n import _
from explorer.settings import specs

#: A step counts as a rise when the loss grows by more than this fraction of loss[0].
RISE_TOLERANCE = 1e-3
#: Oscillation: rises on at least this share of the steps ...
OSCILLATION_SHARE = 0.1
#: ... and at least this many of them ...
MIN_RISES = 5
#: ... which together undo at least this share of the falls.
UNDONE_SHARE = 0.5
#: Diverged: the loss ended more than this many times its starting value.
ENDED_ABOVE = 1.5
#: Learning rates tried (each at most a third of the previous) before giving up.
MAX_TRIES = 5


@dataclass(frozen=True)
class Health:
    """What a run's loss curve says.

    Attributes
    ----------
    kind : {"ok", "diverged", "oscillating"}
    rises : int
        Steps on which the loss rose by more than ``RISE_TOLERANCE * loss[0]``.
    first_rise : int or None
        The first such step (1-based), or None.
    """

    kind: str
    rises: int
    first_rise: int | None

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


def assess(loss, diverged_at: int | None = None) -> Health:
    """Classify a loss curve.

    Parameters
    ----------
    loss : array_like, shape (S + 1,)
        The training loss at every iterate (finite).
    diverged_at : int or None
        The step at which training stopped on a non-finite or exploding loss.

    Returns
    -------
    Health
    """
    loss = np.asarray(loss, dtype=np.float64)
    steps = loss.shape[0] - 1
    change = np.diff(loss)
    rising = change > RISE_TOLERANCE * abs(loss[0])
    rises = int(rising.sum())
    first = int(np.argmax(rising)) + 1 if rises else None
    if diverged_at is not None or (steps > 0 and loss[-1] > ENDED_ABOVE * loss[0]):
        return Health("diverged", rises, first)
    undone = change[change > 0].sum()
    made = -change[change < 0].sum()
    if (rises >= max(MIN_RISES, OSCILLATION_SHARE * steps)
            and undone >= UNDONE_SHARE * made):
        return Health("oscillating", rises, first)
    return Health("ok", rises, first)


def smaller_rates(lr: float, rates=specs.LEARNING_RATES, tries: int = MAX_TRIES) -> list[float]:
    """Up to ``tries`` stops of ``rates``, each at most a third of the one before, from ``lr``."""
    found, limit = [], lr / 3
    for rate in sorted(rates, reverse=True):
        if len(found) == tries:
            break
        if rate <= limit * (1 + 1e-12):
            found.append(rate)
            limit = rate / 3
    return found


def suggest_rate(lr: float, check: Callable[[float], Health]) -> float | None:
    """The largest of :func:`smaller_rates` whose run ``check(rate)`` calls healthy, or None."""
    for rate in smaller_rates(lr):
        if check(rate).ok:
            return rate
    return None


def explain(health: Health, *, lr: float, reg: float, optimizer: str, scale: int,
            diverged_at: int | None, suggested: float | None) -> str:
    """One sentence on what went wrong and why, then what to try (empty when ok)."""
    if health.ok:
        return ""
    if health.kind == "diverged":
        if diverged_at is not None:
            what = _("diverged at step {step}: the loss blew up (or stopped being a "
                     "finite number), so training stopped there").format(step=diverged_at)
        else:
            what = _("diverged: the loss ended well above where it started, because steps "
                     "this long overshoot the minimum and land further up the other side")
    else:
        what = _("oscillates: the loss rose on {rises} steps (first at step "
                 "{first}), because each step overshoots the valley floor").format(
            rises=health.rises, first=health.first_rise)
    if reg > 0 and lr * reg >= 2:
        why = _("; with reg = {reg} every step multiplies W by 1 − lr·reg = "
                "{factor}, which grows W geometrically once lr·reg > 2").format(
            reg=f"{reg:g}", factor=f"{1 - lr * reg:g}")
    elif optimizer == "sgd" and health.kind == "oscillating":
        why = _("; part of it is the noise of random mini-batches, which a smaller step calms")
    elif scale > 1:
        why = _("; the inputs are ×{scale}, which multiplies the curvature of the loss by "
                "{square}, so the largest stable learning rate is that much smaller").format(
            scale=scale, square=f"{scale * scale:,}")
    else:
        why = ""
    if suggested is not None:
        hint = _(" Try a smaller learning rate, e.g. lr = {lr} (checked: it trains "
                 "without diverging or oscillating).").format(lr=f"{suggested:g}")
    else:
        hint = _(" Even much smaller learning rates still misbehave here: try another "
                 "optimizer.")
    # Translators: what went wrong, why (may be empty), then what to try.
    return _("{what}{why}.{hint}").format(what=what, why=why, hint=hint)

"""Divergence and oscillation: detected on real runs, explained, and the suggested learning
rate is itself trained and healthy. The page's claims about when a softmax classifier
diverges are checked here on the runs it names."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from explorer.page_logic.training_health import (
    ENDED_ABOVE,
    assess,
    explain,
    smaller_rates,
    suggest_rate,
)
from explorer.page_logic.training_run import DataSettings, TrainSettings, compute_run, make_data
from explorer.settings import specs


def run_health(data: DataSettings, **train):
    run = compute_run(make_data(data), TrainSettings(**train))
    return run, assess(run.train_loss, run.diverged_at)


def checked_suggestion(data: DataSettings, **train):
    """The suggested rate for this run, found by training each candidate."""
    settings = TrainSettings(**train)

    def check(rate):
        other = compute_run(make_data(data), TrainSettings(**{**train, "lr": rate}))
        return assess(other.train_loss, other.diverged_at)

    return suggest_rate(settings.lr, check)


def test_the_default_run_is_healthy():
    _, health = run_health(DataSettings())
    assert health.ok and health.kind == "ok"


def test_a_falling_loss_is_ok_and_a_rising_one_diverged():
    falling = np.linspace(2.0, 0.1, 50)
    assert assess(falling).ok and assess(falling).rises == 0
    rising = np.linspace(1.0, 3.0, 50)
    health = assess(rising)
    assert health.kind == "diverged" and health.first_rise == 1
    assert rising[-1] > ENDED_ABOVE * rising[0]


def test_a_zigzag_oscillates():
    steps = np.arange(101)
    zigzag = 1.0 / (1 + 0.02 * steps) + 0.3 * (steps % 2)
    health = assess(zigzag)
    assert health.kind == "oscillating" and health.rises >= 40 and health.first_rise == 1


def test_a_stopped_run_is_diverged_whatever_its_curve():
    assert assess(np.linspace(1.0, 0.5, 10), diverged_at=10).kind == "diverged"


@pytest.mark.parametrize("data, train", [
    # The page's own examples: inputs x10 on spiral, x100 with quadratic features.
    (DataSettings(dataset="spiral", scale=10), {"lr": 0.5}),
    (DataSettings(features="quadratic", scale=100), {"lr": 0.5}),
    # L2 with lr*reg > 2 blows W up geometrically.
    (DataSettings(), {"lr": 10.0, "reg": 1.0}),
])
def test_the_pages_examples_misbehave_and_a_checked_rate_fixes_them(data, train):
    _, health = run_health(data, **train)
    assert not health.ok
    suggested = checked_suggestion(data, **train)
    assert suggested is not None and suggested in specs.LEARNING_RATES
    assert suggested <= train["lr"] / 3
    _, fixed = run_health(data, **{**train, "lr": suggested})
    assert fixed.ok


def test_large_steps_on_raw_spiral_oscillate_at_scale_one():
    _, health = run_health(DataSettings(dataset="spiral"), lr=10.0)
    assert health.kind == "oscillating"


def test_without_l2_the_loss_grows_at_most_linearly():
    # The bounded gradient: each step moves W by at most lr * max|x| * sqrt(2) (raw
    # features), so even a "diverged" run's loss stays within a linear bound.
    data = make_data(DataSettings(dataset="spiral", scale=100))
    run = compute_run(data, TrainSettings(lr=10.0))
    radius = np.linalg.norm(data.F_train, axis=1).max()
    steps = np.arange(run.train_loss.shape[0])
    bound = run.train_loss[0] + 2 * radius * (10.0 * radius * np.sqrt(2)) * steps
    assert run.diverged_at is None
    assert (run.train_loss <= bound + 1e-9).all()


def test_smaller_rates_are_stops_each_a_third_of_the_one_before():
    rates = smaller_rates(10.0)
    assert rates and rates[0] <= 10.0 / 3
    assert all(rate in specs.LEARNING_RATES for rate in rates)
    # (a third of 0.3 is 0.09999999999999999 in binary; the stop 0.1 is that third)
    assert all(later <= earlier / 3 * (1 + 1e-9) for earlier, later in pairwise(rates))
    assert smaller_rates(specs.LEARNING_RATES[0]) == []


def test_explanations_name_the_cause_and_the_checked_rate():
    health = assess(np.linspace(1.0, 3.0, 50))
    text = explain(health, lr=0.5, reg=0.0, optimizer="gd", scale=10, diverged_at=None,
                   suggested=0.003)
    assert "ended well above where it started" in text and "×10" in text and "100" in text
    assert "lr = 0.003" in text and "checked" in text
    text = explain(assess(np.ones(5), diverged_at=5), lr=10, reg=1.0, optimizer="gd",
                   scale=1, diverged_at=5, suggested=None)
    assert "diverged at step 5" in text and "lr·reg" in text and "another optimizer" in text
    assert explain(assess(np.linspace(1, 0, 5)), lr=0.5, reg=0, optimizer="gd", scale=1,
                   diverged_at=None, suggested=None) == ""

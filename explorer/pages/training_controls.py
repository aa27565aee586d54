"""/training's training section: the optimiser controls, the run's health and metrics,
and the player (explorer/pages/training_player.py), then the inspect panels
(explorer/pages/training_inspect.py).

The section is a fragment: a change of the optimiser reruns it alone, not the data.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from explorer import state
from explorer import training_health as health
from explorer.i18n import _
from explorer.optim import OPTIMIZER_DESCRIPTIONS
from explorer.pages.controls import control
from explorer.pages.presentation import presenting, secondary_panel
from explorer.pages.training_cache import cached_data, cached_run
from explorer.pages.training_inspect import inspect_section
from explorer.pages.training_player import player_section
from explorer.training_run import Data, DataSettings, Run, TrainSettings
from explorer.training_view import csv_hash, format_loss, run_label


def _slots(spec: list[float], stacked: bool, **options) -> list:
    """Columns of a controls row, or (``stacked``) containers one under the other."""
    if stacked:
        return [st.container() for _ in spec]
    return st.columns(spec, **options)


def _train_controls(stacked: bool = False) -> tuple[TrainSettings, TrainSettings | None]:
    """Optimiser controls: one row, then the comparison run and the finer settings
    (``stacked``: one column, for presentation mode where they sit beside the player)."""
    with st.container(border=True):
        row = _slots([1.1, 1.6, 1.6, 1.2, 1.2], stacked, gap="medium")
        with row[0]:
            optimizer = control(state.OPTIMIZER)
        with row[1]:
            lr = control(state.LEARNING_RATE)
        with row[2]:
            steps = control(state.STEPS)
        with row[3]:
            reg = control(state.TRAIN_REG)
        with row[4]:
            init = control(state.INIT_SEED)
        row2 = _slots([1.4, 1.6, 1.6, 2.1], stacked, gap="medium", vertical_alignment="bottom")
        with row2[0]:
            compare = control(state.COMPARE)
        optimizer2 = lr2 = None
        if compare:
            with row2[1]:
                optimizer2 = control(state.OPTIMIZER_B)
            with row2[2]:
                lr2 = control(state.LEARNING_RATE_B)
        uses_batches = "sgd" in (optimizer, optimizer2)
        with row2[3]:
            batch = control(state.BATCH, disabled=not uses_batches)
        if not compare:
            with row2[1]:
                st.caption(_(OPTIMIZER_DESCRIPTIONS[optimizer]))
    first = TrainSettings(optimizer=optimizer, lr=lr, steps=steps, reg=reg, batch=batch,
                          init=init)
    second = None
    if compare:
        second = TrainSettings(optimizer=optimizer2, lr=lr2, steps=steps, reg=reg,
                               batch=batch, init=init)
    return first, second


@st.cache_data(max_entries=32, show_spinner=False)
def cached_health(
    data_settings: DataSettings, custom_hash: str, settings: TrainSettings,
    _custom_csv: str | None,
) -> tuple[health.Health, float | None]:
    """The run's health and, when it is not ok, a smaller rate whose run is healthy."""
    run = cached_run(data_settings, custom_hash, settings, _custom_csv)
    verdict = health.assess(run.train_loss, run.diverged_at)
    if verdict.ok:
        return verdict, None

    def check(rate: float) -> health.Health:
        other = cached_run(data_settings, custom_hash, dataclasses.replace(settings, lr=rate),
                           _custom_csv)
        return health.assess(other.train_loss, other.diverged_at)

    return verdict, health.suggest_rate(settings.lr, check)


def _health_message(label: str, run: Run, verdict: health.Health, suggested: float | None,
                    scale: int) -> None:
    settings = run.settings
    text = health.explain(verdict, lr=settings.lr, reg=settings.reg,
                          optimizer=settings.optimizer, scale=scale,
                          diverged_at=run.diverged_at, suggested=suggested)
    if verdict.kind == "diverged":
        st.error(f"**{label}** {text}", icon=":material/error:")  # text: translated
    else:
        st.warning(f"**{label}** {text}", icon=":material/ssid_chart:")



def _metrics(data: Data, runs: list[tuple[str, Run]]) -> None:
    """The final numbers of every run, one row each in aligned columns, under the run's
    name when there are two."""
    for index, (label, run) in enumerate(runs):
        with st.container(key=f"metrics{index or ''}"):
            if len(runs) > 1:
                st.markdown(f"**{label}**")
            cells = iter(st.columns([1.1, 1, 1, 0.8, 1.1], gap="small"))
            next(cells).metric(
                _("final train loss"), format_loss(run.final_loss),
                help=_("Exactly {loss}: the regularised training loss after "
                       "{steps} steps.").format(loss=repr(run.final_loss),
                                                steps=run.steps_taken))
            next(cells).metric(_("train accuracy"), f"{run.train_accuracy[-1]:.1%}")
            test_cell = next(cells)
            if run.test_accuracy.size:
                test_cell.metric(_("test accuracy"), f"{run.test_accuracy[-1]:.1%}")
            next(cells).metric(_("steps taken"), f"{run.steps_taken}")
            points = next(cells)
            if index == 0:
                points.metric(_("points (train / test)"),
                              f"{data.X_train.shape[0]} / {data.X_test.shape[0]}")


@st.fragment
def training_section(data_settings: DataSettings, custom_csv: str | None) -> None:
    """Optimiser controls, the run and its player, then the inspect panel.

    In presentation mode the controls stand in a column beside the player, so that the
    regions, Play and the controls that move them fit a projector's screen."""
    present = presenting()
    if present:
        left, right = st.columns([1, 3.2], gap="medium")
    else:
        left = right = st.container()
    with left:
        first, second = _train_controls(stacked=present)
    key = csv_hash(custom_csv)
    data = cached_data(data_settings, key, custom_csv)
    settings = [first] + ([second] if second is not None else [])
    runs = [(run_label(each, index), cached_run(data_settings, key, each, custom_csv))
            for index, each in enumerate(settings)]
    verdicts = [cached_health(data_settings, key, each, custom_csv) for each in settings]
    # The messages and metrics sit above the player but are sent after it: the regions
    # answer "what did this change do?" and the browser draws them while the rest arrives.
    above = right.container()
    with right:
        player_section(data_settings, custom_csv, settings, runs,
                       [verdict.kind for verdict, _ in verdicts])
    with above:
        for (label, run), (verdict, suggested) in zip(runs, verdicts, strict=True):
            if not verdict.ok:
                _health_message(label, run, verdict, suggested, data_settings.scale)
        with secondary_panel(_("Loss, accuracy and steps")):
            _metrics(data, runs)
    inspect_section(data_settings, custom_csv, first, second)

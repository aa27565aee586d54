"""/training's training section: the optimiser controls, the run's health and the player
(explorer/pages/training_player.py).

The section is a fragment: a change of the optimiser reruns it alone, not the data and
not the inspect section (explorer/pages/training_inspect.py), which follows once the
player shows the new run. The run and its player are a smaller fragment inside it
(``run_section``), and the learning rates are the player's own controls (``RATES``,
checked like a live view's state, explorer/pages/live.py): a learning-rate key press
reruns that small fragment alone, which sends the player its new data in one message.
The runs it shows are left in the session for the inspect section.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from explorer.i18n import _
from explorer.optim import OPTIMIZER_DESCRIPTIONS
from explorer.page_logic import training_health as health
from explorer.page_logic.training_run import DataSettings, Run, TrainSettings
from explorer.page_logic.training_view import csv_hash, run_context, run_labels
from explorer.pages import live
from explorer.pages.controls import ControlValues, control
from explorer.pages.presentation import presenting
from explorer.pages.training_cache import cached_run
from explorer.pages.training_nearby import RATE_SETTINGS, send_nearby
from explorer.pages.training_player import (
    PLAYER_KEY,
    cached_points,
    mount,
    mount_engine,
    player_options,
    player_section,
)
from explorer.player_payload import points_id
from explorer.settings import specs


def _slots(spec: list[float], stacked: bool, **options) -> list:
    """Columns of a controls row, or (``stacked``) containers one under the other."""
    if stacked:
        return [st.container() for _ in spec]
    return st.columns(spec, **options)


def _train_controls(stacked: bool = False) -> tuple[TrainSettings, TrainSettings | None]:
    """Optimiser controls: one row, then the comparison run and the finer settings
    (``stacked``: one column, for presentation mode where they sit beside the player).

    The learning rates are not among them: they are the player's own controls
    (``RATES``), so the runs returned still carry the default rate."""
    asked = ControlValues()
    with st.container(border=True):
        row = _slots([1.1, 1.6, 1.2, 1.2], stacked, gap="medium")
        with row[0]:
            optimizer = asked.control(specs.OPTIMIZER)
        with row[1]:
            asked.control(specs.STEPS)
        with row[2]:
            asked.control(specs.TRAIN_REG)
        with row[3]:
            asked.control(specs.INIT_SEED)
        row2 = _slots([1.4, 1.6, 2.1], stacked, gap="medium", vertical_alignment="bottom")
        with row2[0]:
            compare = control(specs.COMPARE)
        optimizer2 = None
        if compare:
            with row2[1]:
                optimizer2 = control(specs.OPTIMIZER_B)
        uses_batches = "sgd" in (optimizer, optimizer2)
        with row2[2]:
            asked.control(specs.BATCH, disabled=not uses_batches)
        if not compare:
            with row2[1]:
                st.caption(_(OPTIMIZER_DESCRIPTIONS[optimizer]))
    # The learning rates are the player's own controls: filled in by ``run_section``.
    first = TrainSettings.from_values(asked)
    second = None
    if compare:
        second = dataclasses.replace(first, optimizer=optimizer2)
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
        st.error(f"**{label}** {text}", icon=":material/error:")
    else:
        st.warning(f"**{label}** {text}", icon=":material/ssid_chart:")



#: Session key set while the whole page runs (not the training section alone).
_PAGE_RUN = "_training_page_run"


@contextmanager
def page_run() -> Iterator[None]:
    """Mark the sections run inside as a run of the whole page: the inspect section then
    runs with the training section, so the player need not ask for it."""
    st.session_state[_PAGE_RUN] = True
    try:
        yield
    finally:
        st.session_state[_PAGE_RUN] = False


#: Session key of the runs the training section shows: (data settings, the learner's CSV,
#: the first run's settings, the second's or None), read by the inspect section.
SHOWN_RUNS = "_training_shown"


def shown_runs() -> tuple[DataSettings, str | None, TrainSettings, TrainSettings | None]:
    """The runs the training section shows now (see ``SHOWN_RUNS``)."""
    return st.session_state[SHOWN_RUNS]


def _rates_from_browser(synced) -> dict:
    """The learning rates the player sent back (raw; checked by the ``Setting`` rules)."""
    return {setting.key: synced[setting.key] for setting in RATE_SETTINGS
            if setting.key in synced}


#: The learning rates: drawn by the player (explorer/web/training_player.js) as its own
#: controls, checked like the live views' state (explorer/pages/live.py).
RATES = live.define(live.LiveView(
    name="player", component=mount, key=PLAYER_KEY, page="training",
    settings=RATE_SETTINGS,
    to_browser=lambda values: {setting.key: values[setting.key] for setting in RATE_SETTINGS},
    from_browser=_rates_from_browser,
))


def _rate_controls(seed: dict, epoch: int, compare: bool) -> dict:
    """The player's controls as data: the labels and options travel as JSON (text only)."""
    shown = RATE_SETTINGS[: 2 if compare else 1]
    return {
        "epoch": epoch, "state": RATES.to_browser(seed),
        "items": [{"key": setting.key, "run": run, "label": _(setting.label),
                   "help": _(setting.help) if setting.help else "",
                   "options": list(setting.options),
                   "texts": [setting.format_option(option) for option in setting.options]}
                  for run, setting in enumerate(shown)],
    }


@st.fragment
def training_section(data_settings: DataSettings, custom_csv: str | None) -> None:
    """Optimiser controls, the display options, and the run with its player
    (``run_section``, a fragment of its own).

    In presentation mode the controls stand in a column beside the player, so that the
    regions, Play and the controls that move them fit a projector's screen."""
    present = presenting()
    if present:
        left, right = st.columns([1, 3.2], gap="medium")
    else:
        left = right = st.container()
    with left:
        first, second = _train_controls(stacked=present)
    with right:
        show_test, discrete = player_options()
        points = cached_points(data_settings, csv_hash(custom_csv), custom_csv)
        mount_engine(points)
        run_section(data_settings, custom_csv, first, second, show_test, discrete,
                    points_id(points))


@st.fragment
def run_section(data_settings: DataSettings, custom_csv: str | None, first: TrainSettings,
                second: TrainSettings | None, show_test: bool, discrete: bool,
                points: str) -> None:
    """The run and its player, with the learning rates as the player's own controls
    (``points``: the id of the points the engine component holds).

    A key press on a learning rate reruns this fragment alone: check the rates, train
    (cached), send the player its new data (and a health message when the run needs one).
    """
    values, seed, epoch = live.current_values(RATES)
    compare = second is not None
    first = dataclasses.replace(first, lr=values[specs.LEARNING_RATE.key])
    if compare:
        second = dataclasses.replace(second, lr=values[specs.LEARNING_RATE_B.key])
    st.session_state[SHOWN_RUNS] = (data_settings, custom_csv, first, second)
    key = csv_hash(custom_csv)
    settings = [first] + ([second] if second is not None else [])
    runs = list(zip(run_labels(settings),
                    [cached_run(data_settings, key, each, custom_csv) for each in settings],
                    strict=True))
    verdicts = [cached_health(data_settings, key, each, custom_csv) for each in settings]
    # The health messages sit above the player but are sent after it: the regions answer
    # "what did this change do?" and the browser draws them while the rest arrives. A
    # healthy run sends no message at all.
    above = st.empty() if not all(verdict.ok for verdict, _ in verdicts) else None
    context = run_context(data_settings, key, tuple(settings))
    player_section(data_settings, custom_csv, settings, runs,
                   [verdict.kind for verdict, _ in verdicts], show_test=show_test,
                   discrete=discrete, follow=not st.session_state.get(_PAGE_RUN, False),
                   controls=_rate_controls(seed, epoch, compare), points=points,
                   context=context)
    # The address bar follows the player's message, so the new run is drawn first.
    live.write_url(RATES, values, extra={} if compare else {specs.LEARNING_RATE_B.key: None})
    send_nearby(data_settings, custom_csv, settings, context)
    if above is not None:
        with above.container():
            for (label, run), (verdict, suggested) in zip(runs, verdicts, strict=True):
                if not verdict.ok:
                    _health_message(label, run, verdict, suggested, data_settings.scale)

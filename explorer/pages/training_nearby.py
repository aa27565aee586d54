"""/training's nearby runs: the runs one learning-rate step either side of each shown run,
sent after the player's data so that the next learning-rate key press is drawn at once
in the browser, before the server has answered.

The browser keeps every run it was sent by (context, run, learning rate)
(explorer/web/run_cache.js); the player shows a kept run as soon as its learning-rate
control moves to it, then sends the new rate as usual, and the server's answer (the same
run) only confirms it. The session remembers which runs it sent in the current context,
so each is sent once: walking the learning rate one step at a time costs one new run per
step, the same training and about the same bytes as before, only a step ahead. Runs long
enough to need a progress bar are not trained ahead (their key press waits, as before),
and nothing is trained ahead while the server is busy (``BUSY_SHARE`` of a core, measured
by explorer/cpu_share.py): a change of any other setting is a new context with two new
neighbours per run, which a lecture hall of learners must not pay for; what was skipped
is sent on a later, quieter rerun.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from explorer.cpu_share import CpuShare
from explorer.page_logic import training_health as health
from explorer.page_logic.training_run import DataSettings, TrainSettings
from explorer.page_logic.training_view import csv_hash, run_labels
from explorer.pages.training_cache import PROGRESS_WORK, cached_data, cached_run
from explorer.player_payload import nearby_payload
from explorer.settings import specs
from explorer.web.bundle import bundle

#: The learning-rate setting of each run shown (the second in compare mode).
RATE_SETTINGS = (specs.LEARNING_RATE, specs.LEARNING_RATE_B)

#: How many runs the session remembers having sent in one context; the browser keeps
#: more (explorer/web/run_cache.js), so a run the session thinks is there always is.
REMEMBERED = 12

#: No run is trained ahead while the process used more than this share of a core lately.
BUSY_SHARE = 0.3
#: How busy the process (every session) has been lately.
SERVER_LOAD = CpuShare()

_SENT = "_training_runs_sent"

#: Constant code only: the runs travel as its data, the engine holds the code.
_NEARBY = st.components.v2.component(
    "softmax_explorer.training_nearby",
    js=bundle("nearby_loader.js"),
)
NEARBY_KEY = "player_nearby"


def neighbour_rates(setting, rate: float) -> list[float]:
    """The options of ``setting`` one below and one above ``rate`` (those that exist)."""
    options = list(setting.options)
    index = options.index(rate)
    return [options[i] for i in (index - 1, index + 1) if 0 <= i < len(options)]


def _sent_before(context: str) -> list[tuple[int, float]]:
    """The (run, learning rate) pairs sent in ``context``, oldest first (a new context
    forgets the old one's)."""
    remembered = st.session_state.get(_SENT)
    if remembered is None or remembered[0] != context:
        remembered = (context, [])
        st.session_state[_SENT] = remembered
    return remembered[1]


def _remember(sent: list[tuple[int, float]], pairs) -> None:
    for pair in pairs:
        if pair in sent:
            sent.remove(pair)
        sent.append(pair)
    del sent[:-REMEMBERED]


def send_nearby(data_settings: DataSettings, custom_csv: str | None,
                settings: list[TrainSettings], context: str) -> None:
    """Mount the nearby component with the neighbours of the shown runs the browser has
    not been sent yet (trained here, cached like every run); record what was sent.

    Call it after the player is mounted: the player's data goes first."""
    key = csv_hash(custom_csv)
    sent = _sent_before(context)
    _remember(sent, [(index, each.lr) for index, each in enumerate(settings)])
    data = cached_data(data_settings, key, custom_csv)
    wanted = []
    busy = SERVER_LOAD.share() > BUSY_SHARE
    for index, each in enumerate(settings if not busy else ()):
        if data.X_train.shape[0] * each.steps >= PROGRESS_WORK:
            continue
        for rate in neighbour_rates(RATE_SETTINGS[index], each.lr):
            if (index, rate) not in sent:
                wanted.append((index, rate))
    nearby = []
    for index, rate in wanted:
        moved = [dataclasses.replace(each, lr=rate) if i == index else each
                 for i, each in enumerate(settings)]
        run = cached_run(data_settings, key, moved[index], custom_csv)
        label = run_labels(moved)[index]
        nearby.append((index, run, label, health.assess(run.train_loss, run.diverged_at).kind))
    _NEARBY(data=nearby_payload(context, nearby), key=NEARBY_KEY)
    _remember(sent, wanted)

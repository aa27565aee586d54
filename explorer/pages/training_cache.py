"""/training's shared cached computations: the data and the runs, keyed by small settings
(the learner's CSV by its hash, see explorer/page_logic/training_view.py ``csv_hash``).

Every section of the page asks for them; the first asks compute, the rest hit the cache.
"""

from __future__ import annotations

import streamlit as st

from explorer.i18n import _
from explorer.page_logic.training_run import (
    Data,
    DataSettings,
    Run,
    TrainSettings,
    compute_run,
    make_data,
    parse_custom_points,
)

#: Runs with more point-steps than this show a progress bar while they train.
PROGRESS_WORK = 300_000


@st.cache_data(max_entries=16, show_spinner=False)
def cached_data(settings: DataSettings, custom_hash: str, _custom_csv: str | None) -> Data:
    custom = parse_custom_points(_custom_csv) if settings.dataset == "custom" else None
    return make_data(settings, custom)


#: Runs kept: each learner on the page holds about three hot (the shown run and the two
#: sent ahead, explorer/pages/training_nearby.py).
RUN_CACHE_ENTRIES = 96


@st.cache_data(max_entries=RUN_CACHE_ENTRIES, show_spinner=False)
def cached_run(
    data_settings: DataSettings, custom_hash: str, settings: TrainSettings,
    _custom_csv: str | None,
) -> Run:
    data = cached_data(data_settings, custom_hash, _custom_csv)
    if data.X_train.shape[0] * settings.steps < PROGRESS_WORK:
        return compute_run(data, settings)
    # A long run: the bar is created inside the cached function, so a cache hit replays
    # it (a few tiny messages) and it is emptied again at the end.
    bar = st.progress(0.0, text=_("Training {optimizer} for {steps} steps…").format(
        optimizer=settings.optimizer, steps=settings.steps))
    shown = [0.0]

    def report(fraction: float) -> None:
        if fraction - shown[0] >= 0.1 or fraction >= 1.0:
            shown[0] = fraction
            bar.progress(min(fraction, 1.0), text=_("Training… {percent}").format(
                percent=f"{fraction:.0%}"))

    run = compute_run(data, settings, progress=report)
    bar.empty()
    return run

"""The /training player component: registered once, mounted with the trajectory payload.

The component's HTML, CSS and JS are constant files in ``explorer/web/``; the learner's
settings and the trajectory travel only as the ``data`` bytes (explorer/player_payload.py).
The player's code is the JS of a separate, data-less "engine" component: its message
never changes, so Streamlit sends it once and then a reference, while the player's own
message (resent with every new trajectory) carries only a small loader.
The player sends nothing itself: a small constant link in the inspect section (the
"sync" component, explorer/web/inspect_sync.js) forwards the player's requests (a new run
the section has not run with, the step the player pauses at), so that the inspect
section, a fragment of its own, follows the player; the step goes through the
``Setting`` checks of ``at`` before it is used.

The player also draws its own controls (the learning rates, see
explorer/pages/training_controls.py): a key press there goes straight back as the
component's state, so only the small fragment around the player runs again.
``player_options`` lays out the display options and ``player_section`` the player.
"""

from __future__ import annotations

import streamlit as st

from explorer.figures import training_figs as figs
from explorer.figures.style import CLASS_COLORS
from explorer.i18n import _
from explorer.page_logic.training_run import DataSettings, Run, TrainSettings
from explorer.page_logic.training_view import csv_hash, trajectory_id
from explorer.pages.controls import control
from explorer.pages.live import ignore_state
from explorer.pages.presentation import presenting
from explorer.pages.training_cache import cached_data
from explorer.pages.training_data import given_class_names
from explorer.player_payload import player_payload, points_payload
from explorer.settings import specs
from explorer.settings.query import browser_value, resolve_query
from explorer.view_labels import landscape_words
from explorer.web.bundle import bundle, read

#: The component's key; also the CSS class ``st-key-player`` that tests select on.
PLAYER_KEY = "player"

#: The player's code (with the shared math) and, as its data, the points: a message that
#: changes only with the points, so a new trajectory does not resend it.
_ENGINE = st.components.v2.component(
    "softmax_explorer.training_player_engine",
    js=bundle("training_player_engine.js"),
    isolate_styles=True,
)
#: The player: constant HTML/CSS and a small loader; the trajectory is its data.
_COMPONENT = st.components.v2.component(
    "softmax_explorer.training_player",
    html='<div class="player-host"></div>',
    css=read("training_player.css"),
    js=bundle("training_player_loader.js"),
    isolate_styles=True,
)

#: The loss landscape: its picture is the data, the paths come from the player, the code
#: from the engine.
_LANDSCAPE = st.components.v2.component(
    "softmax_explorer.training_landscape",
    html='<div class="landscape-host"></div>',
    js=bundle("landscape_loader.js"),
    isolate_styles=True,
)
LANDSCAPE_KEY = "landscape"

#: The inspect section's link to the player: constant JS, no data.
_SYNC = st.components.v2.component(
    "softmax_explorer.training_inspect_sync",
    js=bundle("inspect_sync.js"),
)
SYNC_KEY = "inspect_sync"


def checked_step(value, steps_taken: int) -> int | None:
    """The step the browser sent back, if the ``at`` setting accepts it (else None)."""
    try:
        return browser_value(specs.STEP_AT.with_range(max_value=max(steps_taken, 1)),
                                   value)
    except ValueError:
        return None


def mount_engine(points: bytes) -> None:
    """Send the player's code and ``points`` (the engine: a message that changes only with
    the points)."""
    _ENGINE(data=points, key=f"{PLAYER_KEY}_engine")


def mount(payload: bytes) -> dict | None:
    """Show the player with ``payload``; return the state its own controls sent back."""
    result = _COMPONENT(data=payload, key=PLAYER_KEY, on_state_change=ignore_state)
    return getattr(result, "state", None)


def follow_player() -> object:
    """Mount the inspect section's link to the player; return the step the player was
    paused at if that is why this run happens (raw browser input, else None).

    The link (explorer/web/inspect_sync.js) forwards the player's requests: a run whose
    payload says ``follow`` (the training section ran alone), or a pause. It has no data,
    so its message never changes and stays small.
    """
    result = _SYNC(key=SYNC_KEY)
    return getattr(result, "at", None)


def mount_landscape(data: dict) -> None:
    """Show the landscape view (see explorer/web/landscape_view.js for ``data``), with its
    words in the session's language."""
    _LANDSCAPE(data={**data, "words": landscape_words()}, key=LANDSCAPE_KEY)


@st.cache_data(max_entries=16, show_spinner=False)
def cached_points(data_settings: DataSettings, custom_hash: str, _custom_csv: str | None
                  ) -> bytes:
    return points_payload(cached_data(data_settings, custom_hash, _custom_csv))


def _opening_step(run_key: tuple, steps_taken: int) -> int:
    """The step the player opens at: the inspected step when this run first appears.

    Later changes of ``at`` (the player's own pauses) keep the payload unchanged, so the
    browser is not sent the trajectory again for them.
    """
    remembered = st.session_state.get("_player_open")
    if remembered is not None and remembered[0] == run_key:
        return remembered[1]
    at = st.session_state.get(specs.STEP_AT.key)
    if at is None:
        values = st.query_params.get_all(specs.STEP_AT.key)
        try:
            at = resolve_query(specs.STEP_AT, values)
        except ValueError:
            at = steps_taken
    at = min(int(at), steps_taken)
    st.session_state["_player_open"] = (run_key, at)
    return at


def player_options() -> tuple[bool, bool]:
    """The display options above the player: (show test points, discretize output)."""
    options = st.columns([1.3, 1.4, 2.6], gap="medium", vertical_alignment="center")
    with options[0]:
        show_test = control(specs.SHOW_TEST)
    with options[1]:
        discrete = control(specs.DISCRETE)
    with options[2]:
        st.caption(_("Solid curves: training points; dashed: test points. Space plays or "
                     "pauses, the arrow keys step, Home restarts."))
    return show_test, discrete


def player_section(data_settings: DataSettings, custom_csv: str | None,
                   settings: list[TrainSettings], runs: list[tuple[str, Run]],
                   kinds: list[str], *, show_test: bool, discrete: bool, follow: bool,
                   controls: dict, points: str, context: str) -> None:
    """The player: regions of every run and the curves, and its own controls.

    ``follow``: the inspect section does not run with this run (see ``follow_player``);
    ``controls``: the player's controls (see explorer.player_payload.player_payload);
    ``points``: the id of the points the engine holds (``points_id``);
    ``context``: what the runs share but their learning rates (``run_context``).

    The payload is built here from the runs in hand, not cached: packing them takes well
    under a millisecond, less than a cache lookup, and equal runs give equal bytes (which
    Streamlit's message cache then does not resend)."""
    key = csv_hash(custom_csv)
    steps_taken = max(run.steps_taken for _, run in runs)
    run_key = (data_settings, key, tuple(settings), show_test, discrete)
    at = _opening_step(run_key, steps_taken)
    data = cached_data(data_settings, key, custom_csv)
    payload = player_payload(
        data, [run for _, run in runs], labels=[label for label, _ in runs],
        health=list(kinds), show_test=show_test, discrete=discrete, at=at,
        class_colors=CLASS_COLORS[: data.classes], run_colors=figs.RUN_COLORS[: len(runs)],
        points=points, trajectory=trajectory_id(data_settings, key, tuple(settings)),
        present=presenting(), follow=follow, controls=controls,
        class_names=given_class_names(data_settings, runs[0][1].trajectory.W.shape[2]),
        context=context,
    )
    mount(payload)

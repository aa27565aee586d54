"""The /training player component: registered once, mounted with the trajectory payload.

The component's HTML, CSS and JS are constant files in ``explorer/web/``; the learner's
settings and the trajectory travel only as the ``data`` bytes (explorer/player_payload.py).
The player's code is the JS of a separate, data-less "engine" component: its message
never changes, so Streamlit sends it once and then a reference, while the player's own
message (resent with every new trajectory) carries only a small loader.
The paused step comes back as the component's ``at`` state and goes through the
``Setting`` checks of ``at`` before it is used.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from explorer import state
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


def checked_step(value, steps_taken: int) -> int | None:
    """The step the browser sent back, if the ``at`` setting accepts it (else None)."""
    try:
        return state.browser_value(state.STEP_AT.with_range(max_value=max(steps_taken, 1)),
                                   value)
    except ValueError:
        return None


def mount(points: bytes, payload: bytes, on_step: Callable[[], None]) -> None:
    """Show the player: the engine with ``points``, the player with ``payload``.

    ``on_step`` runs when the paused step comes back from the browser.
    """
    _ENGINE(data=points, key=f"{PLAYER_KEY}_engine")
    _COMPONENT(data=payload, key=PLAYER_KEY, on_at_change=on_step)


def sent_step() -> object:
    """The raw ``at`` value the browser last sent (None before any)."""
    value = st.session_state.get(PLAYER_KEY)
    return None if value is None else value.get("at")


def mount_landscape(data: dict) -> None:
    """Show the landscape view (see explorer/web/landscape_view.js for ``data``)."""
    _LANDSCAPE(data=data, key=LANDSCAPE_KEY)

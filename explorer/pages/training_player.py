"""The /training player component: registered once, mounted with the trajectory payload.

The component's HTML, CSS and JS are constant files in ``explorer/web/``; the learner's
settings and the trajectory travel only as the ``data`` bytes (explorer/player_payload.py).
The paused step comes back as the component's ``at`` state and goes through the
``Setting`` checks of ``at`` before it is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from explorer import state

WEB = Path(__file__).resolve().parents[1] / "web"
#: The component's key; also the CSS class ``st-key-player`` that tests select on.
PLAYER_KEY = "player"
_IMPORT = re.compile(r'^import\s*\{[^}]*\}\s*from\s*"\./([\w.]+)";\s*$', re.MULTILINE)


def module_source(name: str) -> str:
    """``name`` from explorer/web/ with its ``./`` imports inlined before it.

    A component's JS is one inline module, so the modules it imports (the shared math)
    are put in front of it, once each, and the import lines removed.
    """
    seen: list[str] = []

    def load(file: str) -> str:
        text = (WEB / file).read_text(encoding="utf-8")
        parts = []
        for dependency in _IMPORT.findall(text):
            if dependency not in seen:
                seen.append(dependency)
                # A dependency's own exports stay exports: one module may export many names.
                parts.append(load(dependency).replace("export default", "const _unused ="))
        parts.append(_IMPORT.sub("", text))
        return "\n".join(parts)

    return load(name)


_COMPONENT = st.components.v2.component(
    "training_player",
    html='<div class="player-host"></div>',
    css=(WEB / "training_player.css").read_text(encoding="utf-8"),
    js=module_source("training_player.js"),
    isolate_styles=True,
)


def checked_step(value, steps_taken: int) -> int | None:
    """The step the browser sent back, if the ``at`` setting accepts it (else None)."""
    try:
        return state.STEP_AT.with_range(max_value=max(steps_taken, 1)).parse(str(value))
    except ValueError:
        return None


def mount(payload: bytes, on_step: Callable[[], None]) -> None:
    """Show the player for ``payload``; ``on_step`` runs when the paused step comes back."""
    _COMPONENT(data=payload, key=PLAYER_KEY, on_at_change=on_step)


def sent_step() -> object:
    """The raw ``at`` value the browser last sent (None before any)."""
    value = st.session_state.get(PLAYER_KEY)
    return None if value is None else value.get("at")

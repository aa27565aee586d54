"""The look every page shares: page icon, stylesheets, and presentation mode.

Presentation mode (``present=true`` in the URL, or the toggle in the sidebar) is for a
lecture hall: the sidebar starts folded, the title starts at the top, chart text is
large and dark (:func:`explorer.figures.style.presented`), and secondary panels are
folded away (:func:`secondary_panel`). Pages ask :func:`presenting` and pass the answer
on to their components as ``present``.

Only constant files from ``explorer/static/`` are written into the page.
"""

from __future__ import annotations

import functools
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import streamlit as st

from explorer.i18n import N_, _
from explorer.pages.controls import control, follow_url
from explorer.pages.language import language_selector, use_page_language
from explorer.settings import specs
from explorer.settings.query import resolve_query

STATIC = Path(__file__).resolve().parents[1] / "static"
#: The page icon, served by the app itself (a Material icon would be fetched from the web).
ICON = STATIC / "icon.png"
BASE_CSS = STATIC / "base.css"
PRESENT_CSS = STATIC / "present.css"
PAGE_TITLE = N_("Softmax gradient explorer")


def presenting() -> bool:
    """Whether presentation mode is on: the toggle's value, else the URL's, else off."""
    key = specs.PRESENT.key
    if key in st.session_state:
        return bool(st.session_state[key])
    try:
        return bool(resolve_query(specs.PRESENT, st.query_params.get_all(key)))
    except ValueError:
        return bool(specs.PRESENT.default)


@functools.cache
def _stylesheet(present: bool) -> str:
    """The page's constant CSS: base.css, and present.css after it in presentation mode."""
    files = (BASE_CSS, PRESENT_CSS) if present else (BASE_CSS,)
    return "<style>" + "\n".join(path.read_text(encoding="utf-8") for path in files) + "</style>"


def apply_page_look() -> bool:
    """Page config, the language, the shared stylesheets and the presentation toggle and
    language selector; call once per run, before the page runs. Returns whether presentation
    mode is on."""
    use_page_language()
    follow_url(specs.PRESENT)
    present = presenting()
    st.set_page_config(
        page_title=_(PAGE_TITLE),
        page_icon=str(ICON),
        layout="wide",
        # "auto" folds the sidebar on narrow screens (phones) and opens it on wide ones.
        initial_sidebar_state="collapsed" if present else "auto",
    )
    st.html(_stylesheet(present))
    with st.sidebar:
        control(specs.PRESENT)
        language_selector()
    return present


def secondary_panel(title: str, *, key: str | None = None) -> AbstractContextManager[Any]:
    """A panel the lesson can do without on a projector.

    Returns a plain container normally and an expander labelled ``title``, folded, in
    presentation mode; use it as ``with secondary_panel("Where J comes from"):``.
    """
    if presenting():
        return st.expander(title, expanded=False)
    return st.container(key=key)

"""Showing a Plotly chart: readable text (larger in presentation mode) and a text
alternative for screen readers.

Every server-drawn chart of the pages goes through :func:`show_chart`, so the rules of
:func:`explorer.figures.readable.readable_spec` hold whatever theme Streamlit applies.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from explorer.figures.prebuilt import PrebuiltFigure
from explorer.figures.readable import presented, readable_spec
from explorer.figures.style import PLOTLY_CONFIG
from explorer.pages.presentation import presenting


def _spec(figure: go.Figure) -> dict:
    if isinstance(figure, PrebuiltFigure):
        return figure.spec
    return figure.to_plotly_json()


def show_chart(figure: go.Figure, *, key: str, alt: str, **kwargs: Any) -> Any:
    """``st.plotly_chart`` of ``figure`` with the shared config, followed by ``alt``.

    Parameters
    ----------
    figure : go.Figure or PrebuiltFigure
    key : str
        The chart's key (its element gets the CSS class ``st-key-<key>``).
    alt : str
        What the chart shows, in words and numbers (see :mod:`explorer.chart_text`); read
        by screen readers, not drawn.
    **kwargs
        Passed to ``st.plotly_chart`` (``on_select``, ``width``...).

    Returns
    -------
    The value of ``st.plotly_chart`` (the selection when ``on_select`` is set).
    """
    if presenting():
        shown = PrebuiltFigure(presented(_spec(figure)))
    elif isinstance(figure, PrebuiltFigure):
        shown = figure  # readable as built (PrebuiltFigure applies readable_spec)
    else:
        shown = PrebuiltFigure(readable_spec(_spec(figure)))
    kwargs.setdefault("config", PLOTLY_CONFIG)
    # theme=None: Streamlit's chart theme would put its own (smaller, greyer) axis fonts
    # into the template; the figure's own readable text is the one look.
    value = st.plotly_chart(shown, key=key, theme=None, **kwargs)
    with st.container(key=f"chart_text_{key}"):
        st.text(alt)
    return value

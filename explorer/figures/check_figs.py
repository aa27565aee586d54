"""Figures of the /check lesson: how long each way of computing the gradient takes.

Pure builder (plotly, no streamlit): numbers in, ``go.Figure`` out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from explorer.figures.style import base_layout
from explorer.i18n import _

#: One colour per method, in the order vectorised, optimised, naive, numerical.
METHOD_COLORS = ("#009E73", "#CC79A7", "#D55E00", "#0072B2")


def timing_figure(names: Sequence[str], milliseconds: Sequence[float]) -> go.Figure:
    """Horizontal bars of the best time of each method, on a log axis.

    Parameters
    ----------
    names : sequence of str, length M
    milliseconds : sequence of float, length M
        Positive times in ms.

    Returns
    -------
    go.Figure
        One bar trace: ``x`` the times (float64, they span orders of magnitude), ``y`` the names.
    """
    times = np.asarray(milliseconds, dtype=np.float64)
    figure = go.Figure(
        go.Bar(
            x=times, y=list(names), orientation="h",
            marker={"color": [METHOD_COLORS[i % len(METHOD_COLORS)] for i in range(len(names))]},
            text=[f"{value:.3g} ms" for value in times], textposition="outside",
            textfont={"size": 16}, cliponaxis=False,
            hovertemplate="%{y}: %{x:.4g} ms<extra></extra>",
        )
    )
    base_layout(figure, title=_("Best time per call (log scale)"), height=240)
    low = float(np.log10(max(times.min(), 1e-6))) - 0.5
    high = float(np.log10(max(times.max(), 1e-6))) + 0.9
    figure.update_xaxes(type="log", range=[low, high], dtick=1, title={"text": _("milliseconds")})
    figure.update_yaxes(autorange="reversed", tickfont={"size": 16})
    figure.update_layout(showlegend=False, margin={"l": 20, "r": 30, "t": 44, "b": 44})
    return figure

"""Text alternatives of the charts: what each one shows, in words and numbers.

A screen reader reads these in place of the picture (see ``explorer/pages/charts.py``).
Pure Python and numpy: nothing here imports streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from explorer.i18n import _

#: Above this many entries a matrix is summarised (diagonal, extremes) instead of listed.
MAX_LISTED_ENTRIES = 25


def number(value: float, decimals: int = 2) -> str:
    """``value`` with ``decimals`` decimals, a true minus sign, and no ``-0.00``."""
    text = f"{float(value) + 0.0:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−")


def numbers(values, decimals: int = 2) -> str:
    """``0.64, 0.24, 0.10`` for a 1-D array of shape (K,)."""
    return ", ".join(number(value, decimals) for value in np.ravel(values))


def matrix_text(name: str, matrix, *, rows: str | None = None, columns: str | None = None,
                decimals: int = 2) -> str:
    """A heatmap of ``matrix`` (shape (R, C)): every entry when it is small, else the
    diagonal (square matrices) and the extremes.

    Parameters
    ----------
    name : str
        What the matrix is (``Jacobian J``).
    matrix : array_like, shape (R, C)
    rows, columns : str, optional
        What a row and a column stand for (``i``, ``class``), in the session's language;
        "row" and "column" by default.
    """
    rows = _("row") if rows is None else rows
    columns = _("column") if columns is None else columns
    values = np.asarray(matrix, dtype=float)
    n_rows, n_cols = values.shape
    head = _("Heatmap of {name}, {n_rows} × {n_cols} ({rows} by {columns})").format(
        name=name, n_rows=n_rows, n_cols=n_cols, rows=rows, columns=columns)
    low = np.unravel_index(int(np.argmin(values)), values.shape)
    high = np.unravel_index(int(np.argmax(values)), values.shape)
    extremes = _("Smallest {low} at {rows} {low_row}, {columns} {low_col}; largest {high} at "
                 "{rows} {high_row}, {columns} {high_col}").format(
        low=number(values[low], decimals), high=number(values[high], decimals), rows=rows,
        columns=columns, low_row=low[0], low_col=low[1], high_row=high[0], high_col=high[1])
    if values.size <= MAX_LISTED_ENTRIES:
        listed = "; ".join(f"{rows} {index}: {numbers(row, decimals)}"
                           for index, row in enumerate(values))
        return f"{head}. {listed}. {extremes}."
    diagonal = (_(" Diagonal: {values}.").format(values=numbers(np.diag(values), decimals))
                if n_rows == n_cols else "")
    return f"{head}.{diagonal} {extremes}."


def bars_text(name: str, labels: Sequence[str], values, *, unit: str = "",
              decimals: int = 2) -> str:
    """A bar per label: ``name: a 1.00 ms, b 2.00 ms``."""
    parts = [f"{label} {number(value, decimals)}{unit}" for label, value in
             zip(labels, np.ravel(values), strict=True)]
    return _("Bar chart of {name}: {bars}.").format(name=name, bars=", ".join(parts))

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


def probabilities_text(logits, p, target: int) -> str:
    """The logits and probabilities chart: both vectors, the largest class, the target.

    Parameters
    ----------
    logits, p : array_like, shape (K,)
    target : int
    """
    probs = np.asarray(p, dtype=float)
    largest = int(np.argmax(probs))
    return _("Bar charts of {count} classes. Logits z = {logits}. "
             "Probabilities p = {probs}; largest: class {largest} "
             "(p = {p_largest}); target class y = {target} "
             "(p = {p_target}).").format(
        count=probs.size, logits=numbers(logits), probs=numbers(probs), largest=largest,
        p_largest=number(probs[largest]), target=target, p_target=number(probs[target]))


def error_text(error, target: int) -> str:
    """The p − y chart: one bar per class; the target's is the only negative one.

    Parameters
    ----------
    error : array_like, shape (K,)
        ``p - y``.
    target : int
    """
    return _("Bar chart of p − y = {error}; the target class {target} has "
             "{value}, every other class p itself.").format(
        error=numbers(error), target=target, value=number(np.ravel(error)[target]))


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


def curve_text(name: str, values, *, start: int = 0) -> str:
    """A line over steps: first, last and lowest value (non-finite values are skipped).

    Parameters
    ----------
    name : str
    values : array_like, shape (T,)
        The value at steps ``start .. start + T - 1``.
    """
    series = np.asarray(values, dtype=float)
    finite = np.flatnonzero(np.isfinite(series))
    if finite.size == 0:
        return _("{name}: no finite value to draw.").format(name=name)
    first, last = int(finite[0]), int(finite[-1])
    lowest = int(finite[np.argmin(series[finite])])
    return _("{name} from {first} at step {first_step} to {last} at step {last_step}; lowest "
             "{lowest} at step {lowest_step}.").format(
        name=name, first=number(series[first], 3), first_step=start + first,
        last=number(series[last], 3), last_step=start + last,
        lowest=number(series[lowest], 3), lowest_step=start + lowest)


def bars_text(name: str, labels: Sequence[str], values, *, unit: str = "",
              decimals: int = 2) -> str:
    """A bar per label: ``name: a 1.00 ms, b 2.00 ms``."""
    parts = [f"{label} {number(value, decimals)}{unit}" for label, value in
             zip(labels, np.ravel(values), strict=True)]
    return _("Bar chart of {name}: {bars}.").format(name=name, bars=", ".join(parts))


def regions_text(classes: int, *, points: int, accuracy: float | None = None,
                 extra: str = "") -> str:
    """A plane coloured by the predicted class, with the data points on it.

    Parameters
    ----------
    classes : int
    points : int
        How many points are drawn.
    accuracy : float, optional
        Share of those points the model classifies correctly, 0..1.
    extra : str
        One more sentence (arrows, the example x).
    """
    text = (f"Plane x1, x2 coloured by the class the model predicts, {classes} classes, "
            f"with {points} points")
    if accuracy is not None:
        text += f"; {accuracy:.1%} of them classified correctly"
    text += "."
    return f"{text} {extra}".strip()

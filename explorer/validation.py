"""Argument checks shared by the math modules.

Every public function of the library rejects bad arguments with a ``ValueError``
whose message names the argument and says what was expected. These helpers keep
those messages uniform.
"""

from __future__ import annotations

import numpy as np


def as_float_array(value, name: str, *, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """Convert ``value`` to a finite float64 array, or raise a ValueError naming ``name``.

    Parameters
    ----------
    value : array_like
        The argument to check.
    name : str
        The argument's name, used in the error message.
    ndim : int or tuple of int, optional
        The accepted number(s) of dimensions.

    Returns
    -------
    ndarray
        ``value`` as float64 (a copy only when a conversion was needed).
    """
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be an array of numbers ({error})") from None
    # Casting complex to float would silently drop the imaginary part.
    if raw.dtype.kind == "c":
        raise ValueError(f"{name} must hold real numbers, got complex dtype {raw.dtype}")
    try:
        array = raw.astype(np.float64, copy=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be an array of numbers ({error})") from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if array.ndim not in allowed:
            expected = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {expected}, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values (found nan or inf)")
    return array


def as_labels(y, name: str, *, n: int, classes: int) -> np.ndarray:
    """Check integer class labels ``y`` of shape (n,) with values in ``0..classes-1``.

    Returns
    -------
    ndarray, shape (n,), int64
    """
    array = np.asarray(y)
    if array.ndim != 1 or array.shape[0] != n:
        raise ValueError(f"{name} must have shape ({n},), got {array.shape}")
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
            raise ValueError(f"{name} must hold integer class labels")
    elif array.dtype.kind not in "iub":
        raise ValueError(f"{name} must hold integer class labels, got dtype {array.dtype}")
    labels = array.astype(np.int64)
    if n and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(
            f"{name} must hold labels in 0..{classes - 1}, got values from "
            f"{labels.min()} to {labels.max()}"
        )
    return labels


def _finite_scalar(value, name: str, sign: str, bound: str, allowed) -> float:
    """``value`` as a float; ``sign`` and ``bound`` word the error, ``allowed`` tests it."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a {sign} number, got {value!r}") from None
    if not np.isfinite(number) or not allowed(number):
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
    return number


def positive_scalar(value, name: str) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number > 0."""
    return _finite_scalar(value, name, "positive", "> 0", lambda number: number > 0)


def non_negative_scalar(value, name: str) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number >= 0."""
    return _finite_scalar(value, name, "non-negative", ">= 0", lambda number: number >= 0)


def bounded_integer(value, name: str, low: int, high: int | None = None,
                    context: str = "") -> int:
    """Return ``value`` as an int in ``low..high`` (no upper bound when ``high`` is None).

    Booleans and floats are rejected, even ``2.0``: a count or a seed is a whole number.
    ``context`` is appended to the expectation in the message (`` for the xor dataset``).
    """
    if high is None:
        expected = "a non-negative integer" if low == 0 else f"an integer >= {low}"
    elif high == low:
        expected = f"{low}"
    else:
        expected = f"an integer from {low} to {high}"
    expected = f"{name} must be {expected}{context}"
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{expected}, got {value!r}")
    if value < low or (high is not None and value > high):
        raise ValueError(f"{expected}, got {value}")
    return int(value)


def check_axis(axis, ndim: int, name: str = "axis") -> int:
    """Return ``axis`` normalised to ``0..ndim-1``, or raise if it is out of range."""
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise ValueError(f"{name} must be an integer, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name} must be in {-ndim}..{ndim - 1} for a {ndim}-D input, got {axis}")
    return int(axis) % ndim

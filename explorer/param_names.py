"""Names of the classifier's scalar parameters: ``W[row,col]`` and ``b[k]``, one home.

A coordinate is a :class:`Param`: ``Param("W", row, col)`` is the weight ``W[row, col]``
(input feature ``row`` feeding class ``col``) and ``Param("b", k, None)`` is the bias
``b[k]``; indices are 0-based as in numpy. Plain tuples such as ``("W", 0, 1)`` /
``("b", 2)`` and strings such as ``"W[0,1]"`` / ``"b[2]"`` are accepted wherever a
parameter is expected; :func:`param_label` writes the name back.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

_PARAM_PATTERN = re.compile(
    r"^\s*([Wb])\s*\[\s*(\d+)\s*(?:(?:,|\]\s*\[)\s*(\d+)\s*)?\]\s*$", re.IGNORECASE
)


class Param(NamedTuple):
    """One scalar parameter: ``Param("W", row, col)`` or ``Param("b", index, None)``."""

    array: str
    index: int
    col: int | None = None


def _to_param(spec, name: str) -> Param:
    """Normalise a parameter spec (Param, tuple or string) without range checks."""
    if isinstance(spec, str):
        return _parse(spec, name)
    try:
        items = tuple(spec)
    except TypeError:
        raise ValueError(f"{name} must be like ('W', row, col), ('b', k) or 'W[0,1]'") from None
    if len(items) not in (2, 3) or items[0] not in ("W", "b"):
        raise ValueError(f"{name} must be like ('W', row, col), ('b', k) or 'W[0,1]', got {spec!r}")

    def index(value):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise ValueError(f"{name} indices must be non-negative integers, got {spec!r}")
        return int(value)

    if items[0] == "W":
        if len(items) != 3:
            raise ValueError(f"{name}: a weight needs a row and a column, got {spec!r}")
        return Param("W", index(items[1]), index(items[2]))
    if len(items) == 3 and items[2] is not None:
        raise ValueError(f"{name}: a bias has a single index, got {spec!r}")
    return Param("b", index(items[1]), None)


def _parse(text: str, name: str) -> Param:
    match = _PARAM_PATTERN.match(text)
    if match is None:
        raise ValueError(f"{name} must look like 'W[row,col]' or 'b[k]', got {text!r}")
    letter, first, second = match.groups()
    if letter.upper() == "W":
        if second is None:
            raise ValueError(
                f"{name}: a weight needs a row and a column, like 'W[0,1]'; got {text!r}"
            )
        return Param("W", int(first), int(second))
    if second is not None:
        raise ValueError(f"{name}: a bias has a single index, like 'b[2]'; got {text!r}")
    return Param("b", int(first), None)


def parse_param(text: str) -> Param:
    """Parse a parameter name such as ``"W[0,1]"``, ``"W[0][1]"`` or ``"b[2]"``.

    Parameters
    ----------
    text : str
        ``W[row,col]`` or ``b[k]`` with 0-based indices (spaces and either letter case allowed).

    Returns
    -------
    Param
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string like 'W[0,1]' or 'b[2]', got {text!r}")
    return _parse(text, "text")


def param_label(spec) -> str:
    """Display name of a parameter: ``"W[0,1]"`` or ``"b[2]"`` (the inverse of :func:`parse_param`).

    Parameters
    ----------
    spec : Param, tuple or str
    """
    param = _to_param(spec, "spec")
    if param.array == "W":
        return f"W[{param.index},{param.col}]"
    return f"b[{param.index}]"


def check_param_pair(params, shape: tuple[int, int], name: str = "params") -> tuple[Param, Param]:
    """Two distinct parameters, normalised and checked against W's shape.

    Parameters
    ----------
    params : pair of Param, tuple or str
    shape : (D, K)
        The shape of W (b has shape (K,)).
    name : str
        The argument's name in the error messages.

    Returns
    -------
    (Param, Param)
    """
    if isinstance(params, str):
        raise ValueError(f"{name} must be a pair of parameters, got {params!r}")
    try:
        specs = list(params)
    except TypeError:
        raise ValueError(f"{name} must be a pair of parameters, got {params!r}") from None
    if len(specs) != 2:
        raise ValueError(f"{name} must hold exactly two parameters, got {len(specs)}")
    d, k = shape
    pair = tuple(_to_param(spec, f"{name}[{i}]") for i, spec in enumerate(specs))
    for i, param in enumerate(pair):
        if param.array == "W" and not (param.index < d and param.col < k):
            raise ValueError(f"{name}[{i}] = {param_label(param)} is outside W of shape ({d}, {k})")
        if param.array == "b" and param.index >= k:
            raise ValueError(f"{name}[{i}] = {param_label(param)} is outside b of shape ({k},)")
    if pair[0] == pair[1]:
        raise ValueError(
            f"{name} must be two different parameters, got {param_label(pair[0])} twice"
        )
    return pair


def parameter_names(dim: int, classes: int) -> list[str]:
    """``W[0,0] .. W[D-1,K-1]`` (row by row) then ``b[0] .. b[K-1]``."""
    names = [param_label(("W", row, col)) for row in range(dim) for col in range(classes)]
    return names + [param_label(("b", k)) for k in range(classes)]

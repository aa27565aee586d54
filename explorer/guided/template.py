"""The template language of a reveal text: ``{p[3]:.2f}``, ``{before.loss:.3f}``.

A reveal reads the live numbers of the page through a :class:`string.Formatter` that
allows exactly this and nothing else:

- a field is a quantity's name, optionally prefixed by ``before.`` (the previous step),
  followed by any number of integer indices: ``p``, ``p[3]``, ``J[0][1]``, ``before.dW[1][2]``;
- the value must end up a number, a truth value or a short text (not a whole array);
- an optional standard format spec such as ``.2f``, ``+.3g``, ``.1%``, ``>6.2f``
  (width at most 99, no nested fields);
- no attribute access beyond ``before.``, no conversions (``!r``), no positional fields.

Literal braces are written ``{{`` and ``}}``. Pure Python.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

import numpy as np

#: The prefix that reads the previous step's quantities.
BEFORE = "before"
_FIELD = re.compile(r"(?:(before)\.)?([A-Za-z_][A-Za-z0-9_]*)((?:\[-?[0-9]+\])*)")
_INDEX = re.compile(r"\[(-?[0-9]+)\]")
_SPEC = re.compile(r"[<>^=]?[+\- ]?#?0?[0-9]{0,2}[,_]?(?:\.[0-9]{1,2})?[bdeEfFgGnoxX%s]?")


class TemplateError(ValueError):
    """A template field the language does not allow, or one that does not fit the data."""


class _SafeFormatter(string.Formatter):
    """A formatter that only looks names up in two mappings and indexes with integers."""

    def __init__(self, now: Mapping[str, Any], before: Mapping[str, Any]):
        super().__init__()
        self._scopes = {None: now, BEFORE: before}

    def parse(self, format_string: str):
        for literal, field_name, format_spec, conversion in super().parse(format_string):
            if format_spec and "{" in format_spec:
                raise TemplateError(f"{{{field_name}:{format_spec}}}: no fields inside a format")
            yield literal, field_name, format_spec, conversion

    def get_field(self, field_name: str, args, kwargs):
        return lookup(field_name, self._scopes), field_name

    def convert_field(self, value, conversion):
        if conversion is not None:
            raise TemplateError(f"conversions such as !{conversion} are not allowed")
        return value

    def format_field(self, value, format_spec: str) -> str:
        if not _SPEC.fullmatch(format_spec):
            raise TemplateError(f"format {format_spec!r} is not a plain number format")
        try:
            return format(value, format_spec)
        except (ValueError, TypeError) as error:
            raise TemplateError(f"format {format_spec!r} does not fit {value!r}: {error}") from None


def lookup(field_name: str, scopes: Mapping[str | None, Mapping[str, Any]]) -> Any:
    """The value ``field_name`` names, as a plain Python scalar, or TemplateError why not."""
    match = _FIELD.fullmatch(field_name)
    if match is None:
        raise TemplateError(
            f"{{{field_name}}} is not a quantity name with optional [integer] indices"
        )
    scope, name, indices = match.groups()
    quantities = scopes[scope]
    if name not in quantities:
        known = ", ".join(sorted(quantities))
        raise TemplateError(f"unknown quantity {name!r} in {{{field_name}}} (known: {known})")
    value = quantities[name]
    for text in _INDEX.findall(indices):
        index = int(text)
        if not isinstance(value, np.ndarray | list | tuple):
            raise TemplateError(f"{{{field_name}}}: {name} cannot be indexed that deep")
        if not -len(value) <= index < len(value):
            raise TemplateError(
                f"{{{field_name}}}: index {index} is out of range (length {len(value)})"
            )
        value = value[index]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, np.ndarray | list | tuple):
        raise TemplateError(
            f"{{{field_name}}} is a list of {len(value)} values: pick one with [index]"
        )
    if value is not None and not isinstance(value, bool | int | float | str):
        raise TemplateError(f"{{{field_name}}} is not a number or a text")
    if isinstance(value, float) and value == 0.0:
        return 0.0  # a reveal should never read "-0.000"
    return value


def quantity_names(template: str) -> set[tuple[str | None, str]]:
    """The (scope, quantity) pairs ``template`` reads: ``(None, "p")``, ``("before", "J")``.

    Raises
    ------
    TemplateError
        When a field is not a quantity name with optional integer indices.
    """
    names = set()
    for _, field_name, _, _ in _SafeFormatter({}, {}).parse(template):
        if field_name is not None:
            match = _FIELD.fullmatch(field_name)
            if match is None:
                raise TemplateError(f"{{{field_name}}} is not a quantity name")
            names.add((match[1], match[2]))
    return names


def render(template: str, now: Mapping[str, Any], before: Mapping[str, Any]) -> str:
    """``template`` with every field replaced.

    Parameters
    ----------
    template : str
    now, before : mapping of str to value
        The quantities of this step and of the previous one (values: scalars, strings,
        or arrays of any shape to be indexed).

    Raises
    ------
    TemplateError
        Naming the offending field or format.
    """
    try:
        return _SafeFormatter(now, before).vformat(template, (), {})
    except TemplateError:
        raise
    except (ValueError, IndexError, KeyError) as error:
        # string.Formatter's own parse errors: a single '{' or '}', an empty field.
        raise TemplateError(f"{error} (write {{{{ and }}}} for literal braces)") from None

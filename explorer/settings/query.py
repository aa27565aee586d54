"""What a page takes from its URL: the value of each :class:`Setting`, or why not.

:func:`resolve_query` and :func:`check_query` mirror what a bound Streamlit widget does
with the URL (so the page can say which parameter it ignored and why);
:func:`read_link_value` and :func:`browser_value` are the kinder reading of a live view,
which reads its URL and its browser values itself.

Pure Python: nothing here imports streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from explorer.i18n import _
from explorer.markdown_text import quote_value
from explorer.settings.setting import Setting, url_number


def resolve_query(setting: Setting, values: Sequence[str]) -> Any:
    """The value the bound widget takes from the URL values ``values``, or ValueError why not.

    Mirrors Streamlit 1.67: a toggle or a select box reads the *last* value given (an
    all-empty parameter is dropped); a slider or a select slider drops empty values and
    needs exactly one left; a segmented control reads the *first* non-empty value (an
    all-empty parameter clears it to None, which
    :func:`explorer.pages.controls.control` turns into the default).
    """
    if not values:
        raise ValueError(_("no value"))
    if all(value == "" for value in values):
        raise ValueError(_("empty"))
    if setting.kind == "segmented":
        return setting.parse(next(value for value in values if value != ""))
    if setting.kind == "toggle" or (setting.kind == "select" and not setting.uses_select_slider):
        return setting.parse(values[-1])
    given = [value for value in values if value != ""]
    if len(given) > 1:
        raise ValueError(_("one value expected, got {count}").format(count=len(given)))
    return setting.parse(given[0])


def check_query(setting: Setting, values: Sequence[str]) -> str | None:
    """Why the URL values given for ``setting`` are ignored, or None when they are used.

    Parameters
    ----------
    setting : Setting
    values : sequence of str
        Every value the URL gives for ``setting.key`` (a key may be repeated).

    Returns
    -------
    str or None
        A Markdown sentence naming the parameter, the value (cut to ``MAX_QUOTED``
        characters, in a code span), the reason and the default used.
    """
    if not values:
        return None
    try:
        resolve_query(setting, values)
    except ValueError as error:
        default_text = setting.format_option(setting.default)
        if len(values) == 1:
            return _("`{key}`={value} was ignored ({reason}); using the default {default}.").format(
                key=setting.key, value=quote_value(values[0]), reason=error,
                default=default_text)
        return _("`{key}` (given {count} times, last {value}) was ignored ({reason}); using the "
                 "default {default}.").format(
            key=setting.key, count=len(values), value=quote_value(values[-1]), reason=error,
            default=default_text)
    return None



def read_link_value(setting: Setting, values: Sequence[str]) -> tuple[Any, str | None]:
    """The value a live page takes from the URL values of ``setting``, and a note or None.

    A live view reads its URL itself (no Streamlit widget drops values there), so it can be
    kinder than :func:`resolve_query`: a numeric option in any spelling is that option
    (``t=2.0`` is the stop 2), and a whole-number setting given a fraction keeps its integer
    part *with* a note saying so (``y=1.5`` is class 1). Anything else that
    :func:`resolve_query` rejects gives the default and :func:`check_query`'s note.

    Parameters
    ----------
    setting : Setting
    values : sequence of str
        Every value the URL gives for ``setting.key`` (empty when absent).

    Returns
    -------
    value, note : the value to use, and a Markdown sentence or None
    """
    if not values:
        return setting.default, None
    try:
        value = resolve_query(setting, values)
    except ValueError:
        option = _numeric_option(setting, values[-1])
        if option is not None and len([v for v in values if v != ""]) == 1:
            return option, None
        return setting.default, check_query(setting, values)
    if setting.kind == "int":
        number = url_number(next(v for v in values if v != ""))
        if number != value:
            return value, _("`{key}`={value} is not a whole number; using {used}.").format(
                key=setting.key, value=quote_value(values[-1]), used=value)
    return value, None


def _numeric_option(setting: Setting, raw: str) -> Any:
    """The option of a numeric ``select`` setting equal to ``raw`` read as a number, or None."""
    if not (setting.kind == "select" and setting.uses_select_slider):
        return None
    try:
        number = float(raw)
    except ValueError:
        return None
    return next((option for option in setting.options if option == number), None)


def browser_value(setting: Setting, value: Any) -> Any:
    """A value a live view sent back, checked like a URL value; ValueError says why not.

    The browser is user input: a JSON number, boolean or string must pass the same
    :class:`Setting` checks as the URL (and a whole-number setting must get a whole number).
    """
    if isinstance(value, bool):
        raw = "true" if value else "false"
    elif isinstance(value, int | float):
        raw = repr(float(value)) if isinstance(value, float) else str(value)
    elif isinstance(value, str):
        raw = value
    else:
        raise ValueError(_("{key}: expected a number, true/false or an option").format(
            key=setting.key))
    parsed, note = read_link_value(setting, [raw])
    if note:
        raise ValueError(note)
    return parsed


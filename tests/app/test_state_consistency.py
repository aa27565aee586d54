"""Our URL checks agree with Streamlit: a value is reported as ignored iff Streamlit drops it.

A tiny app creates, through :func:`explorer.pages.controls.control`, one URL-bound widget
per distinct kind of setting in :mod:`explorer.settings.specs` (so settings added later are covered
automatically), many times over, and each copy receives one hostile URL value. Streamlit is
the oracle: the app is run twice with two different defaults per widget, so a URL value
Streamlit keeps shows up as a non-default value in at least one of the two runs (a kept
value that happens to equal one default differs from the other). Our
:func:`explorer.settings.query.resolve_query` must accept exactly those values, with the same
result, and :func:`explorer.settings.query.check_query` must stay silent exactly then.
"""

from __future__ import annotations

import dataclasses
import math
from functools import cache

import pytest
from streamlit.testing.v1 import AppTest

from explorer.settings import specs
from explorer.settings.query import check_query, resolve_query
from explorer.settings.setting import Setting
from tests.app.page_probe import REPEATED_VALUES, SINGLE_VALUES, full_error_details

# ----------------------------------------------------------------------------------------
# The settings under test


def _all_settings(value=specs, seen=None) -> list[Setting]:
    """Every Setting defined in explorer.settings.specs (module attributes and tuples of them)."""
    found = []
    items = vars(value).values() if value is specs else value
    for item in items:
        if isinstance(item, Setting):
            found.append(item)
        elif isinstance(item, tuple):
            found.extend(_all_settings(item))
    return found


def _signature(setting: Setting) -> tuple:
    return (setting.kind, setting.min_value, setting.max_value, setting.step, setting.options)


#: Distinct settings tried per widget type: the code paths are per widget type, the
#: ranges only move the bounds; a few of each keeps the app small and the test fast.
PER_WIDGET = 3


@cache
def representative_settings() -> tuple[Setting, ...]:
    """A few distinct settings per widget type, plus a dynamic-range copy (like y < K)."""
    chosen: dict[tuple, Setting] = {}
    per_widget: dict[tuple, int] = {}
    for setting in _all_settings():
        widget = (setting.kind, setting.uses_select_slider)
        if _signature(setting) in chosen or per_widget.get(widget, 0) >= PER_WIDGET:
            continue
        chosen[_signature(setting)] = setting
        per_widget[widget] = per_widget.get(widget, 0) + 1
    first_int = next(s for s in chosen.values() if s.kind == "int")
    narrowed = first_int.with_range(max_value=first_int.min_value + 2)
    chosen.setdefault(_signature(narrowed), narrowed)
    first_box = next(s for s in chosen.values()
                     if s.kind == "select" and not s.uses_select_slider)
    segmented = dataclasses.replace(first_box, kind="segmented")  # a segmented control
    chosen.setdefault(_signature(segmented), segmented)
    return tuple(chosen.values())


def other_default(setting: Setting):
    """A valid value of ``setting`` different from its default."""
    if setting.kind == "toggle":
        return not setting.default
    if setting.kind in ("select", "segmented"):
        return next(option for option in setting.options if option != setting.default)
    low, high = setting.min_value, setting.max_value
    value = low if setting.default != low else high
    return int(value) if setting.kind == "int" else float(value)


def widget_key(index: int, slot: int) -> str:
    return f"s{index}_{slot}"


def batch_settings(variant: int, count: int) -> list[Setting]:
    """The widgets of the tiny app: ``count`` copies of every representative setting.

    Variant 0 keeps each default, variant 1 uses :func:`other_default`.
    """
    out = []
    for index, setting in enumerate(representative_settings()):
        default = setting.default if variant == 0 else other_default(setting)
        for slot in range(count):
            out.append(dataclasses.replace(setting, key=widget_key(index, slot), default=default))
    return out


APP = """
from explorer.pages.controls import control
from tests.app.test_state_consistency import batch_settings

for setting in batch_settings({variant}, {count}):
    control(setting)
"""

# ----------------------------------------------------------------------------------------
# The hostile alphabet (tests/app/page_probe.py), plus every option's spelling

def _option_spellings() -> list[str]:
    """Every option of every select setting as written in the URL, and near misses."""
    out = []
    for setting in representative_settings():
        for option in setting.options:
            text = setting.format_option(option)
            out += [text, text + "0" if "." in text else text + ".0", text.upper()]
    return out


def all_cases() -> list[list[str]]:
    singles = list(dict.fromkeys(SINGLE_VALUES + _option_spellings()))
    return [[value] for value in singles] + REPEATED_VALUES


#: Streamlit ignores a whole query string with more than 1000 parameters.
MAX_PARAMETERS = 1000


def batches(cases: list[list[str]]) -> list[tuple[int, list[list[str]]]]:
    """(start index, cases) chunks whose query strings stay under MAX_PARAMETERS."""
    per_case = len(representative_settings())
    out, start, used = [], 0, 0
    for index, values in enumerate(cases):
        if used + per_case * len(values) > MAX_PARAMETERS:
            out.append((start, cases[start:index]))
            start, used = index, 0
        used += per_case * len(values)
    out.append((start, cases[start:]))
    return out


def _run(tmp_path, variant: int, cases: list[list[str]]) -> AppTest:
    script = tmp_path / f"consistency_{variant}_{len(cases)}.py"
    script.write_text(APP.format(variant=variant, count=len(cases)))
    at = AppTest.from_file(str(script), default_timeout=60)
    for index in range(len(representative_settings())):
        for slot, values in enumerate(cases):
            at.query_params[widget_key(index, slot)] = values if len(values) > 1 else values[0]
    with full_error_details():
        at.run()
    assert not at.exception, [error.value for error in at.exception]
    return at


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


@pytest.fixture(scope="module")
def streamlit_verdicts(tmp_path_factory):
    """{(setting index, case index): value Streamlit kept, or None when it dropped the URL}."""
    tmp_path = tmp_path_factory.mktemp("consistency")
    cases = all_cases()
    settings_ = representative_settings()
    verdicts = {}
    for start, chunk in batches(cases):
        runs = [_run(tmp_path, variant, chunk) for variant in (0, 1)]
        for index, setting in enumerate(settings_):
            defaults = (setting.default, other_default(setting))
            for slot in range(len(chunk)):
                key = widget_key(index, slot)
                values = [run.session_state[key] for run in runs]
                moved = [v for v, d in zip(values, defaults, strict=True) if not _same(v, d)]
                if len(moved) == 2:
                    assert _same(*moved), f"{key}: the two runs kept different values {moved}"
                kept = moved[0] if moved else None
                verdicts[index, start + slot] = kept
    return verdicts


def test_the_alphabet_exercises_both_verdicts(streamlit_verdicts):
    """Guard against a vacuous oracle: Streamlit keeps some values and drops others."""
    for index, setting in enumerate(representative_settings()):
        kept = [v for (i, _), v in streamlit_verdicts.items() if i == index and v is not None]
        dropped = [v for (i, _), v in streamlit_verdicts.items() if i == index and v is None]
        assert kept and dropped, setting


def test_resolve_query_accepts_exactly_what_streamlit_keeps(streamlit_verdicts):
    cases = all_cases()
    disagreements = []
    for index, setting in enumerate(representative_settings()):
        for case_index, values in enumerate(cases):
            kept = streamlit_verdicts[index, case_index]
            try:
                ours = resolve_query(setting, values)
            except ValueError:
                ours = None
            if not _same(ours, kept):
                disagreements.append((setting.key, setting.kind, values[:3], kept, ours))
    assert not disagreements, "\n".join(
        f"{key} ({kind}) {values!r:.80}: streamlit kept {kept!r}, we resolved {ours!r}"
        for key, kind, values, kept, ours in disagreements
    )


def test_check_query_is_silent_exactly_when_streamlit_uses_the_url(streamlit_verdicts):
    """A kept value equal to the default is still "kept": the other run shows it."""
    cases = all_cases()
    disagreements = []
    for index, setting in enumerate(representative_settings()):
        for case_index, values in enumerate(cases):
            kept = streamlit_verdicts[index, case_index]
            note = check_query(setting, values)
            if (kept is None) != (note is not None):
                disagreements.append((setting.key, values[:3], kept, note))
    assert not disagreements, "\n".join(f"{d!r:.240}" for d in disagreements)

"""URL fuzzing: every page, random query strings, never an exception, every ignored value named.

Hypothesis draws query strings from the keys of every setting in explorer/settings/specs.py and
unknown keys, with values from a hostile alphabet (huge and tiny numbers, nan, inf, empty,
unicode digits, markup, path fragments, ISO dates, very long values), valid values, random
text, and repeated keys. For each page (the navigation's table, so new pages are covered):

- the script never raises (``not at.exception``);
- every URL-bound widget whose URL value Streamlit did not use is named in a visible
  warning, and a widget that did take its URL value shows exactly that value and is not
  reported as ignored.

The number of query strings and URL values tried per page is printed at the end of the
file's run (``FUZZ_EXAMPLES`` sets the examples per page; CI uses the default).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.settings import specs
from explorer.settings.query import check_query, read_link_value, resolve_query
from explorer.settings.setting import Setting
from tests.app.page_probe import (
    PAGES,
    REPEATED_VALUES,
    SINGLE_VALUES,
    bound_widgets,
    exceptions,
    named_in_warning,
    open_page,
    warnings_text,
)
from tests.app.test_state_consistency import _all_settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
#: Query strings and URL values tried per page (reported by the last test).
TRIED: Counter = Counter()
VALUES_TRIED: Counter = Counter()
REJECTED: Counter = Counter()

SETTINGS = _all_settings(specs)
KNOWN_KEYS = sorted({setting.key for setting in SETTINGS})
UNKNOWN_KEYS = ["", "K", "k ", " k", "z10", "w3_0", "page", "embed", "x" * 300, "<b>", "../k",
                "k%00", "__proto__", "constructor", "_url_notes", "reset"]


def _valid_value(setting: Setting) -> st.SearchStrategy[str]:
    """A value the setting accepts, written as a link would write it (ends included)."""
    if setting.kind == "toggle":
        return st.sampled_from(["true", "false"])
    if setting.kind in ("select", "segmented"):
        return st.sampled_from([setting.format_option(option) for option in setting.options])
    low, high = setting.min_value, setting.max_value
    if setting.kind == "int":
        return st.one_of(st.sampled_from([low, high]), st.integers(int(low), int(high))).map(
            lambda v: str(int(v)))
    return st.one_of(st.sampled_from([low, high]), st.floats(low, high)).map(lambda v: f"{v:g}")


def _values_for(key: str) -> st.SearchStrategy[str]:
    candidates = [setting for setting in SETTINGS if setting.key == key]
    strategies = [st.sampled_from(SINGLE_VALUES), st.text(max_size=30)]
    strategies += [_valid_value(setting) for setting in candidates]
    return st.one_of(*strategies)


@st.composite
def queries(draw) -> dict[str, list[str]]:
    query: dict[str, list[str]] = {}
    for _ in range(draw(st.integers(0, 8))):
        key = draw(st.one_of(st.sampled_from(KNOWN_KEYS), st.sampled_from(KNOWN_KEYS),
                             st.sampled_from(UNKNOWN_KEYS), st.text(max_size=6)))
        shape = draw(st.sampled_from(["one", "one", "one", "many", "fixed"]))
        if shape == "fixed":
            values = draw(st.sampled_from(REPEATED_VALUES))
        else:
            count = 1 if shape == "one" else draw(st.integers(2, 4))
            values = [draw(_values_for(key)) for _ in range(count)]
        query[key] = values
    return query


def check_page(script: str, query: dict[str, list[str]]) -> None:
    at = open_page(script, query)
    assert not at.exception, f"{script} with {query!r}:\n" + "\n".join(exceptions(at))
    TRIED[script] += 1
    VALUES_TRIED[script] += sum(len(values) for values in query.values())
    for key, bound in bound_widgets(at).items():
        values = query.get(key)
        if values is None:
            continue
        context = f"{script} ?{key}={values!r:.120} (whole query {query!r:.300})"
        if bound.live:
            # A live view reads numbers in any spelling and notes a fractional class.
            expected, note = read_link_value(bound.setting, values)
            REJECTED[script] += note is not None
            assert bound.shows(expected), f"not used as read: {context}: {bound.value!r}"
            assert named_in_warning(at, key) is (note is not None), (
                f"note {note!r} vs warning: {context}\n{warnings_text(at)}")
            continue
        ignored = check_query(bound.setting, values) is not None
        if ignored:
            REJECTED[script] += 1
            assert named_in_warning(at, key), f"not reported: {context}\n{warnings_text(at)}"
            assert not bound.moved, f"reported as ignored but used: {context} -> {bound.value}"
        else:
            expected = resolve_query(bound.setting, values)
            assert bound.shows(expected), (
                f"URL value not shown: {context}: widget shows {bound.value!r}"
            )
            assert not named_in_warning(at, key), f"used but reported: {context}"


@pytest.mark.parametrize("script", PAGES)
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(query=queries())
def test_random_query_strings_never_crash_and_ignored_values_are_named(script, query):
    check_page(script, query)


def _other_value(bound) -> str:
    """A valid, non-default value of a bound widget, as the URL writes it."""
    setting = bound.setting
    if setting.kind == "toggle":
        return "false" if setting.default else "true"
    if setting.options:
        return setting.format_option(
            next(option for option in reversed(setting.options) if option != setting.default))
    end = setting.max_value if setting.default != setting.max_value else setting.min_value
    return setting.format_option(int(end) if setting.kind == "int" else float(end))


#: Empty and repeated values, where each kind of widget reads the URL its own way.
EDGE_CASES = [
    lambda other: [""], lambda other: ["", ""], lambda other: ["", other],
    lambda other: [other, ""], lambda other: ["bogus", other], lambda other: [other, "bogus"],
    lambda other: [other, other],
]


@pytest.mark.parametrize("script", PAGES)
def test_every_hostile_value_on_every_bound_key(script):
    """Deterministic sweep: each hostile value once, spread over the page's own keys; then
    every key at once with empty and repeated values."""
    bound = bound_widgets(open_page(script))
    keys = sorted(bound)
    if not keys:
        pytest.skip(f"{script} has no URL-bound widgets")
    values = SINGLE_VALUES + REPEATED_VALUES
    per_run = len(keys)
    for start in range(0, len(values), per_run):
        chunk = values[start:start + per_run]
        query = {key: value if isinstance(value, list) else [value]
                 for key, value in zip(keys, chunk, strict=False)}
        check_page(script, query)
    for edge in EDGE_CASES:
        check_page(script, {key: edge(_other_value(bound[key])) for key in keys})


def test_zz_report_hostile_inputs_per_page(capsys):
    """Print how many query strings and URL values each page survived (for the closing note)."""
    if not TRIED:
        pytest.skip("run with the fuzz tests to get the numbers")
    lines = [f"{script}: {TRIED[script]} query strings, {VALUES_TRIED[script]} URL values, "
             f"{REJECTED[script]} ignored values reported" for script in PAGES]
    with capsys.disabled():
        print("\nURL fuzz, hostile inputs per page:")
        for line in lines:
            print("  " + line)
    assert all(TRIED[script] > 0 for script in PAGES), lines

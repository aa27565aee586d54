"""Settings read from the URL: good values, hostile values, and the notes shown for ignored ones.

What Streamlit itself keeps is checked in tests/app/test_state_consistency.py; here the
rules are pinned one by one, and the notes are checked to be safe Markdown: whatever a
link carries is shown cut to ``MAX_QUOTED`` characters inside a code span, never rendered.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.datasets import DATASETS, make_dataset
from explorer.markdown_text import MAX_QUOTED
from explorer.optim import OPTIMIZERS, train
from explorer.settings import specs
from explorer.settings.query import check_query, resolve_query
from explorer.settings.setting import Setting, log_stops
from explorer.settings.specs import (
    DATASET,
    LEARNING_RATE,
    OVERFLOW_DEMO,
    SOFTMAX_K,
    SOFTMAX_LOGITS,
    SOFTMAX_TARGET,
    TEMPERATURE,
)

Z0 = SOFTMAX_LOGITS[0]  # slider, -10..10
K = SOFTMAX_K  # int, 2..10
SEGMENTED = dataclasses.replace(DATASET, kind="segmented")  # shown as a segmented control

# ----------------------------------------------------------------------------------------
# A CommonMark code-span reader, written from the spec (section 6.1), independent of
# explorer/markdown_text.py


def split_code_spans(markdown: str) -> tuple[str, list[str]]:
    """(text outside code spans, contents of the code spans) of one line of Markdown.

    A run of n backticks opens a span closed by the next run of exactly n backticks; the
    content has one leading and one trailing space removed when both are present.
    """
    outside, spans, position = [], [], 0
    while position < len(markdown):
        opening = re.compile(r"`+").search(markdown, position)
        if not opening:
            outside.append(markdown[position:])
            break
        outside.append(markdown[position:opening.start()])
        fence = opening.group()
        closing = None
        for candidate in re.compile(r"`+").finditer(markdown, opening.end()):
            if candidate.group() == fence:
                closing = candidate
                break
        if closing is None:  # an unmatched run is literal text
            outside.append(fence)
            position = opening.end()
            continue
        content = markdown[opening.end():closing.start()]
        if len(content) > 1 and content.startswith(" ") and content.endswith(" ") \
                and content.strip(" "):
            content = content[1:-1]
        spans.append(content)
        position = closing.end()
    return "".join(outside), spans


def test_the_code_span_reader_follows_commonmark():
    assert split_code_spans("a `b` c") == ("a  c", ["b"])
    assert split_code_spans("``a ` b`` c") == (" c", ["a ` b"])
    assert split_code_spans("`` `a` ``") == ("", ["`a`"])
    assert split_code_spans("`a") == ("`a", [])


#: Characters that change how Markdown (or Streamlit's extensions) renders text.
MARKUP = set("<>[]!*_$:\\|~#&`")

# ----------------------------------------------------------------------------------------
# parse: good values


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", 0.0), ("-3.5", -3.5), ("+2", 2.0), ("1e1", 10.0), ("-10", -10.0), (".5", 0.5),
        ("  7 ", 7.0), ("\t-1\n", -1.0), ("1_0", 10.0), ("-0", 0.0),
        ("٣", 3.0), ("３", 3.0), ("\u0663.\u0665", 3.5),  # Arabic-Indic and full-width digits
        ("1e-400", 0.0), ("5e-324", 5e-324),  # underflow to (almost) zero is a number
        ("1970-01-01T00:00:00.000003", 3.0), ("1970-01-01", 0.0),  # Streamlit's ISO reading
    ],
)
def test_slider_reads_numbers_like_pythons_float(raw, expected):
    value = Z0.parse(raw)
    assert type(value) is float and value == expected


@pytest.mark.parametrize(("raw", "expected"), [("2", 2), ("10", 10), ("3.0", 3), ("2.5", 2),
                                               ("9.99", 9), ("٥", 5), ("4e0", 4)])
def test_int_setting_keeps_the_integer_part_like_streamlit(raw, expected):
    value = K.parse(raw)
    assert type(value) is int and value == expected


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("false", False),
                                               ("TRUE", True), ("False", False)])
def test_toggle_reads_true_and_false_in_any_case(raw, expected):
    assert OVERFLOW_DEMO.parse(raw) is expected


def test_select_reads_each_option_as_written():
    for setting in (TEMPERATURE, LEARNING_RATE, DATASET):
        for option in setting.options:
            assert setting.parse(setting.format_option(option)) == option
    assert TEMPERATURE.parse("0.5") == 0.5 and LEARNING_RATE.parse("0.0001") == 1e-4


# ----------------------------------------------------------------------------------------
# parse: hostile values


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("nan", "not a finite number"), ("-NaN", "not a finite number"),
        ("inf", "not a finite number"), ("-Infinity", "not a finite number"),
        ("1e400", "not a finite number"), ("9" * 400, "not a finite number"),
        ("1e308", r"outside the range -10\.\.10"), ("-10.0001", "outside the range"),
        ("10.000000001", "outside the range"),
        ("", "not a number"), (" ", "not a number"), ("abc", "not a number"),
        ("0x10", "not a number"), ("1,5", "not a number"), ("1 000", "not a number"),
        ("²", "not a number"), ("Ⅻ", "not a number"), ("3\u200b", "not a number"),
        ("\u202e3", "not a number"), ("<b>1</b>", "not a number"),
        ("../../etc/passwd", "not a number"), ("%00", "not a number"), ("\x00", "not a number"),
        ("1970-01-01T00:00:00+01:00", "not a number"), ("00:00", "outside the range"),
        ("a" * 10_000, "not a number"),
    ],
)
def test_slider_rejects_hostile_values_with_a_reason(raw, reason):
    with pytest.raises(ValueError, match=reason):
        Z0.parse(raw)


@pytest.mark.parametrize("raw", ["1.5", "1", "11", "10.5", "-2", "nan", "", "k"])
def test_int_setting_rejects_out_of_range_and_non_numbers(raw):
    with pytest.raises(ValueError, match=r"outside the range 2\.\.10|not a"):
        K.parse(raw)


@pytest.mark.parametrize("raw", [" true", "true ", "1", "0", "yes", "on", "", "ｔｒｕｅ", "tru"])
def test_toggle_rejects_everything_else(raw):
    with pytest.raises(ValueError, match="expected true or false"):
        OVERFLOW_DEMO.parse(raw)


@pytest.mark.parametrize("raw", ["0.50", "0.5 ", "5e-1", ".5", "1.0", "", "nan", "<i>1</i>"])
def test_select_rejects_other_spellings_of_an_option(raw):
    with pytest.raises(ValueError, match="expected one of"):
        TEMPERATURE.parse(raw)


@pytest.mark.parametrize("raw", ["Blobs", " blobs", "blobs\n", "custom/../x", "", "<script>"])
def test_select_box_options_are_case_and_space_exact(raw):
    with pytest.raises(ValueError, match="expected one of blobs, spiral"):
        DATASET.parse(raw)


def test_long_option_lists_are_shortened_in_the_reason():
    with pytest.raises(ValueError) as error:
        LEARNING_RATE.parse("zzz")
    listed = str(error.value).removeprefix("expected one of ").split(", ")
    assert len(listed) < len(LEARNING_RATE.options) and "…" in listed
    assert listed[0] == "0.0001" and listed[-1] == "10"


def test_dynamic_range_rejects_what_the_narrower_widget_rejects():
    target = SOFTMAX_TARGET.with_range(max_value=3)  # K = 4 classes
    assert target.parse("3") == 3
    with pytest.raises(ValueError, match=r"outside the range 0\.\.3"):
        target.parse("4")


# ----------------------------------------------------------------------------------------
# Repeated keys


@pytest.mark.parametrize(
    ("setting", "values", "expected"),
    [
        (OVERFLOW_DEMO, ["false", "true"], True),  # a toggle reads the last value
        (OVERFLOW_DEMO, ["x", "true"], True),
        (DATASET, ["bogus", "xor"], "xor"),  # so does a select box
        (DATASET, ["", "spiral"], "spiral"),
        (Z0, ["", "3"], 3.0),  # a slider drops empty values and needs exactly one left
        (Z0, ["3", "", ""], 3.0),
        (TEMPERATURE, ["", "0.5"], 0.5),
        (SEGMENTED, ["xor", "bogus"], "xor"),  # a segmented control reads the first value
        (SEGMENTED, ["", "spiral", "xor"], "spiral"),
    ],
)
def test_repeated_keys_resolve_like_streamlit(setting, values, expected):
    assert resolve_query(setting, values) == expected
    assert check_query(setting, values) is None


@pytest.mark.parametrize(
    ("setting", "values", "reason"),
    [
        (OVERFLOW_DEMO, ["true", "x"], "expected true or false"),
        (DATASET, ["xor", "bogus"], "expected one of"),
        (Z0, ["1", "2"], "one value expected, got 2"),
        (TEMPERATURE, ["0.5", "0.5"], "one value expected, got 2"),
        (K, ["", ""], "empty"),
        (K, ["3"] * 50, "one value expected, got 50"),
        (SEGMENTED, ["bogus", "xor"], "expected one of"),
        (SEGMENTED, ["", ""], "empty"),
    ],
)
def test_repeated_keys_that_streamlit_drops_get_a_note(setting, values, reason):
    with pytest.raises(ValueError, match=reason):
        resolve_query(setting, values)
    note = check_query(setting, values)
    assert f"`{setting.key}`" in note and f"given {len(values)} times" in note
    assert reason in note and "using the default" in note


# ----------------------------------------------------------------------------------------
# Notes


def test_no_note_when_the_parameter_is_absent_or_used():
    assert check_query(Z0, []) is None
    assert check_query(Z0, ["-2.5"]) is None
    assert check_query(Z0, [Z0.format_option(Z0.default)]) is None


def test_a_note_names_the_key_the_value_the_reason_and_the_default():
    note = check_query(K, ["12"])
    outside, spans = split_code_spans(note)
    assert spans == ["k", "'12'"]
    assert "outside the range 2..10" in outside and outside.endswith(
        f"using the default {K.default}."
    )




@settings(max_examples=300, deadline=None)
@given(raw=st.text(min_size=0, max_size=200))
def test_any_rejected_value_is_cut_and_shown_only_inside_a_code_span(raw):
    note = check_query(DATASET, [raw])
    if note is None:
        assert raw in DATASET.options
        return
    outside, spans = split_code_spans(note)
    assert spans[0] == "dataset"
    shown = raw if len(raw) <= MAX_QUOTED else raw[:MAX_QUOTED] + "…"
    assert spans[1] == repr(shown)  # the value, cut, as a Python literal: no raw newlines
    assert not MARKUP & set(outside), outside


@pytest.mark.parametrize(
    "raw",
    [
        "[click me](https://evil.example/login)", "![x](https://evil.example/p.png)",
        "<img src=x onerror=alert(1)>", "`code` then [link](http://x)", "```", "`` ` ``",
        "$\\frac{1}{0}$", ":red[ALERT]", ":material/warning:", "**bold** _it_",
        "line\nbreak\n# heading", "\u202egnp.exe", "a" * 39 + "`" + "b" * 100,
    ],
)
def test_markup_in_a_value_stays_inert(raw):
    note = check_query(K, [raw])
    outside, spans = split_code_spans(note)
    assert len(spans) == 2 and spans[1].startswith(("'", '"'))
    assert "evil" not in outside and "<" not in outside and "\n" not in note
    assert not {"[", "]", "!", "$", "*", "_", "#", "<", ">"} & set(outside)


def test_a_pasted_essay_is_not_echoed():
    raw = "x" * MAX_QUOTED + "SECRET" + "y" * 5000
    note = check_query(Z0, [raw])
    assert "x" * MAX_QUOTED + "…" in note
    assert "SECRET" not in note and "y" not in note.split("was ignored")[0]
    assert len(note) < 200


def test_notes_never_quote_more_than_max_quoted_characters_of_the_value():
    for raw in ["9" * 400, "<" * 1000, "\n" * 100, "€" * 500]:
        for setting in (Z0, K, OVERFLOW_DEMO, DATASET, TEMPERATURE):
            note = check_query(setting, [raw])
            assert note is not None
            echoed = split_code_spans(note)[1][1]
            assert len(ast.literal_eval(echoed)) <= MAX_QUOTED + 1  # the cut value and "…"


# ----------------------------------------------------------------------------------------
# log_stops


@pytest.mark.parametrize(("low", "high"), [(1e-4, 10.0), (1.0, 1.0), (0.3, 0.4), (2, 3000),
                                           (1e-300, 1e-297), (1e300, 1e308), (1e-307, 1e-305)])
def test_log_stops_are_readable_sorted_and_within_range(low, high):
    stops = log_stops(low, high)
    assert stops and list(stops) == sorted(set(stops))
    assert all(low <= stop <= high for stop in stops)
    for stop in stops:  # a readable mantissa: 1, 1.5, 2, 3, 5 or 7 times a power of ten
        mantissa = f"{stop:e}".split("e")[0].rstrip("0").rstrip(".")
        assert mantissa in {"1", "1.5", "2", "3", "5", "7"}, stop
    for a, b in itertools.pairwise(stops):  # no decade is skipped
        assert b / a <= 2.0 + 1e-12


def test_log_stops_include_round_endpoints_and_every_nice_value_between():
    stops = log_stops(1e-4, 10.0)
    assert stops[0] == 1e-4 and stops[-1] == 10.0
    assert len(stops) == 5 * 6 + 1  # five decades of six stops, plus 10
    assert {0.001, 0.0015, 0.5, 0.7, 7.0} <= set(stops)


@pytest.mark.parametrize(("low", "high"), [(0, 1), (-1, 1), (2, 1), (math.nan, 1),
                                           (1, math.nan), (1, math.inf), (math.inf, math.inf)])
def test_log_stops_reject_bad_ranges(low, high):
    with pytest.raises(ValueError, match="log_stops needs"):
        log_stops(low, high)


def test_every_numeric_setting_has_a_default_it_would_accept_from_the_url():
    from tests.app.test_state_consistency import _all_settings

    for setting in _all_settings():
        assert isinstance(setting, Setting)
        assert resolve_query(setting, [setting.format_option(setting.default)]) == setting.default


# ----------------------------------------------------------------------------------------
# Name lists have one home: the library that runs them


def test_the_dataset_and_optimizer_controls_offer_exactly_what_the_library_runs():
    assert specs.DATASET.options == (*DATASETS, "custom")
    assert specs.OPTIMIZER.options == specs.OPTIMIZER_B.options == OPTIMIZERS
    for name in specs.DATASET.options[:-1]:
        X, y = make_dataset(name, 20, classes=2, seed=0)
        assert X.shape == (20, 2) and y.shape == (20,)
    X, y = make_dataset("blobs", 20, classes=2, seed=0)
    for name in specs.OPTIMIZER.options:
        run = train(X, y, np.zeros((2, 2)), np.zeros(2), optimizer=name, lr=0.1, steps=2)
        assert run.steps == 2

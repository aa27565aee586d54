"""Guided lessons in AppTest: every lesson walked through every step with Next (the controls
take the step's values, the reveal shows the step's numbers), Previous, links to a step,
bad step values, and a broken lesson file that only its own lesson reports."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explorer.guided import lesson_file
from explorer.guided.lesson_file import load_lessons
from explorer.guided.quantities import MEASURED, quantities
from explorer.guided.template import render
from explorer.pages import guided, live
from explorer.pages.lessons import LESSONS
from tests.app import page_probe

CATALOG = load_lessons()
SCRIPTS = {page.url_path: page.script for page in LESSONS}
#: The AppTest element lists a page's controls can be in.
CONTROL_KINDS = ("slider", "select_slider", "toggle", "selectbox", "button_group")


def open_lesson(lesson_id: str, page: str, **query: str) -> AppTest:
    at = page_probe.open_page(SCRIPTS[page], {"lesson": [lesson_id], **{
        key: [value] for key, value in query.items()}}, timeout=120)
    assert not at.exception, at.exception
    return at


def control_value(at: AppTest, key: str, page: str | None = None):
    """The value of the control ``key`` (on ``page``) as drawn, or KeyError when it is not
    drawn.

    A live view's control is read from the checked state the page sends its component.
    """
    view = live.owner(key, page)
    if view is not None:
        return at.session_state[view.values_key][key]
    for kind in CONTROL_KINDS:
        try:
            return getattr(at, kind)(key=key).value
        except KeyError:
            continue
    raise KeyError(key)


def sync_live(at: AppTest, **changes) -> None:
    """Move live controls as the browser does: its debounced state sync, then a rerun."""
    view = live.owner(next(iter(changes)))
    values = {**at.session_state[view.values_key], **changes}
    at.session_state[view.component_key] = {"state": view.to_browser(values)}
    at.run()
    assert not at.exception, at.exception


def panel_text(at: AppTest) -> str:
    return "\n".join(item.value for item in at.markdown)


def expected_reveal(lesson, number: int) -> str | re.Pattern:
    """The reveal for the step's own settings; a measured number (a timing) is any number."""
    step = lesson.steps[number - 1]
    now = quantities(lesson.page, lesson.states[number])
    before = quantities(lesson.page, lesson.states[number - 1])
    if not any(name in step.reveal for name in MEASURED):
        return render(step.reveal, now, before)
    pieces = re.split(r"(\{[^{}]*\})", step.reveal)
    pattern = ""
    for piece in pieces:
        if piece.startswith("{") and any(name in piece for name in MEASURED):
            pattern += r"[-+0-9.e]+"
        else:
            pattern += re.escape(render(piece, now, before))
    return re.compile(pattern)


def assert_step_shown(at: AppTest, lesson, number: int) -> None:
    assert not at.exception, at.exception
    step = lesson.steps[number - 1]
    text = panel_text(at)
    assert f"step {number} of {len(lesson)}" in text and step.title in text
    assert at.query_params.get("step", "1") == str(number)
    checked = set()
    for key, value in lesson.states[number].items():
        try:
            shown = control_value(at, key, lesson.page)
        except KeyError:
            continue  # not drawn on this page state (a logit beyond K, a hidden panel)
        if key == "at":
            continue  # the page keeps the inspected step on the last step taken
        assert shown == value, (lesson.id, number, key, shown, value)
        checked.add(key)
    assert set(step.controls) <= checked, "every control the step sets is drawn"


@pytest.mark.parametrize("lesson_id", sorted(CATALOG.lessons))
def test_walk_every_step_with_next_and_reveal(lesson_id):
    lesson = CATALOG.lessons[lesson_id]
    at = open_lesson(lesson_id, lesson.page)
    for number in range(1, len(lesson) + 1):
        assert_step_shown(at, lesson, number)
        step = lesson.steps[number - 1]
        assert at.button(key="lesson_reveal").disabled  # no reveal before a prediction
        at.radio(key=guided.answer_key(lesson, number)).set_value(step.answer).run()
        at.button(key="lesson_reveal").click().run()
        assert not at.exception, at.exception
        text = panel_text(at)
        assert f"**Right:** {step.choices[step.answer]}." in text
        expected = expected_reveal(lesson, number)
        if isinstance(expected, str):
            assert expected in text, (number, expected)
        else:
            assert expected.search(text), (number, expected.pattern)
        if number < len(lesson):
            at.button(key="lesson_next").click().run()
    assert at.button(key="lesson_next").disabled


def test_a_wrong_prediction_is_told_the_right_answer():
    lesson = CATALOG.lessons["jacobian"]
    at = open_lesson("jacobian", "softmax")
    step = lesson.steps[0]
    wrong = (step.answer + 1) % len(step.choices)
    at.radio(key=guided.answer_key(lesson, 1)).set_value(wrong).run()
    at.button(key="lesson_reveal").click().run()
    assert f"**Not quite.** The answer is: {step.choices[step.answer]}." in panel_text(at)
    # Changing the prediction after the reveal does not turn it into a right one.
    at.radio(key=guided.answer_key(lesson, 1)).set_value(step.answer).run()
    assert "**Not quite.**" in panel_text(at) and "**Right:**" not in panel_text(at)


def test_the_reveal_reads_the_controls_as_the_learner_left_them():
    lesson = CATALOG.lessons["temperature"]
    at = open_lesson("temperature", "softmax", step="3")  # T: 1 -> 0.5
    sync_live(at, t=2.0)  # the learner tries T = 2 instead
    step = lesson.steps[2]
    at.radio(key=guided.answer_key(lesson, 3)).set_value(step.answer).run()
    at.button(key="lesson_reveal").click().run()
    z = np.array([2.0, 1.0, 0.1, -1.0])
    p_before, p_now = (np.exp(z / t) / np.exp(z / t).sum() for t in (1.0, 2.0))
    assert f"p₀ rose from {p_before[0]:.2f} to {p_now[0]:.2f}" in panel_text(at)


def test_previous_goes_back_and_sets_the_earlier_controls():
    lesson = CATALOG.lessons["temperature"]
    at = open_lesson("temperature", "softmax", step="3")
    assert_step_shown(at, lesson, 3)
    at.button(key="lesson_previous").click().run()
    assert_step_shown(at, lesson, 2)
    assert at.query_params["step"] == "2" and at.query_params["z0"] == "7"


def test_a_link_to_a_step_keeps_the_values_it_carries():
    at = open_lesson("temperature", "softmax", step="3", z0="5")
    assert control_value(at, "z0") == 5.0  # the learner's value from the link
    assert control_value(at, "t") == 0.5  # the step's value


@pytest.mark.parametrize("raw", ["99", "0", "two", "2.5.1", ""])
def test_a_bad_step_gets_a_note_and_the_first_step(raw):
    lesson = CATALOG.lessons["jacobian"]
    at = open_lesson("jacobian", "softmax", step=raw)
    assert_step_shown(at, lesson, 1)
    notes = "\n".join(warning.value for warning in at.warning)
    assert "Lesson step:" in notes and "`step`" in notes and "using the default 1" in notes


def test_an_unknown_lesson_and_a_lesson_of_another_page_are_explained():
    at = open_lesson("nosuch", "softmax")
    assert "There is no lesson" in "\n".join(w.value for w in at.warning)
    at = open_lesson("descent", "softmax")
    assert "runs on the /training page" in "\n".join(w.value for w in at.warning)
    assert not at.get("radio")


def test_exit_leaves_the_lesson_and_keeps_the_controls():
    at = open_lesson("temperature", "softmax", step="3")
    at.button(key="lesson_exit").click().run()
    assert not at.exception
    assert "lesson" not in at.query_params and "step" not in at.query_params
    assert not at.get("radio") and control_value(at, "t") == 0.5


def test_home_lists_every_lesson_with_a_link_to_its_page():
    at = page_probe.open_page(page_probe.HOME, {}, timeout=60)
    assert not at.exception
    links = {link.proto.page: link for link in at.get("page_link")}
    texts = panel_text(at)
    for lesson in CATALOG.lessons.values():
        assert f"**{lesson.title}**" in texts
    starts = [link for link in at.get("page_link") if link.proto.label == "Start the lesson"]
    assert len(starts) == len(CATALOG.lessons)
    assert links


@pytest.fixture
def broken_lesson_folder(tmp_path, monkeypatch):
    """The shipped lessons plus one broken file, as the app's lesson folder."""
    for path in lesson_file.LESSON_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    broken = (tmp_path / "temperature.toml").read_text(encoding="utf-8").replace(
        "t = 0.5", "t = 0.33", 1)
    (tmp_path / "temperature.toml").write_text(broken, encoding="utf-8")
    monkeypatch.setattr(lesson_file, "LESSON_DIR", tmp_path)
    guided.lesson_catalog.clear()
    yield tmp_path
    guided.lesson_catalog.clear()


def test_a_broken_lesson_file_is_reported_for_that_lesson_only(broken_lesson_folder):
    at = open_lesson("temperature", "softmax")
    errors = "\n".join(error.value for error in at.error)
    assert "temperature.toml" in errors and "step 3" in errors and "controls.t" in errors
    assert control_value(at, "z0") == 2.0  # the page itself still works
    at = open_lesson("jacobian", "softmax")
    assert not at.error and "step 1 of" in panel_text(at)
    home = page_probe.open_page(page_probe.HOME, {}, timeout=60)
    assert "temperature.toml" in "\n".join(error.value for error in home.error)

"""Lesson files: every shipped lesson loads; every kind of mistake is named precisely."""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import pytest

from explorer.guided.lesson_file import (
    LESSON_DIR,
    MAX_STEPS,
    MIN_STEPS,
    PRESET_CHOICES,
    LessonError,
    load_lesson,
    load_lessons,
    parse_lesson,
)
from explorer.guided.page_settings import PAGE_SETTINGS, defaults
from explorer.guided.quantities import quantities
from explorer.guided.template import render
from explorer.settings import specs
from tests.support.live import REPO

SHIPPED = sorted(LESSON_DIR.glob("*.toml"))
#: The lessons the issue asks for, by id.
REQUIRED = {"temperature", "jacobian", "stable", "weights", "gradcheck", "descent"}


def a_step(**changes):
    step = {
        "title": "Lower the temperature",
        "controls": {"t": 0.5},
        "look": "Watch the largest bar.",
        "question": "What does p₀ do?",
        "choices": "direction",
        "answer": 1,
        "reveal": "p₀ went from {before.p[0]:.2f} to {p[0]:.2f}.",
    }
    step.update(changes)
    return step


def a_lesson(steps=None, **changes):
    raw = {
        "id": "sample",
        "title": "A sample",
        "page": "softmax",
        "summary": "One line.",
        "steps": steps if steps is not None else [a_step() for _ in range(MIN_STEPS)],
    }
    raw.update(changes)
    return raw


def error_of(raw, file="sample.toml") -> LessonError:
    with pytest.raises(LessonError) as caught:
        parse_lesson(raw, file)
    return caught.value


# ----------------------------------------------------------------------------------------
# The shipped lessons


def test_the_required_lessons_are_shipped_in_course_order():
    assert {path.stem for path in SHIPPED} >= REQUIRED
    assert list(load_lessons().lessons)[:6] == [
        "temperature", "jacobian", "stable", "weights", "gradcheck", "descent"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_every_shipped_lesson_loads_and_every_reveal_renders(path):
    lesson = load_lesson(path)
    assert lesson.id == path.stem
    assert MIN_STEPS <= len(lesson) <= MAX_STEPS
    specs = {setting.key: setting for setting in PAGE_SETTINGS[lesson.page]}
    for number, step in enumerate(lesson.steps, start=1):
        assert 0 <= step.answer < len(step.choices)
        assert step.look.count(".") >= 1 and len(step.look) < 600, step.title
        # Every value of every state is one the page's own Setting accepts.
        for key, value in lesson.states[number].items():
            spec = specs[key]
            if spec.kind in ("select", "segmented"):
                assert value in spec.options
            elif spec.kind != "toggle":
                assert spec.min_value <= value <= spec.max_value
        text = render(step.reveal, quantities(lesson.page, lesson.states[number]),
                      quantities(lesson.page, lesson.states[number - 1]))
        assert "{" not in text and "}" not in text


def test_load_lessons_reports_a_broken_file_and_keeps_the_others(tmp_path):
    good = SHIPPED[0]
    (tmp_path / good.name).write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.toml").write_text('id = "broken"\ntitle = = 3\n', encoding="utf-8")
    catalog = load_lessons(tmp_path)
    assert list(catalog.lessons) == [good.stem]
    error = catalog.errors["broken"]
    assert error.file == "broken.toml" and error.step is None
    assert "not valid TOML" in str(error) and "line 2" in str(error)


def test_states_accumulate_the_steps_from_the_page_defaults():
    steps = [a_step(controls={"t": 0.5}), a_step(controls={"z0": 3.0}),
             a_step(controls={"k": 3, "y": 2}), a_step(controls={}), a_step(controls={"t": 2})]
    lesson = parse_lesson(a_lesson(steps), "sample.toml")
    expected = defaults("softmax")
    assert lesson.states[0] == expected
    for number, step in enumerate(steps, start=1):
        expected = {**expected, **{key: float(value) if key in ("t", "z0") else value
                                   for key, value in step["controls"].items()}}
        assert lesson.states[number] == expected
    assert lesson.changes(3) == {"t": 0.5, "z0": 3.0, "k": 3, "y": 2}


def test_a_preset_gives_its_choices_and_the_answer_is_zero_based():
    lesson = parse_lesson(a_lesson([a_step(choices="sign", answer=3)] * 5), "sample.toml")
    assert lesson.steps[0].choices == PRESET_CHOICES["sign"]
    assert lesson.steps[0].answer == 2


# ----------------------------------------------------------------------------------------
# Every kind of mistake, named by file, step and field


def with_step(number: int, **changes):
    steps = [a_step() for _ in range(MIN_STEPS)]
    steps[number - 1] = a_step(**changes)
    return a_lesson(steps)


def without(number: int, name: str):
    raw = with_step(number)
    del raw["steps"][number - 1][name]
    return raw


CASES = [
    # (lesson, step, field, words of the reason)
    (a_lesson(author="me"), None, "author", "unknown key"),
    (with_step(2, hint="psst"), 2, "hint", "unknown key"),
    (with_step(3, controls={"temperature": 2}), 3, "controls.temperature",
     "unknown setting for /softmax"),
    (with_step(1, controls={"t": 0.33}), 1, "controls.t", "expected one of"),
    (with_step(1, controls={"t": 3.0}), None, None, None),  # 3.0 is the URL's 3: accepted
    (with_step(4, controls={"z0": 11}), 4, "controls.z0", "outside the range -10..10"),
    (with_step(2, controls={"k": 1}), 2, "controls.k", "outside the range 2..10"),
    (with_step(2, controls={"big": "yes"}), 2, "controls.big", "expected true or false"),
    (with_step(2, controls={"z0": [1, 2]}), 2, "controls.z0", "got list"),
    (with_step(2, controls={"k": 3, "y": 3}), 2, "controls.y", "outside the range 0..2"),
    (a_lesson([a_step(controls={"y": 3}), a_step(controls={"k": 3}), *[a_step()] * 3]),
     2, "controls.y", "kept from an earlier step"),
    (with_step(5, answer=4), 5, "answer", "out of range: there are 3 answers"),
    (with_step(5, answer=0), 5, "answer", "out of range"),
    (with_step(5, answer=True), 5, "answer", "not a whole number"),
    (without(3, "answer"), 3, "answer", "missing"),
    (with_step(2, choices=["only one"]), 2, "choices", "1 answers; give 2 to 5"),
    (with_step(2, choices=["a", "a"]), 2, "choices", "the same"),
    (with_step(2, choices="colour"), 2, "choices", "not a preset"),
    (without(2, "choices"), 2, "choices", "missing"),
    (without(4, "look"), 4, "look", "missing text"),
    (with_step(4, question="  "), 4, "question", "non-empty text"),
    (without(1, "reveal"), 1, "reveal", "missing text"),
    (with_step(3, reveal="{q:.2f}"), 3, "reveal", "unknown quantity 'q'"),
    (with_step(3, reveal="{p.__class__}"), 3, "reveal", "not a quantity name"),
    (with_step(3, reveal="{p[7]:.2f}"), 3, "reveal", "out of range (length 4)"),
    (with_step(3, reveal="{p:.2f}"), 3, "reveal", "pick one with [index]"),
    (a_lesson([a_step()] * (MIN_STEPS - 1)), None, "steps", "4 steps; a lesson has 5 to 8"),
    (a_lesson([a_step()] * (MAX_STEPS + 1)), None, "steps", "9 steps"),
    (a_lesson(steps="one"), None, "steps", "[[steps]] table"),
    (a_lesson(page="nowhere"), None, "page", "not a page"),
    (a_lesson(id="other"), None, "id", "must equal the file name"),
    (a_lesson(id="Bad Name"), None, "id", "lower-case"),
    ({k: v for k, v in a_lesson().items() if k != "summary"}, None, "summary", "missing"),
    (a_lesson(title=""), None, "title", "non-empty text"),
    (a_lesson(order="first"), None, "order", "not a whole number"),
]


@pytest.mark.parametrize(("raw", "step", "field", "reason"), CASES)
def test_every_mistake_names_the_file_the_step_and_the_field(raw, step, field, reason):
    raw = copy.deepcopy(raw)
    if reason is None:
        parse_lesson(raw, "sample.toml")
        return
    error = error_of(raw)
    assert (error.file, error.step, error.field) == ("sample.toml", step, field)
    assert reason in error.reason
    message = str(error)
    assert message.startswith("sample.toml")
    if step is not None:
        assert f"step {step}" in message
    if field is not None:
        assert f"'{field}'" in message


def test_a_training_lesson_cannot_ask_for_the_learners_own_points():
    steps = [a_step(controls={"dataset": "custom"}, reveal="{final_loss:.2f}")]
    steps += [a_step(controls={}, reveal="{final_loss:.2f}") for _ in range(4)]
    error = error_of(a_lesson(steps, page="training"))
    assert (error.step, error.field) == (1, "controls.dataset")
    assert "learner's own points" in error.reason


def test_a_dataset_with_fixed_classes_rejects_another_count():
    steps = [a_step(controls={"dataset": "xor"}, reveal="{final_loss:.2f}")]
    steps += [a_step(controls={}, reveal="{final_loss:.2f}") for _ in range(4)]
    error = error_of(a_lesson(steps, page="training"))
    assert (error.step, error.field) == (1, "controls.classes")
    assert "kept from an earlier step" in error.reason


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(b"title = \"\xe9\"")
    with pytest.raises(LessonError, match=r"latin\.toml: cannot be read"):
        load_lesson(path)


# ----------------------------------------------------------------------------------------
# One fact, one home: the lesson's page settings are the page script's own SETTINGS


def _page_settings_names(script: Path) -> list[str]:
    """The ``specs.X`` names of the page script's ``SETTINGS = (...)`` tuple, in order."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "SETTINGS" for target in node.targets
        ):
            return [ast.unparse(element).lstrip("*") for element in node.value.elts]
    raise AssertionError(f"{script} has no SETTINGS")


@pytest.mark.parametrize("page", sorted(PAGE_SETTINGS))
def test_page_settings_are_the_page_scripts_settings(page):
    source = (REPO / "explorer" / "pages" / f"{page}_page.py").read_text(encoding="utf-8")
    if f'SETTINGS = PAGE_SETTINGS["{page}"]' in source:
        return  # the page reads its list from the one home
    names = _page_settings_names(REPO / "explorer" / "pages" / f"{page}_page.py")
    expected = []
    for name in names:
        value = eval(name, {"specs": specs})  # names like specs.WEIGHT_SLIDERS[0], from our code
        expected.extend(value if isinstance(value, tuple) else [value])
    assert PAGE_SETTINGS[page] == tuple(expected)


def test_the_lesson_docs_list_every_quantity_a_reveal_can_read():
    from explorer.guided.quantities import PAGES

    text = (REPO / "docs" / "lessons.md").read_text(encoding="utf-8")
    for page, (_, table) in PAGES.items():
        section = text[text.index(f"**/{page}**"):]
        for name in table:
            assert f"| `{name}` |" in section, (page, name)

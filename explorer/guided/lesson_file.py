"""Load and validate a lesson file (TOML): a short sequence of steps on one page.

The format is described, with a complete example, in docs/lessons.md. A broken file raises
:class:`LessonError` naming the file, the step and the field; :func:`load_lessons` collects
those errors per file so that one broken lesson never hides the others. Every control value
is checked with the page's own :meth:`explorer.settings.setting.Setting.parse`, and every
reveal text is rendered once with the step's numbers, so a lesson that loads can be walked through.
Pure Python: nothing here imports streamlit.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.guided.page_settings import (
    FOLLOWS_ITS_RANGE,
    PAGE_SETTINGS,
    UNAVAILABLE,
    bounded,
    defaults,
    settings_by_key,
    url_text,
)
from explorer.guided.quantities import quantities
from explorer.guided.template import TemplateError, render
from explorer.i18n import N_
from explorer.settings.setting import Setting

#: Where the lessons shipped with the explorer live.
LESSON_DIR = Path(__file__).parent / "lessons"
MIN_STEPS, MAX_STEPS = 5, 8
#: The URL key that names the lesson shown on a page (``?lesson=jacobian``).
LESSON_KEY = "lesson"
#: The lesson's step in the URL, 1-based; ``with_range`` gives it the lesson's length, and
#: its ``parse`` and :func:`explorer.settings.query.check_query` judge the URL value.
LESSON_STEP = Setting(
    "step", "Lesson step", 1, "int", 1, MAX_STEPS, 1, help="The step of the lesson, 1 = first."
)
MIN_CHOICES, MAX_CHOICES = 2, 5
#: Ready-made answer lists for "predict the direction / the sign" questions.
PRESET_CHOICES = {
    "direction": (N_("It goes up"), N_("It goes down"), N_("It stays the same")),
    "sign": (N_("Positive"), N_("Negative"), N_("Zero")),
}
LESSON_FIELDS = {"id", "title", "page", "summary", "order", "steps"}
#: Where a lesson without an ``order`` goes in the list: after the numbered ones.
DEFAULT_ORDER = 1000
REQUIRED_LESSON_FIELDS = ("id", "title", "page", "summary", "steps")
STEP_FIELDS = {"title", "controls", "look", "question", "choices", "answer", "reveal"}
STEP_TEXTS = ("title", "look", "question", "reveal")
_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


class LessonError(ValueError):
    """A lesson file that cannot be used, and where exactly it is wrong.

    Attributes
    ----------
    file : str
        The file's name.
    step : int or None
        The 1-based step, when the error is inside one.
    field : str or None
        The field (``controls.t``, ``answer``, ``reveal``...).
    reason : str
    """

    def __init__(self, file: str, reason: str, *, step: int | None = None,
                 field: str | None = None):
        self.file, self.step, self.field, self.reason = file, step, field, reason
        where = [file]
        if step is not None:
            where.append(f"step {step}")
        if field is not None:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {reason}")


@dataclass(frozen=True)
class Step:
    """One step of a lesson.

    Attributes
    ----------
    title, look, question, reveal : str
        ``reveal`` is a template (see :mod:`explorer.guided.template`).
    controls : dict
        The settings this step changes (URL key -> value, already parsed).
    choices : tuple of str
    answer : int
        The index of the right choice, 0-based (the file writes it 1-based).
    """

    title: str
    controls: dict[str, Any]
    look: str
    question: str
    choices: tuple[str, ...]
    answer: int
    reveal: str


@dataclass(frozen=True)
class Lesson:
    """A validated lesson.

    Attributes
    ----------
    id, title, page, summary : str
    order : int
        Where the home page lists it (smallest first; ties by id).
    steps : tuple of Step
    states : tuple of dict
        ``states[n]`` is every setting of the page at step ``n`` (1-based); ``states[0]`` is
        the page's defaults. Each step changes the settings it names and keeps the others.
    """

    id: str
    title: str
    page: str
    summary: str
    order: int
    steps: tuple[Step, ...]
    states: tuple[dict[str, Any], ...] = field(repr=False)

    def __len__(self) -> int:
        return len(self.steps)

    def changes(self, number: int) -> dict[str, Any]:
        """The settings that differ from the page's defaults at step ``number`` (1-based)."""
        base = self.states[0]
        return {key: value for key, value in self.states[number].items() if value != base[key]}


def _text(raw: Mapping, name: str, file: str, step: int | None = None) -> str:
    value = raw.get(name)
    if value is None:
        raise LessonError(file, "missing text", step=step, field=name)
    if not isinstance(value, str) or not value.strip():
        raise LessonError(file, "must be a non-empty text", step=step, field=name)
    return value.strip()


def _unknown(raw: Mapping, allowed: set[str], file: str, step: int | None = None) -> None:
    for name in raw:
        if name not in allowed:
            raise LessonError(
                file, f"unknown key (allowed: {', '.join(sorted(allowed))})", step=step,
                field=name,
            )


def _controls(raw: Any, page: str, previous: dict[str, Any], file: str, step: int):
    """The step's settings parsed by the page's own Settings, and the state they give."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise LessonError(file, "must be a table of URL key = value", step=step, field="controls")
    specs = settings_by_key(page)
    texts: dict[str, str] = {}
    for key, value in raw.items():
        name = f"controls.{key}"
        if key not in specs:
            raise LessonError(
                file, f"unknown setting for /{page} (its URL keys: {', '.join(specs)})",
                step=step, field=name,
            )
        try:
            texts[key] = url_text(value)
        except TypeError as error:
            raise LessonError(file, str(error), step=step, field=name) from None
        refused = UNAVAILABLE.get((page, key), {}).get(texts[key])
        if refused:
            raise LessonError(file, f"{texts[key]!r} cannot be used in a lesson: {refused}",
                              step=step, field=name)
    state = dict(previous)
    for key, text in texts.items():
        state[key] = _parse(specs[key], text, file, step, f"controls.{key}")
    # Ranges that depend on other settings are checked once every value of the step is
    # known: the step may lower K and the target class together.
    for setting in PAGE_SETTINGS[page]:
        limited = bounded(page, setting, state)
        if limited is setting:
            continue
        if setting.key not in texts and (page, setting.key) in FOLLOWS_ITS_RANGE:
            state[setting.key] = min(state[setting.key], type(setting.default)(
                limited.max_value))
            continue
        text = texts.get(setting.key, url_text(state[setting.key]))
        given = "" if setting.key in texts else " (kept from an earlier step)"
        state[setting.key] = _parse(limited, text, file, step, f"controls.{setting.key}", given)
    return {key: state[key] for key in texts}, state


def _parse(setting, text: str, file: str, step: int, name: str, given: str = "") -> Any:
    try:
        return setting.parse(text)
    except ValueError as error:
        raise LessonError(file, f"{text!r}{given} was rejected: {error}", step=step,
                          field=name) from None


def _choices(raw: Mapping, file: str, step: int) -> tuple[str, ...]:
    value = raw.get("choices")
    if value is None:
        raise LessonError(file, "missing: a list of answers, or 'direction' or 'sign'",
                          step=step, field="choices")
    if isinstance(value, str):
        if value not in PRESET_CHOICES:
            raise LessonError(file, f"{value!r} is not a preset (use a list, or one of "
                              f"{', '.join(PRESET_CHOICES)})", step=step, field="choices")
        return PRESET_CHOICES[value]
    if not isinstance(value, list) or not all(
        isinstance(choice, str) and choice.strip() for choice in value
    ):
        raise LessonError(file, "must be a list of non-empty texts", step=step, field="choices")
    if not MIN_CHOICES <= len(value) <= MAX_CHOICES:
        raise LessonError(file, f"{len(value)} answers; give {MIN_CHOICES} to {MAX_CHOICES}",
                          step=step, field="choices")
    if len(set(value)) != len(value):
        raise LessonError(file, "two answers are the same", step=step, field="choices")
    return tuple(choice.strip() for choice in value)


def _answer(raw: Mapping, choices: tuple[str, ...], file: str, step: int) -> int:
    value = raw.get("answer")
    if value is None:
        raise LessonError(file, "missing: the number of the right answer (1 = first)",
                          step=step, field="answer")
    if isinstance(value, bool) or not isinstance(value, int):
        raise LessonError(file, f"{value!r} is not a whole number", step=step, field="answer")
    if not 1 <= value <= len(choices):
        raise LessonError(file, f"{value} is out of range: there are {len(choices)} answers "
                          f"(1..{len(choices)})", step=step, field="answer")
    return value - 1


def parse_lesson(raw: Mapping, file: str) -> Lesson:
    """Validate the parsed TOML ``raw`` of the file named ``file``; see :func:`load_lesson`."""
    _unknown(raw, LESSON_FIELDS, file)
    for name in REQUIRED_LESSON_FIELDS:
        if name not in raw:
            raise LessonError(file, "missing", field=name)
    lesson_id = raw["id"]
    if not isinstance(lesson_id, str) or not _ID.fullmatch(lesson_id):
        raise LessonError(file, "must be lower-case letters, digits, - or _ (at most 40)",
                          field="id")
    stem = Path(file).stem
    if lesson_id != stem:
        raise LessonError(file, f"{lesson_id!r} must equal the file name {stem!r}", field="id")
    page = raw["page"]
    if page not in PAGE_SETTINGS:
        raise LessonError(file, f"{page!r} is not a page (one of {', '.join(PAGE_SETTINGS)})",
                          field="page")
    title, summary = _text(raw, "title", file), _text(raw, "summary", file)
    order = raw.get("order", DEFAULT_ORDER)
    if isinstance(order, bool) or not isinstance(order, int):
        raise LessonError(file, f"{order!r} is not a whole number", field="order")
    raw_steps = raw["steps"]
    if not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
        raise LessonError(file, "write each step as a [[steps]] table", field="steps")
    if not MIN_STEPS <= len(raw_steps) <= MAX_STEPS:
        raise LessonError(file, f"{len(raw_steps)} steps; a lesson has {MIN_STEPS} to "
                          f"{MAX_STEPS}", field="steps")
    states = [defaults(page)]
    steps = []
    for number, raw_step in enumerate(raw_steps, start=1):
        _unknown(raw_step, STEP_FIELDS, file, number)
        texts = {name: _text(raw_step, name, file, number) for name in STEP_TEXTS}
        controls, state = _controls(raw_step.get("controls"), page, states[-1], file, number)
        choices = _choices(raw_step, file, number)
        answer = _answer(raw_step, choices, file, number)
        try:
            render(texts["reveal"], quantities(page, state, measure=False),
                   quantities(page, states[-1], measure=False))
        except TemplateError as error:
            raise LessonError(file, str(error), step=number, field="reveal") from None
        states.append(state)
        steps.append(Step(texts["title"], controls, texts["look"], texts["question"], choices,
                          answer, texts["reveal"]))
    return Lesson(lesson_id, title, page, summary, order, tuple(steps), tuple(states))


def load_lesson(path: str | Path) -> Lesson:
    """Read and validate one lesson file.

    Raises
    ------
    LessonError
        Naming the file, and the step and field when the error is inside one.
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise LessonError(path.name, f"cannot be read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise LessonError(path.name, f"is not valid TOML: {error}") from None
    return parse_lesson(raw, path.name)


@dataclass(frozen=True)
class Catalog:
    """Every lesson of a folder: the ones that load, and an error for each that does not.

    Attributes
    ----------
    lessons : dict
        Lesson id -> Lesson, in their ``order`` (ties by id).
    errors : dict
        File stem (the id the file should have) -> LessonError.
    """

    lessons: dict[str, Lesson]
    errors: dict[str, LessonError]


def load_lessons(folder: str | Path | None = None) -> Catalog:
    """Load every ``*.toml`` file of ``folder`` (default :data:`LESSON_DIR`).

    A broken file is reported in :attr:`Catalog.errors`, never raised.
    """
    lessons, errors = {}, {}
    for path in sorted(Path(LESSON_DIR if folder is None else folder).glob("*.toml")):
        try:
            lesson = load_lesson(path)
        except LessonError as error:
            errors[path.stem] = error
        else:
            lessons[lesson.id] = lesson
    ordered = sorted(lessons.values(), key=lambda lesson: (lesson.order, lesson.id))
    return Catalog({lesson.id: lesson for lesson in ordered}, errors)

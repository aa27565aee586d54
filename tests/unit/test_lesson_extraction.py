"""Every text a learner reads in a lesson reaches the translators' catalog extraction."""

from __future__ import annotations

import io

import pytest

from explorer.guided.babel_extract import REVEAL_NOTE, extract_lessons
from explorer.guided.lesson_file import LESSON_DIR, PRESET_CHOICES, load_lesson

SHIPPED = sorted(LESSON_DIR.glob("*.toml"))


def extracted(path) -> list[tuple[int, None, str, list[str]]]:
    with path.open("rb") as handle:
        return list(extract_lessons(handle, None, [], {}))


def shown_texts(lesson) -> set[str]:
    """Every text the panel and the home page show, as the loader keeps it."""
    texts = {lesson.title, lesson.summary}
    for step in lesson.steps:
        texts |= {step.title, step.look, step.question, step.reveal}
        if step.choices not in PRESET_CHOICES.values():  # presets are the code's messages
            texts |= set(step.choices)
    return texts


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_every_shown_text_is_extracted_with_its_line(path):
    messages = extracted(path)
    assert {message for _, _, message, _ in messages} == shown_texts(load_lesson(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    for line, _, message, comments in messages:
        assert message.splitlines()[0] in lines[line - 1]
        assert comments[0].startswith(f"lesson {path.stem}")
        if "{" in message and "reveal" in comments[0]:
            assert REVEAL_NOTE in comments


def test_a_broken_file_yields_nothing():
    assert list(extract_lessons(io.BytesIO(b"title = = 1"), None, [], {})) == []


def test_babel_runs_the_extractor():
    extract = pytest.importorskip("babel.messages.extract")
    with SHIPPED[0].open("rb") as handle:
        found = list(extract.extract(extract_lessons, handle))
    assert {item[1] for item in found} == shown_texts(load_lesson(SHIPPED[0]))

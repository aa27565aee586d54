"""Babel extraction of the texts of lesson files, for gettext catalogs.

Babel calls :func:`extract_lessons` for every file matched by a mapping line such as::

    [explorer.guided.babel_extract.extract_lessons: explorer/guided/lessons/*.toml]

and gets every text a learner reads in the lesson (title, summary, and each step's title,
look, question, choices and reveal), exactly as the panel will look it up: stripped of
the surrounding blank lines the TOML ``\"\"\"`` strings carry. Each message has a comment
saying where it is, and a reveal's says to keep its ``{fields}``. Pure Python; does not
import Babel itself.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from typing import IO, Any

#: The texts of a lesson and of a step, in reading order.
LESSON_TEXTS = ("title", "summary")
STEP_TEXTS = ("title", "look", "question", "choices", "reveal")
REVEAL_NOTE = "keep every {field} exactly as it is; only the words around it are translated"


def line_of(message: str, lines: list[str]) -> int:
    """The 1-based line holding the start of ``message`` (1 when not found, e.g. built by code).

    The whole first line is looked for, then only its first words: a message built by
    code (a setting's help made from a limit) shares only its start with the file.
    """
    first = message.splitlines()[0] if message else ""
    for head in (first, first[:30]):
        for number, line in enumerate(lines, start=1):
            if head in line:
                return number
    return 1


def extract_lessons(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Yield ``(line, None, message, comments)`` for every text of one lesson file.

    The signature is Babel's extraction-method protocol; ``keywords``, ``comment_tags``
    and ``options`` are not used. A file that is not valid TOML yields nothing (the
    lesson loader reports it).
    """
    text = fileobj.read().decode("utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    lines = text.splitlines()
    lesson = raw.get("id", "?")

    def messages(table: dict, names: tuple[str, ...], where: str):
        for name in names:
            value = table.get(name)
            if name == "choices" and not isinstance(value, list):
                continue  # a preset's name ("direction"): its answers are the code's messages
            values = value if isinstance(value, list) else [value]
            for item in values:
                if isinstance(item, str) and item.strip():
                    comments = [f"lesson {lesson}, {where}{name}"]
                    if name == "reveal":
                        comments.append(REVEAL_NOTE)
                    message = item.strip()
                    yield line_of(message, lines), None, message, comments

    yield from messages(raw, LESSON_TEXTS, "")
    steps = raw.get("steps")
    for number, step in enumerate(steps if isinstance(steps, list) else [], start=1):
        if isinstance(step, dict):
            yield from messages(step, STEP_TEXTS, f"step {number}, ")

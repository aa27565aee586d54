"""Babel extraction of the settings spec's texts, read from the live :class:`Setting` objects.

The spec keeps plain English (``Setting("t", "Temperature T", ...)``): labels and help
texts are not wrapped in ``_()`` there, because the spec is data that many modules read.
Babel calls :func:`extract_settings` for every file that babel.cfg maps to it, by a line
such as::

    [explorer.i18n_extract.extract_settings: explorer/settings/specs.py]

imports that file's module and yields every text a learner reads next to a control: each
setting's label and help. The pages translate them where the widget is made
(:func:`explorer.pages.controls.control`). Options are not messages: a URL-bound widget
writes its option's caption into the URL, so the captions stay as the URL spells them.
Babel maps a file to one method only, so the file's own ``_()`` messages are extracted
here too, by Babel's Python extractor (imported when Babel calls this, never by the app).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from explorer.settings.setting import Setting

#: A label worth translating has a word in it (``z0``, ``x1``, ``W[0,1]`` are symbols).
_WORD = re.compile(r"[A-Za-z]{3,}")


def _module_name(path: Path) -> str:
    """The importable module name of ``path`` (a file inside the explorer package)."""
    parts = path.resolve().with_suffix("").parts
    start = len(parts) - 1 - parts[::-1].index("explorer")
    return ".".join(parts[start:])


def settings_of(module: Any) -> Iterator[tuple[str, Setting]]:
    """``(name, setting)`` for every Setting a module defines, also inside (nested) tuples."""

    def walk(name: str, value: Any) -> Iterator[tuple[str, Setting]]:
        if isinstance(value, Setting):
            yield name, value
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                yield from walk(f"{name}[{index}]", item)

    for name, value in vars(module).items():
        if not name.startswith("_"):
            yield from walk(name, value)


def setting_messages(setting: Setting) -> Iterator[tuple[str, str]]:
    """``(message, what)`` for the label and the help of ``setting``."""
    if _WORD.search(setting.label):
        yield setting.label, "label"
    if setting.help:
        yield setting.help, "help"


def _line_of(message: str, lines: list[str]) -> int:
    """The 1-based line holding the start of ``message`` (1 when it is built by code)."""
    head = message[:30]
    for number, line in enumerate(lines, start=1):
        if head in line:
            return number
    return 1


def extract_settings(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Yield ``(line, None, message, comments)`` for every text of the settings in one file.

    The signature is Babel's extraction-method protocol; ``keywords``, ``comment_tags`` and
    ``options`` are not used. The file's module is imported, so the messages are exactly
    the texts the spec holds (including those built in loops, such as ``z0`` ... ``z9``),
    after the messages the file marks itself (``_("not a number")``).
    """
    from babel.messages.extract import extract_python  # only ever called by Babel

    yield from extract_python(fileobj, keywords, comment_tags, options)
    fileobj.seek(0)
    module = importlib.import_module(_module_name(Path(fileobj.name)))
    lines = fileobj.read().decode("utf-8").splitlines()
    seen = set()
    for name, setting in settings_of(module):
        for message, what in setting_messages(setting):
            if (message, what) in seen:
                continue
            seen.add((message, what))
            comment = f"setting {setting.key} ({name}), {what}"
            yield _line_of(message, lines), None, message, [comment]

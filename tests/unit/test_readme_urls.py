"""The README lists every URL parameter the app reads, as docs/architecture.md promises."""

from __future__ import annotations

import re
from pathlib import Path

from explorer.settings import specs
from explorer.settings.setting import Setting

README = Path(__file__).resolve().parents[2] / "README.md"


def every_setting() -> list[Setting]:
    found = []
    for value in vars(specs).values():
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, Setting):
                found.append(item)
            elif isinstance(item, tuple):
                stack.extend(item)
    return found


def url_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Links and URL parameters")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_every_url_parameter_is_listed():
    section = url_section()
    listed = set(re.findall(r"`([a-z][a-z0-9_]*)`", section))
    # Ranges of numbered keys are written as `z0` … `z9`: expand them.
    for prefix, low, high in re.findall(r"`([a-z][a-z0-9]*_?)(\d+)` … `\1(\d+)`", section):
        listed.update(f"{prefix}{i}" for i in range(int(low), int(high) + 1))
    missing = sorted({s.key for s in every_setting()} - listed)
    assert not missing, f"README does not list the URL parameters {missing}"


def test_the_pages_in_the_section_are_the_lessons():
    from explorer.pages.lessons import LESSONS

    section = url_section()
    for lesson in LESSONS:
        assert f"**/{lesson.url_path}**" in section

"""plain_text: text from an uploaded file is shown literally, on one line, cut to a limit."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from explorer.markdown_text import plain_text


def unwrap(span: str) -> str:
    """The content of a Markdown code span (CommonMark: strip one padding space each side)."""
    fence = re.match(r"`+", span).group(0)
    assert span.endswith(fence)
    inner = span[len(fence):-len(fence)]
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip(" "):
        inner = inner[1:-1]
    assert fence not in inner
    return inner


@given(st.text(max_size=400))
def test_any_text_is_one_code_span_holding_it_literally(text):
    shown = unwrap(plain_text(text, limit=300))
    expected = re.sub(r"[\r\n]+", " ", text if len(text) <= 300 else text[:300] + "…")
    assert shown == expected
    assert "\n" not in plain_text(text)


def test_markup_stays_inside_the_code_span():
    text = "[click](https://evil.example) ![i](x.png) <img src=x> $x$ ``tick``"
    span = plain_text(text)
    assert unwrap(span) == text
    assert span.startswith("```") and span.endswith("```")


def test_long_text_is_cut():
    assert unwrap(plain_text("a" * 1000, limit=40)) == "a" * 40 + "…"

"""Text made safe to show inside Markdown (``st.warning``, ``st.error``): code spans.

Pure Python: nothing here imports streamlit.
"""

from __future__ import annotations

import re

#: Longest URL value quoted back in a warning (a pasted essay is cut, not echoed).
MAX_QUOTED = 40


def quote_value(raw: str) -> str:
    """``raw`` shortened, repr-quoted and put in a Markdown code span.

    The notes are shown with ``st.warning``, which renders Markdown: inside a code span
    a pasted link, image, HTML tag, ``$math$`` or ``:material/icon:`` stays plain text.
    """
    shortened = raw if len(raw) <= MAX_QUOTED else raw[:MAX_QUOTED] + "…"
    return code_span(repr(shortened))


def code_span(text: str) -> str:
    """``text`` as a Markdown inline code span, fenced by more backticks than it contains."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    # CommonMark strips one space each side of a span unless it is all spaces: pad so that
    # exactly ``text`` is shown (and a backtick at an end cannot join the fence).
    edges = text.startswith(("`", " ")) or text.endswith(("`", " "))
    padded = f" {text} " if edges and text.strip(" ") else text
    return f"{fence}{padded}{fence}"


def plain_text(text: str, limit: int = 300) -> str:
    """``text`` made safe to show inside Markdown (``st.error``): a one-line code span.

    Text that came from an uploaded file (its name, a rejected cell) may hold a link, an
    image, an HTML tag, ``$math$`` or a bare ``https://`` address that Markdown would
    render; inside a code span it all stays literal. Newlines become spaces and text
    longer than ``limit`` characters is cut.
    """
    shortened = text if len(text) <= limit else text[:limit] + "…"
    return code_span(re.sub(r"[\r\n]+", " ", shortened))


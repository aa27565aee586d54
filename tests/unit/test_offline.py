"""explorer/offline.py: the offline lesson file, checked as a document (not run).

It runs in Chromium, with every network request blocked, in
tests/e2e/test_offline_e2e.py; here: its size, its Content-Security-Policy against the
hashes of what it inlines, that the markup is constant whatever the values, and that the
data round-trips through its JSON element.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from explorer.guided.lesson_file import load_lessons
from explorer.guided.page_settings import defaults
from explorer.guided.quantities import quantities
from explorer.offline import MAX_BYTES, SERVER_QUANTITIES, hash_rules, offline_html
from explorer.settings import specs
from explorer.view_states import softmax_state, weights_state

LESSON_FOLDER = Path(__file__).parents[2] / "explorer" / "guided" / "lessons"
LESSONS = load_lessons().lessons
OFFLINE_LESSONS = [lesson for lesson in LESSONS.values() if lesson.page in ("softmax", "weights")]
HOSTILE = '</script><script>alert(1)</script><!-- " \' & <img src=x onerror=alert(2)>'


class Document(HTMLParser):
    """Every tag with its attributes, and the text of each script and style element."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[str, tuple]] = []
        self.texts: dict[str, list[str]] = {}
        self._open: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(attrs)))
        kind = dict(attrs).get("type", "") if tag == "script" else ""
        self._open = f"{tag}:{kind}" if tag in ("script", "style") else None

    def handle_endtag(self, tag):
        self._open = None

    def handle_data(self, data):
        if self._open:
            self.texts.setdefault(self._open, []).append(data)


def csp_of(document: Document) -> dict[str, list[str]]:
    meta = [dict(attrs) for tag, attrs in document.tags
            if tag == "meta" and dict(attrs).get("http-equiv") == "Content-Security-Policy"]
    assert len(meta) == 1
    return {part.split()[0]: part.split()[1:] for part in meta[0]["content"].split(";")
            if part.strip()}


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def data_of(document: Document) -> dict:
    (text,) = document.texts["script:application/json"]
    return json.loads(text)


def hostile_lesson(tmp_path: Path):
    """The jacobian lesson with markup in its title, text, question and choices."""
    text = (LESSON_FOLDER / "jacobian.toml").read_text(encoding="utf-8")
    escaped = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace('title = "The softmax Jacobian and saturation"', f'title = "{escaped}"')
    text = text.replace('choices = ["1", "0", "It depends on the logits"]',
                        f'choices = ["1", "0", "{escaped}"]')
    text = text.replace("Add up one row of the heatmap", HOSTILE.replace('"', "'"))
    (tmp_path / "jacobian.toml").write_text(text, encoding="utf-8")
    catalog = load_lessons(tmp_path)
    assert not catalog.errors, catalog.errors
    return catalog.lessons["jacobian"]


@pytest.mark.parametrize("page", ["softmax", "weights"])
def test_a_view_file_is_under_budget_with_a_csp_that_hashes_its_script_and_style(page):
    html = offline_html(page, defaults(page))
    assert len(html.encode("utf-8")) <= MAX_BYTES
    document = Document(html)
    policy = csp_of(document)
    (script,) = document.texts["script:module"]
    (style,) = document.texts["style:"]
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == [sha256_source(script)]
    assert policy["style-src"] == [sha256_source(style)]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"} & {
        source for sources in policy.values() for source in sources}
    # Nothing is loaded from anywhere: no src/href attribute in the whole document.
    assert not [attrs for _, attrs in document.tags
                if any(name in ("src", "href") for name, _ in attrs)]
    assert not re.search(r"^\s*import\b", script, re.MULTILINE)


def test_the_csp_hash_changes_with_the_script():
    """The test above could fail: a different script gives a different source."""
    assert sha256_source("a") != sha256_source("b")
    document = Document(offline_html("softmax", defaults("softmax")))
    (script,) = document.texts["script:module"]
    assert csp_of(document)["script-src"] != [sha256_source(script + " ")]


@pytest.mark.parametrize("lesson", OFFLINE_LESSONS, ids=lambda lesson: lesson.id)
def test_every_lesson_file_is_under_budget_and_carries_its_steps(lesson):
    html = offline_html(lesson.page, lesson.states[1], lesson)
    assert len(html.encode("utf-8")) <= MAX_BYTES
    data = data_of(Document(html))["lesson"]
    assert data["title"] == lesson.title
    assert [step["reveal"] for step in data["steps"]] == [s.reveal for s in lesson.steps]
    assert [step["choices"] for step in data["steps"]] == [list(s.choices) for s in lesson.steps]
    assert [step["answer"] for step in data["steps"]] == [s.answer for s in lesson.steps]
    to_browser = softmax_state if lesson.page == "softmax" else weights_state
    assert data["states"] == [to_browser(values) for values in lesson.states]


def test_values_round_trip_through_the_json_element():
    values = {**defaults("softmax"), "k": 6, "z2": -7.3, "t": 0.07, "y": 5, "big": True,
              "cell": "3,4"}
    data = data_of(Document(offline_html("softmax", values)))
    assert data["state"] == softmax_state(values)
    assert data["page"] == "softmax"
    assert data["rules"] == hash_rules("softmax")


def test_no_value_ever_lands_in_the_markup(tmp_path):
    """Markup in a lesson's texts stays text in the JSON; the markup is the same constant."""
    lesson = hostile_lesson(tmp_path)
    html = offline_html("softmax", lesson.states[1], lesson)
    clean = offline_html("softmax", LESSONS["jacobian"].states[1], LESSONS["jacobian"])
    hostile_doc, clean_doc = Document(html), Document(clean)
    # The same elements and attributes, apart from nothing: the values are not markup.
    assert hostile_doc.tags == clean_doc.tags
    assert "<script>alert" not in html and "<img" not in html
    data = data_of(hostile_doc)["lesson"]
    assert data["title"] == HOSTILE
    assert HOSTILE in data["steps"][1]["choices"]
    assert HOSTILE.replace('"', "'") in data["steps"][1]["look"]


def test_hash_rules_are_the_settings_ranges():
    rules = hash_rules("weights")
    assert rules["x1"] == {"kind": "number", "min": specs.EXAMPLE_X1.min_value,
                           "max": specs.EXAMPLE_X1.max_value}
    assert rules["lr"] == {"kind": "options", "options": list(specs.WEIGHTS_LR.options)}
    assert rules["mistake"] == {"kind": "bool"}
    assert set(rules) == set(weights_state(defaults("weights")))
    assert set(hash_rules("softmax")) == set(softmax_state(defaults("softmax")))


def test_server_quantities_are_the_step_own_settings():
    lesson = LESSONS["weights"]
    data = data_of(Document(offline_html("weights", lesson.states[1], lesson)))["lesson"]
    seen = 0
    for number, step in enumerate(data["steps"], start=1):
        for name, value in step["server"]["now"].items():
            assert name in SERVER_QUANTITIES["weights"]
            expected = quantities("weights", lesson.states[number])[name]
            assert value == (expected if isinstance(expected, str) else pytest.approx(expected))
            seen += 1
    assert seen  # the weights lesson reads dp_error / dp_verdict


def test_a_file_for_another_page_is_refused():
    with pytest.raises(ValueError, match="no offline file"):
        offline_html("training", {})
    with pytest.raises(ValueError, match="runs on /softmax"):
        offline_html("weights", defaults("weights"), LESSONS["jacobian"])

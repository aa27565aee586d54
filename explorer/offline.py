"""Build an offline lesson file: one self-contained HTML page of a live view (and a lesson).

The file carries everything it needs and fetches nothing: the live layer's JS (the same
view modules the app mounts, joined by :func:`explorer.web.bundle.bundle` behind the small
adapter explorer/web/offline_app.js), its CSS, and the page's data as JSON in a
``<script type="application/json">`` element that the adapter reads with ``JSON.parse``.
No value of the page (a setting, a lesson text) is ever written into the markup: the
markup is a constant template and the JSON is escaped so that it cannot end its element.
A strict Content-Security-Policy allows exactly the one inline script and the one inline
style, by their SHA-256 hashes; the state lives in the URL ``#hash``.

Reveal texts are filled in by the browser from the same browser math the charts draw with;
the few quantities that need central differences (:data:`SERVER_QUANTITIES`) are computed
here, at export time, for each step's own settings. Pure Python: nothing here imports
streamlit.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Mapping
from html import escape
from typing import Any

import numpy as np

from explorer.guided.lesson_file import Lesson
from explorer.guided.quantities import PAGES, quantities
from explorer.guided.template import quantity_names
from explorer.i18n import DEFAULT_LANGUAGE, N_, _, language
from explorer.settings import specs
from explorer.settings.setting import Setting
from explorer.view_labels import VIEW_LABELS, offline_labels
from explorer.view_states import VIEW_STATES
from explorer.web.bundle import bundle, read

#: The budget of one offline file, in bytes.
MAX_BYTES = 200 * 1024
#: The adapter: the entry module of the offline page.
ENTRY = "offline_app.js"
#: The style sheets inlined, in order (the live views' own, then the page around them).
STYLES = ("live.css", "offline.css")
#: Reveal quantities the browser does not compute (central differences of the server's
#: checks): written into the file for each step's own settings.
SERVER_QUANTITIES = {
    "softmax": frozenset(),
    "weights": frozenset({"dp_numeric", "dp_error", "dp_verdict", "dW_error"}),
}
#: The settings that bound each field of a view's state (what a #hash value is checked
#: against); a list field holds values of its first setting's range.
FIELD_SETTINGS: dict[str, dict[str, tuple[Setting, ...]]] = {
    "softmax": {
        "k": (specs.SOFTMAX_K,), "z": specs.SOFTMAX_LOGITS, "t": (specs.TEMPERATURE,),
        "y": (specs.SOFTMAX_TARGET,), "big": (specs.OVERFLOW_DEMO,),
    },
    "weights": {
        "k": (specs.WEIGHTS_K,), "x1": (specs.EXAMPLE_X1,), "x2": (specs.EXAMPLE_X2,),
        "y": (specs.WEIGHTS_TARGET,),
        "W": tuple(setting for row in specs.WEIGHT_SLIDERS for setting in row),
        "b": specs.BIAS_SLIDERS, "reg": (specs.WEIGHTS_REG,), "j": (specs.PROB_CLASS,),
        "mistake": (specs.COMMON_MISTAKE,), "lr": (specs.WEIGHTS_LR,),
    },
}
#: softmax's Jacobian cell is one "i,j" option in the app; in the view state it is [i, j].
_CELL_RULE = {"kind": "int", "min": 0, "max": specs.MAX_CLASSES - 1}

_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header class="offline-head">
<h1>{title}</h1>
<p>{intro}</p>
</header>
<div id="hash-note" class="hash-note" role="status" hidden></div>
<section id="lesson" class="lesson" aria-label="{lesson_label}" hidden></section>
<main id="view"></main>
<script type="application/json" id="offline-data">{data}</script>
<script type="module">{js}</script>
</body>
</html>
"""
#: Titles of the pages (constant text; a lesson's title travels in the JSON).
TITLES = {"softmax": N_("Softmax and its Jacobian"),
          "weights": N_("Gradients of the weights")}


def script_hash(text: str) -> str:
    """The CSP source ``'sha256-…'`` of an inline script or style whose text is ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(js: str, css: str) -> str:
    """Nothing may load or connect; only this script and this style (by hash) may run."""
    return "; ".join([
        "default-src 'none'",
        f"script-src {script_hash(js)}",
        f"style-src {script_hash(css)}",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def json_for_script(value: Any) -> str:
    """``value`` as JSON that cannot close or comment its ``<script>`` element.

    ``<``, ``>`` and ``&`` are written as JSON escapes (``\\u003c`` …), which
    ``JSON.parse`` reads back as the same characters.
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _rule(settings: tuple[Setting, ...]) -> dict:
    """The check of a #hash value: the range (or options) shared by ``settings``."""
    rules = []
    for setting in settings:
        if setting.kind == "toggle":
            rules.append({"kind": "bool"})
        elif setting.kind in ("select", "segmented"):
            rules.append({"kind": "options", "options": list(setting.options)})
        else:
            rules.append({"kind": "int" if setting.kind == "int" else "number",
                          "min": setting.min_value, "max": setting.max_value})
    if any(rule != rules[0] for rule in rules):
        raise ValueError(f"the settings {[s.key for s in settings]} do not share one range")
    return rules[0]


def hash_rules(page: str) -> dict[str, dict]:
    """Field of ``page``'s view state -> the rule its #hash value is checked against."""
    rules = {field: _rule(settings) for field, settings in FIELD_SETTINGS[page].items()}
    if page == "softmax":
        rules["cell"] = _CELL_RULE
    return rules


def _plain(value: Any) -> Any:
    """A quantity as JSON: arrays as lists, non-finite numbers as the text Python prints."""
    if isinstance(value, np.ndarray):
        return [_plain(item) for item in value.tolist()]
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _server_part(lesson: Lesson, number: int) -> dict:
    """The server-only quantities step ``number``'s reveal reads, for the step's settings."""
    only = SERVER_QUANTITIES[lesson.page]
    used = quantity_names(lesson.steps[number - 1].reveal)
    now = quantities(lesson.page, lesson.states[number])
    before = quantities(lesson.page, lesson.states[number - 1])
    return {
        "now": {name: _plain(now[name]) for scope, name in used
                if scope is None and name in only},
        "before": {name: _plain(before[name]) for scope, name in used
                   if scope == "before" and name in only},
        "names": sorted({name for _, name in used if name in only}),
    }


def lesson_data(lesson: Lesson) -> dict:
    """A lesson as the offline page reads it: its steps and each step's view state.

    Returns
    -------
    dict
        ``{id, title, steps: [{title, look, question, choices, answer, reveal, server}],
        states: [view state of step 0 (the defaults), of step 1, ...]}``; ``server`` holds
        the :data:`SERVER_QUANTITIES` the step's reveal reads.
    """
    to_browser = VIEW_STATES[lesson.page][0]
    known = set(PAGES[lesson.page][1])
    for number, step in enumerate(lesson.steps, start=1):
        unknown = {name for _, name in quantity_names(step.reveal)} - known
        if unknown:
            raise ValueError(f"lesson {lesson.id}, step {number}: unknown quantity {unknown}")
    return {
        "id": lesson.id,
        "title": _(lesson.title),
        "steps": [
            {"title": _(step.title), "look": _(step.look), "question": _(step.question),
             "choices": [_(choice) for choice in step.choices], "answer": step.answer,
             "reveal": _(step.reveal), "server": _server_part(lesson, number)}
            for number, step in enumerate(lesson.steps, start=1)
        ],
        "states": [to_browser(values) for values in lesson.states],
    }


def offline_html(page: str, values: Mapping[str, Any], lesson: Lesson | None = None,
                 *, lang: str = DEFAULT_LANGUAGE) -> str:
    """The offline file of ``page``'s live view as it is now (and of ``lesson``, if given).

    Parameters
    ----------
    page : {"softmax", "weights"}
    values : mapping
        The page's checked settings (URL key -> value), as its live view holds them.
    lesson : Lesson, optional
        A lesson on ``page``; the file opens at its first step.
    lang : str
        The language of every text in the file (a code of explorer.i18n.LANGUAGES).

    Returns
    -------
    str
        The HTML document. Raises ValueError when it would exceed :data:`MAX_BYTES`.
    """
    if page not in VIEW_STATES:
        raise ValueError(f"no offline file for page {page!r}")
    if lesson is not None and lesson.page != page:
        raise ValueError(f"the lesson {lesson.id!r} runs on /{lesson.page}, not /{page}")
    to_browser, view_data = VIEW_STATES[page]
    js = bundle(ENTRY)
    css = "\n".join(read(name) for name in STYLES)
    for name, text in (("script", js), ("style", css)):
        if f"</{name}" in text.lower():
            raise ValueError(f"the inlined {name} must not contain </{name}")
    with language(lang):
        data = {
            "page": page,
            "state": to_browser(values),
            # no server panel below the view
            "view": {**view_data, "derivation": False, "labels": VIEW_LABELS[page]()},
            "rules": hash_rules(page),
            "lesson": None if lesson is None else lesson_data(lesson),
            "labels": offline_labels(),
        }
        texts = {
            "title": _(TITLES[page]),
            "intro": _("An offline copy of the softmax explorer: it runs in this browser with "
                       "no server and no network. Move the controls with the mouse or the "
                       "keyboard; the address (#…) keeps what you see, so a bookmark or a "
                       "copied address reopens it."),
            "lesson_label": _("Guided lesson"),
        }
    html = _TEMPLATE.format(csp=content_security_policy(js, css), css=css,
                            data=json_for_script(data), js=js, lang=lang,
                            **{name: escape(text) for name, text in texts.items()})
    size = len(html.encode("utf-8"))
    if size > MAX_BYTES:
        raise ValueError(f"the offline file would be {size} bytes, over {MAX_BYTES}")
    return html


def file_name(page: str, lesson: Lesson | None = None) -> str:
    """``softmax-offline.html`` or ``lesson-jacobian-offline.html``."""
    return f"lesson-{lesson.id}-offline.html" if lesson is not None else f"{page}-offline.html"

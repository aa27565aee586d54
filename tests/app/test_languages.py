"""Every page in another language (AppTest): ``?lang=de`` shows every text translated and
raises nothing; ``?lang=xx`` gives the usual note and English.

The catalog used is a pseudo-translation made from the real template
(explorer/locales/messages.pot): every message is its English text behind a marker. So
the test does not depend on the translators' progress, and it catches any text a page
shows that did not go through the catalog (a text without the marker). The real catalogs'
completeness is tests/unit/test_translations.py's job.
"""

from __future__ import annotations

import io
import json
import re

import pytest

from explorer import i18n
from explorer.settings import specs
from tests.app.page_probe import HOME, PAGES, open_page
from tests.support.charts import app_landscape, app_player

pofile = pytest.importorskip("babel.messages.pofile")
mofile = pytest.importorskip("babel.messages.mofile")

MARK = "«de» "
SOFTMAX = "explorer/pages/softmax_page.py"
WEIGHTS = "explorer/pages/weights_page.py"
TRAINING = "explorer/pages/training_page.py"
#: Texts a page may show untranslated, each with its reason.
NOT_TEXT = {
    "Deutsch", "English", "Español", "中文（简体）",  # each language in its own name
}


@pytest.fixture(scope="module")
def pseudo_german(tmp_path_factory):
    """The real template as a compiled German catalog whose every message is marked."""
    with (i18n.LOCALES / "messages.pot").open("rb") as handle:
        catalog = pofile.read_po(handle, locale="de")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            message.string = tuple(MARK + form for form in message.id)
        else:
            message.string = MARK + message.id
    root = tmp_path_factory.mktemp("locales")
    path = root / "de" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    path.parent.mkdir(parents=True)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog)
    path.write_bytes(buffer.getvalue())
    return root


@pytest.fixture
def in_pseudo_german(pseudo_german, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALES", pseudo_german)
    i18n.translations.cache_clear()
    yield
    i18n.translations.cache_clear()


def shown_texts(at) -> list[str]:
    """Every text the page shows in its elements and widgets (labels, help, options)."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success", "text"):
        texts += [element.value for element in at.get(kind)]
    for kind in ("button", "toggle", "selectbox", "slider", "select_slider", "radio",
                 "metric", "expander", "download_button", "segmented_control", "checkbox",
                 "number_input", "text_area", "file_uploader", "page_link", "tabs"):
        for element in at.get(kind):
            proto = element.proto
            for field in ("label", "help", "body"):
                value = getattr(proto, field, "")
                if isinstance(value, str):
                    texts.append(value)
    # Options of URL-bound widgets are written as the URL spells them (explorer/pages/
    # controls.py): only the unbound lesson question's answers are texts.
    for element in at.get("radio"):
        texts += list(element.options or [])
    return [text for text in texts if text]


def untranslated(texts) -> list[str]:
    """The texts with words in them that did not come through the catalog."""
    found = []
    for text in texts:
        words = re.sub(r":material/[a-z_]+:|[$`][^$`]*[$`]|https?://\S+", "", text)
        if text in NOT_TEXT or not re.search(r"[A-Za-z]{3,}", words) or MARK.strip() in text:
            continue
        found.append(text)
    return found


def component_labels(at) -> list[dict]:
    """The ``labels`` each live view (a bidi component with JSON data) was handed."""
    found = []
    for element in at.get("bidi_component"):
        if element.proto.json:
            data = json.loads(element.proto.json)
            if isinstance(data, dict) and "labels" in data:
                found.append(data["labels"])
    return found


def strings_of(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings_of(item)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("script", PAGES)
def test_every_text_of_every_page_is_translated(script, in_pseudo_german):
    at = open_page(script, {specs.LANGUAGE.key: ["de"]})
    assert not at.exception
    assert at.selectbox(key=specs.LANGUAGE.key).value == "de"
    texts = shown_texts(at)
    assert any(text.startswith(MARK) for text in texts)
    assert not untranslated(texts), f"{script} shows untranslated texts: {untranslated(texts)}"
    for labels in component_labels(at):
        assert all(text.startswith(MARK) for text in strings_of(labels)), labels


@pytest.mark.parametrize("query", [
    {specs.VIEW.key: ["Pulls"]}, {specs.VIEW.key: ["Examples"]},
    {specs.VIEW.key: ["Downloads"]}, {specs.DATASET.key: ["custom"]},
    {specs.COMPARE.key: ["true"], specs.LEARNING_RATE.key: ["10"], specs.TRAIN_REG.key: ["0.5"]},
], ids=["pulls", "examples", "downloads", "custom", "compare-diverging"])
def test_every_panel_of_training_is_translated(query, in_pseudo_german):
    at = open_page(TRAINING, {specs.LANGUAGE.key: ["de"], **query})
    assert not at.exception
    texts = shown_texts(at)
    assert not untranslated(texts), f"{query} shows untranslated texts: {untranslated(texts)}"
    if specs.TRAIN_REG.key in query:  # lr·reg > 2: the health message explains the blow-up
        assert any(MARK + "diverged" in error.value for error in at.error), at.error


@pytest.mark.parametrize(("script", "lesson"), [(SOFTMAX, "jacobian"), (WEIGHTS, "weights")])
def test_a_lesson_panel_is_translated(script, lesson, in_pseudo_german):
    at = open_page(script, {specs.LANGUAGE.key: ["de"], "lesson": [lesson], "step": ["2"]})
    assert not at.exception
    radio = at.radio(key=f"lesson_answer_{lesson}_2")
    assert radio.label.startswith(f"**{MARK}")
    assert all(option.startswith(MARK) for option in radio.options)
    assert not untranslated(shown_texts(at))


def test_the_live_views_get_their_labels_in_the_language(in_pseudo_german):
    english = component_labels(open_page(SOFTMAX))
    german = component_labels(open_page(SOFTMAX, {specs.LANGUAGE.key: ["de"]}))
    assert len(english) == len(german) == 1
    assert english[0]["k"] == specs.SOFTMAX_K.label
    assert german[0]["k"] == MARK + specs.SOFTMAX_K.label
    assert german[0]["chart"]["bars"] == MARK + english[0]["chart"]["bars"]


def test_the_player_and_the_landscape_get_their_words_in_the_language(in_pseudo_german):
    at = open_page(TRAINING, {specs.LANGUAGE.key: ["de"]})
    assert not at.exception
    header, _ = app_player(at)
    symbols = {"◀", "▶|"}  # the step buttons' glyphs, the same in every language
    assert header["words"]
    assert all(text.startswith(MARK) or text in symbols for text in header["words"].values())
    landscape = app_landscape(at)
    assert all(text.startswith(MARK) for text in landscape["words"].values())
    english, _ = app_player(open_page(TRAINING))
    assert english["words"]["play"] == "▶ Play"


def test_a_bad_language_gives_the_note_and_english(in_pseudo_german):
    at = open_page(HOME, {specs.LANGUAGE.key: ["xx"]})
    assert not at.exception
    notes = " ".join(warning.value for warning in at.warning)
    assert "`lang`=`'xx'` was ignored (expected one of en, de, es, zh); using the default en." \
        in notes
    assert at.selectbox(key=specs.LANGUAGE.key).value == "en"
    assert at.title[0].value == "Softmax gradient explorer"


def test_choosing_a_language_translates_the_page_and_the_next(in_pseudo_german):
    """(The address bar is checked in a browser: tests/e2e/test_languages_e2e.py.)"""
    at = open_page(HOME)
    assert at.title[0].value == "Softmax gradient explorer"
    at.selectbox(key=specs.LANGUAGE.key).set_value("de").run()
    assert not at.exception
    assert at.title[0].value == MARK + "Softmax gradient explorer"
    at.switch_page(SOFTMAX).run()
    assert not at.exception
    assert at.title[0].value.startswith(MARK)

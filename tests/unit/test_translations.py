"""The gettext catalogs: complete, compiled, current, and no shown text escapes them.

- every message of the template (explorer/locales/messages.pot) is translated (non-empty,
  not fuzzy) in every language's catalog, with exactly the placeholders of its English;
- every committed ``.mo`` is what Babel compiles from its ``.po`` (the app reads the .mo
  with the standard library and has no Babel, so a stale .mo would show old texts);
- the template holds every message the source marks (extracted again here with Babel);
- no text a page shows escapes extraction: an AST scan of the pages and app.py finds no
  string literal given to a Streamlit call as its text that is not wrapped in ``_()``;
- the runtime: English is the source text, the language is per thread (per session run),
  a catalog is read with the standard library only.

See docs/translations.md.
"""

from __future__ import annotations

import ast
import io
import json
import re
import string
import threading
from pathlib import Path

import pytest

from explorer import i18n

REPO = Path(__file__).resolve().parents[2]
POT = i18n.LOCALES / "messages.pot"
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LANGUAGE]
PAGE_SOURCES = sorted([*(REPO / "explorer" / "pages").glob("*.py"), REPO / "app.py"])

pofile = pytest.importorskip("babel.messages.pofile")
mofile = pytest.importorskip("babel.messages.mofile")


def read_catalog(path: Path, lang: str | None = None):
    with path.open("rb") as handle:
        return pofile.read_po(handle, locale=lang)


def po_path(lang: str) -> Path:
    return i18n.catalog_path(lang).with_suffix(".po")


def messages(catalog) -> list:
    return [message for message in catalog if message.id]


def placeholders(text: str) -> list[str]:
    """The named fields (``{count}``, ``{p[3]:.2f}`` -> ``p[3]:.2f``) and ``%s``-style ones."""
    found = []
    try:
        for _, field, spec, conversion in string.Formatter().parse(text):
            if field is not None:
                found.append(f"{{{field}{'!' + conversion if conversion else ''}"
                             f"{':' + spec if spec else ''}}}")
    except ValueError:
        found.append("<unbalanced braces>")
    found += re.findall(r"%(?:\([a-z_]+\))?[sdifr]", text)
    return sorted(found)


def ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) \
        else [message.string]


# --- the catalogs -----------------------------------------------------------------------

def test_the_template_and_every_catalog_exist():
    assert POT.is_file()
    for lang in TRANSLATED:
        assert po_path(lang).is_file(), lang
        assert i18n.catalog_path(lang).is_file(), lang


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_in_every_catalog(lang):
    template = messages(read_catalog(POT))
    catalog = read_catalog(po_path(lang), lang)
    missing = []
    for message in template:
        found = catalog.get(message.id, message.context)
        if found is None or found.fuzzy or not all(strings(found)):
            missing.append(ids(message)[0][:70])
    assert not missing, (f"{len(missing)} of {len(template)} messages are not translated in "
                         f"{lang} (run scripts/translations update; see docs/translations.md): "
                         f"{missing[:10]}")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders(lang):
    wrong = []
    for message in messages(read_catalog(po_path(lang), lang)):
        expected = placeholders(ids(message)[0])
        for text in strings(message):
            if text and placeholders(text) != expected:
                wrong.append((ids(message)[0][:60], placeholders(text), expected))
    assert not wrong, f"placeholders changed in {lang}: {wrong[:5]}"


def test_placeholders_are_read_exactly():
    assert placeholders("p{index} fell from {old:.2f} to {new}") == \
        ["{index}", "{new}", "{old:.2f}"]
    assert placeholders("$e^{{x}}$ and {p[3]:.2f}") == ["{p[3]:.2f}"]
    assert placeholders("%s of %(count)d") == ["%(count)d", "%s"]
    assert placeholders("von {alt} auf {neu}") != placeholders("from {old} to {new}")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_committed_mo_is_compiled_from_its_po(lang):
    buffer = io.BytesIO()
    mofile.write_mo(buffer, read_catalog(po_path(lang), lang))
    assert i18n.catalog_path(lang).read_bytes() == buffer.getvalue(), (
        f"{i18n.catalog_path(lang).relative_to(REPO)} is stale: run scripts/translations compile")


def extracted_ids() -> set[str]:
    """Every message id Babel extracts from the source now, with the project's babel.cfg."""
    extract = pytest.importorskip("babel.messages.extract")
    frontend = pytest.importorskip("babel.messages.frontend")
    with (REPO / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = frontend.parse_mapping_cfg(handle)
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    found = set()
    for _, _, message, _, _ in extract.extract_from_dir(
            str(REPO), method_map, options_map, keywords=keywords):
        found.add(message[0] if isinstance(message, tuple | list) else message)
    return found


def test_the_template_holds_every_message_of_the_source():
    in_template = {ids(message)[0] for message in messages(read_catalog(POT))}
    missing = sorted(extracted_ids() - in_template)
    assert not missing, ("messages of the source missing from messages.pot (run "
                         f"scripts/translations extract): {[m[:60] for m in missing[:10]]}")


def explorer_settings():
    """Every Setting any module of the package defines (wherever the spec lives)."""
    import importlib
    import pkgutil

    import explorer
    from explorer.i18n_extract import settings_of

    found = {}
    for module in pkgutil.walk_packages(explorer.__path__, "explorer."):
        if ".pages." in module.name or module.name.endswith(".pages"):
            continue  # the pages import streamlit; their settings come from the spec
        for _, setting in settings_of(importlib.import_module(module.name)):
            found[setting.key, setting.label] = setting
    return list(found.values())


def test_the_template_holds_the_label_and_help_of_every_setting():
    """Catches a spec moved out of the files babel.cfg maps to the settings extractor."""
    from explorer.i18n_extract import setting_messages

    in_template = {ids(message)[0] for message in messages(read_catalog(POT))}
    missing = sorted({text for setting in explorer_settings()
                      for text, _ in setting_messages(setting)} - in_template)
    assert not missing, ("settings texts missing from messages.pot (does babel.cfg map the "
                         f"spec's files to explorer.i18n_extract.extract_settings?): {missing[:8]}")


# --- no shown literal escapes extraction ----------------------------------------------------

#: Streamlit calls whose first argument (and these keywords) are text a learner reads.
TEXT_CALLS = {
    "title", "header", "subheader", "markdown", "caption", "text", "write", "info", "warning",
    "error", "success", "toast", "button", "download_button", "link_button", "page_link",
    "toggle", "checkbox", "radio", "selectbox", "select_slider", "slider", "number_input",
    "text_input", "text_area", "file_uploader", "metric", "expander", "popover", "tabs",
    "segmented_control", "pills", "multiselect", "form_submit_button", "spinner", "status",
    "Page", "secondary_panel", "progress", "NumberColumn", "TextColumn", "Column",
}
TEXT_KEYWORDS = {"label", "help", "caption", "placeholder", "title", "body", "text"}
#: Literals that are not text for a reader, each with the reason it needs no translation.
ALLOWED = {
    "p − y": "a formula, the same in every language",
    "label": "the CSV column's name (x1, x2, label), as the file and its errors spell it",
}
#: Text inside a literal that is not words: Material icons, colour directives, Markdown.
_NOT_WORDS = re.compile(r":material/[a-z_]+:|:[a-z]+(?:-badge)?\[|[$`][^$`]*[$`]")


def _is_words(text: str) -> bool:
    """Whether ``text`` holds words a reader reads (two letters in a row, outside icons;
    a page script's path, ``explorer/pages/x.py``, is not read)."""
    if text in ALLOWED or re.fullmatch(r"[\w/.-]+\.py", text):
        return False
    return bool(re.search(r"[A-Za-z]{2,}", _NOT_WORDS.sub("", text)))


def _is_translated(node: ast.AST) -> bool:
    """``_(...)``, ``ngettext(...)``, or ``.format(...)`` of one of them."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("_", "ngettext"):
            return True
        if isinstance(func, ast.Attribute) and func.attr == "format":
            return _is_translated(func.value)
    return False


def untranslated_literals(node: ast.AST) -> list[str]:
    """The word-bearing literal texts in the expression ``node`` that are not translated."""
    if _is_translated(node):
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if _is_words(node.value) else []
    if isinstance(node, ast.JoinedStr):
        found = []
        for part in node.values:
            if isinstance(part, ast.Constant) and _is_words(str(part.value)):
                found.append(str(part.value))
            elif isinstance(part, ast.FormattedValue):
                found += untranslated_literals(part.value)
        return found
    if isinstance(node, ast.BinOp):
        return untranslated_literals(node.left) + untranslated_literals(node.right)
    if isinstance(node, ast.IfExp):
        return untranslated_literals(node.body) + untranslated_literals(node.orelse)
    if isinstance(node, ast.List | ast.Tuple):
        return [text for item in node.elts for text in untranslated_literals(item)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "format":
        return untranslated_literals(node.func.value)
    return []


def escaped_texts(source: str) -> list[tuple[int, str]]:
    """``(line, text)`` of every literal shown by a Streamlit call without ``_()``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name not in TEXT_CALLS:
            continue
        shown = node.args[:1] + [kw.value for kw in node.keywords if kw.arg in TEXT_KEYWORDS]
        for argument in shown:
            found += [(node.lineno, text) for text in untranslated_literals(argument)]
    return found


def test_the_scanner_finds_what_escapes():
    assert escaped_texts('st.title("Gradient check")') == [(1, "Gradient check")]
    assert escaped_texts('st.button(label="Next", help="Go on.")') == [(1, "Next"), (1, "Go on.")]
    assert escaped_texts('col.metric(f"Loss {x}", 1)') == [(1, "Loss ")]
    assert escaped_texts('st.caption("a" + _("b"))') == []
    assert escaped_texts('st.caption(_("b") if x else "Plain words")') == [(1, "Plain words")]
    assert escaped_texts('st.tabs(["One", _("Two")])') == [(1, "One")]
    assert escaped_texts('st.warning(_("{n} left").format(n=1), icon=":material/warning:")') \
        == []
    assert escaped_texts('st.markdown(f"**{_(title)}**")') == []
    assert escaped_texts('st.markdown(f"{mark} $\\\\sum_j J$")') == []
    assert escaped_texts('st.html("<style>.x{display:none}</style>")') == []
    assert escaped_texts('print("not shown")') == []
    assert escaped_texts('st.Page("explorer/pages/home_page.py", title=_("Home"))') == []


@pytest.mark.parametrize("path", PAGE_SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_shown_literal_escapes_extraction(path):
    escaped = escaped_texts(path.read_text(encoding="utf-8"))
    assert not escaped, (f"{path.relative_to(REPO)} shows texts without _(): "
                         + "; ".join(f"line {line}: {text[:50]!r}" for line, text in escaped))


# --- the runtime --------------------------------------------------------------------------

def test_english_is_the_source_text():
    with i18n.language("en"):
        assert i18n._("Reset to defaults") == "Reset to defaults"
        assert i18n.ngettext("{count} step", "{count} steps", 1) == "{count} step"
        assert i18n.ngettext("{count} step", "{count} steps", 3) == "{count} steps"
    assert i18n.N_("Reset to defaults") == "Reset to defaults"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of en, de, es, zh"):
        i18n.set_language("xx")


def pseudo_catalog(tmp_path: Path, lang: str, prefix: str) -> Path:
    """A compiled catalog of ``lang`` under ``tmp_path`` that prefixes every message."""
    catalog = pofile.read_po(io.BytesIO(b'msgid ""\nmsgstr ""\n'), locale=lang)
    catalog.add("Reset to defaults", prefix + "Reset to defaults")
    catalog.add(("{count} step", "{count} steps"),
                tuple(prefix + form for form in ("{count} step", "{count} steps")))
    path = tmp_path / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        mofile.write_mo(handle, catalog)
    return path


def test_a_catalog_is_read_with_the_standard_library_and_per_thread(tmp_path, monkeypatch):
    pseudo_catalog(tmp_path, "de", "DE:")
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.translations.cache_clear()
    try:
        seen = {}

        def run(lang):
            i18n.set_language(lang)
            seen[lang] = (i18n._("Reset to defaults"), i18n.ngettext("{count} step",
                                                                     "{count} steps", 2))

        threads = [threading.Thread(target=run, args=(lang,)) for lang in ("de", "en", "zh")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert seen["de"] == ("DE:Reset to defaults", "DE:{count} steps")
        assert seen["en"] == ("Reset to defaults", "{count} steps")
        # No zh catalog here: the English text, not an error.
        assert seen["zh"] == ("Reset to defaults", "{count} steps")
        # This thread never chose: English, whatever the other threads did.
        assert i18n._("Reset to defaults") == "Reset to defaults"
    finally:
        i18n.translations.cache_clear()


def test_an_offline_file_is_written_in_the_language_of_its_page(tmp_path, monkeypatch):
    """Every text of the file (its header, the view's and the page's labels, the notes on
    a bad #hash) comes from the catalog of the language it is exported in."""
    from explorer.guided.page_settings import defaults
    from explorer.offline import offline_html

    with POT.open("rb") as handle:
        catalog = pofile.read_po(handle, locale="de")
    for message in catalog:
        if message.id:
            message.string = (tuple("DE:" + form for form in message.id)
                              if isinstance(message.id, tuple | list) else "DE:" + message.id)
    path = tmp_path / "de" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        mofile.write_mo(handle, catalog)
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.translations.cache_clear()
    try:
        english = offline_html("weights", defaults("weights"))
        german = offline_html("weights", defaults("weights"), lang="de")
    finally:
        i18n.translations.cache_clear()
    data = re.search(r'id="offline-data">(.*?)</script>', german, re.S).group(1)
    labels = json.loads(data)
    texts = [labels["view"]["labels"], labels["labels"]]

    def strings(value):
        if isinstance(value, dict):
            return [text for item in value.values() for text in strings(item)]
        return [value]

    assert '<html lang="de">' in german and '<html lang="en">' in english
    assert "<h1>DE:Gradients of the weights</h1>" in german
    assert all(text.startswith("DE:") for part in texts for text in strings(part))
    assert "DE:" not in english

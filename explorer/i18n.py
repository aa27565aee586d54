"""The explorer's languages and the translation of its texts (stdlib gettext only).

The messages are English in the source; a catalog ``explorer/locales/<lang>/LC_MESSAGES/
messages.mo`` (compiled from the ``.po`` the translators edit, see docs/translations.md)
gives them in another language. English needs no catalog: a message is its own text.

The language is per session, never process-wide: Streamlit runs each session's script in
a thread of its own, so the page sets the current language at the top of every run with
:func:`set_language` (a :class:`contextvars.ContextVar`, private to the running thread).
A fragment's rerun skips the top of the script, so a page may also register
:func:`set_fallback`, a function that reads the session's language when nothing was set
in the running thread.

Mark a text for translation where it is shown: ``_("Reset to defaults")``, with named
placeholders filled in afterwards, ``_("{count} steps on /{page}").format(...)`` (never
glued from translated pieces). A text defined before it is shown (a table, a constant) is
marked with :func:`N_` and translated with :func:`_` where it is shown.

Pure Python: nothing here imports streamlit or Babel.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import os
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

#: Every language of the explorer, by its code (the URL's ``lang``), in its own name.
LANGUAGES = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "zh": "中文（简体）",
}
#: The language of the source texts, shown when nothing else is asked for.
DEFAULT_LANGUAGE = "en"
#: Where the catalogs live: ``<lang>/LC_MESSAGES/<DOMAIN>.mo``; the environment variable
#: ``EXPLORER_LOCALES`` names another directory (a browser test's catalogs).
LOCALES = Path(os.environ.get("EXPLORER_LOCALES") or Path(__file__).resolve().parent / "locales")
DOMAIN = "messages"

_current: ContextVar[str | None] = ContextVar("explorer_language", default=None)
_fallback: list[Callable[[], str | None]] = []


def set_language(lang: str) -> None:
    """Make ``lang`` the language of the running thread (one session's script run).

    Raises ValueError for a code not in :data:`LANGUAGES`.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    _current.set(lang)


def set_fallback(resolver: Callable[[], str | None]) -> None:
    """Ask ``resolver()`` for the language when no run set one in this thread.

    The resolver reads per-session state (the page's language widget), so a fragment's
    rerun, which skips the top of the page, keeps the session's language.
    """
    _fallback[:] = [resolver]


def current_language() -> str:
    """The language of the running session, or :data:`DEFAULT_LANGUAGE`."""
    lang = _current.get()
    if lang is None and _fallback:
        lang = _fallback[0]()
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@contextlib.contextmanager
def language(lang: str) -> Iterator[None]:
    """Run a block in ``lang`` (tests, exports), then restore the previous language."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def catalog_path(lang: str) -> Path:
    """The compiled catalog of ``lang``."""
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang``, read once per process; English (or no file) gives the msgid."""
    if lang == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    try:
        with catalog_path(lang).open("rb") as file:
            return gettext.GNUTranslations(file)
    except FileNotFoundError:
        return gettext.NullTranslations()


def _(message: str) -> str:
    """``message`` in the current language (itself when the catalog lacks it)."""
    return translations(current_language()).gettext(message) or message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for the count ``n`` in the current language.

    An untranslated plural (Babel compiles its empty forms too) gives the English form.
    """
    english = singular if n == 1 else plural
    return translations(current_language()).ngettext(singular, plural, n) or english


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (translate it where shown)."""
    return message

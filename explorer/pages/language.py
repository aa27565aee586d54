"""The language of a page run, and the selector every page shows.

The language comes from the selector's value, else the URL's ``lang``, else English; it is
set for the running session at the top of every run (:func:`use_page_language`, called by
:func:`explorer.pages.presentation.apply_page_look` before the page runs). The selector
lives in the entry script, beside the presentation toggle, so it is on every page.

The selector shows each language in its own name, so it is not a ``bind="query-params"``
widget (that would write ``lang=Deutsch``): it reads the URL itself (:func:`follow_url`)
and writes the code back on every run, so a shared link opens in the sender's language and
a page switch keeps it.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from explorer import i18n
from explorer.i18n import _
from explorer.pages.controls import follow_url, note_ignored_url_value
from explorer.settings import specs
from explorer.settings.query import resolve_query


def session_language() -> str:
    """The language the session asks for: the selector's value, else the URL's, else English."""
    key = specs.LANGUAGE.key
    value = st.session_state.get(key)
    if value in i18n.LANGUAGES:
        return value
    try:
        return resolve_query(specs.LANGUAGE, st.query_params.get_all(key))
    except ValueError:
        return specs.LANGUAGE.default


def _running_session_language() -> str | None:
    """The selector's value inside a script run (a fragment's rerun), else None.

    Reads only the session state: checking a URL value makes messages, which would ask
    for the language again.
    """
    if get_script_run_ctx() is None:
        return None
    return st.session_state.get(specs.LANGUAGE.key)


def use_page_language() -> str:
    """Set this run's language (the URL's new value first, see :func:`follow_url`)."""
    i18n.set_fallback(_running_session_language)
    i18n.set_language(specs.LANGUAGE.default)  # while the URL is read: its notes need one
    follow_url(specs.LANGUAGE)
    lang = session_language()
    i18n.set_language(lang)
    return lang


def language_selector() -> str:
    """The language selector, each language in its own name; returns the chosen code.

    The URL's ``lang`` follows it: the code when it is not English, else nothing (an
    invalid value is named in the page's notes and removed).
    """
    setting = specs.LANGUAGE
    note_ignored_url_value(setting)
    lang = st.selectbox(
        _(setting.label), options=list(setting.options), key=setting.key,
        format_func=i18n.LANGUAGES.__getitem__, help=_(setting.help),
    )
    if lang == setting.default:
        if setting.key in st.query_params:
            del st.query_params[setting.key]
    elif st.query_params.get_all(setting.key) != [lang]:
        st.query_params[setting.key] = lang
    return lang

"""Widgets shared by every page: URL-bound controls, URL notes, reset, share hint.

Each control is created from its :class:`explorer.settings.setting.Setting`, bound to the URL
with ``bind="query-params"`` so that a copied address reproduces the view.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import streamlit as st

from explorer.i18n import _
from explorer.settings.query import check_query, resolve_query
from explorer.settings.setting import Setting

_NOTES_KEY = "_url_notes"
_RESET_CHECK_KEY = "_reset_check"
_RESET_PENDING_KEY = "_reset_pending"


def _raw_query_values(key: str) -> list[str]:
    return list(st.query_params.get_all(key))


def control(setting: Setting, container: Any = None, **kwargs: Any) -> Any:
    """Create the widget of ``setting`` bound to the URL, and return its value.

    The label and the help are shown in the session's language (the spec holds them in
    English; explorer/i18n_extract.py extracts them). The options are shown as the URL
    writes them (:meth:`Setting.format_option`), in every language: a bound widget writes
    its caption into the URL, so a translated caption would change the link. An ignored
    URL value is recorded for :func:`show_url_notes`. Extra keyword arguments go to the
    Streamlit widget (e.g. ``label_visibility``).
    """
    where = container if container is not None else st
    note_ignored_url_value(setting)
    label = _(setting.label)
    caption = setting.format_option
    common = {"key": setting.key, "help": _(setting.help) if setting.help else None,
              "bind": "query-params"}
    common.update(kwargs)
    if setting.kind == "toggle":
        return where.toggle(label, value=setting.default, **common)
    if setting.kind == "segmented":
        # Streamlit clears a segmented control for an empty URL value (?view=), even a
        # required one: fall back to the default, as the URL note says.
        value = where.segmented_control(
            label, options=list(setting.options), default=setting.default,
            format_func=caption, required=True, **common,
        )
        if value is None:
            _restore_once(setting)
            return setting.default
        return value
    if setting.kind == "select":
        if setting.uses_select_slider:
            return where.select_slider(
                label, options=list(setting.options), value=setting.default,
                format_func=setting.format_option, **common,
            )
        return where.selectbox(
            label, options=list(setting.options),
            index=list(setting.options).index(setting.default),
            format_func=caption, **common,
        )
    if setting.kind == "int":
        return where.slider(
            label, min_value=int(setting.min_value), max_value=int(setting.max_value),
            value=int(setting.default), step=int(setting.step or 1), **common,
        )
    return where.slider(
        label, min_value=float(setting.min_value), max_value=float(setting.max_value),
        value=float(setting.default), step=float(setting.step), **common,
    )


class ControlValues(dict):
    """The value of every control made through :meth:`control`, by URL key: what a settings
    dataclass reads with ``from_values`` (explorer.settings.setting.settings_dataclass)."""

    def control(self, setting: Setting, container: Any = None, **kwargs: Any) -> Any:
        """:func:`control`, remembering the value under ``setting.key``."""
        self[setting.key] = control(setting, container, **kwargs)
        return self[setting.key]


def note_ignored_url_value(setting: Setting) -> None:
    """Record for :func:`show_url_notes` why the URL's value of ``setting`` is ignored, if it is."""
    note = check_query(setting, _raw_query_values(setting.key))
    if note:
        st.session_state.setdefault(_NOTES_KEY, {})[setting.key] = note


def follow_url(setting: Setting) -> None:
    """Take a new URL value of a control that lives in the entry script (set by code
    between runs, or a test).

    Such a control (the presentation toggle, the language) exists before any page reads
    the URL, and a bound widget that already exists keeps its own value. A URL value that
    differs from the one seen on the previous run is therefore applied before the widget
    is made; a value the widget itself wrote is the one seen, so a click is never undone.
    """
    seen_key = f"_{setting.key}_url_seen"
    raw = tuple(st.query_params.get_all(setting.key))
    if raw and raw != st.session_state.get(seen_key):
        # An invalid value is left alone: control() names it in the page's URL notes.
        with contextlib.suppress(ValueError):
            st.session_state[setting.key] = resolve_query(setting, raw)
    st.session_state[seen_key] = raw


def _restore_once(setting: Setting) -> None:
    """Give a widget that the URL cleared its default again, with one more run."""
    flag = f"_restored_{setting.key}"
    if st.session_state.get(flag):
        return
    st.session_state[flag] = True
    st.session_state[_RESET_PENDING_KEY] = {
        **st.session_state.get(_RESET_PENDING_KEY, {}), setting.key: setting.default,
    }
    st.rerun(scope="app")


def show_url_notes(slot: Any) -> None:
    """Write the notes about ignored URL values into ``slot`` (an ``st.empty``).

    Call it after every control of the page has been created; the slot sits at the
    top of the page so the note is the first thing a learner sees. It also completes
    a reset (see :func:`reset_button`).
    """
    _finish_reset()
    notes = st.session_state.pop(_NOTES_KEY, {})
    if notes:
        lines = "\n".join(f"- {note}" for note in notes.values())
        slot.warning(_("Some link parameters were ignored:\n{notes}").format(notes=lines),
                     icon=":material/warning:")


def reset_button(
    settings: Iterable[Setting], *, key: str = "reset", forget: Sequence[str] = ()
) -> None:
    """A button that puts every setting back to its default (and so clears the URL).

    A setting whose range depends on another (the target class on K) gets a new
    widget when that range changes, and a new widget reads the address bar, which
    still holds the old value. :func:`show_url_notes` therefore checks after the run
    and, if some value did not take, applies it once more before the widgets exist.
    ``forget`` names session values that are not settings (e.g. a clicked chart cell)
    and go back to unset.
    """
    defaults = {setting.key: setting.default for setting in settings}

    def reset() -> None:
        set_controls(defaults, forget=forget)

    st.button(
        _("Reset to defaults"), icon=":material/restart_alt:", key=key, on_click=reset,
        help=_("Every control back to its default."),
    )


def set_controls(values: Mapping[str, Any], *, forget: Sequence[str] = ()) -> None:
    """Give the controls named in ``values`` those values, before their widgets are made.

    Call it from a callback or before the page creates its widgets. Streamlit mirrors
    the new widget values into the URL. A value that does not take (a widget whose range
    depends on another setting reads the old address bar) is applied once more by
    :func:`show_url_notes`. ``forget``: session values that go back to unset.
    """
    for name, value in values.items():
        st.session_state[name] = value
    for name in forget:
        st.session_state.pop(name, None)
    st.session_state[_RESET_CHECK_KEY] = dict(values)


def _apply_pending_reset() -> None:
    pending = st.session_state.pop(_RESET_PENDING_KEY, None)
    if pending:
        for name, value in pending.items():
            st.session_state[name] = value


def _finish_reset() -> None:
    defaults = st.session_state.pop(_RESET_CHECK_KEY, None)
    if not defaults:
        return
    missed = {
        name: value for name, value in defaults.items()
        if name in st.session_state and st.session_state[name] != value
    }
    if missed:
        st.session_state[_RESET_PENDING_KEY] = missed
        st.rerun()


def share_hint() -> None:
    """A one-line reminder that the address bar reproduces this exact view."""
    with st.container(key="share_hint"):
        st.caption(_(
            ":material/link: The address bar is a shareable link: it reproduces exactly this "
            "view."
        ))


def lesson_header(
    title: str, lesson: str, explanation: str, settings: Sequence[Setting],
    *, forget: Sequence[str] = (), explanation_fields: Mapping[str, Any] | None = None,
) -> Any:
    """Title, one-line lesson, "What am I looking at?", reset and share hint.

    ``title``, ``lesson`` and ``explanation`` are English messages marked with
    :func:`explorer.i18n.N_`; they are shown translated, the explanation with its named
    placeholders filled from ``explanation_fields`` when given.

    ``forget``: session values that Reset clears besides the settings (see
    :func:`reset_button`).

    Returns
    -------
    st.empty
        The slot for :func:`show_url_notes`.
    """
    _apply_pending_reset()
    st.title(_(title))
    st.markdown(_(lesson))
    notes_slot = st.empty()
    left, right = st.columns([4, 1], vertical_alignment="center")
    with left:
        with st.expander(_("What am I looking at?")):
            text = _(explanation)
            st.markdown(text.format(**explanation_fields) if explanation_fields else text)
        share_hint()
    with right:
        reset_button(settings, forget=forget)
    return notes_slot

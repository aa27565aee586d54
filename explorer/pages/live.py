"""The live components: registered once here, mounted by the pages, state kept honest.

A live view computes and draws in the browser (explorer/web/), so a key press never waits
for the server. Python stays authoritative:

- the first state comes from the URL through the :class:`explorer.settings.setting.Setting` checks
  (:func:`explorer.settings.query.read_link_value`, with the usual notes about ignored values);
- the state the browser sends back (debounced, about 250 ms after the last change) is user
  input and goes through the same checks (:func:`explorer.settings.query.browser_value`);
- the URL is written back from the checked state, so the address bar stays a link.

``data`` sent to a component only changes when the server overrides the browser (first
load, reset, a corrected value): it carries an ``epoch`` the browser compares with its own
(see explorer/web/live_state.js), so an unchanged ``data`` is an unchanged message and the
browser's state is not clobbered by an echo of an older sync.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from explorer.settings.query import browser_value, read_link_value
from explorer.settings.setting import Setting
from explorer.web.bundle import bundle, read

_NOTES_KEY = "_url_notes"  # the same slot explorer.pages.controls.show_url_notes reads


def component_js(entry: str) -> str:
    """The JS of a component: ``entry`` (a file of explorer/web/) with its imports inlined."""
    return bundle(entry)


def component_css() -> str:
    """The CSS shared by every live view (explorer/web/live.css)."""
    return read("live.css")


def register(name: str, entry: str):
    """Register the component ``name`` whose default export is in ``entry``; its renderer."""
    return st.components.v2.component(
        name, html="", css=component_css(), js=component_js(entry), isolate_styles=True
    )


SOFTMAX_COMPONENT = register("softmax_explorer.softmax_live", "softmax_view.js")
WEIGHTS_COMPONENT = register("softmax_explorer.weights_live", "weights_view.js")



@dataclass(frozen=True)
class LiveView:
    """How one page's settings map to a live component's state.

    Attributes
    ----------
    name : str
        Prefix of the session keys (``<name>_values`` is the checked state).
    component : callable
        A renderer from :func:`register`.
    settings : tuple of Setting
        Every setting the component owns, in URL order.
    to_browser : callable
        ``values (dict key -> value) -> state`` the JS view reads (JSON).
    from_browser : callable
        ``state -> dict key -> raw value``; raises ValueError on a malformed state.
    refine : callable
        ``values -> settings`` whose range depends on other values (the target y < K);
        those are checked again against their narrowed range.
    key : str
        The component's key, when it is not ``<name>_live`` (the /training player).
    page : str
        The page (URL path) the view is on, when it is not ``name``: two pages may own a
        setting of the same key (``lr`` on /weights and /training).
    """

    name: str
    component: Callable
    settings: tuple[Setting, ...]
    to_browser: Callable[[Mapping[str, Any]], dict]
    from_browser: Callable[[Mapping[str, Any]], dict]
    refine: Callable[[Mapping[str, Any]], Sequence[Setting]] = lambda values: ()
    key: str = ""
    page: str = ""

    @property
    def page_name(self) -> str:
        """The page the view is on."""
        return self.page or self.name

    @property
    def values_key(self) -> str:
        """Session key of the checked state; forget it to reset the view."""
        return f"{self.name}_values"

    @property
    def component_key(self) -> str:
        return self.key or f"{self.name}_live"


#: Every live view defined so far, by name (a page's view is defined when its script runs);
#: tests read it to know which settings a live page owns.
VIEWS: dict[str, LiveView] = {}


def define(view: LiveView) -> LiveView:
    """Record ``view`` in :data:`VIEWS` and return it."""
    VIEWS[view.name] = view
    return view


def check_values(view: LiveView, raw: Mapping[str, Any], *, from_url: bool) -> tuple[dict, list]:
    """Every setting's value from ``raw`` (URL value lists, or browser values), and notes.

    An absent or invalid value gives the setting's default; each problem is one note.
    """
    values, notes = {}, []
    for setting in view.settings:
        values[setting.key], note = _check_one(setting, raw, from_url)
        if note:
            notes.append((setting.key, note))
    for setting in view.refine(values):
        value, note = _check_one(setting, {setting.key: _as_raw(values[setting.key], from_url)},
                                 from_url)
        values[setting.key] = value
        if note:
            notes.append((setting.key, note))
    return values, notes


def _as_raw(value: Any, from_url: bool) -> Any:
    return [setting_text(value)] if from_url else value


def _check_one(setting: Setting, raw: Mapping[str, Any], from_url: bool):
    if setting.key not in raw:
        return setting.default, None
    if from_url:
        return read_link_value(setting, raw[setting.key])
    try:
        return browser_value(setting, raw[setting.key]), None
    except ValueError as error:
        return setting.default, str(error)


def setting_text(value: Any) -> str:
    """How a value is written in the URL (the spelling :class:`Setting` uses)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def current_values(view: LiveView) -> tuple[dict, dict, int]:
    """The checked state, the state last sent to the browser and the epoch, for this run.

    First run in the session: read the URL (notes go where
    :func:`explorer.pages.controls.show_url_notes` shows them). After a reset (the values
    were forgotten): the defaults, in a new epoch. Otherwise: take the browser's latest
    sync when it is new, check it, and start a new epoch only if a value had to be corrected.
    """
    session = st.session_state
    values_key, seed_key, epoch_key = view.values_key, f"{view.name}_seed", f"{view.name}_epoch"
    seen_key = f"{view.name}_seen"
    if values_key not in session:
        if epoch_key in session:  # a reset forgot the values
            values = {setting.key: setting.default for setting in view.settings}
            values, _ = check_values(view, values, from_url=False)
        else:
            query = {key: st.query_params.get_all(key) for key in st.query_params}
            values, notes = check_values(view, query, from_url=True)
            for key, note in notes:
                session.setdefault(_NOTES_KEY, {})[key] = note
        session[values_key] = values
        session[seed_key] = values
        session[epoch_key] = session.get(epoch_key, -1) + 1
    synced = (session.get(view.component_key) or {}).get("state")
    if synced and synced != session.get(seen_key):
        session[seen_key] = synced
        try:
            raw = view.from_browser(synced)
        except (ValueError, TypeError, KeyError, IndexError):
            raw = None
        if raw is None:
            corrected = True
        else:
            values, notes = check_values(view, raw, from_url=False)
            session[values_key] = values
            corrected = bool(notes)
        if corrected:
            session[seed_key] = session[values_key]
            session[epoch_key] += 1
    return session[values_key], session[seed_key], session[epoch_key]


def _views(page: str | None) -> list[LiveView]:
    """The live views of ``page`` (every view for None)."""
    return [view for view in VIEWS.values() if page is None or view.page_name == page]


def owner(key: str, page: str | None = None) -> LiveView | None:
    """The live view (of ``page``, if given) that owns the setting ``key`` (None for a
    Streamlit widget's setting)."""
    for view in _views(page):
        if any(setting.key == key for setting in view.settings):
            return view
    return None


def session_value(key: str, default: Any, page: str | None = None) -> Any:
    """The value a live view (of ``page``) holds now for the setting ``key``, or ``default``."""
    view = owner(key, page)
    if view is None:
        return default
    return (st.session_state.get(view.values_key) or {}).get(key, default)


def apply_values(values: Mapping[str, Any], page: str | None = None) -> dict:
    """Give the live views (of ``page``) the values they own, as a server override (a new
    epoch).

    Parameters
    ----------
    values : mapping of URL key to value
        Checked again through each view's settings (an invalid one keeps its default).
    page : str, optional
        Only the views of this page: another page's view may own a setting of the same key.

    Returns
    -------
    dict
        The entries no live view owns (for Streamlit widgets).
    """
    rest = dict(values)
    session = st.session_state
    for view in _views(page):
        owned = {setting.key: rest.pop(setting.key) for setting in view.settings
                 if setting.key in rest}
        if not owned:
            continue
        current, _, _ = current_values(view)  # on a first run: what the link carries
        checked, _ = check_values(view, {**current, **owned}, from_url=False)
        epoch_key = f"{view.name}_epoch"
        session[view.values_key] = checked
        session[f"{view.name}_seed"] = checked
        session[epoch_key] = session.get(epoch_key, -1) + 1
    return rest


def write_url(view: LiveView, values: Mapping[str, Any],
              extra: Mapping[str, str | None] = ()) -> None:
    """Put every non-default value (and ``extra`` entries; None removes) in the URL."""
    wanted = {setting.key: (None if values[setting.key] == setting.default
                            else setting_text(values[setting.key]))
              for setting in view.settings}
    wanted.update(dict(extra))
    for key, text in wanted.items():
        present = st.query_params.get(key)
        if text is None and key in st.query_params:
            del st.query_params[key]
        elif text is not None and present != text:
            st.query_params[key] = text


def ignore_state() -> None:
    """on_state_change: the new state is read and checked by the next run itself."""


def mount(view: LiveView, extra: Mapping[str, Any], *, present: bool = False,
          height: int | None = None) -> dict:
    """Check the state, mount the component, write the URL; return the checked values.

    Parameters
    ----------
    view : LiveView
    extra : mapping
        More JSON data for the component (limits, colours, the translated ``labels``): must
        be constant for a page in one language so that ``data`` only changes with the epoch
        (a new language rebuilds the view, see explorer/web/live_state.js).
    present : bool
        Adds the ``present`` class (larger text) to the view.
    """
    values, seed, epoch = current_values(view)
    data = {"epoch": epoch, "state": view.to_browser(seed), "present": bool(present), **extra}
    kwargs = {} if height is None else {"height": height}
    view.component(key=view.component_key, data=data, on_state_change=ignore_state, **kwargs)
    return values

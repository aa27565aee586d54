"""The guided-lesson panel of a page, and the list of lessons on the home page.

A page calls :func:`guided_lesson` once, before it creates its controls. When the URL
names a lesson for that page (``?lesson=jacobian&step=3``) the panel shows the step: what
to look at, a prediction question, a Reveal that reads the live numbers, and
Previous/Next (also PageUp/PageDown, which presenter clickers send). A step sets the
page's controls through their widget state, which Streamlit mirrors into the URL, so the
address bar always reproduces the step. The lessons are validated data files
(:mod:`explorer.guided.lesson_file`); a broken one is reported here and nowhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from explorer.guided.lesson_file import (
    LESSON_KEY,
    LESSON_STEP,
    Catalog,
    Lesson,
    load_lessons,
)
from explorer.guided.page_settings import PAGE_SETTINGS
from explorer.guided.quantities import quantities
from explorer.guided.template import TemplateError, render
from explorer.i18n import _, ngettext
from explorer.markdown_text import plain_text, quote_value
from explorer.pages import live
from explorer.pages.controls import set_controls
from explorer.pages.lessons import LESSONS
from explorer.settings.query import check_query

#: Session key of the (lesson id, step) whose controls were last applied.
APPLIED_KEY = "_lesson_applied"
#: Session key of the (lesson id, step) whose answer has been revealed.
REVEALED_KEY = "_lesson_revealed"
#: Page name -> its script, for the links of the lesson list.
PAGE_SCRIPTS = {page.url_path: page.script for page in LESSONS}
#: PageDown/PageUp on a focused control also mean Next/Previous (constant JS, no data).
_presenter_keys = st.components.v2.component(
    "lesson_presenter_keys",
    js=(Path(__file__).parents[1] / "web" / "lesson_keys.js").read_text(encoding="utf-8"),
)


@st.cache_resource(show_spinner=False)
def lesson_catalog() -> Catalog:
    """Every shipped lesson, loaded and validated once per server process."""
    return load_lessons()


def answer_key(lesson: Lesson, number: int) -> str:
    """Widget key of the prediction question of one step."""
    return f"lesson_answer_{lesson.id}_{number}"


@st.cache_data(max_entries=256, show_spinner=False)
def reveal_text(page: str, template: str, now: tuple, before: tuple) -> str:
    """The reveal with the numbers of the settings ``now`` and ``before`` (sorted items).

    ``template`` is the reveal already translated (so the cache keeps one per language).
    """
    return render(template, quantities(page, dict(now)), quantities(page, dict(before)))


def _step_number(lesson: Lesson) -> tuple[int, str | None]:
    """The 1-based step the URL asks for, and a note when its value was ignored."""
    setting = LESSON_STEP.with_range(max_value=len(lesson))
    values = st.query_params.get_all(setting.key)
    note = check_query(setting, values)
    if note:
        # The address bar should reproduce what is shown: the first step.
        st.query_params[setting.key] = str(setting.default)
    if note or not values:
        return setting.default, note
    return setting.parse(values[-1]), None


def _apply_step(lesson: Lesson, number: int) -> None:
    """Set the page's controls to the step's settings, once per arrival at the step.

    A link opened afresh keeps the control values it carries (a learner may share a
    step after moving a slider); arriving by Previous/Next sets every control.
    """
    marker = (lesson.id, number)
    applied = st.session_state.get(APPLIED_KEY)
    if applied == marker:
        return
    defaults = lesson.states[0]
    wanted = {key: value for key, value in lesson.states[number].items()
              if not (applied is None and key in st.query_params)}
    # The controls of a live view are its state (namespaced per view): set them all.
    widgets = live.apply_values(wanted, page=lesson.page)
    set_controls({
        key: value for key, value in widgets.items()
        # Only what changes: a value written through the session state outlives the page
        # (another page's widget with the same key, e.g. K, would start from it).
        if st.session_state.get(key, defaults[key]) != value
    })
    st.session_state[APPLIED_KEY] = marker


def _go_to(number: int) -> None:
    """on_click of Previous/Next: the step in the URL; the next run applies its controls."""
    st.query_params[LESSON_STEP.key] = str(number)


def _exit() -> None:
    for key in (LESSON_KEY, LESSON_STEP.key):
        if key in st.query_params:
            del st.query_params[key]
    st.session_state.pop(APPLIED_KEY, None)


def _reveal(lesson: Lesson, number: int) -> None:
    """on_click of Reveal: remember the step and the prediction made before the reveal."""
    chosen = st.session_state.get(answer_key(lesson, number))
    if chosen is not None:
        st.session_state[REVEALED_KEY] = (lesson.id, number, chosen)


def _revealed_answer(lesson: Lesson, number: int) -> int | None:
    """The prediction revealed at this step, or None before the reveal."""
    revealed = st.session_state.get(REVEALED_KEY)
    if revealed is not None and revealed[:2] == (lesson.id, number):
        return revealed[2]
    return None


def _live_settings(lesson: Lesson, number: int) -> dict[str, Any]:
    """The page's settings as the controls hold them now (the step's values by default)."""
    state = lesson.states[number]
    return {key: live.session_value(key, st.session_state.get(key, value), lesson.page)
            for key, value in state.items()}


def _show_reveal(lesson: Lesson, number: int, chosen: int) -> None:
    step = lesson.steps[number - 1]
    right = _(step.choices[step.answer])
    if chosen == step.answer:
        verdict = _(":green[:material/check_circle: **Right:** {answer}.]").format(answer=right)
    else:
        verdict = _(":orange[:material/lightbulb: **Not quite.** The answer is: {answer}.]").format(
            answer=right)
    now = tuple(sorted(_live_settings(lesson, number).items()))
    before = tuple(sorted(lesson.states[number - 1].items()))
    try:
        text = reveal_text(lesson.page, _(step.reveal), now, before)
    except (TemplateError, ValueError, IndexError, KeyError) as error:
        text = _("The numbers cannot be read for these settings: {reason}").format(
            reason=plain_text(str(error)))
    with st.container(key="lesson_reveal_text", border=True):
        st.markdown(f"{verdict} {text}")


def _panel(lesson: Lesson, number: int, note: str | None) -> None:
    step = lesson.steps[number - 1]
    total = len(lesson)
    with st.container(border=True, key="lesson_panel"):
        with st.container(horizontal=True, wrap=False, vertical_alignment="center",
                          key="lesson_head"):
            st.markdown(
                _(":material/school: **{lesson}** · step {number} of {total}: "
                  "**{step}**").format(lesson=_(lesson.title), number=number, total=total,
                                       step=_(step.title)),
                width="stretch",
            )
            st.button(_("Previous"), key="lesson_previous", icon=":material/arrow_back:",
                      on_click=_go_to, args=(number - 1,), disabled=number == 1,
                      shortcut="PageUp")
            st.button(_("Next"), key="lesson_next", icon=":material/arrow_forward:",
                      on_click=_go_to, args=(number + 1,), disabled=number == total,
                      shortcut="PageDown", type="primary")
            st.button(_("Exit"), key="lesson_exit", icon=":material/close:", on_click=_exit,
                      help=_("Leave the lesson; the controls stay as they are."),
                      type="tertiary")
        if note:
            st.warning(_("Lesson step: {note}").format(note=note), icon=":material/warning:")
        text, question = st.columns([1, 1], gap="medium")
        with text:
            st.markdown(_(step.look))
        revealed = _revealed_answer(lesson, number)
        with question:
            chosen = st.radio(
                f"**{_(step.question)}**", options=list(range(len(step.choices))), index=None,
                format_func=lambda index: _(step.choices[index]),
                key=answer_key(lesson, number),
            )
            if revealed is None:
                st.button(_("Reveal"), key="lesson_reveal", icon=":material/visibility:",
                          on_click=_reveal, args=(lesson, number), disabled=chosen is None,
                          help=_("Choose your prediction first.") if chosen is None else None)
        if revealed is not None:
            # The verdict is on the prediction made before the reveal, even if changed since.
            _show_reveal(lesson, number, revealed)
        _presenter_keys(key="lesson_presenter_keys")
        # The key handler draws nothing: take its empty box out of the panel's layout.
        st.html("<style>.st-key-lesson_presenter_keys{display:none}</style>")


def guided_lesson(page: str) -> None:
    """Show the lesson the URL names for ``page`` (nothing when there is none).

    Call it before the page creates its controls: a new step sets them.

    Parameters
    ----------
    page : str
        The page's name: ``softmax``, ``weights``, ``training`` or ``check``.
    """
    if page not in PAGE_SETTINGS:
        raise ValueError(f"no lessons for page {page!r}")
    values = st.query_params.get_all(LESSON_KEY)
    if not values:
        return
    lesson_id = values[-1]
    catalog = lesson_catalog()
    if lesson_id in catalog.errors:
        st.error(
            _("This lesson cannot be shown because its file is broken: {error}").format(
                error=plain_text(str(catalog.errors[lesson_id]))), icon=":material/error:",
        )
        return
    lesson = catalog.lessons.get(lesson_id)
    if lesson is None:
        known = ", ".join(f"`{name}`" for name in catalog.lessons)
        st.warning(_("There is no lesson {lesson} (lessons: {known}).").format(
            lesson=quote_value(lesson_id), known=known), icon=":material/warning:")
        return
    if lesson.page != page:
        st.warning(
            _("The lesson *{lesson}* runs on the /{page} page.").format(
                lesson=_(lesson.title), page=lesson.page),
            icon=":material/warning:",
        )
        st.page_link(PAGE_SCRIPTS[lesson.page],
                     label=_("Open the lesson on /{page}").format(page=lesson.page),
                     icon=":material/arrow_forward:", query_params={LESSON_KEY: lesson.id})
        return
    number, note = _step_number(lesson)
    _apply_step(lesson, number)
    _panel(lesson, number, note)


def lesson_list() -> None:
    """The home page's list of lessons: one card per lesson, and each broken file's error."""
    catalog = lesson_catalog()
    st.subheader(_(":material/school: Guided lessons"), anchor=False)
    st.markdown(_(
        "Step-by-step walks for a class: each step sets the controls, asks you to predict "
        "what happens, then reveals the live numbers. PageDown and PageUp (a presenter's "
        "clicker) move between steps."
    ))
    columns = st.columns(3, gap="medium")
    for index, lesson in enumerate(catalog.lessons.values()):
        with columns[index % 3], st.container(border=True, key=f"lesson_card_{lesson.id}"):
            st.markdown(f"**{_(lesson.title)}**")
            st.caption(ngettext("{count} step on /{page}", "{count} steps on /{page}",
                                len(lesson)).format(count=len(lesson), page=lesson.page))
            st.markdown(_(lesson.summary))
            st.page_link(PAGE_SCRIPTS[lesson.page], label=_("Start the lesson"),
                         icon=":material/play_arrow:", query_params={LESSON_KEY: lesson.id})
    for error in catalog.errors.values():
        st.error(_("A lesson file could not be loaded: {error}").format(
            error=plain_text(str(error))), icon=":material/error:")

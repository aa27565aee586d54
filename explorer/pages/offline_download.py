"""The download button of an offline lesson file, for a page with a live view.

One call per page (inside its live panel, after :func:`explorer.pages.live.mount`): the
button exports the view as it is now, or the lesson open on the page, through the pure
builder :mod:`explorer.offline`. The file is built only when the button is clicked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from explorer.guided.lesson_file import LESSON_KEY
from explorer.i18n import _, current_language
from explorer.offline import file_name, offline_html
from explorer.pages.guided import lesson_catalog


def _open_lesson(page: str):
    """The valid lesson the URL opens on ``page``, or None."""
    values = st.query_params.get_all(LESSON_KEY)
    lesson = lesson_catalog().lessons.get(values[-1]) if values else None
    return lesson if lesson is not None and lesson.page == page else None


def offline_download(page: str, values: Mapping[str, Any]) -> None:
    """A button that downloads ``page``'s offline file (the open lesson's, if any).

    Parameters
    ----------
    page : {"softmax", "weights"}
    values : mapping
        The checked settings shown now (what :func:`explorer.pages.live.mount` returned).
    """
    lesson = _open_lesson(page)
    values = dict(values)
    lang = current_language()  # the file is built later, when clicked, maybe elsewhere
    label = _("Download this lesson for offline use") if lesson else _("Download an offline copy")
    help_text = (
        _("One HTML file that works with no server and no network: the controls, the charts "
          "and the lesson's steps, with the state in its address (#…).") if lesson
        else _("One HTML file that works with no server and no network: the controls, the "
               "charts, with the state in its address (#…).")
    )
    st.download_button(
        label, key="offline_download", icon=":material/download:", mime="text/html",
        file_name=file_name(page, lesson), on_click="ignore",
        data=lambda: offline_html(page, values, lesson, lang=lang),
        help=help_text,
    )

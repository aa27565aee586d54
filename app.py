"""Entry point: the shared page look and navigation over the lessons. No logic lives here."""

import streamlit as st

from explorer.i18n import _
from explorer.pages.lessons import LESSONS
from explorer.pages.presentation import apply_page_look

apply_page_look()  # also sets this run's language: the titles below are translated

home = st.Page("explorer/pages/home_page.py", title=_("Home"), icon=":material/home:", default=True)
lessons = [
    st.Page(lesson.script, title=_(lesson.title), icon=lesson.icon, url_path=lesson.url_path)
    for lesson in LESSONS
]
# One flat list: Streamlit's sectioned navigation puts its section wrappers directly inside
# the <ul>, which screen readers (and axe's list rule) reject.
st.navigation([home, *lessons]).run()

"""Entry point: page config and navigation over the lessons. No logic lives here."""

import streamlit as st

from explorer.pages.lessons import LESSONS

st.set_page_config(
    page_title="Softmax gradient explorer",
    page_icon=":material/functions:",
    layout="wide",
    initial_sidebar_state="expanded",
)

home = st.Page("explorer/pages/home_page.py", title="Home", icon=":material/home:", default=True)
lessons = [
    st.Page(lesson.script, title=lesson.title, icon=lesson.icon, url_path=lesson.url_path)
    for lesson in LESSONS
]
st.navigation({"Explorer": [home], "Lessons": lessons}).run()

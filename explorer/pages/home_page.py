"""Home: what the explorer teaches, one card per lesson."""

import streamlit as st

from explorer.i18n import _
from explorer.pages.controls import show_url_notes
from explorer.pages.guided import lesson_list
from explorer.pages.lessons import LESSONS

st.title(_("Softmax gradient explorer"))
notes_slot = st.empty()
st.markdown(_(
    "Softmax turns scores into probabilities; cross-entropy turns probabilities into a loss; "
    "gradient descent follows the derivative of that loss back to the weights. "
    "Every number here is computed exactly, in your browser's session, as you move the "
    "controls, and every view has its own link you can share."
))

columns = st.columns(2, gap="medium")
for index, lesson in enumerate(LESSONS):
    with columns[index % 2], st.container(border=True, key=f"card_{lesson.url_path}"):
        st.subheader(f"{lesson.icon} {_(lesson.title)}", anchor=False)
        st.markdown(_(lesson.lesson))
        st.page_link(
            lesson.script, label=_("Open /{page}").format(page=lesson.url_path),
            icon=":material/arrow_forward:",
        )

lesson_list()

st.divider()
st.caption(_(
    "Formulas follow the row-per-example convention: X is (N, D), W is (D, K), b is (K,), "
    "logits Z = XW + b. Built with numpy, Plotly and Streamlit."
))
show_url_notes(notes_slot)

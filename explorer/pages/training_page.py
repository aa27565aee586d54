"""PLACEHOLDER: the /training page is being built."""

import streamlit as st

st.title("training")
st.info("This lesson is being built.")

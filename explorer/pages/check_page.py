"""PLACEHOLDER: the /check page is being built."""

import streamlit as st

st.title("check")
st.info("This lesson is being built.")

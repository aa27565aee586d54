"""PLACEHOLDER: the /weights page is being built."""

import streamlit as st

st.title("weights")
st.info("This lesson is being built.")

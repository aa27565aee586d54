"""PLACEHOLDER: the /softmax page is being built."""

import streamlit as st

st.title("softmax")
st.info("This lesson is being built.")

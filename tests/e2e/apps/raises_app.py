"""A test app whose script fails with an internal error carrying secrets in its message.

Run by tests/e2e/test_error_leaks_e2e.py with the project's .streamlit/config.toml
(showErrorDetails = "type"): the browser may learn the exception's type, nothing more.
"""

import streamlit as st

#: Stand-ins for what an internal error message could carry.
SECRET_PATH = "/srv/secret/db-password-7f3a9.txt"
SECRET_TOKEN = "hunter2-TOKEN-5c1d"

st.title("Leak probe")


def load_credentials() -> str:
    raise ValueError(f"could not open {SECRET_PATH}: token={SECRET_TOKEN}")


load_credentials()

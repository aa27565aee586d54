"""The baseline of the browser and payload benchmarks: one slider, one chart, nothing else.

Run on its own (``streamlit run bench/bare_app.py``); the benchmarks compare every page
of the explorer with this app, press by press, in the same browser and session.
"""

import plotly.graph_objects as go
import streamlit as st

value = st.slider("x", min_value=-10.0, max_value=10.0, value=0.0, step=0.1, key="x")
figure = go.Figure(go.Bar(x=["a", "b", "c"], y=[value, 1.0, -1.0]))
figure.update_layout(height=300, margin={"l": 40, "r": 10, "t": 10, "b": 30})
st.plotly_chart(figure, key="chart")

"""Pure figure builders: arrays in, ``plotly.graph_objects.Figure`` out (no streamlit).

One module per lesson (``softmax_figs``, ``weights_figs``, ``training_figs``) plus the
shared ``style``.
"""

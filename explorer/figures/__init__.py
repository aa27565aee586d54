"""Pure figure builders: arrays in, ``plotly.graph_objects.Figure`` out (no streamlit).

One module per lesson that still draws on the server (``weights_figs``, ``training_figs``,
``check_figs``) plus the shared ``style``, ``readable``, ``prebuilt`` and ``png``.
"""

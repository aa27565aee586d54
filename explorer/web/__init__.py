"""The live layer's browser code: plain ES modules and CSS, plus :mod:`explorer.web.bundle`.

The ``.js`` and ``.css`` files here are read as text; nothing in this package imports
streamlit (explorer/pages/live.py registers the components).
"""

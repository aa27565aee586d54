"""What each page computes, one module (or a few ``<page>_*`` modules) per page.

``softmax`` (/softmax), ``weights`` (/weights), ``training_run``, ``training_curves``,
``training_step`` and ``training_health`` (/training), ``check`` (/check): pure functions of a
page's checked settings, so the page script only lays out controls and views. Nothing here
imports streamlit.
"""

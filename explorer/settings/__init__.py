"""The settings of the app: the :class:`~explorer.settings.setting.Setting` type
(``setting``), every page's settings (``specs``) and the URL checks (``query``).

Pure Python: nothing here imports streamlit.
"""

"""Guided lessons: a sequence of steps a teacher writes as a TOML file.

- :mod:`explorer.guided.page_settings`: which settings each page has, and the ranges that
  depend on other settings (the target class on K);
- :mod:`explorer.guided.template`: the tiny, safe template language of the reveal texts;
- :mod:`explorer.guided.quantities`: the numbers a reveal can read, per page;
- :mod:`explorer.guided.lesson_file`: load and validate a lesson file.

The lesson files themselves live in ``explorer/guided/lessons/``; docs/lessons.md says how
to write one. Pure Python: nothing here imports streamlit.
"""

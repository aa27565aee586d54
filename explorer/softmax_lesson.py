"""Temporary: the pages import from here until the /training split is merged."""

from explorer.page_logic.softmax import *  # noqa: F403

"""Temporary: the pages import from here until the /training split is merged."""

from explorer.page_logic.weights import *  # noqa: F403

"""Temporary: the pages import from here until the /training split is merged."""

from explorer.page_logic.check import *  # noqa: F403

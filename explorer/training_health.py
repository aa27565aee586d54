"""Temporary: the pages import from here until the /training split is merged."""

from explorer.page_logic.training_health import *  # noqa: F403

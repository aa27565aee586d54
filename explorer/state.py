"""Temporary: the pages still import from here until the /training split is merged."""

from explorer.markdown_text import MAX_QUOTED, code_span, plain_text, quote_value  # noqa: F401
from explorer.settings.query import (  # noqa: F401
    browser_value,
    check_query,
    read_link_value,
    resolve_query,
)
from explorer.settings.setting import Setting, log_stops  # noqa: F401
from explorer.settings.specs import *  # noqa: F403

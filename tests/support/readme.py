"""The README's two set-up commands, read from the README itself (one home for them)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def setup_commands() -> tuple[str, str]:
    """The first two lines of the README's first ``bash`` block: (run the app, run the tests).

    Returns
    -------
    tuple of str
        ``("python -m pip install -r requirements.txt && streamlit run app.py", ...)``.
    """
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    if block is None:
        raise AssertionError("the README has no ```bash block")
    lines = [line.strip() for line in block.group(1).splitlines() if line.strip()]
    if len(lines) != 2:
        raise AssertionError(f"the README's first bash block has {len(lines)} lines, not 2")
    return lines[0], lines[1]


def split_install_and_run(command: str) -> tuple[str, str]:
    """Split ``"<install> && <run>"`` into its two halves."""
    install, separator, run = command.partition(" && ")
    if not separator:
        raise AssertionError(f"expected '<install> && <run>', got {command!r}")
    return install, run

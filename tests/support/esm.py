"""Load the project's browser ES modules into a Playwright page, to call them directly."""

from __future__ import annotations

from pathlib import Path

from tests.support.live import REPO

WEB = REPO / "explorer" / "web"

_IMPORT = """async ([name, source]) => {
  const url = URL.createObjectURL(new Blob([source], {type: "text/javascript"}));
  window.__modules = window.__modules || {};
  window.__modules[name] = await import(url);
  return Object.keys(window.__modules[name]).sort();
}"""


def import_module(page, path: str | Path, name: str | None = None) -> list[str]:
    """Import the ES module at ``path`` (relative to explorer/web/) as ``window.__modules[name]``.

    The module must have no imports of its own (blob URLs cannot resolve relative
    ones). Returns the names it exports.
    """
    file = WEB / path
    return page.evaluate(_IMPORT, [name or file.stem, file.read_text(encoding="utf-8")])

"""The package's layers, read from its source: only the pages and app.py import streamlit,
and no module of the app or of bench/ reaches into a module's private (``_``) names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "explorer"
APP_SOURCES = sorted([*PACKAGE.rglob("*.py"), REPO / "app.py"])
BENCH_SOURCES = sorted((REPO / "bench").rglob("*.py"))


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, module)`` of every import statement, at any depth (also inside functions)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def streamlit_imports(source: str) -> list[int]:
    """The lines that import streamlit or one of its submodules."""
    return [line for line, module in imported_modules(ast.parse(source))
            if module.split(".")[0] == "streamlit"]


def private_imports(source: str) -> list[str]:
    """``module._name`` for every ``from explorer... import _name`` (a private helper).

    ``_`` alone is gettext's translation function (explorer.i18n), public by convention."""
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("explorer"):
            problems += [f"{node.module}.{alias.name}" for alias in node.names
                         if alias.name.startswith("_") and not alias.name.startswith("__")
                         and alias.name != "_"]
    return problems


def test_the_scanners_find_what_they_look_for():
    assert streamlit_imports("import streamlit as st") == [1]
    assert streamlit_imports("x = 1\ndef f():\n    from streamlit.runtime import exists") == [3]
    assert streamlit_imports("import streamlit_extras\nimport numpy") == []
    assert private_imports("from explorer.losses import _check, ok") == ["explorer.losses._check"]
    assert private_imports("from explorer import __version__\nfrom numpy import _x") == []
    assert private_imports("from explorer.i18n import N_, _") == []


@pytest.mark.parametrize("path", APP_SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_only_the_pages_and_app_py_import_streamlit(path):
    allowed = path == REPO / "app.py" or (PACKAGE / "pages") in path.parents
    lines = streamlit_imports(path.read_text(encoding="utf-8"))
    assert allowed or not lines, f"{path.relative_to(REPO)} imports streamlit on lines {lines}"


@pytest.mark.parametrize("path", APP_SOURCES + BENCH_SOURCES,
                         ids=lambda p: str(p.relative_to(REPO)))
def test_no_module_imports_another_modules_private_names(path):
    assert private_imports(path.read_text(encoding="utf-8")) == []

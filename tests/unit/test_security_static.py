"""Static security checks over the whole repository.

- Raw HTML (``unsafe_allow_html=True``, ``st.html``, ``components.html``) only ever with a
  string literal, or with the result of a same-module HTML builder that takes nothing but
  numbers (``def class_chip(k: int) -> str``): nothing a user typed or uploaded can reach it.
- No pickle (nor its cousins): nothing deserialises code-bearing data.
- The server config keeps XSRF protection on, the 5 MB upload limit and type-only error
  details.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".git", ".venv", "venv", "screenshots", "__pycache__", ".hypothesis",
             ".pytest_cache", ".ruff_cache", "node_modules"}
PICKLE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "shelve", "joblib",
                  "marshal"}
PICKLE_CALLS = {"read_pickle", "to_pickle"}


def python_files() -> list[Path]:
    return sorted(
        path for path in REPO.rglob("*.py")
        if not SKIP_DIRS & set(path.relative_to(REPO).parts)
    )


def _is_literal_text(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


#: The parameter types an HTML builder may take: numbers cannot carry markup.
NUMERIC_TYPES = {"int", "float", "bool"}


def _numeric_builders(tree: ast.Module) -> set[str]:
    """Functions of the module whose every parameter is annotated as a number."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            if node.args.vararg is None and node.args.kwarg is None and all(
                isinstance(arg.annotation, ast.Name) and arg.annotation.id in NUMERIC_TYPES
                for arg in args
            ):
                names.add(node.name)
    return names


def _is_safe_html(node: ast.AST | None, builders: set[str]) -> bool:
    if _is_literal_text(node):
        return True
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in builders)


def raw_html_problems(source: str, name: str = "<string>") -> list[str]:
    """Calls that may put non-literal text into raw HTML, as ``file:line: call``."""
    tree = ast.parse(source, name)
    builders = _numeric_builders(tree)
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        unsafe = next((kw for kw in node.keywords if kw.arg == "unsafe_allow_html"), None)
        raw_html_call = _call_name(node) == "html"  # st.html, components.html
        if unsafe is not None and not (
            isinstance(unsafe.value, ast.Constant) and unsafe.value.value is False
        ):
            if not (node.args and _is_safe_html(node.args[0], builders)) or len(node.args) > 1:
                problems.append(f"{name}:{node.lineno}: unsafe_allow_html with non-literal text")
        elif raw_html_call:
            first = node.args[0] if node.args else next(
                (kw.value for kw in node.keywords if kw.arg in ("body", "html")), None)
            if not _is_safe_html(first, builders):
                problems.append(f"{name}:{node.lineno}: {_call_name(node)}() of non-literal text")
    return problems


def pickle_problems(source: str, name: str = "<string>") -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source, name)):
        modules = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
        for module in modules:
            if module.split(".")[0] in PICKLE_MODULES:
                problems.append(f"{name}:{node.lineno}: imports {module}")
        if isinstance(node, ast.Call):
            if _call_name(node) in PICKLE_CALLS:
                problems.append(f"{name}:{node.lineno}: {_call_name(node)}()")
            for kw in node.keywords:
                if kw.arg == "allow_pickle" and not (
                    isinstance(kw.value, ast.Constant) and kw.value.value is False
                ):
                    problems.append(f"{name}:{node.lineno}: allow_pickle")
    return problems


# ----------------------------------------------------------------------------------------
# The scanners catch what they should (so the repository checks below can fail)


@pytest.mark.parametrize(
    "source",
    [
        "st.markdown(f'<b>{name}</b>', unsafe_allow_html=True)",
        "st.markdown(text, unsafe_allow_html=True)",
        "st.markdown('<b>' + name, unsafe_allow_html=True)",
        "st.write(x, unsafe_allow_html=1)",
        "st.caption('<i>%s</i>' % name, unsafe_allow_html=flag)",
        "st.html(user_text)",
        "components.html(f'<div>{x}</div>')",
        "st.html(body=page)",
        "def chip(name: str) -> str: ...\nst.markdown(chip(x), unsafe_allow_html=True)",
        "def chip(k) -> str: ...\nst.markdown(chip(x), unsafe_allow_html=True)",
        "def css(k: int, *rest) -> str: ...\nst.html(css(3))",
        "st.html(helpers.css(3))",
    ],
)
def test_the_raw_html_scanner_flags_non_literal_html(source):
    assert raw_html_problems(source)


@pytest.mark.parametrize(
    "source",
    [
        "st.markdown('<span class=\"x\">fixed</span>', unsafe_allow_html=True)",
        "st.markdown(text)",
        "st.markdown(text, unsafe_allow_html=False)",
        "st.html('<style>.a {color: red}</style>')",
        "def chip(k: int) -> str: ...\nst.markdown(chip(k), unsafe_allow_html=True)",
        "def css(k: int, wide: bool = False) -> str: ...\nst.html(css(3))",
    ],
)
def test_the_raw_html_scanner_accepts_literals_and_plain_markdown(source):
    assert not raw_html_problems(source)


@pytest.mark.parametrize(
    "source",
    ["import pickle", "from pickle import loads", "import dill as d", "import joblib",
     "df = pd.read_pickle(p)", "np.load(f, allow_pickle=True)", "import shelve"],
)
def test_the_pickle_scanner_flags_pickle(source):
    assert pickle_problems(source)


def test_the_pickle_scanner_accepts_safe_loading():
    assert not pickle_problems("import json\nnp.load(f, allow_pickle=False)\nnp.load(f)")


# ----------------------------------------------------------------------------------------
# The repository


def test_the_scan_sees_the_app():
    names = {path.relative_to(REPO).as_posix() for path in python_files()}
    assert {"app.py", "explorer/pages/controls.py", "explorer/settings/specs.py"} <= names


def test_no_raw_html_with_non_literal_text_anywhere():
    problems = []
    for path in python_files():
        problems += raw_html_problems(path.read_text(), str(path.relative_to(REPO)))
    assert not problems, "\n".join(problems)


def test_no_pickle_anywhere():
    problems = []
    for path in python_files():
        if path == Path(__file__).resolve():
            continue  # this file names the modules it forbids
        problems += pickle_problems(path.read_text(), str(path.relative_to(REPO)))
    assert not problems, "\n".join(problems)


def test_server_config_keeps_xsrf_upload_limit_and_type_only_errors():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] == 5
    assert config["client"]["showErrorDetails"] == "type"
    # enableCORS = false contradicts XSRF protection (Streamlit overrides it back to true);
    # the file must not claim a setting that is not in force.
    assert config["server"].get("enableCORS", True) is True

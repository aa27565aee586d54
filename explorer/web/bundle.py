"""Join the browser ES modules of explorer/web/ into one module that needs no imports.

Each ``.js`` file stays a valid standalone ES module (tests import it directly), but a
component's inline JS runs from a blob URL that cannot resolve ``./x.js``. So
:func:`bundle` walks the entry's relative imports depth-first and emits every dependency
once, in dependency order, wrapped in its own function scope (no name can clash between
files), then the entry with its ``import`` lines rewritten to read from those scopes:

    import { softmax, pMinusY as error } from "./softmax_math.js";
    -> const { softmax, pMinusY: error } = __softmax_math;
    import * as M from "./softmax_math.js";
    -> const M = __softmax_math;
    import softmaxView from "./softmax_view.js";
    -> const softmaxView = __softmax_view.default;

Only what these files use is supported, and anything else is an error rather than a silent
miss: relative ``./name.js`` imports in those three forms, and exports written as
``export function``, ``export const``, ``export let`` or ``export class`` (plus one
``export default`` in the entry, or one ``export default function name`` in a dependency,
which is how the offline page's adapter reaches a view's entry).
Pure Python; nothing here imports streamlit.
"""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parent

_IMPORT = re.compile(
    r'^import\s+(?:\{(?P<names>[^}]*)\}|\*\s+as\s+(?P<star>\w+)|(?P<default>\w+))\s+from\s+'
    r'"\./(?P<file>[\w.-]+\.js)";?[ \t]*$',
    re.MULTILINE,
)
_ANY_IMPORT = re.compile(r"^\s*import\b", re.MULTILINE)
_EXPORT = re.compile(
    r"^export\s+(?P<kind>(?:async\s+)?function\*?|const|let|class)\s+(?P<name>\w+)",
    re.MULTILINE,
)
_EXPORT_DEFAULT = re.compile(r"^export\s+default\s+", re.MULTILINE)
_EXPORT_DEFAULT_FUNCTION = re.compile(r"^export\s+default\s+function\s+(?P<name>\w+)",
                                      re.MULTILINE)
_ANY_EXPORT = re.compile(r"^\s*export\b", re.MULTILINE)


def read(name: str, folder: Path = WEB) -> str:
    """The text of ``folder / name`` (a ``.js`` or ``.css`` file of the live layer)."""
    return (folder / name).read_text(encoding="utf-8")


def scope_name(file: str) -> str:
    """The name holding a bundled module's exports: ``softmax_math.js`` -> ``__softmax_math``."""
    return "__" + re.sub(r"\W", "_", file.removesuffix(".js"))


def _rewrite_imports(source: str, file: str, folder: Path) -> tuple[str, list[str]]:
    """``source`` with its imports turned into reads of bundled scopes, and the files imported."""
    needed: list[str] = []

    def replace(match: re.Match) -> str:
        needed.append(match["file"])
        scope = scope_name(match["file"])
        if match["star"]:
            return f"const {match['star']} = {scope};"
        if match["default"]:
            if not _EXPORT_DEFAULT_FUNCTION.search(read(match["file"], folder)):
                raise ValueError(f"{file}: only a module with `export default function name` "
                                 f"can be imported as a default: {match['file']}")
            return f"const {match['default']} = {scope}.default;"
        parts = []
        for item in match["names"].split(","):
            words = item.split()
            if not words:
                continue
            if len(words) == 3 and words[1] == "as":
                parts.append(f"{words[0]}: {words[2]}")
            elif len(words) == 1:
                parts.append(words[0])
            else:
                raise ValueError(f"{file}: cannot bundle the import item {item.strip()!r}")
        return f"const {{ {', '.join(parts)} }} = {scope};"

    rewritten = _IMPORT.sub(replace, source)
    leftover = _ANY_IMPORT.search(rewritten)
    if leftover:
        line = rewritten[leftover.start():].splitlines()[0]
        raise ValueError(f"{file}: only `import {{..}} from \"./x.js\"` can be bundled: {line}")
    return rewritten, needed


def _as_scope(source: str, file: str) -> str:
    """A dependency as ``const __name = (() => { ...; return {exports}; })();``."""
    names = [match["name"] for match in _EXPORT.finditer(source)]
    body = _EXPORT.sub(lambda match: f"{match['kind']} {match['name']}", source)
    defaults = list(_EXPORT_DEFAULT_FUNCTION.finditer(body))
    if len(defaults) > 1 or (_EXPORT_DEFAULT.search(body) and not defaults):
        raise ValueError(f"{file}: a bundled dependency's default export must be one named "
                         "`export default function name`")
    if defaults:
        names.append(f"default: {defaults[0]['name']}")
        body = _EXPORT_DEFAULT_FUNCTION.sub(lambda match: f"function {match['name']}", body)
    leftover = _ANY_EXPORT.search(body)
    if leftover:
        line = body[leftover.start():].splitlines()[0]
        raise ValueError(f"{file}: unsupported export form: {line}")
    return (f"// ---- {file}\nconst {scope_name(file)} = (() => {{\n{body}\n"
            f"return Object.freeze({{ {', '.join(names)} }});\n}})();\n")


def bundle(entry: str, folder: Path = WEB) -> str:
    """One ES module: ``entry`` (a file in ``folder``) with every module it imports inlined.

    Parameters
    ----------
    entry : str
        File name of the entry module, e.g. ``"softmax_view.js"``; it keeps its exports
        (typically ``export default``, what ``st.components.v2`` calls).
    folder : Path
        Where the modules live (explorer/web/ by default).

    Returns
    -------
    str
        JavaScript source with no ``import`` statement left. Raises ValueError on an
        import cycle or an import/export form the bundler does not handle.
    """
    order: list[str] = []
    sources: dict[str, str] = {}

    def visit(file: str, path: tuple[str, ...]) -> None:
        if file in path:
            raise ValueError(f"import cycle: {' -> '.join((*path, file))}")
        if file in sources:
            return
        rewritten, needed = _rewrite_imports(read(file, folder), file, folder)
        for dependency in needed:
            visit(dependency, (*path, file))
        sources[file] = rewritten
        order.append(file)

    visit(entry, ())
    parts = [_as_scope(sources[file], file) for file in order[:-1]]
    parts.append(f"// ---- {entry}\n{sources[entry]}")
    return "\n".join(parts)

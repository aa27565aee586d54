"""explorer/web/bundle.py: the ES modules of the live layer joined into one, imports resolved.

The bundled components themselves run in Chromium in tests/e2e (test_softmax_e2e.py,
test_weights_check_e2e.py); here the bundler's rules are checked on small modules.
"""

from __future__ import annotations

import re

import pytest

from explorer.web.bundle import WEB, bundle, scope_name


def write(folder, files: dict[str, str]):
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_dependencies_come_first_once_each_in_their_own_scope(tmp_path):
    write(tmp_path, {
        "a.js": 'export function double(x) { return 2 * x; }\nconst hidden = 1;\n',
        "b.js": 'import { double } from "./a.js";\nexport const four = double(2);\n',
        "main.js": ('import { double as twice } from "./a.js";\n'
                    'import * as B from "./b.js";\n'
                    'export default function main() { return twice(B.four); }\n'),
    })
    text = bundle("main.js", tmp_path)
    assert not re.search(r"^\s*import\b", text, re.MULTILINE)
    assert text.count("// ---- a.js") == 1
    assert text.index("// ---- a.js") < text.index("// ---- b.js") < text.index("// ---- main.js")
    assert "const { double: twice } = __a;" in text
    assert "const B = __b;" in text
    assert "return Object.freeze({ double });" in text  # `hidden` stays private
    assert "export default function main()" in text
    assert text.count("export ") == 1


def test_an_import_cycle_is_an_error(tmp_path):
    write(tmp_path, {"a.js": 'import { b } from "./b.js";\nexport const a = 1;\n',
                     "b.js": 'import { a } from "./a.js";\nexport const b = 2;\n'})
    with pytest.raises(ValueError, match="cycle"):
        bundle("a.js", tmp_path)


@pytest.mark.parametrize("source", [
    'import x from "./a.js";\n',
    'import { x } from "https://example.com/a.js";\n',
    'import "./a.js";\n',
])
def test_unsupported_imports_are_errors(tmp_path, source):
    write(tmp_path, {"a.js": "export const x = 1;\n", "main.js": source})
    with pytest.raises(ValueError, match="only"):
        bundle("main.js", tmp_path)


@pytest.mark.parametrize("export", ["export { x };\n", "export default 3;\n"])
def test_unsupported_exports_of_a_dependency_are_errors(tmp_path, export):
    write(tmp_path, {"a.js": f"const x = 1;\n{export}",
                     "main.js": 'import { x } from "./a.js";\nexport default x;\n'})
    with pytest.raises(ValueError, match=r"a\.js"):
        bundle("main.js", tmp_path)


def test_scope_names_are_identifiers():
    assert scope_name("softmax_math.js") == "__softmax_math"
    assert scope_name("live-state.js") == "__live_state"


@pytest.mark.parametrize("entry", ["softmax_view.js", "weights_view.js"])
def test_the_live_views_bundle_with_the_one_math_module(entry):
    text = bundle(entry)
    assert text.count("// ---- softmax_math.js") == 1
    assert text.rstrip().count("export default function") == 1


def test_browser_code_never_writes_markup():
    """Values reach the page only as textContent or attributes (the security rule)."""
    for path in sorted(WEB.glob("*.js")):
        source = path.read_text(encoding="utf-8")
        for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                       "eval(", "new Function"):
            assert banned not in source, f"{path.name} uses {banned}"


def test_a_dependency_default_export_is_read_as_default(tmp_path):
    write(tmp_path, {
        "view.js": 'export const size = 2;\nexport default function view(a) { return a * size; }\n',
        "main.js": 'import view from "./view.js";\nconsole.log(view(3));\n',
    })
    text = bundle("main.js", tmp_path)
    assert "const view = __view.default;" in text
    assert "return Object.freeze({ size, default: view });" in text
    assert "export" not in text

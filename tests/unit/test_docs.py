"""The project documents itself: every cited .md file and section exists, the code map is complete.

Code, tests and docs cite pages such as ``docs/math.md section 8``. A citation of a file
outside the repository (or of a section that was renumbered away) leaves a newcomer with
nothing to read, so every ``*.md`` reference in a tracked ``.py``, ``.md``, ``.js`` or
``.toml`` file must resolve to a tracked file: relative to the repository root or to
the citing file's folder. Paths the code only writes to (git-ignored output such as
``bench/out/quick.md``) are allowed, and so is a Python string literal that is nothing
but a file name (``BENCH / "RESULTS.md"``: the code builds a path, it cites nothing).
"""

from __future__ import annotations

import io
import posixpath
import re
import shutil
import subprocess
import tokenize
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARCHITECTURE = "docs/architecture.md"
THIS_FILE = Path(__file__).resolve().relative_to(REPO).as_posix()
SCANNED_SUFFIXES = (".py", ".md", ".js", ".toml")
#: Modules the code map must name: Python and browser (ES module) files of the package.
MODULE_SUFFIXES = (".py", ".js")

#: A path ending in .md, starting at a word boundary of a path (so never inside a URL).
MD_REFERENCE = re.compile(r"(?<![\w/.:-])((?:[\w.-]+/)*[\w.-]*\w\.md)(?![\w])")
#: "x.md section 4", "x.md sections 4-7", "x.md, sections 2 and 3".
SECTION_REFERENCE = re.compile(
    r"(?<![\w/.:-])((?:[\w.-]+/)*[\w.-]*\w\.md),? \(?sections? "
    r"(\d+(?:\s*(?:-|–|,|and)\s*\d+)*)"
)
NUMBERED_HEADING = re.compile(r"^#{2,3} (\d+)\. ", re.MULTILINE)


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)


def tracked_files() -> set[str]:
    """Repository-relative paths of every tracked file (skips the test outside a git checkout)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    listing = _git("ls-files", "-z")
    if listing.returncode != 0:
        pytest.skip(f"not a git checkout: {listing.stderr.strip()}")
    return {name for name in listing.stdout.split("\0") if name}


def is_ignored(path: str) -> bool:
    """True if git ignores ``path`` (generated output; it need not exist)."""
    return _git("check-ignore", "-q", "--no-index", path).returncode == 0


def cited_text(path: str, text: str) -> str:
    """The part of a file that can cite: everything, except, in Python, string literals that
    are nothing but a file name (the code builds a path with them, it does not cite them)."""
    if not path.endswith(".py"):
        return text
    kept = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.STRING:
            body = token.string.lstrip("rRbBuUfF").strip("'\"")
            if MD_REFERENCE.fullmatch(body):
                continue
        if token.type in (tokenize.STRING, tokenize.COMMENT):
            kept.append(token.string)
    return "\n".join(kept)


def resolve(reference: str, citing: str, exists: Callable[[str], bool]) -> str | None:
    """The repository path ``reference`` (cited in file ``citing``) names, or None."""
    folder = posixpath.dirname(citing)
    for base in ("", folder):
        candidate = posixpath.normpath(posixpath.join(base, reference))
        if not candidate.startswith("..") and exists(candidate):
            return candidate
    return None


def broken_references(
    files: dict[str, str], exists: Callable[[str], bool]
) -> list[tuple[str, str]]:
    """``(citing file, reference)`` for every .md reference that resolves to nothing."""
    broken = []
    for path, text in sorted(files.items()):
        for match in MD_REFERENCE.finditer(cited_text(path, text)):
            if resolve(match.group(1), path, exists) is None:
                broken.append((path, match.group(1)))
    return broken


def _section_numbers(spec: str) -> set[int]:
    """``"4-7"`` -> {4, 5, 6, 7}; ``"2 and 3"`` -> {2, 3}; ``"1, 3-4"`` -> {1, 3, 4}."""
    numbers: set[int] = set()
    for part in re.split(r"\s*(?:,|and)\s*", spec):
        bounds = re.split(r"\s*[-–]\s*", part)
        numbers.update(range(int(bounds[0]), int(bounds[-1]) + 1))
    return numbers


def missing_sections(
    files: dict[str, str], exists: Callable[[str], bool], read: Callable[[str], str]
) -> list[tuple[str, str, int]]:
    """``(citing file, cited page, number)`` for each cited section the page does not have."""
    missing = []
    for path, text in sorted(files.items()):
        for match in SECTION_REFERENCE.finditer(cited_text(path, text)):
            page = resolve(match.group(1), path, exists)
            if page is None:
                continue  # reported by broken_references
            headings = {int(number) for number in NUMBERED_HEADING.findall(read(page))}
            for number in sorted(_section_numbers(match.group(2)) - headings):
                missing.append((path, page, number))
    return missing


def modules_missing_from(code_map: str, files: Iterable[str]) -> list[str]:
    """The modules under ``explorer/`` whose repository path the code map does not name."""
    return sorted(
        path for path in files
        if path.startswith("explorer/") and path.endswith(MODULE_SUFFIXES)
        and path not in code_map
    )


def _scanned(tracked: set[str]) -> dict[str, str]:
    # This file is left out: its examples below cite missing files on purpose.
    return {
        path: (REPO / path).read_text(encoding="utf-8")
        for path in tracked
        if path.endswith(SCANNED_SUFFIXES) and path != THIS_FILE and (REPO / path).is_file()
    }


def _exists_in(tracked: set[str]) -> Callable[[str], bool]:
    return lambda path: path in tracked or is_ignored(path)


# --- the repository itself ------------------------------------------------------------


def test_every_cited_md_file_is_in_the_repository():
    tracked = tracked_files()
    broken = broken_references(_scanned(tracked), _exists_in(tracked))
    assert not broken, "cited .md files that are not in the repository: " + ", ".join(
        f"{reference} (in {path})" for path, reference in broken
    )


def test_every_cited_section_exists():
    tracked = tracked_files()
    missing = missing_sections(
        _scanned(tracked), _exists_in(tracked),
        lambda page: (REPO / page).read_text(encoding="utf-8"),
    )
    assert not missing, "cited sections that do not exist: " + ", ".join(
        f"{page} section {number} (in {path})" for path, page, number in missing
    )


def test_the_code_map_names_every_module_of_the_package():
    tracked = tracked_files()
    assert ARCHITECTURE in tracked
    code_map = (REPO / ARCHITECTURE).read_text(encoding="utf-8")
    missing = modules_missing_from(code_map, tracked)
    assert not missing, f"add a line for each of these to {ARCHITECTURE}: {missing}"


def test_the_docs_are_reachable_from_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Documentation"):]
    for page in ("docs/README.md", "docs/math.md", "docs/architecture.md"):
        assert f"({page})" in section
    assert readme.index("## Documentation") > len("\n".join(readme.splitlines()[:10]))


# --- the checks can fail ----------------------------------------------------------------

FILES = {"README.md", "docs/math.md", "docs/README.md", "explorer/softmax.py"}


def test_a_missing_file_is_reported_and_present_ones_resolve():
    files = {
        "explorer/softmax.py": '"""Softmax (NOTES.md section 1, docs/math.md section 2)."""\n'
                               "# see PLAN.md\nx = 1\n",
        "docs/README.md": "[math](math.md), [top](../README.md), [gone](old.md)\n",
        "explorer/links.py": "# https://example.org/notes/README.md is a URL, not a file\n",
    }
    broken = broken_references(files, FILES.__contains__)
    assert broken == [
        ("docs/README.md", "old.md"),
        ("explorer/softmax.py", "NOTES.md"),
        ("explorer/softmax.py", "PLAN.md"),
    ]


def test_a_bare_file_name_literal_is_a_path_not_a_citation():
    files = {"bench/run.py": 'out = folder / "quick.md"\n"""Writes RESULTS.md."""\n'}
    assert broken_references(files, FILES.__contains__) == [("bench/run.py", "RESULTS.md")]


def test_a_missing_section_is_reported():
    page = "# Title\n\n## 1. One\n\n## 2. Two\n\n## 4. Four\n"
    files = {"explorer/a.py": '"""(docs/math.md sections 1-2) and docs/math.md, section 3; '
                              'docs/math.md sections 2 and 4."""\n'}
    missing = missing_sections(files, FILES.__contains__, lambda _: page)
    assert missing == [("explorer/a.py", "docs/math.md", 3)]


def test_ranges_lists_and_pairs_of_sections_are_read():
    assert _section_numbers("4-7") == {4, 5, 6, 7}
    assert _section_numbers("2 and 3") == {2, 3}
    assert _section_numbers("1, 3-4") == {1, 3, 4}


def test_a_module_missing_from_the_code_map_is_reported():
    code_map = "| `explorer/softmax.py` | softmax |\n| `explorer/web/` | the live layer |"
    files = ["explorer/softmax.py", "explorer/losses.py", "explorer/web/example.js",
             "explorer/web/style.css", "tests/unit/test_x.py"]
    missing = modules_missing_from(code_map, files)
    assert missing == ["explorer/losses.py", "explorer/web/example.js"]

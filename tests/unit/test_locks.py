"""The locks pin everything the README's commands install, and agree with their inputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.readme import setup_commands, split_install_and_run

REPO = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")
NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, set[str]]:
    """Package -> pinned versions (more than one where a marker splits by Python version)."""
    found: dict[str, set[str]] = {}
    for line in (REPO / lock).read_text().splitlines():
        match = PIN.match(line)
        if match:
            found.setdefault(_canonical(match.group(1)), set()).add(match.group(2))
    return found


def requirement_lines(path: str) -> list[str]:
    lines = []
    for raw in (REPO / path).read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            lines.append(line)
    return lines


@pytest.mark.parametrize("lock", ["requirements.txt", "requirements-dev.txt"])
def test_every_requirement_in_a_lock_is_pinned_exactly_with_hashes(lock):
    text = (REPO / lock).read_text()
    entries = [block for block in re.split(r"\n(?=[A-Za-z0-9])", text)
               if block and block[0].isalnum()]
    assert entries, lock
    for entry in entries:
        assert PIN.match(entry), f"{lock}: not pinned with ==: {entry.splitlines()[0]}"
        assert "--hash=sha256:" in entry, f"{lock}: no hash for {entry.splitlines()[0]}"


@pytest.mark.parametrize(("source", "lock"), [("requirements.in", "requirements.txt"),
                                              ("requirements-dev.in", "requirements-dev.txt")])
def test_every_direct_dependency_is_in_its_lock(source, lock):
    locked = pins(lock)
    for line in requirement_lines(source):
        name = _canonical(NAME.match(line).group(1))
        assert name in locked, f"{source} asks for {name}, which {lock} does not pin"


def test_the_dev_lock_has_the_app_lock_versions():
    app, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    for name, versions in app.items():
        assert dev.get(name) == versions, f"{name}: app {versions}, dev {dev.get(name)}"


def test_torch_is_never_a_dependency():
    for path in ("requirements.in", "requirements-dev.in", "requirements.txt",
                 "requirements-dev.txt"):
        assert "torch" not in pins(path) and not any(
            _canonical(NAME.match(line).group(1)) == "torch" for line in requirement_lines(path)
            if not line.endswith(".txt")), path


def test_the_readme_commands_install_from_the_locks():
    app_command, test_command = setup_commands()
    assert split_install_and_run(app_command)[0] == "python -m pip install -r requirements.txt"
    assert split_install_and_run(test_command) == (
        "python -m pip install -r requirements-dev.txt", "python -m pytest")

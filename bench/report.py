"""The results: one table on stdout, and the same as markdown (``bench/RESULTS.md``).

The markdown starts with the machine (CPU model, cores, memory), the date and the git
commit, so a number can always be traced to where and on what code it was measured.
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from bench.pages import REPO
from bench.results import Section


def machine() -> dict[str, str]:
    """CPU model, core count, memory, OS and Python of this machine."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        load = "unknown"
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "load average at start (1, 5, 15 min)": load,
        "OS": platform.platform(),
        "Python": platform.python_version(),
    }


def git_commit() -> str:
    """The commit the code was measured at (with ``+dirty`` when files differ from it)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=REPO, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if dirty.strip() else "")


def versions() -> str:
    """Versions of the libraries whose speed is measured."""
    import numpy
    import plotly
    import streamlit

    parts = [f"streamlit {streamlit.__version__}", f"plotly {plotly.__version__}",
             f"numpy {numpy.__version__}"]
    try:
        import torch

        parts.append(f"torch {torch.__version__}")
    except ImportError:
        parts.append("torch not installed")
    return ", ".join(parts)


def table(sections: Sequence[Section]) -> str:
    """All rows as one aligned plain-text table."""
    header = ("Measurement", "Value", "Goal", "Result")
    lines = [header]
    for section in sections:
        lines.append((f"[{section.title}]", "", "", ""))
        for row in section.rows:
            lines.append((row.name, row.formatted(), row.goal, row.verdict()))
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    out = []
    for index, line in enumerate(lines):
        out.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
                   .rstrip())
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(sections: Sequence[Section], *, mode: str, started: datetime.datetime,
             seconds: float, commit: str | None = None) -> str:
    """The full report: machine, date, commit, every row with its goal and verdict, notes.

    ``commit`` should be read when the run starts (files may change during a long run).
    """
    lines = ["# Benchmark results", ""]
    lines.append(f"Written by `python -m bench{' --quick' if mode == 'quick' else ''}`; "
                 "do not edit by hand.")
    lines.append("")
    info = {"date": started.strftime("%Y-%m-%d %H:%M %Z").strip(),
            "git commit at start": commit or git_commit(),
            **machine(), "libraries": versions(), "run time": f"{seconds:.0f} s"}
    lines += [f"- **{name}**: {value}" for name, value in info.items()]
    judged = [row for section in sections for row in section.rows if row.passed is not None]
    passed = sum(row.passed for row in judged)
    lines += ["", f"**Goals met: {passed} of {len(judged)}.**", ""]
    for section in sections:
        lines += [f"## {section.title}", "",
                  "| Measurement | Value | Goal | Result | Note |", "|---|---:|---|---|---|"]
        for row in section.rows:
            verdict = {"pass": "pass", "FAIL": "**FAIL**", "-": ""}[row.verdict()]
            lines.append(f"| {_cell(row.name)} | {row.formatted()} | {_cell(row.goal)} | "
                         f"{verdict} | {_cell(row.note)} |")
        lines.append("")
        if section.errors:
            lines += ["Errors:", ""] + [f"- {error}" for error in section.errors] + [""]
        for note in section.notes:
            lines += [note, ""]
    return "\n".join(lines).rstrip() + "\n"


def _split(markdown_text: str) -> tuple[str, dict[str, str]]:
    """The header (up to the first level-2 heading) and each section's text by title."""
    header, *parts = markdown_text.split("\n## ")
    sections = {}
    for part in parts:
        title = part.split("\n", 1)[0].strip()
        sections[title] = "## " + part.rstrip() + "\n"
    return header.rstrip() + "\n", sections


def _goal_line(markdown_text: str) -> str:
    verdicts = []
    for line in markdown_text.splitlines():
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)]
        if len(cells) == 7 and cells[0] == "" and cells[4] in ("pass", "**FAIL**"):
            verdicts.append(cells[4] == "pass")
    return f"**Goals met: {sum(verdicts)} of {len(verdicts)}.**"


def merge(existing: str, fresh: str, command: str) -> str:
    """``existing`` report with the sections of ``fresh`` put in, the others kept.

    A section of ``fresh`` replaces the one with the same title, or is appended. Each
    carries a line saying it was measured separately (``command``, date, commit, run time
    and load, from ``fresh``'s header), and the goal count is made over every section.
    """
    header, sections = _split(existing)
    fresh_header, fresh_sections = _split(fresh)
    facts = dict(re.findall(r"^- \*\*(.+?)\*\*: (.*)$", fresh_header, re.M))
    provenance = (f"Measured separately by `{command}`: {facts.get('date', '?')}, commit "
                  f"{facts.get('git commit at start', '?')}, run time "
                  f"{facts.get('run time', '?')}, load average at start "
                  f"{facts.get('load average at start (1, 5, 15 min)', '?')}.")
    for title, text in fresh_sections.items():
        heading, _, body = text.partition("\n")
        sections[title] = f"{heading}\n\n{provenance}\n{body}"
    merged = header + "\n" + "\n".join(sections.values())
    return re.sub(r"^\*\*Goals met: \d+ of \d+\.\*\*$", _goal_line(merged).replace("\\", r"\\"),
                  merged, count=1, flags=re.M)

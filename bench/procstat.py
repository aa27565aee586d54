"""CPU time and resident memory of a local server process, read from ``/proc`` (Linux)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def server_pid(base_url: str) -> int:
    """The pid of the ``streamlit run`` child of this process that serves ``base_url``.

    Raises
    ------
    LookupError
        When no child process of ours was started with that port.
    """
    port = str(urlparse(base_url).port)
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if (parent == me and b"--server.port" in arguments
                and arguments[arguments.index(b"--server.port") + 1].decode() == port):
            return int(entry.name)
    raise LookupError(f"no child process serves {base_url}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process (all its threads) has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime field 14, stime field 15 (1-based).
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def memory_mb(pid: int) -> dict[str, float]:
    """``rss`` (now) and ``peak`` (high-water mark) resident memory of the process, in MB.

    MB here is 10**6 bytes (``/proc`` reports KiB).
    """
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values["rss" if name == "VmRSS" else "peak"] = int(rest.split()[0]) * 1024 / 1e6
    return values

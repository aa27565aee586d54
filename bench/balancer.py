"""The load balancer of ``deploy/``: its HAProxy config, rendered for 127.0.0.1, and run.

``deploy/haproxy.cfg`` is the file Docker Compose mounts into the balancer's container.
:func:`render_local` changes only what must differ on one machine: the frontend listens on
127.0.0.1, the ``server`` lines name local ports (one per replica, named and cookied like
the template's), there is no Docker DNS (``resolvers``), and a stats socket reports each
server's state. Everything else - cookie affinity, health checks, timeouts, retries and
redispatch - is the deployed file's own.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.pages import REPO
from tests.support.live import stop_process

CONFIG = REPO / "deploy" / "haproxy.cfg"


def haproxy_path() -> str | None:
    """The ``haproxy`` binary (Debian: ``apt-get install haproxy``), or None."""
    return shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)


def _sections(text: str) -> Iterator[tuple[str, str]]:
    """``(section, line)`` per line: ``section`` is the header (``backend replicas``)."""
    current = ""
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            current = line.strip()
        yield current, line


def directives(text: str, section: str) -> list[list[str]]:
    """The words of every directive in the sections whose header starts with ``section``."""
    return [line.split() for header, line in _sections(text)
            if header.split()[:1] == [section] and line[:1].isspace()
            and line.strip() and not line.strip().startswith("#")]


def affinity_cookie(text: str) -> str:
    """The name of the cookie the backend inserts (``cookie <name> insert ...``)."""
    for words in directives(text, "backend"):
        if words[0] == "cookie" and "insert" in words:
            return words[1]
    raise LookupError("the backend inserts no affinity cookie")


def health_check(text: str) -> tuple[str, str]:
    """The backend's health check: ``(path, expected body text)``."""
    path = expected = ""
    for words in directives(text, "backend"):
        if words[:2] == ["http-check", "send"] and "uri" in words:
            path = words[words.index("uri") + 1]
        if words[:3] == ["http-check", "expect", "string"]:
            expected = words[3]
    if not path or not expected:
        raise LookupError("the backend has no http-check send uri / expect string")
    return path, expected


def servers(text: str) -> list[dict[str, str]]:
    """The backend's ``server`` lines: ``name``, ``address`` and ``cookie`` of each."""
    out = []
    for words in directives(text, "backend"):
        if words[0] == "server":
            cookie = words[words.index("cookie") + 1] if "cookie" in words else ""
            out.append({"name": words[1], "address": words[2], "cookie": cookie})
    return out


def render_local(text: str, *, port: int, replica_ports: Sequence[int],
                 stats_socket: Path) -> str:
    """The config for one machine: listen on 127.0.0.1:``port``, one server per replica port.

    Parameters
    ----------
    text : str
        ``deploy/haproxy.cfg``.
    port : int
        Where the balancer listens.
    replica_ports : sequence of int, length R
        The replicas' ports on 127.0.0.1; server ``i`` (from 1) is named and cookied like
        the template's first server with its number replaced by ``i``.
    stats_socket : Path
        A unix socket for ``show stat`` (added to ``global``).
    """
    template = servers(text)
    if not template:
        raise LookupError("the backend has no server line")
    prefix = re.sub(r"\d+$", "", template[0]["name"])
    out: list[str] = []
    wrote_servers = False
    for header, line in _sections(text):
        words = line.split()
        if header.startswith("resolvers"):
            continue  # Docker's DNS; local servers are addresses
        if header == "global" and words == ["global"]:
            out += [line, f"    stats socket {stats_socket} mode 600 level admin"]
            continue
        if header.startswith("frontend") and words[:1] == ["bind"]:
            out.append(f"    bind 127.0.0.1:{port}")
            continue
        if words[:1] == ["default-server"] and "resolvers" in words:
            at = words.index("resolvers")
            out.append("    " + " ".join(words[:at] + words[at + 2:]))
            continue
        if header.startswith("backend") and words[:1] == ["server"]:
            if not wrote_servers:
                for index, replica_port in enumerate(replica_ports, start=1):
                    name = f"{prefix}{index}"
                    out.append(f"    server {name} 127.0.0.1:{replica_port} cookie {name}")
                wrote_servers = True
            continue
        out.append(line)
    return "\n".join(out) + "\n"


@dataclass
class Balancer:
    """A running HAProxy: its URL, process and stats socket."""

    url: str
    process: subprocess.Popen
    stats_socket: Path
    cookie_name: str

    def states(self) -> dict[str, dict[str, str]]:
        """Per backend server: ``status`` (UP, DOWN ...), ``scur`` (open sessions) and
        ``stot`` (sessions so far), from ``show stat``."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(5)
            client.connect(str(self.stats_socket))
            client.sendall(b"show stat\n")
            chunks = []
            while chunk := client.recv(65536):
                chunks.append(chunk)
        rows = csv.DictReader(io.StringIO(b"".join(chunks).decode().lstrip("# ")))
        return {row["svname"]: {"status": row["status"].split()[0], "scur": row["scur"],
                                "stot": row["stot"]}
                for row in rows if row.get("svname") not in (None, "FRONTEND", "BACKEND")}

    def wait_status(self, server: str, status: str, timeout: float) -> float:
        """Wait until ``server`` has ``status``; return the seconds waited.

        Raises
        ------
        TimeoutError
            When it does not within ``timeout`` seconds.
        """
        begin = time.monotonic()
        while time.monotonic() - begin < timeout:
            if self.states().get(server, {}).get("status") == status:
                return time.monotonic() - begin
            time.sleep(0.05)
        raise TimeoutError(f"{server} not {status} within {timeout} s: {self.states()}")


@contextlib.contextmanager
def haproxy(config: str, workdir: Path, port: int) -> Iterator[Balancer]:
    """Run HAProxy in the foreground with ``config`` (already rendered); stop it after.

    Its log (one line per request, naming the server) goes to ``workdir/haproxy.log``.
    """
    binary = haproxy_path()
    if binary is None:
        raise RuntimeError("haproxy is not installed (Debian: apt-get install haproxy)")
    path = workdir / "haproxy.cfg"
    path.write_text(config)
    socket_path = Path(re.search(r"stats socket (\S+)", config).group(1))
    check = subprocess.run([binary, "-c", "-q", "-f", str(path)], capture_output=True,
                           text=True, check=False)
    if check.returncode != 0:
        raise RuntimeError(f"haproxy rejects the rendered config: {check.stderr.strip()}")
    with (workdir / "haproxy.log").open("w") as log:
        process = subprocess.Popen([binary, "-db", "-f", str(path)], stdout=log,
                                   stderr=subprocess.STDOUT, cwd=workdir)
    balancer = Balancer(f"http://127.0.0.1:{port}", process, socket_path,
                        affinity_cookie(config))
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"haproxy exited with {process.returncode}: "
                                   f"{(workdir / 'haproxy.log').read_text()[-500:]}")
            with contextlib.suppress(OSError):
                balancer.states()
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("haproxy did not start within 10 s")
            time.sleep(0.05)
        yield balancer
    finally:
        stop_process(process)

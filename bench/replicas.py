"""App replicas on this machine, started as the Dockerfile starts one, behind the balancer.

A replica is ``streamlit run app.py`` with the Dockerfile's own ``CMD`` options, except
that it listens on 127.0.0.1 and a free port. All replicas of a cluster share one
``server.cookieSecret`` (``STREAMLIT_SERVER_COOKIE_SECRET``), as in ``deploy/compose.yaml``.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench import balancer
from bench.pages import REPO
from tests.support.live import free_port, stop_process, wait_healthy

COOKIE_SECRET_VARIABLE = "STREAMLIT_SERVER_COOKIE_SECRET"
START_TIMEOUT = 90.0


def dockerfile_command() -> list[str]:
    """The Dockerfile's ``CMD`` (exec form), e.g. ``["streamlit", "run", "app.py", ...]``."""
    for line in (REPO / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD ["):
            return json.loads(line.removeprefix("CMD "))
    raise LookupError("the Dockerfile has no CMD in exec form")


def replica_command(port: int) -> list[str]:
    """The Dockerfile's command for 127.0.0.1:``port``, run by this Python."""
    words = dockerfile_command()
    if words[0] != "streamlit":
        raise LookupError(f"the Dockerfile does not run streamlit: {words}")
    out = [sys.executable, "-m", "streamlit"]
    for word in words[1:]:
        if word.startswith("--server.address="):
            word = "--server.address=127.0.0.1"
        elif word.startswith("--server.port="):
            word = f"--server.port={port}"
        out.append(word)
    return out


@dataclass
class Replica:
    """One app process; ``name`` is its server name (and cookie value) in the balancer."""

    name: str
    port: int
    log: Path
    secret: str
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self) -> None:
        """Start the process (without waiting for it to be healthy)."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1", COOKIE_SECRET_VARIABLE: self.secret}
        with self.log.open("a") as log:
            self.process = subprocess.Popen(replica_command(self.port), cwd=REPO, env=env,
                                            stdout=log, stderr=subprocess.STDOUT)

    def wait_healthy(self, timeout: float = START_TIMEOUT) -> None:
        wait_healthy(self.url, self.process, timeout)

    def kill(self) -> None:
        """SIGKILL, as a crash would: no goodbye to its sessions."""
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        stop_process(self.process)


@dataclass
class Cluster:
    """Replicas behind a running balancer."""

    balancer: balancer.Balancer
    replicas: list[Replica] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.balancer.url

    def replica(self, name: str) -> Replica:
        return next(replica for replica in self.replicas if replica.name == name)


@contextlib.contextmanager
def cluster(count: int) -> Iterator[Cluster]:
    """``count`` replicas, every one healthy, behind HAProxy with ``deploy/haproxy.cfg``.

    As in ``deploy/compose.yaml``, the balancer starts only once every replica is healthy.
    """
    template = balancer.CONFIG.read_text()
    prefix = balancer.servers(template)[0]["name"].rstrip("0123456789")
    secret = secrets.token_hex(32)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as directory:
        workdir = Path(directory)
        replicas = [Replica(f"{prefix}{index}", free_port(), workdir / f"replica-{index}.log",
                            secret) for index in range(1, count + 1)]
        try:
            for replica in replicas:
                replica.start()
            for replica in replicas:
                replica.wait_healthy()
            port = free_port()
            config = balancer.render_local(template, port=port,
                                           replica_ports=[r.port for r in replicas],
                                           stats_socket=workdir / "haproxy.sock")
            with balancer.haproxy(config, workdir, port) as running:
                for replica in replicas:
                    running.wait_status(replica.name, "UP", timeout=30)
                yield Cluster(running, replicas)
        finally:
            for replica in replicas:
                replica.stop()

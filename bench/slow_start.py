"""A replica slow to start gets no traffic until it is healthy.

With a replica down, a stand-in takes its port: it accepts connections but is not healthy
(it answers 503, as Streamlit does before its runtime is ready) while new tabs arrive, some
with the dead replica's cookie: it must receive no request but health checks. Then the real
replica starts again, and new tabs reach it once the balancer sees it healthy.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from collections.abc import Iterator

from bench import balancer
from bench.pages import PAGES
from bench.replicas import Cluster, Replica
from bench.tab import Tab, student_query


class _NotReady(http.server.BaseHTTPRequestHandler):
    """Answers everything with 503, as Streamlit's health endpoint does before it is ready;
    counts the requests that are not health checks."""

    health_path = "/_stcore/health"
    lock = threading.Lock()

    def do_GET(self) -> None:
        if self.path.split("?")[0] != self.health_path:
            with self.lock:
                self.server.requests.append(self.path)
        body = b"unavailable"
        self.send_response(503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def not_ready_stand_in(port: int, health_path: str) -> Iterator[list[str]]:
    """A server on 127.0.0.1:``port`` that is up but never healthy; yields its requests."""
    handler = type("NotReady", (_NotReady,), {"health_path": health_path})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.requests
    finally:
        server.shutdown()
        server.server_close()


def open_tabs(hall: Cluster, count: int, *, replica: str = "") -> list[str]:
    """Open ``count`` new tabs on /softmax (with ``replica``'s cookie, if given); return the
    replica each landed on, or the error."""
    landed = []
    for index in range(count):
        tab = Tab(hall.url, hall.balancer.cookie_name, PAGES["softmax"])
        tab.replica = replica
        try:
            query = student_query(tab.spec, index)
            tab.load(query)
            tab.connect(query)
            landed.append(tab.replica)
        except Exception as error:
            landed.append(f"error: {type(error).__name__}: {error}")
        finally:
            tab.close()
    return landed


def slow_start(hall: Cluster, dead: Replica, *, stand_in_seconds: float,
               tabs: int) -> dict:
    """With ``dead`` down: a not-ready stand-in on its port gets no request; the real
    replica, started again, gets new tabs once healthy.

    Returns
    -------
    dict
        ``requests`` (non-health requests the stand-in got), ``during`` (where the tabs
        opened meanwhile landed), ``down_s`` (seconds the balancer took to mark it down,
        from now), ``start_s`` (process start to healthy), ``up_s`` (healthy to UP in the
        balancer), ``after`` (where tabs opened after that landed).
    """
    health_path, _ = balancer.health_check(balancer.CONFIG.read_text())
    down_s = hall.balancer.wait_status(dead.name, "DOWN", timeout=30)
    with not_ready_stand_in(dead.port, health_path) as requests:
        stop = time.monotonic() + stand_in_seconds
        during = []
        while time.monotonic() < stop and len(during) < 10 * tabs:
            during += open_tabs(hall, 1)
            during += open_tabs(hall, 1, replica=dead.name)  # a returning tab, stale cookie
        still_down = hall.balancer.states()[dead.name]["status"]
    begin = time.monotonic()
    dead.start()
    dead.wait_healthy()
    healthy = time.monotonic()
    up_s = hall.balancer.wait_status(dead.name, "UP", timeout=30)
    after = open_tabs(hall, tabs)
    return {"requests": list(requests), "during": during, "still_down": still_down,
            "down_s": down_s, "start_s": healthy - begin, "up_s": up_s, "after": after}

"""One browser tab behind the load balancer, as a protocol-level client.

A tab first loads its page over HTTP and keeps the affinity cookie the balancer sets, then
opens its websocket with that cookie (:class:`bench.protocol.Session`). When the websocket
breaks, it reconnects with the same cookie and the same address, as the frontend does.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import contextlib
import http.cookies
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from urllib.parse import urlencode

import websocket

from bench.classroom import softmax_student_query
from bench.pages import PageSpec, open_page
from bench.protocol import ProtocolError, Session
from explorer.settings import specs

CHANGE_TIMEOUT = 30.0
#: A tab that cannot get its view back within this long is lost.
RECOVERY_LIMIT = 30.0
#: What breaks when the replica behind a websocket dies (a close frame arrives as text,
#: which the protocol client reports as a ProtocolError).
CONNECTION_LOST = (websocket.WebSocketConnectionClosedException, ConnectionError,
                   BrokenPipeError, ProtocolError, urllib.error.URLError)
#: What a reconnecting browser tab tries again after (the frontend retries with back-off).
RETRY_AFTER = (*CONNECTION_LOST, websocket.WebSocketBadStatusException, OSError)
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def student_query(spec: PageSpec, index: int) -> dict[str, str]:
    """URL settings of student ``index`` on ``spec``'s page, different for every student."""
    if spec.name == "softmax":
        return softmax_student_query(index)
    if spec.name == "weights":
        x1 = specs.EXAMPLE_X1
        steps = round((x1.max_value - x1.min_value) / x1.step)
        return {x1.key: x1.format_bound(x1.min_value + (index * 37) % (steps + 1) * x1.step)}
    if spec.name == "training":
        return {specs.DATA_SEED.key: str(index % int(specs.DATA_SEED.max_value + 1))}
    return {}


def cookie_from(headers: Sequence[str], name: str) -> str | None:
    """The value of cookie ``name`` among ``Set-Cookie`` header values, or None."""
    for header in headers:
        jar = http.cookies.SimpleCookie()
        jar.load(header)
        if name in jar:
            return jar[name].value
    return None


def url_text(value) -> str:
    """A slider value as the address bar shows it (``2.1``, ``0.5``, an option's text)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


class Tab:
    """A browser tab behind the balancer: its cookie, its address bar and its websocket.

    ``address`` is what the browser's address bar holds: the settings the tab was opened
    with, and the moved slider's value once the server answered (the frontend writes a
    widget bound to the URL into the address bar). Every run carries it, as the frontend
    sends the page's query string with each rerun.
    """

    def __init__(self, url: str, cookie_name: str, spec: PageSpec) -> None:
        self.url = url
        self.cookie_name = cookie_name
        self.spec = spec
        self.replica = ""  # the cookie's value: the replica that serves this tab
        self.address: dict[str, str] = {}
        self.session: Session | None = None

    def _cookie_header(self) -> str:
        return f"{self.cookie_name}={self.replica}" if self.replica else ""

    def load(self, query: dict[str, str]) -> None:
        """GET the page as a browser does first; keep the cookie the balancer sets."""
        request = urllib.request.Request(f"{self.url}/{self.spec.name}?{urlencode(query)}")
        if self.replica:
            request.add_header("Cookie", self._cookie_header())
        with _NO_PROXY.open(request, timeout=CHANGE_TIMEOUT) as response:
            response.read()
            self.replica = cookie_from(response.headers.get_all("Set-Cookie") or [],
                                       self.cookie_name) or self.replica

    def connect(self, query: dict[str, str]):
        """Open the websocket with the cookie, then the page with ``query``; the first run."""
        self.close()
        self.session = Session(self.url, timeout=CHANGE_TIMEOUT, cookie=self._cookie_header())
        headers = self.session.socket.getheaders() or {}
        fresh = cookie_from([headers.get("set-cookie", "")], self.cookie_name)
        self.replica = fresh or self.replica
        self.address = dict(query)
        return open_page(self.session, self.spec, query)

    def change(self, value):
        """Move the page's slider to ``value``; the run it caused."""
        self.session.query_string = urlencode(self.address)
        answer = self.session.set_slider(self.spec.slider, value)
        self.address[self.spec.slider] = url_text(value)
        return answer

    def reconnect(self, limit: float = RECOVERY_LIMIT) -> float:
        """After the websocket broke: reconnect with the same URL until the page is back.

        Returns the monotonic time at which the first run finished; raises TimeoutError.
        """
        query = dict(self.address)
        deadline = time.monotonic() + limit
        while True:
            try:
                self.connect(query)
                return time.monotonic()
            except RETRY_AFTER as error:
                if time.monotonic() + 0.2 > deadline:
                    raise TimeoutError(f"no reconnect within {limit} s: {error}") from None
                time.sleep(0.2)

    def close(self) -> None:
        if self.session is not None:
            with contextlib.suppress(Exception):
                self.session.close()

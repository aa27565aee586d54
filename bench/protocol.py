"""A Streamlit client without a browser: Streamlit's own protobufs over ``/_stcore/stream``.

It does what the frontend does for one session, and nothing more:

- connect with the ``streamlit`` websocket subprotocol and a same-origin ``Origin``
  header (XSRF tokens only matter for login cookies, which this app has none of);
- ask for a page with a ``rerun_script`` BackMsg carrying the query string and the
  page name (``softmax``); later reruns carry the page's script hash instead;
- learn every widget from the ``new_element`` deltas (its id ends in ``-<key>``) and the
  fragment it lives in; a change sends the widget states with that fragment's id, so a
  slider inside ``st.fragment`` reruns only its fragment, as in the browser;
- keep the browser's message cache: a cacheable message is remembered by its hash,
  every rerun reports the remembered hashes, and the server then sends a small
  ``ref_hash`` instead of an unchanged big element. An entry expires after
  ``max_cached_message_age`` finished runs without use, as in the frontend.

A run ends with the ``script_finished`` message; its bytes are every ForwardMsg of the
run, as received.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = ForwardMsg.ScriptFinishedStatus
#: The frontend's default until the server's NewSession says otherwise.
DEFAULT_MAX_CACHED_AGE = 2


class ProtocolError(RuntimeError):
    """The server did not answer as a browser would expect."""


@dataclass
class Widget:
    """A widget the page created: its id, its proto (e.g. a Slider) and its fragment."""

    key: str
    id: str
    kind: str
    proto: object
    fragment_id: str = ""


@dataclass
class RunResult:
    """One script run as the client saw it.

    Attributes
    ----------
    seconds : float
        From sending the BackMsg to receiving ``script_finished``.
    bytes : int
        Total size of the ForwardMsgs of the run.
    messages : int
        How many ForwardMsgs.
    parts : list of (str, int)
        ``(what, bytes)`` per message, e.g. ``("plotly_chart:jacobian", 31000)`` or
        ``("ref_hash", 60)``, for explaining where the bytes go.
    exceptions : list of str
        Messages of ``st.exception`` elements the script produced.
    status : str
        The ``script_finished`` status name.
    """

    seconds: float = 0.0
    bytes: int = 0
    messages: int = 0
    parts: list[tuple[str, int]] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    status: str = ""


@dataclass
class _CacheEntry:
    run: int
    fragment_id: str


def widget_key(widget_id: str) -> str:
    """The user key of a widget id ``$$ID-<hash>-<key>`` ("" for a widget without key)."""
    parts = widget_id.split("-", 2)
    return parts[2] if len(parts) == 3 else ""


class Session:
    """One browser-less Streamlit session on a running server.

    Parameters
    ----------
    base_url : str
        ``http://127.0.0.1:<port>``.
    timeout : float
        Seconds to wait for any one message before giving up.
    cookie : str
        A ``Cookie`` header value for the websocket handshake (a load balancer's
        affinity cookie, ``name=value``); "" for none.
    """

    def __init__(self, base_url: str, *, timeout: float = 60.0, cookie: str = "") -> None:
        if not base_url.startswith("http://127.0.0.1:"):
            raise ValueError(f"only local servers are benchmarked, got {base_url!r}")
        self.timeout = timeout
        self.socket = websocket.create_connection(
            "ws://" + base_url.removeprefix("http://") + "/_stcore/stream",
            subprotocols=["streamlit"], origin=base_url, timeout=timeout,
            cookie=cookie or None,
        )
        self.page_name = ""
        self.page_hash = ""
        self.query_string = ""
        self.widgets: dict[str, Widget] = {}
        self.values: dict[str, WidgetState] = {}
        self._cache: dict[str, _CacheEntry] = {}
        self._cached_messages: dict[str, ForwardMsg] = {}
        self._runs = 0
        self._max_age = DEFAULT_MAX_CACHED_AGE
        #: Controls of live components (explorer/pages/live.py): key -> (component key,
        #: path into the component's state, the walk of values).
        self._live: dict[str, tuple[str, tuple, list]] = {}
        self._live_states: dict[str, dict] = {}

    def close(self) -> None:
        """Close the websocket (the server then ends the session)."""
        self.socket.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def open(self, page: str = "", query: dict[str, str] | None = None) -> RunResult:
        """Load ``page`` (URL path without the slash; "" for the main page) with ``query``."""
        self.page_name = page
        self.page_hash = ""
        self.query_string = urlencode(query or {})
        self.widgets.clear()
        self.values.clear()
        self._live_states.clear()
        return self._rerun(fragment_id="")

    def rerun(self) -> RunResult:
        """Rerun the whole page with the current widget values (like pressing R)."""
        return self._rerun(fragment_id="")

    def use_live_control(self, key: str, component: str, path: tuple, walk: list) -> None:
        """Treat ``key`` as a slider of the live component ``component``.

        A live view's controls run in the browser, which sends the whole state back as the
        component's JSON value; :meth:`set_slider` then changes ``path`` of that state
        (e.g. ``("z", 0)``), as the browser's debounced sync would, and ``walk`` gives the
        values the control takes.
        """
        self._live[key] = (component, tuple(path), list(walk))

    def _live_value(self, key: str):
        component, path, _ = self._live[key]
        state = self._live_states.get(component)
        if state is None:
            state = component_state(self.widget(component).proto)
        for part in path:
            state = state[part]
        return state

    def set_slider(self, key: str, value) -> RunResult:
        """Move the slider ``key`` to ``value`` (a number, or an option's text for a
        select slider) and wait for the run it causes."""
        if key in self._live:
            component, path, _ = self._live[key]
            widget = self.widget(component)
            state = self._live_states.get(component)
            if state is None:
                state = component_state(widget.proto)
            target = state
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = value
            self._live_states[component] = state
            self.values[widget.id] = WidgetState(id=widget.id,
                                                 json_value=json.dumps({"state": state}))
            return self._rerun(fragment_id=widget.fragment_id)
        widget = self.widget(key)
        state = WidgetState(id=widget.id)
        if widget.proto.type == Slider.Type.SELECT_SLIDER:
            state.string_array_value.data[:] = [str(value)]
        else:
            state.double_array_value.data[:] = [float(value)]
        self.values[widget.id] = state
        return self._rerun(fragment_id=widget.fragment_id)

    def widget(self, key: str) -> Widget:
        """The widget with ``key`` from the last run, or LookupError."""
        try:
            return self.widgets[key]
        except KeyError:
            raise LookupError(f"the page has no widget with key {key!r}") from None

    def slider_walk(self, key: str) -> list:
        """Every value of slider ``key`` from its minimum to its maximum, in order.

        Numbers for a slider (rounded as the frontend's step arithmetic would show
        them), option texts for a select slider.
        """
        if key in self._live:
            return list(self._live[key][2])
        proto = self.widget(key).proto
        if proto.type == Slider.Type.SELECT_SLIDER:
            return list(proto.options)
        count = round((proto.max - proto.min) / proto.step)
        return [round(proto.min + i * proto.step, 10) for i in range(count + 1)]

    def slider_value(self, key: str):
        """The slider's current value: the index into ``slider_walk`` of its value."""
        if key in self._live:
            walk = self._live[key][2]
            value = self._live_value(key)
            return min(range(len(walk)), key=lambda index: abs(walk[index] - value))
        widget = self.widget(key)
        state = self.values.get(widget.id)
        proto = widget.proto
        if state is not None:
            if proto.type == Slider.Type.SELECT_SLIDER:
                return list(proto.options).index(state.string_array_value.data[0])
            value = state.double_array_value.data[0]
        elif proto.set_value and not proto.value and proto.raw_value:
            # A select slider given its value in the URL gets the option's text.
            return list(proto.options).index(proto.raw_value[0])
        else:
            value = (proto.value if proto.set_value else proto.default)[0]
            if proto.type == Slider.Type.SELECT_SLIDER:
                return int(value)
        return round((value - proto.min) / proto.step)

    # -------------------------------------------------------------------------------
    def _send(self, fragment_id: str) -> None:
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string = self.query_string
        if self.page_hash:
            rerun.page_script_hash = self.page_hash
        else:
            rerun.page_name = self.page_name
        rerun.fragment_id = fragment_id
        rerun.widget_states.widgets.extend(self.values.values())
        rerun.cached_message_hashes.extend(self._cache)
        self.socket.send_binary(message.SerializeToString())

    def _rerun(self, fragment_id: str) -> RunResult:
        result = RunResult()
        start = time.perf_counter()
        self._send(fragment_id)
        deadline = start + self.timeout
        while True:
            if time.perf_counter() > deadline:
                raise ProtocolError(f"no script_finished within {self.timeout} s")
            data = self.socket.recv()
            if not isinstance(data, bytes):
                raise ProtocolError(f"expected a binary ForwardMsg, got {type(data).__name__}")
            message = ForwardMsg()
            message.ParseFromString(data)
            result.bytes += len(data)
            result.messages += 1
            kind = message.WhichOneof("type")
            if kind == "ref_hash":
                result.parts.append(("ref_hash", len(data)))
                message = self._resolve(message)
                kind = message.WhichOneof("type")
            else:
                result.parts.append((_describe(message), len(data)))
                self._remember(message, data)
            self._learn(message, kind, result)
            if kind == "script_finished":
                status = message.script_finished
                result.status = FINISHED.Name(status)
                if status == FINISHED.FINISHED_EARLY_FOR_RERUN:
                    continue
                self._age_cache(fragment_id)
                result.seconds = time.perf_counter() - start
                return result

    def _remember(self, message: ForwardMsg, data: bytes) -> None:
        if message.metadata.cacheable and message.hash:
            fragment = message.delta.fragment_id if message.HasField("delta") else ""
            if message.hash not in self._cache:
                self._cache[message.hash] = _CacheEntry(self._runs, fragment)
                self._cached_messages[message.hash] = message
            else:
                self._cache[message.hash].run = self._runs

    def _resolve(self, reference: ForwardMsg) -> ForwardMsg:
        entry = self._cache.get(reference.ref_hash)
        if entry is None:
            raise ProtocolError(f"cache miss for ref_hash {reference.ref_hash}")
        entry.run = self._runs
        message = ForwardMsg()
        message.CopyFrom(self._cached_messages[reference.ref_hash])
        message.metadata.CopyFrom(reference.metadata)
        return message

    def _age_cache(self, fragment_id: str) -> None:
        # The frontend counts finished runs; an entry unused for more than max_age runs
        # goes (in a fragment run, only the entries of that fragment can go).
        self._runs += 1
        for hash_, entry in list(self._cache.items()):
            if fragment_id and entry.fragment_id != fragment_id:
                continue
            if self._runs - entry.run > self._max_age:
                del self._cache[hash_]
                del self._cached_messages[hash_]

    def _learn(self, message: ForwardMsg, kind: str, result: RunResult) -> None:
        if kind == "new_session":
            self.page_hash = message.new_session.page_script_hash
            self._max_age = message.new_session.config.max_cached_message_age or self._max_age
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "page_not_found":
            raise ProtocolError(f"page not found: {self.page_name!r}")
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            element_kind = element.WhichOneof("type")
            if element_kind == "exception":
                result.exceptions.append(f"{element.exception.type}: {element.exception.message}")
                return
            proto = getattr(element, element_kind)
            widget_id = getattr(proto, "id", "")
            key = widget_key(widget_id) if isinstance(widget_id, str) else ""
            if key and element_kind != "plotly_chart":
                self.widgets[key] = Widget(key, widget_id, element_kind, proto,
                                           message.delta.fragment_id)


def _describe(message: ForwardMsg) -> str:
    """A short label of a ForwardMsg: its type, and for an element its kind and key."""
    kind = message.WhichOneof("type")
    if kind != "delta":
        return kind
    delta_kind = message.delta.WhichOneof("type")
    if delta_kind != "new_element":
        return f"delta:{delta_kind}"
    element = message.delta.new_element
    element_kind = element.WhichOneof("type")
    element_id = getattr(getattr(element, element_kind), "id", "")
    key = widget_key(element_id) if isinstance(element_id, str) else ""
    return f"{element_kind}:{key}" if key else element_kind


def component_state(proto) -> dict:
    """The state a live component was sent: in its JSON data, or (the /training player,
    whose data is a binary payload) in the ``controls`` of the payload's header."""
    if proto.WhichOneof("data") == "bytes":
        from explorer.player_payload import decode

        return decode(proto.bytes)[0]["controls"]["state"]
    return json.loads(proto.json)["state"]

"""Many users on one server: sessions are isolated, and uploads are capped by the server.

- Two browser contexts (two Streamlit sessions) on one server, with interleaved actions:
  different logits and temperatures on /softmax (from their links, then moved with the
  keyboard), different uploaded CSVs on /training. Each page's charts are checked against
  its own settings and points (softmax recomputed here with numpy), never the other's; a
  third session sees neither upload.
- A file over ``server.maxUploadSize`` (5 MB): the browser refuses it with a message and the
  previous points stay; a request that bypasses the browser gets HTTP 413 from the server,
  and one without the XSRF token gets 403. The parser's own cap (100,000 rows) is tested in
  tests/unit/test_parse_points.py (``test_one_row_too_many_is_rejected_with_its_line``).
- The Dockerfile's HEALTHCHECK command passes against a live server (and fails without one),
  and ``server.allowedHosts`` refuses WebSockets for other hosts, as the README says.
"""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest

from explorer.settings import specs
from tests.e2e.conftest import VIEWPORTS
from tests.support.live import live_values, wait_idle

pytestmark = pytest.mark.e2e

UPLOAD = ".st-key-upload input[type=file]"
CUSTOM = "/training?dataset=custom&test=0"


def _poll(read, accept, what: str, timeout: float = 30.0):
    """Call ``read()`` until ``accept(value)``; fail naming ``what`` with the last value."""
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = read()
        if value is not None and accept(value):
            return value
        time.sleep(0.15)
    raise AssertionError(f"{what}: last seen {value!r:.400}")


# ----------------------------------------------------------------------------------------
# /softmax


def _softmax(z: np.ndarray, t: float) -> np.ndarray:
    e = np.exp((z - z.max()) / t)
    return e / e.sum()


def _logits(k: int, given: dict[int, float]) -> np.ndarray:
    return np.array([given.get(i, specs.SOFTMAX_LOGITS[i].default) for i in range(k)])


def _probs_chart(page) -> dict[str, np.ndarray] | None:
    drawn = live_values(page)
    if "probs" not in drawn:
        return None
    return {"z": np.asarray(drawn["logits"], dtype=float),
            "p": np.asarray(drawn["probs"], dtype=float)}


def _expect_softmax(page, k: int, given: dict[int, float], t: float, who: str) -> None:
    z = _logits(k, given)
    p = _softmax(z, t)

    def matches(chart):
        return (chart.get("z") is not None and chart["z"].shape == z.shape
                and np.allclose(chart["z"], z, atol=1e-6)
                and np.allclose(chart["p"], p, rtol=1e-5, atol=1e-7))

    _poll(lambda: _probs_chart(page), matches, f"{who}: probs chart is not softmax({z}/{t})")


def _nudge_widget(page, key: str, keypress: str, times: int) -> None:
    """Move a Streamlit slider (its thumb is a visually hidden range input)."""
    slider = page.locator(f".st-key-{key}").get_by_role("slider")
    for _ in range(times):
        slider.focus()
        slider.press(keypress)
        wait_idle(page)


def _nudge(page, key: str, keypress: str, times: int) -> None:
    """Move a control of a live view (a range input inside the component)."""
    slider = page.locator(f"input[data-key='{key}']")
    for _ in range(times):
        slider.focus()
        slider.press(keypress)
    page.wait_for_timeout(600)  # the debounced sync and its rerun
    wait_idle(page)


def _href(page) -> str:
    return page.evaluate("location.href")


def test_two_sessions_keep_their_own_settings(browser, app_url):
    contexts = [browser.new_context(viewport=VIEWPORTS["laptop"]) for _ in range(2)]
    try:
        a, b = (context.new_page() for context in contexts)
        a.goto(f"{app_url}/softmax?k=3&z0=5")
        b.goto(f"{app_url}/softmax?k=6&z0=-4&t=2")
        wait_idle(a)
        wait_idle(b)
        _expect_softmax(a, 3, {0: 5.0}, 1.0, "A")
        _expect_softmax(b, 6, {0: -4.0}, 2.0, "B")

        step = specs.SOFTMAX_LOGITS[0].step
        _nudge(a, "z0", "ArrowRight", 2)  # A: z0 5 -> 5.2
        _nudge(b, "z1", "ArrowLeft", 2)  # B: z1 1 -> 0.8, between A's two moves
        _nudge(a, "z2", "ArrowLeft", 1)  # A: z2 0.1 -> 0.0
        a_logits = {0: 5.0 + 2 * step, 2: specs.SOFTMAX_LOGITS[2].default - step}
        b_logits = {0: -4.0, 1: specs.SOFTMAX_LOGITS[1].default - 2 * step}
        _expect_softmax(a, 3, {i: round(v, 6) for i, v in a_logits.items()}, 1.0, "A")
        _expect_softmax(b, 6, {i: round(v, 6) for i, v in b_logits.items()}, 2.0, "B")
        a_url, b_url = _href(a), _href(b)
        assert "k=3" in a_url and "z0=5.2" in a_url and "t=" not in a_url and "z1=" not in a_url
        assert "k=6" in b_url and "z0=-4" in b_url and "z1=0.8" in b_url and "t=2" in b_url

        b.reload()  # a new session for B from its link: still B's view, A untouched
        wait_idle(b)
        _expect_softmax(b, 6, {i: round(v, 6) for i, v in b_logits.items()}, 2.0, "B reloaded")
        _expect_softmax(a, 3, {i: round(v, 6) for i, v in a_logits.items()}, 1.0, "A")
    finally:
        for context in contexts:
            context.close()


# ----------------------------------------------------------------------------------------
# /training uploads

POINTS_A = [(1.5, 2.0, 0), (3.0, 4.25, 1), (-1.0, -2.5, 0), (5.0, 1.0, 1), (0.5, 0.75, 0)]
POINTS_B = [(-7.0, 3.0, 2), (2.0, -6.0, 0), (4.5, 4.5, 1), (-3.25, -3.0, 2), (6.0, 0.0, 0),
            (1.0, 5.0, 1)]


def _csv(points) -> bytes:
    return ("x1,x2,label\n" + "".join(f"{x1},{x2},{y}\n" for x1, x2, y in points)).encode()


def _upload(page, name: str, data: bytes) -> None:
    page.locator(UPLOAD).set_input_files(files=[{"name": name, "mimeType": "text/csv",
                                                "buffer": data}])


def _plotted_points(page) -> set[tuple[float, float, int]] | None:
    """Every (x1, x2, class) the player draws on its regions.

    The player gets positions as uint16 fractions of the plane (within 1/65535 of its
    width), so they are compared at two decimals; these test points are quarters.
    """
    regions = page.locator("[data-chart='regions']")
    if regions.count() == 0 or regions.first.get_attribute("data-points") is None:
        return None
    drawn = json.loads(regions.first.get_attribute("data-points"))
    return {(round(x1, 2), round(x2, 2), int(y)) for x1, x2, y in drawn["train"] + drawn["test"]}


def _expect_points(page, points, who: str) -> None:
    expected = {(round(x1, 2), round(x2, 2), y) for x1, x2, y in points}
    _poll(lambda: _plotted_points(page), lambda seen: seen == expected,
          f"{who}: the regions chart does not show exactly its own points {sorted(expected)}")


def test_two_sessions_keep_their_own_uploaded_points(browser, app_url):
    contexts = [browser.new_context(viewport=VIEWPORTS["laptop"]) for _ in range(3)]
    try:
        a, b, c = (context.new_page() for context in contexts)
        a.goto(app_url + CUSTOM)
        b.goto(app_url + CUSTOM)
        wait_idle(a)
        wait_idle(b)
        a.locator(UPLOAD).wait_for(state="attached", timeout=30_000)
        _upload(a, "a.csv", _csv(POINTS_A))
        _upload(b, "b.csv", _csv(POINTS_B))
        _expect_points(a, POINTS_A, "A")
        _expect_points(b, POINTS_B, "B")

        _nudge_widget(a, "steps", "ArrowRight", 1)  # A retrains; B is untouched
        _expect_points(a, POINTS_A, "A after a rerun")
        _expect_points(b, POINTS_B, "B after A's rerun")

        c.goto(app_url + CUSTOM)  # a third session has neither upload
        wait_idle(c)
        seen = _poll(lambda: _plotted_points(c), bool, "C: no points plotted")
        ours = {(round(x1, 4), round(x2, 4), y) for x1, x2, y in POINTS_A + POINTS_B}
        assert not seen & ours, "a new session sees someone else's uploaded points"
    finally:
        for context in contexts:
            context.close()


def test_an_upload_over_five_megabytes_is_refused(page, app_url, screenshot_dir):
    page.goto(app_url + CUSTOM)
    wait_idle(page)
    with page.expect_request(
        lambda request: "/_stcore/upload_file/" in request.url and request.method == "PUT"
    ) as upload:
        _upload(page, "small.csv", _csv(POINTS_A))
    _expect_points(page, POINTS_A, "after the small upload")
    url, token = upload.value.url, upload.value.headers.get("x-xsrftoken")
    assert token, "the browser sent no XSRF token"

    big = b"1.0,2.0,0\n" * (6 * 1024 * 1024 // 10 + 1)  # 6 MB of valid rows
    _upload(page, "big.csv", big)
    uploader = page.locator(".st-key-upload")
    _poll(uploader.inner_text, lambda text: "5.0MB or smaller" in text,
          "no size error shown for a 6 MB file")
    page.screenshot(path=str(screenshot_dir / "upload-too-big-laptop.png"))
    _expect_points(page, POINTS_A, "the previous points after the refused upload")

    # The same request, bypassing the browser's own check: the server refuses it.
    multipart = {"file": {"name": "big.csv", "mimeType": "text/csv", "buffer": big}}
    response = page.request.put(url, multipart=multipart, headers={"X-Xsrftoken": token})
    assert response.status == 413, (response.status, response.text()[:200])
    small = {"file": {"name": "s.csv", "mimeType": "text/csv", "buffer": _csv(POINTS_B)}}
    response = page.request.put(url, multipart=small)  # no XSRF token
    assert response.status == 403, (response.status, response.text()[:200])
    _expect_points(page, POINTS_A, "the previous points after the refused requests")


def test_the_images_health_check_command_passes_on_a_live_server(app_url):
    """The Dockerfile's HEALTHCHECK command, pointed at this server's port, exits 0."""
    import json
    import re
    import subprocess
    import sys

    from tests.unit.test_deployment_docs import DOCKERFILE, instructions

    check = next(arguments for word, arguments in instructions(DOCKERFILE)
                 if word == "HEALTHCHECK")
    words = json.loads(check.partition("CMD ")[2])
    port = app_url.rsplit(":", 1)[1]
    code = re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{port}", words[-1])
    assert code != words[-1]
    result = subprocess.run([sys.executable, *words[1:-1], code], capture_output=True,
                            timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    from tests.support.live import free_port

    broken = code.replace(f":{port}/", f":{free_port()}/")  # nothing listens there
    result = subprocess.run([sys.executable, *words[1:-1], broken], capture_output=True,
                            timeout=30, check=False)
    assert result.returncode != 0, "the health check passes with no server"


def test_allowed_hosts_refuses_websockets_for_other_hosts(monkeypatch):
    """What the README says of ``server.allowedHosts``, set as it documents (an env var)."""
    import websocket

    from tests.support.live import streamlit_server

    monkeypatch.setitem(os.environ, "STREAMLIT_SERVER_ALLOWED_HOSTS", "explorer.example.edu")
    with streamlit_server("tests/e2e/apps/raises_app.py") as base:
        stream = base.replace("http://", "ws://") + "/_stcore/stream"

        def connect(host: str) -> int:
            try:
                websocket.create_connection(stream, subprotocols=["streamlit"], timeout=10,
                                            host=host, suppress_origin=True).close()
            except websocket.WebSocketBadStatusException as error:
                return error.status_code
            return 101

        assert connect("explorer.example.edu") == 101
        assert connect("evil.example") == 403
        assert connect(base.removeprefix("http://")) == 403

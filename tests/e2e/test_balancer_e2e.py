"""Through the ``deploy/`` load balancer, in a real browser.

HAProxy runs ``deploy/haproxy.cfg`` rendered for 127.0.0.1 in front of two real replicas
(:func:`bench.replicas.cluster`). The browser's own reconnect logic is what is tested:
when the replica serving a tab is killed, the tab must come back, through the balancer and
with a new affinity cookie, on the same view (checked against numpy), and keep working.
Uploads (plain HTTP requests beside the websocket) must reach the tab's own replica.
"""

from __future__ import annotations

import os

import pytest

from bench import balancer, replicas
from explorer.settings import specs
from tests.e2e.conftest import VIEWPORTS
from tests.e2e.test_isolation_e2e import (
    CUSTOM,
    POINTS_A,
    POINTS_B,
    _csv,
    _expect_points,
    _expect_softmax,
    _nudge,
    _poll,
    _upload,
)
from tests.support.live import wait_idle

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(balancer.haproxy_path() is None and not os.environ.get("CI"),
                       reason="haproxy is not installed"),
]


def _replica_of(context, cookie_name: str) -> str | None:
    return {cookie["name"]: cookie["value"] for cookie in context.cookies()}.get(cookie_name)


def test_a_killed_replicas_tab_comes_back_on_its_view_and_keeps_working(browser,
                                                                          screenshot_dir):
    with replicas.cluster(2) as hall:
        context = browser.new_context(viewport=VIEWPORTS["laptop"])
        try:
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto(f"{hall.url}/softmax?k=3&z0=5&t=2")
            wait_idle(page)
            step = specs.SOFTMAX_LOGITS[0].step
            _nudge(page, "z0", "ArrowRight", 2)  # z0 5 -> 5.2, only in this session and URL
            moved = {0: round(5.0 + 2 * step, 6)}
            _expect_softmax(page, 3, moved, 2.0, "before the kill")
            first = _replica_of(context, hall.balancer.cookie_name)
            assert first in {replica.name for replica in hall.replicas}

            hall.replica(first).kill()
            second = _poll(lambda: _replica_of(context, hall.balancer.cookie_name),
                           lambda name: name != first,
                           "the tab did not reconnect to another replica", timeout=60)
            assert second in {replica.name for replica in hall.replicas} - {first}
            wait_idle(page, timeout=60_000)
            _expect_softmax(page, 3, moved, 2.0, "after the kill, on the other replica")
            assert "z0=5.2" in page.url and "k=3" in page.url
            page.screenshot(path=str(screenshot_dir / "failover-softmax-laptop.png"))

            # Let the reconnected page settle before a key press (a press while the
            # frontend still redraws can land on a slider that is being replaced).
            page.wait_for_timeout(1500)
            wait_idle(page)
            _nudge(page, "z0", "ArrowRight", 1)  # the new replica answers changes
            _expect_softmax(page, 3, {0: round(5.0 + 3 * step, 6)}, 2.0, "a change afterwards")
        finally:
            context.close()


def test_uploads_reach_the_replica_of_their_tab(browser):
    with replicas.cluster(2) as hall:
        contexts = [browser.new_context(viewport=VIEWPORTS["laptop"]) for _ in range(2)]
        try:
            pages = [context.new_page() for context in contexts]
            for page in pages:
                page.set_default_timeout(30_000)
                page.goto(hall.url + CUSTOM)
                wait_idle(page)
            served = {_replica_of(context, hall.balancer.cookie_name) for context in contexts}
            assert served == {replica.name for replica in hall.replicas}, served
            for page, points, name in zip(pages, (POINTS_A, POINTS_B), "ab", strict=True):
                page.locator(".st-key-upload input[type=file]").wait_for(state="attached")
                _upload(page, f"{name}.csv", _csv(points))
            _expect_points(pages[0], POINTS_A, "tab A through the balancer")
            _expect_points(pages[1], POINTS_B, "tab B through the balancer")
        finally:
            for context in contexts:
                context.close()

"""The scale benchmark's pieces: the rendered balancer config, the replicas, the tabs.

The live test runs ``deploy/haproxy.cfg`` (rendered for 127.0.0.1) with HAProxy in front of
two real replicas: cookie affinity, a kill and the reconnect to the same view, and a
replica that is up but not healthy getting no request.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import balancer, lecture, replicas, slow_start, tab
from bench.pages import PAGES
from explorer.settings import specs

TEMPLATE = balancer.CONFIG.read_text()
needs_haproxy = pytest.mark.skipif(balancer.haproxy_path() is None and not os.environ.get("CI"),
                                   reason="haproxy is not installed")


def rendered(ports=(18501, 18502)) -> str:
    return balancer.render_local(TEMPLATE, port=18080, replica_ports=list(ports),
                                 stats_socket=Path("/tmp/test.sock"))


def test_rendering_changes_only_listen_address_servers_dns_and_stats():
    diff = [line for line in difflib.unified_diff(TEMPLATE.splitlines(), rendered().splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    added = [line[1:].strip() for line in diff if line.startswith("+")]
    removed = [line[1:].strip() for line in diff if line.startswith("-")]
    assert added == ["stats socket /tmp/test.sock mode 600 level admin", "bind 127.0.0.1:18080",
                     "default-server check inter 2s fall 2 rise 2 init-addr last,libc,none",
                     "server replica-1 127.0.0.1:18501 cookie replica-1",
                     "server replica-2 127.0.0.1:18502 cookie replica-2"]
    assert all(line.startswith(("resolvers", "nameserver", "hold", "#", "bind", "server",
                                "default-server")) or not line for line in removed), removed
    assert not any("resolvers" in line for line in rendered().splitlines()
                   if not line.strip().startswith("#"))


def test_rendered_servers_follow_the_replica_count():
    four = balancer.servers(rendered(range(20001, 20005)))
    assert [server["address"] for server in four] == [f"127.0.0.1:{port}"
                                                      for port in range(20001, 20005)]
    assert [server["cookie"] for server in four] == [f"replica-{i}" for i in range(1, 5)]
    assert balancer.affinity_cookie(rendered()) == balancer.affinity_cookie(TEMPLATE)


@needs_haproxy
def test_haproxy_accepts_the_rendered_config(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(rendered())
    check = subprocess.run([balancer.haproxy_path(), "-c", "-f", str(path)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    assert "WARNING" not in check.stderr  # every address resolves, nothing is ignored


def test_a_replica_runs_the_dockerfiles_command_on_localhost():
    words = replicas.dockerfile_command()
    command = replicas.replica_command(12345)
    assert command[:3] == [sys.executable, "-m", "streamlit"]
    assert command[3:5] == words[1:3] == ["run", "app.py"]
    assert "--server.address=127.0.0.1" in command and "--server.port=12345" in command
    assert len(command) == len(words) + 2


def test_cookie_from_reads_the_balancers_cookie_among_others():
    headers = ["_streamlit_xsrf=2|abc|def|123; Path=/; SameSite=Lax",
               "explorer_replica=replica-2; path=/; HttpOnly; SameSite=Lax"]
    assert tab.cookie_from(headers, "explorer_replica") == "replica-2"
    assert tab.cookie_from(headers[:1], "explorer_replica") is None


def test_url_text_is_how_the_address_bar_writes_a_value():
    assert tab.url_text(2.0) == "2" and tab.url_text(-0.5) == "-0.5"
    assert tab.url_text("0.07") == "0.07"


@pytest.mark.parametrize("page", lecture.STUDENT_PAGES)
def test_students_get_distinct_valid_settings(page):
    spec = PAGES[page]
    queries = [tab.student_query(spec, index) for index in range(60)]
    assert len({tuple(sorted(query.items())) for query in queries}) == 60
    settings = {setting.key: setting for setting in (
        *specs.SOFTMAX_LOGITS, specs.EXAMPLE_X1, specs.DATA_SEED)}
    for query in queries:
        for key, value in query.items():
            setting = settings[key]
            assert setting.min_value <= float(value) <= setting.max_value, (key, value)


@needs_haproxy
def test_through_the_balancer_a_killed_replicas_tabs_come_back_on_their_view():
    with replicas.cluster(2) as hall:
        load = lecture.lecture(hall, 6, changes=3, period=0.5, ramp_seconds=0.5,
                             max_seconds=90, kill_after=0.7)
        assert load.errors == [] and load.lost == {}
        assert set(load.by_replica) == {"replica-1", "replica-2"}  # both served tabs
        assert load.affected > 0 and len(load.recovered) == load.affected
        assert all(0 < seconds < tab.RECOVERY_LIMIT for seconds in load.recovered)
        assert load.answered == 6 * 3  # every change answered, the interrupted ones re-sent
        dead = hall.replicas[-1]
        assert hall.balancer.wait_status(dead.name, "DOWN", timeout=30) >= 0
        landed = slow_start.open_tabs(hall, 2, replica=dead.name)
        assert landed == ["replica-1", "replica-1"]  # the stale cookie is replaced
        with slow_start.not_ready_stand_in(dead.port, "/_stcore/health") as requests:
            assert slow_start.open_tabs(hall, 4) == ["replica-1"] * 4
            assert hall.balancer.states()[dead.name]["status"] == "DOWN"
        assert requests == []


def test_a_partial_run_replaces_its_section_of_the_report_and_keeps_the_rest():
    from bench import report
    from bench.results import Section

    def section(title: str, value: float, passed: bool) -> Section:
        made = Section(title)
        made.add("thing", value, "ms", "<= 1 ms", passed)
        return made

    started = report.datetime.datetime(2026, 1, 2, 3, 4)
    full = report.markdown([section("Kernels", 1.5, True), section("Scale", 9.5, False)],
                           mode="full", started=started, seconds=60, commit="aaa")
    partial = report.markdown([section("Scale", 0.5, True), section("New", 2.5, False)],
                              mode="full", started=started, seconds=5, commit="bbb")
    merged = report.merge(full, partial, "python -m bench --only scale")
    assert merged.startswith(full.split("\n## ")[0].split("**Goals met")[0])  # header kept
    assert "| thing | 1.50 ms |" in merged  # Kernels kept
    assert "| thing | 9.50 ms |" not in merged and "| thing | 0.50 ms |" in merged
    assert merged.index("## Kernels") < merged.index("## Scale") < merged.index("## New")
    assert merged.count("Measured separately by `python -m bench --only scale`") == 2
    assert "commit bbb" in merged and "**Goals met: 2 of 3.**" in merged

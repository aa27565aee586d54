"""The benchmark harness on tiny sizes: every piece runs, and what it measures is sane.

Times are not judged (this machine is shared); what is checked is that each piece
measures what it claims: numbers against numpy or a hand count, bytes against what
the server must have sent, timings against a known sleep.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

import numpy as np
import pytest

from bench import classroom, kernels, payload, procstat, protocol, report, server
from bench.__main__ import main
from bench.pages import BARE, BARE_SCRIPT, PAGES
from bench.results import Row, Section, judge
from bench.stats import median, percentile
from explorer.timing import interleaved_best
from tests.support.live import chromium_path, streamlit_server

#: A page with a slider in a fragment, a big chart that never changes and a small one that does.
FRAGMENT_APP = '''
import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Scatter(y=np.arange(4000.0))), key="still")

@st.fragment
def panel():
    value = st.slider("v", 0.0, 1.0, 0.5, 0.1, key="v")
    st.plotly_chart(go.Figure(go.Bar(y=[value])), key="moving")

panel()
'''


@pytest.fixture(scope="module")
def bare_url():
    with streamlit_server(BARE_SCRIPT) as base:
        yield base


@pytest.fixture(scope="module")
def fragment_url(tmp_path_factory):
    script = tmp_path_factory.mktemp("fragment_app") / "fragment_app.py"
    script.write_text(FRAGMENT_APP)
    with streamlit_server(script) as base:
        yield base


# ---- statistics and timing -----------------------------------------------------------
@pytest.mark.parametrize("q", [0, 5, 50, 95, 100])
def test_percentile_matches_numpy(q):
    values = list(np.random.default_rng(3).exponential(size=37))
    assert percentile(values, q) == pytest.approx(np.percentile(values, q))
    assert math.isnan(median([]))


def test_interleaved_best_measures_a_known_sleep():
    best = interleaved_best({"sleep": lambda: time.sleep(0.002), "nothing": lambda: None},
                            repeats=2, min_seconds=0.005)
    assert 0.002 <= best["sleep"] < 0.05
    assert 0 < best["nothing"] < best["sleep"]


def test_bounce_moves_one_step_and_turns_at_the_ends():
    indices = payload.bounce(1, 4, 8)
    assert indices == [2, 3, 2, 1, 0, 1, 2, 3]
    assert all(0 <= index < 4 for index in indices)
    with pytest.raises(ValueError):
        payload.bounce(0, 1, 3)


def test_judge_and_row_verdicts():
    assert judge(1.2, at_most=1.25) is True
    assert judge(1.3, at_most=1.25) is False
    assert judge(150, at_least=100) is True
    assert judge(math.nan, at_most=1) is False
    assert judge(5.0, at_most=1, judged=False) is None
    assert Row("r", math.nan, "ms").formatted() == "n/a"
    assert Row("r", 12345.6, "cells/s").formatted() == "12,346 cells/s"


# ---- kernels ----------------------------------------------------------------------------
def test_floor_kernel_does_the_floor_work():
    W, _, X, _ = kernels.problem(40, 4)
    product = kernels.floor_kernel(W, X, 40, 4)()
    S = np.random.default_rng(1).random((40, 4))  # the floor's fixed stand-in for P - Y
    np.testing.assert_allclose(product, X.T @ S)


def test_quick_kernels_agree_and_report_positive_speeds():
    section = kernels.run(quick=True)
    assert section.errors == []
    names = [row.name for row in section.rows]
    assert any(name.startswith("naive / loss_and_grad") for name in names)
    assert any(name.startswith("loss_and_grad / floor") for name in names)
    assert sum(name.startswith("train ") for name in names) == 6
    for row in section.rows:
        assert math.isfinite(row.value) and row.value > 0, row
        assert row.passed is None  # quick mode never judges times


def test_max_difference_sees_a_wrong_gradient():
    W, b, X, y = kernels.problem(30, 3)
    from explorer import loss_and_grad

    loss, dW, db = loss_and_grad(W, b, X, y)
    assert kernels.max_difference((loss, dW, db), (loss, dW, db)) == 0
    assert kernels.max_difference((loss, dW, db), (loss, dW + 1e-3, db)) == pytest.approx(1e-3)


# ---- server (AppTest) -------------------------------------------------------------------
def test_apptest_walk_and_rerun_times_of_the_bare_app():
    at = server.start(BARE)
    values, index = server.slider_walk(at, BARE)
    assert len(values) == 201 and values[0] == -10.0 and values[-1] == 10.0
    assert values[index] == 0.0
    times = server.rerun_times(BARE, changes=3, warmup=1)
    assert len(times) == 3 and all(0 < t < 30 for t in times)


# ---- protocol and payload ---------------------------------------------------------------
def test_session_learns_widgets_and_counts_every_byte(bare_url):
    with protocol.Session(bare_url, timeout=30) as session:
        first = session.open("")
        assert first.status == "FINISHED_SUCCESSFULLY"
        assert "x" in session.widgets
        assert session.slider_walk("x")[session.slider_value("x")] == 0.0
        change = session.set_slider("x", 0.1)
    assert change.bytes == sum(size for _, size in change.parts)
    names = dict(change.parts)
    assert names["plotly_chart:chart"] > 1000  # the redrawn figure itself
    assert "slider:x" in names and "script_finished" in names
    assert change.exceptions == [] and 0 < change.seconds < 30


def test_unchanged_big_chart_comes_from_the_message_cache(fragment_url):
    with protocol.Session(fragment_url, timeout=30) as session:
        first = session.open("")
        still = dict(first.parts)["plotly_chart:still"]
        assert still > 10_000  # big enough for Streamlit's message cache
        widget = session.widget("v")
        assert widget.fragment_id  # the slider lives in a fragment
        fragment_run = session.set_slider("v", 0.6)
        full_run = session.rerun()
    assert fragment_run.status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"
    # The fragment rerun never resends the chart outside it ...
    assert "plotly_chart:still" not in dict(fragment_run.parts)
    assert "plotly_chart:moving" in dict(fragment_run.parts)
    # ... and a full rerun sends only a reference to it, because the client reported the hash.
    assert "plotly_chart:still" not in dict(full_run.parts)
    assert any(name == "ref_hash" for name, _ in full_run.parts)
    assert full_run.bytes < first.bytes - still + 1000


def test_payload_measure_on_the_bare_app(bare_url):
    result = payload.measure(bare_url, BARE, changes=3)
    assert len(result.changes) == 3
    assert all(2000 < size < 20_000 for size in result.changes)
    assert "plotly_chart:chart" in result.top_parts()


# ---- classroom and soak -----------------------------------------------------------------
def test_procstat_reads_the_server(bare_url):
    pid = procstat.server_pid(bare_url)
    memory = procstat.memory_mb(pid)
    assert 20 < memory["rss"] <= memory["peak"] < 4000
    assert procstat.cpu_seconds(pid) > 0
    with pytest.raises(LookupError):
        procstat.server_pid("http://127.0.0.1:1")


def test_small_classroom_and_soak_on_the_bare_app(bare_url):
    load = classroom.classroom(bare_url, 2, changes=2, period=0.2, ramp_seconds=0.2,
                               max_seconds=60, spec=BARE, query=lambda index: {})
    assert load.errors == []
    assert len(load.latencies) == 4 and all(0 < t < 30 for t in load.latencies)
    pid = procstat.server_pid(bare_url)
    result = classroom.soak(bare_url, pid, reruns=5, warmup=1, spec=BARE)
    assert result["done"] == 5 and result["errors"] == []
    assert result["before"] > 20 and result["after"] > 20


def test_in_flight_counts_overlapping_changes_by_hand():
    # Sent at 0 (for 1 s), 0.5 (for 0.2 s), 0.6 (for 1 s), 2 (for 0.1 s).
    spans = [(0.0, 1.0), (0.5, 0.2), (0.6, 1.0), (2.0, 0.1)]
    assert classroom.in_flight(spans) == [0, 1, 2, 0]


def test_explain_tail_tells_saturation_from_bursts():
    load = classroom.Load(30, spans=[(0.0, 0.5), (0.1, 0.5), (0.2, 0.5), (3.0, 0.01)])
    assert "saturated, so changes queue" in classroom.explain_tail(load, 50.0, 95.0)
    bursts = classroom.explain_tail(load, 5.0, 15.0)
    assert "bursts" in bursts and "2.0 other changes were in flight" in bursts


def test_student_queries_differ_and_are_valid_urls():
    queries = [classroom.softmax_student_query(index) for index in range(60)]
    setting = PAGES["softmax"].setting
    assert len({tuple(sorted(query.items())) for query in queries}) == 60
    for query in queries:
        for key, value in query.items():
            assert setting.min_value <= float(value) <= setting.max_value, (key, value)


# ---- browser ------------------------------------------------------------------------------
@pytest.mark.skipif(chromium_path() is None and not os.environ.get("CI"),
                    reason="Chromium is not installed")
def test_browser_presses_are_timed_inside_the_page(bare_url, browser):
    from bench import browser as browser_bench

    first, second = browser_bench.paired_presses(browser, bare_url, bare_url, BARE,
                                                 presses=2, warmup=1)
    for timing in first + second:
        assert 0 < timing["total"] < 20_000
        # The press is sent before the last message arrives, which is before the redraw.
        assert 0 <= timing["send"] <= timing["total"]
        assert timing["send"] + timing["server"] <= timing["total"] + 1e-6
        assert timing["bytes"] > 1000


# ---- report and command line ------------------------------------------------------------
def test_report_has_machine_commit_goals_and_verdicts():
    section = Section("Demo")
    section.add("fast thing", 1.5, "x", "<= 2x", True)
    section.add("slow thing", 3.0, "x", "<= 2x", False, note="why: a | pipe")
    section.notes.append("A profile.")
    text = report.markdown([section], mode="full", started=report.datetime.datetime.now(),
                           seconds=1.0)
    for expected in ("CPU", "cores", "memory", "git commit", "Goals met: 1 of 2",
                     "**FAIL**", "why: a \\| pipe", "A profile."):
        assert expected in text
    table = report.table([section])
    assert "FAIL" in table and "pass" in table and "[Demo]" in table


def test_quick_command_line_writes_only_its_own_report(tmp_path):
    results = Path(report.REPO / "bench" / "RESULTS.md")
    before = results.stat().st_mtime if results.exists() else None
    out = tmp_path / "quick.md"
    assert main(["--quick", "--only", "kernels", "--out", str(out)]) == 0
    assert "loss_and_grad" in out.read_text()
    after = results.stat().st_mtime if results.exists() else None
    assert before == after

"""The README's first command, run as a newcomer runs it: the app answers and every page renders.

The install half (``pip install -r requirements.txt``) is what CI's fresh virtual environment
runs literally (``.ci/run``); here the run half is started exactly as written, with the
``streamlit`` executable found on ``PATH`` next to this Python, and only the port moved
(through Streamlit's environment variables, so the command text stays the README's).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.pages.lessons import LESSONS
from tests.conftest import require_browser
from tests.support.live import REPO, free_port, stop_process, wait_healthy, wait_idle
from tests.support.readme import setup_commands, split_install_and_run

pytestmark = pytest.mark.e2e


def _start(run_command: str, port: int) -> subprocess.Popen:
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "STREAMLIT_SERVER_PORT": str(port),
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
        "STREAMLIT_SERVER_HEADLESS": "true",
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    argv = shlex.split(run_command)
    executable = shutil.which(argv[0], path=env["PATH"])
    assert executable, f"{argv[0]!r} is not on PATH after installing requirements.txt"
    return subprocess.Popen(
        [executable, *argv[1:]], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def test_first_readme_command_serves_every_page(browser):
    require_browser()
    _install, run = split_install_and_run(setup_commands()[0])
    assert run.split()[:2] == ["streamlit", "run"], run
    port = free_port()
    process = _start(run, port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process, timeout=60)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.set_default_timeout(60_000)
        for path in ["", *(lesson.url_path for lesson in LESSONS)]:
            page.goto(f"{base}/{path}")
            wait_idle(page)
            page.wait_for_selector("[data-testid='stMain'] h1, [data-testid='stMain'] h2")
            errors = page.locator("[data-testid='stException']")
            assert errors.count() == 0, f"/{path}: {errors.first.inner_text()[:300]}"
            assert "Page not found" not in page.content(), path
        context.close()
    finally:
        stop_process(process)

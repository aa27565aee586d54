"""A real ``streamlit run`` server and headless Chromium, for browser tests and benchmarks."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]
#: The app is idle (no script running) when this element exists.
IDLE_SELECTOR = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def chromium_path() -> str | None:
    """The system Chromium (Debian's ``chromium``), or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def streamlit_server(script: str | Path = "app.py", *, timeout: float = 60.0) -> Iterator[str]:
    """Run ``streamlit run script`` on a free port; yield its base URL; stop it after.

    Parameters
    ----------
    script : str or Path
        The app, relative to the repository root.
    timeout : float
        Seconds to wait for ``/_stcore/health``.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process, timeout)
        yield base
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Terminate ``process``; kill it if it has not exited after ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_healthy(base: str, process: subprocess.Popen, timeout: float) -> None:
    """Wait until ``base`` answers ``/_stcore/health``; RuntimeError if ``process`` exits
    first or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy at {base} within {timeout} s")


def launch_chromium(playwright):
    """Launch the system Chromium headless with the flags this machine needs."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), headless=True,
        args=[*CHROMIUM_ARGS, "--disable-background-networking", "--disable-component-update",
              "--no-first-run", "--disable-sync"],
    )


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the app has finished running its script (and has rendered)."""
    page.wait_for_selector(IDLE_SELECTOR, timeout=timeout)


#: JavaScript that returns a rendered chart's traces, decoding Plotly's base64 arrays.
READ_CHART_JS = """
(key) => {
  const plot = document.querySelector(`.st-key-${key} .js-plotly-plot`);
  if (!plot || !plot.data) return null;
  const decode = (value) => {
    if (value && typeof value === 'object' && value.bdata !== undefined) {
      const bytes = Uint8Array.from(atob(value.bdata), c => c.charCodeAt(0));
      const types = {f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array,
                     i2: Int16Array, u2: Uint16Array, i4: Int32Array, u4: Uint32Array};
      const flat = Array.from(new types[value.dtype](bytes.buffer));
      if (!value.shape) return flat;
      const dims = String(value.shape).split(',').map(Number);
      if (dims.length === 1) return flat;
      const rows = [];
      for (let r = 0; r < dims[0]; r++) rows.push(flat.slice(r * dims[1], (r + 1) * dims[1]));
      return rows;
    }
    if (ArrayBuffer.isView(value)) return Array.from(value);
    if (Array.isArray(value)) return value.map(decode);
    return value;
  };
  return plot.data.map(trace => {
    const out = {};
    for (const [name, value] of Object.entries(trace)) out[name] = decode(value);
    return out;
  });
}
"""


def read_chart(page, key: str):
    """The traces of the rendered Plotly chart with key ``key`` (arrays decoded to lists)."""
    return page.evaluate(READ_CHART_JS, key)


#: JavaScript that finds every ``[data-chart]`` element, also inside open shadow roots, and
#: returns ``{name: parsed data-values}``.
LIVE_VALUES_JS = """
() => {
  const found = {};
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.hasAttribute('data-chart') && el.hasAttribute('data-values')) {
        found[el.getAttribute('data-chart')] = JSON.parse(el.getAttribute('data-values'));
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return found;
}
"""


def live_values(page) -> dict:
    """``{chart name: numbers drawn}`` of every live chart on the page (data-values)."""
    return page.evaluate(LIVE_VALUES_JS)


def wait_live(page, name: str, timeout: float = 30_000) -> None:
    """Wait until the live chart ``name`` has been drawn."""
    page.locator(f"[data-chart='{name}']").first.wait_for(state="attached", timeout=timeout)


#: JavaScript: drive a live component through its own inputs (``input``/``change`` events, as
#: a drag or a key press sends them), one state after another, and read what each draw
#: published. Argument ``[anchor, states, names]``: the component is the one whose shadow root
#: holds ``[data-chart=<anchor>]``; each state is a list of ``[data-key, value]`` pairs, set in
#: that order; ``names`` are the charts whose ``data-values`` are read after each state.
DRIVE_LIVE_JS = """
([anchor, states, names]) => {
  const host = [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]
    .find((h) => h.shadowRoot && h.shadowRoot.querySelector(`[data-chart=${anchor}]`));
  const root = host.shadowRoot;
  const set = (key, value) => {
    const input = root.querySelector(`[data-key="${key}"]`);
    if (input.type === 'checkbox') {
      input.checked = value;
      input.dispatchEvent(new Event('change'));
    } else {
      input.value = String(value);
      input.dispatchEvent(new Event('input'));
    }
  };
  return states.map((pairs) => {
    for (const [key, value] of pairs) set(key, value);
    const out = {};
    for (const name of names) {
      out[name] = JSON.parse(root.querySelector(`[data-chart=${name}]`)
                             .getAttribute('data-values'));
    }
    return out;
  });
}
"""


def drive_live(page, anchor: str, states: list[list[tuple[str, object]]],
               names: list[str]) -> list[dict]:
    """Set each state's ``(data-key, value)`` pairs in the live component that draws
    ``anchor``; return the ``data-values`` of ``names`` drawn after each state."""
    return page.evaluate(DRIVE_LIVE_JS, [anchor, states, names])

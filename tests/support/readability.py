"""Read what a learner sees from a rendered page: chart text sizes and colours, contrast,
where the main pictures sit, and which hosts the page talks to.

Used by the browser tests (tests/e2e/test_readability_e2e.py) and by anyone who wants
before/after numbers: ``python -m tests.support.readability URL`` prints them.
A chart is found by its ``data-chart`` attribute (the in-browser views) or by the
``st-key-<name>`` class of its Streamlit element (server-drawn Plotly charts), so the
same measurements follow a chart when it is re-implemented.
"""

from __future__ import annotations

import json
import sys
from urllib.parse import urlsplit

#: The main picture of each page and the controls that move it: what must be on screen
#: without scrolling in presentation mode. Names are chart names (``data-chart``, in a live
#: view's shadow root), live controls (``input[data-key]``), the player's buttons
#: (``button[data-action]``) or Streamlit widget keys.
MAIN_PICTURES = {
    "softmax": {"charts": ("probs", "jacobian"), "controls": ("z0", "t")},
    "weights": {"charts": ("regions", "probs"), "controls": ("x1", "w1_0")},
    "training": {"charts": ("regions", "loss_curve"), "controls": ("optimizer", "lr", "play")},
}

#: JavaScript: the bounding box (page coordinates) of a chart or control by name.
BOX_JS = """
(name) => {
  // Also inside a live view's open shadow root; a live control is an input[data-key].
  const deep = (selector) => {
    const stack = [document];
    while (stack.length) {
      const root = stack.pop();
      const hit = root.querySelector(selector);
      if (hit) return hit;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) stack.push(el.shadowRoot);
    }
    return null;
  };
  const found = deep(`[data-chart="${name}"]`) || deep(`.st-key-${name}`)
             || deep(`input[data-key="${name}"]`) || deep(`button[data-action="${name}"]`);
  if (!found) return null;
  const r = found.getBoundingClientRect();
  return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY,
          left: r.left + window.scrollX, right: r.right + window.scrollX,
          width: r.width, height: r.height};
}
"""

#: JavaScript: every text element of every Plotly chart and of every live view's SVG (in
#: open shadow roots), with its role, size and colour.
CHART_TEXT_JS = """
() => {
  const roots = [document];
  for (let i = 0; i < roots.length; i++) {
    for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  }
  const liveRole = (text) => {
    const names = text.getAttribute('class') || '';
    if (/chart-title/.test(names)) return 'title';
    if (/bar-value/.test(names)) return 'bar_value';
    if (/cell-text/.test(names)) return 'cell';
    if (/marker-label/.test(names)) return 'annotation';
    if (/axis/.test(names)) return 'axis_title';
    return 'tick';
  };
  const role = (text) => {
    if (text.closest('.colorbar')) return 'colorbar';
    if (text.closest('.xaxislayer-above, .yaxislayer-above')) return 'tick';
    if (/^[xy]\\d*title$/.test(text.getAttribute('class') || '')) return 'axis_title';
    if (text.closest('.legend')) return 'legend';
    if (text.classList.contains('annotation-text')) return 'annotation';
    if (text.classList.contains('gtitle')) return 'title';
    if (text.closest('.heatmaplayer')) return 'cell';
    if (text.classList.contains('bartext')) return 'bar_value';
    if (text.closest('.slider-container, .updatemenu-container')) return 'player';
    if (text.closest('.modebar')) return 'toolbar';
    return 'other';
  };
  const out = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const holder = plot.closest('[class*="st-key-"]');
    const key = holder ? [...holder.classList].find(c => c.startsWith('st-key-')).slice(7) : '?';
    for (const text of plot.querySelectorAll('svg text')) {
      if (!text.textContent.trim()) continue;
      const box = text.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const style = getComputedStyle(text);
      out.push({chart: key, role: role(text), text: text.textContent.slice(0, 30),
                size: parseFloat(style.fontSize), fill: style.fill,
                opacity: parseFloat(style.opacity) * parseFloat(style.fillOpacity || '1')});
    }
  }
  // The live views: SVG text inside a [data-chart] (or its figure) of a shadow root.
  for (const root of roots.slice(1)) {
    for (const text of root.querySelectorAll('svg text')) {
      if (!text.textContent.trim()) continue;
      const box = text.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const chart = text.closest('[data-chart]');
      const style = getComputedStyle(text);
      // A heatmap cell's text sits on the cell's own colour.
      const cell = text.closest('.cell');
      const background = cell ? getComputedStyle(cell.querySelector('rect')).fill : null;
      out.push({chart: chart ? chart.getAttribute('data-chart') : 'live', live: true, background,
                role: liveRole(text), text: text.textContent.slice(0, 30),
                size: parseFloat(style.fontSize), fill: style.fill,
                opacity: parseFloat(style.opacity) * parseFloat(style.fillOpacity || '1')});
    }
  }
  return out;
}
"""

#: JavaScript: the focus ring around the focused control: its kind, the outline's width
#: and colour (on the element itself or, for a hidden input, the visible box around it), and
#: the first opaque background behind it.
FOCUS_RING_JS = """
() => {
  // The focused element, also inside a live view's open shadow root.
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const live = el.getRootNode() !== document;
  const kind = el.matches('[data-testid="stSidebarNavLink"]') ? 'sidebar link'
    : el.getAttribute('role') === 'slider' || el.matches('input[type="range"]') ? 'slider'
    : el.getAttribute('role') === 'gridcell' ? 'heatmap cell'
    : el.matches('input[type="checkbox"]') ? 'toggle'
    : el.closest('[data-baseweb="select"]') ? 'select'
    : el.tagName === 'BUTTON' ? 'button' : el.tagName.toLowerCase();
  const parentOf = (node) => node.parentElement || node.getRootNode().host || null;
  // A heatmap cell (SVG) is ringed by a stroke on its .ring rectangle.
  if (kind === 'heatmap cell') {
    const ring = el.querySelector('.ring');
    const style = getComputedStyle(ring);
    const width = style.stroke === 'none' ? 0 : parseFloat(style.strokeWidth) || 0;
    // Half the stroke lies on the cell's own colour, the other half on the cell's border:
    // the ring is measured against the cell's fill (what it must stand out from).
    // A white halo under the ring (.ring-under) counts too: the better of the two.
    const fill = getComputedStyle(el.querySelector('rect')).fill;
    const under = el.querySelector('.ring-under');
    const halo = under && getComputedStyle(under).stroke !== 'none'
      ? getComputedStyle(under).stroke : null;
    return {kind, live, tag: el.tagName, text: (el.getAttribute('aria-label') || '').slice(0, 30),
            width, color: style.stroke, halo, background: fill};
  }
  // A hidden input (Streamlit's slider, toggle) is ringed through the visible box around it;
  // a visible one (a live view's range input) carries its own ring.
  const rect = el.getBoundingClientRect();
  const hidden = el.matches('input[type="range"], input[type="checkbox"], input[type="radio"]')
    && (rect.width < 4 || rect.height < 4 || getComputedStyle(el).opacity === '0'
        || (el.parentElement && el.parentElement.getBoundingClientRect().width < 4));
  const thumb = el.closest('[data-testid="stSlider"] [data-rac][style*="absolute"]');
  const hosts = [hidden ? null : el, thumb,
                 el.closest('label'), el.closest('[data-baseweb="select"] > div'),
                 el.closest('[data-baseweb="input"]')];
  let ring = {width: 0, color: 'rgb(0, 0, 0)', host: el};
  for (const host of hosts) {
    if (!host) continue;
    const style = getComputedStyle(host);
    const width = style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth) || 0;
    if (width > ring.width) ring = {width, color: style.outlineColor, host};
  }
  // The ring is drawn outside its host (outline-offset): measure what is behind it there,
  // translucent backgrounds painted over the ones behind them (white at the bottom).
  const layers = [];
  for (let node = parentOf(ring.host); node && node.nodeType === 1; node = parentOf(node)) {
    const parts = (getComputedStyle(node).backgroundColor.match(/[\\d.]+/g) || []).map(Number);
    const alpha = parts.length > 3 ? parts[3] : 1;
    if (parts.length < 3 || alpha === 0) continue;
    layers.push([parts[0], parts[1], parts[2], alpha]);
    if (alpha === 1) break;
  }
  let paint = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) {
    paint = [r * a + paint[0] * (1 - a), g * a + paint[1] * (1 - a), b * a + paint[2] * (1 - a)];
  }
  const background = `rgb(${paint.map((v) => v.toFixed(1)).join(', ')})`;
  return {kind, live, tag: el.tagName, text: (el.getAttribute('aria-label') || el.textContent || '')
          .trim().slice(0, 30), width: ring.width, color: ring.color, background};
}
"""


#: JavaScript: true when nothing is stale or loading and every Plotly chart is drawn.
SETTLED_JS = """
() => !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')
      && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
           .every(chart => chart.querySelector('.main-svg'))
"""


def settle(page, url: str) -> None:
    """Open ``url`` and wait until the script is idle, nothing is stale and every chart is
    drawn (a busy machine can be seconds behind the idle marker)."""
    from tests.support.live import wait_idle

    page.goto(url)
    wait_idle(page, 60_000)
    page.wait_for_function(SETTLED_JS, timeout=60_000)
    page.evaluate("() => document.fonts.ready")
    page.wait_for_timeout(500)


def parse_colour(text: str) -> tuple[float, float, float, float]:
    """``rgb(r, g, b)``, ``rgba(r, g, b, a)`` or ``#rrggbb`` as (r, g, b, alpha)."""
    text = text.strip()
    if text.startswith("#"):
        digits = text[1:]
        if len(digits) == 3:
            digits = "".join(ch * 2 for ch in digits)
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), 1.0)
    inside = text[text.index("(") + 1:text.rindex(")")].replace("/", ",")
    parts = [float(part) for part in inside.replace(",", " ").split()]
    alpha = parts[3] if len(parts) > 3 else 1.0
    return (parts[0], parts[1], parts[2], alpha)


def _linear(channel: float) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an opaque colour."""
    r, g, b, _ = parse_colour(colour)
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def blend(colour: str, background: str, opacity: float = 1.0) -> str:
    """``colour`` (with its alpha times ``opacity``) painted over an opaque ``background``."""
    r, g, b, a = parse_colour(colour)
    br, bg, bb, _ = parse_colour(background)
    a *= opacity
    return f"rgb({r * a + br * (1 - a)}, {g * a + bg * (1 - a)}, {b * a + bb * (1 - a)})"


def contrast(foreground: str, background: str = "rgb(255, 255, 255)") -> float:
    """WCAG 2.1 contrast ratio of ``foreground`` (alpha blended) on ``background``."""
    painted = blend(foreground, background)
    light, dark = sorted((luminance(painted), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def chart_text(page) -> list[dict]:
    """Every visible text of every Plotly chart on ``page`` (see ``CHART_TEXT_JS``), each
    with its contrast on white added."""
    texts = page.evaluate(CHART_TEXT_JS)
    for item in texts:
        behind = item.get("background") or "#ffffff"
        item["contrast"] = round(contrast(blend(item["fill"], behind, item["opacity"]), behind), 2)
    return texts


def summary_by_role(texts: list[dict]) -> dict[str, dict]:
    """Smallest font size and lowest contrast per text role, over every chart."""
    out: dict[str, dict] = {}
    for item in texts:
        entry = out.setdefault(item["role"], {"min_size": item["size"], "max_size": item["size"],
                                              "min_contrast": item["contrast"], "count": 0})
        entry["min_size"] = min(entry["min_size"], item["size"])
        entry["max_size"] = max(entry["max_size"], item["size"])
        entry["min_contrast"] = min(entry["min_contrast"], item["contrast"])
        entry["count"] += 1
    return out


def box(page, name: str) -> dict | None:
    """The page-coordinate box of a chart or control named ``name`` (see ``BOX_JS``)."""
    return page.evaluate(BOX_JS, name)


def title_top(page) -> float:
    """Distance in px from the top of the page to the top of the page title (h1)."""
    return page.evaluate(
        "() => { const h = document.querySelector('h1');"
        " return h ? h.getBoundingClientRect().top + window.scrollY : null; }"
    )


def foreign_hosts(urls: list[str], own: str) -> list[str]:
    """The requests in ``urls`` that go anywhere but ``own`` (``http://127.0.0.1:port``).

    ``data:`` and ``blob:`` URLs stay in the page and count as own.
    """
    own_netloc = urlsplit(own).netloc
    foreign = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        if parts.netloc != own_netloc:
            foreign.append(url)
    return foreign


def _main() -> None:  # pragma: no cover - a measuring aid, not a test
    from playwright.sync_api import sync_playwright

    from tests.support.live import launch_chromium

    base = sys.argv[1]
    query = sys.argv[2] if len(sys.argv) > 2 else ""
    sizes = {"projector": (1920, 1080), "laptop": (1280, 800), "phone": (390, 844),
             "small": (1280, 720)}
    report = {}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for name, (width, height) in sizes.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for path in ("softmax", "weights", "training", "check"):
                settle(page, f"{base}/{path}{query}")
                wanted = MAIN_PICTURES.get(path, {"charts": (), "controls": ()})
                report[f"{name}/{path}"] = {
                    "title_top": title_top(page),
                    "text": summary_by_role(chart_text(page)),
                    "boxes": {item: box(page, item)
                              for item in (*wanted["charts"], *wanted["controls"])},
                }
            context.close()
        browser.close()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":  # pragma: no cover
    _main()

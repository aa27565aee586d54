// dom.js: small DOM helpers shared by the live views (no math, no Streamlit).
//
// Values from the URL or the learner only ever reach the page through these helpers as
// textContent or attributes, never as markup.

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * Create an element (HTML, or SVG when `ns` is "svg"), set its attributes, append it.
 * @param {string} tag
 * @param {Object<string, string|number>} [attrs] attributes; "text" sets textContent,
 *   "style" sets el.style.cssText
 * @param {Element} [parent]
 * @param {"html"|"svg"} [ns="html"]
 * @returns {Element}
 */
export function make(tag, attrs = {}, parent = null, ns = "html") {
  const el = ns === "svg" ? document.createElementNS(SVG_NS, tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") el.textContent = String(value);
    // Through the CSSOM, which a strict Content-Security-Policy allows (a style attribute
    // is blocked there: the offline lesson file has no 'unsafe-inline').
    else if (name === "style") el.style.cssText = String(value);
    else el.setAttribute(name, String(value));
  }
  if (parent) parent.appendChild(el);
  return el;
}

/** `make` for SVG elements. */
export function svg(tag, attrs = {}, parent = null) {
  return make(tag, attrs, parent, "svg");
}

/** Remove every child of `el`. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/**
 * The test contract: mark `el` as the chart `name` and attach the numbers it draws.
 * @param {Element} el
 * @param {string} name e.g. "probs", "jacobian"
 * @param {*} values nested arrays of numbers, full precision (JSON)
 */
export function publish(el, name, values) {
  el.setAttribute("data-chart", name);
  el.setAttribute("data-values", JSON.stringify(values));
}

/**
 * Tell the page (tests, bench) that a draw finished: a bubbling, composed `live-drawn`.
 * @param {Element} el any element of the view (inside the shadow root is fine)
 * @param {string} view the view's name
 */
export function announceDrawn(el, view) {
  el.dispatchEvent(new CustomEvent("live-drawn", { bubbles: true, composed: true,
                                                   detail: { view } }));
}

/**
 * Call `fn` once `ms` milliseconds after the last call of the returned function.
 * @returns {function(...*): void} with a `.flush()` that runs a pending call now
 */
export function debounce(fn, ms) {
  let timer = null;
  let pending = null;
  const run = () => {
    timer = null;
    const args = pending;
    pending = null;
    if (args) fn(...args);
  };
  const debounced = (...args) => {
    pending = args;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  debounced.flush = () => {
    if (timer !== null) clearTimeout(timer);
    run();
  };
  return debounced;
}

/**
 * `template` with every `{name}` replaced by `fields[name]` (a text translated on the
 * server, explorer/view_labels.py, keeps its named fields for the browser's numbers).
 */
export function fill(template, fields) {
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    (Object.hasOwn(fields, name) ? String(fields[name]) : whole));
}

/** `value` with `decimals` digits; -0 is shown as 0. */
export function fixed(value, decimals = 3) {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** "#rrggbb" -> [r, g, b]. */
function rgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/**
 * The colour of `value` on a diverging scale centred at 0.
 * @param {number} value
 * @param {number} half the value drawn at the ends of the scale (> 0)
 * @param {Array<[number, string]>} stops [position 0..1, "#rrggbb"], as Plotly's colorscale
 * @returns {string} "rgb(r,g,b)"
 */
export function divergingColor(value, half, stops) {
  const position = Math.min(1, Math.max(0, 0.5 + value / (2 * half)));
  let index = 1;
  while (index < stops.length - 1 && stops[index][0] < position) index++;
  const [p0, c0] = stops[index - 1];
  const [p1, c1] = stops[index];
  const share = p1 > p0 ? (position - p0) / (p1 - p0) : 0;
  const [a, b] = [rgb(c0), rgb(c1)];
  return `rgb(${a.map((v, i) => Math.round(v + share * (b[i] - v))).join(",")})`;
}

/** WCAG 2.1 relative luminance of "rgb(r,g,b)". */
function luminance(color) {
  const [r, g, b] = color.match(/\d+/g).map(Number).map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** True when text on `color` ("rgb(r,g,b)") reads better in white than in black: the
 * choice with the higher WCAG contrast (one of the two always reaches 4.58:1). */
export function isDark(color) {
  const light = luminance(color);
  return 1.05 / (light + 0.05) > (light + 0.05) / 0.05;
}

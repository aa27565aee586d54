// training_player.js: the /training player (regions, boundaries, loss curve, one clock).
//
// Draws every training step from the weights the server sends (explorer/player_payload.py
// packs them): the decision regions with confidence shading and the boundaries on a
// canvas, computed by gridProbabilities of the shared browser math module, and the loss
// and accuracy curves in SVG with a marker at the current step. The step counter is the
// single clock every view reads; nothing is sent to the server while playing. A new run
// that the inspect section has not run with (the payload's "follow"), and, debounced, the
// step the player is paused at, are requests for that section (inspect_request.js). Every
// word it shows comes translated in the payload's header (``header.words``,
// explorer/view_labels.py player_words).
//
// The player also draws its own controls, the learning rates (the header's "controls":
// labels, options and, with a new epoch, the values to show): a key press sends the new
// state at once (setStateValue), the server checks it, trains and sends the new run, which
// take() shows in the views already laid out; the controls keep their focus and values.
// When the run at the new rate is already in the browser (run_cache.js: every run sent,
// and the nearby runs one rate step either side that the server sends ahead), the key
// press shows it at once, before the server answers; the answer, the same run, then only
// confirms it (adopt, no redraw).
//
// Test contract: [data-chart="regions"] (one per run) carries data-values with the step
// shown and the probabilities at a sample of grid cells; [data-chart="loss_curve"] carries
// the step and each run's loss there; [data-chart="regions"] also carries data-points, the
// points drawn as (x1, x2, class) per split; after every draw the root dispatches a bubbling,
// composed "live-drawn" event. Every value written into the page uses textContent or
// attributes, never markup.
//
// This module is large and the trajectory changes with every setting, so it is not the
// player component's own code (that would resend it with every trajectory): the engine
// component (training_player_engine.js, whose message changes only with the points, so
// it is sent once and then as a reference) registers mountPlayer and the points, and the
// player component (training_player_loader.js, under 2 kB) calls it.

import { number } from "./chart_text.js";
import { slider } from "./controls.js";
import { fill } from "./dom.js";
import { gridProbabilities } from "./softmax_math.js";
import { requestInspect } from "./inspect_request.js";
import { register, whenRegistered } from "./player_registry.js";
import { RUN_ARRAYS, recall, rememberRuns } from "./run_cache.js";

/** Cells per side of the probability grid (upsampled smoothly on the canvas). */
const CELLS = 72;
/** Grid cells whose probabilities are published in data-values (SAMPLE x SAMPLE). */
const SAMPLE = 4;
/** Milliseconds of quiet before the paused step is sent back to the server. */
const SYNC_MS = 250;
const SPEEDS = [1, 2, 5, 10, 20, 30, 60];
const SVG = "http://www.w3.org/2000/svg";
/** Chinese, Japanese or Korean characters: their vertical axis titles stand upright. */
const CJK = /[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]/;

// ---------------------------------------------------------------------------------------
// The payload: uint32 header length, JSON header, arrays at 8-byte offsets.

const TYPES = { f8: Float64Array, f4: Float32Array, u2: Uint16Array, u1: Uint8Array };

/** Header and typed arrays of the binary payload (see explorer/player_payload.py). */
export function decodePayload(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length)));
  const base = 4 + length + ((8 - ((4 + length) % 8)) % 8);
  const arrays = {};
  for (const [name, [offset, dtype, count]] of Object.entries(header.arrays)) {
    const Type = TYPES[dtype];
    const start = bytes.byteOffset + base + offset;
    // A copy: the typed array then starts at an aligned offset of its own buffer.
    arrays[name] = new Type(bytes.buffer.slice(start, start + count * Type.BYTES_PER_ELEMENT));
  }
  return { header, arrays };
}

/** W_t as the D x K nested array and b_t as K numbers, from the flat float32 arrays. */
export function paramsAt(arrays, run, step, dim, classes) {
  const W = [];
  const wBase = step * dim * classes;
  for (let i = 0; i < dim; i++) {
    const row = new Array(classes);
    for (let k = 0; k < classes; k++) row[k] = arrays[`W${run}`][wBase + i * classes + k];
    W.push(row);
  }
  const b = Array.from(arrays[`b${run}`].subarray(step * classes, (step + 1) * classes));
  return { W, b };
}

// ---------------------------------------------------------------------------------------
// Small DOM helpers (constant markup only; values go in textContent and attributes).

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// ---------------------------------------------------------------------------------------
// The regions of one run on a canvas.

/** Where the predicted class changes along the edge from cell ``a`` to cell ``b`` (pixel
 * centres ``step`` apart, on a CELLS-wide grid): the crossing of log p_a - log p_b, written
 * as hit number ``count`` into ``hits`` (x, y). Returns the number of hits after it (the
 * same when both cells predict one class). */
function edgeCrossing(probs, K, argmax, a, b, step, hits, count) {
  const ca = argmax[a];
  const cb = argmax[b];
  if (ca === cb) return count;
  const da = Math.log(probs[a * K + ca]) - Math.log(probs[a * K + cb]);
  const db = Math.log(probs[b * K + ca]) - Math.log(probs[b * K + cb]);
  const raw = da / (da - db);
  const t = Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0.5;
  const xa = ((a % CELLS) + 0.5) * step;
  const xb = ((b % CELLS) + 0.5) * step;
  const ya = (Math.floor(a / CELLS) + 0.5) * step;
  const yb = (Math.floor(b / CELLS) + 0.5) * step;
  hits[2 * count] = xa + (xb - xa) * t;
  hits[2 * count + 1] = ya + (yb - ya) * t;
  return count + 1;
}

class RegionView {
  constructor(parent, header, arrays, run) {
    this.header = header;
    this.arrays = arrays;
    this.run = run;
    this.setLook(header);
    const figure = el("figure", { class: "regions" });
    const caption = el("figcaption");
    this.caption = caption;
    this.writeCaption(header);
    this.chart = el("div", { "data-chart": "regions", "data-run": String(run) });
    this.canvas = el("canvas", { role: "img" });
    this.chart.append(this.canvas);
    figure.append(caption, this.chart);
    parent.append(figure);
    this.image = new ImageData(CELLS, CELLS);
    this.cellCanvas = el("canvas", { width: CELLS, height: CELLS });
    this.points = null;
  }

  /** The grid and colours of ``header``; a change of either redraws the point layer. */
  setLook(header) {
    const [xMin, xMax, yMin, yMax] = header.bounds;
    const look = JSON.stringify([header.bounds, header.class_colors]);
    if (look === this.look) return;
    this.look = look;
    this.grid = { xMin, xMax, yMin, yMax, nx: CELLS, ny: CELLS };
    // The class colours as one flat table (r, g, b per class): the shading loop reads it
    // without unpacking an array per cell.
    this.colors = Uint8Array.from(header.class_colors.flatMap(rgb));
    this.points = null;
  }

  /** Take another trajectory of the same points: the point layer stays as drawn. */
  take(header, arrays) {
    this.header = header;
    this.arrays = arrays;
    this.setLook(header);
    this.writeCaption(header);
  }

  /** The run's name, then, when the learner's data names its classes, the legend: a
   * swatch and the name of every class. */
  writeCaption(header) {
    const parts = [el("span", { class: "run" }, header.runs[this.run].label)];
    if (header.class_names) {
      const legend = el("span", { class: "legend" });
      header.class_names.forEach((name, k) => {
        const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
        swatch.style.background = header.class_colors[k];
        const entry = el("span", { class: "entry" });
        entry.append(swatch, name);
        legend.append(entry);
      });
      parts.push(legend);
    }
    this.caption.replaceChildren(...parts);
    this.caption.style.setProperty("--run-color", header.run_colors[this.run]);
  }

  /** Canvas size in CSS pixels (square), set once per layout. */
  resize(size) {
    const ratio = window.devicePixelRatio || 1;
    this.size = size;
    this.canvas.width = Math.round(size * ratio);
    this.canvas.height = Math.round(size * ratio);
    this.canvas.style.width = `${size}px`;
    this.canvas.style.height = `${size}px`;
    this.points = null;
  }

  toPixel(x, y) {
    const g = this.grid;
    return [((x - g.xMin) / (g.xMax - g.xMin)) * this.size,
      ((g.yMax - y) / (g.yMax - g.yMin)) * this.size];
  }

  /** The points, drawn once per layout into their own canvas (they never move). */
  pointLayer(showTest) {
    if (this.points && this.points.showTest === showTest) return this.points.canvas;
    const ratio = window.devicePixelRatio || 1;
    const canvas = el("canvas", { width: this.canvas.width, height: this.canvas.height });
    const ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    const { header, arrays } = this;
    const [xMin, xMax, yMin, yMax] = header.bounds;
    const radius = header.present ? 5 : 4;
    const drawn = { train: [], test: [] };
    const draw = (xy, labels, hollow) => {
      for (let n = 0; n < labels.length; n++) {
        const x = xMin + (xy[2 * n] / 65535) * (xMax - xMin);
        const y = yMin + (xy[2 * n + 1] / 65535) * (yMax - yMin);
        drawn[hollow ? "test" : "train"].push([x, y, labels[n]]);
        const [px, py] = this.toPixel(x, y);
        ctx.beginPath();
        ctx.arc(px, py, radius, 0, 2 * Math.PI);
        if (hollow) {
          ctx.fillStyle = "white";
          ctx.fill();
          ctx.lineWidth = 2.2;
          ctx.strokeStyle = header.class_colors[labels[n]];
          ctx.stroke();
        } else {
          ctx.fillStyle = header.class_colors[labels[n]];
          ctx.fill();
          ctx.lineWidth = 1;
          ctx.strokeStyle = "white";
          ctx.stroke();
        }
      }
    };
    draw(arrays.train_xy, arrays.train_y, false);
    if (showTest) draw(arrays.test_xy, arrays.test_y, true);
    // The points drawn (x1, x2, class), written once per layout, not per frame.
    this.chart.setAttribute("data-points", JSON.stringify(drawn));
    this.points = { canvas, showTest };
    return canvas;
  }

  /** Draw step ``step`` (clamped to the run's last step); returns the step drawn. */
  draw(step, options) {
    const { header, arrays, run, colors } = this;
    const K = header.classes;
    const shown = Math.min(step, header.runs[run].steps);
    const { W, b } = paramsAt(arrays, run, shown, header.dim, K);
    const probs = gridProbabilities(W, b, this.grid, header.features, this.probs);
    this.probs = probs;
    // Reused from frame to frame: the predicted class of every cell (the shading and the
    // boundaries both read it).
    this.argmax ??= new Uint8Array(CELLS * CELLS);
    const argmax = this.argmax;
    const data = this.image.data;
    const floor = 1 / K;
    const discrete = Boolean(options.discrete);
    for (let cell = 0; cell < CELLS * CELLS; cell++) {
      const base = cell * K;
      let best = 0;
      let top = probs[base];
      for (let k = 1; k < K; k++) {
        if (probs[base + k] > top) { best = k; top = probs[base + k]; }
      }
      argmax[cell] = best;
      // Shading: white at p_max = 1/K (unsure), the class colour at p_max = 1.
      const depth = discrete ? 0.55 : 0.15 + 0.7 * ((top - floor) / (1 - floor));
      data[4 * cell] = 255 + (colors[3 * best] - 255) * depth;
      data[4 * cell + 1] = 255 + (colors[3 * best + 1] - 255) * depth;
      data[4 * cell + 2] = 255 + (colors[3 * best + 2] - 255) * depth;
      data[4 * cell + 3] = 255;
    }
    this.cellCanvas.getContext("2d").putImageData(this.image, 0, 0);
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.imageSmoothingEnabled = !options.discrete;
    ctx.drawImage(this.cellCanvas, 0, 0, this.canvas.width, this.canvas.height);
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.drawBoundaries(ctx, probs, K, argmax);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.pointLayer(options.showTest), 0, 0);
    this.describe(shown);
    this.publish(shown, probs, K);
    return shown;
  }

  /** Boundaries: where the predicted class (``argmax``, one per cell) changes between
   * neighbouring cells, the crossing of log p_a - log p_b = z_a - z_b is interpolated
   * along the edge, and the crossings on the edges of each square of four cells are
   * joined. Nothing is allocated per square: most squares hold one class and are passed
   * over after four reads. */
  drawBoundaries(ctx, probs, K, argmax) {
    this.hits ??= new Float64Array(8);  // (x, y) of up to four crossings, reused
    const hits = this.hits;
    const step = this.size / CELLS;
    ctx.beginPath();
    for (let r = 0; r + 1 < CELLS; r++) {
      for (let c = 0; c + 1 < CELLS; c++) {
        const top = r * CELLS + c;
        const bottom = top + CELLS;
        const c0 = argmax[top];
        if (c0 === argmax[top + 1] && c0 === argmax[bottom + 1] && c0 === argmax[bottom]) {
          continue;
        }
        // The square's corners in turn (top left, top right, bottom right, bottom left),
        // each edge from one corner to the next.
        let count = 0;
        count = edgeCrossing(probs, K, argmax, top, top + 1, step, hits, count);
        count = edgeCrossing(probs, K, argmax, top + 1, bottom + 1, step, hits, count);
        count = edgeCrossing(probs, K, argmax, bottom + 1, bottom, step, hits, count);
        count = edgeCrossing(probs, K, argmax, bottom, top, step, hits, count);
        if (count === 2) {
          ctx.moveTo(hits[0], hits[1]);
          ctx.lineTo(hits[2], hits[3]);
        } else if (count > 2) {
          let sx = 0;
          let sy = 0;
          for (let h = 0; h < count; h++) { sx += hits[2 * h]; sy += hits[2 * h + 1]; }
          const mx = sx / count;
          const my = sy / count;
          for (let h = 0; h < count; h++) {
            ctx.moveTo(mx, my);
            ctx.lineTo(hits[2 * h], hits[2 * h + 1]);
          }
        }
      }
    }
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.strokeStyle = "#111827";
    ctx.stroke();
  }

  /** The text alternative of the regions at step ``step``: the run, the step, the loss
   * and the weights there (rewritten on every frame). */
  describe(step) {
    const { header, arrays, run } = this;
    const K = header.classes;
    const { W, b } = paramsAt(arrays, run, step, header.dim, K);
    const words = header.words;
    const columns = Array.from({ length: K }, (_, k) => fill(words.regionClass, {
      name: header.class_names ? header.class_names[k] : fill(words.className, { k }),
      w: W.map((row) => number(row[k])).join(", "), b: number(b[k]) }));
    this.canvas.setAttribute("aria-label", fill(words.regions, {
      run: header.runs[run].label, step, steps: header.runs[run].steps, count: K,
      loss: number(arrays[`loss${run}`][step], 3), classes: columns.join("; ") }));
  }

  /** data-values: the step and the probabilities at SAMPLE x SAMPLE evenly spread cells. */
  publish(step, probs, K) {
    const cells = [];
    for (let i = 0; i < SAMPLE; i++) {
      for (let j = 0; j < SAMPLE; j++) {
        const r = Math.floor(((i + 0.5) * CELLS) / SAMPLE);
        const c = Math.floor(((j + 0.5) * CELLS) / SAMPLE);
        cells.push({ row: r, col: c,
          p: Array.from(probs.subarray((r * CELLS + c) * K, (r * CELLS + c + 1) * K)) });
      }
    }
    this.chart.setAttribute("data-values", JSON.stringify({
      step, run: this.run, grid: { ...this.grid }, cells }));
  }
}

// ---------------------------------------------------------------------------------------
// Loss and accuracy curves in SVG, with the marker at the current step.

class CurveView {
  constructor(parent, header, arrays) {
    this.chart = el("div", { "data-chart": "loss_curve" });
    this.svg = svgEl("svg", { role: "img", "aria-label": header.words.curvesLabel });
    this.chart.append(this.svg);
    parent.append(this.chart);
    this.take(header, arrays);
  }

  /** Take another trajectory; the next ``layout`` draws its curves. */
  take(header, arrays) {
    this.header = header;
    this.arrays = arrays;
    this.lastStep = Math.max(...header.runs.map((r) => r.steps), 1);
    let low = Infinity;
    let high = -Infinity;
    header.runs.forEach((_, run) => {
      for (const v of arrays[`loss${run}`]) { low = Math.min(low, v); high = Math.max(high, v); }
      for (const v of arrays[`test_loss${run}`]) { low = Math.min(low, v); high = Math.max(high, v); }
    });
    // A loss that spans more than two decades (an overshooting run) reads on a log axis.
    this.log = low > 0 && high / low > 100;
    this.lossRange = this.log ? [Math.log10(low), Math.log10(high)] : [0, high || 1];
  }

  layout(width, height) {
    this.width = width;
    this.height = height;
    const svg = this.svg;
    svg.replaceChildren();
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    // Room for the tick labels and the vertical axis title (larger in presentation mode).
    const left = this.header.present ? 100 : 76;
    const right = 16;
    const lossPanel = { top: 12, bottom: Math.round(height * 0.58) };
    const accPanel = { top: Math.round(height * 0.66), bottom: height - 40 };
    this.x = (step) => left + ((width - left - right) * step) / this.lastStep;
    this.middle = (left + width - right) / 2;
    const [lo, hi] = this.lossRange;
    const span = hi - lo || 1;
    this.yLoss = (v) => {
      const t = ((this.log ? Math.log10(v) : v) - lo) / span;
      return lossPanel.bottom - t * (lossPanel.bottom - lossPanel.top);
    };
    this.yAcc = (v) => accPanel.bottom - v * (accPanel.bottom - accPanel.top);
    this.axes(left, width - right, lossPanel, accPanel);
    this.header.runs.forEach((run, index) => {
      const colour = this.header.run_colors[index];
      const loss = this.arrays[`loss${index}`];
      this.line(Array.from(loss, (v, t) => [t, this.yLoss(v)]), colour, false);
      const steps = this.arrays[`curve_steps${index}`];
      const test = this.arrays[`test_loss${index}`];
      if (test.length) this.line(Array.from(test, (v, i) => [steps[i], this.yLoss(v)]), colour, true);
      const train = this.arrays[`train_acc${index}`];
      this.line(Array.from(train, (v, i) => [steps[i], this.yAcc(v)]), colour, false);
      const testAcc = this.arrays[`test_acc${index}`];
      if (testAcc.length) this.line(Array.from(testAcc, (v, i) => [steps[i], this.yAcc(v)]), colour, true);
    });
    this.marker = svgEl("line", { class: "marker", y1: lossPanel.top, y2: accPanel.bottom });
    svg.append(this.marker);
    this.dots = this.header.runs.map((_, index) => {
      const dot = svgEl("circle", { r: 6, class: "dot", fill: this.header.run_colors[index] });
      svg.append(dot);
      return dot;
    });
    this.label = svgEl("text", { class: "marker-label", y: lossPanel.top + 14 });
    this.labelOnLeft = undefined;
    svg.append(this.label);
  }

  axes(x0, x1, lossPanel, accPanel) {
    const svg = this.svg;
    const text = (x, y, value, anchor = "end", cls = "tick") => {
      const node = svgEl("text", { x, y, "text-anchor": anchor, class: cls });
      node.textContent = value;
      svg.append(node);
    };
    for (const panel of [lossPanel, accPanel]) {
      svg.append(svgEl("rect", { x: x0, y: panel.top, width: x1 - x0,
        height: panel.bottom - panel.top, class: "frame" }));
    }
    const [lo, hi] = this.lossRange;
    const fmt = (v) => (this.log ? `${Number((10 ** v).toPrecision(2))}` : `${Number(v.toPrecision(3))}`);
    text(x0 - 6, lossPanel.bottom, fmt(lo));
    text(x0 - 6, lossPanel.top + 12, fmt(hi));
    text(x0 - 6, accPanel.bottom, "0%");
    text(x0 - 6, accPanel.top + 12, "100%");
    text(x0, accPanel.bottom + 22, "0", "start");
    text(x1, accPanel.bottom + 22, String(this.lastStep), "end");
    const words = this.header.words;
    text((x0 + x1) / 2, accPanel.bottom + 26, words.stepAxis, "middle", "axis");
    // The vertical titles stand left of the widest tick label ("100%"), clear of it;
    // Chinese, Japanese or Korean titles stand upright, read from the top.
    const title = this.header.present ? 20 : 12;
    const vertical = (words) => (CJK.test(words) ? "axis vertical upright" : "axis vertical");
    const lossTitle = this.log ? words.lossLogAxis : words.lossAxis;
    text(title, (lossPanel.top + lossPanel.bottom) / 2, lossTitle, "middle", vertical(lossTitle));
    text(title, (accPanel.top + accPanel.bottom) / 2, words.accuracyAxis, "middle",
      vertical(words.accuracyAxis));
  }

  line(points, colour, dashed) {
    const path = svgEl("polyline", {
      points: points.map(([t, y]) => `${this.x(t).toFixed(1)},${y.toFixed(1)}`).join(" "),
      stroke: colour, class: dashed ? "curve dashed" : "curve" });
    this.svg.append(path);
  }

  draw(step) {
    const x = this.x(step);
    this.marker.setAttribute("x1", x);
    this.marker.setAttribute("x2", x);
    const losses = this.header.runs.map((run, index) => {
      const shown = Math.min(step, run.steps);
      const value = this.arrays[`loss${index}`][shown];
      this.dots[index].setAttribute("cx", this.x(shown));
      this.dots[index].setAttribute("cy", this.yLoss(value));
      return value;
    });
    // The step's label beside the marker, on the side with room: right of it in the left
    // half of the panel, left of it in the right half (it never crosses the line).
    const onLeft = x > this.middle;
    if (onLeft !== this.labelOnLeft) {
      this.labelOnLeft = onLeft;
      this.label.setAttribute("text-anchor", onLeft ? "end" : "start");
    }
    this.label.setAttribute("x", onLeft ? x - 8 : x + 8);
    const words = this.header.words;
    this.label.textContent = fill(words.marker, { step });
    const described = this.header.runs.map((run, index) => {
      const loss = this.arrays[`loss${index}`];
      return fill(words.curveRun, {
        run: run.label, first: number(loss[0], 3), now: number(losses[index], 3),
        step: Math.min(step, run.steps), last: number(loss[run.steps], 3), steps: run.steps });
    });
    this.svg.setAttribute("aria-label",
      fill(words.curves, { step, runs: described.join("; ") }));
    this.chart.setAttribute("data-values", JSON.stringify({ step, loss: losses }));
  }
}

// ---------------------------------------------------------------------------------------
// The player: one clock, the controls and the keyboard.

/** The buttons: action, and the names of its caption and tooltip in ``header.words``. */
const HTML_CONTROLS = [
  ["restart", "restart", "restartTitle"],
  ["back", "back", "backTitle"],
  ["play", "play", "playTitle"],
  ["forward", "forward", "forwardTitle"],
];

class Player {
  constructor(host, payload, previous, controlState) {
    this.controlState = controlState;
    const { header, arrays } = payload;
    const words = header.words;
    this.root = el("div", { class: "player", tabindex: "0", "aria-label": words.player });
    this.speed = previous ? previous.speed : 20;
    this.playing = false;
    this.drawTimes = [];
    this.arrays = arrays;
    this.setData(header);
    if (header.present) this.root.classList.add("present");

    const bar = el("div", { class: "controls", role: "toolbar", "aria-label": words.toolbar });
    this.buttons = {};
    for (const [name, caption, tooltip] of HTML_CONTROLS) {
      const title = words[tooltip];
      const button = el("button", { type: "button", class: `btn ${name}`, title,
        "aria-label": title, "data-action": name }, words[caption]);
      button.addEventListener("click", () => this.act(name));
      this.buttons[name] = button;
      bar.append(button);
    }
    this.counter = el("output", { class: "counter", "aria-live": "off" });
    this.scrub = el("input", { type: "range", min: "0", max: String(this.lastStep), step: "1",
      class: "scrub", "aria-label": words.scrub });
    this.scrub.addEventListener("input", () => { this.pause(); this.show(Number(this.scrub.value)); this.sync(); });
    const speedLabel = el("label", { class: "speed" }, words.speed);
    this.speedSelect = el("select", { "aria-label": words.speedLabel });
    for (const s of SPEEDS) {
      const option = el("option", { value: String(s) }, fill(words.speedOption, { speed: s }));
      if (s === this.speed) option.selected = true;
      this.speedSelect.append(option);
    }
    this.speedSelect.addEventListener("change", () => { this.speed = Number(this.speedSelect.value); });
    speedLabel.append(this.speedSelect);
    bar.append(this.counter, this.scrub, speedLabel);

    this.settings = this.buildControls(header);

    const views = el("div", { class: `views runs-${header.runs.length}` });
    const regions = el("div", { class: `regions-row runs-${header.runs.length}` });
    this.regionViews = header.runs.map((_, run) => new RegionView(regions, header, arrays, run));
    const curves = el("div", { class: "curves" });
    this.curveView = new CurveView(curves, header, arrays);
    views.append(regions, curves);
    this.views = views;
    this.note = el("p", { class: "note" });
    this.root.append(this.settings, bar, views, this.note);
    host.replaceChildren(this.root);
    this.root.drawTimes = this.drawTimes;

    this.onKey = (event) => this.key(event);
    this.observer = new ResizeObserver(() => this.layout());
    // In presentation mode the size also follows the window's height and where the player
    // starts (the page above it settles after the first layout).
    this.onWindow = () => this.layout();
    this.attach();
    if (header.present) this.settleTimer = setTimeout(this.onWindow, 600);
    this.layout();
  }

  /** The player's own controls (the header's "controls"): one range input per setting
   * over the indices of its options, showing the option's text. */
  buildControls(header) {
    const row = el("div", { class: "settings" });
    this.inputs = {};
    const spec = header.controls;
    if (!spec) return row;
    for (const item of spec.items) {
      const { input, output, row: label } = slider(row, {
        label: item.label, key: item.key, min: 0, max: item.options.length - 1, step: 1,
        onInput: (index) => this.choose(item, index, output),
      });
      if (item.help) label.title = item.help;
      this.inputs[item.key] = { item, input, output };
    }
    this.showControls();
    return row;
  }

  /** Write the control state (``this.controlState.state``) into the inputs. */
  showControls() {
    const state = this.controlState ? this.controlState.state : {};
    for (const { item, input, output } of Object.values(this.inputs)) {
      const index = Math.max(0, item.options.indexOf(state[item.key]));
      input.value = String(index);
      output.textContent = item.texts[index];
      input.setAttribute("aria-valuetext", item.texts[index]);
    }
  }

  /** A control moved: show its value, and the run at the new rate if it is kept in the
   * browser; send the state now (the server checks it, and trains when it must). */
  choose(item, index, output) {
    const state = this.controlState.state;
    const rate = item.options[index];
    state[item.key] = rate;
    output.textContent = item.texts[index];
    this.inputs[item.key].input.setAttribute("aria-valuetext", item.texts[index]);
    const run = item.run ?? 0;
    const kept = recall(this.header.context, run, rate);
    if (kept) this.showKept(run, kept);
    if (this.setStateValue) this.setStateValue("state", { ...state });
  }

  /** Show the kept run ``entry`` ({desc, arrays}) in place of run ``run``, at the same
   * step (or at the end, if the player was at the end). Its trajectory id is unknown
   * until the server confirms it, so the inspect section is asked then. */
  showKept(run, entry) {
    const header = { ...this.header, trajectory: null, follow: false,
      runs: this.header.runs.map((desc, index) => (index === run ? entry.desc : desc)) };
    const arrays = { ...this.arrays };
    for (const name of RUN_ARRAYS) arrays[`${name}${run}`] = entry.arrays[name];
    this.take({ header, arrays }, this.step >= this.lastStep ? Infinity : this.step);
  }

  /** Whether ``header`` shows the very runs shown now (the server confirming a kept run). */
  sameRuns(header) {
    const shown = this.header;
    return header.context === shown.context && header.show_test === shown.show_test
      && header.discrete === shown.discrete && header.runs.length === shown.runs.length
      && header.runs.every((desc, index) => desc.lr === shown.runs[index].lr
        && desc.steps === shown.runs[index].steps && desc.label === shown.runs[index].label);
  }

  /** Take the server's payload of the runs shown now: its header and arrays, without a
   * redraw (the step and the frame stay). */
  adopt({ header, arrays }) {
    this.header = header;
    this.arrays = arrays;
    this.showControls();
    this.attach();
  }

  /** The settings that come with a trajectory: its header, last step and opening step. */
  setData(header) {
    this.header = header;
    this.lastStep = Math.max(...header.runs.map((r) => r.steps));
    this.step = Math.min(Math.max(0, header.at), this.lastStep);
    this.options = { showTest: header.show_test, discrete: header.discrete };
  }

  /** Listen to the keyboard and to size changes (again after ``destroy``). */
  attach() {
    this.root.addEventListener("keydown", this.onKey);
    this.observer.observe(this.root);
    if (this.header.present) window.addEventListener("resize", this.onWindow);
  }

  /** Whether a payload can be shown in this player's views: the same points, the same
   * number of runs and the same look (a new learning rate, steps, optimiser ...). */
  canTake(header) {
    const keys = (h) => JSON.stringify(h.controls ? h.controls.items.map((i) => i.key) : []);
    return this.root.isConnected && header.points === this.header.points
      && header.runs.length === this.header.runs.length && keys(header) === keys(this.header)
      && Boolean(header.present) === Boolean(this.header.present)
      && JSON.stringify(header.words) === JSON.stringify(this.header.words);
  }

  /** Show a new trajectory in the views already laid out: no new DOM, no layout pass,
   * so its first frame is drawn as soon as it arrives (at ``step``, else the header's). */
  take(payload, step = undefined) {
    const { header, arrays } = payload;
    this.pause();
    clearTimeout(this.syncTimer);
    this.arrays = arrays;
    this.setData(header);
    if (step !== undefined) this.step = Math.min(Math.max(0, step), this.lastStep);
    this.showControls();
    this.scrub.max = String(this.lastStep);
    for (const view of this.regionViews) view.take(header, arrays);
    this.curveView.take(header, arrays);
    this.curveView.layout(this.curveView.width, this.curveView.height);
    this.attach();
    this.show(this.step);
  }

  layout() {
    const width = this.root.clientWidth || 900;
    const runs = this.regionViews.length;
    // A phone: one run's regions and curves one under the other, each the full width.
    const narrow = runs === 1 && width < 560;
    this.views.classList.toggle("stacked", narrow);
    const curveWidth = narrow ? width : runs === 1 ? Math.max(260, Math.floor(width * 0.45)) : width;
    const regionWidth = narrow ? width : runs === 1 ? width - curveWidth - 32
      : Math.floor((width - 32) / 2);
    let size = Math.max(Math.min(200, regionWidth), Math.min(regionWidth, 620));
    if (this.header.present) {
      // A projector: the regions fit the screen below where they start, without scrolling.
      const top = this.regionViews[0].chart.getBoundingClientRect().top + window.scrollY;
      size = Math.max(240, Math.min(size, Math.floor(window.innerHeight - top - 16)));
    }
    if (size === this.size && curveWidth === this.curveWidth) return;
    this.size = size;
    this.curveWidth = curveWidth;
    for (const view of this.regionViews) view.resize(size);
    // Stacked (a phone): tall enough that the accuracy panel holds its vertical title.
    this.curveView.layout(curveWidth, runs === 1 && !narrow ? size + 30 : narrow ? 340 : 300);
    this.show(this.step);
  }

  /** Draw every view at ``step``; record the time it took; announce the frame. */
  show(step) {
    const start = performance.now();
    this.step = Math.min(Math.max(0, step), this.lastStep);
    for (const view of this.regionViews) view.draw(this.step, this.options);
    this.curveView.draw(this.step);
    this.scrub.value = String(this.step);
    const words = this.header.words;
    this.counter.textContent = fill(words.counter, { step: this.step, last: this.lastStep });
    const stopped = this.header.runs.filter((run) => this.step > run.steps);
    this.note.textContent = stopped.map((run) => fill(words.stopped, {
      run: run.label, steps: run.steps })).join(" ");
    // Listeners (the landscape's marker) draw synchronously: their time is the frame's too.
    this.root.dispatchEvent(new CustomEvent("live-drawn",
      { bubbles: true, composed: true, detail: { chart: "training", step: this.step } }));
    this.drawTimes.push(performance.now() - start);
    if (this.drawTimes.length > 5000) this.drawTimes.splice(0, 2500);
  }

  act(name) {
    if (name === "play") this.toggle();
    else if (name === "restart") { this.pause(); this.show(0); this.sync(); }
    else if (name === "back") { this.pause(); this.show(this.step - 1); this.sync(); }
    else if (name === "forward") { this.pause(); this.show(this.step + 1); this.sync(); }
  }

  toggle() {
    if (this.playing) { this.pause(); this.sync(); return; }
    if (this.step >= this.lastStep) this.show(0);
    this.playing = true;
    this.buttons.play.textContent = this.header.words.pause;
    clearTimeout(this.syncTimer);
    this.clock = { time: performance.now(), carry: 0 };
    const tick = (now) => {
      if (!this.playing) return;
      const carry = this.clock.carry + ((now - this.clock.time) * this.speed) / 1000;
      this.clock = { time: now, carry: carry - Math.floor(carry) };
      const advance = Math.floor(carry);
      if (advance > 0) this.show(this.step + advance);
      if (this.step >= this.lastStep) { this.pause(); this.sync(); return; }
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  pause() {
    this.playing = false;
    cancelAnimationFrame(this.frame);
    this.buttons.play.textContent = this.header.words.play;
  }

  /** Announce the paused step, once the learner has stopped moving it: the inspect
   * section's link (inspect_sync.js) sends it to the server. */
  sync() {
    clearTimeout(this.syncTimer);
    this.syncTimer = setTimeout(() => {
      if (!this.playing) requestInspect("at", this.step);
    }, SYNC_MS);
  }

  key(event) {
    if (event.target instanceof HTMLSelectElement || event.target.type === "range") return;
    const actions = { " ": "play", ArrowLeft: "back", ArrowRight: "forward", Home: "restart" };
    if (event.key === "End") {
      event.preventDefault();
      this.pause(); this.show(this.lastStep); this.sync();
    } else if (actions[event.key]) {
      event.preventDefault();
      this.act(actions[event.key]);
    }
  }

  destroy() {
    this.pause();
    clearTimeout(this.syncTimer);
    this.observer.disconnect();
    window.removeEventListener("resize", this.onWindow);
    clearTimeout(this.settleTimer);
    this.root.removeEventListener("keydown", this.onKey);
  }
}

/** Mount (or re-mount) the player in a component: on mount and whenever the payload changes.
 * The points come from the engine component (registered under the id in the header). */
export function mountPlayer({ data, parentElement, setStateValue }) {
  const previous = parentElement.__player;
  const shownBefore = previous ? previous.header.trajectory : null;
  if (previous) previous.destroy();
  if (!data || !data.byteLength) return () => {};
  // The component's constant HTML holds the host; its <style> sits beside it.
  const host = parentElement.querySelector(".player-host");
  const payload = decodePayload(data);
  // The controls' values: the browser's own between syncs, the server's with a new epoch.
  const controls = parentElement.__controls ??= { epoch: undefined, state: {} };
  const spec = payload.header.controls;
  if (spec && controls.epoch !== spec.epoch) {
    controls.epoch = spec.epoch;
    controls.state = { ...spec.state };
  }
  // The landscape view draws its paths and marker from this trajectory.
  register(`trajectory:${payload.header.trajectory}`, payload);
  let player = null;
  const stopWaiting = whenRegistered(`points:${payload.header.points}`, (points) => {
    rememberRuns(payload);
    Object.assign(payload.arrays, points);
    if (previous && host.contains(previous.root) && previous.canTake(payload.header)) {
      player = previous;
      if (player.sameRuns(payload.header)) player.adopt(payload);
      else player.take(payload);
    } else {
      player = new Player(host, payload, previous, controls);
    }
    player.setStateValue = setStateValue;
    parentElement.__player = player;
    const { follow, trajectory } = payload.header;
    if (follow && trajectory !== shownBefore) {
      requestInspect("trajectory", trajectory);
    }
  });
  return () => {
    stopWaiting();
    if (player) player.destroy();
  };
}

/** The nearby component's entry: keep the runs of its data (the player may show them next). */
export function keepNearby({ data }) {
  if (data && data.byteLength) {
    const payload = decodePayload(data);
    rememberRuns(payload);
  }
  return () => {};
}

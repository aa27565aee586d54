// landscape_view.js: the /training loss landscape, with the optimiser's paths and a marker
// that follows the player.
//
// The server sends the slice of the loss as a banded picture (explorer/figures/
// training_figs.py landscape_picture) and which two parameters the axes are; the paths
// are read from the trajectory the player registered (player_registry.js), every step of
// it, so nothing but the picture travels. The marker moves on every "live-drawn" event of
// the player (its detail.step): the static layer (picture, paths, labels) is drawn once
// per data and only copied per frame. Its words (``data.words``) come translated from the
// server (explorer/view_labels.py landscape_words).
//
// Test contract: [data-chart="landscape"] carries data-values {step, slice, points} with
// the marker's (x, y) per run; a "live-drawn" event follows each draw.

import { fill } from "./dom.js";
import { whenRegistered } from "./player_registry.js";

const MARGIN = { left: 64, right: 86, top: 16, bottom: 48 };
const LINE = "#111827";

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

/** The value of one parameter ([kind, row, col]) at ``step`` of run ``run``. */
function parameterAt(trajectory, run, param, step) {
  const { header, arrays } = trajectory;
  const [kind, row, col] = param;
  const K = header.classes;
  if (kind === "W") return arrays[`W${run}`][(step * header.dim + row) * K + col];
  return arrays[`b${run}`][step * K + row];
}

class LandscapeView {
  constructor(host, data, trajectory) {
    this.data = data;
    this.trajectory = trajectory;
    this.root = el("div", { class: "landscape" });
    this.chart = el("div", { "data-chart": "landscape" });
    this.canvas = el("canvas", { role: "img",
      "aria-label": fill(data.words.label, { x: data.labels[0], y: data.labels[1] }) });
    this.chart.append(this.canvas);
    this.root.append(this.chart);
    host.replaceChildren(this.root);
    this.step = data.slice;
    this.onDrawn = (event) => {
      const step = event.detail && event.detail.chart === "training" ? event.detail.step : null;
      if (step !== null && step !== this.step) this.show(step);
    };
    document.addEventListener("live-drawn", this.onDrawn);
    this.image = new Image();
    this.image.onload = () => this.layout();
    this.image.src = data.png;
  }

  layout() {
    const width = Math.max(320, Math.min(this.root.clientWidth || 640, 720));
    const side = width - MARGIN.left - MARGIN.right;
    const height = side + MARGIN.top + MARGIN.bottom;
    const ratio = window.devicePixelRatio || 1;
    for (const canvas of [this.canvas, (this.static = el("canvas"))]) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.side = side;
    const [x0, x1] = this.data.x;
    const [y0, y1] = this.data.y;
    this.px = (x) => MARGIN.left + ((x - x0) / (x1 - x0)) * side;
    this.py = (y) => MARGIN.top + ((y1 - y) / (y1 - y0)) * side;
    this.drawStatic(ratio, width, height);
    this.show(this.step);
  }

  drawStatic(ratio, width, height) {
    const ctx = this.static.getContext("2d");
    ctx.scale(ratio, ratio);
    const { data } = this;
    const side = this.side;
    // The picture's first row is the bottom of the plot: draw it flipped.
    ctx.save();
    ctx.translate(MARGIN.left, MARGIN.top + side);
    ctx.scale(1, -1);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.image, 0, 0, side, side);
    ctx.restore();
    ctx.strokeStyle = "#9ca3af";
    ctx.strokeRect(MARGIN.left, MARGIN.top, side, side);
    this.axes(ctx, width, height);
    this.colourBar(ctx);
    this.paths(ctx);
  }

  axes(ctx, width, height) {
    const { data, side } = this;
    ctx.fillStyle = LINE;
    ctx.font = "13px 'Source Sans Pro', Arial, sans-serif";
    ctx.textAlign = "center";
    const bottom = MARGIN.top + side;
    for (const t of [0, 0.5, 1]) {
      const x = data.x[0] + t * (data.x[1] - data.x[0]);
      ctx.fillText(Number(x.toPrecision(3)).toString(), MARGIN.left + t * side, bottom + 16);
      const y = data.y[0] + t * (data.y[1] - data.y[0]);
      ctx.textAlign = "right";
      ctx.fillText(Number(y.toPrecision(3)).toString(), MARGIN.left - 6, bottom - t * side + 4);
      ctx.textAlign = "center";
    }
    ctx.font = "600 14px 'Source Sans Pro', Arial, sans-serif";
    ctx.fillText(data.labels[0], MARGIN.left + side / 2, height - 8);
    ctx.save();
    ctx.translate(16, MARGIN.top + side / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(data.labels[1], 0, 0);
    ctx.restore();
  }

  colourBar(ctx) {
    const { data, side } = this;
    const left = MARGIN.left + side + 16;
    const bands = data.colors.length;
    const h = side / bands;
    data.colors.forEach((colour, band) => {
      ctx.fillStyle = colour;
      ctx.fillRect(left, MARGIN.top + side - (band + 1) * h, 14, h + 0.5);
    });
    ctx.fillStyle = LINE;
    ctx.textAlign = "left";
    ctx.font = "13px 'Source Sans Pro', Arial, sans-serif";
    ctx.fillText(Number(data.high.toPrecision(3)).toString(), left + 18, MARGIN.top + 10);
    ctx.fillText(Number(data.low.toPrecision(3)).toString(), left + 18, MARGIN.top + side);
    ctx.fillText(data.words.loss, left + 18, MARGIN.top + side / 2);
  }

  point(run, step) {
    const [px, py] = this.data.params;
    return [parameterAt(this.trajectory, run, px, step),
      parameterAt(this.trajectory, run, py, step)];
  }

  paths(ctx) {
    const { data } = this;
    const runs = this.trajectory.header.runs;
    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, this.side, this.side);
    ctx.clip();
    runs.forEach((run, index) => {
      const trace = () => {
        ctx.beginPath();
        for (let t = 0; t <= run.steps; t++) {
          const [x, y] = this.point(index, t);
          if (t === 0) ctx.moveTo(this.px(x), this.py(y));
          else ctx.lineTo(this.px(x), this.py(y));
        }
      };
      ctx.lineJoin = "round";
      trace();
      ctx.strokeStyle = "white";
      ctx.lineWidth = 5;
      ctx.stroke();
      trace();
      ctx.strokeStyle = data.colors_runs[index];
      ctx.lineWidth = 2.5;
      ctx.stroke();
    });
    // Start (shared by both runs) and one end label per run, on opposite sides.
    ctx.font = "600 13px 'Source Sans Pro', Arial, sans-serif";
    ctx.textAlign = "center";
    const [sx, sy] = this.point(0, 0);
    this.dot(ctx, this.px(sx), this.py(sy), 5, data.colors_runs[0]);
    ctx.fillStyle = LINE;
    ctx.fillText(data.words.start, this.px(sx), this.py(sy) + 20);
    runs.forEach((run, index) => {
      const [ex, ey] = this.point(index, run.steps);
      this.dot(ctx, this.px(ex), this.py(ey), 7, data.colors_runs[index]);
      ctx.fillStyle = LINE;
      const text = runs.length === 1 ? data.words.end
        : fill(data.words.endOf, { number: index + 1 });
      ctx.fillText(text, this.px(ex), this.py(ey) + (index === 0 ? -12 : 24));
    });
    // The slice: where every other parameter is frozen.
    const [rx, ry] = this.point(0, Math.min(data.slice, runs[0].steps));
    ctx.beginPath();
    ctx.arc(this.px(rx), this.py(ry), 11, 0, 2 * Math.PI);
    ctx.strokeStyle = LINE;
    ctx.lineWidth = 3;
    ctx.stroke();
    ctx.restore();
  }

  dot(ctx, x, y, r, colour) {
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = colour;
    ctx.fill();
    ctx.strokeStyle = "white";
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }

  /** Copy the static layer and put the marker of every run at ``step``. */
  show(step) {
    if (!this.static) return;
    this.step = step;
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.static, 0, 0);
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const points = this.trajectory.header.runs.map((run, index) => {
      const [x, y] = this.point(index, Math.min(step, run.steps));
      ctx.beginPath();
      ctx.arc(this.px(x), this.py(y), 7, 0, 2 * Math.PI);
      ctx.fillStyle = "#facc15";
      ctx.fill();
      ctx.strokeStyle = this.data.colors_runs[index];
      ctx.lineWidth = 3;
      ctx.stroke();
      return [x, y];
    });
    this.chart.setAttribute("data-values",
      JSON.stringify({ step, slice: this.data.slice, points }));
    this.root.dispatchEvent(new CustomEvent("live-drawn",
      { bubbles: true, composed: true, detail: { chart: "landscape", step } }));
  }

  destroy() {
    document.removeEventListener("live-drawn", this.onDrawn);
  }
}

/** Mount the view in a component: draws when the trajectory it names is registered. */
export function mountLandscape({ data, parentElement }) {
  const host = parentElement.querySelector(".landscape-host");
  let view = null;
  const stopWaiting = whenRegistered(`trajectory:${data.trajectory}`, (trajectory) => {
    view = new LandscapeView(host, data, trajectory);
  });
  return () => {
    stopWaiting();
    if (view) view.destroy();
  };
}

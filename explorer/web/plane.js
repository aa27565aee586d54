// plane.js: the /weights plane on a canvas: decision regions, weight vectors, the example.
//
// Draws only what it is handed: the class probabilities on the grid (from
// gridProbabilities in softmax_math.js, row 0 at the top), the weights and the example.

import { number } from "./chart_text.js";
import { fill, make, publish } from "./dom.js";

/** "#rrggbb" moved `amount` of the way to white, as [r, g, b]. */
function towardsWhite(hex, amount) {
  return [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16);
    return Math.round(c + (255 - c) * amount);
  });
}

/**
 * A square canvas over [-extent, extent]^2.
 * @param {Element} host
 * @param {number} size CSS pixels per side
 * @returns {{update: function(Object): void, element: HTMLCanvasElement}}
 */
export function planeCanvas(host, size) {
  const canvas = make("canvas", { role: "img", class: "plane" }, host);
  const scale = window.devicePixelRatio || 1;
  canvas.width = Math.round(size * scale);
  canvas.height = Math.round(size * scale);
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  const ctx = canvas.getContext("2d");
  // The regions are painted one pixel per grid cell, then scaled up smoothly.
  const cells = document.createElement("canvas");
  const cellsCtx = cells.getContext("2d");

  /**
   * @param {Object} o
   * @param {Float64Array} o.probs ny * nx * K probabilities, row 0 at the top
   * @param {{xMin, xMax, yMin, yMax, nx, ny}} o.grid
   * @param {number} o.K
   * @param {string[]} o.colors class colours
   * @param {number[][]} o.W 2 x K weight vectors (columns), drawn as arrows from 0
   * @param {number[][]} [o.descent] 2 x K steps (-dL/dW), dashed arrows from each tip
   * @param {Object} o.words the words of the text alternative (labels.chart: `regions`)
   * @param {number[]} o.x the example; o.y its class
   */
  function update(o) {
    const { grid, K } = o;
    const px = (x) => ((x - grid.xMin) / (grid.xMax - grid.xMin)) * size;
    const py = (y) => ((grid.yMax - y) / (grid.yMax - grid.yMin)) * size;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    const pale = o.colors.map((c) => towardsWhite(c, 0.92));
    const strong = o.colors.map((c) => towardsWhite(c, 0.5));
    if (cells.width !== grid.nx || cells.height !== grid.ny) {
      cells.width = grid.nx;
      cells.height = grid.ny;
    }
    const image = cellsCtx.createImageData(grid.nx, grid.ny);
    for (let r = 0; r < grid.ny; r++) {
      for (let c = 0; c < grid.nx; c++) {
        const base = (r * grid.nx + c) * K;
        let best = 0;
        for (let k = 1; k < K; k++) if (o.probs[base + k] > o.probs[base + best]) best = k;
        // Confidence: max p rescaled from 1/K (a tie) to 1 (certain).
        const share = Math.min(1, Math.max(0, (o.probs[base + best] - 1 / K) / (1 - 1 / K)));
        const pixel = (r * grid.nx + c) * 4;
        for (let i = 0; i < 3; i++) {
          image.data[pixel + i] = Math.round(pale[best][i] + share * (strong[best][i] - pale[best][i]));
        }
        image.data[pixel + 3] = 255;
      }
    }
    cellsCtx.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(cells, 0, 0, size, size);
    ctx.strokeStyle = "rgba(17,24,39,0.35)";
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(px(0), 0); ctx.lineTo(px(0), size);
    ctx.moveTo(0, py(0)); ctx.lineTo(size, py(0));
    ctx.stroke();
    const arrow = (x0, y0, x1, y1, color, width, dashed) => {
      const [a, b, c, d] = [px(x0), py(y0), px(x1), py(y1)];
      const angle = Math.atan2(d - b, c - a);
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = width;
      ctx.setLineDash(dashed ? [6, 4] : []);
      ctx.beginPath(); ctx.moveTo(a, b); ctx.lineTo(c, d); ctx.stroke();
      ctx.setLineDash([]);
      if (Math.hypot(c - a, d - b) > 4) {
        const head = 6 + 2 * width;
        ctx.beginPath();
        ctx.moveTo(c, d);
        ctx.lineTo(c - head * Math.cos(angle - 0.4), d - head * Math.sin(angle - 0.4));
        ctx.lineTo(c - head * Math.cos(angle + 0.4), d - head * Math.sin(angle + 0.4));
        ctx.closePath(); ctx.fill();
      }
    };
    ctx.font = "600 16px 'Source Sans Pro', Arial, sans-serif";
    for (let k = 0; k < K; k++) {
      const [wx, wy] = [o.W[0][k], o.W[1][k]];
      arrow(0, 0, wx, wy, o.colors[k], 3.5, false);
      if (o.descent) arrow(wx, wy, wx + o.descent[0][k], wy + o.descent[1][k], o.colors[k], 2, true);
      ctx.fillStyle = o.colors[k];
      ctx.fillText(`w${k}`, px(wx) + 6, py(wy) - 6);
    }
    ctx.beginPath();
    ctx.arc(px(o.x[0]), py(o.x[1]), 9, 0, 2 * Math.PI);
    ctx.fillStyle = o.colors[o.y];
    ctx.fill();
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = "#111827";
    ctx.stroke();
    ctx.fillStyle = "#111827";
    ctx.fillText("x", px(o.x[0]) - 20, py(o.x[1]) - 10);
    const vectors = Array.from({ length: K },
      (_, k) => `w${k} = (${number(o.W[0][k])}, ${number(o.W[1][k])})`).join(", ");
    canvas.setAttribute("aria-label", fill(o.words.regions, {
      count: K, x1: number(o.x[0]), x2: number(o.x[1]), y: o.y, vectors }));
    canvas.setAttribute("data-grid", JSON.stringify(grid));
    publish(canvas, "regions", Array.from(o.probs));
  }
  return { update, element: canvas };
}

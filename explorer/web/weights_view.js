// weights_view.js: the live /weights lesson: one example x through a linear softmax
// classifier z = xW + b, with W[i][k] = weight from feature i to class k.
//
// data (from explorer/pages/weights_page.py): {epoch, state: {k, x1, x2, y, W (2 x 5),
// b (5), reg, j, mistake, lr}, limits: {maxK, x, w, reg: {min, max, step},
// learningRates}, grid: {xMin, xMax, yMin, yMax, nx, ny}, colors, diverging, present,
// labels (every text it shows, translated: explorer/view_labels.py weights_labels)}.
// Charts: data-chart="regions" (grid probabilities), "probs", "dweights" (2 x K),
// "dweights_data", "dweights_reg", "dbias" (K), "dprob" (2 x K: dp_j/dW[i][k]).

import { barChart, heatmap } from "./charts.js";
import { checkbox, slider } from "./controls.js";
import { announceDrawn, fill, fixed, make } from "./dom.js";
import { mountView, snap } from "./live_state.js";
import { planeCanvas } from "./plane.js";
import {
  commonMistake,
  exampleGradients,
  gradientStep,
  gridProbabilities,
  probabilityWeightJacobian,
} from "./softmax_math.js";

const FEATURES = ["x1", "x2"];

function create(parent, data) {
  const view = { state: null, history: [] };
  const L = data.labels;
  const root = make("div", { class: "live weights-live" }, parent);
  view.root = root;
  const { limits } = data;
  const controls = make("div", { class: "controls", role: "group",
                                 "aria-label": L.controls }, root);
  const charts = make("div", { class: "charts" }, root);
  const moved = () => {
    view.history = [];
    view.draw();
    view.sync();
  };
  const range = (name, l, onValue, extra = {}) => slider(controls, {
    label: name, key: extra.key ?? name, min: l.min, max: l.max, step: l.step, ...extra,
    onInput: (v) => onValue(snap(v, l.min, l.step)) });

  make("div", { class: "group-title", text: L.modelGroup }, controls);
  view.x1 = range("x1", limits.x, (v) => { view.state.x1 = v; moved(); }, { compact: true });
  view.x2 = range("x2", limits.x, (v) => { view.state.x2 = v; moved(); }, { compact: true });
  view.k = range(L.k, { min: 2, max: limits.maxK, step: 1 },
                 (v) => { view.state.k = v; moved(); }, { key: "k" });
  view.y = range(L.y, { min: 0, max: limits.maxK - 1, step: 1 },
                 (v) => { view.state.y = v; moved(); }, { key: "y" });
  view.reg = range(L.reg, limits.reg, (v) => { view.state.reg = v; moved(); },
                   { key: "reg" });
  make("div", { class: "group-title", text: L.weightsGroup }, controls);
  view.weights = [];
  for (let k = 0; k < limits.maxK; k++) {
    const color = data.colors[k];
    const column = [0, 1].map((i) => range(`W[${i},${k}]`, limits.w,
      (v) => { view.state.W[i][k] = v; moved(); },
      { key: `w${i + 1}_${k}`, swatch: color, compact: true }));
    const bias = range(`b${k}`, limits.w, (v) => { view.state.b[k] = v; moved(); },
                       { key: `b${k}`, swatch: color, compact: true });
    view.weights.push({ column, bias });
  }
  make("div", { class: "group-title", text: L.descentGroup }, controls);
  const rates = limits.learningRates;
  view.lr = range(L.lr, { min: 0, max: rates.length - 1, step: 1 },
                  (v) => { view.state.lr = rates[v]; view.draw(); view.sync(); }, { key: "lr" });
  view.stepButton = make("button", { type: "button", "data-key": "step",
                                     text: L.step }, controls);
  view.stepButton.addEventListener("click", () => view.step());

  const planeBox = make("figure", { class: "plane-box" }, charts);
  make("div", { class: "readout", text: L.plane }, planeBox);
  view.plane = planeCanvas(planeBox, 400);
  const probsBox = make("figure", {}, charts);
  view.probs = barChart(probsBox, "probs");
  view.readout = make("div", { class: "readout", "aria-live": "polite" }, probsBox);

  const gradBox = make("figure", { class: "wide" }, charts);
  make("div", { class: "readout", text: L.gradients }, gradBox);
  view.dW = heatmap(gradBox, "dweights");
  view.dWdata = heatmap(gradBox, "dweights_data");
  view.dWreg = heatmap(gradBox, "dweights_reg");
  view.db = heatmap(gradBox, "dbias");

  const probBox = make("figure", { class: "wide" }, charts);
  const probControls = make("div", { class: "controls inline" }, probBox);
  view.j = slider(probControls, { label: L.j, key: "j", min: 0,
    max: limits.maxK - 1, step: 1, onInput: (v) => { view.state.j = v; view.draw(); view.sync(); } });
  view.mistake = checkbox(probControls, { label: L.mistake, key: "mistake", onChange: (on) => {
    view.state.mistake = on; view.draw(); view.sync(); } });
  view.dprob = heatmap(probBox, "dprob");
  view.dprobNote = make("figcaption", { class: "note" }, probBox);

  view.configure = (d) => {
    view.colors = d.colors;
    view.stops = d.diverging;
    view.grid = d.grid;
  };

  /** Model of the current state: x, W and b cut to K classes. */
  view.model = () => {
    const s = view.state;
    const K = s.k;
    return { K, x: [s.x1, s.x2], W: s.W.map((row) => row.slice(0, K)), b: s.b.slice(0, K) };
  };

  view.step = () => {
    const s = view.state;
    const { x, W, b } = view.model();
    const g = exampleGradients(x, W, b, s.y, s.reg);
    const next = gradientStep(W, b, g.dW, g.db, s.lr);
    const clampRound = (v) => Math.min(limits.w.max, Math.max(limits.w.min,
                                                                 Math.round(v * 1e4) / 1e4));
    next.W.forEach((row, i) => row.forEach((v, k) => { s.W[i][k] = clampRound(v); }));
    next.b.forEach((v, k) => { s.b[k] = clampRound(v); });
    if (!view.history.length) view.history.push(g.loss);
    view.draw();
    view.history.push(view.lastLoss);
    view.draw();
    view.sync();
  };

  view.draw = () => {
    const s = view.state;
    s.y = Math.min(s.y, s.k - 1);
    s.j = Math.min(s.j, s.k - 1);
    const { K, x, W, b } = view.model();
    for (const [control, value] of [[view.x1, s.x1], [view.x2, s.x2], [view.k, K], [view.y, s.y],
                                    [view.reg, s.reg], [view.j, s.j]]) {
      control.input.value = value;
      control.output.textContent = String(value);
    }
    view.y.input.max = K - 1;
    view.j.input.max = K - 1;
    view.lr.input.value = Math.max(0, rates.indexOf(s.lr));
    view.lr.output.textContent = String(s.lr);
    view.weights.forEach(({ column, bias }, k) => {
      column.forEach((control, i) => {
        control.row.hidden = k >= K;
        control.input.value = s.W[i][k];
        control.output.textContent = fixed(s.W[i][k], 2);
      });
      bias.row.hidden = k >= K;
      bias.input.value = s.b[k];
      bias.output.textContent = fixed(s.b[k], 2);
    });
    view.mistake.checked = Boolean(s.mistake);

    const g = exampleGradients(x, W, b, s.y, s.reg);
    view.lastLoss = g.loss;
    const labels = Array.from({ length: K }, (_, k) => String(k));
    const colors = view.colors.slice(0, K);
    const words = L.chart;
    view.probs.update({ values: g.p, colors, labels, outline: s.y, low: 0, high: 1, words,
                        title: L.probs, symbol: "p" });
    view.readout.textContent = "";
    make("b", { text: fill(L.loss, { loss: fixed(g.loss, 4) }) }, view.readout);
    if (view.history.length > 1) {
      const steps = view.history.length - 1;
      const history = steps === 1 ? L.history.one : L.history.other;
      make("span", { text: fill(history, { count: steps, lr: s.lr })
        + view.history.map((v) => fixed(v, 4)).join(" → ") }, view.readout);
    }
    const probs = gridProbabilities(W, b, view.grid, "raw");
    const descent = g.dW.map((row) => row.map((v) => -s.lr * v));
    view.plane.update({ probs, grid: view.grid, K, colors: view.colors, W, descent, x, y: s.y,
                        words });

    const dataTerm = x.map((xi) => g.dlogits.map((d) => xi * d));
    const regTerm = W.map((row) => row.map((w) => s.reg * w));
    let half = 1e-12;
    for (const m of [g.dW, dataTerm, regTerm, [g.db]]) {
      for (const row of m) for (const v of row) half = Math.max(half, Math.abs(v));
    }
    // Cells grow with their text (presentation mode): about 3.4 characters wide.
    const cellFont = parseFloat(getComputedStyle(root).getPropertyValue("--live-cell-font")) || 14;
    const cell = Math.max(64, Math.round(cellFont * 3.4));
    const common = { rowLabels: FEATURES, colLabels: labels, half, stops: view.stops, cell,
                     xTitle: L.classAxis, words };
    view.dW.update({ ...common, values: g.dW, title: L.dW });
    view.dWdata.update({ ...common, values: dataTerm, title: "= x (p − y)ᵀ" });
    view.dWreg.update({ ...common, values: regTerm, title: `+ ${s.reg}·W` });
    view.db.update({ ...common, rowLabels: ["b"], values: [g.db], published: g.db,
                     title: "dL/db = p − y" });

    const right = probabilityWeightJacobian(x, g.p)[s.j];
    const shown = s.mistake ? commonMistake(x, g.p)[s.j] : right;
    const marked = new Set();
    shown.forEach((row, i) => row.forEach((v, k) => { if (v !== right[i][k]) marked.add(`${i},${k}`); }));
    let halfP = 1e-12;
    for (const row of [...right, ...shown]) for (const v of row) halfP = Math.max(halfP, Math.abs(v));
    view.dprob.update({ ...common, values: shown, half: halfP, marked,
      title: fill(s.mistake ? L.dprobMistaken : L.dprobCorrect, { j: s.j }) });
    view.dprobNote.textContent = s.mistake
      ? fill(L.mistakenNote, { count: marked.size }) : L.correctNote;
    announceDrawn(root, "weights");
  };
  return view;
}

/** The component's entry: Streamlit calls it on mount and whenever `data` changes; the view. */
export default function weightsView(args) {
  return mountView(args, create);
}

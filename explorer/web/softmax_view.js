// softmax_view.js: the live /softmax lesson: logits, temperature, K and the target y as
// sliders, and p, p - y and the Jacobian drawn in SVG on every key press or drag.
//
// data (from explorer/pages/live.py): {epoch, state: {k, z (10), t, y, big, cell: [i, j]},
// limits: {maxK, z: {min, max, step}, temperatures}, colors, diverging, shift, present,
// derivation (optional; false when no derivation is shown below, as in an offline file),
// labels (every text it shows, translated: explorer/view_labels.py softmax_labels)}.
// Charts: data-chart="logits", "probs", "dlogits", "jacobian" (J[i][j] = dp_i/dz_j).

import { barChart, heatmap } from "./charts.js";
import { checkbox, slider } from "./controls.js";
import { announceDrawn, fill, fixed, make } from "./dom.js";
import { mountView, snap } from "./live_state.js";
import { logSoftmax, pMinusY, softmax, softmaxJacobian } from "./softmax_math.js";

function create(parent, data) {
  const view = { state: null };
  const L = data.labels;
  const root = make("div", { class: "live softmax-live" }, parent);
  view.root = root;
  const controls = make("div", { class: "controls", role: "group",
                                 "aria-label": L.controls }, root);
  const charts = make("div", { class: "charts" }, root);
  const changed = () => {
    view.draw();
    view.sync();
  };
  const { limits } = data;
  const temps = limits.temperatures;

  view.k = slider(controls, { label: L.k, key: "k", min: 2, max: limits.maxK, step: 1,
    onInput: (v) => { view.state.k = v; changed(); } });
  view.t = slider(controls, { label: L.t, key: "t", min: 0, max: temps.length - 1,
    step: 1, onInput: (v) => { view.state.t = temps[v]; changed(); } });
  view.y = slider(controls, { label: L.y, key: "y", min: 0, max: limits.maxK - 1,
    step: 1, onInput: (v) => { view.state.y = v; changed(); } });
  make("div", { class: "group-title", text: L.logitsGroup }, controls);
  view.z = [];
  for (let i = 0; i < limits.maxK; i++) {
    view.z.push(slider(controls, { label: `z${i}`, key: `z${i}`, swatch: data.colors[i],
      compact: true,
      min: limits.z.min, max: limits.z.max, step: limits.z.step,
      onInput: (v) => { view.state.z[i] = snap(v, limits.z.min, limits.z.step); changed(); } }));
  }
  view.big = checkbox(controls, { label: fill(L.big, { shift: data.shift }),
    key: "big", onChange: (on) => { view.state.big = on; changed(); } });

  const probsBox = make("figure", {}, charts);
  view.logitsChart = barChart(probsBox, "logits");
  view.probsChart = barChart(probsBox, "probs");
  make("figcaption", { text: L.outlined }, probsBox);
  const gradBox = make("figure", { class: "error-box" }, charts);
  view.readout = make("div", { class: "readout" }, gradBox);
  view.dlogitsChart = barChart(gradBox, "dlogits");
  make("figcaption", { text: L.gradientNote }, gradBox);
  const jacBox = make("figure", {}, charts);
  view.jacobian = heatmap(jacBox, "jacobian", (i, j) => {
    view.state.cell = [i, j];
    changed();
  });
  view.cellNote = make("figcaption", { class: "note", "aria-live": "polite" }, jacBox);

  view.configure = (d) => {
    view.colors = d.colors;
    view.stops = d.diverging;
    view.shift = d.shift;
    view.derivation = d.derivation !== false;  // the offline file has no server panel
  };

  view.draw = () => {
    const s = view.state;
    const k = s.k;
    root.classList.toggle("many", k > 6);  // wide charts: see live.css
    s.y = Math.min(s.y, k - 1);
    s.cell = s.cell.map((index) => Math.min(index, k - 1));
    view.k.input.value = k;
    view.k.output.textContent = String(k);
    const tIndex = Math.max(0, temps.indexOf(s.t));
    view.t.input.value = tIndex;
    view.t.output.textContent = String(s.t);
    view.y.input.max = k - 1;
    view.y.input.value = s.y;
    view.y.output.textContent = String(s.y);
    view.z.forEach((control, i) => {
      control.row.hidden = i >= k;
      control.input.value = s.z[i];
      control.output.textContent = fixed(s.z[i], 1);
    });
    view.big.checked = Boolean(s.big);

    const z = s.z.slice(0, k).map((v) => (s.big ? v + view.shift : v));
    const p = softmax(z, s.t);
    const J = softmaxJacobian(z, s.t);
    const error = pMinusY(p, s.y);
    const loss = -logSoftmax(z, s.t)[s.y];
    const colors = view.colors.slice(0, k);
    const labels = z.map((_, i) => String(i));
    // The logit axis: symmetric and at least +-3, or from 0 up when every logit is +1000.
    const reach = Math.max(3, ...z.map(Math.abs)) * 1.15;
    const words = L.chart;
    view.logitsChart.update({ values: z, colors, labels, outline: s.y, decimals: s.big ? 1 : 2,
      low: s.big ? 0 : -reach, high: reach, words,
      title: s.big ? fill(L.logitsShifted, { shift: view.shift }) : L.logits, symbol: "z" });
    view.probsChart.update({ values: p, colors, labels, outline: s.y, low: 0, high: 1, words,
      title: fill(L.probs, { t: s.t }), symbol: "p" });
    view.dlogitsChart.update({ values: error, colors, labels, outline: s.y, low: -1, high: 1,
      words, title: "p − y", symbol: "p − y" });
    view.readout.textContent = "";
    make("b", { text: L.loss }, view.readout);
    make("span", { text: `${fixed(loss + 0, 4)}   (p_${s.y} = ${fixed(p[s.y], 4)})` },
         view.readout);
    let half = 0;
    for (const row of J) for (const v of row) half = Math.max(half, Math.abs(v));
    // Cells grow with their text (presentation mode): about 3.4 characters wide.
    const cellFont = parseFloat(getComputedStyle(root).getPropertyValue("--live-cell-font")) || 14;
    const cell = Math.max(k <= 4 ? 72 : k <= 6 ? 64 : 56, Math.round(cellFont * 3.4));
    view.jacobian.update({ values: J, rowLabels: labels.map((l) => `p${l}`),
      colLabels: labels.map((l) => `z${l}`), half: Math.max(half, 1e-12), stops: view.stops,
      cell, selected: s.cell, title: L.jacobian, decimals: 3, words });
    const [i, j] = s.cell;
    view.cellNote.textContent = fill(L.selected, { i, j, value: fixed(J[i][j], 6) })
      + (view.derivation ? L.selectHint : L.selectHintOffline);
    announceDrawn(root, "softmax");
  };
  return view;
}

/** The component's entry: Streamlit calls it on mount and whenever `data` changes; the view. */
export default function softmaxView(args) {
  return mountView(args, create);
}

// chart_text.js: the text alternative of each live chart, in words and numbers.
//
// The browser twin of the server's explorer/chart_text.py, for the charts drawn here:
// a screen reader reads it (aria-label) instead of the picture, and it is rewritten on
// every draw. Numbers have 2 decimals and a true minus sign, as on the server. The words
// arrive translated in the view's data (`labels.chart`, from explorer/view_labels.py).

import { fill } from "./dom.js";

/** `value` with `decimals` decimals, a true minus sign and no "-0.00". */
export function number(value, decimals = 2) {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "−inf";
  let text = (value + 0).toFixed(decimals);
  if (Number(text) === 0) text = text.replace("-", "");
  return text.replace("-", "−");
}

/** "0.64, 0.24, 0.10" for a list of numbers. */
export function numbers(values, decimals = 2) {
  return Array.from(values, (value) => number(value, decimals)).join(", ");
}

/** Index of the largest value (the first of ties). */
function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * A bar chart of one value per class: "title: symbol = a, b, c; largest: class k".
 * @param {string} title what the chart is
 * @param {string} symbol the vector's name ("p", "z", "p − y")
 * @param {number[]} values (K)
 * @param {number} [target] the target class, named when given
 * @param {Object} words the templates `bars` and `target` (labels.chart)
 */
export function barsText(title, symbol, values, target, words) {
  let text = fill(words.bars, { title, count: values.length, symbol, values: numbers(values),
                                largest: argmax(values) });
  if (target !== undefined && target !== null) text += fill(words.target, { target });
  return `${text}.`;
}

/**
 * A heatmap of an R x C matrix: every row listed when it is small (at most 25 entries),
 * else the diagonal (square) and the extremes.
 * @param {string} title
 * @param {number[][]} values (R x C)
 * @param {string[]} rowLabels (R), colLabels (C)
 * @param {Object} words the templates `heatmap`, `extremes`, `diagonal` (labels.chart)
 */
export function matrixText(title, values, rowLabels, colLabels, words) {
  const rows = values.length;
  const cols = rows ? values[0].length : 0;
  let low = [0, 0];
  let high = [0, 0];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (values[r][c] < values[low[0]][low[1]]) low = [r, c];
      if (values[r][c] > values[high[0]][high[1]]) high = [r, c];
    }
  }
  const head = fill(words.heatmap, { title, rows, cols });
  const extremes = fill(words.extremes, {
    low: number(values[low[0]][low[1]]), low_row: rowLabels[low[0]], low_col: colLabels[low[1]],
    high: number(values[high[0]][high[1]]), high_row: rowLabels[high[0]],
    high_col: colLabels[high[1]] });
  if (rows * cols <= 25) {
    const listed = values.map((row, r) => `${rowLabels[r]}: ${numbers(row)}`).join("; ");
    return `${head}. ${listed}. ${extremes}`;
  }
  const diagonal = rows === cols
    ? fill(words.diagonal, { values: numbers(values.map((row, r) => row[r])) }) : "";
  return `${head}.${diagonal} ${extremes}`;
}

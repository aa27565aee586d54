// charts.js: the SVG charts of the live views: a bar chart and a heatmap with cell text.
//
// They only draw what they are handed (no math): each update rebuilds or re-colours the
// SVG, then publishes the numbers drawn (data-chart / data-values). Sizes are in CSS
// pixels so that the cell text keeps its size (var(--live-cell-font)).

import { barsText, matrixText } from "./chart_text.js";
import { clear, divergingColor, fixed, isDark, publish, svg } from "./dom.js";

/**
 * A bar chart of K signed values with a zero line and the value above each bar.
 * @param {Element} host where the <svg> goes
 * @param {string} name the data-chart name
 * @returns {{update: function(Object): void, element: SVGElement}}
 */
export function barChart(host, name) {
  const root = svg("svg", { class: "chart bars", role: "img" }, host);
  /**
   * @param {Object} o
   * @param {number[]} o.values (K) drawn, and published as data-values
   * @param {string[]} o.colors (K) bar colours
   * @param {string[]} o.labels (K) under each bar
   * @param {number} o.low, o.high the value axis range (low <= 0 <= high)
   * @param {number} [o.outline] index of a bar to outline (the target class)
   * @param {string} o.title
   * @param {number} [o.decimals=3]
   * @param {string} [o.symbol] the vector's name in the text alternative ("p"); default `name`
   * @param {Object} o.words the words of the text alternative (labels.chart)
   */
  function update(o) {
    const decimals = o.decimals ?? 3;
    const style = getComputedStyle(root);
    const titlePx = parseFloat(style.getPropertyValue("--live-title-font")) || 16;
    const valuePx = parseFloat(style.getPropertyValue("--live-small-font")) || 14;
    // Each bar's band fits its value ("−0.357", about 3.3 em); larger in presentation mode.
    const band = Math.max(50, Math.round(valuePx * 3.3));
    let width = Math.max(44 + band * o.values.length, o.title.length * 0.55 * titlePx + 12);
    const height = 200;
    const top = titlePx + 28;
    const bottom = height - 30;
    const y = (v) => top + ((o.high - v) / (o.high - o.low)) * (bottom - top);
    clear(root);
    root.setAttribute("width", width);
    root.setAttribute("height", height);
    root.setAttribute("aria-label", barsText(o.title, o.symbol ?? name, o.values, o.outline,
                                              o.words));
    const title = svg("text", { x: 4, y: titlePx + 2, class: "chart-title", text: o.title }, root);
    // The title's real width once drawn (the estimate above holds until then).
    const drawnTitle = title.getComputedTextLength ? title.getComputedTextLength() : 0;
    if (drawnTitle > 0) {
      width = Math.max(44 + band * o.values.length, drawnTitle + 12);
      root.setAttribute("width", width);
    }
    svg("line", { x1: 36, x2: width - 4, y1: y(0), y2: y(0), class: "axis" }, root);
    o.values.forEach((value, k) => {
      const x = 40 + k * band;
      const shown = Math.max(o.low, Math.min(o.high, Number.isFinite(value) ? value : 0));
      const y0 = y(Math.max(0, shown));
      const h = Math.abs(y(shown) - y(0));
      svg("rect", { x: x + 4, y: y0, width: band - 12, height: Math.max(h, 0.5),
                    fill: o.colors[k], class: k === o.outline ? "bar target" : "bar" }, root);
      const above = value >= 0;
      svg("text", { x: x + band / 2 - 2, y: above ? y0 - 5 : y0 + h + 15,
                    class: "bar-value", "text-anchor": "middle",
                    text: fixed(value, decimals) }, root);
      svg("text", { x: x + band / 2 - 2, y: height - 8, class: "tick", "text-anchor": "middle",
                    text: o.labels[k] }, root);
    });
    publish(root, name, o.values);
  }
  return { update, element: root };
}

/**
 * A heatmap of an R x C signed matrix with each value printed in its cell; every cell is
 * reachable by keyboard (roving tabindex: arrows move, Enter or Space selects).
 * @param {Element} host where the <svg> goes
 * @param {string} name the data-chart name
 * @param {function(number, number): void} [onSelect] called with (row, col) on click/Enter
 * @returns {{update: function(Object): void, focusCell: function(number, number): void,
 *            element: SVGElement}}
 */
export function heatmap(host, name, onSelect = null) {
  const root = svg("svg", { class: "chart heatmap", role: "grid" }, host);
  let cells = [];
  let shape = "";
  let active = [0, 0];
  let current = null;

  function focusCell(r, c) {
    const rows = cells.length;
    const cols = rows ? cells[0].length : 0;
    if (!rows) return;
    r = Math.max(0, Math.min(rows - 1, r));
    c = Math.max(0, Math.min(cols - 1, c));
    cells[active[0]]?.[active[1]]?.g.setAttribute("tabindex", "-1");
    active = [r, c];
    const g = cells[r][c].g;
    g.setAttribute("tabindex", "0");
    g.focus();
  }

  function build(rows, cols, o) {
    clear(root);
    const size = o.cell;
    const left = 34;
    const top = o.titlePx + 30;
    // Wide enough for the title too (about 0.55 em per character).
    const titleWidth = (o.title ?? "").length * 0.55 * o.titlePx + 12;
    root.setAttribute("width", Math.max(left + cols * size + 6, titleWidth));
    root.setAttribute("height", top + rows * size + (o.xTitle ? 30 : 8));
    svg("text", { x: 4, y: o.titlePx + 2, class: "chart-title", text: o.title ?? "" }, root);
    for (let c = 0; c < cols; c++) {
      svg("text", { x: left + (c + 0.5) * size, y: top - 6, class: "tick",
                    "text-anchor": "middle", text: o.colLabels[c] }, root);
    }
    if (o.xTitle) {
      svg("text", { x: left + (cols * size) / 2, y: top + rows * size + 22, class: "tick",
                    "text-anchor": "middle", text: o.xTitle }, root);
    }
    cells = [];
    for (let r = 0; r < rows; r++) {
      svg("text", { x: left - 6, y: top + (r + 0.5) * size + 5, class: "tick",
                    "text-anchor": "end", text: o.rowLabels[r] }, root);
      const row = [];
      const group = svg("g", { role: "row" }, root);
      for (let c = 0; c < cols; c++) {
        const g = svg("g", { class: "cell", role: "gridcell", tabindex: "-1",
                             "data-row": r, "data-col": c }, group);
        const x = left + c * size;
        const y = top + r * size;
        const rect = svg("rect", { x: x + 1, y: y + 1, width: size - 2, height: size - 2 }, g);
        const text = svg("text", { x: x + size / 2, y: y + size / 2 + 5, "text-anchor": "middle",
                                   class: "cell-text" }, g);
        // The focus ring: a white halo under a blue ring, so that it stands out on any
        // cell colour (red, blue or white); drawn under the mistake marks.
        svg("rect", { x: x + 1.5, y: y + 1.5, width: size - 3, height: size - 3,
                      class: "ring-under" }, g);
        svg("rect", { x: x + 3.5, y: y + 3.5, width: size - 7, height: size - 7,
                      class: "mark-under" }, g);
        const mark = svg("rect", { x: x + 3.5, y: y + 3.5, width: size - 7, height: size - 7,
                                   class: "mark" }, g);
        const ring = svg("rect", { x: x + 1.5, y: y + 1.5, width: size - 3, height: size - 3,
                                   class: "ring" }, g);
        g.addEventListener("click", () => {
          focusCell(r, c);
          if (onSelect) onSelect(r, c);
        });
        row.push({ g, rect, text, mark, ring });
      }
      cells.push(row);
    }
    if (active[0] >= rows || active[1] >= cols) active = [0, 0];
    cells[active[0]][active[1]].g.setAttribute("tabindex", "0");
  }

  root.addEventListener("keydown", (event) => {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1],
                    Home: [0, -99], End: [0, 99] };
    if (moves[event.key]) {
      event.preventDefault();
      focusCell(active[0] + moves[event.key][0], active[1] + moves[event.key][1]);
    } else if ((event.key === "Enter" || event.key === " ") && onSelect) {
      event.preventDefault();
      onSelect(active[0], active[1]);
    }
  });

  /**
   * @param {Object} o
   * @param {number[][]} o.values R x C, drawn and published as data-values
   * @param {string[]} o.rowLabels, o.colLabels
   * @param {number} o.half half-width of the colour scale (> 0)
   * @param {Array<[number, string]>} o.stops the diverging colour scale
   * @param {number} [o.cell=56] cell size in px
   * @param {number[]|null} [o.selected] [row, col] drawn with a thick frame
   * @param {Set<string>} [o.marked] "row,col" keys outlined in red dots (e.g. wrong entries)
   * @param {string} [o.title], [o.xTitle]
   * @param {Object} o.words the words of the text alternative (labels.chart)
   * @param {number} [o.decimals=3]
   * @param {*} [o.published] the data-values to publish instead of `values` (e.g. a flat
   *   vector drawn as one row)
   */
  function update(o) {
    current = o;
    const rows = o.values.length;
    const cols = rows ? o.values[0].length : 0;
    const key = `${rows}x${cols}/${o.cell ?? 56}/${o.title}/${o.colLabels}/${o.rowLabels}`;
    const hadFocus = root.contains(root.getRootNode().activeElement);
    if (key !== shape) {
      const titlePx = parseFloat(getComputedStyle(root).getPropertyValue("--live-title-font"))
        || 16;
      build(rows, cols, { ...o, cell: o.cell ?? 56, titlePx });
      shape = key;
      if (hadFocus) focusCell(...active);
    }
    const decimals = o.decimals ?? 3;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const cell = cells[r][c];
        const value = o.values[r][c];
        const fill = divergingColor(value, o.half, o.stops);
        cell.rect.setAttribute("fill", fill);
        cell.text.textContent = fixed(value, decimals);
        cell.text.setAttribute("class", isDark(fill) ? "cell-text light" : "cell-text");
        const selected = o.selected && o.selected[0] === r && o.selected[1] === c;
        cell.g.classList.toggle("selected", Boolean(selected));
        cell.g.setAttribute("aria-selected", selected ? "true" : "false");
        cell.g.classList.toggle("marked", Boolean(o.marked?.has(`${r},${c}`)));
        cell.g.setAttribute("aria-label",
          `${o.rowLabels[r]}, ${o.colLabels[c]}: ${fixed(value, 6)}`);
      }
    }
    root.setAttribute("aria-label", matrixText(o.title ?? name, o.values, o.rowLabels,
                                               o.colLabels, o.words));
    publish(root, name, o.published ?? o.values);
  }

  return { update, focusCell, element: root, get current() { return current; } };
}

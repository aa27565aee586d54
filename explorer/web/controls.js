// controls.js: the form controls of the live views (range sliders and check boxes).
//
// Native inputs: keyboard (arrows, Home/End, Page Up/Down) and drag work as in any form,
// and every step fires `input` synchronously, so the view redraws within the frame.

import { make } from "./dom.js";

/**
 * A labelled range input.
 * @param {Element} parent
 * @param {Object} o
 * @param {string} o.label what the learner reads
 * @param {string} o.key the data-key (the URL name of the setting)
 * @param {number} o.min, o.max, o.step
 * @param {string} [o.swatch] a class colour shown before the label
 * @param {boolean} [o.compact] label, slider and value on one line
 * @param {function(number): void} o.onInput called with the new value on every step
 * @returns {{row: Element, input: HTMLInputElement, output: HTMLOutputElement}}
 */
export function slider(parent, { label, key, min, max, step, swatch, compact, onInput }) {
  const row = make("label", { class: compact ? "control compact" : "control",
                              "data-control": key }, parent);
  const name = make("span", { class: "name" }, row);
  if (swatch) make("span", { class: "swatch", style: `background:${swatch}` }, name);
  make("span", { text: label }, name);
  const output = make("output", {}, row);
  const input = make("input", { type: "range", min, max, step, "data-key": key,
                                "aria-label": label }, row);
  input.addEventListener("input", () => onInput(Number(input.value)));
  return { row, input, output };
}

/**
 * A labelled check box.
 * @returns {HTMLInputElement}
 */
export function checkbox(parent, { label, key, onChange }) {
  const row = make("label", { class: "check" }, parent);
  const input = make("input", { type: "checkbox", "data-key": key }, row);
  make("span", { text: label }, row);
  input.addEventListener("change", () => onChange(input.checked));
  return input;
}

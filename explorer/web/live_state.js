// live_state.js: one view instance per mounted component, and who owns the state.
//
// Streamlit calls a component's default export again whenever its `data` changes, with
// the same parentElement. The browser owns the state between syncs; the server sends a
// new `epoch` only when it overrides it (a reset, a corrected value). So an instance
// adopts `data.state` only when the epoch changes, and otherwise keeps what the learner
// is doing while the debounced sync of its last change is still on its way.

import { debounce } from "./dom.js";

/** Milliseconds of quiet before the state goes back to the server (one rerun per pause). */
export const SYNC_DELAY_MS = 250;

const instances = new WeakMap();

/**
 * Mount (once) or refresh the view of `args.parentElement`, then draw it.
 * @param {{data: Object, parentElement: Element, setStateValue: function}} args what
 *   Streamlit passes to the default export; data = {epoch, state, present, ...}
 * @param {function(Element, Object): Object} create builds the view: returns
 *   {state, draw(), configure(data)?}
 * @returns {Object} the view
 */
export function mountView(args, create) {
  const { data, parentElement } = args;
  let view = instances.get(parentElement);
  const labels = JSON.stringify(data.labels ?? null);
  if (view && view.labels !== labels) {
    // Another language: every text is built with the view, so build it again.
    view.root.remove();
    view = undefined;
  }
  if (!view) {
    view = create(parentElement, data);
    view.epoch = undefined;
    view.labels = labels;
    view.setStateValue = args.setStateValue;
    view.sync = debounce(() => view.setStateValue("state", JSON.parse(JSON.stringify(view.state))),
                         SYNC_DELAY_MS);
    instances.set(parentElement, view);
  }
  view.setStateValue = args.setStateValue;
  if (view.epoch !== data.epoch) {
    view.epoch = data.epoch;
    view.state = JSON.parse(JSON.stringify(data.state));
  }
  view.root.classList.toggle("present", Boolean(data.present));
  if (view.configure) view.configure(data);
  view.draw();
  return view;
}

/**
 * `value` snapped to the grid of `step` from `min` and written with the step's decimals,
 * so that 0.1 + 0.2 is sent (and written in the URL) as 0.3.
 */
export function snap(value, min, step) {
  const decimals = (String(step).split(".")[1] ?? "").length;
  return Number((min + Math.round((value - min) / step) * step).toFixed(decimals));
}

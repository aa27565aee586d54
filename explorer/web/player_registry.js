// player_registry.js: hands values from the engine component of /training to its player
// component on the same page (two components cannot import from each other).
//
// The engine's message changes only with the points, so Streamlit sends it once and then
// only a reference: it carries the code of the player and of the landscape view, and the
// points; the player's and the landscape's messages carry their data and a small loader.

/** The page-wide table of registered values (one namespaced, well-known key). */
const TABLE = Symbol.for("softmax-explorer.training-player");
const READY = "softmax-explorer:training-player-ready";

function table() {
  if (!globalThis[TABLE]) globalThis[TABLE] = new Map();
  return globalThis[TABLE];
}

/** Register ``value`` under ``name`` and tell anyone waiting for it. */
export function register(name, value) {
  table().set(name, value);
  window.dispatchEvent(new CustomEvent(READY, { detail: name }));
}

/** Forget ``name`` (values the page no longer shows). */
export function unregister(name) {
  table().delete(name);
}

/**
 * Call ``callback(value)`` now if ``name`` is registered, else as soon as it is.
 * @returns {function} stops waiting
 */
export function whenRegistered(name, callback) {
  if (table().has(name)) {
    callback(table().get(name));
    return () => {};
  }
  const ready = (event) => {
    if (event.detail !== name) return;
    window.removeEventListener(READY, ready);
    callback(table().get(name));
  };
  window.addEventListener(READY, ready);
  return () => window.removeEventListener(READY, ready);
}

/**
 * A component entry that runs the mount function registered under ``name`` on its
 * arguments, as soon as it is registered; returns the cleanup Streamlit calls.
 */
export function runRegistered(name, args) {
  let cleanup = null;
  let active = true;
  const stopWaiting = whenRegistered(name, (mount) => {
    if (active) cleanup = mount(args);
  });
  return () => {
    active = false;
    stopWaiting();
    if (typeof cleanup === "function") cleanup();
  };
}

// player_registry.js: hands the /training player's code from the engine component to the
// player component on the same page (two components cannot import from each other).
//
// The engine's message never changes, so Streamlit sends it once and then only a
// reference; the player's message carries the trajectory and this small module only.

/** Where the registered mount function lives (one well-known, namespaced key). */
const KEY = Symbol.for("softmax-explorer.training-player");
const READY = "softmax-explorer:training-player-ready";

/** Make ``mount`` the player's code and tell any player waiting for it. */
export function register(mount) {
  globalThis[KEY] = mount;
  window.dispatchEvent(new Event(READY));
}

/** Call ``callback(mount)`` now if the code is registered, else as soon as it is. */
export function whenRegistered(callback) {
  if (typeof globalThis[KEY] === "function") {
    callback(globalThis[KEY]);
    return () => {};
  }
  const ready = () => callback(globalThis[KEY]);
  window.addEventListener(READY, ready, { once: true });
  return () => window.removeEventListener(READY, ready);
}

// Presenter keys for a guided lesson. A clicker sends PageDown/PageUp; Streamlit's button
// shortcuts (Next/Previous) skip key presses aimed at a focused control, and a focused
// slider would take PageDown as a big step. While a lesson is shown, this turns such a
// press into a click on Next/Previous instead. Constant code: it reads no data.

const INSTALLED = "__lessonKeysInstalled";
const CONTROL = "input, textarea, select, [role='slider'], [contenteditable='true']";
const BUTTONS = { PageDown: "lesson_next", PageUp: "lesson_previous" };

function onKeyDown(event) {
  const key = BUTTONS[event.key];
  if (!key || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  // The real target, also inside a live view's shadow root (event.target is its host).
  const target = event.composedPath()[0];
  // Anywhere else the buttons' own shortcuts already answer.
  if (!(target instanceof Element) || !target.closest(CONTROL)) return;
  const button = document.querySelector(`.st-key-${key} button`);
  if (!button) return; // no lesson on this page
  event.preventDefault();
  event.stopPropagation();
  if (!button.disabled) button.click();
}

export default function () {
  if (window[INSTALLED]) return;
  window[INSTALLED] = true;
  document.addEventListener("keydown", onKeyDown, true);
}

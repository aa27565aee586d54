// inspect_sync.js: the inspect section's link to the /training player: forwards the
// player's requests (inspect_request.js: a new run the section has not run with, or the
// paused step) as triggers, so the section alone runs again. No data: a constant message.

import { INSPECT_REQUEST } from "./inspect_request.js";

export default function syncInspect({ setTriggerValue }) {
  const forward = (event) => setTriggerValue(event.detail.name, event.detail.value);
  window.addEventListener(INSPECT_REQUEST, forward);
  return () => window.removeEventListener(INSPECT_REQUEST, forward);
}

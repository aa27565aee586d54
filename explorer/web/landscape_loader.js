// landscape_loader.js: the landscape component of /training: runs the registered view
// (landscape_view.js, sent by the engine component) on this component's data.

import { runRegistered } from "./player_registry.js";

export default function loadLandscape(args) {
  return runRegistered("landscape", args);
}

// training_player_loader.js: the player component of /training: runs the registered
// player (training_player.js, sent by the engine component) on this component's data.

import { whenRegistered } from "./player_registry.js";

export default function loadPlayer(args) {
  let cleanup = null;
  let active = true;
  const stopWaiting = whenRegistered("mount", (mount) => {
    if (active) cleanup = mount(args);
  });
  return () => {
    active = false;
    stopWaiting();
    if (typeof cleanup === "function") cleanup();
  };
}

// training_player_loader.js: the player component of /training: runs the registered
// player (training_player.js, sent by the engine component) on this component's data.

import { runRegistered } from "./player_registry.js";

export default function loadPlayer(args) {
  return runRegistered("player", args);
}

// training_player_engine.js: the engine component of /training: registers the player's
// code (training_player.js with the shared math) for the player component to call.

import { mountPlayer } from "./training_player.js";
import { register } from "./player_registry.js";

export default function registerPlayer() {
  register(mountPlayer);
}

// nearby_loader.js: the nearby-runs component of /training: hands its data (the runs the
// player may show next, explorer/pages/training_nearby.py) to the code the engine
// component registered (training_player.js keepNearby).

import { runRegistered } from "./player_registry.js";

export default function loadNearby(args) {
  return runRegistered("nearby", args);
}

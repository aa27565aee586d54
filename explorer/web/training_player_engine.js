// training_player_engine.js: the engine component of /training: registers the code of
// the player (training_player.js with the shared math), of the nearby runs and of the
// landscape view, and the points the player draws (this component's data), for the other
// components to use.

import { mountLandscape } from "./landscape_view.js";
import { decodePayload, keepNearby, mountPlayer } from "./training_player.js";
import { register, unregister } from "./player_registry.js";

export default function registerPlayer({ data, parentElement }) {
  register("player", mountPlayer);
  register("landscape", mountLandscape);
  register("nearby", keepNearby);
  if (!data || !data.byteLength) return;
  const { header, arrays } = decodePayload(data);
  const name = `points:${header.id}`;
  if (parentElement.__points && parentElement.__points !== name) {
    unregister(parentElement.__points);
  }
  parentElement.__points = name;
  register(name, arrays);
}

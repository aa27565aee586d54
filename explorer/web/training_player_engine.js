// training_player_engine.js: the engine component of /training: registers the player's
// code (training_player.js with the shared math) and the points it draws (this
// component's data), for the player component to use.

import { decodePayload, mountPlayer } from "./training_player.js";
import { register, unregister } from "./player_registry.js";

export default function registerPlayer({ data, parentElement }) {
  register("mount", mountPlayer);
  if (!data || !data.byteLength) return;
  const { header, arrays } = decodePayload(data);
  const name = `points:${header.id}`;
  if (parentElement.__points && parentElement.__points !== name) {
    unregister(parentElement.__points);
  }
  parentElement.__points = name;
  register(name, arrays);
}

// run_cache.js: the runs the /training player can show without asking the server, by
// (context, run, learning rate): every run it was sent, and the nearby runs (one
// learning-rate step either side, explorer/pages/training_nearby.py). A new context (any
// other setting changed) forgets the old one's runs. Kept page-wide, so a player that is
// laid out again still finds them (and the benchmark can empty the table by its key).

const TABLE = Symbol.for("softmax-explorer.run-cache");
/** Runs kept; the server assumes at most 12 (training_nearby.py REMEMBERED). */
const LIMIT = 24;
/** The names of one run's arrays (explorer/player_payload.py run_arrays), without suffix. */
export const RUN_ARRAYS = ["W", "b", "loss", "curve_steps", "train_acc", "test_loss", "test_acc"];

function cache() {
  globalThis[TABLE] ??= { context: null, runs: new Map() };
  return globalThis[TABLE];
}

const keyOf = (run, lr) => `${run}|${lr}`;

/** One run's arrays out of a payload's arrays, where they carry the suffix ``index``. */
export function pickRun(arrays, index) {
  const picked = {};
  for (const name of RUN_ARRAYS) picked[name] = arrays[`${name}${index}`];
  return picked;
}

/** Keep ``entry`` ({desc, arrays}) as run ``run`` at learning rate ``lr`` of ``context``. */
export function remember(context, run, lr, entry) {
  const table = cache();
  if (!context) return;
  if (table.context !== context) {
    table.context = context;
    table.runs.clear();
  }
  const key = keyOf(run, lr);
  table.runs.delete(key);
  table.runs.set(key, entry);
  while (table.runs.size > LIMIT) table.runs.delete(table.runs.keys().next().value);
}

/** The kept run ``run`` at learning rate ``lr`` of ``context``, or undefined. */
export function recall(context, run, lr) {
  const table = cache();
  return context && table.context === context ? table.runs.get(keyOf(run, lr)) : undefined;
}

/** Keep every run of a decoded payload ({header, arrays}) whose header names its
 * ``context`` and lists ``runs`` (each with its ``lr`` and, for nearby runs, the ``run`` it
 * would replace). */
export function rememberRuns({ header, arrays }) {
  header.runs.forEach((desc, index) => {
    remember(header.context, desc.run ?? index, desc.lr,
      { desc, arrays: pickRun(arrays, index) });
  });
}

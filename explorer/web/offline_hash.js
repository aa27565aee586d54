// offline_hash.js: the state of an offline lesson file in its URL #hash.
//
// The hash reads like a query string, one field of the view's state per name:
// "#step=2&k=4&z=2,1,0.1,-1,0,0,0,0,0,0&t=1&y=0&big=false&cell=0,0" (a matrix is rows
// joined by ";"). Reading it back checks every value against the rules the file carries
// (the ranges of explorer/settings/specs.py); a value that fails keeps its default and is named in
// a note. No markup is ever built from the hash.

/** The hash (without "#") for `state` and, in a lesson, the 1-based `step`. */
export function formatHash(state, step = null) {
  const parts = step === null ? [] : [`step=${step}`];
  for (const [name, value] of Object.entries(state)) {
    parts.push(`${encodeURIComponent(name)}=${encodeValue(value)}`);
  }
  return parts.join("&");
}

function encodeValue(value) {
  if (Array.isArray(value)) {
    return value.map((item) => (Array.isArray(item) ? item.map(String).join(",") : String(item)))
      .join(Array.isArray(value[0]) ? ";" : ",");
  }
  return String(value);
}

/** `text` read as a value shaped like `example` (number, boolean, list, list of lists). */
function decodeValue(text, example) {
  if (typeof example === "boolean") {
    if (text === "true") return true;
    if (text === "false") return false;
    throw new Error("expected true or false");
  }
  if (Array.isArray(example)) {
    const nested = Array.isArray(example[0]);
    const items = text.split(nested ? ";" : ",");
    if (items.length !== example.length) {
      throw new Error(`expected ${example.length} values${nested ? " (rows)" : ""}`);
    }
    return items.map((item, i) => decodeValue(item, example[i]));
  }
  if (typeof example === "number") {
    if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) throw new Error("not a number");
    return Number(text);
  }
  throw new Error("this field cannot be read from a link");
}

/** Throw unless every number in `value` passes `rule` ({kind, min, max, options}). */
function check(value, rule) {
  if (Array.isArray(value)) {
    value.forEach((item) => check(item, rule));
    return;
  }
  if (rule.kind === "bool") {
    if (typeof value !== "boolean") throw new Error("expected true or false");
  } else if (rule.kind === "options") {
    if (!rule.options.includes(value)) throw new Error(`expected one of ${rule.options.join(", ")}`);
  } else {
    if (!Number.isFinite(value)) throw new Error("not a finite number");
    if (rule.kind === "int" && !Number.isInteger(value)) throw new Error("expected a whole number");
    if (value < rule.min || value > rule.max) {
      throw new Error(`expected a value from ${rule.min} to ${rule.max}`);
    }
  }
}

/**
 * Read `hash` (location.hash, with or without "#") over `defaults`.
 * @param {string} hash
 * @param {Object} defaults the view state used for every field the hash lacks or gets wrong
 * @param {Object<string, Object>} rules field -> {kind: "number"|"int"|"options"|"bool", ...}
 * @param {number|null} steps the lesson's number of steps (null: no lesson, "step" unknown)
 * @returns {{state: Object, step: number|null, fields: string[], problems: string[]}}
 *   fields: the state fields the hash set; problems: one sentence per value ignored
 */
export function parseHash(hash, defaults, rules, steps = null) {
  const state = JSON.parse(JSON.stringify(defaults));
  const problems = [];
  const fields = [];
  let step = null;
  const text = hash.replace(/^#/, "");
  if (!text) return { state, step, fields, problems };
  for (const part of text.split("&")) {
    if (!part) continue;
    const at = part.indexOf("=");
    let name;
    let raw;
    try {
      name = decodeURIComponent(at < 0 ? part : part.slice(0, at));
      raw = at < 0 ? "" : decodeURIComponent(part.slice(at + 1));
    } catch {
      problems.push(`“${part.slice(0, 40)}” is not valid URL text, so it was ignored.`);
      continue;
    }
    try {
      if (name === "step") {
        if (steps === null) throw new Error("this file holds no lesson");
        const value = decodeValue(raw, 0);
        check(value, { kind: "int", min: 1, max: steps });
        step = value;
      } else if (Object.hasOwn(rules, name) && Object.hasOwn(state, name)) {
        const value = decodeValue(raw, state[name]);
        check(value, rules[name]);
        state[name] = value;
        fields.push(name);
      } else {
        throw new Error("no such setting");
      }
    } catch (error) {
      problems.push(`“${name.slice(0, 40)}” was ignored (${error.message}); the default is shown.`);
    }
  }
  return { state, step, fields, problems };
}

// offline_hash.js: the state of an offline lesson file in its URL #hash.
//
// The hash reads like a query string, one field of the view's state per name:
// "#step=2&k=4&z=2,1,0.1,-1,0,0,0,0,0,0&t=1&y=0&big=false&cell=0,0" (a matrix is rows
// joined by ";"). Reading it back checks every value against the rules the file carries
// (the ranges of explorer/settings/specs.py); a value that fails keeps its default and is named in
// a note. No markup is ever built from the hash. The notes' words come translated in the
// file's data (`words`: explorer/view_labels.py offline_labels()["hash"]).

import { fill } from "./dom.js";

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

/** An Error whose message is the template `words[name]` filled with `fields`. */
function problem(words, name, fields = {}) {
  return new Error(fill(words[name], fields));
}

/** `text` read as a value shaped like `example` (number, boolean, list, list of lists). */
function decodeValue(text, example, words) {
  if (typeof example === "boolean") {
    if (text === "true") return true;
    if (text === "false") return false;
    throw problem(words, "trueFalse");
  }
  if (Array.isArray(example)) {
    const nested = Array.isArray(example[0]);
    const items = text.split(nested ? ";" : ",");
    if (items.length !== example.length) {
      throw problem(words, nested ? "rows" : "values", { count: example.length });
    }
    return items.map((item, i) => decodeValue(item, example[i], words));
  }
  if (typeof example === "number") {
    if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) throw problem(words, "number");
    return Number(text);
  }
  throw problem(words, "unreadable");
}

/** Throw unless every number in `value` passes `rule` ({kind, min, max, options}). */
function check(value, rule, words) {
  if (Array.isArray(value)) {
    value.forEach((item) => check(item, rule, words));
    return;
  }
  if (rule.kind === "bool") {
    if (typeof value !== "boolean") throw problem(words, "trueFalse");
  } else if (rule.kind === "options") {
    if (!rule.options.includes(value)) {
      throw problem(words, "options", { options: rule.options.join(", ") });
    }
  } else {
    if (!Number.isFinite(value)) throw problem(words, "finite");
    if (rule.kind === "int" && !Number.isInteger(value)) throw problem(words, "whole");
    if (value < rule.min || value > rule.max) {
      throw problem(words, "range", { min: rule.min, max: rule.max });
    }
  }
}

/**
 * Read `hash` (location.hash, with or without "#") over `defaults`.
 * @param {string} hash
 * @param {Object} defaults the view state used for every field the hash lacks or gets wrong
 * @param {Object<string, Object>} rules field -> {kind: "number"|"int"|"options"|"bool", ...}
 * @param {number|null} steps the lesson's number of steps (null: no lesson, "step" unknown)
 * @param {Object<string, string>} words the notes' templates (see `problem` above)
 * @returns {{state: Object, step: number|null, fields: string[], problems: string[]}}
 *   fields: the state fields the hash set; problems: one sentence per value ignored
 */
export function parseHash(hash, defaults, rules, steps, words) {
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
      problems.push(fill(words.badText, { part: part.slice(0, 40) }));
      continue;
    }
    try {
      if (name === "step") {
        if (steps === null) throw problem(words, "noLesson");
        const value = decodeValue(raw, 0, words);
        check(value, { kind: "int", min: 1, max: steps }, words);
        step = value;
      } else if (Object.hasOwn(rules, name) && Object.hasOwn(state, name)) {
        const value = decodeValue(raw, state[name], words);
        check(value, rules[name], words);
        state[name] = value;
        fields.push(name);
      } else {
        throw problem(words, "unknown");
      }
    } catch (error) {
      problems.push(fill(words.ignored, { name: name.slice(0, 40), reason: error.message }));
    }
  }
  return { state, step, fields, problems };
}

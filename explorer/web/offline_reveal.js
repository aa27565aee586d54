// offline_reveal.js: the reveal texts of a guided lesson, filled in by the browser.
//
// A reveal is a template such as "p₃ fell from {before.p[3]:.3f} to {p[3]:.3f}" (the
// language of explorer/guided/template.py). Here its quantities are computed from the
// view's state with the same browser math the charts draw with, and the fields are
// formatted as Python's format() would write them for the specs lessons use:
// [+| ]?(.N)?[f|e|%]?. Quantities the browser does not compute (central differences) come
// precomputed in the file; an unknown field or format is an error, never a guess.

import {
  commonMistake,
  exampleGradients,
  logSoftmax,
  pMinusY,
  probabilityWeightJacobian,
  softmax,
  softmaxJacobian,
  softmaxNaive,
} from "./softmax_math.js";

const FIELD = /^(?:(before)\.)?([A-Za-z_][A-Za-z0-9_]*)((?:\[-?[0-9]+\])*)$/;
const SPEC = /^([+ ])?(?:\.([0-9]{1,2}))?([fe%])?$/;

/** Every quantity of /softmax a reveal can read, for the view state `s` (shift: +1000). */
function softmaxQuantities(s, shift) {
  const k = s.k;
  const z = s.z.slice(0, k).map((v) => (s.big ? v + shift : v));
  const p = softmax(z, s.t);
  const J = softmaxJacobian(z, s.t);
  const error = pMinusY(p, s.y);
  const pNaive = softmaxNaive(z, s.t);
  let top = 0;
  p.forEach((v, i) => { if (v > p[top]) top = i; });
  return {
    K: k, T: s.t, y: s.y, z, p, p_max: p[top], top, p_naive: pNaive,
    naive_nans: pNaive.filter(Number.isNaN).length, J,
    J_max: Math.max(...J.flat().map(Math.abs)),
    J_row_sum: Math.max(...J.map((row) => Math.abs(row.reduce((a, b) => a + b, 0)))),
    p_minus_y: error, dlogits: error.map((v) => v / s.t),
    loss: -logSoftmax(z, s.t)[s.y] + 0,
  };
}

/** Every quantity of /weights a reveal can read that the browser computes, for state `s`. */
function weightsQuantities(s) {
  const k = s.k;
  const x = [s.x1, s.x2];
  const W = s.W.map((row) => row.slice(0, k));
  const b = s.b.slice(0, k);
  const g = exampleGradients(x, W, b, s.y, s.reg);
  const pick = s.mistake ? commonMistake : probabilityWeightJacobian;
  return {
    K: k, x, y: s.y, j: s.j, z: g.z, p: g.p, loss: g.loss, dW: g.dW, db: g.db,
    data_term: x.map((xi) => g.dlogits.map((d) => xi * d)),
    reg_term: W.map((row) => row.map((w) => s.reg * w)),
    dp: pick(x, g.p)[s.j],
  };
}

/**
 * The quantities of `page` for the view state `state`.
 * @param {"softmax"|"weights"} page
 * @param {Object} state the view's state (as softmax_view.js / weights_view.js hold it)
 * @param {Object} viewData the view's constant data (the overflow shift)
 * @returns {Object<string, *>} name -> number, text or nested arrays
 */
export function quantitiesOf(page, state, viewData) {
  if (page === "softmax") return softmaxQuantities(state, viewData.shift);
  if (page === "weights") return weightsQuantities(state);
  throw new Error(`no quantities for page ${page}`);
}

/** The value `field` names in `scopes` ({now, before}), as Python's template lookup does. */
function lookup(field, scopes) {
  const match = FIELD.exec(field);
  if (!match) throw new Error(`{${field}} is not a quantity name with [integer] indices`);
  const [, before, name, indices] = match;
  const scope = before ? scopes.before : scopes.now;
  if (!Object.hasOwn(scope, name)) throw new Error(`unknown quantity ${name}`);
  let value = scope[name];
  for (const [, text] of indices.matchAll(/\[(-?[0-9]+)\]/g)) {
    let index = Number(text);
    if (!Array.isArray(value)) throw new Error(`{${field}}: ${name} cannot be indexed that deep`);
    if (index < -value.length || index >= value.length) {
      throw new Error(`{${field}}: index ${index} is out of range`);
    }
    if (index < 0) index += value.length;
    value = value[index];
  }
  if (Array.isArray(value)) throw new Error(`{${field}} is a list: pick one with [index]`);
  return value === 0 ? 0 : value;  // never "-0.000"
}

/** "1.5e-5" -> "1.5e-05": Python writes at least two exponent digits. */
function pythonExponent(text) {
  return text.replace(/e([-+])(\d)$/, "e$10$2");
}

/**
 * `value` written as Python's format(value, spec) writes it, for the specs lessons use.
 * @param {number|string|boolean} value
 * @param {string} spec "", ".3f", "+.3f", ".1e", ".0%"
 * @returns {string}
 */
export function formatValue(value, spec) {
  const match = SPEC.exec(spec);
  if (!match) throw new Error(`format ${spec} is not supported offline`);
  const [, sign, digits, type] = match;
  if (typeof value === "string") {
    if (spec) throw new Error(`format ${spec} does not fit a text`);
    return value;
  }
  if (typeof value === "boolean") {
    if (spec) throw new Error(`format ${spec} does not fit a truth value`);
    return value ? "True" : "False";
  }
  if (!Number.isFinite(value)) {
    const text = Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
    return sign === "+" && !text.startsWith("-") ? `+${text}` : text;
  }
  const precision = digits === undefined ? 6 : Number(digits);
  let text;
  if (type === "f") text = value.toFixed(precision);
  else if (type === "e") text = pythonExponent(value.toExponential(precision));
  else if (type === "%") text = `${(value * 100).toFixed(precision)}%`;
  else if (digits !== undefined) throw new Error(`format ${spec} needs a type (f, e or %)`);
  else if (Number.isInteger(value) && !String(value).includes("e")) {
    // Python writes an int as 3 but a float as 3.0; the quantities that are ints (K, y,
    // top, counts) are ints there too, and every float quantity is formatted with a spec.
    text = String(value);
  } else text = pythonExponent(String(value));
  if (sign && !text.startsWith("-")) text = sign + text;
  return text;
}

/**
 * `template` with every field replaced ({{ and }} are literal braces).
 * @param {string} template
 * @param {Object} now quantities of the step as shown now
 * @param {Object} before quantities of the previous step's settings
 * @returns {string}
 */
export function renderReveal(template, now, before) {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if ((c === "{" || c === "}") && template[i + 1] === c) {
      out += c;
      i += 2;
    } else if (c === "{") {
      const end = template.indexOf("}", i);
      if (end < 0) throw new Error("a single { (write {{ for a literal brace)");
      const body = template.slice(i + 1, end);
      const colon = body.indexOf(":");
      const field = colon < 0 ? body : body.slice(0, colon);
      const spec = colon < 0 ? "" : body.slice(colon + 1);
      out += formatValue(lookup(field, { now, before }), spec);
      i = end + 1;
    } else if (c === "}") {
      throw new Error("a single } (write }} for a literal brace)");
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

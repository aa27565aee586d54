// softmax_math.js: the browser math of the live views (no imports, no DOM).
//
// The single source of every number a live view draws. It mirrors explorer/softmax.py,
// explorer/losses.py and explorer/boundaries.py operation for operation, so that the
// browser and numpy agree to rounding error (tests/e2e/test_softmax_math_js.py checks
// them against each other, and against torch, at 1e-12). The formulas are in docs/math.md.
//
// Conventions: vectors are plain arrays of numbers; a matrix is an array of rows.
// W is D x K with W[i][k] = weight from feature i to class k, b has K entries,
// one example x has D entries and its class y is an integer (or a one-hot array).

/** Largest entry of a non-empty array. */
function maxOf(values) {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** (z - max z) / T: every entry <= 0, the largest exactly 0 (shift before dividing). */
function shiftedScaled(z, T) {
  const m = maxOf(z);
  return z.map((v) => (v - m) / T);
}

/**
 * Stable softmax exp(z/T) / sum exp(z/T).
 * @param {number[]} z logits (K)
 * @param {number} [T=1] temperature > 0
 * @returns {number[]} p (K), non-negative, summing to 1
 */
export function softmax(z, T = 1) {
  // Subtracting max z leaves p unchanged and keeps every exp() <= 1: nothing overflows.
  const exps = shiftedScaled(z, T).map(Math.exp);
  let total = 0;
  for (const e of exps) total += e;
  return exps.map((e) => e / total);
}

/**
 * The textbook softmax without the max shift: overflows to NaN for large logits.
 * Kept only to show why the stable form matters.
 * @param {number[]} z logits (K)
 * @param {number} [T=1]
 * @returns {number[]} (K), may hold NaN or Infinity
 */
export function softmaxNaive(z, T = 1) {
  const exps = z.map((v) => Math.exp(v / T));
  let total = 0;
  for (const e of exps) total += e;
  return exps.map((e) => e / total);
}

/**
 * Stable log-softmax (z - m)/T - log(sum exp((z - m)/T)); never log(softmax(z)),
 * which is -Infinity where a probability underflows to 0.
 * @param {number[]} z logits (K)
 * @param {number} [T=1]
 * @returns {number[]} log-probabilities (K), finite
 */
export function logSoftmax(z, T = 1) {
  const shifted = shiftedScaled(z, T);
  let total = 0;
  for (const s of shifted) total += Math.exp(s);
  const logTotal = Math.log(total);
  return shifted.map((s) => s - logTotal);
}

/**
 * The softmax Jacobian J[i][j] = dp_i/dz_j = p_i (delta_ij - p_j) / T.
 * @param {number[]} z logits (K)
 * @param {number} [T=1]
 * @returns {number[][]} K x K, symmetric, rows summing to 0
 */
export function softmaxJacobian(z, T = 1) {
  const p = softmax(z, T);
  return p.map((pi, i) => p.map((pj, j) => ((i === j ? pi : 0) - pi * pj) / T));
}

/**
 * The one-hot vector of class y.
 * @param {number} y class in 0..K-1
 * @param {number} K
 * @returns {number[]} (K)
 */
export function oneHot(y, K) {
  return Array.from({ length: K }, (_, k) => (k === y ? 1 : 0));
}

/**
 * p - y, the gradient of the cross-entropy with respect to the logits at T = 1.
 * @param {number[]} p probabilities (K)
 * @param {number|number[]} y the class (integer) or its one-hot vector (K)
 * @returns {number[]} (K)
 */
export function pMinusY(p, y) {
  const target = Array.isArray(y) ? y : oneHot(y, p.length);
  return p.map((pk, k) => pk - target[k]);
}

/**
 * The logits of one example, z_k = sum_i x_i W[i][k] + b_k.
 * @param {number[]} x (D)
 * @param {number[][]} W D x K
 * @param {number[]} b (K)
 * @returns {number[]} z (K)
 */
export function logits(x, W, b) {
  return b.map((bk, k) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * W[i][k];
    return s + bk;
  });
}

/**
 * Forward pass and gradients of one example through a linear softmax classifier.
 * L = -log p_y + 0.5 reg sum(W^2); dL/dW = x (p - y)^T + reg W; dL/db = p - y.
 * @param {number[]} x (D)
 * @param {number[][]} W D x K
 * @param {number[]} b (K)
 * @param {number} y the class of x
 * @param {number} [reg=0] L2 strength (the bias is not regularised)
 * @returns {{z: number[], p: number[], loss: number, dlogits: number[],
 *            dW: number[][], db: number[]}} z, p, dlogits, db (K); dW D x K
 */
export function exampleGradients(x, W, b, y, reg = 0) {
  const z = logits(x, W, b);
  const p = softmax(z);
  let squares = 0;
  for (const row of W) for (const w of row) squares += w * w;
  const loss = -logSoftmax(z)[y] + 0.5 * reg * squares;
  const dlogits = pMinusY(p, y);
  const dW = x.map((xi, i) => dlogits.map((d, k) => xi * d + reg * W[i][k]));
  return { z, p, loss, dlogits, dW, db: dlogits.slice() };
}

/**
 * One plain gradient-descent step W - lr dW, b - lr db.
 * @param {number[][]} W D x K
 * @param {number[]} b (K)
 * @param {number[][]} dW D x K
 * @param {number[]} db (K)
 * @param {number} lr learning rate
 * @returns {{W: number[][], b: number[]}}
 */
export function gradientStep(W, b, dW, db, lr) {
  return {
    W: W.map((row, i) => row.map((w, k) => w - lr * dW[i][k])),
    b: b.map((bk, k) => bk - lr * db[k]),
  };
}

/**
 * How every probability depends on every weight: G[j][i][k] = dp_j/dW[i][k]
 * = p_j (delta_jk - p_k) x_i (class k's weight vector is column k of W).
 * @param {number[]} x (D)
 * @param {number[]} p probabilities (K)
 * @returns {number[][][]} K x D x K
 */
export function probabilityWeightJacobian(x, p) {
  return p.map((pj, j) => x.map((xi) => p.map((pk, k) => ((j === k ? pj : 0) - pj * pk) * xi)));
}

/**
 * The classic mistake: the softmax denominator differentiated as if it were constant.
 * G[j][i][k] = p_j delta_jk x_i: the -p_j p_k x_i term is dropped, so the diagonal
 * k = j is too large and every k != j is wrongly 0.
 * @param {number[]} x (D)
 * @param {number[]} p probabilities (K)
 * @returns {number[][][]} K x D x K
 */
export function commonMistake(x, p) {
  return p.map((pj, j) => x.map((xi) => p.map((_, k) => (j === k ? pj : 0) * xi)));
}

/** The feature maps of a 2-D point, keyed by name; the order matches the Python's. */
export const FEATURE_KINDS = ["raw", "quadratic"];

/**
 * The model's inputs for the point (x1, x2).
 * @param {number} x1
 * @param {number} x2
 * @param {"raw"|"quadratic"} [kind="raw"]
 * @returns {number[]} [x1, x2] or [x1, x2, x1^2, x2^2, x1 x2]
 */
export function features(x1, x2, kind = "raw") {
  if (kind === "raw") return [x1, x2];
  if (kind === "quadratic") return [x1, x2, x1 * x1, x2 * x2, x1 * x2];
  throw new Error(`kind must be one of ${FEATURE_KINDS.join(", ")}, got ${kind}`);
}

/**
 * The centre of every cell of a grid over a rectangle.
 * Column c (0..nx-1) is at x = xMin + (c + 0.5) * ((xMax - xMin) / nx); row r (0..ny-1)
 * counts from the TOP: y = yMax - (r + 0.5) * ((yMax - yMin) / ny), so row 0 is the top
 * row of a picture (as a canvas draws it).
 * @param {{xMin: number, xMax: number, yMin: number, yMax: number, nx: number, ny: number}} grid
 * @returns {{xs: number[], ys: number[]}} xs (nx) and ys (ny)
 */
export function gridCentres(grid) {
  const dx = (grid.xMax - grid.xMin) / grid.nx;
  const dy = (grid.yMax - grid.yMin) / grid.ny;
  const xs = Array.from({ length: grid.nx }, (_, c) => grid.xMin + (c + 0.5) * dx);
  const ys = Array.from({ length: grid.ny }, (_, r) => grid.yMax - (r + 0.5) * dy);
  return { xs, ys };
}

/**
 * Class probabilities softmax(features(x1, x2) W + b) at the centre of every grid cell.
 * @param {number[][]} W D x K (D = 2 raw, 5 quadratic)
 * @param {number[]} b (K)
 * @param {{xMin: number, xMax: number, yMin: number, yMax: number, nx: number, ny: number}} grid
 *   cells as in gridCentres (row 0 at the top, yMax)
 * @param {"raw"|"quadratic"} [kind="raw"]
 * @param {Float64Array} [into] an array of the result's length to fill and return (an
 *   animation reuses one rather than allocating one per frame); another length is ignored
 * @returns {Float64Array} ny * nx * K, row-major: entry ((r * nx) + c) * K + k is p_k at
 *   the centre of row r (from the top), column c (from the left)
 */
export function gridProbabilities(W, b, grid, kind = "raw", into = null) {
  const K = b.length;
  features(0, 0, kind);  // checks the kind
  const quadratic = kind === "quadratic";
  const { nx, ny } = grid;
  const { xs, ys } = gridCentres(grid);
  const size = ny * nx * K;
  const out = into && into.length === size ? into : new Float64Array(size);
  // z_k = phi(x1, x2) . W[:, k] + b_k splits into a part of the column (x1, x1^2), a part
  // of the row (x2, x2^2, b_k) and, quadratic, x1 x2 W[4][k]: each part is computed once
  // per column or row, so a cell costs K additions (an animation draws this every frame,
  // and its first frames run before the engine has optimised this loop).
  const column = new Float64Array(nx * K);
  const row = new Float64Array(ny * K);
  const cross = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    for (let c = 0; c < nx; c++) {
      const x = xs[c];
      column[c * K + k] = quadratic ? x * W[0][k] + x * x * W[2][k] : x * W[0][k];
    }
    for (let r = 0; r < ny; r++) {
      const y = ys[r];
      row[r * K + k] = (quadratic ? y * W[1][k] + y * y * W[3][k] : y * W[1][k]) + b[k];
    }
    if (quadratic) cross[k] = W[4][k];
  }
  const z = new Float64Array(K);
  for (let r = 0; r < ny; r++) {
    const y = ys[r];
    const rowBase = r * K;
    for (let c = 0; c < nx; c++) {
      const xy = xs[c] * y;
      const colBase = c * K;
      let m = -Infinity;
      for (let k = 0; k < K; k++) {
        const v = column[colBase + k] + row[rowBase + k] + xy * cross[k];
        z[k] = v;
        if (v > m) m = v;
      }
      const base = (r * nx + c) * K;
      let total = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(z[k] - m);
        out[base + k] = e;
        total += e;
      }
      for (let k = 0; k < K; k++) out[base + k] /= total;
    }
  }
  return out;
}

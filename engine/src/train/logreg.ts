/**
 * L2-regularized logistic regression on standardized features, fitted by Newton's method
 * (IRLS) with a backtracking line search: deterministic, and converged to a gradient norm of
 * `tol` (default 1e-10 per row) or until the Newton decrement is below the objective's
 * double-precision resolution, far tighter than scikit-learn's default.
 *
 * Objective (scikit-learn's, divided by C): Σ_i logloss(y_i, σ(b + w·x_i)) + ‖w‖² / (2C);
 * the intercept b is not penalized.
 */
import { checkParam, trainError } from './errors.js';
import { checkLabels, checkMatrix, sigmoid, type FeatureMatrix } from './matrix.js';
import { applyScaler, fitScaler, type Scaler } from './scaler.js';

export interface LogRegParams {
  /** Inverse regularization strength (scikit-learn's C). Default 1. */
  readonly C?: number;
  readonly maxIter?: number;
  /** Stop when ‖gradient‖∞ / rows < tol. Default 1e-10. */
  readonly tol?: number;
}

export interface LogRegModel {
  readonly kind: 'logreg';
  readonly features: readonly string[];
  readonly scaler: Scaler;
  /** Coefficients on the standardized features. */
  readonly coef: readonly number[];
  readonly intercept: number;
  readonly iterations: number;
}

function objective(cols: readonly Float64Array[], y: Uint8Array, w: Float64Array, lam: number): number {
  const d = cols.length;
  const n = y.length;
  const z = linear(cols, w, n);
  let f = 0;
  for (let i = 0; i < n; i++) {
    const zi = z[i] as number;
    // log(1 + e^z) − y z, computed stably
    const sp = zi > 0 ? zi + Math.log1p(Math.exp(-zi)) : Math.log1p(Math.exp(zi));
    f += sp - (y[i] as number) * zi;
  }
  let r = 0;
  for (let j = 0; j < d; j++) r += (w[j] as number) ** 2;
  return f + 0.5 * lam * r;
}

/** b + Σ w_j x_j for every row; w[d] is the intercept. */
function linear(cols: readonly Float64Array[], w: Float64Array, n: number): Float64Array {
  const d = cols.length;
  const z = new Float64Array(n).fill(w[d] as number);
  for (let j = 0; j < d; j++) {
    const c = cols[j] as Float64Array;
    const wj = w[j] as number;
    for (let i = 0; i < n; i++) z[i] = (z[i] as number) + wj * (c[i] as number);
  }
  return z;
}

/** Solve A x = b for symmetric positive definite A (row-major m×m) by Cholesky; A is overwritten. */
function cholSolve(a: Float64Array, b: Float64Array, m: number): Float64Array {
  for (let j = 0; j < m; j++) {
    let s = a[j * m + j] as number;
    for (let k = 0; k < j; k++) s -= (a[j * m + k] as number) ** 2;
    if (!(s > 0)) throw trainError('TRAIN_NOT_CONVERGED', 'logistic regression: the Hessian is not positive definite (collinear or non-finite features)', { column: j });
    const l = Math.sqrt(s);
    a[j * m + j] = l;
    for (let i = j + 1; i < m; i++) {
      let t = a[i * m + j] as number;
      for (let k = 0; k < j; k++) t -= (a[i * m + k] as number) * (a[j * m + k] as number);
      a[i * m + j] = t / l;
    }
  }
  const x = new Float64Array(b);
  for (let i = 0; i < m; i++) {
    let t = x[i] as number;
    for (let k = 0; k < i; k++) t -= (a[i * m + k] as number) * (x[k] as number);
    x[i] = t / (a[i * m + i] as number);
  }
  for (let i = m - 1; i >= 0; i--) {
    let t = x[i] as number;
    for (let k = i + 1; k < m; k++) t -= (a[k * m + i] as number) * (x[k] as number);
    x[i] = t / (a[i * m + i] as number);
  }
  return x;
}

export function fitLogReg(x: FeatureMatrix, y: Uint8Array, params: LogRegParams = {}): LogRegModel {
  const C = params.C ?? 1;
  const maxIter = params.maxIter ?? 100;
  const tol = params.tol ?? 1e-10;
  checkParam(Number.isFinite(C) && C > 0, 'C', `must be a positive number, got ${C}`, C);
  checkParam(Number.isInteger(maxIter) && maxIter > 0, 'maxIter', `must be a positive integer, got ${maxIter}`, maxIter);
  checkParam(Number.isFinite(tol) && tol > 0, 'tol', `must be a positive number, got ${tol}`, tol);
  checkMatrix(x);
  checkLabels(y, x.rows);
  for (let j = 0; j < x.columns.length; j++) {
    const c = x.columns[j] as Float64Array;
    for (let i = 0; i < c.length; i++) {
      if (!Number.isFinite(c[i])) throw trainError('TRAIN_BAD_INPUT', `logistic regression: feature '${x.names[j] ?? j}' is not finite at row ${i}`, { column: x.names[j], row: i });
    }
  }
  const scaler = fitScaler(x);
  const cols = applyScaler(scaler, x).columns;
  const d = cols.length;
  const n = x.rows;
  const m = d + 1;
  const lam = 1 / C;
  let w = new Float64Array(m);
  let f = objective(cols, y, w, lam);
  let iter = 0;
  for (; iter < maxIter; iter++) {
    const z = linear(cols, w, n);
    const r = new Float64Array(n); // p − y
    const h = new Float64Array(n); // p (1 − p)
    for (let i = 0; i < n; i++) {
      const p = sigmoid(z[i] as number);
      r[i] = p - (y[i] as number);
      h[i] = p * (1 - p);
    }
    const g = new Float64Array(m);
    const H = new Float64Array(m * m);
    for (let j = 0; j < m; j++) {
      const cj = j < d ? (cols[j] as Float64Array) : undefined;
      let s = 0;
      for (let i = 0; i < n; i++) s += (r[i] as number) * (cj === undefined ? 1 : (cj[i] as number));
      g[j] = s + (j < d ? lam * (w[j] as number) : 0);
      for (let k = 0; k <= j; k++) {
        const ck = k < d ? (cols[k] as Float64Array) : undefined;
        let t = 0;
        for (let i = 0; i < n; i++) t += (h[i] as number) * (cj === undefined ? 1 : (cj[i] as number)) * (ck === undefined ? 1 : (ck[i] as number));
        if (j === k && j < d) t += lam;
        H[j * m + k] = t;
        H[k * m + j] = t;
      }
    }
    let gmax = 0;
    for (let j = 0; j < m; j++) gmax = Math.max(gmax, Math.abs(g[j] as number));
    if (gmax / n < tol) break;
    const step = cholSolve(H, g, m);
    // Newton decrement gᵀH⁻¹g: below double-precision resolution of f, no step can improve f.
    let dec = 0;
    for (let j = 0; j < m; j++) dec += (g[j] as number) * (step[j] as number);
    if (dec <= 1e-14 * (1 + Math.abs(f))) break;
    let t = 1;
    let next = w;
    let fNext = f;
    for (let ls = 0; ls < 50; ls++) {
      next = new Float64Array(m);
      for (let j = 0; j < m; j++) next[j] = (w[j] as number) - t * (step[j] as number);
      fNext = objective(cols, y, next, lam);
      if (fNext <= f) break;
      t /= 2;
    }
    if (!(fNext <= f)) break; // no further decrease at double precision: converged
    w = next;
    f = fNext;
  }
  if (iter >= maxIter) throw trainError('TRAIN_NOT_CONVERGED', `logistic regression did not converge in ${maxIter} Newton iterations`, { parameter: 'maxIter', value: maxIter });
  return { kind: 'logreg', features: [...x.names], scaler, coef: Array.from(w.subarray(0, d)), intercept: w[d] as number, iterations: iter };
}

/** Probability of class 1 for every row (features in the model's order). */
export function predictLogReg(model: LogRegModel, x: FeatureMatrix): Float64Array {
  const n = x.rows;
  const out = new Float64Array(n);
  const z = new Float64Array(n).fill(model.intercept);
  model.coef.forEach((wj, j) => {
    const c = x.columns[j] as Float64Array;
    const m = model.scaler.mean[j] ?? 0;
    const sd = model.scaler.scale[j] ?? 1;
    for (let i = 0; i < n; i++) z[i] = (z[i] as number) + wj * (((c[i] as number) - m) / sd);
  });
  for (let i = 0; i < n; i++) out[i] = sigmoid(z[i] as number);
  return out;
}

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), over the value indices of a discrete
 * space, seeded and reproducible.
 *
 * - The first `startup` points are uniform random accepted points.
 * - Then, with the n observations so far sorted by score (descending, ties by ask order), the best
 *   n_good = max(1, ceil(gamma · n)) form the "good" set and the rest the "bad" set. Per dimension
 *   (independent, as in the paper) each set gives a density over the K value indices: a mixture of
 *   a uniform prior (weight 1/(m+1)) and Gaussian kernels at the m observed indices with bandwidth
 *   h = max(1, K / (m + 1)^(1/5)) — numeric domains — or, for lists of strings/booleans,
 *   smoothed category frequencies (count + 1)/(m + K).
 * - Each new point is the best of `candidates` draws from the good density l(x) by l(x)/g(x)
 *   (summing log-ratios over dimensions), skipping points already asked or failing the conditions.
 * - `ask(n)` proposes n points from the same model (batch mode, so workers stay busy); the model is
 *   refitted at the next ask after `tell`. The batch size is fixed by the driver, never by the
 *   number of workers, so results do not depend on it.
 */
import { createRng, type Rng } from '../../random/index.js';
import type { ParamPoint, ParameterSpace } from '../space/space.js';
import { randomRawPoint, rawKey } from './basic.js';
import type { Sampler } from './types.js';

export interface TpeOptions {
  readonly trials: number;
  readonly seed: number;
  readonly startup?: number;
  readonly gamma?: number;
  readonly candidates?: number;
}

interface Obs { readonly idx: readonly number[]; readonly score: number; readonly order: number }
/** One fit: the good/bad split and memo tables of log l(x_d = k) and log g(x_d = k) (NaN = not computed yet). */
interface Model { readonly good: Obs[]; readonly bad: Obs[]; readonly goodLog: Float64Array[]; readonly badLog: Float64Array[] }

const MAX_TRIES = 200;

export class TpeSampler implements Sampler {
  readonly kind = 'tpe' as const;
  readonly adaptive = true;
  readonly planned: number;
  private readonly rng: Rng;
  private readonly startup: number;
  private readonly gamma: number;
  private readonly candidates: number;
  private readonly obs: Obs[] = [];
  private readonly seen = new Set<string>();
  private asked = 0;
  private readonly numeric: readonly boolean[];

  constructor(private readonly space: ParameterSpace, opts: TpeOptions) {
    this.rng = createRng(opts.seed);
    this.planned = Math.min(opts.trials, space.rawSize);
    this.startup = Math.min(this.planned, opts.startup ?? Math.max(10, Math.ceil(this.planned / 10)));
    this.gamma = opts.gamma ?? 0.25;
    this.candidates = opts.candidates ?? 24;
    this.numeric = space.values.map((vals) => vals.every((v) => typeof v === 'number'));
  }

  ask(n: number): ParamPoint[] {
    const out: ParamPoint[] = [];
    const model = this.asked >= this.startup && this.obs.length > 0 ? this.fit() : undefined;
    while (out.length < n && this.asked < this.planned) {
      const p = model === undefined ? this.randomNew() : this.proposeNew(model);
      if (p === undefined) { this.asked = this.planned; break; } // space exhausted
      this.seen.add(rawKey(this.space, p));
      out.push(p);
      this.asked++;
    }
    return out;
  }

  tell(points: readonly ParamPoint[], scores: readonly number[]): void {
    points.forEach((p, i) => {
      const s = scores[i];
      const idx = this.space.names.map((name, d) => (this.space.values[d] ?? []).indexOf(p[name] as never));
      this.obs.push({ idx, score: s === undefined || Number.isNaN(s) ? Number.NEGATIVE_INFINITY : s, order: this.obs.length });
    });
  }

  private randomNew(): ParamPoint | undefined {
    for (let t = 0; t < MAX_TRIES * 10; t++) {
      const p = randomRawPoint(this.space, this.rng);
      if (!this.seen.has(rawKey(this.space, p)) && this.space.accepts(p)) return p;
    }
    return undefined;
  }

  private fit(): Model {
    const sorted = this.obs.slice().sort((a, b) => (b.score - a.score) || (a.order - b.order));
    const nGood = Math.max(1, Math.ceil(this.gamma * sorted.length));
    const table = (): Float64Array[] => this.space.values.map((vals) => new Float64Array(vals.length).fill(Number.NaN));
    return { good: sorted.slice(0, nGood), bad: sorted.slice(nGood), goodLog: table(), badLog: table() };
  }

  /** logDensity memoized per model (one fit serves a whole batch): same values, O(1) after the first use of (d, k). */
  private cachedLogDensity(tab: Float64Array[], d: number, set: readonly Obs[], k: number): number {
    const row = tab[d];
    const hit = row?.[k];
    if (row === undefined || hit === undefined || !Number.isNaN(hit)) return hit ?? this.logDensity(d, set, k);
    const v = this.logDensity(d, set, k);
    row[k] = v;
    return v;
  }

  private logDensity(d: number, set: readonly Obs[], k: number): number {
    const K = (this.space.values[d] ?? []).length;
    const m = set.length;
    if (!(this.numeric[d] ?? false)) {
      let count = 0;
      for (const o of set) if (o.idx[d] === k) count++;
      return Math.log((count + 1) / (m + K));
    }
    const h = Math.max(1, K / (m + 1));
    const prior = 1 / (m + 1);
    let mix = 0;
    for (const o of set) {
      const z = (k - (o.idx[d] ?? 0)) / h;
      mix += Math.exp(-0.5 * z * z) / (h * Math.sqrt(2 * Math.PI));
    }
    return Math.log(prior / K + (m === 0 ? 0 : ((1 - prior) * mix) / m));
  }

  private sampleFromGood(d: number, good: readonly Obs[]): number {
    const K = (this.space.values[d] ?? []).length;
    const m = good.length;
    const prior = 1 / (m + 1);
    if (!(this.numeric[d] ?? false)) {
      // Categorical: draw an index proportionally to (count + 1).
      const w = new Array<number>(K).fill(1);
      for (const o of good) w[o.idx[d] ?? 0] = (w[o.idx[d] ?? 0] ?? 1) + 1;
      let u = this.rng.uniform() * (m + K);
      for (let k = 0; k < K; k++) { u -= w[k] ?? 0; if (u < 0) return k; }
      return K - 1;
    }
    if (this.rng.uniform() < prior) return this.rng.int(0, K - 1);
    const centre = good[this.rng.int(0, m - 1)]?.idx[d] ?? 0;
    const h = Math.max(1, K / (m + 1));
    const k = Math.round(centre + h * this.rng.normal());
    return Math.min(K - 1, Math.max(0, k));
  }

  private proposeNew(model: Model): ParamPoint | undefined {
    let best: ParamPoint | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    let drawn = 0;
    for (let t = 0; t < MAX_TRIES && drawn < this.candidates; t++) {
      const idx = this.space.values.map((_, d) => this.sampleFromGood(d, model.good));
      const p = this.space.pointFromIndices(idx);
      if (this.seen.has(rawKey(this.space, p)) || !this.space.accepts(p)) continue;
      drawn++;
      let s = 0;
      for (let d = 0; d < idx.length; d++) {
        s += this.cachedLogDensity(model.goodLog, d, model.good, idx[d] ?? 0) - this.cachedLogDensity(model.badLog, d, model.bad, idx[d] ?? 0);
      }
      if (s > bestScore) { bestScore = s; best = p; }
    }
    return best ?? this.randomNew();
  }
}

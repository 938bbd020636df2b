/**
 * Non-adaptive samplers: grid (every accepted point in grid order), random (distinct accepted
 * points drawn uniformly without replacement) and Latin hypercube (stratified per dimension).
 * All draw from the engine's seeded PRNG only.
 */
import { createRng, type Rng } from '../../random/index.js';
import { SweepError } from '../errors.js';
import type { ParamPoint, ParameterSpace } from '../space/space.js';
import type { Sampler, SamplerKind } from './types.js';

/** Raw spaces up to this size are enumerated so random sampling is exact without replacement. */
const ENUMERATE_BELOW = 2_000_000;
/** Rejection sampling gives up after trials × this many draws. */
const MAX_DRAWS_PER_TRIAL = 1000;

class ListSampler implements Sampler {
  readonly adaptive = false;
  private next = 0;
  constructor(readonly kind: SamplerKind, private readonly points: readonly ParamPoint[]) {}
  get planned(): number { return this.points.length; }
  ask(n: number): ParamPoint[] {
    const out = this.points.slice(this.next, this.next + n);
    this.next += out.length;
    return out;
  }
  tell(): void { /* not adaptive */ }
}

export function checkTrials(trials: number | undefined, kind: SamplerKind): number {
  if (trials === undefined || !Number.isSafeInteger(trials) || trials < 1) {
    throw new SweepError('INVALID_SAMPLER', `sampler '${kind}' needs an integer trials >= 1, got ${String(trials)}`, { field: 'trials', sampler: kind });
  }
  return trials;
}

export function gridSampler(space: ParameterSpace): Sampler {
  const { points } = space.enumerate();
  return new ListSampler('grid', points);
}

function rawKey(space: ParameterSpace, p: ParamPoint): string {
  return space.names.map((n) => `${typeof p[n]}:${String(p[n])}`).join('|');
}

/** Uniform random point of the raw product (then filtered by the caller). */
export function randomRawPoint(space: ParameterSpace, rng: Rng): ParamPoint {
  return space.pointFromIndices(space.values.map((v) => rng.int(0, v.length - 1)));
}

export function randomSampler(space: ParameterSpace, trials: number, seed: number): Sampler {
  const rng = createRng(seed);
  if (space.rawSize <= ENUMERATE_BELOW) {
    const { points } = space.enumerate();
    // Partial Fisher–Yates: the first `trials` of a seeded shuffle, without replacement.
    const k = Math.min(trials, points.length);
    const copy = points.slice();
    for (let i = 0; i < k; i++) {
      const j = rng.int(i, copy.length - 1);
      const a = copy[i] as ParamPoint;
      copy[i] = copy[j] as ParamPoint;
      copy[j] = a;
    }
    return new ListSampler('random', copy.slice(0, k));
  }
  const seen = new Set<string>();
  const out: ParamPoint[] = [];
  for (let draws = 0; out.length < trials && draws < trials * MAX_DRAWS_PER_TRIAL; draws++) {
    const p = randomRawPoint(space, rng);
    const key = rawKey(space, p);
    if (seen.has(key) || !space.accepts(p)) continue;
    seen.add(key);
    out.push(p);
  }
  return new ListSampler('random', out);
}

/**
 * Latin hypercube over the value indices: for n points each dimension is cut into n equal strata
 * of [0, 1), each stratum used once (a seeded permutation per dimension), jittered uniformly inside
 * it, and mapped to value index floor(u · K). Points failing the conditions or repeating an earlier
 * point are dropped and a new design is drawn for the remainder, up to 50 rounds.
 */
export function lhsSampler(space: ParameterSpace, trials: number, seed: number): Sampler {
  const rng = createRng(seed);
  const seen = new Set<string>();
  const out: ParamPoint[] = [];
  for (let round = 0; round < 50 && out.length < trials; round++) {
    const n = trials - out.length;
    const perms = space.values.map(() => rng.shuffle(Array.from({ length: n }, (_, i) => i)));
    for (let i = 0; i < n; i++) {
      const idx = space.values.map((vals, d) => {
        const u = ((perms[d]?.[i] ?? 0) + rng.uniform()) / n;
        return Math.min(vals.length - 1, Math.floor(u * vals.length));
      });
      const p = space.pointFromIndices(idx);
      const key = rawKey(space, p);
      if (seen.has(key) || !space.accepts(p)) continue;
      seen.add(key);
      out.push(p);
    }
  }
  return new ListSampler('lhs', out);
}

export { rawKey };

import { SweepError } from '../errors.js';
import type { ParameterSpace } from '../space/space.js';
import { checkTrials, gridSampler, lhsSampler, randomSampler } from './basic.js';
import { TpeSampler } from './tpe.js';
import { SAMPLER_KINDS, type Sampler, type SamplerKind, type SamplerOptions } from './types.js';

export type { Sampler, SamplerKind, SamplerOptions } from './types.js';
export { SAMPLER_KINDS } from './types.js';

/** Builds a sampler (check the cap with `planCount` first: grid enumerates its whole space). */
export function createSampler(kind: SamplerKind, space: ParameterSpace, opts: SamplerOptions = {}): Sampler {
  const seed = opts.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new SweepError('INVALID_SAMPLER', `seed must be a safe integer, got ${String(seed)}`, { field: 'seed' });
  switch (kind) {
    case 'grid': return gridSampler(space);
    case 'random': return randomSampler(space, checkTrials(opts.trials, kind), seed);
    case 'lhs': return lhsSampler(space, checkTrials(opts.trials, kind), seed);
    case 'tpe': return new TpeSampler(space, { trials: checkTrials(opts.trials, kind), seed });
    default: {
      const k: unknown = kind;
      throw new SweepError('INVALID_SAMPLER', `unknown sampler '${String(k)}' (${SAMPLER_KINDS.join(', ')})`, { field: 'sampler' });
    }
  }
}

/**
 * Bootstrap coverage on known distributions. Oracle: the true parameter of the generating
 * distribution. Sizes: 200 runs x 300 resamples x 250 returns per check (15 M draws, about half a
 * second) -- enough for a binomial tolerance: with coverage 0.95 the number of covering runs out of
 * 200 has sd sqrt(200 * 0.95 * 0.05) = 3.08, so [181, 199] is 190 +/- 3 sd. The runs use fixed seeds,
 * so the check is deterministic (it cannot flicker), and a wrong interval (e.g. the standard error
 * ignored or the quantiles swapped) covers far less often.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../random/index.js';
import { bootstrapCi } from './bootstrap.js';

const RUNS = 200;
const N = 250;
const RESAMPLES = 300;

describe('bootstrapCi', () => {
  it('the 95% Sharpe interval covers the true Sharpe of iid normal returns in ~95% of runs', () => {
    // r ~ N(mu, sigma^2) iid: true per-bar Sharpe mu / sigma = 0.1 (ppy 1: no annualization).
    const mu = 0.001;
    const sigma = 0.01;
    let covered = 0;
    let simple = 0;
    for (let run = 0; run < RUNS; run++) {
      const rng = createRng(1000 + run);
      const r = Array.from({ length: N }, () => mu + sigma * rng.normal());
      const ci = bootstrapCi(r, { seed: run, periodsPerYear: 1, resamples: RESAMPLES });
      if (ci.sharpe.low <= mu / sigma && mu / sigma <= ci.sharpe.high) covered++;
      if (ci.method === 'simple') simple++;
      expect(ci.sharpe.low).toBeLessThanOrEqual(ci.sharpe.high);
    }
    expect(covered).toBeGreaterThanOrEqual(181);
    expect(covered).toBeLessThanOrEqual(199);
    // iid data: rho(1) falls outside the 95% band in ~5% of runs only, so the simple method dominates.
    expect(simple).toBeGreaterThan(RUNS * 0.85);
  });

  it('the 95% CAGR interval covers the true growth rate of iid log-normal returns in ~95% of runs', () => {
    // 1 + r = exp(z), z ~ N(m, s^2): per-period CAGR (ppy 1) = exp(E z) - 1 = exp(m) - 1 exactly.
    const m = 0.0005;
    const s = 0.01;
    const truth = Math.exp(m) - 1;
    let covered = 0;
    for (let run = 0; run < RUNS; run++) {
      const rng = createRng(5000 + run);
      const r = Array.from({ length: N }, () => Math.exp(m + s * rng.normal()) - 1);
      const ci = bootstrapCi(r, { seed: run, periodsPerYear: 1, resamples: RESAMPLES });
      if (ci.cagr.low <= truth && truth <= ci.cagr.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(181);
    expect(covered).toBeLessThanOrEqual(199);
  });

  it('chooses a block length on autocorrelated returns, records it, and is deterministic', () => {
    // AR(1) with phi = 0.6, n = 1000: rho(k) = 0.6^k falls below the band 1.96/sqrt(1000) = 0.062 at k = 6
    // (0.6^5 = 0.078, 0.6^6 = 0.047); the sample ACF lands within a lag or two of that.
    const rng = createRng(77);
    const r: number[] = [];
    let x = 0;
    for (let t = 0; t < 1000; t++) {
      x = 0.6 * x + 0.01 * rng.normal();
      r.push(0.0003 + x);
    }
    const a = bootstrapCi(r, { seed: 9, periodsPerYear: 252 });
    expect(a.method).toBe('hadj_bb');
    expect(a.block_length).toBeGreaterThanOrEqual(4);
    expect(a.block_length).toBeLessThanOrEqual(8);
    expect(a).toMatchObject({ jitter: 1, fallback: false, resamples: 1000, level: 0.95, observations: 1000 });
    const b = bootstrapCi(r, { seed: 9, periodsPerYear: 252 });
    expect(b).toEqual(a);
    expect(bootstrapCi(r, { seed: 10, periodsPerYear: 252 }).sharpe.low).not.toBe(a.sharpe.low);
    // Wider than the iid interval on the same data (positive autocorrelation inflates the variance of the mean).
    const iid = bootstrapCi(r, { seed: 9, periodsPerYear: 252, blockLength: 1 });
    expect(iid.method).toBe('simple');
    expect(a.sharpe.high - a.sharpe.low).toBeGreaterThan(1.3 * (iid.sharpe.high - iid.sharpe.low));
  });

  it('rejects bad input with stable codes', () => {
    const code = (f: () => unknown): string => { try { f(); } catch (e) { return (e as { code: string }).code; } return ''; };
    expect(code(() => bootstrapCi([0.1], { seed: 1, periodsPerYear: 1 }))).toBe('VALIDATION_TOO_FEW_RETURNS');
    expect(code(() => bootstrapCi([0.1, Number.NaN], { seed: 1, periodsPerYear: 1 }))).toBe('VALIDATION_NON_FINITE');
    expect(code(() => bootstrapCi([0.1, 0.2], { seed: 1, periodsPerYear: 1, resamples: 5 }))).toBe('VALIDATION_BAD_OPTION');
    expect(code(() => bootstrapCi([0.1, 0.2], { seed: 1, periodsPerYear: 0 }))).toBe('VALIDATION_BAD_OPTION');
  });
});

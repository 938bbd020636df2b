import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/index.js';
import { assembleBlockStats, blockSums } from './blocks.js';
import { deflatedSharpe, expectedMaxSharpe, moments } from './dsr.js';
import { normalCdf, normalInv } from './normal.js';
import { combinations, probabilityOfBacktestOverfitting } from './pbo.js';

describe('normal distribution', () => {
  it('matches tabulated values (scipy.stats.norm.cdf / ppf)', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 15);
    expect(normalCdf(-1.96)).toBeCloseTo(0.024997895148220435, 15);
    expect(normalInv(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalInv(0.01)).toBeCloseTo(-2.3263478740408408, 13);
    expect(normalInv(0.5)).toBe(0);
  });
  it('inverts itself to double precision across the range', () => {
    for (const p of [1e-12, 1e-6, 0.001, 0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999999]) {
      expect(Math.abs(normalCdf(normalInv(p)) - p) / p).toBeLessThan(1e-13);
    }
  });
});

describe('moments', () => {
  it('matches the hand computation for [1, 2, 3, 4, 10]', () => {
    // mean 4; deviations -3,-2,-1,0,6; m2 = 50/5 = 10, m3 = 180/5 = 36, m4 = 1394/5 = 278.8;
    // std (ddof 1) = √(50/4); skew = 36 / 10^1.5 = 1.13842…; kurtosis = 278.8 / 100 = 2.788.
    const m = moments([1, 2, 3, 4, 10]);
    expect(m.mean).toBe(4);
    expect(m.std).toBeCloseTo(Math.sqrt(12.5), 14);
    expect(m.skewness).toBeCloseTo(36 / Math.pow(10, 1.5), 14);
    expect(m.kurtosis).toBeCloseTo(2.788, 14);
  });
});

describe('deflated Sharpe ratio (Bailey & López de Prado 2014)', () => {
  it("reproduces the paper's numerical example (DSR ≈ 0.9004)", () => {
    // Paper: N = 100 trials, annualized SR* = 2.5, annualized V[SR] = 0.5, T = 1,250 daily
    // returns (250 per year), skewness −3, kurtosis 10.
    // By hand, per day: V = 0.5/250 = 0.002, √V = 0.0447214; Φ⁻¹(1 − 1/100) = 2.326348,
    // Φ⁻¹(1 − 1/(100e)) = Φ⁻¹(0.9963212) = 2.680210; (1 − γ)·2.326348 + γ·2.680210
    // = 0.983529 + 1.547077 = 2.530606; SR0 = 0.0447214 · 2.530606 = 0.113172 (paper: 0.1132).
    // SR* = 2.5/√250 = 0.1581139; numerator (0.1581139 − 0.1131720)·√1249 = 0.0449419·35.34119
    // = 1.588302; radicand 1 + 3·0.1581139 + (9/4)·0.025 = 1.5305917, √ = 1.237171;
    // z = 1.283816; Φ(z) = 0.900397 (the paper: 0.9004).
    const sr = 2.5 / Math.sqrt(250);
    const r = deflatedSharpe({ sr, trials: 100, trialSrVariance: 0.5 / 250, observations: 1250, skewness: -3, kurtosis: 10 });
    expect(r.sr0).toBeCloseTo(0.113172, 6);
    expect(r.z).toBeCloseTo(1.283816, 5);
    expect(r.dsr).toBeCloseTo(0.900397, 6);
    expect(Math.abs(r.dsr - 0.9004)).toBeLessThan(5e-5);
  });
  it('is an independent recomputation of the formula on other inputs', () => {
    // Straight-line oracle: the formula written out again with scipy-tabulated quantiles
    // Φ⁻¹(1 − 1/10) = 1.2815515655446004, Φ⁻¹(1 − 1/(10e)) = 1.7892564...
    const z1 = 1.2815515655446004;
    const z2 = normalInv(1 - 1 / (10 * Math.E));
    const sr0 = Math.sqrt(0.01) * ((1 - 0.5772156649015329) * z1 + 0.5772156649015329 * z2);
    expect(expectedMaxSharpe(10, 0.01)).toBeCloseTo(sr0, 12);
    const r = deflatedSharpe({ sr: 0.2, trials: 10, trialSrVariance: 0.01, observations: 500, skewness: 0.5, kurtosis: 4 });
    const z = ((0.2 - sr0) * Math.sqrt(499)) / Math.sqrt(1 - 0.5 * 0.2 + (3 / 4) * 0.04);
    expect(r.z).toBeCloseTo(z, 12);
    expect(r.dsr).toBeCloseTo(normalCdf(z), 14);
  });
  it('without selection (one trial) SR0 is 0 and DSR is the probabilistic Sharpe ratio', () => {
    const r = deflatedSharpe({ sr: 0.1, trials: 1, trialSrVariance: Number.NaN, observations: 101, skewness: 0, kurtosis: 3 });
    expect(r.sr0).toBe(0);
    // z = 0.1·√100 / √(1 + 0.5·0.01) = 1 / 1.0024969
    expect(r.z).toBeCloseTo(1 / Math.sqrt(1.005), 14);
  });
});

/** Straight-line CSCV oracle over the full return matrix (returns[c][t]), no aggregates. */
function naivePbo(returns: number[][], S: number): { pbo: number; logits: number[] } {
  const L = returns[0]?.length ?? 0;
  const blockOf = (t: number): number => { for (let b = S - 1; b >= 0; b--) if (t >= Math.floor((b * L) / S)) return b; return 0; };
  const sharpe = (xs: number[]): number => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
    return v > 0 ? m / Math.sqrt(v) : 0;
  };
  const logits: number[] = [];
  for (const J of combinations(S, S / 2)) {
    const inJ = (t: number): boolean => J.includes(blockOf(t));
    const is = returns.map((r) => sharpe(r.filter((_, t) => inJ(t))));
    const oos = returns.map((r) => sharpe(r.filter((_, t) => !inJ(t))));
    let best = 0;
    is.forEach((v, c) => { if (v > (is[best] ?? 0)) best = c; });
    const ob = oos[best] ?? 0;
    const rank = 1 + oos.filter((v, c) => c !== best && v < ob).length + 0.5 * oos.filter((v, c) => c !== best && v === ob).length;
    const w = rank / (returns.length + 1);
    logits.push(Math.log(w / (1 - w)));
  }
  return { pbo: logits.filter((l) => l <= 0).length / logits.length, logits };
}

function pboOf(returns: number[][], S: number): ReturnType<typeof probabilityOfBacktestOverfitting> {
  const L = returns[0]?.length ?? 0;
  return probabilityOfBacktestOverfitting(assembleBlockStats(L, S, returns.map((r) => blockSums(r, S))));
}

describe('probability of backtest overfitting (CSCV, Bailey et al. 2017)', () => {
  it('hand example: the in-sample winner always loses out of sample -> PBO 1', () => {
    // Two blocks of two returns. A: [0.02, 0.04 | -0.01, -0.03] -> block Sharpes 2.121, -1.414.
    // B: [0.00, 0.02 | 0.01, 0.03] -> 0.707, 1.414. Split IS={0}: A wins IS, OOS A -1.414 < B:
    // rank 1 of 2, ω = 1/3, λ = ln(1/2) = -0.693. Split IS={1}: B wins, OOS B 0.707 < A 2.121:
    // λ = -0.693 again. PBO = 2/2 = 1.
    const r = pboOf([[0.02, 0.04, -0.01, -0.03], [0.0, 0.02, 0.01, 0.03]], 2);
    expect(r.splits).toBe(2);
    expect(r.pbo).toBe(1);
    expect(r.logits.length).toBe(2);
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(0.5), 14);
  });
  it('hand example: a dominant strategy -> PBO 0 (λ = ln 2 on both splits)', () => {
    const r = pboOf([[0.02, 0.04, 0.03, 0.05], [0.0, 0.02, 0.01, 0.03]], 2);
    expect(r.pbo).toBe(0);
    expect(r.logits.length).toBe(2);
    for (const l of r.logits) expect(l).toBeCloseTo(Math.log(2), 14);
  });
  it('equals a straight-line implementation on random returns (N = 7, S = 8, 70 splits)', () => {
    const rng = createRng(42);
    const returns = Array.from({ length: 7 }, (_, c) => Array.from({ length: 203 }, () => 0.0002 * c + 0.01 * rng.normal()));
    const got = pboOf(returns, 8);
    const want = naivePbo(returns, 8);
    expect(got.splits).toBe(70);
    expect(got.pbo).toBe(want.pbo);
    got.logits.forEach((l, i) => expect(l).toBeCloseTo(want.logits[i] ?? Number.NaN, 12));
    expect(got.block_counts.reduce((a, b) => a + b, 0)).toBe(203);
  });
  it('pure noise gives a middling PBO, real skill a PBO near 0 (16 blocks, C(16, 8) = 12,870 splits)', () => {
    expect(combinations(16, 8).length).toBe(12870);
    const rng = createRng(1);
    const noise = Array.from({ length: 20 }, () => Array.from({ length: 320 }, () => 0.01 * rng.normal()));
    const r = pboOf(noise, 16);
    expect(r.splits).toBe(12870);
    expect(r.pbo).toBeGreaterThan(0.2);
    expect(r.pbo).toBeLessThan(0.8);
    // Strategy c drifts by 0.002·c per bar with noise 0.01: the best in sample is the best out of sample.
    const skill = Array.from({ length: 20 }, (_, c) => Array.from({ length: 320 }, () => 0.002 * c + 0.01 * rng.normal()));
    expect(pboOf(skill, 16).pbo).toBeLessThan(0.05);
  });
});

describe('parallel PBO shares', () => {
  it('the shares of any split of the work reassemble the exact single-thread logits', async () => {
    const { pboWorkParts, pboLogitsPart, pboFromLogits } = await import('./pbo.js');
    const rng = createRng(9);
    const returns = Array.from({ length: 9 }, (_, c) => Array.from({ length: 160 }, () => 0.0003 * c + 0.01 * rng.normal()));
    const st = assembleBlockStats(160, 16, returns.map((r) => blockSums(r, 16)));
    const whole = probabilityOfBacktestOverfitting(st);
    for (const parts of [1, 2, 3, 7]) {
      const groups = pboWorkParts(16, parts);
      expect(groups.length).toBe(parts);
      const merged = new Float64Array(whole.splits).fill(Number.NaN);
      for (const g of groups) pboLogitsPart(st, g).forEach((l, i) => { if (!Number.isNaN(l)) { expect(Number.isNaN(merged[i] ?? 0)).toBe(true); merged[i] = l; } });
      expect(Array.from(merged)).toEqual(Array.from(whole.logits));
      expect(pboFromLogits(st, merged).pbo).toBe(whole.pbo);
    }
    // S = 4: prefixes of depth half = 2 are the sets themselves, {0,1}, {0,2}, {0,3}, one set each.
    expect(pboWorkParts(4, 3)).toEqual([['0,1'], ['0,2'], ['0,3']]);
  });
});

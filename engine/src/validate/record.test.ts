import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random/index.js';
import { runBacktest } from '../backtest/run.js';
import { generateSyntheticBars } from '../data/synthetic.js';
import { compileStrategy } from '../strategy/index.js';
import { backtestReturns, validateBacktest } from './backtest-input.js';
import { subSeed, toValidationRecord, validateRun, validationSeed } from './record.js';
import { sharpeOf } from './stats.js';

describe('validation seed and record', () => {
  it('seed = sha256(canonical config) mod 2^32', () => {
    // Oracle: node:crypto over the hand-written canonical JSON (sorted keys, no whitespace).
    const hex = createHash('sha256').update('{"a":1,"b":[2,"x"]}').digest('hex');
    const want = Number(BigInt(`0x${hex}`) % 2n ** 32n);
    expect(validationSeed({ b: [2, 'x'], a: 1 })).toBe(want);
    expect(subSeed(want, 'permutation')).not.toBe(subSeed(want, 'bootstrap'));
  });

  it('fills the AlphaForge Validation row; simple method -> block length and jitter null', () => {
    const rng = createRng(8);
    const r = Float64Array.from({ length: 300 }, () => 0.0005 + 0.01 * rng.normal());
    const exposure = new Float64Array(300).fill(1);
    const a = validateRun({ config: { strategy: 'x', p: 1 }, runHash: 'rh', returns: r, permutation: { marketReturns: r, exposure }, periodsPerYear: 252, permutationOptions: { permutations: 100 }, bootstrapOptions: { resamples: 200 } });
    expect(Object.keys(a.record).sort()).toEqual(['bootstrap_block_length', 'bootstrap_cagr_high', 'bootstrap_cagr_low', 'bootstrap_fallback', 'bootstrap_jitter', 'bootstrap_method', 'bootstrap_sharpe_high', 'bootstrap_sharpe_low', 'payload_json', 'permutation_pvalue', 'run_hash']);
    expect(a.record.run_hash).toBe('rh');
    expect(a.record.permutation_pvalue).toBe(a.payload.permutation?.p_value);
    expect(a.record.bootstrap_sharpe_low).toBe(a.payload.bootstrap?.sharpe.low);
    expect(a.payload.seed_root).toBe(validationSeed({ strategy: 'x', p: 1 }));
    expect(a.payload.bootstrap?.seed).toBe(subSeed(a.payload.seed_root, 'bootstrap'));
    if (a.record.bootstrap_method === 'simple') {
      expect(a.record.bootstrap_block_length).toBeNull();
      expect(a.record.bootstrap_jitter).toBeNull();
    }
    // Same config -> bit-identical record; another config -> other seeds.
    const again = validateRun({ config: { p: 1, strategy: 'x' }, runHash: 'rh', returns: r, permutation: { marketReturns: r, exposure }, periodsPerYear: 252, permutationOptions: { permutations: 100 }, bootstrapOptions: { resamples: 200 } });
    expect(again.record).toEqual(a.record);
    const other = validateRun({ config: { p: 2, strategy: 'x' }, runHash: 'rh', returns: r, periodsPerYear: 252, bootstrapOptions: { resamples: 200 } });
    expect(other.record.bootstrap_sharpe_low).not.toBe(a.record.bootstrap_sharpe_low);
    expect(other.record.permutation_pvalue).toBeNull();
    expect(JSON.parse(a.record.payload_json)).toMatchObject({ seed_root: a.payload.seed_root, walk_forward: null });
  });

  it('records hadj_bb with its block length and jitter, and the fallback flag', () => {
    const payload = (method: 'hadj_bb' | 'simple', fallback: boolean) => ({
      seed_root: 1, config_hash: 'h', permutation: null, walk_forward: null,
      bootstrap: { sharpe: { estimate: 1, low: 0.5, high: 1.5 }, cagr: { estimate: 0.1, low: 0, high: Number.NaN }, level: 0.95, resamples: 10, seed: 1, method, block_length: method === 'simple' ? null : 4, jitter: method === 'simple' ? null : 1, fallback, reason: 'acf' as const, observations: 100 },
    });
    expect(toValidationRecord('r', payload('hadj_bb', false))).toMatchObject({ bootstrap_method: 'hadj_bb', bootstrap_block_length: 4, bootstrap_jitter: 1, bootstrap_fallback: 0, bootstrap_cagr_high: null });
    expect(toValidationRecord('r', payload('simple', true))).toMatchObject({ bootstrap_method: 'simple', bootstrap_block_length: null, bootstrap_jitter: null, bootstrap_fallback: 1 });
  });
});

describe('validateBacktest', () => {
  it('feeds the backtest\'s net returns to the bootstrap and the backtest itself to the permutation test', () => {
    const bars = generateSyntheticBars({ length: 400, seed: 5, interval: '1d' });
    const sig = compileStrategy({ entry: 'cross_above(sma(close, 5), sma(close, 20))', exit: 'cross_below(sma(close, 5), sma(close, 20))' }, {}).evaluate({ bars });
    const result = runBacktest(bars, sig, {});
    const r = backtestReturns(result);
    // Oracle: the backtester's own Sharpe is computed on these same returns.
    expect(sharpeOf(r, result.periodsPerYear)).toBeCloseTo(result.metrics.sharpe_ratio, 12);
    const v = validateBacktest({ config: { s: 1 }, runHash: 'x', bars, signals: sig, result, permutationOptions: { permutations: 50 }, bootstrapOptions: { resamples: 50 } });
    expect(v.payload.bootstrap?.sharpe.estimate).toBeCloseTo(result.metrics.sharpe_ratio, 12);
    // The permutation test's statistic is the backtest's own (net) Sharpe, named as such in the payload.
    expect(v.payload.permutation?.statistic).toBe('strategy_net');
    expect(v.payload.permutation?.observed).toBe(result.metrics.sharpe_ratio);
    expect(JSON.parse(v.record.payload_json)).toMatchObject({ permutation: { statistic: 'strategy_net', observed: result.metrics.sharpe_ratio } });
    expect(v.record.permutation_pvalue).toBeGreaterThan(0);
    expect(v.record.permutation_pvalue).toBeLessThanOrEqual(1);
  });
});

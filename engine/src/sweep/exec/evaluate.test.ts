/**
 * JobEvaluator's config_hash: built from a cached canonical head plus the canonical params. Oracle:
 * finalize.ts comboConfigHash (configHash of the whole bound run, canonicalized from scratch).
 */
import { describe, expect, it } from 'vitest';
import { MarketPrefix } from '../../backtest/market.js';
import { generateSyntheticBars } from '../../data/index.js';
import { comboConfigHash } from '../finalize.js';
import { JobEvaluator } from './evaluate.js';
import { bindPoint, type SweepTarget } from './target.js';
import { K_METRICS, RESULT_METRICS } from './protocol.js';

describe('JobEvaluator config_hash', () => {
  it('equals comboConfigHash for every point, with aliases, decimals and swept backtest settings', () => {
    const bars = generateSyntheticBars({ length: 300, seed: 3, interval: '1d' });
    const target: SweepTarget = {
      kind: 'rules', entry: 'cross_above(sma(close, fast), sma(close, slow)) and rsi(close, 14) > lvl', exit: 'cross_below(sma(close, fast), sma(close, slow))',
      params: { fast: 5, slow: 20, lvl: 40 }, aliases: { f: 'fast' }, backtest: { fill: 'close', commissionBps: 10 },
    };
    const ev = new JobEvaluator({ token: 't', bars, blocks: 4, cacheBytes: 1 << 24 });
    const points: Record<string, number>[] = [{ fast: 3, slow: 30, lvl: 35.5 }, { fast: 4, slow: 25, lvl: 0.1 }, { fast: 3, slow: 30, lvl: 35.5, fee_bps: 2.5 }, { fast: 7, slow: 11, lvl: -0 }];
    const m = new Float64Array(K_METRICS);
    const b = new Float64Array(8);
    const seen = new Set<string>();
    for (const p of points) {
      const h = ev.evaluateInto(bindPoint(target, p), m, 0, b, 0);
      expect(h).toBe(comboConfigHash(target, p));
      seen.add(h);
    }
    expect(seen.size).toBe(points.length); // distinct configurations, distinct hashes
  });
});

describe('JobEvaluator.returnsOf', () => {
  it('gives the per-bar returns of the run evaluateInto measured (oracle: its total return and block sums)', () => {
    const bars = generateSyntheticBars({ length: 400, seed: 11, interval: '1d' });
    const target: SweepTarget = {
      kind: 'rules', entry: 'cross_above(sma(close, fast), sma(close, slow))', exit: 'cross_below(sma(close, fast), sma(close, slow))',
      params: { fast: 5, slow: 20 }, backtest: { fill: 'close', commissionBps: 10 },
    };
    const S = 4;
    const ev = new JobEvaluator({ token: 'r', bars, blocks: S, cacheBytes: 1 << 24 });
    for (const p of [{ fast: 3, slow: 17 }, { fast: 8, slow: 30 }]) {
      const m = new Float64Array(K_METRICS);
      const sums = new Float64Array(2 * S);
      const run = bindPoint(target, p);
      ev.evaluateInto(run, m, 0, sums, 0);
      // Another run in between: returnsOf must not depend on what ran last.
      ev.evaluateInto(bindPoint(target, { fast: 4, slow: 9 }), new Float64Array(K_METRICS), 0, new Float64Array(2 * S), 0);
      const r = ev.returnsOf(run);
      expect(r.length).toBe(bars.length);
      let growth = 1;
      for (const x of r) growth *= 1 + x;
      expect(growth - 1).toBeCloseTo(m[RESULT_METRICS.indexOf('total_return')] as number, 9);
      const edges = [0, 100, 200, 300, 400];
      for (let b = 0; b < S; b++) {
        let s1 = 0;
        for (let t = edges[b] as number; t < (edges[b + 1] as number); t++) s1 += r[t] as number;
        expect(s1).toBeCloseTo(sums[b] as number, 12);
      }
    }
    ev.dispose();
  });
});

describe('JobEvaluator with the job\'s shared close prefix sums', () => {
  it('gives the same metrics and block sums, bit for bit, as an evaluator that builds its own (oracle)', () => {
    const bars = generateSyntheticBars({ length: 500, seed: 21, interval: '1d' });
    const target: SweepTarget = {
      kind: 'rules', entry: 'cross_above(sma(close, fast), sma(close, slow))', exit: 'cross_below(sma(close, fast), sma(close, slow))',
      params: { fast: 5, slow: 20 }, backtest: { fill: 'close', commissionBps: 10 },
    };
    const S = 4;
    const shared = (length: number): Float64Array => new Float64Array(new SharedArrayBuffer(8 * length));
    const market = new MarketPrefix(bars.close, shared).parts;
    expect(market.sums.buffer).toBeInstanceOf(SharedArrayBuffer);
    const own = new JobEvaluator({ token: 'own', bars, blocks: S, cacheBytes: 1 << 24 });
    const adopted = new JobEvaluator({ token: 'adopted', bars, blocks: S, cacheBytes: 1 << 24, market });
    let held = 0;
    for (const p of [{ fast: 3, slow: 17 }, { fast: 8, slow: 30 }, { fast: 2, slow: 60 }, { fast: 12, slow: 13 }]) {
      const run = bindPoint(target, p);
      const out = [own, adopted].map((ev) => {
        const m = new Float64Array(K_METRICS);
        const b = new Float64Array(2 * S);
        ev.evaluateInto(run, m, 0, b, 0);
        return [...m, ...b];
      });
      expect(out[1]).toEqual(out[0]);
      held += out[0]?.[RESULT_METRICS.indexOf('total_trades')] ?? 0;
    }
    // The runs held positions (the prefix sums were read).
    expect(held).toBeGreaterThan(0);
    own.dispose();
    adopted.dispose();
  });
});

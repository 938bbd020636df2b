import { describe, expect, it } from 'vitest';
import type { Bars } from '../data/bars.js';
import { MemoryResultStore } from './store.js';
import { runStrategyBacktest } from './strategy-run.js';

function bars(close: number[]): Bars {
  const c = Float64Array.from(close);
  return { symbol: 'TEST', interval: '1d', length: c.length, ts: Float64Array.from(close, (_, i) => i * 86_400_000), open: c, high: c, low: c, close: c, volume: new Float64Array(c.length) };
}

const B = bars([10, 11, 12, 11, 10, 9, 10, 11, 12, 13, 12, 11, 10, 11, 12]);

describe('runStrategyBacktest', () => {
  it('same inputs -> same run_hash, second run reused from the store', async () => {
    const store = new MemoryResultStore();
    const req = { bars: B, entry: 'close > sma(close, n)', exit: 'close < sma(close, n)', params: { n: 3 }, store };
    const a = await runStrategyBacktest(req);
    expect(a.reused).toBe(false);
    expect(a.result).toBeDefined();
    expect(a.summary.run_hash).toMatch(/^[0-9a-f]{64}$/);
    const b = await runStrategyBacktest(req);
    expect(b.reused).toBe(true);
    expect(b.summary).toEqual(a.summary);
  });

  it('the hash changes with params, config, rules and data', async () => {
    const base = { bars: B, entry: 'close > sma(close, n)', exit: 'close < sma(close, n)', params: { n: 3 } };
    const h = (await runStrategyBacktest(base)).summary.run_hash;
    const variants = [
      { ...base, params: { n: 4 } },
      { ...base, config: { slippageBps: 3 } },
      { ...base, exit: 'close < sma(close, n) or false' },
      { ...base, bars: bars([...Array.from(B.close.subarray(0, 14)), 12.5]) },
    ];
    const hashes = await Promise.all(variants.map(async (v) => (await runStrategyBacktest(v)).summary.run_hash));
    expect(new Set([h, ...hashes]).size).toBe(5);
    // explicit defaults hash like omitted defaults (the resolved config is hashed)
    expect((await runStrategyBacktest({ ...base, config: { slippageBps: 2 } })).summary.run_hash).toBe(h);
  });

  it('a rule already true at its first evaluable bar enters there (state, not crossing)', async () => {
    // rising closes: close > sma(close, 3) is unknown on bars 0-1 (warm-up) and true from bar 2 on
    const up = bars([1, 2, 3, 4, 5, 6]);
    const r = await runStrategyBacktest({ bars: up, entry: 'close > sma(close, 3)', exit: 'false', config: { fill: 'close' } });
    expect(Array.from(r.result?.fills.bar ?? [])).toEqual([2]);
    const o = await runStrategyBacktest({ bars: up, entry: 'close > sma(close, 3)', exit: 'false' });
    expect(Array.from(o.result?.fills.bar ?? [])).toEqual([3]); // next open after the first evaluable bar
  });

  it('reports trades and bars; rule errors surface before any work', async () => {
    const r = await runStrategyBacktest({ bars: B, entry: 'close > shift(close, 1)', exit: 'close < shift(close, 1)', config: { fill: 'close' } });
    expect(r.summary.bars).toBe(15);
    expect(r.summary.trades).toBe(r.result?.trades.entryBar.length);
    await expect(runStrategyBacktest({ bars: B, entry: 'close >', exit: 'false' })).rejects.toMatchObject({ code: 'EXPR_PARSE' });
  });
});

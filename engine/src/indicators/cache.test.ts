import { describe, expect, it } from 'vitest';
import { IndicatorCache, computeGrid, getIndicator, listIndicators } from './index.js';

function bars(n: number) {
  const close = new Float64Array(n);
  for (let i = 0; i < n; i++) close[i] = 100 + Math.sin(i / 3) * 5 + i * 0.1;
  const ts = new Float64Array(n).map((_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000);
  return { ts, open: close, high: close.map((v) => v + 1), low: close.map((v) => v - 1), close, volume: new Float64Array(n).fill(1000), length: n };
}

function sma(def: ReturnType<typeof getIndicator>) {
  if (def === undefined) throw new Error('sma not registered');
  return def;
}

describe('registry', () => {
  it('finds sma and ema by name, lists them, and returns undefined for unknown names', () => {
    expect(getIndicator('sma')?.name).toBe('sma');
    expect(getIndicator('ema')?.name).toBe('ema');
    expect(getIndicator('nope')).toBeUndefined();
    const names = listIndicators().map((d) => d.name);
    expect(names).toContain('sma');
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('IndicatorCache / computeGrid', () => {
  it('computes each distinct parameter set once (defaults and duplicates collapse)', () => {
    const def = sma(getIndicator('sma'));
    const b = bars(50);
    const cache = new IndicatorCache();
    const res = computeGrid(def, b, [{ period: 10 }, { period: 5 }, { period: 10 }, {}, { period: 20 }], cache);
    expect(res).toHaveLength(5);
    expect(cache.misses).toBe(3); // 10, 5, 20 (default 20 == explicit 20)
    expect(cache.hits).toBe(2);
    expect(res[0]?.outputs).toBe(res[2]?.outputs);
    expect(res[0]?.columns).toEqual(['sma_10']);
    // Oracle: the value at bar 9 of sma(10) is the mean of the first 10 closes (hand formula).
    let s = 0;
    for (let i = 0; i < 10; i++) s += b.close[i] as number;
    expect(res[0]?.outputs[0]?.[9]).toBeCloseTo(s / 10, 12);
  });

  it('expands a per-parameter grid as a cartesian product (last parameter fastest)', () => {
    const def = getIndicator('ema');
    if (def === undefined) throw new Error('ema missing');
    const res = computeGrid(def, bars(40), { period: [3, 5, 3] });
    expect(res.map((r) => r.params['period'])).toEqual([3, 5, 3]);
    expect(res[0]?.outputs).toBe(res[2]?.outputs);
  });

  it('keys on bars identity: other bars recompute', () => {
    const def = sma(getIndicator('sma'));
    const cache = new IndicatorCache();
    const a = cache.compute(def, bars(30), { period: 5 });
    const b = cache.compute(def, bars(30), { period: 5 });
    expect(a).not.toBe(b);
    expect(cache.misses).toBe(2);
  });

  it('memoizes computeFrom on the identity of the input arrays', () => {
    const def = sma(getIndicator('sma'));
    const b = bars(30);
    const cache = new IndicatorCache();
    const a1 = cache.computeFrom(def, [b.high], { period: 5 });
    const a2 = cache.computeFrom(def, [b.high], { period: 5 });
    const c = cache.computeFrom(def, [b.low], { period: 5 });
    expect(a1).toBe(a2);
    expect(c).not.toBe(a1);
    expect(cache.misses).toBe(2);
  });

  it('rejects a grid with an unknown parameter before computing anything', () => {
    const def = sma(getIndicator('sma'));
    const cache = new IndicatorCache();
    expect(() => computeGrid(def, bars(10), { length: [3] }, cache)).toThrowError(/length/);
    expect(() => computeGrid(def, bars(10), [{ period: 3 }, { period: 1 }], cache)).toThrowError(/period/);
    expect(cache.misses).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { SigmatiqError } from '../errors.js';
import { IndicatorCache } from '../indicators/cache.js';
import { defineIndicator } from '../indicators/define.js';
import type { IndicatorDef } from '../indicators/types.js';
import { compileCondition, compileStrategy, ENGINE_INDICATORS } from './expression.js';
import type { IndicatorLookup } from './types.js';

function bars(close: number[], extra: Partial<Record<'open' | 'high' | 'low' | 'volume', number[]>> = {}) {
  const n = close.length;
  const c = Float64Array.from(close);
  return {
    length: n,
    ts: Float64Array.from(close.map((_, i) => i * 86_400_000)),
    open: Float64Array.from(extra.open ?? close),
    high: Float64Array.from(extra.high ?? close.map((x) => x + 1)),
    low: Float64Array.from(extra.low ?? close.map((x) => x - 1)),
    close: c,
    volume: Float64Array.from(extra.volume ?? close.map(() => 100)),
  };
}

const sig = (u: Uint8Array): number[] => Array.from(u);

function err(f: () => unknown): SigmatiqError {
  try {
    f();
  } catch (e) {
    if (e instanceof SigmatiqError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

/** Naive trailing mean (oracle for SMA): NaN until `w` values. */
function naiveSma(x: number[], w: number): number[] {
  return x.map((_, i) => (i < w - 1 ? NaN : x.slice(i - w + 1, i + 1).reduce((a, b) => a + b, 0) / w));
}

// A two-output fixture indicator (not a copy of engine code): out0 = close + k, out1 = close - k.
const BAND: IndicatorDef = defineIndicator({
  name: 'band',
  description: 'test fixture',
  inputs: ['close'],
  params: [{ name: 'k', kind: 'float', default: 1, min: 0, max: 100 }],
  outputs: ['up', 'down'],
  lookbacks: () => [0, 0],
  kernel(inputs, p, out) {
    const [x] = inputs;
    const [u, d] = out;
    const k = p.k ?? 1;
    if (x === undefined || u === undefined || d === undefined) return;
    for (let i = 0; i < x.length; i++) {
      u[i] = (x[i] as number) + k;
      d[i] = (x[i] as number) - k;
    }
  },
});
const FIXTURES: IndicatorLookup = {
  get: (n) => (n === 'band' ? BAND : ENGINE_INDICATORS.get(n)),
  list: () => [...ENGINE_INDICATORS.list(), BAND],
};

describe('compileCondition: evaluation', () => {
  const b = bars([1, 2, 3, 4, 5, 4, 3, 2, 3, 4]);

  it('comparisons and arithmetic over bar fields', () => {
    // close*2 - 1 > 6  <=>  close > 3.5
    expect(sig(compileCondition('close * 2 - 1 > 6').evaluate({ bars: b }))).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 1]);
    expect(sig(compileCondition('-close <= -4').evaluate({ bars: b }))).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 1]);
    expect(sig(compileCondition('close == 3 or close != close').evaluate({ bars: b }))).toEqual([0, 0, 1, 0, 0, 0, 1, 0, 1, 0]);
    expect(sig(compileCondition('abs(close - 3) < 1').evaluate({ bars: b }))).toEqual([0, 0, 1, 0, 0, 0, 1, 0, 1, 0]);
    expect(sig(compileCondition('true').evaluate({ bars: b }))).toEqual(Array(10).fill(1));
  });

  it('inline sma equals a naive trailing mean; warm-up never signals, even under not', () => {
    const c = compileCondition('sma(close, 3) > 3');
    const oracle = naiveSma([1, 2, 3, 4, 5, 4, 3, 2, 3, 4], 3).map((v) => (v > 3 ? 1 : 0));
    expect(sig(c.evaluate({ bars: b }))).toEqual(oracle);
    // not(sma > 3): the first two bars are unknown (NaN), so they stay 0.
    const neg = compileCondition('not (sma(close, 3) > 3)').evaluate({ bars: b });
    expect(sig(neg).slice(0, 2)).toEqual([0, 0]);
    expect(sig(neg).slice(2)).toEqual(oracle.slice(2).map((v) => 1 - v));
    // Kleene: false and unknown = false, true or unknown = true.
    expect(sig(compileCondition('close > 100 or not (sma(close, 3) > 0)').evaluate({ bars: b }))).toEqual(Array(10).fill(0));
    expect(sig(compileCondition('close > 0 or sma(close, 3) > 0').evaluate({ bars: b }))).toEqual(Array(10).fill(1));
  });

  it('cross_above / cross_below fire on the crossing bar only', () => {
    // close vs 3.5: crosses above at i=3 (3 -> 4), below at i=6 (4 -> 3), above at i=9 (3 -> 4)
    expect(sig(compileCondition('cross_above(close, 3.5)').evaluate({ bars: b }))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    expect(sig(compileCondition('cross_below(close, 3.5)').evaluate({ bars: b }))).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    // touching counts as "at or below" before: 3 -> 4 with level 3 crosses above at i=3 (prev 3 <= 3).
    expect(sig(compileCondition('cross_above(close, 3)').evaluate({ bars: b }))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  });

  it('shift / lag, highest / lowest, between', () => {
    expect(sig(compileCondition('close > shift(close, 1)').evaluate({ bars: b }))).toEqual([0, 1, 1, 1, 1, 0, 0, 0, 1, 1]);
    expect(sig(compileCondition('lag(close > 3, 2)').evaluate({ bars: b }))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 0, 0]);
    // highest(close, 3) by hand: -,-,3,4,5,5,5,4,3,4 ; == close where close is the 3-bar max
    expect(sig(compileCondition('close >= highest(close, 3)').evaluate({ bars: b }))).toEqual([0, 0, 1, 1, 1, 0, 0, 0, 1, 1]);
    // lowest(close, 3): -,-,1,2,3,4,3,2,2,2
    expect(sig(compileCondition('lowest(close, 3) == 2').evaluate({ bars: b }))).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 1, 1]);
    expect(sig(compileCondition('between(close, 2, 3)').evaluate({ bars: b }))).toEqual([0, 1, 1, 0, 0, 0, 1, 1, 1, 0]);
  });

  it('rolling highest treats a NaN inside the window as unknown', () => {
    const nb = bars([1, 2, NaN, 4, 5, 6, 7]);
    // windows of 2 containing index 2 are unknown (i = 2, 3); i=0 is warm-up
    expect(sig(compileCondition('highest(close, 2) > 0').evaluate({ bars: nb }))).toEqual([0, 1, 0, 0, 1, 1, 1]);
  });

  it('named parameters: declared bare identifiers, values bound per evaluation', () => {
    const c = compileCondition('cross_above(sma(close, fast), sma(close, slow))', { params: { fast: 2, slow: 4 } });
    expect(c.params).toEqual(['fast', 'slow']);
    const x = [5, 4, 3, 2, 1, 2, 3, 4, 5, 6, 5, 4, 3];
    const bb = bars(x);
    for (const [fast, slow] of [[2, 4], [2, 3], [3, 5]] as const) {
      const f = naiveSma(x, fast);
      const s = naiveSma(x, slow);
      const oracle = x.map((_, i) => (i > 0 && (f[i] as number) > (s[i] as number) && (f[i - 1] as number) <= (s[i - 1] as number) ? 1 : 0));
      expect(sig(c.evaluate({ bars: bb, params: { fast, slow } }))).toEqual(oracle);
    }
    // requirements reflect bound values, deduplicated
    expect(c.requirements({ fast: 3, slow: 3 }).map((r) => r.key)).toEqual(['sma(period=3)[close]']);
    expect(c.requirements().map((r) => r.key)).toEqual(['sma(period=2)[close]', 'sma(period=4)[close]']);
    // scalar arithmetic on params
    expect(compileCondition('close > sma(close, fast * 2)', { params: { fast: 2 } }).requirements()[0]?.params).toEqual({ period: 4 });
  });

  it('column names resolve through the registry (sma_3, sma_high_3, multi-output band_down_2)', () => {
    const x = [1, 2, 3, 4, 5, 4, 3, 2, 3, 4];
    const s = naiveSma(x, 3);
    expect(sig(compileCondition('close > sma_3').evaluate({ bars: b }))).toEqual(x.map((v, i) => (v > (s[i] as number) ? 1 : 0)));
    const hi = naiveSma(x.map((v) => v + 1), 3);
    expect(sig(compileCondition('sma_high_3 > 4').evaluate({ bars: b }))).toEqual(hi.map((v) => (v > 4 ? 1 : 0)));
    const c = compileCondition('band_down_2 > 1 and band_up_0p5 < 5', { indicators: FIXTURES });
    // close - 2 > 1 and close + 0.5 < 5  <=>  3 < close < 4.5
    expect(sig(c.evaluate({ bars: b }))).toEqual(x.map((v) => (v > 3 && v < 4.5 ? 1 : 0)));
    expect(c.requirements().map((r) => r.key)).toEqual(['band(k=2)[close]', 'band(k=0.5)[close]']);
  });

  it('aliases (pack-defined) and external series', () => {
    const c = compileCondition('trend and close < ceiling and feat > 0', {
      aliases: { trend: 'close > shift(close, 1)', ceiling: '4.5' },
      series: ['feat'],
    });
    const feat = Float64Array.from([1, 1, 1, 1, 1, -1, 1, 1, 1, 1]);
    expect(sig(c.evaluate({ bars: b, series: { feat } }))).toEqual([0, 1, 1, 1, 0, 0, 0, 0, 1, 1]);
    expect(err(() => c.evaluate({ bars: b })).code).toBe('EXPR_INPUT');
    expect(err(() => compileCondition('a', { aliases: { a: 'b', b: 'a' } })).code).toBe('EXPR_TYPE');
  });

  it('inline indicators over expressions and over other fields', () => {
    // sma(close - open, 2) with open = close - 1 everywhere: always 1 after warm-up
    const o = bars([1, 2, 3, 4], { open: [0, 1, 2, 3] });
    expect(sig(compileCondition('sma(close - open, 2) == 1').evaluate({ bars: o }))).toEqual([0, 1, 1, 1]);
    expect(compileCondition('ema(high, 2) > 0').requirements()[0]?.key).toBe('ema(period=2)[high]');
    expect(compileCondition('sma(close - open, 2) > 0').requirements()[0]?.fieldsOnly).toBe(false);
  });

  it('shares indicator computations through an IndicatorCache across evaluations', () => {
    const cache = new IndicatorCache();
    const s = compileStrategy({ entry: 'close > sma(close, n)', exit: 'close < sma(close, n)' }, { params: { n: 3 } });
    const first = s.evaluate({ bars: b, indicators: cache });
    const again = s.evaluate({ bars: b, indicators: cache, params: { n: 3 } });
    expect(cache.misses).toBe(1);
    expect(cache.hits).toBe(3);
    expect(sig(again.entry)).toEqual(sig(first.entry));
    expect(s.params).toEqual(['n']);
  });

  it('evaluates into a caller-provided buffer', () => {
    const out = new Uint8Array(10).fill(7);
    const r = compileCondition('close > 3').evaluate({ bars: b }, out);
    expect(r).toBe(out);
    expect(sig(out)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 1]);
  });
});

describe('compileCondition: errors', () => {
  it.each([
    ['rsy_14 < 30', 'EXPR_UNKNOWN_NAME', 1],
    ['close > foo(1)', 'EXPR_UNKNOWN_NAME', 9],
    ['close + 1', 'EXPR_TYPE', 1],
    ['close > 1 + (open < 2)', 'EXPR_TYPE', 14],
    ['cross_above(close)', 'EXPR_TYPE', 1],
    ['shift(close, -1) > 0', 'EXPR_TYPE', 14],
    ['shift(close, 1.5) > 0', 'EXPR_TYPE', 14],
    ['highest(close, 0) > 0', 'EXPR_TYPE', 16],
    ['highest(close, close) > 0', 'EXPR_TYPE', 16],
    ['sma(close, 3, 4) > 0', 'EXPR_TYPE', 15],
    ['sma(close, close) > 0', 'EXPR_TYPE', 12],
    ['sma > 0', 'EXPR_TYPE', 1],
    ['not close', 'EXPR_TYPE', 5],
    ['close > 1 and 2', 'EXPR_TYPE', 15],
  ])('%s -> %s at column %i', (src, code, column) => {
    const e = err(() => compileCondition(src));
    expect(e.code).toBe(code);
    expect(e.details?.column).toBe(column);
  });

  it('parameter problems are EXPR_PARAM', () => {
    expect(err(() => compileCondition('close > 1', { params: { close: 1 } })).code).toBe('EXPR_PARAM');
    const c = compileCondition('shift(close, k) > 0', { params: { k: 1 } });
    const e = err(() => c.evaluate({ bars: bars([1, 2]), params: { k: -2 } }));
    expect(e.code).toBe('EXPR_PARAM');
    expect(e.details?.param).toBe('k');
    // an indicator parameter out of range names the indicator parameter
    expect(err(() => compileCondition('sma(close, n) > 0', { params: { n: 0 } }).evaluate({ bars: bars([1, 2]) })).code).toBe('INDICATOR_PARAM');
  });
});

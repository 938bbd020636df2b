/**
 * MarketPrefix (market.ts). Oracles: the returns computed one by one as
 * MetricsAccumulator.addEquity does (c === p ? 0 : c / p − 1) and summed in bar order; plain
 * max/min over the bars.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarketPrefix, rangeSum } from './market.js';

const closesArb = fc.array(fc.oneof(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.constant(1)), { minLength: 1, maxLength: 300 }).map((steps) => {
  let c = 100;
  return Float64Array.from(steps, (s) => (c = Math.round(c * s * 100) / 100 || 0.01));
});

/** [Σr, Σr², Σ min(r, 0)², Σ|r|] over returns [a, b), in bar order. */
function naive(close: Float64Array, a: number, b: number): [number, number, number, number] {
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let abs = 0;
  for (let t = Math.max(a, 1); t < b; t++) {
    const c = close[t] as number;
    const p = close[t - 1] as number;
    const m = c === p ? 0 : c / p - 1;
    s1 += m;
    s2 += m * m;
    if (m < 0) s3 += m * m;
    abs += Math.abs(m);
  }
  return [s1, s2, s3, abs];
}

describe('MarketPrefix', () => {
  it('range sums of r, r² and min(r, 0)² equal the bar-by-bar sums to rounding', () => {
    fc.assert(
      fc.property(closesArb, fc.nat(), fc.nat(), (close, i, j) => {
        const n = close.length;
        const mk = new MarketPrefix(close);
        const a = i % (n + 1);
        const b = a + (j % (n + 1 - a));
        const want = naive(close, a, b);
        // Both sides are within k·ε·Σ|term| of the exact sum (k terms; the prefix difference is
        // a double-double, so its own error is far smaller).
        const k = b - a + 1;
        const scale = [want[3], want[1], want[2]];
        [0, 1, 2].forEach((w) => {
          const got = rangeSum(mk, w as 0 | 1 | 2, a, b);
          expect(Math.abs(got - (want[w] as number))).toBeLessThanOrEqual(2 * k * Number.EPSILON * (scale[w] as number));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('bounds every range by its covering blocks and finds the exact low', () => {
    fc.assert(
      fc.property(closesArb, fc.nat(), fc.nat(), (close, i, j) => {
        const n = close.length;
        const mk = new MarketPrefix(close);
        const a = i % n;
        const b = a + 1 + (j % (n - a));
        const bars = Array.from(close.subarray(a, b));
        mk.bound(a, b);
        expect(mk.high).toBeGreaterThanOrEqual(Math.max(...bars));
        expect(mk.low).toBeLessThanOrEqual(Math.min(...bars));
        // The bound is the covering 8-bar blocks' max / min, no looser.
        const cover = Array.from(close.subarray(a & ~7, Math.min(n, ((b - 1) | 7) + 1)));
        expect(mk.high).toBe(Math.max(...cover));
        expect(mk.low).toBe(Math.min(...cover));
        expect(mk.exactLow(close, a, b)).toBe(Math.min(...bars));
      }),
      { numRuns: 400 },
    );
  });

  it('gives NaN bounds and low when a close in the range is NaN', () => {
    const close = Float64Array.from({ length: 40 }, (_, i) => 100 + i);
    close[17] = Number.NaN;
    const mk = new MarketPrefix(close);
    mk.bound(10, 30);
    expect(mk.high).toBeNaN();
    expect(mk.low).toBeNaN();
    expect(mk.exactLow(close, 10, 30)).toBeNaN();
    expect(mk.exactLow(close, 0, 16)).toBe(100);
    mk.bound(24, 40);
    expect(mk.high).toBe(139);
    expect(mk.low).toBe(124);
  });
});

describe('MarketPrefix from an allocator, and adopted from its parts', () => {
  it('holds the same arrays as the default one and answers the same (oracle: the default constructor)', () => {
    fc.assert(
      fc.property(closesArb, fc.nat(), fc.nat(), (close, i, j) => {
        const n = close.length;
        const plain = new MarketPrefix(close);
        const built = new MarketPrefix(close, (length) => new Float64Array(new SharedArrayBuffer(8 * length)));
        const adopted = new MarketPrefix(built.parts);
        expect(Array.from(built.sums)).toEqual(Array.from(plain.sums));
        expect(adopted.sums).toBe(built.sums);
        const a = i % n;
        const b = a + 1 + (j % (n - a));
        for (const w of [0, 1, 2] as const) expect(rangeSum(adopted, w, a, b)).toBe(rangeSum(plain, w, a, b));
        plain.bound(a, b);
        adopted.bound(a, b);
        expect([adopted.high, adopted.low]).toEqual([plain.high, plain.low]);
        expect(adopted.exactLow(close, a, b)).toBe(plain.exactLow(close, a, b));
      }),
    );
  });
});

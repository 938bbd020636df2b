import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rolling } from './kernels.js';

describe('rolling', () => {
  // Oracle: naive O(n·w) scan of each window; NaN when fewer than w bars or any NaN inside; among
  // equal values (0 and -0 alike) the latest bar's value, which is what the deque version returned.
  function naive(max: boolean, x: readonly number[], w: number): number[] {
    return x.map((_, i) => {
      if (i < w - 1) return NaN;
      let best = NaN;
      for (let j = i - w + 1; j <= i; j++) {
        const v = x[j] as number;
        if (Number.isNaN(v)) return NaN;
        if (Number.isNaN(best) || (max ? v >= best : v <= best)) best = v;
      }
      return best;
    });
  }
  const val = fc.constantFrom(NaN, -Infinity, -1, -0, 0, 0.5, 1, 2, Infinity);
  for (const max of [true, false]) {
    it(`${max ? 'highest' : 'lowest'} equals the naive window scan (NaN, ties of 0/-0, w beyond n)`, () => {
      fc.assert(
        fc.property(fc.array(val, { maxLength: 30 }), fc.integer({ min: 1, max: 33 }), (xs, w) => {
          const n = xs.length;
          const out = new Float64Array(n);
          rolling(max, Float64Array.from(xs), w, out, new Float64Array(n), new Float64Array(n));
          const want = naive(max, xs, w);
          expect(Array.from(out).map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(want.map((v) => (Object.is(v, -0) ? '-0' : String(v))));
        }),
        { seed: 11, numRuns: 500 },
      );
    });
  }
});

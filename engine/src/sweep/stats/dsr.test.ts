/**
 * sampleVariance: oracle, the two-pass definition written with Array filter/reduce (sums left to
 * right from 0, as the loops must: the same bits), and a hand-checked value.
 */
import { describe, expect, it } from 'vitest';
import { sampleVariance } from './dsr.js';

function reference(values: readonly number[]): number {
  const v = values.filter(Number.isFinite);
  if (v.length < 2) return Number.NaN;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (v.length - 1);
}

describe('sampleVariance', () => {
  it('hand value: [1, 2, 3, 4] has mean 2.5 and variance (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3', () => {
    expect(sampleVariance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 15);
  });
  it('skips non-finite values and is NaN below two finite values', () => {
    expect(sampleVariance([1, Number.NaN, 3, Number.POSITIVE_INFINITY])).toBe(2);
    expect(Number.isNaN(sampleVariance([1, Number.NaN]))).toBe(true);
    expect(Number.isNaN(sampleVariance(new Float64Array(0)))).toBe(true);
  });
  it('is the same bits as the filter/reduce definition, for arrays and Float64Arrays', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: false }), fc.constant(Number.NaN), fc.double({ min: -1, max: 1, noNaN: true })), { maxLength: 60 }), (xs) => {
        const want = reference(xs);
        expect(Object.is(sampleVariance(xs), want)).toBe(true);
        expect(Object.is(sampleVariance(Float64Array.from(xs)), want)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { createRng } from '../random/index.js';
import { selectBlockLength } from './block-length.js';
import { blockBootstrapIndices, blockPermutation } from './resample.js';
import { acf, cagrOf, quantileSorted, sharpeOf } from './stats.js';

describe('statistics', () => {
  it('acf matches a hand computation', () => {
    // x = 1..5: mean 3, deviations -2 -1 0 1 2, c0 = 10;
    // c1 = (-2)(-1) + (-1)(0) + (0)(1) + (1)(2) = 4 -> 0.4; c2 = (-2)(0) + (-1)(1) + (0)(2) = -1 -> -0.1;
    // c3 = (-2)(1) + (-1)(2) = -4 -> -0.4; c4 = (-2)(2) = -4 -> -0.4.
    const r = acf([1, 2, 3, 4, 5], 10);
    expect(Array.from(r ?? [])).toEqual([1, 0.4, -0.1, -0.4, -0.4]);
    expect(acf([2, 2, 2], 1)).toBeUndefined();
  });

  it('sharpe, cagr and the type-7 quantile follow the stated conventions', () => {
    // returns 0.1, -0.05, 0.02: mean 0.0233.., var ddof1 = ((0.07667)^2 + (0.07333)^2 + (0.00333)^2) / 2 = 0.0056333..
    // sharpe (ppy 4) = 0.023333 / 0.0750555 * 2 = 0.621762...
    expect(sharpeOf([0.1, -0.05, 0.02], 4)).toBeCloseTo(0.6217616, 6);
    // CAGR with ppy 3 over 3 bars = total return: 1.1 * 0.95 * 1.02 - 1 = 0.0659
    expect(cagrOf([0.1, -0.05, 0.02], 3)).toBeCloseTo(0.0659, 12);
    expect(cagrOf([0.1, -1.0], 1)).toBe(-1);
    // numpy.quantile([1,2,3,4], 0.25) = 1.75 (h = 3 * 0.25 = 0.75)
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
  });
});

describe('block length from the ACF', () => {
  it('square wave of period 8: rho(1) ~ 0.50 significant, rho(2) ~ 0.005 not -> b = 2 (hand-checked)', () => {
    // n = 400, x = +1 x4, -1 x4, ... ; mean 0, c0 = 400. 99 sign changes among the 399 lag-1 pairs:
    // c1 = 399 - 2*99 = 201 -> 0.5025. Lag 2: 2 differing pairs per change -> 198: c2 = 398 - 396 = 2 -> 0.005.
    // Band 1.96 / sqrt(400) = 0.098: the first lag inside it is 2.
    const x = Array.from({ length: 400 }, (_, t) => (Math.floor(t / 4) % 2 === 0 ? 1 : -1));
    const r = acf(x, 2);
    expect(r?.[1]).toBeCloseTo(0.5025, 12);
    expect(r?.[2]).toBeCloseTo(0.005, 12);
    expect(selectBlockLength(x)).toEqual({ method: 'hadj_bb', block_length: 2, jitter: 1, fallback: false, reason: 'acf', band: 0.098 });
  });

  it('a trend stays significant at every lag: capped at 50, or at the given cap', () => {
    // x_t = t, n = 400: rho(k) ~ 1 - 1.5 k / n stays far above the band 0.098 up to k = 50.
    const x = Array.from({ length: 400 }, (_, t) => t);
    expect(selectBlockLength(x).block_length).toBe(50);
    expect(selectBlockLength(x, { cap: 10 }).block_length).toBe(10);
  });

  it('falls back to the simple bootstrap when the ACF is undefined; b = 1 is simple without fallback', () => {
    expect(selectBlockLength(new Array<number>(100).fill(0.01))).toMatchObject({ method: 'simple', block_length: null, jitter: null, fallback: true, reason: 'zero_variance' });
    expect(selectBlockLength([0.1, -0.1, 0.2])).toMatchObject({ method: 'simple', fallback: true, reason: 'too_short' });
    expect(selectBlockLength([0.1, Number.NaN, ...new Array<number>(30).fill(0)])).toMatchObject({ method: 'simple', fallback: true, reason: 'non_finite' });
    // White noise whose rho(1) is inside the band (checked): b = 1 -> simple, not a fallback.
    const rng = createRng(5);
    const w = Array.from({ length: 500 }, () => rng.normal());
    const r1 = Math.abs(acf(w, 1)?.[1] ?? 1);
    expect(r1).toBeLessThan(1.96 / Math.sqrt(500));
    expect(selectBlockLength(w)).toMatchObject({ method: 'simple', block_length: null, fallback: false, reason: 'no_autocorrelation' });
  });
});

describe('resampling indices', () => {
  it('block permutation is a permutation and keeps blocks contiguous (circularly)', () => {
    const rng = createRng(3);
    for (const [n, b] of [[100, 7], [10, 1], [13, 13], [50, 60]] as const) {
      const p = Array.from(blockPermutation(n, b, rng));
      expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
      // Inside a block consecutive indices follow each other (mod n): at least n - ceil(n/b) - 1 such steps.
      let steps = 0;
      for (let i = 1; i < n; i++) if (p[i] === ((p[i - 1] as number) + 1) % n) steps++;
      expect(steps).toBeGreaterThanOrEqual(n - Math.ceil(n / Math.min(b, n)) - 1);
    }
  });

  it('bootstrap blocks have lengths in b +/- jitter and indices in range', () => {
    const rng = createRng(4);
    const idx = Array.from(blockBootstrapIndices(1000, 5, 1, 50, rng));
    expect(idx.every((i) => i >= 0 && i < 1000)).toBe(true);
    // Runs of consecutive indices: every complete run has length 4..6 (two adjacent blocks may merge by chance,
    // so check the minimum and that most runs are <= 6).
    const runs: number[] = [];
    let len = 1;
    for (let i = 1; i < idx.length; i++) {
      if (idx[i] === ((idx[i - 1] as number) + 1) % 1000) len++;
      else { runs.push(len); len = 1; }
    }
    expect(Math.min(...runs)).toBeGreaterThanOrEqual(4);
    expect(runs.filter((r) => r <= 6).length / runs.length).toBeGreaterThan(0.95);
  });
});

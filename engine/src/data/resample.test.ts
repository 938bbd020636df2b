import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bars } from './bars.js';
import { barsInvariantProblem } from './make.js';
import { bucketStart, resample } from './resample.js';
import { parseInterval } from './interval.js';
import { generateSyntheticBars } from './synthetic.js';

/** Oracle: a naive group-by on ISO bucket keys built with Date getters, independent of bucketStart. */
function naiveResample(bars: Bars, key: (d: Date) => string): Map<string, [number, number, number, number, number]> {
  const out = new Map<string, [number, number, number, number, number]>();
  for (let i = 0; i < bars.length; i++) {
    const k = key(new Date(bars.ts[i] ?? 0));
    const o = bars.open[i] ?? 0, h = bars.high[i] ?? 0, l = bars.low[i] ?? 0, c = bars.close[i] ?? 0, v = bars.volume[i] ?? 0;
    const cur = out.get(k);
    if (cur === undefined) out.set(k, [o, h, l, c, v]);
    else out.set(k, [cur[0], Math.max(cur[1], h), Math.min(cur[2], l), c, cur[4] + v]);
  }
  return out;
}

function asMap(b: Bars): Map<string, [number, number, number, number, number]> {
  const m = new Map<string, [number, number, number, number, number]>();
  for (let i = 0; i < b.length; i++) m.set(new Date(b.ts[i] ?? 0).toISOString(), [b.open[i] ?? 0, b.high[i] ?? 0, b.low[i] ?? 0, b.close[i] ?? 0, b.volume[i] ?? 0]);
  return m;
}

const pad = (n: number): string => String(n).padStart(2, '0');

describe('resample', () => {
  it('aggregates a hand example: first open, max high, min low, last close, sum volume', () => {
    const m = 60_000;
    const bars: Bars = {
      symbol: 'X', interval: '1m', length: 6,
      ts: new Float64Array([0, m, 2 * m, 4 * m, 5 * m, 9 * m]),
      open: new Float64Array([10, 11, 12, 13, 14, 15]),
      high: new Float64Array([12, 15, 13, 14, 16, 15]),
      low: new Float64Array([9, 10, 8, 12, 13, 14]),
      close: new Float64Array([11, 12, 13, 13.5, 15, 14.5]),
      volume: new Float64Array([1, 2, 3, 4, 5, 6]),
    };
    const r = resample(bars, '5m');
    // bucket [0,5m): rows 0..3 -> o 10, h 15, l 8, c 13.5, v 10; bucket [5m,10m): rows 4..5 -> 14, 16, 13, 14.5, 11
    expect(r.interval).toBe('5m');
    expect(Array.from(r.ts)).toEqual([0, 5 * m]);
    expect(Array.from(r.open)).toEqual([10, 14]);
    expect(Array.from(r.high)).toEqual([15, 16]);
    expect(Array.from(r.low)).toEqual([8, 13]);
    expect(Array.from(r.close)).toEqual([13.5, 14.5]);
    expect(Array.from(r.volume)).toEqual([10, 11]);
  });

  it('matches a naive group-by for 1h, 1d, 1w (Monday) and 1mo on synthetic minute bars', () => {
    const bars = generateSyntheticBars({ length: 60_000, seed: 3, interval: '1m', start: Date.UTC(2021, 0, 28, 22, 17) });
    const hourKey = (d: Date): string => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:00:00.000Z`;
    const dayKey = (d: Date): string => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T00:00:00.000Z`;
    const monthKey = (d: Date): string => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-01T00:00:00.000Z`;
    const weekKey = (d: Date): string => {
      const back = (d.getUTCDay() + 6) % 7; // days since Monday
      return dayKey(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - back)));
    };
    expect(asMap(resample(bars, '1h'))).toEqual(naiveResample(bars, hourKey));
    expect(asMap(resample(bars, '1d'))).toEqual(naiveResample(bars, dayKey));
    expect(asMap(resample(bars, '1w'))).toEqual(naiveResample(bars, weekKey));
    expect(asMap(resample(bars, '1mo'))).toEqual(naiveResample(bars, monthKey));
  });

  it('chains: 1m -> 5m -> 15m -> 1h -> 4h -> 1d equals 1m -> 1d directly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 1439 }), (n, seed, offset) => {
        const bars = generateSyntheticBars({ length: n, seed, interval: '1m', start: Date.UTC(2020, 1, 28) + offset * 60_000 });
        let chained = bars;
        for (const iv of ['5m', '15m', '1h', '4h', '1d']) chained = resample(chained, iv);
        const direct = resample(bars, '1d');
        expect(asMap(chained)).toEqual(asMap(direct));
        expect(barsInvariantProblem(direct)).toBeUndefined();
      }),
      { numRuns: 30 },
    );
  });

  it('aligns buckets to UTC boundaries', () => {
    const t = Date.UTC(2024, 2, 6, 13, 37, 0); // Wednesday
    expect(bucketStart(t, parseInterval('4h'))).toBe(Date.UTC(2024, 2, 6, 12));
    expect(bucketStart(t, parseInterval('1d'))).toBe(Date.UTC(2024, 2, 6));
    expect(bucketStart(t, parseInterval('1w'))).toBe(Date.UTC(2024, 2, 4)); // Monday
    expect(bucketStart(t, parseInterval('3mo'))).toBe(Date.UTC(2024, 0, 1));
  });

  it('rejects finer or non-multiple targets', () => {
    const bars = generateSyntheticBars({ length: 10, seed: 1, interval: '5m' });
    for (const t of ['1m', '7m', '1mo']) {
      if (t === '1mo') {
        expect(resample(bars, t).interval).toBe('1mo');
        continue;
      }
      expect(() => resample(bars, t)).toThrow(expect.objectContaining({ code: 'DATA_RESAMPLE_INVALID' }) as Error);
    }
    const monthly = generateSyntheticBars({ length: 10, seed: 1, interval: '1mo' });
    expect(() => resample(monthly, '1w')).toThrow(expect.objectContaining({ code: 'DATA_RESAMPLE_INVALID' }) as Error);
  });
});

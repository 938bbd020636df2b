import { describe, expect, it } from 'vitest';
import { dataHash } from '../hash/index.js';
import { inferInterval } from './interval.js';
import { barsInvariantProblem } from './make.js';
import { generateSyntheticBars } from './synthetic.js';

describe('synthetic generator', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = generateSyntheticBars({ length: 10_000, seed: 42 });
    const b = generateSyntheticBars({ length: 10_000, seed: 42 });
    const c = generateSyntheticBars({ length: 10_000, seed: 43 });
    expect(dataHash(a)).toBe(dataHash(b));
    expect(dataHash(a)).not.toBe(dataHash(c));
  });

  it('produces valid bars at every interval', () => {
    for (const interval of ['1m', '5m', '1h', '4h', '1d', '1w', '1mo']) {
      const bars = generateSyntheticBars({ length: 2000, seed: 7, interval });
      expect(bars.length).toBe(2000);
      expect(barsInvariantProblem(bars)).toBeUndefined();
      expect(inferInterval(bars.ts)).toBe(interval);
    }
  });

  it('skips weekends for daily bars', () => {
    const bars = generateSyntheticBars({ length: 500, seed: 1, interval: '1d', start: Date.UTC(2024, 0, 6) }); // a Saturday
    const days = Array.from(bars.ts, (t) => new Date(t).getUTCDay());
    expect(days.filter((d) => d === 0 || d === 6)).toEqual([]);
    expect(new Date(bars.ts[0] ?? 0).toISOString()).toBe('2024-01-08T00:00:00.000Z');
  });

  it('has regime-dependent volatility near the configured levels', () => {
    // One regime at 20%/yr on daily weekday bars: std of log returns ~ 0.2 / sqrt(260.9).
    const bars = generateSyntheticBars({ length: 20_000, seed: 9, interval: '1d', regimes: [{ vol: 0.2, drift: 0 }], gapFraction: 0 });
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < bars.length; i++) {
      const r = Math.log((bars.close[i] ?? 1) / (bars.open[i] ?? 1));
      s += r;
      s2 += r * r;
    }
    const n = bars.length;
    const sd = Math.sqrt(s2 / n - (s / n) ** 2);
    const expected = 0.2 / Math.sqrt((365.25 * 5) / 7);
    expect(Math.abs(sd / expected - 1)).toBeLessThan(0.03); // sd of the estimate ~ 1/sqrt(2n) = 0.5%
  });

  it('rejects bad options', () => {
    expect(() => generateSyntheticBars({ length: -1, seed: 1 })).toThrow(expect.objectContaining({ code: 'DATA_SYNTHETIC_INVALID' }) as Error);
    expect(() => generateSyntheticBars({ length: 1, seed: 1, regimes: [{ vol: 0, drift: 0 }] })).toThrow(expect.objectContaining({ code: 'DATA_SYNTHETIC_INVALID' }) as Error);
    expect(() => generateSyntheticBars({ length: 1, seed: 1, switchProb: [2, 0] })).toThrow(expect.objectContaining({ code: 'DATA_SYNTHETIC_INVALID' }) as Error);
  });
});

import { describe, expect, it } from 'vitest';
import { inferInterval, intervalFromMs, parseInterval } from './interval.js';

describe('intervals', () => {
  it('parses <n><unit> and rejects the rest', () => {
    expect(parseInterval('5m')).toMatchObject({ text: '5m', count: 5, unit: 'm', ms: 300_000, calendar: false });
    expect(parseInterval('4h').ms).toBe(4 * 3_600_000);
    expect(parseInterval('1mo')).toMatchObject({ unit: 'mo', calendar: true });
    for (const bad of ['', '0m', '05m', '1y', 'm', '1 m', '1.5h']) {
      expect(() => parseInterval(bad)).toThrow(expect.objectContaining({ code: 'DATA_BAD_INTERVAL' }) as Error);
    }
  });

  it('names a fixed step by its largest dividing unit', () => {
    expect(intervalFromMs(60_000)).toBe('1m');
    expect(intervalFromMs(90 * 60_000)).toBe('90m');
    expect(intervalFromMs(7_200_000)).toBe('2h');
    expect(intervalFromMs(86_400_000)).toBe('1d');
    expect(intervalFromMs(7 * 86_400_000)).toBe('1w');
    expect(intervalFromMs(1500)).toBeUndefined();
  });

  it('infers the modal step, months from 28-31 day steps', () => {
    const min = 60_000;
    // steps: 1m, 1m, 3m, 1m -> modal 1m
    expect(inferInterval(new Float64Array([0, min, 2 * min, 5 * min, 6 * min]))).toBe('1m');
    // Mon..Fri then Mon: steps 1d x4, 3d -> 1d
    const d = 86_400_000;
    expect(inferInterval(new Float64Array([0, d, 2 * d, 3 * d, 4 * d, 7 * d]))).toBe('1d');
    const months = [Date.UTC(2012, 0, 31), Date.UTC(2012, 1, 29), Date.UTC(2012, 2, 31), Date.UTC(2012, 3, 30)];
    expect(inferInterval(new Float64Array(months))).toBe('1mo');
    expect(() => inferInterval(new Float64Array([0]))).toThrow(expect.objectContaining({ code: 'DATA_INTERVAL_UNKNOWN' }) as Error);
  });
});

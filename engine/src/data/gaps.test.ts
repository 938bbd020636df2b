import { describe, expect, it } from 'vitest';
import { findGaps, weekdaysBetween } from './gaps.js';
import { parseInterval } from './interval.js';

const D = 86_400_000;
const day = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d);

describe('gaps', () => {
  it('counts weekdays strictly between two UTC days', () => {
    // 2024-01-05 is a Friday, 2024-01-08 a Monday: nothing between but the weekend.
    expect(weekdaysBetween(day(2024, 1, 5) / D, day(2024, 1, 8) / D)).toBe(0);
    // Friday 2024-01-05 .. Wednesday 2024-01-10: Mon 8, Tue 9 -> 2
    expect(weekdaysBetween(day(2024, 1, 5) / D, day(2024, 1, 10) / D)).toBe(2);
  });

  it('daily: weekends expected, one missing weekday is a holiday, two or more a gap', () => {
    const ts = new Float64Array([
      day(2024, 1, 4), day(2024, 1, 5), // Thu, Fri
      day(2024, 1, 8), // Mon (weekend: fine)
      day(2024, 1, 10), // Wed: Tue missing -> holiday
      day(2024, 1, 16), // Tue: Thu 11, Fri 12, Mon 15 missing -> gap of 3
    ]);
    const r = findGaps(ts, ts.length, parseInterval('1d'));
    expect(r).toMatchObject({ rule: 'weekdays', count: 1, missingBars: 3, holidays: 1 });
    expect(r.largest).toEqual([{ after: day(2024, 1, 10), before: day(2024, 1, 16), missing: 3 }]);
  });

  it('intraday: any step beyond the interval, missing = ceil(step / interval) - 1', () => {
    const m = 60_000;
    const ts = new Float64Array([0, m, 4 * m, 5 * m, 15 * m]); // holes of 2 and 9 bars
    const r = findGaps(ts, ts.length, parseInterval('1m'));
    expect(r).toMatchObject({ rule: 'fixed-step', count: 2, missingBars: 11, holidays: 0 });
    expect(r.largest.map((g) => g.missing)).toEqual([9, 2]);
  });

  it('monthly: calendar months', () => {
    const ts = new Float64Array([day(2012, 1, 31), day(2012, 2, 29), day(2012, 5, 31)]); // Mar, Apr missing
    expect(findGaps(ts, 3, parseInterval('1mo'))).toMatchObject({ rule: 'calendar-months', count: 1, missingBars: 2 });
  });
});

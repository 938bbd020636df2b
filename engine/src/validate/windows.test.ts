import { describe, expect, it } from 'vitest';
import { addDuration, computeWindows, lowerBound, parseDuration } from './windows.js';

const DAY = 86_400_000;
/** Weekday daily bars (00:00 UTC) from `from` to `to` inclusive. */
function weekdays(from: string, to: string): Float64Array {
  const out: number[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY) {
    const d = new Date(t).getUTCDay();
    if (d !== 0 && d !== 6) out.push(t);
  }
  return Float64Array.from(out);
}
const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);
/** Independent count: bars strictly before t (a linear filter, not the binary search). */
const before = (ts: Float64Array, day: string): number => Array.from(ts).filter((x) => x < Date.parse(day)).length;

describe('durations', () => {
  it('parses y/m/w/d and sums', () => {
    expect(parseDuration('2y')).toMatchObject({ months: 24, days: 0 });
    expect(parseDuration('6m')).toMatchObject({ months: 6, days: 0 });
    expect(parseDuration('1y6m')).toMatchObject({ months: 18, days: 0 });
    expect(parseDuration('2w3d')).toMatchObject({ months: 0, days: 17 });
    for (const bad of ['', '6x', '0d', '6', 'm6', '1y 2q']) expect(() => parseDuration(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION_BAD_DURATION' }) as Error);
  });

  it('adds calendar months with the day clamped to the month end', () => {
    // 2020-01-31 + 1 month -> 2020-02-29 (leap year); + 13 months -> 2021-02-28; 2020-03-31 - 1 month -> 2020-02-29.
    expect(iso(addDuration(Date.parse('2020-01-31'), parseDuration('1m')))).toBe('2020-02-29');
    expect(iso(addDuration(Date.parse('2020-01-31'), parseDuration('1y1m')))).toBe('2021-02-28');
    expect(iso(addDuration(Date.parse('2020-03-31'), parseDuration('1m'), -1))).toBe('2020-02-29');
    expect(iso(addDuration(Date.parse('2020-01-01'), parseDuration('6m'), 3))).toBe('2021-07-01');
    expect(iso(addDuration(Date.parse('2020-01-01'), parseDuration('10d')))).toBe('2020-01-11');
    expect(lowerBound([1, 3, 5], 3)).toBe(1);
    expect(lowerBound([1, 3, 5], 6)).toBe(3);
  });
});

describe('computeWindows', () => {
  const ts = weekdays('2020-01-01', '2022-12-30');

  it('rolling 1y/6m on 2020-01-01..2022-12-30: four windows, boundaries hand-checked', () => {
    // t0 = 2020-01-01. Test starts: 2021-01-01, 2021-07-01, 2022-01-01, 2022-07-01; each test lasts 6 months.
    // The last test ends 2023-01-01, after the last bar (Fri 2022-12-30) but within the largest gap (3 days,
    // a weekend): complete, kept. A fifth would start 2023-01-01 > last bar: none.
    const w = computeWindows(ts, { train: '1y', test: '6m' });
    expect(w.map((x) => [iso(x.train_start_ts), iso(x.test_start_ts), iso(x.test_end_ts)])).toEqual([
      ['2020-01-01', '2021-01-01', '2021-07-01'],
      ['2020-07-01', '2021-07-01', '2022-01-01'],
      ['2021-01-01', '2022-01-01', '2022-07-01'],
      ['2021-07-01', '2022-07-01', '2023-01-01'],
    ]);
    for (const x of w) {
      expect(x.train.start).toBe(before(ts, iso(x.train_start_ts)));
      expect(x.train.end).toBe(before(ts, iso(x.test_start_ts)));
      expect(x.test.start).toBe(x.train.end); // no overlap, no gap: training stops where testing starts
      expect(x.test.end).toBe(before(ts, iso(x.test_end_ts)));
      // No look-ahead: every train bar is strictly before every test bar.
      expect(ts[x.train.end - 1] as number).toBeLessThan(x.test_start_ts);
      expect(ts[x.test.start] as number).toBeGreaterThanOrEqual(x.test_start_ts);
    }
    // Test parts tile the out-of-sample period: each starts where the previous ended.
    for (let k = 1; k < w.length; k++) expect(w[k]?.test.start).toBe(w[k - 1]?.test.end);
    expect(w.at(-1)?.test.end).toBe(ts.length);
    // First train part: 2020 has 262 weekdays.
    expect(w[0]?.train).toEqual({ start: 0, end: 262 });
  });

  it('anchored windows always train from the first bar; a custom step overlaps test parts', () => {
    const a = computeWindows(ts, { train: '1y', test: '6m', anchored: true });
    expect(a.map((x) => x.train.start)).toEqual([0, 0, 0, 0]);
    expect(a.map((x) => x.train.end)).toEqual(computeWindows(ts, { train: '1y', test: '6m' }).map((x) => x.train.end));
    const s = computeWindows(ts, { train: '1y', test: '6m', step: '3m' });
    expect(s.map((x) => iso(x.test_start_ts))).toEqual(['2021-01-01', '2021-04-01', '2021-07-01', '2021-10-01', '2022-01-01', '2022-04-01', '2022-07-01']);
  });

  it('drops an incomplete last window and reports when none fits', () => {
    const short = weekdays('2020-01-01', '2022-05-31');
    // The 2021-07..2022-01 test is complete; 2022-01..2022-07 would end a month after the data: dropped.
    expect(computeWindows(short, { train: '1y', test: '6m' }).map((x) => iso(x.test_start_ts))).toEqual(['2021-01-01', '2021-07-01']);
    expect(() => computeWindows(short, { train: '3y', test: '6m' })).toThrow(expect.objectContaining({ code: 'VALIDATION_NO_WINDOWS' }) as Error);
  });
});

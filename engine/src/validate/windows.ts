/**
 * Walk-forward windows from calendar durations (docs/validation.md "Walk-forward").
 *
 * Durations: `<n>y`, `<n>m` (months), `<n>w`, `<n>d`, or a sum such as `1y6m`; years and months are
 * calendar months in UTC (a day past the target month's end is clamped to its last day), weeks and
 * days are exact multiples of 24 h.
 *
 * Window k (k = 0, 1, …), with t0 the first bar's time:
 *   test_start(k) = (t0 + train) + k·step          (step defaults to the test length)
 *   test_end(k)   = test_start(k) + test
 *   train_start   = t0 (anchored) or test_start(k) − train (rolling)
 * Parts are half-open [start, end) in time; bar index ranges are the bars whose ts fall inside.
 * A window is kept while its test part is complete: test_end ≤ last ts + the largest gap between
 * two consecutive bars (the time by which the next bar would have arrived). The train part of a
 * window ends exactly where its test part starts, so no test bar is ever used for training.
 */
import { SigmatiqError } from '../errors.js';

export interface Duration {
  readonly months: number;
  readonly days: number;
  readonly text: string;
}

const DAY_MS = 86_400_000;

export function parseDuration(text: string, field = 'duration'): Duration {
  const s = text.trim().toLowerCase();
  const re = /(\d+)\s*([ymwd])/gy;
  let months = 0;
  let days = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const n = Number(m[1]);
    const u = m[2];
    if (u === 'y') months += 12 * n;
    else if (u === 'm') months += n;
    else if (u === 'w') days += 7 * n;
    else days += n;
    pos = re.lastIndex;
  }
  if (s.length === 0 || pos !== s.length || months + days <= 0) {
    throw new SigmatiqError('VALIDATION_BAD_DURATION', `${field} '${text}' is not a positive duration like 2y, 6m, 12w, 90d or 1y6m`, { field, value: text });
  }
  return { months, days, text: s };
}

/** t (epoch ms UTC) + months (calendar, day clamped) + days; negative multiples subtract. */
export function addDuration(t: number, d: Duration, times = 1): number {
  let out = t;
  if (d.months !== 0) {
    const date = new Date(t);
    const y = date.getUTCFullYear();
    const mo = date.getUTCMonth() + d.months * times;
    const lastDay = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
    const day = Math.min(date.getUTCDate(), lastDay);
    out = Date.UTC(y, mo, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
  }
  return out + d.days * times * DAY_MS;
}

/** First index i with ts[i] >= t (ts ascending); ts.length when none. */
export function lowerBound(ts: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface WindowSpec {
  readonly train: string;
  readonly test: string;
  /** Default: the test length. */
  readonly step?: string;
  readonly anchored?: boolean;
}

export interface WalkWindow {
  readonly index: number;
  /** Bar index ranges, half-open. */
  readonly train: { readonly start: number; readonly end: number };
  readonly test: { readonly start: number; readonly end: number };
  /** Time bounds (epoch ms UTC), half-open. */
  readonly train_start_ts: number;
  readonly test_start_ts: number;
  readonly test_end_ts: number;
}

export function computeWindows(ts: ArrayLike<number>, spec: WindowSpec): WalkWindow[] {
  const train = parseDuration(spec.train, 'train');
  const test = parseDuration(spec.test, 'test');
  const step = spec.step === undefined ? test : parseDuration(spec.step, 'step');
  const n = ts.length;
  if (n < 2) throw new SigmatiqError('VALIDATION_TOO_FEW_BARS', `walk-forward needs at least 2 bars, got ${n}`, { bars: n });
  const t0 = ts[0] as number;
  const last = ts[n - 1] as number;
  let maxGap = 0;
  for (let i = 1; i < n; i++) maxGap = Math.max(maxGap, (ts[i] as number) - (ts[i - 1] as number));
  const firstTest = addDuration(t0, train);
  const out: WalkWindow[] = [];
  for (let k = 0; ; k++) {
    const testStart = addDuration(firstTest, step, k);
    const testEnd = addDuration(testStart, test);
    if (testEnd > last + maxGap || testStart > last) break;
    const trainStartTs = spec.anchored === true ? t0 : addDuration(testStart, train, -1);
    const tr = { start: lowerBound(ts, trainStartTs), end: lowerBound(ts, testStart) };
    const te = { start: tr.end, end: lowerBound(ts, testEnd) };
    if (te.end > te.start && tr.end > tr.start) {
      out.push({ index: out.length, train: tr, test: te, train_start_ts: trainStartTs, test_start_ts: testStart, test_end_ts: testEnd });
    }
    if (k > 100_000) break;
  }
  if (out.length === 0) {
    throw new SigmatiqError('VALIDATION_NO_WINDOWS', `no complete walk-forward window of train ${train.text} + test ${test.text} fits in the data (${new Date(t0).toISOString()} .. ${new Date(last).toISOString()})`, { train: train.text, test: test.text, bars: n });
  }
  return out;
}

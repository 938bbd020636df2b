/**
 * Bar intervals: `<n><unit>` with unit s, m, h, d, w (fixed length) or mo (calendar month),
 * e.g. `1m`, `5m`, `15m`, `1h`, `4h`, `1d`, `1w`, `1mo`. Canonical text has no leading zeros.
 */
import { SigmatiqError } from '../errors.js';

export type IntervalUnit = 's' | 'm' | 'h' | 'd' | 'w' | 'mo';

export interface Interval {
  readonly text: string;
  readonly count: number;
  readonly unit: IntervalUnit;
  /** Length in ms for fixed units; for `mo`, count * 30.436875 days (nominal, for rates only). */
  readonly ms: number;
  /** True for calendar-month intervals (variable length). */
  readonly calendar: boolean;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const UNIT_MS: Readonly<Record<IntervalUnit, number>> = { s: 1000, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS, mo: 30.436875 * DAY_MS };

export function parseInterval(text: string): Interval {
  const m = /^([1-9]\d{0,5})(s|m|h|d|w|mo)$/.exec(text.trim());
  if (m === null) {
    throw new SigmatiqError('DATA_BAD_INTERVAL', `bad interval "${text}": expected <n><unit> with unit s, m, h, d, w or mo (e.g. 1m, 5m, 1h, 1d, 1mo)`, { param: 'interval' });
  }
  const count = Number(m[1]);
  const unit = m[2] as IntervalUnit;
  return { text: `${count}${unit}`, count, unit, ms: count * UNIT_MS[unit], calendar: unit === 'mo' };
}

/** Canonical interval text for a fixed step in ms (largest unit that divides it). */
export function intervalFromMs(ms: number): string | undefined {
  if (!Number.isInteger(ms) || ms <= 0 || ms % 1000 !== 0) return undefined;
  for (const [unit, size] of [['w', 7 * DAY_MS], ['d', DAY_MS], ['h', HOUR_MS], ['m', MINUTE_MS], ['s', 1000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return undefined;
}

/**
 * Infers the interval from ascending timestamps: the most frequent positive step (ties: the
 * smaller step). A modal step of 28–31 days whose bars fall in consecutive calendar months is `1mo`.
 * Throws DATA_INTERVAL_UNKNOWN when there are fewer than two bars or the step is not whole seconds.
 */
export function inferInterval(ts: Float64Array, length = ts.length): string {
  if (length < 2) {
    throw new SigmatiqError('DATA_INTERVAL_UNKNOWN', 'cannot infer the interval from fewer than two bars: give --interval', { param: 'interval' });
  }
  const counts = new Map<number, number>();
  for (let i = 1; i < length; i++) {
    const d = (ts[i] ?? 0) - (ts[i - 1] ?? 0);
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [d, c] of counts) {
    if (c > bestCount || (c === bestCount && d < best)) {
      best = d;
      bestCount = c;
    }
  }
  if (best >= 28 * DAY_MS && best <= 31 * DAY_MS) return '1mo';
  const text = intervalFromMs(best);
  if (text === undefined) {
    throw new SigmatiqError('DATA_INTERVAL_UNKNOWN', `cannot infer the interval: modal step ${best} ms is not whole seconds; give --interval`, { param: 'interval' });
  }
  return text;
}

/** Bars per year used for annualization and the synthetic generator: calendar time (365.25 days). */
export function barsPerCalendarYear(interval: Interval): number {
  return interval.calendar ? 12 / interval.count : (365.25 * DAY_MS) / interval.ms;
}

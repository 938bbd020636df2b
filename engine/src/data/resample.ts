/**
 * Resampling to a coarser interval: first open, max high, min low, last close, sum of volume.
 * Buckets are aligned to UTC boundaries and labelled by their start:
 *   s/m/h/d units: floor(ts / size) * size from the Unix epoch (so 4h buckets start at 00, 04, 08 ...
 *   UTC and 1d buckets at UTC midnight); w: weeks starting Monday 00:00 UTC; mo: calendar months
 *   (UTC), N-month buckets aligned to January. Source bars are assigned by their own label (ts).
 * Empty buckets produce no bar (gaps stay gaps); partial buckets (e.g. the last one) are kept.
 */
import { SigmatiqError } from '../errors.js';
import type { Bars } from './bars.js';
import { DAY_MS, parseInterval, type Interval } from './interval.js';
import { allocBars } from './make.js';

const MONDAY_OFFSET = 4 * DAY_MS; // 1970-01-05 (Monday) is 4 days after the epoch (Thursday)

/** The bucket start (epoch ms UTC) of `ts` for interval `iv`. */
export function bucketStart(ts: number, iv: Interval): number {
  if (iv.unit === 'mo') {
    const d = new Date(ts);
    const mi = d.getUTCFullYear() * 12 + d.getUTCMonth();
    const b = Math.floor(mi / iv.count) * iv.count;
    return Date.UTC(Math.floor(b / 12), b % 12, 1);
  }
  if (iv.unit === 'w') return Math.floor((ts - MONDAY_OFFSET) / iv.ms) * iv.ms + MONDAY_OFFSET;
  return Math.floor(ts / iv.ms) * iv.ms;
}

function checkTarget(from: Interval, to: Interval): void {
  const bad = (why: string): never => {
    throw new SigmatiqError('DATA_RESAMPLE_INVALID', `cannot resample ${from.text} to ${to.text}: ${why}`, { param: 'interval' });
  };
  if (to.calendar) {
    if (from.calendar && to.count % from.count !== 0) bad('months must be a multiple of the source months');
    if (!from.calendar && from.ms > 28 * DAY_MS) bad('the source is coarser than a month');
    return;
  }
  if (from.calendar) bad('a month cannot be split into fixed-length bars');
  if (to.ms < from.ms) bad('the target is finer than the source');
  if (to.ms % from.ms !== 0) bad('the target is not a whole multiple of the source');
}

export function resample(bars: Bars, target: string): Bars {
  const from = parseInterval(bars.interval);
  const to = parseInterval(target);
  checkTarget(from, to);
  const n = bars.length;
  // First pass: count buckets.
  let count = 0;
  let last = NaN;
  for (let i = 0; i < n; i++) {
    const b = bucketStart(bars.ts[i] ?? 0, to);
    if (b !== last) {
      count++;
      last = b;
    }
  }
  const out = allocBars(bars.symbol, to.text, count);
  let k = -1;
  last = NaN;
  for (let i = 0; i < n; i++) {
    const b = bucketStart(bars.ts[i] ?? 0, to);
    const h = bars.high[i] ?? 0;
    const l = bars.low[i] ?? 0;
    if (b !== last) {
      k++;
      last = b;
      out.ts[k] = b;
      out.open[k] = bars.open[i] ?? 0;
      out.high[k] = h;
      out.low[k] = l;
      out.volume[k] = 0;
    } else {
      if (h > (out.high[k] ?? 0)) out.high[k] = h;
      if (l < (out.low[k] ?? 0)) out.low[k] = l;
    }
    out.close[k] = bars.close[i] ?? 0;
    out.volume[k] = (out.volume[k] ?? 0) + (bars.volume[i] ?? 0);
  }
  return out;
}

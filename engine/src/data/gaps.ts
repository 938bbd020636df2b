/**
 * Gap report (see docs/data.md, "Gaps"). Gaps are reported, never filled.
 * - intraday (s, m, h units) and fixed multi-day/weekly intervals: a step longer than the interval
 *   is a gap; missing bars = ceil(step / interval) - 1.
 * - `1d`: only weekdays (Mon–Fri, by UTC date) are expected. Missing bars = weekdays strictly between
 *   two consecutive bars. One missing weekday is counted as a holiday (expected), two or more as a gap.
 * - `mo`: a step of more than `count` calendar months is a gap; missing = months / count - 1.
 */
import { DAY_MS, type Interval } from './interval.js';

export interface Gap {
  /** Last bar before the gap (epoch ms UTC). */
  readonly after: number;
  /** First bar after the gap (epoch ms UTC). */
  readonly before: number;
  /** Bars expected in between but absent. */
  readonly missing: number;
}

export interface GapReport {
  readonly rule: 'fixed-step' | 'weekdays' | 'calendar-months';
  /** Number of gaps (for `1d`: runs of >= 2 missing weekdays). */
  readonly count: number;
  /** Bars missing in all gaps. */
  readonly missingBars: number;
  /** `1d` only: single missing weekdays (holidays), not counted as gaps. */
  readonly holidays: number;
  /** Up to five largest gaps, largest first (ties: earliest first). */
  readonly largest: readonly Gap[];
}

/** Weekdays (Mon–Fri) in the UTC days strictly between day numbers a and b (days since epoch). */
export function weekdaysBetween(dayA: number, dayB: number): number {
  let n = 0;
  // Short loops only: daily steps are days to weeks apart; long holes are rare, so a closed form
  // is not worth its edge cases.
  for (let d = dayA + 1; d < dayB; d++) {
    const dow = (((d + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
    if (dow !== 0 && dow !== 6) n++;
  }
  return n;
}

function monthIndex(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export function findGaps(ts: Float64Array, length: number, interval: Interval): GapReport {
  const gaps: Gap[] = [];
  let missingBars = 0;
  let holidays = 0;
  const rule: GapReport['rule'] = interval.calendar ? 'calendar-months' : interval.text === '1d' ? 'weekdays' : 'fixed-step';
  for (let i = 1; i < length; i++) {
    const a = ts[i - 1] ?? 0;
    const b = ts[i] ?? 0;
    let missing = 0;
    if (rule === 'weekdays') {
      missing = weekdaysBetween(Math.floor(a / DAY_MS), Math.floor(b / DAY_MS));
      if (missing === 1) {
        holidays++;
        continue;
      }
    } else if (rule === 'calendar-months') {
      missing = Math.max(0, Math.ceil((monthIndex(b) - monthIndex(a)) / interval.count) - 1);
    } else if (b - a > interval.ms) {
      missing = Math.ceil((b - a) / interval.ms) - 1;
    }
    if (missing > 0) {
      gaps.push({ after: a, before: b, missing });
      missingBars += missing;
    }
  }
  const largest = [...gaps].sort((x, y) => y.missing - x.missing || x.after - y.after).slice(0, 5);
  return { rule, count: gaps.length, missingBars, holidays, largest };
}

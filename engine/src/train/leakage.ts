/**
 * Look-ahead check: a feature computed at bar t may only read bars ≤ t, so computing it on a
 * prefix of the bars must give the values the full series gives on that prefix. Any difference
 * (beyond 1e-12 relative, for accumulated rounding) fails the job with TRAIN_LEAKAGE naming the
 * feature, the first differing row and the prefix length.
 */
import type { BarsInput } from '../indicators/types.js';
import { trainError } from './errors.js';
import type { FeatureMatrix } from './matrix.js';

export const LEAKAGE_PREFIXES = [0.5, 0.75, 0.9] as const;

function prefix(bars: BarsInput, len: number): BarsInput {
  return { length: len, ts: bars.ts.subarray(0, len), open: bars.open.subarray(0, len), high: bars.high.subarray(0, len), low: bars.low.subarray(0, len), close: bars.close.subarray(0, len), volume: bars.volume.subarray(0, len) };
}

export function checkLeakage(compute: (bars: BarsInput) => FeatureMatrix, bars: BarsInput, full: FeatureMatrix = compute(bars), fractions: readonly number[] = LEAKAGE_PREFIXES): void {
  for (const f of fractions) {
    const len = Math.floor(bars.length * f);
    if (len < 2) continue;
    const part = compute(prefix(bars, len));
    full.columns.forEach((col, j) => {
      const pc = part.columns[j] as Float64Array;
      for (let i = 0; i < len; i++) {
        const a = col[i] as number;
        const b = pc[i] as number;
        const same = (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
        if (!same) {
          throw trainError('TRAIN_LEAKAGE', `feature '${full.names[j] ?? j}' reads future bars: at row ${i} it is ${a} on the full series but ${b} on the first ${len} bars`, {
            feature: full.names[j],
            row: i,
            prefix: len,
          });
        }
      }
    });
  }
}

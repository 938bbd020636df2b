/**
 * Feature binning for the histogram GBDT: at most `maxBin` bins per feature from the training
 * rows (equal-frequency over distinct values, LightGBM-style), plus one bin for missing values
 * (NaN), which always sorts to the right of every threshold.
 *
 * Bin b of feature j holds the values v with uppers[b−1] < v ≤ uppers[b], so "bin ≤ b" is
 * exactly "v ≤ uppers[b]": trees split in bin space and predict on raw values with the same result.
 */
import { checkParam } from './errors.js';
import type { FeatureMatrix } from './matrix.js';

export interface BinMapper {
  /** Upper bounds per feature, increasing; the last is Number.MAX_VALUE. */
  readonly uppers: readonly Float64Array[];
}

/** Upper bounds for one feature's values (NaN ignored). */
function featureUppers(values: Float64Array, maxBin: number): Float64Array {
  const tmp = new Float64Array(values.length);
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (!Number.isNaN(x)) tmp[m++] = x;
  }
  const v = tmp.subarray(0, m).sort();
  let distinct = m > 0 ? 1 : 0;
  for (let i = 1; i < m; i++) if ((v[i] as number) !== (v[i - 1] as number)) distinct++;
  const ups: number[] = [];
  if (distinct <= maxBin) {
    for (let i = 1; i < m; i++) if ((v[i] as number) !== (v[i - 1] as number)) ups.push(((v[i - 1] as number) + (v[i] as number)) / 2);
  } else {
    // Greedy equal frequency over runs of equal values: close a bin when it holds at least
    // remaining/binsLeft values, re-targeting the rest so a few very frequent values do not use
    // up the bins.
    let remaining = m;
    let binsLeft = maxBin;
    let inBin = 0;
    let i = 0;
    while (i < m && binsLeft > 1) {
      const x = v[i] as number;
      let j = i + 1;
      while (j < m && (v[j] as number) === x) j++;
      inBin += j - i;
      if (j >= m) break;
      if (inBin >= remaining / binsLeft) {
        ups.push((x + (v[j] as number)) / 2);
        remaining -= inBin;
        binsLeft--;
        inBin = 0;
      }
      i = j;
    }
  }
  ups.push(Number.MAX_VALUE);
  return Float64Array.from(ups);
}

export function fitBins(x: FeatureMatrix, maxBin = 255): BinMapper {
  checkParam(Number.isInteger(maxBin) && maxBin >= 2 && maxBin <= 255, 'maxBin', `must be an integer in [2, 255], got ${maxBin}`, maxBin);
  return { uppers: x.columns.map((c) => featureUppers(c, maxBin)) };
}

/** Number of value bins of feature j (the missing bin is this index). */
export function binCount(m: BinMapper, j: number): number {
  return (m.uppers[j] as Float64Array).length;
}

/** Column-major bins: bins[j * rows + row]; NaN → the feature's missing bin. */
export function applyBins(m: BinMapper, x: FeatureMatrix): Uint8Array {
  const F = x.columns.length;
  const n = x.rows;
  const out = new Uint8Array(n * F);
  for (let j = 0; j < F; j++) {
    const c = x.columns[j] as Float64Array;
    const ups = m.uppers[j] as Float64Array;
    const nb = ups.length;
    for (let i = 0; i < n; i++) {
      const v = c[i] as number;
      let b: number;
      if (Number.isNaN(v) || v > Number.MAX_VALUE) b = nb; // +Infinity goes right, as on raw values
      else {
        let lo = 0;
        let hi = nb - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (v <= (ups[mid] as number)) hi = mid;
          else lo = mid + 1;
        }
        b = lo;
      }
      out[j * n + i] = b;
    }
  }
  return out;
}

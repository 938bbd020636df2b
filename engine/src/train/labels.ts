/**
 * Labels for a bar-by-bar classifier. Each label says whether a position opened at bar i's close
 * would have done well, and records `end[i]`, the last bar the label looked at: purging in
 * cross-validation drops training rows whose [i, end[i]] overlaps a test period.
 *
 * - forward return: y = 1 when close[i+h] / close[i] − 1 > threshold (long; short: < −threshold);
 * - triple barrier (López de Prado): from bar i+1 to i+maxBars, the first bar whose high reaches
 *   close[i]·(1 + profitTake) gives 1, whose low reaches close[i]·(1 − stopLoss) gives 0 (both on
 *   the same bar: the stop, the conservative reading); neither by the time limit gives
 *   1 when the return at the limit is > 0 (`timeLimit: 'sign'`) or 0 (`timeLimit: 'zero'`).
 *   Short side mirrors the barriers.
 * Bars too close to the end for a label have valid[i] = 0.
 */
import type { Bars } from '../data/bars.js';
import { checkParam } from './errors.js';

export type LabelSpec =
  | { readonly kind: 'forward_return'; readonly horizon: number; readonly threshold?: number }
  | { readonly kind: 'triple_barrier'; readonly profitTake: number; readonly stopLoss: number; readonly maxBars: number; readonly timeLimit?: 'sign' | 'zero' };

export interface Labels {
  readonly y: Uint8Array;
  readonly valid: Uint8Array;
  /** Last bar index each label depends on. */
  readonly end: Int32Array;
}

type Side = 'long' | 'short';

export function checkLabelSpec(spec: LabelSpec): void {
  if (spec.kind === 'forward_return') {
    checkParam(Number.isInteger(spec.horizon) && spec.horizon >= 1, 'label.horizon', `must be an integer ≥ 1, got ${spec.horizon}`, spec.horizon);
    checkParam(Number.isFinite(spec.threshold ?? 0), 'label.threshold', 'must be a finite number', spec.threshold);
  } else {
    checkParam(spec.profitTake > 0 && Number.isFinite(spec.profitTake), 'label.profitTake', `must be a positive fraction, got ${spec.profitTake}`, spec.profitTake);
    checkParam(spec.stopLoss > 0 && spec.stopLoss < 1, 'label.stopLoss', `must be in (0, 1), got ${spec.stopLoss}`, spec.stopLoss);
    checkParam(Number.isInteger(spec.maxBars) && spec.maxBars >= 1, 'label.maxBars', `must be an integer ≥ 1, got ${spec.maxBars}`, spec.maxBars);
  }
}

export function forwardReturnLabels(close: Float64Array, horizon: number, threshold = 0, side: Side = 'long'): Labels {
  checkLabelSpec({ kind: 'forward_return', horizon, threshold });
  const n = close.length;
  const y = new Uint8Array(n);
  const valid = new Uint8Array(n);
  const end = new Int32Array(n).fill(-1);
  for (let i = 0; i + horizon < n; i++) {
    const r = (close[i + horizon] as number) / (close[i] as number) - 1;
    if (!Number.isFinite(r)) continue;
    y[i] = side === 'long' ? (r > threshold ? 1 : 0) : r < -threshold ? 1 : 0;
    valid[i] = 1;
    end[i] = i + horizon;
  }
  return { y, valid, end };
}

export function tripleBarrierLabels(bars: Pick<Bars, 'high' | 'low' | 'close' | 'length'>, profitTake: number, stopLoss: number, maxBars: number, timeLimit: 'sign' | 'zero' = 'sign', side: Side = 'long'): Labels {
  checkLabelSpec({ kind: 'triple_barrier', profitTake, stopLoss, maxBars, timeLimit });
  const n = bars.length;
  const y = new Uint8Array(n);
  const valid = new Uint8Array(n);
  const end = new Int32Array(n).fill(-1);
  const long = side === 'long';
  for (let i = 0; i < n - 1; i++) {
    const c = bars.close[i] as number;
    const up = long ? c * (1 + profitTake) : c * (1 + stopLoss);
    const dn = long ? c * (1 - stopLoss) : c * (1 - profitTake);
    let label = -1;
    let j = i + 1;
    const last = i + maxBars;
    for (; j <= last && j < n; j++) {
      const hitUp = (bars.high[j] as number) >= up;
      const hitDn = (bars.low[j] as number) <= dn;
      if (hitUp || hitDn) {
        // Both on one bar: the stop (long: down, short: up) is assumed first.
        label = long ? (hitDn ? 0 : 1) : hitUp ? 0 : 1;
        break;
      }
    }
    if (label < 0) {
      if (last >= n) continue; // the time limit lies beyond the data: no label
      j = last;
      const r = (bars.close[last] as number) / c - 1;
      label = timeLimit === 'zero' ? 0 : long ? (r > 0 ? 1 : 0) : r < 0 ? 1 : 0;
    }
    y[i] = label;
    valid[i] = 1;
    end[i] = j;
  }
  return { y, valid, end };
}

export function makeLabels(bars: Pick<Bars, 'high' | 'low' | 'close' | 'length'>, spec: LabelSpec, side: Side = 'long'): Labels {
  return spec.kind === 'forward_return' ? forwardReturnLabels(bars.close, spec.horizon, spec.threshold ?? 0, side) : tripleBarrierLabels(bars, spec.profitTake, spec.stopLoss, spec.maxBars, spec.timeLimit ?? 'sign', side);
}

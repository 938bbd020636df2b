import type { Bars } from './bars.js';

/** Allocates zeroed Bars of `length` rows. */
export function allocBars(symbol: string, interval: string, length: number): Bars {
  return {
    symbol, interval, length,
    ts: new Float64Array(length), open: new Float64Array(length), high: new Float64Array(length),
    low: new Float64Array(length), close: new Float64Array(length), volume: new Float64Array(length),
  };
}

/** A view of rows [start, end) sharing memory with `bars`. */
export function sliceBars(bars: Bars, start: number, end: number): Bars {
  const s = Math.max(0, Math.min(start, bars.length));
  const e = Math.max(s, Math.min(end, bars.length));
  return {
    symbol: bars.symbol, interval: bars.interval, length: e - s,
    ts: bars.ts.subarray(s, e), open: bars.open.subarray(s, e), high: bars.high.subarray(s, e),
    low: bars.low.subarray(s, e), close: bars.close.subarray(s, e), volume: bars.volume.subarray(s, e),
  };
}

/**
 * Checks the Bars invariants (bars.ts doc); returns the first broken one as text, or undefined.
 * For tests and defensive callers; the importer reports violations with file locations instead.
 */
export function barsInvariantProblem(bars: Bars): string | undefined {
  for (let i = 0; i < bars.length; i++) {
    const t = bars.ts[i] ?? NaN;
    const o = bars.open[i] ?? NaN;
    const h = bars.high[i] ?? NaN;
    const l = bars.low[i] ?? NaN;
    const c = bars.close[i] ?? NaN;
    const v = bars.volume[i] ?? NaN;
    if (!Number.isFinite(t)) return `row ${i}: ts not finite`;
    if (i > 0 && !(t > (bars.ts[i - 1] ?? NaN))) return `row ${i}: ts not strictly ascending`;
    if (!(o > 0 && h > 0 && l > 0 && c > 0) || !Number.isFinite(h)) return `row ${i}: price not finite and positive`;
    if (!(l <= Math.min(o, c) && Math.max(o, c) <= h)) return `row ${i}: OHLC inconsistent (o ${o} h ${h} l ${l} c ${c})`;
    if (!(v >= 0) || !Number.isFinite(v)) return `row ${i}: volume not finite and >= 0`;
  }
  return undefined;
}

import type { BacktestBars } from './run.js';

/** Bars from [open, high, low, close] rows, one per day (or per `stepMs`) from `t0`. */
export function ohlc(rows: readonly (readonly [number, number, number, number])[], interval = '1d', stepMs = 86_400_000, t0 = 0): BacktestBars {
  const n = rows.length;
  const col = (k: number) => Float64Array.from(rows.map((r) => r[k] as number));
  return {
    interval,
    length: n,
    ts: Float64Array.from(rows.map((_, i) => t0 + i * stepMs)),
    open: col(0),
    high: col(1),
    low: col(2),
    close: col(3),
  };
}

/** Flat bars (o = h = l = c) from closes. */
export function flat(closes: readonly number[]): BacktestBars {
  return ohlc(closes.map((c) => [c, c, c, c] as const));
}

export const u8 = (xs: readonly number[]): Uint8Array => Uint8Array.from(xs);

/** Zero-cost settings for hand checks. */
export const FREE = { commissionBps: 0, commissionFixed: 0, slippageBps: 0, initialCapital: 1000 } as const;

import type { Bars } from '@sigmatiq/engine';
import { plot, type PlotlyFigure } from '../display/plotly.js';
import type { DisplayOutput, Displayable } from '../display/mime.js';

/** Candles for display: `ts` as ISO strings, one entry per candle. */
export interface Candles {
  readonly x: string[];
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  /** Bars per candle (1 = not downsampled). */
  readonly step: number;
}

/** At most this many candles are sent to the browser. */
export const MAX_CANDLES = 2000;

/**
 * Aggregates consecutive runs of `step = ceil(n / max)` bars into one candle each (open of the
 * first, max high, min low, close of the last, time of the first), so the chart keeps every
 * extreme. Pure; `step` is 1 when `n <= max`.
 */
export function downsampleOhlc(bars: Pick<Bars, 'ts' | 'open' | 'high' | 'low' | 'close' | 'length'>, max: number = MAX_CANDLES): Candles {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`max candles must be a positive integer, got ${max}`);
  const step = Math.max(1, Math.ceil(bars.length / max));
  const out: Candles = { x: [], open: [], high: [], low: [], close: [], step };
  for (let i = 0; i < bars.length; i += step) {
    const end = Math.min(bars.length, i + step);
    let hi = -Infinity;
    let lo = Infinity;
    for (let j = i; j < end; j++) {
      hi = Math.max(hi, bars.high[j] ?? -Infinity);
      lo = Math.min(lo, bars.low[j] ?? Infinity);
    }
    out.x.push(new Date(bars.ts[i] ?? 0).toISOString());
    out.open.push(bars.open[i] ?? NaN);
    out.high.push(hi);
    out.low.push(lo);
    out.close.push(bars.close[end - 1] ?? NaN);
  }
  return out;
}

/** A Plotly candlestick figure of the candles. */
export function candlestickFigure(c: Candles, title: string): PlotlyFigure {
  return {
    data: [{ type: 'candlestick', name: title, x: c.x, open: c.open, high: c.high, low: c.low, close: c.close }],
    layout: { title: { text: title }, xaxis: { rangeslider: { visible: false } }, yaxis: { title: { text: 'price' } } },
  };
}

export function candlestickPlot(c: Candles, title: string): Displayable & DisplayOutput {
  return plot(candlestickFigure(c, title));
}

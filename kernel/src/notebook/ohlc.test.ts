import { describe, expect, it } from 'vitest';
import { candlestickFigure, downsampleOhlc } from './ohlc.js';

const f = (xs: number[]): Float64Array => Float64Array.from(xs);
const DAY = 86_400_000;
const bars = {
  ts: f([0, DAY, 2 * DAY, 3 * DAY, 4 * DAY]),
  open: f([10, 11, 12, 13, 14]),
  high: f([12, 15, 13, 14, 16]),
  low: f([9, 10, 8, 12, 13]),
  close: f([11, 12, 13, 14, 15]),
  length: 5,
};

describe('downsampleOhlc', () => {
  it('keeps every bar when n <= max', () => {
    const c = downsampleOhlc(bars, 5);
    expect(c.step).toBe(1);
    expect(c.open).toEqual([10, 11, 12, 13, 14]);
    expect(c.x[1]).toBe('1970-01-02T00:00:00.000Z');
  });
  it('aggregates runs of ceil(n/max) bars keeping the extremes', () => {
    // Oracle by hand: n=5, max=2 -> step 3; candles [0..2] and [3..4].
    // [0..2]: open 10 (first), high max(12,15,13)=15, low min(9,10,8)=8, close 13 (last), time of bar 0.
    // [3..4]: open 13, high max(14,16)=16, low min(12,13)=12, close 15, time of bar 3.
    const c = downsampleOhlc(bars, 2);
    expect(c.step).toBe(3);
    expect(c).toMatchObject({ open: [10, 13], high: [15, 16], low: [8, 12], close: [13, 15] });
    expect(c.x).toEqual(['1970-01-01T00:00:00.000Z', '1970-01-04T00:00:00.000Z']);
  });
  it('never returns more than max candles', () => {
    for (const max of [1, 2, 3, 4]) expect(downsampleOhlc(bars, max).x.length).toBeLessThanOrEqual(max);
  });
  it('rejects a non-positive max', () => {
    expect(() => downsampleOhlc(bars, 0)).toThrow(RangeError);
  });
  it('builds a Plotly candlestick trace', () => {
    const fig = candlestickFigure(downsampleOhlc(bars), 'SPX 1d');
    expect(fig.data[0]).toMatchObject({ type: 'candlestick', open: [10, 11, 12, 13, 14], close: [11, 12, 13, 14, 15] });
  });
});

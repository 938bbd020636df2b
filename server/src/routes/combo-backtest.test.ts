import { describe, expect, it } from 'vitest';
import { decimate } from './combo-backtest.js';

describe('decimate', () => {
  it('keeps every index when the series is short', () => {
    expect(decimate(5, 10, new Float64Array(5))).toEqual([0, 1, 2, 3, 4]);
  });
  it('keeps at most max points, the first, the last and the deepest drawdown, ascending', () => {
    const dd = new Float64Array(10_001);
    dd[4_321] = 0.5; // the deepest point, not on the stride (step = ceil(10001/98) = 103; 4321 = 41*103 + 98)
    const idx = decimate(10_001, 100, dd);
    expect(idx.length).toBeLessThanOrEqual(100);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(10_000);
    expect(idx).toContain(4_321);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  });
});

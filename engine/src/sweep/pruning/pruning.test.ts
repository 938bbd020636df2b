import { describe, expect, it } from 'vitest';
import { KendallEarlyStop, kendallTauB } from './kendall.js';
import { dominates, paretoFront } from './pareto.js';

const o = (sharpe_ratio: number, max_drawdown: number, total_trades: number): { sharpe_ratio: number; max_drawdown: number; total_trades: number } => ({ sharpe_ratio, max_drawdown, total_trades });

describe('Pareto pruning on (Sharpe ↑, −max drawdown ↑, trades ↑)', () => {
  it('dominance needs >= everywhere and > somewhere', () => {
    expect(dominates(o(1, 0.1, 30), o(1, 0.1, 30))).toBe(false);
    expect(dominates(o(1, 0.1, 31), o(1, 0.1, 30))).toBe(true);
    expect(dominates(o(1.1, 0.2, 30), o(1, 0.1, 30))).toBe(false);
  });
  it('keeps exactly the non-dominated rows (hand-checked)', () => {
    const rows = [
      o(1.0, 0.20, 30), // 0: kept (best Sharpe)
      o(0.8, 0.10, 30), // 1: kept (lower drawdown)
      o(0.8, 0.10, 25), // 2: dominated by 1
      o(0.5, 0.30, 50), // 3: kept (most trades)
      o(0.4, 0.30, 40), // 4: dominated by 3 (and by 0? no: fewer trades than 0? 40 > 30) -> by 3
      o(Number.NaN, 0.1, 100), // 5: NaN never kept
      o(1.0, 0.20, 30), // 6: equal to 0 -> not dominated, kept
    ];
    expect(paretoFront(rows)).toEqual([true, true, false, true, false, false, true]);
  });
  it('agrees with the O(n²) definition on random rows', () => {
    let seed = 12345;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const rows = Array.from({ length: 300 }, () => o(Math.round(rnd() * 20) / 10, Math.round(rnd() * 10) / 20, Math.floor(rnd() * 10)));
    const want = rows.map((r, i) => !rows.some((s, j) => j !== i && dominates(s, r)));
    expect(paretoFront(rows)).toEqual(want);
  });
});

describe('Kendall-τ early stop (τ >= 0.95 over M = 3 checks of the top N = 10 every W = 100)', () => {
  it('τ-b of hand-checked pairs', () => {
    expect(kendallTauB([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(kendallTauB([1, 2, 3], [3, 2, 1])).toBe(-1);
    // pairs (1,2)c (1,3)c (2,3)d -> (2 - 1)/3
    expect(kendallTauB([1, 2, 3], [1, 3, 2])).toBeCloseTo(1 / 3, 15);
    // one tie in x: pairs (1,2) tie-x, (1,3) c, (2,3) c: (2 - 0)/√(2·3)
    expect(kendallTauB([1, 1, 2], [1, 2, 3])).toBeCloseTo(2 / Math.sqrt(6), 15);
  });
  it('stops after 3 stable checks when nothing enters the top 10 any more', () => {
    const stop = new KendallEarlyStop();
    // The first 100 combos hold the 10 best (Sharpe 100..109); later ones are all worse.
    let stoppedAt = -1;
    for (let i = 0; i < 1000; i++) {
      const s = i < 100 ? (i >= 90 ? 100 + i : i / 100) : -1 - i / 1e4;
      if (stop.push(s)) { stoppedAt = i + 1; break; }
    }
    // Checks at 100 (baseline), 200, 300, 400 (τ = 1 each): the third stable check is at 400.
    expect(stoppedAt).toBe(400);
    expect(stop.history.map((h) => h.tau)).toEqual([1, 1, 1]);
  });
  it('does not stop while newcomers keep entering the top 10', () => {
    const stop = new KendallEarlyStop();
    for (let i = 0; i < 1000; i++) expect(stop.push(i)).toBe(false); // ever-increasing Sharpe
    expect(stop.history.every((h) => h.tau < 0.95)).toBe(true);
  });
  it('a stable streak is reset by one unstable check', () => {
    const stop = new KendallEarlyStop({ window: 10, topN: 3, checks: 2 });
    const seq: number[] = [];
    for (let i = 0; i < 10; i++) seq.push(i); // check 10: baseline top {9,8,7}
    for (let i = 0; i < 10; i++) seq.push(-1); // check 20: stable (streak 1)
    for (let i = 0; i < 10; i++) seq.push(50 + i); // check 30: newcomers (streak 0)
    for (let i = 0; i < 10; i++) seq.push(-1); // check 40: stable (streak 1)
    for (let i = 0; i < 10; i++) seq.push(-1); // check 50: stable (streak 2) -> stop
    const at = seq.findIndex((s) => stop.push(s));
    expect(at + 1).toBe(50);
  });
});

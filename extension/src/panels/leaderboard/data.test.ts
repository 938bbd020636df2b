import { describe, expect, it } from 'vitest';
import type { Combination, Sweep } from '../common/api';
import { gatePolicyText, heatmap, matches, rank, sweptParams, toCsv, toDoc } from './data';

const combo = (combo_id: number, params: Record<string, unknown>, sharpe: number, gate: 'PASS' | 'MARGINAL' | 'FAIL' = 'PASS', kept = true): Combination => ({
  sweep_id: 's', combo_id, params, config_hash: `h${combo_id}`, backtest_metrics: { sharpe_ratio: sharpe, total_return: sharpe / 10, max_drawdown: 0.1, total_trades: 5 },
  gate_results: { quality: gate }, gate_status: gate, kept,
});
const sweep: Sweep = {
  id: 'sweep-1234567890', model_version_id: 'mv', data_snapshot_id: 'ds', type: 'simple', date_range: { start: '2000-01-01', end: '2001-01-01' },
  parameters: {}, tag: null, combo_cap: 45, config_hash: 'x', created_at: '2026-01-01T00:00:00Z', run: { status: 'running', progress: 0.5, started_at: null, ended_at: null },
};

describe('leaderboard data', () => {
  const combos = [combo(0, { a: 1, b: 'x' }, 0.5), combo(1, { a: 2, b: 'x' }, 1.5, 'FAIL'), combo(2, { a: 1, b: 'y' }, 1.5, 'MARGINAL'), combo(3, { a: 2, b: 'y' }, 9, 'PASS', false)];

  it('ranks kept combinations by Sharpe descending, ties by combo_id (the sidecar order)', () => {
    // Hand-checked: kept = 0 (0.5), 1 (1.5), 2 (1.5); 1 and 2 tie -> combo_id order.
    expect(rank(combos).map((c) => [c.combo_id, c.rank])).toEqual([[1, 1], [2, 2], [0, 3]]);
  });

  it('breaks a Sharpe tie by total return (desc) before combo_id, as docs/sweeps.md says', () => {
    // Hand-checked: Sharpe 1 for all; returns 5:0.1, 4:0.3, 6:0.1 -> 4 first, then 5 and 6 by combo_id.
    const tied = [5, 4, 6].map((id) => ({ ...combo(id, { a: id }, 1), backtest_metrics: { sharpe_ratio: 1, total_return: id === 4 ? 0.3 : 0.1 } }));
    expect(rank(tied).map((c) => c.combo_id)).toEqual([4, 5, 6]);
  });

  it('finds the swept parameters and builds the heatmap grid (best value per cell)', () => {
    expect(sweptParams(combos)).toEqual(['a', 'b']);
    expect(sweptParams([combo(0, { a: 1, k: 3 }, 1), combo(1, { a: 2, k: 3 }, 1)])).toEqual(['a']);
    const hm = heatmap(combos);
    expect(hm).toEqual({ x: 'a', y: 'b', xs: [1, 2], ys: ['x', 'y'], z: [[0.5, 1.5], [1.5, 9]] });
    expect(heatmap([combo(0, { a: 1 }, 1), combo(1, { a: 2 }, 2)])).toBeNull();
  });

  it('filters by gate and by name=value terms', () => {
    const f = { gates: ['PASS', 'MARGINAL'] as ('PASS' | 'MARGINAL' | 'FAIL')[], text: '' };
    expect(combos.filter((c) => matches(c, f)).map((c) => c.combo_id)).toEqual([0, 2, 3]);
    expect(combos.filter((c) => matches(c, { ...f, text: 'A=1 b=y' })).map((c) => c.combo_id)).toEqual([2]);
    const doc = toDoc(sweep, combos, null, f);
    expect(doc.rows.map((r) => r.rank)).toEqual([2, 3]); // rank stays the rank over all kept rows
    expect(doc.stats).toEqual({ trials: 4, dsr: null, pbo: null });
    expect(doc.title).toContain('3 kept of 4');
  });

  it('exports every combination as CSV, ranked first, quoting where needed', () => {
    const csv = toCsv([...combos, combo(4, { a: 3, b: 'q,"r"' }, 0.1)]);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('rank,combo_id,gate_status,kept,a,b,max_drawdown,sharpe_ratio,total_return,total_trades,config_hash');
    expect(lines[1]).toBe('1,1,FAIL,true,2,x,0.1,1.5,0.15,5,h1');
    expect(lines.at(-1)).toBe(',3,PASS,false,2,y,0.1,9,0.9,5,h3');
    expect(lines).toContain('4,4,PASS,true,3,"q,""r""",0.1,0.1,0.01,5,h4');
  });

  it('states the gate policy with PASS and MARGINAL bounds (hand-computed)', () => {
    // Engine defaults: 20 × (1 − 0.2) = 16; 0 − 0.1 = −0.1; 0.5 + 0.05 = 0.55 -> 55%.
    expect(gatePolicyText({ sweep_id: 's', thresholds: { min_trades: 20, min_sharpe: 0, max_drawdown: 0.5 }, tolerances: { trades_fraction: 0.2, sharpe: 0.1, drawdown: 0.05, win_rate: 0.05, profit_factor: 0.1 } }))
      .toBe('Gates: trades ≥ 20 (MARGINAL ≥ 16) · Sharpe ≥ 0 (≥ -0.1) · drawdown ≤ 50% (≤ 55%)');
    // Pack + sweep policy of the sidecar test: 30 × 0.8 = 24; 0.5 − 0.25; 0.25 + 0.125 = 0.375; 0.5 − 0.0625 = 0.4375; 1.2 − 0.1 = 1.1.
    expect(gatePolicyText({ sweep_id: 's', thresholds: { min_trades: 30, min_sharpe: 0.5, max_drawdown: 0.25, min_win_rate: 0.5, min_profit_factor: 1.2 }, tolerances: { trades_fraction: 0.2, sharpe: 0.25, drawdown: 0.125, win_rate: 0.0625, profit_factor: 0.1 } }))
      .toBe('Gates: trades ≥ 30 (MARGINAL ≥ 24) · Sharpe ≥ 0.5 (≥ 0.25) · drawdown ≤ 25% (≤ 37.5%) · win rate ≥ 50% (≥ 43.75%) · profit factor ≥ 1.2 (≥ 1.1)');
  });
});


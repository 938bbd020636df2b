import { describe, expect, it } from 'vitest';
import type { SigmatiqClient } from '../sidecar/client.js';
import { COMBO_BATCH_BYTES, postCombinations, type SidecarCombination } from './registry.js';

const metrics = { total_return: 0.1, annualized_return: 0.01, sharpe_ratio: 0.5, sortino_ratio: 0.6, max_drawdown: 0.1, win_rate: 0.5, profit_factor: 1.1, total_trades: 30, avg_trade_duration_days: 4, best_trade: 0.1, worst_trade: -0.1, avg_winner: 0.01, avg_loser: -0.01 };

// A stand-in for the typed client's one route used here: records every batch it is sent.
function recorder(): { client: SigmatiqClient; batches: SidecarCombination[][] } {
  const batches: SidecarCombination[][] = [];
  let total = 0;
  const $post = (req: { json: { items: SidecarCombination[] } }) => {
    batches.push(req.json.items);
    total += req.json.items.length;
    return Promise.resolve({ ok: true, status: 201, json: () => Promise.resolve({ inserted: req.json.items.length, total }) });
  };
  return { client: { v1: { sweeps: { ':id': { combinations: { $post } } } } } as unknown as SigmatiqClient, batches };
}

describe('postCombinations', () => {
  it('splits at 1,000 items and keeps every batch under the byte budget, in order', async () => {
    const long = 'x'.repeat(900);
    const items: SidecarCombination[] = Array.from({ length: 2500 }, (_, i) => ({ combo_id: i, params: { note: i % 2 === 0 ? long : 'short' }, backtest_metrics: metrics, gate_results: { min_trades: 'PASS' }, kept: true }));
    const { client, batches } = recorder();
    expect(await postCombinations(client, 's', items)).toBe(2500);
    expect(batches.flat().map((c) => c.combo_id)).toEqual(items.map((c) => c.combo_id));
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(1000);
      expect(JSON.stringify({ items: b }).length).toBeLessThanOrEqual(COMBO_BATCH_BYTES + 64);
    }
    // Hand count: an even item is 1,260 bytes of JSON with 1 of separator, an odd one 365 + 1: 813.5 on average, so
    // 524,288 bytes hold 644 items and 2,500 items need ceil(2500 / 644) = 4 batches.
    expect(batches.length).toBe(4);
  });
  it('sends nothing for no items', async () => {
    const { client, batches } = recorder();
    expect(await postCombinations(client, 's', [])).toBe(0);
    expect(batches).toEqual([]);
  });
});

/**
 * The sidecar's leaderboard uses the one tie rule of docs/sweeps.md ("Leaderboard order"): Sharpe descending,
 * then total return descending, then combo_id ascending. Oracle: the engine's own ranking (`rankResults`), an
 * independent implementation in TypeScript over the same rows, so a sweep's winner is the same in `%%sweep`'s
 * summary, `%leaderboard`, the Leaderboard panel and this route.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rankResults, type ComboResult } from '@sigmatiq/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../testing/harness.js';
import { buildWorld, call, METRICS, newOrg, type World } from '../testing/world.js';

let t: TestApp;
let w: World;
let dir: string;
let sweepId = '';
// [combo_id, sharpe, total_return]: ties on Sharpe (1.0 x4), on Sharpe and return (combos 1, 4 and 6), ties posted out of order.
const COMBOS: [number, number, number][] = [[6, 1.0, 0.2], [0, 0.4, 0.9], [4, 1.0, 0.2], [1, 1.0, 0.2], [2, 1.0, 0.3], [3, 2.0, -0.1], [5, 0.4, 0.9]];

// A file database, so the prepared-statement reader is the one answering.
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sq-lborder-'));
  t = await makeTestApp(dir);
  w = await buildWorld(t.app, (await newOrg(t.app, t.adminKey, 'acme')).key, 'a');
  const created = await call(t.app, w.key, 'POST', '/v1/sweeps', {
    model_version_id: w.ids['model_version'], data_snapshot_id: w.ids['data_snapshot'], type: 'simple',
    date_range: { start: '2022-01-01', end: '2023-12-31' }, parameters: { k: COMBOS.map((c) => c[0]) },
  });
  sweepId = String(((await created.json()) as { id: string }).id);
  await call(t.app, w.key, 'POST', `/v1/sweeps/${sweepId}/start`);
  const res = await call(t.app, w.key, 'POST', `/v1/sweeps/${sweepId}/combinations`, {
    items: COMBOS.map(([id, sharpe, ret]) => ({ combo_id: id, params: { k: id }, backtest_metrics: { ...METRICS, sharpe_ratio: sharpe, total_return: ret }, kept: true })),
  });
  expect(res.status).toBe(201);
});
afterAll(() => {
  t.close();
  rmSync(dir, { recursive: true, force: true });
});

function engineOrder(): number[] {
  // Engine rows with the same combo ids and metrics; config_hash deliberately in the opposite order of combo_id,
  // so a rule that broke ties by hash would disagree.
  const rows: ComboResult[] = COMBOS.map(([id, sharpe, ret]) => ({
    combo_id: id, params: { k: id }, config_hash: String(100 - id), kept: true, rank: 0, gate: { status: 'PASS', checks: [] },
    metrics: { ...METRICS, sharpe_ratio: sharpe, total_return: ret },
  }));
  return rankResults(rows).map((r) => r.combo_id);
}

describe('leaderboard order', () => {
  it('ranks like the engine: Sharpe desc, then total return desc, then combo_id asc', async () => {
    // By hand: 3 (2.0); Sharpe 1.0: 2 (return 0.3), then 1, 4, 6 (return 0.2, by combo_id); Sharpe 0.4: 0, 5.
    expect(engineOrder()).toEqual([3, 2, 1, 4, 6, 0, 5]);
    const body = (await (await call(t.app, w.key, 'GET', `/v1/sweeps/${sweepId}/leaderboard`)).json()) as { items: { rank: number; combo_id: number }[] };
    expect(body.items.map((i) => i.combo_id)).toEqual(engineOrder());
    expect(body.items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps the same ranks when filtered by gate and when paged', async () => {
    const page = (await (await call(t.app, w.key, 'GET', `/v1/sweeps/${sweepId}/leaderboard?limit=2&offset=3`)).json()) as { items: { rank: number; combo_id: number }[] };
    expect(page.items.map((i) => [i.rank, i.combo_id])).toEqual([[4, 4], [5, 6]]);
    const gated = (await (await call(t.app, w.key, 'GET', `/v1/sweeps/${sweepId}/leaderboard?gate_status=PASS`)).json()) as { items: { rank: number; combo_id: number }[] };
    expect(gated.items.map((i) => [i.rank, i.combo_id])).toEqual(engineOrder().map((id, i) => [i + 1, id]));
  });
});

describe('profit factor of a combination without a losing trade', () => {
  it('is stored and served as null (+∞; JSON has no infinity), while a negative one is refused', async () => {
    const post = (combo_id: number, profit_factor: number | null) => call(t.app, w.key, 'POST', `/v1/sweeps/${sweepId}/combinations`, {
      items: [{ combo_id, params: { k: combo_id }, backtest_metrics: { ...METRICS, profit_factor }, kept: false }],
    });
    expect((await post(20, null)).status).toBe(201);
    expect((await post(21, -1)).status).toBe(400);
    const list = (await (await call(t.app, w.key, 'GET', `/v1/sweeps/${sweepId}/combinations`)).json()) as { items: { combo_id: number; backtest_metrics: Record<string, unknown> }[] };
    const stored = list.items.find((c) => c.combo_id === 20);
    expect(stored?.backtest_metrics['profit_factor']).toBeNull();
    expect(list.items.some((c) => c.combo_id === 21)).toBe(false);
  });
});

/**
 * POST /v1/sweeps/{id}/combinations is idempotent per combo_id: a runner streams rows while the sweep runs and
 * re-sends at the end only those whose final Pareto `kept` changed. Oracle: the rows read back with GET.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../testing/harness.js';
import { METRICS, buildWorld, call, newOrg } from '../testing/world.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

type Json = Record<string, unknown>;
const json = async (res: Response): Promise<Json> => (await res.json()) as Json;
const item = (combo_id: number, kept: boolean, sharpe: number) => ({ combo_id, params: { i: combo_id }, backtest_metrics: { ...METRICS, sharpe_ratio: sharpe }, gate_results: {}, kept });

describe('POST /v1/sweeps/{id}/combinations upserts by combo_id', () => {
  it('replaces a stored combination instead of duplicating it; only new ids count against the cap', async () => {
    const { key } = await newOrg(t.app, t.adminKey, 'upsert', 'free');
    const w = await buildWorld(t.app, key, 'u');
    const path = `/v1/sweeps/${w.ids['sweep'] ?? ''}/combinations`;
    const before = ((await json(await call(t.app, key, 'GET', `${path}?limit=100`)))['items'] as Json[]).length;
    const first = await call(t.app, key, 'POST', path, { items: [item(100, true, 1.5), item(101, true, 0.5)] });
    expect(first.status).toBe(201);
    expect(await json(first)).toEqual({ inserted: 2, total: before + 2 });
    const again = await call(t.app, key, 'POST', path, { items: [item(101, false, 0.75), item(102, true, 2)] });
    expect(await json(again)).toEqual({ inserted: 1, total: before + 3 });
    const rows = (await json(await call(t.app, key, 'GET', `${path}?limit=100`)))['items'] as Json[];
    expect(rows.length).toBe(before + 3);
    const r101 = rows.filter((r) => r['combo_id'] === 101);
    expect(r101.length).toBe(1);
    expect(r101[0]).toMatchObject({ kept: false, backtest_metrics: { sharpe_ratio: 0.75 } });
    // Free plan, simple sweep: cap 45. Filling up to it, then re-sending stored ids is still allowed.
    const fill = Array.from({ length: 45 - (before + 3) }, (_, i) => item(200 + i, true, 1));
    expect((await call(t.app, key, 'POST', path, { items: fill })).status).toBe(201);
    const resend = await call(t.app, key, 'POST', path, { items: [item(100, false, 1.5), item(200, false, 1)] });
    expect(await json(resend)).toEqual({ inserted: 0, total: 45 });
    const over = await call(t.app, key, 'POST', path, { items: [item(100, true, 1.5), item(999, true, 1)] });
    expect(over.status).toBe(403);
    expect((await json(over))['details']).toMatchObject({ limit: 'combo_cap', value: 45, requested_total: 46 });
  });
});

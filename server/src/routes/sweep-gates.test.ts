/**
 * The sidecar judges gates itself (engine evaluateGates under the sweep's policy: pack gates.quality, then the
 * sweep's quality_gates), over real HTTP on 127.0.0.1 against a real libsql file database.
 *
 * Oracle: the bounds below, computed by hand from the policy (engine/src/sweep/gates/gates.ts formulas,
 * every value exact in float64, checked in the first test):
 *   pack gates.quality: min_trades 30, min_sharpe 1.0, max_drawdown 0.25, min_win_rate 0.5
 *   sweep quality_gates: thresholds { min_sharpe: 0.5 }, tolerances { sharpe: 0.25, drawdown: 0.125, win_rate: 0.0625 }
 *   => min_trades   PASS >= 30,   MARGINAL >= 30 × (1 − 0.2) = 24   (default trades_fraction 0.2)
 *      min_sharpe   PASS >= 0.5,  MARGINAL >= 0.5 − 0.25 = 0.25      (the sweep's 0.5 overrides the pack's 1.0)
 *      max_drawdown PASS <= 0.25, MARGINAL <= 0.25 + 0.125 = 0.375
 *      min_win_rate PASS >= 0.5,  MARGINAL >= 0.5 − 0.0625 = 0.4375
 * A stand-in pack without a gates section gets the engine defaults: min_trades 20 (MARGINAL >= 16), min_sharpe 0
 * (MARGINAL >= −0.1), max_drawdown 0.5 (MARGINAL <= 0.55).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverSidecar } from '../discover.js';
import { startSidecar, type RunningSidecar } from '../sidecar.js';
import { samplePack } from '../testing/fixtures.js';
import { METRICS, snapshotFile } from '../testing/world.js';

type Json = Record<string, unknown>;
let dir: string;
let sidecar: RunningSidecar;
let key: string;
const ids: Record<string, string> = {};

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${sidecar.url}${url}`, {
    method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}
async function ok(method: string, url: string, body?: unknown): Promise<Json> {
  const r = await call(method, url, body);
  if (r.status >= 300) throw new Error(`${method} ${url} -> ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** The neighbouring float64 (IEEE-754 bit pattern ± 1, for positive finite x). */
function nextAfter(x: number, up: boolean): number {
  const b = new Float64Array([x]);
  const i = new BigInt64Array(b.buffer);
  i[0] = (i[0] ?? 0n) + (up ? 1n : -1n);
  return b[0] ?? Number.NaN;
}

const PACK_GATES = {
  quality: { min_trades: 30, min_sharpe: 1.0, max_drawdown: 0.25, min_win_rate: 0.5 },
  execution: { max_slippage_bps: 10, min_volume: 0, max_spread: 0.01 },
  risk: { max_position_size: 1, max_leverage: 1, max_daily_loss: 0.05 },
};
const SWEEP_GATES = { thresholds: { min_sharpe: 0.5 }, tolerances: { sharpe: 0.25, drawdown: 0.125, win_rate: 0.0625 } };
/** Exactly at every PASS threshold. */
const AT = { total_trades: 30, sharpe_ratio: 0.5, max_drawdown: 0.25, win_rate: 0.5 };

async function newSweep(packSpec: Json, qualityGates?: unknown): Promise<{ status: number; body: Json }> {
  const n = Object.keys(ids).length;
  const pack = await ok('POST', '/v1/packs', { ...samplePack(`gates-${n}`), spec: packSpec });
  const model = await ok('POST', '/v1/models', { pack_id: pack['id'], name: `gates-model-${n}` });
  const mv = await ok('POST', `/v1/models/${String(model['id'])}/versions`, { config_yaml: `strategy: momentum\nn: ${n}\n` });
  ids[`pack-${n}`] = String(pack['id']);
  return call('POST', '/v1/sweeps', {
    model_version_id: mv['id'], data_snapshot_id: ids['snap'], type: 'custom', date_range: { start: '2022-01-01', end: '2023-12-31' },
    parameters: { n }, ...(qualityGates === undefined ? {} : { quality_gates: qualityGates }),
  });
}
async function startedSweep(packSpec: Json, qualityGates?: unknown): Promise<string> {
  const r = await newSweep(packSpec, qualityGates);
  if (r.status !== 201) throw new Error(`sweep: ${r.status} ${JSON.stringify(r.body)}`);
  const id = String(r.body['id']);
  await ok('POST', `/v1/sweeps/${id}/start`);
  return id;
}
const item = (combo_id: number, m: Partial<typeof METRICS>, gate_results?: Record<string, string>) =>
  ({ combo_id, params: { c: combo_id }, backtest_metrics: { ...METRICS, ...m }, ...(gate_results === undefined ? {} : { gate_results }), kept: true });

async function stored(sweepId: string): Promise<Map<number, Json>> {
  const rows = (await ok('GET', `/v1/sweeps/${sweepId}/combinations?limit=500`))['items'] as Json[];
  return new Map(rows.map((r) => [Number(r['combo_id']), r]));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sq-gates-'));
  sidecar = await startSidecar({ dataDir: dir, port: 0, host: '127.0.0.1' });
  key = discoverSidecar(dir).key ?? '';
  ids['snap'] = String((await ok('POST', '/v1/data-snapshots', {
    name: 'gates', uri: snapshotFile('gates\n'), date_range: { start: '2022-01-01', end: '2023-12-31' }, data_source_version: 'v1',
  }))['id']);
}, 30_000);
afterAll(async () => {
  await sidecar.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('gate status computed by the sidecar with the engine', () => {
  it('PASS / MARGINAL / FAIL at the edges of the pack + sweep policy (bounds inclusive)', async () => {
    // The hand-computed bounds are exact float64 values (so "at the bound" is exact).
    expect([30 * (1 - 0.2), 0.5 - 0.25, 0.25 + 0.125, 0.5 - 0.0625]).toEqual([24, 0.25, 0.375, 0.4375]);
    const id = await startedSweep({ indicators: [], gates: PACK_GATES }, SWEEP_GATES);
    const cases: [number, Partial<typeof METRICS>, 'PASS' | 'MARGINAL' | 'FAIL', Record<string, string>][] = [
      [0, AT, 'PASS', { min_trades: 'PASS', min_sharpe: 'PASS', max_drawdown: 'PASS', min_win_rate: 'PASS' }],
      [1, { ...AT, total_trades: 29 }, 'MARGINAL', { min_trades: 'MARGINAL' }],
      [2, { ...AT, total_trades: 24 }, 'MARGINAL', { min_trades: 'MARGINAL' }],
      [3, { ...AT, total_trades: 23 }, 'FAIL', { min_trades: 'FAIL' }],
      [4, { ...AT, sharpe_ratio: nextAfter(0.5, false) }, 'MARGINAL', { min_sharpe: 'MARGINAL' }],
      [5, { ...AT, sharpe_ratio: 0.25 }, 'MARGINAL', { min_sharpe: 'MARGINAL' }],
      [6, { ...AT, sharpe_ratio: nextAfter(0.25, false) }, 'FAIL', { min_sharpe: 'FAIL' }],
      [7, { ...AT, max_drawdown: nextAfter(0.25, true) }, 'MARGINAL', { max_drawdown: 'MARGINAL' }],
      [8, { ...AT, max_drawdown: 0.375 }, 'MARGINAL', { max_drawdown: 'MARGINAL' }],
      [9, { ...AT, max_drawdown: nextAfter(0.375, true) }, 'FAIL', { max_drawdown: 'FAIL' }],
      [10, { ...AT, win_rate: 0.4375 }, 'MARGINAL', { min_win_rate: 'MARGINAL' }],
      [11, { ...AT, win_rate: nextAfter(0.4375, false) }, 'FAIL', { min_win_rate: 'FAIL' }],
      // One check failing outright beats any number of marginal ones.
      [12, { total_trades: 24, sharpe_ratio: 0.25, max_drawdown: 0.375, win_rate: 0.4 }, 'FAIL', { min_trades: 'MARGINAL', min_sharpe: 'MARGINAL', max_drawdown: 'MARGINAL', min_win_rate: 'FAIL' }],
      // Well above every threshold, and a profit factor of +∞ (null): no profit-factor gate in this policy.
      [13, { total_trades: 300, sharpe_ratio: 3, max_drawdown: 0.01, win_rate: 0.9, profit_factor: null as unknown as number }, 'PASS', {}],
    ];
    const r = await call('POST', `/v1/sweeps/${id}/combinations`, { items: cases.map(([c, m]) => item(c, m)) });
    expect(r).toEqual({ status: 201, body: { inserted: cases.length, total: cases.length } });
    const got = await stored(id);
    for (const [c, , status, checks] of cases) {
      const row = got.get(c);
      expect(row?.['gate_status'], `combo ${c}`).toBe(status);
      // Stored gate_results are the engine's per-check statuses (every check not named above is PASS).
      expect(row?.['gate_results'], `combo ${c}`).toEqual({ min_trades: 'PASS', min_sharpe: 'PASS', max_drawdown: 'PASS', min_win_rate: 'PASS', ...checks });
    }
    const marginal = (await ok('GET', `/v1/sweeps/${id}/leaderboard?gate_status=MARGINAL&limit=50`))['items'] as Json[];
    expect(marginal.map((e) => e['combo_id']).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 4, 5, 7, 8, 10]);
    await ok('POST', `/v1/sweeps/${id}/complete`);
  });

  it('a pack without gates gets the engine defaults (20 trades, relaxed 16)', async () => {
    const id = await startedSweep({ indicators: [] });
    const r = await call('POST', `/v1/sweeps/${id}/combinations`, {
      items: [item(0, { total_trades: 20, sharpe_ratio: 0 }), item(1, { total_trades: 16 }), item(2, { total_trades: 15 }), item(3, { sharpe_ratio: -0.1 }), item(4, { max_drawdown: 0.55 })],
    });
    expect(r.status).toBe(201);
    const got = await stored(id);
    expect([0, 1, 2, 3, 4].map((c) => got.get(c)?.['gate_status'])).toEqual(['PASS', 'MARGINAL', 'FAIL', 'MARGINAL', 'MARGINAL']);
    await ok('POST', `/v1/sweeps/${id}/complete`);
  });

  it('refuses a sent gate claim the engine does not reproduce (422 GATE_MISMATCH, nothing stored), accepts one it does', async () => {
    const id = await startedSweep({ indicators: [], gates: PACK_GATES }, SWEEP_GATES);
    // 25 trades: MARGINAL here (>= 24, < 30); it would be PASS under the defaults (20), the client's mistake.
    const bad = await call('POST', `/v1/sweeps/${id}/combinations`, {
      items: [item(0, AT, { quality: 'PASS' }), item(1, { ...AT, total_trades: 25 }, { min_trades: 'PASS', min_sharpe: 'PASS' })],
    });
    expect(bad).toMatchObject({
      status: 422,
      body: { code: 'GATE_MISMATCH', details: { field: 'items.1.gate_results.min_trades', sent: 'PASS', computed: 'MARGINAL', gate_status: 'MARGINAL', threshold: 30, relaxed: 24, value: 25 } },
    });
    const overall = await call('POST', `/v1/sweeps/${id}/combinations`, { items: [item(2, { ...AT, sharpe_ratio: 0.1 }, { quality: 'MARGINAL' })] });
    expect(overall).toMatchObject({ status: 422, body: { code: 'GATE_MISMATCH', details: { field: 'items.0.gate_results.quality', sent: 'MARGINAL', computed: 'FAIL' } } });
    const unknown = await call('POST', `/v1/sweeps/${id}/combinations`, { items: [item(3, AT, { risk: 'PASS' })] });
    expect(unknown).toMatchObject({ status: 422, body: { code: 'GATE_MISMATCH', details: { field: 'items.0.gate_results.risk', computed: null } } });
    expect((await stored(id)).size).toBe(0);
    const good = await call('POST', `/v1/sweeps/${id}/combinations`, {
      items: [item(1, { ...AT, total_trades: 25 }, { quality: 'MARGINAL', min_trades: 'MARGINAL', min_sharpe: 'PASS', max_drawdown: 'PASS', min_win_rate: 'PASS' })],
    });
    expect(good.status).toBe(201);
    expect((await stored(id)).get(1)?.['gate_status']).toBe('MARGINAL');
    await ok('POST', `/v1/sweeps/${id}/complete`);
  });

  it('refuses a sweep whose gate policy does not resolve (422 GATE_POLICY_INVALID)', async () => {
    expect(await newSweep({ indicators: [] }, { thresholds: { max_drawdown: 2 } })).toMatchObject({ status: 422, body: { code: 'GATE_POLICY_INVALID', details: { field: 'max_drawdown' } } });
    expect(await newSweep({ indicators: [] }, { min_trades: 10, bogus: 1 })).toMatchObject({ status: 422, body: { code: 'GATE_POLICY_INVALID' } });
    const noTrades = { ...PACK_GATES, quality: { min_sharpe: 0, max_drawdown: 0.5 } };
    expect(await newSweep({ indicators: [], gates: noTrades })).toMatchObject({ status: 422, body: { code: 'GATE_POLICY_INVALID', details: { field: 'spec.gates.quality.min_trades' } } });
    // Bare thresholds are accepted, as in a %%sweep plan's `gates:`.
    const bare = await newSweep({ indicators: [] }, { min_trades: 10 });
    expect(bare.status).toBe(201);
    await ok('POST', `/v1/sweeps/${String(bare.body['id'])}/cancel`);
  });

  it('GET /v1/sweeps/{id}/gate-policy shows the resolved policy the combinations are judged by', async () => {
    // Hand-resolved (file comment): the pack's quality gates, the sweep's min_sharpe 0.5 and tolerances over the defaults.
    const id = await startedSweep({ indicators: [], gates: PACK_GATES }, SWEEP_GATES);
    expect(await ok('GET', `/v1/sweeps/${id}/gate-policy`)).toEqual({
      sweep_id: id,
      thresholds: { min_trades: 30, min_sharpe: 0.5, max_drawdown: 0.25, min_win_rate: 0.5 },
      tolerances: { trades_fraction: 0.2, sharpe: 0.25, drawdown: 0.125, win_rate: 0.0625, profit_factor: 0.1 },
    });
    // No pack gates, no overrides: the engine defaults (engine/src/sweep/gates/gates.ts DEFAULT_GATES, DEFAULT_TOLERANCES).
    const bare = await startedSweep({ indicators: [] });
    expect(await ok('GET', `/v1/sweeps/${bare}/gate-policy`)).toEqual({
      sweep_id: bare,
      thresholds: { min_trades: 20, min_sharpe: 0, max_drawdown: 0.5 },
      tolerances: { trades_fraction: 0.2, sharpe: 0.1, drawdown: 0.05, win_rate: 0.05, profit_factor: 0.1 },
    });
    expect((await call('GET', '/v1/sweeps/00000000-0000-4000-8000-000000000000/gate-policy')).status).toBe(404);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Libsql from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { LibsqlTenantStore } from '../repo/libsql-store.js';
import { LEADERBOARD_PAGE_SQL } from './sweep-results.js';
import { makeTestApp, type TestApp } from '../testing/harness.js';
import { buildWorld, call, newOrg, type World } from '../testing/world.js';

let t: TestApp;
let w: World;
let dir: string;
// A file database, so the leaderboard's prepared-statement reader (file databases only) is exercised.
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sq-resources-'));
  t = await makeTestApp(dir);
  const org = await newOrg(t.app, t.adminKey, 'acme');
  w = await buildWorld(t.app, org.key, 'a');
});
afterAll(() => {
  t.close();
  rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
const get = async (url: string): Promise<Json> => (await (await call(t.app, w.key, 'GET', url)).json()) as Json;

describe('resources end to end', () => {
  it('ranks the leaderboard by Sharpe with the gate status the sidecar evaluated', async () => {
    const lb = await get(`/v1/sweeps/${w.ids['sweep']}/leaderboard`);
    const items = lb['items'] as Json[];
    // combos: sharpe 0.5 (12 trades: FAIL), 0.8 (18 trades: MARGINAL), 1.1 (42 trades: PASS) -> ranks by Sharpe desc
    expect(items.map((i) => [i['rank'], i['combo_id'], i['gate_status']])).toEqual([[1, 2, 'PASS'], [2, 1, 'MARGINAL'], [3, 0, 'FAIL']]);
    for (const i of items) expect(i['config_hash']).toMatch(/^[0-9a-f]{64}$/);
    const pass = await get(`/v1/sweeps/${w.ids['sweep']}/leaderboard?gate_status=MARGINAL`);
    expect((pass['items'] as Json[]).map((i) => i['rank'])).toEqual([2]);
    const page = await get(`/v1/sweeps/${w.ids['sweep']}/leaderboard?limit=1&offset=1`);
    expect((page['items'] as Json[]).map((i) => [i['rank'], i['combo_id']])).toEqual([[2, 1]]);
  });

  it('answers the same leaderboard through the fast reader and through the client', async () => {
    expect(t.db.reader).not.toBeNull();
    const clientOnly = { ...t.deps.db, reader: null };
    const slow = createApp({ ...t.deps, db: clientOnly, store: new LibsqlTenantStore(clientOnly) });
    for (const q of ['', '?gate_status=PASS', '?limit=2&offset=1']) {
      const url = `/v1/sweeps/${w.ids['sweep']}/leaderboard${q}`;
      const fast: unknown = await (await call(t.app, w.key, 'GET', url)).json();
      const viaClient: unknown = await (await call(slow, w.key, 'GET', url)).json();
      expect(viaClient).toEqual(fast);
    }
  });

  it('serializes the leaderboard as JSON.stringify would, with a JSON content type', async () => {
    const res = await call(t.app, w.key, 'GET', `/v1/sweeps/${w.ids['sweep']}/leaderboard`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    // Oracle: JSON.parse + JSON.stringify gives back the same bytes only if the body is canonical JSON.stringify output.
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
  });

  it('reads a leaderboard page as one range scan of the rank index, without sorting', async () => {
    const plan = await t.db.client.execute({ sql: `EXPLAIN QUERY PLAN ${LEADERBOARD_PAGE_SQL}`, args: ['o', w.ids['sweep'] ?? '', 50, 0] });
    const details = plan.rows.map((r) => (typeof r['detail'] === 'string' ? r['detail'] : ''));
    expect(details.join(' | ')).toMatch(/USING INDEX sweep_combinations_org_rank/);
    expect(details.join(' | ')).not.toMatch(/TEMP B-TREE/);
  });

  it('never serves a memoized leaderboard page after a commit, whichever connection made it', async () => {
    const url = `/v1/sweeps/${w.ids['sweep']}/leaderboard`;
    const order = async (): Promise<unknown[]> => ((await get(url))['items'] as Json[]).map((i) => [i['combo_id'], i['sharpe']]);
    expect(await order()).toEqual([[2, 1.1], [1, 0.8], [0, 0.5]]);
    expect(await order()).toEqual([[2, 1.1], [1, 0.8], [0, 0.5]]); // served from the memo
    // Another connection (as another process would) commits: the next page must show it.
    const other = new Libsql(t.db.location);
    try {
      other.prepare('UPDATE sweep_combinations SET sharpe = 9 WHERE sweep_id = ? AND combo_id = 0').run(w.ids['sweep']);
      expect(await order()).toEqual([[0, 9], [2, 1.1], [1, 0.8]]);
      other.prepare('UPDATE sweep_combinations SET sharpe = 0.5 WHERE sweep_id = ? AND combo_id = 0').run(w.ids['sweep']);
      expect(await order()).toEqual([[2, 1.1], [1, 0.8], [0, 0.5]]);
    } finally {
      other.close();
    }
  });

  it('moves a model to configured on its first version and numbers versions', async () => {
    expect((await get(`/v1/models/${w.ids['model']}`))['status']).toBe('configured');
    const v = await get(`/v1/model-versions/${w.ids['model_version']}`);
    expect(v['version']).toBe(1);
    expect(v['pack_version']).toBe('1.0.0');
  });

  it('computes the model config_hash from the YAML content, not its formatting', async () => {
    const a = await call(t.app, w.key, 'POST', `/v1/models/${w.ids['model']}/versions`, { config_yaml: 'b: 2\na: 1\n' });
    const b = await call(t.app, w.key, 'POST', `/v1/models/${w.ids['model']}/versions`, { config_yaml: '{a: 1,   b: 2}' });
    expect(((await a.json()) as Json)['config_hash']).toBe(((await b.json()) as Json)['config_hash']);
    const bad = await call(t.app, w.key, 'POST', `/v1/models/${w.ids['model']}/versions`, { config_yaml: 'a: [1' });
    expect(bad.status).toBe(400);
  });

  it('derives the same run_hash for the same config and data, and refuses the duplicate with its id', async () => {
    const run = await get(`/v1/runs/${w.ids['run']}`);
    const again = await call(t.app, w.key, 'POST', '/v1/runs', { config: { tag: 'a', rsi: 14 }, data_snapshot_id: w.ids['data_snapshot'] });
    expect(again.status).toBe(409);
    const body = (await again.json()) as { code: string; details: Json };
    expect(body.code).toBe('CONFLICT');
    expect(body.details['run_id']).toBe(run['id']);
  });

  it('enforces run and sweep lifecycles with 409 INVALID_TRANSITION', async () => {
    const complete = await call(t.app, w.key, 'POST', `/v1/runs/${w.ids['run']}/complete`);
    expect(complete.status).toBe(409);
    expect(((await complete.json()) as Json)['code']).toBe('INVALID_TRANSITION');
    expect((await call(t.app, w.key, 'POST', `/v1/runs/${w.ids['run']}/start`)).status).toBe(200);
    expect(((await (await call(t.app, w.key, 'POST', `/v1/runs/${w.ids['run']}/complete`)).json()) as Json)['status']).toBe('completed');
    const p = await call(t.app, w.key, 'POST', `/v1/sweeps/${w.ids['sweep']}/progress`, { progress: 0.5 });
    expect((((await p.json()) as Json)['run'] as Json)['progress']).toBe(0.5);
  });

  it('computes phase durations and hashes run stacks', async () => {
    const pm = await get(`/v1/runs/${w.ids['run']}/phase-metrics`);
    expect((pm['items'] as Json[])[0]?.['duration_ms']).toBe(1500);
  });

  it('returns the lineage graph up from a run to its pack and down from a pack', async () => {
    const up = await get(`/v1/lineage/run/${w.ids['run']}?direction=up`);
    const types = (up['nodes'] as Json[]).map((n) => n['type']).sort();
    expect(types).toEqual(['data_snapshot', 'indicator_set', 'model', 'model_version', 'pack', 'run', 'sweep']);
    const snap = (up['nodes'] as Json[]).find((n) => n['type'] === 'data_snapshot');
    expect((snap?.['hashes'] as Json[])[0]?.['hash_type']).toBe('data');
    const down = await get(`/v1/lineage/pack/${w.ids['pack']}?direction=down`);
    expect((down['nodes'] as Json[]).map((n) => n['type'])).toContain('run');
    expect((down['edges'] as Json[]).length).toBeGreaterThanOrEqual(5);
    const shallow = await get(`/v1/lineage/run/${w.ids['run']}?direction=up&depth=1`);
    expect(shallow['truncated']).toBe(true);
  });

  it('finds hash records by hash', async () => {
    const snap = await get(`/v1/data-snapshots/${w.ids['data_snapshot']}`);
    const recs = await get(`/v1/hash-records?hash=${String(snap['hash'])}`);
    expect((recs['items'] as Json[]).map((r) => r['entity_id'])).toEqual([w.ids['data_snapshot']]);
  });

  it('revokes keys immediately', async () => {
    const created = (await (await call(t.app, w.key, 'POST', '/v1/keys', { name: 'tmp', role: 'viewer' })).json()) as Json;
    const k = String(created['key']);
    expect((await call(t.app, k, 'GET', '/v1/packs')).status).toBe(200);
    expect((await call(t.app, w.key, 'DELETE', `/v1/keys/${String(created['id'])}`)).status).toBe(200);
    expect((await call(t.app, k, 'GET', '/v1/packs')).status).toBe(401);
  });

  it('refuses expired keys', async () => {
    const created = (await (await call(t.app, w.key, 'POST', '/v1/keys', { name: 'exp', role: 'viewer', expires_at: new Date(Date.now() + 60_000).toISOString() })).json()) as Json;
    const later = await makeLaterApp(60_001);
    expect((await call(later, String(created['key']), 'GET', '/v1/packs')).status).toBe(401);
    expect((await call(t.app, String(created['key']), 'GET', '/v1/packs')).status).toBe(200);
  });
});

async function makeLaterApp(ms: number) {
  const { createApp } = await import('../app.js');
  return createApp({ ...t.deps, now: () => new Date(Date.now() + ms) });
}

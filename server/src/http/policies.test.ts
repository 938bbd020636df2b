import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema.js';
import { createApp } from '../app.js';
import { RateLimiter } from './rate-limit.js';
import { makeTestApp, type TestApp } from '../testing/harness.js';
import { samplePack } from '../testing/fixtures.js';
import { METRICS, buildWorld, call, keyWithRole, newOrg } from '../testing/world.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

type Json = Record<string, unknown>;
const json = async (res: Response): Promise<Json> => (await res.json()) as Json;

describe('Idempotency-Key', () => {
  it('replays the first answer for the same key and body, and refuses another body with 422', async () => {
    const { key } = await newOrg(t.app, t.adminKey, 'idem');
    const h = { 'idempotency-key': 'create-pack-1' };
    const first = await call(t.app, key, 'POST', '/v1/packs', samplePack('idem'), h);
    expect(first.status).toBe(201);
    const again = await call(t.app, key, 'POST', '/v1/packs', samplePack('idem'), h);
    expect(again.status).toBe(201);
    expect(await json(again)).toEqual(await json(first));
    const list = await json(await call(t.app, key, 'GET', '/v1/packs'));
    expect((list['items'] as unknown[]).length).toBe(1);
    const other = await call(t.app, key, 'POST', '/v1/packs', samplePack('idem-2'), h);
    expect(other.status).toBe(422);
    expect((await json(other))['code']).toBe('IDEMPOTENCY_KEY_REUSED');
    // Without the header the duplicate name+version is a conflict, not a replay.
    expect((await call(t.app, key, 'POST', '/v1/packs', samplePack('idem'))).status).toBe(409);
  });
});

describe('quotas per plan tier', () => {
  it('free plan: 1 model, simple sweeps only, 2 concurrent sweeps, 45-combination cap', async () => {
    const { key } = await newOrg(t.app, t.adminKey, 'freeco', 'free');
    const w = await buildWorld(t.app, key, 'f');
    const second = await call(t.app, key, 'POST', '/v1/models', { pack_id: w.ids['pack'], name: 'second' });
    expect(second.status).toBe(403);
    expect(await json(second)).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { limit: 'models', value: 1, plan_tier: 'free' } });
    const sweepBody = (type: string, p: number) => ({
      model_version_id: w.ids['model_version'], data_snapshot_id: w.ids['data_snapshot'], type,
      date_range: { start: '2022-01-01', end: '2022-12-31' }, parameters: { p },
    });
    const custom = await call(t.app, key, 'POST', '/v1/sweeps', sweepBody('custom', 1));
    expect((await json(custom))['details']).toMatchObject({ limit: 'custom_combo_cap' });
    // buildWorld left one sweep running: one more is allowed, the third concurrent one is not.
    const s2 = await json(await call(t.app, key, 'POST', '/v1/sweeps', sweepBody('simple', 2)));
    expect((s2['run'] as Json)['status']).toBe('queued');
    const s3 = await call(t.app, key, 'POST', '/v1/sweeps', sweepBody('simple', 3));
    expect(s3.status).toBe(403);
    expect((await json(s3))['details']).toMatchObject({ limit: 'concurrent_sweeps', value: 2 });
    // combo cap 45 for simple sweeps: 3 recorded by buildWorld + 43 > 45.
    const batch = (n: number, from: number) => ({ items: Array.from({ length: n }, (_, i) => ({ combo_id: from + i, params: { i }, backtest_metrics: METRICS, gate_results: {}, kept: true })) });
    const over = await call(t.app, key, 'POST', `/v1/sweeps/${w.ids['sweep'] ?? ''}/combinations`, batch(43, 100));
    expect(over.status).toBe(403);
    expect((await json(over))['details']).toMatchObject({ limit: 'combo_cap', value: 45, requested_total: 46 });
    expect((await call(t.app, key, 'POST', `/v1/sweeps/${w.ids['sweep'] ?? ''}/combinations`, batch(42, 100))).status).toBe(201);
    // Cancelling frees a concurrency slot; the per-day counter is kept in a UsageCounter row.
    expect((await call(t.app, key, 'POST', `/v1/sweeps/${String(s2['id'])}/cancel`)).status).toBe(200);
    expect((await call(t.app, key, 'POST', '/v1/sweeps', sweepBody('simple', 4))).status).toBe(201);
    const org = await json(await call(t.app, key, 'GET', '/v1/org'));
    // buildWorld also created one training job (its own daily counter).
    expect(org['usage']).toEqual([{ counter_name: 'sweeps', period: new Date().toISOString().slice(0, 10), value: 3 }, { counter_name: 'training', period: new Date().toISOString().slice(0, 10), value: 1 }]);
  });

  it('caps sweeps per day at 10', async () => {
    const { key } = await newOrg(t.app, t.adminKey, 'daily', 'premium');
    const w = await buildWorld(t.app, key, 'd');
    await call(t.app, key, 'POST', `/v1/sweeps/${w.ids['sweep'] ?? ''}/cancel`);
    let created = 1;
    for (let i = 0; i < 12; i++) {
      const res = await call(t.app, key, 'POST', '/v1/sweeps', {
        model_version_id: w.ids['model_version'], data_snapshot_id: w.ids['data_snapshot'], type: 'custom',
        date_range: { start: '2022-01-01', end: '2022-12-31' }, parameters: { i },
      });
      if (res.status === 201) {
        created++;
        await call(t.app, key, 'POST', `/v1/sweeps/${String((await json(res))['id'])}/cancel`);
      } else {
        expect(res.status).toBe(403);
        expect((await json(res))['details']).toMatchObject({ limit: 'sweeps_per_day', value: 10 });
      }
    }
    expect(created).toBe(10);
  });
});

describe('rate limit and body size', () => {
  it('answers 429 with Retry-After past the per-minute budget of a key', async () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(() => now);
    const app = createApp({ ...t.deps, rateLimiter: limiter });
    const { key } = await newOrg(app, t.adminKey, 'ratey', 'free');
    const viewer = await keyWithRole(app, key, 'viewer');
    for (let i = 0; i < 60; i++) expect((await call(app, viewer, 'GET', '/v1/packs')).status).toBe(200);
    const res = await call(app, viewer, 'GET', '/v1/packs');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await json(res))['code']).toBe('RATE_LIMITED');
    now += 1000; // 60/min refills one token per second
    expect((await call(app, viewer, 'GET', '/v1/packs')).status).toBe(200);
    expect((await call(app, t.adminKey, 'GET', '/v1/packs')).status).toBe(200);
  });

  it('answers 413 for bodies over the limit', async () => {
    const app = createApp({ ...t.deps, maxBodyBytes: 1000 });
    const pack = { ...samplePack('big'), spec: { blob: 'x'.repeat(2000) } };
    const res = await call(app, t.adminKey, 'POST', '/v1/packs', pack);
    expect(res.status).toBe(413);
    expect((await json(res))['code']).toBe('PAYLOAD_TOO_LARGE');
    // Judged on Content-Length alone (as a socket request carries it), and counted when there is none.
    const body = JSON.stringify(pack);
    const headers = { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' };
    const sized = await app.request('/v1/packs', { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body });
    expect([sized.status, (await json(sized))['code']]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const stream = new ReadableStream<Uint8Array>({ start(ctl) { ctl.enqueue(new TextEncoder().encode(body)); ctl.close(); } });
    const chunked = await app.request('/v1/packs', { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit);
    expect([chunked.status, (await json(chunked))['code']]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const small = JSON.stringify(samplePack('small'));
    const ok = await app.request('/v1/packs', { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(small)) }, body: small });
    expect(ok.status).toBe(201);
  });
});

describe('audit log', () => {
  it('writes one row per successful mutation and none for reads or failed mutations', async () => {
    const { key, orgId } = await newOrg(t.app, t.adminKey, 'audited');
    const before = (await t.db.orm.select().from(auditLog).where(eq(auditLog.org_id, orgId))).length;
    const pack = await json(await call(t.app, key, 'POST', '/v1/packs', samplePack('aud')));
    await call(t.app, key, 'GET', '/v1/packs');
    await call(t.app, key, 'POST', '/v1/packs', samplePack('aud'));
    await call(t.app, key, 'PATCH', `/v1/packs/${String(pack['id'])}`, { tags: ['z'] });
    const rows = await t.db.orm.select().from(auditLog).where(eq(auditLog.org_id, orgId));
    expect(rows.length - before).toBe(2);
    expect(rows.slice(before).map((r) => [r.action, r.target_type, r.target_id, r.outcome])).toEqual([
      ['create', 'pack', pack['id'], 'success'], ['update', 'pack', pack['id'], 'success'],
    ]);
  });

  it('is append-only even for direct SQL', async () => {
    await expect(t.db.client.execute('UPDATE audit_log SET action = \'x\'')).rejects.toThrow(/append-only/);
    await expect(t.db.client.execute('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });

  it('leaves no audit row and no data behind a failed mutation', async () => {
    const { key } = await newOrg(t.app, t.adminKey, 'atomic');
    // A failing mutation (unknown pack) leaves neither a model nor an audit row.
    const res = await call(t.app, key, 'POST', '/v1/models', { pack_id: 'nope', name: 'm' });
    expect(res.status).toBe(404);
    const audit = await json(await call(t.app, key, 'GET', '/v1/audit'));
    expect((audit['items'] as Json[]).filter((e) => e['target_type'] === 'model')).toEqual([]);
    const models = await json(await call(t.app, key, 'GET', '/v1/models'));
    expect(models['items']).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../testing/harness.js';
import { buildWorld, call, newOrg, type World } from '../testing/world.js';

let t: TestApp;
let w: World;
let other: World;
beforeAll(async () => {
  t = await makeTestApp();
  w = await buildWorld(t.app, (await newOrg(t.app, t.adminKey, 'acme')).key, 'a');
  other = await buildWorld(t.app, (await newOrg(t.app, t.adminKey, 'globex')).key, 'b');
});
afterAll(() => t.close());

type Json = Record<string, unknown>;
const url = (id: string | undefined): string => `/v1/sweeps/${id ?? 'missing'}/statistics`;

describe('sweep statistics', () => {
  it('answers not recorded (trials = combinations held, DSR/PBO null) before anything is posted', async () => {
    const res = await call(t.app, w.key, 'GET', url(w.ids['sweep']));
    expect(res.status).toBe(200);
    // The world's sweep holds 3 combinations (combos 0, 1, 2).
    expect(await res.json()).toEqual({ sweep_id: w.ids['sweep'], trials: 3, dsr: null, pbo: null, source: 'not recorded', recorded_at: null });
  });

  it('records, reads back from the database, and replaces on a second post (one row, one audit row per post)', async () => {
    const id = w.ids['sweep'] ?? '';
    const first = await call(t.app, w.key, 'POST', url(id), { trials: 45, dsr: 0.93, pbo: 0.2 });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ sweep_id: id, trials: 45, dsr: 0.93, pbo: 0.2, source: 'recorded' });
    const second = await call(t.app, w.key, 'POST', url(id), { trials: 3000, dsr: null, pbo: 0 });
    expect(second.status).toBe(200);
    const got = (await (await call(t.app, w.key, 'GET', url(id))).json()) as Json;
    expect(got).toMatchObject({ trials: 3000, dsr: null, pbo: 0, source: 'recorded' });
    const rows = await t.db.client.execute({ sql: 'SELECT count(*) AS n FROM sweep_statistics WHERE sweep_id = ?', args: [id] });
    expect(Number(rows.rows[0]?.['n'])).toBe(1);
    const audits = await t.db.client.execute({ sql: "SELECT count(*) AS n FROM audit_log WHERE target_type = 'sweep_statistics' AND target_id = ? AND outcome = 'success'", args: [id] });
    expect(Number(audits.rows[0]?.['n'])).toBe(2);
  });

  it('replays an Idempotency-Key with the same body and refuses it with another', async () => {
    const id = w.ids['sweep'] ?? '';
    const h = { 'idempotency-key': 'stats-1' };
    const a = await call(t.app, w.key, 'POST', url(id), { trials: 7, dsr: 0.5, pbo: 0.5 }, h);
    const b = await call(t.app, w.key, 'POST', url(id), { trials: 7, dsr: 0.5, pbo: 0.5 }, h);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await b.json()).toEqual(await a.json());
    expect((await call(t.app, w.key, 'POST', url(id), { trials: 8, dsr: 0.5, pbo: 0.5 }, h)).status).toBe(422);
  });

  it.each([
    [{ trials: 0, dsr: 0.5, pbo: 0.5 }, 'trials'],
    [{ trials: 1.5, dsr: 0.5, pbo: 0.5 }, 'trials'],
    [{ trials: 5, dsr: 1.01, pbo: 0.5 }, 'dsr'],
    [{ trials: 5, dsr: -0.01, pbo: 0.5 }, 'dsr'],
    [{ trials: 5, dsr: 0.5, pbo: 1.5 }, 'pbo'],
    [{ trials: 5, dsr: 0.5, pbo: -1 }, 'pbo'],
    [{ trials: 5, dsr: 0.5 }, 'pbo'],
    [{ trials: 5, dsr: 0.5, pbo: 0.5, org_id: 'x' }, 'org_id'],
  ])('refuses %j with 400 (%s) and changes nothing', async (body, field) => {
    const id = w.ids['sweep'] ?? '';
    const before: unknown = await (await call(t.app, w.key, 'GET', url(id))).json();
    const res = await call(t.app, w.key, 'POST', url(id), body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain(field);
    expect(await (await call(t.app, w.key, 'GET', url(id))).json()).toEqual(before);
  });

  it("keeps organizations apart: another org's sweep is 404 for GET and POST", async () => {
    expect((await call(t.app, w.key, 'GET', url(other.ids['sweep']))).status).toBe(404);
    expect((await call(t.app, w.key, 'POST', url(other.ids['sweep']), { trials: 2, dsr: 0.1, pbo: 0.1 })).status).toBe(404);
    const theirs = (await (await call(t.app, other.key, 'GET', url(other.ids['sweep']))).json()) as Json;
    expect(theirs['source']).toBe('not recorded');
  });

  it('has the database refuse out-of-range values too (CHECK constraint)', async () => {
    await expect(t.db.client.execute({
      sql: 'INSERT INTO sweep_statistics (sweep_id, org_id, trials, dsr, pbo) SELECT id, org_id, 5, 2, 0.5 FROM sweeps WHERE id = ?', args: [other.ids['sweep'] ?? ''],
    })).rejects.toThrow(/CHECK/i);
  });
});

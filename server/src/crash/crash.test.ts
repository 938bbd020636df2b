import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.js';
import { samplePack } from '../testing/fixtures.js';
import { snapshotFile } from '../testing/world.js';

// SIGKILLs a real sidecar (the built bin: `npx tsc -b server` first) 25 times while concurrent writers hit it,
// then checks the database: integrity_check ok, no foreign-key violation, and every entity complete (its
// audit row, hash record, lineage link and follow-up rows all present, or the entity absent).
const BIN = path.resolve(__dirname, '../../dist/cli/main.js');
const CYCLES = 25;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function start(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'server', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1] !== undefined) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`sidecar exited ${String(code)}: ${err}`)));
  });
}

const serverErrors: string[] = [];

async function post(url: string, key: string, body: unknown): Promise<Record<string, unknown> | null> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status >= 500) serverErrors.push(`${url} ${res.status} ${await res.text()}`);
    return res.status < 300 ? ((await res.json()) as Record<string, unknown>) : null;
  } catch {
    return null; // the process was killed mid-request
  }
}

/** One writer: pack -> model -> version -> run, as fast as it can, until the process dies. */
async function writer(url: string, key: string, snapId: string, tag: string): Promise<void> {
  for (let i = 0; ; i++) {
    const pack = await post(`${url}/v1/packs`, key, samplePack(`crash-${tag}-${i}`));
    if (pack === null) return;
    const model = await post(`${url}/v1/models`, key, { pack_id: pack['id'], name: `m-${tag}-${i}` });
    if (model === null) return;
    if ((await post(`${url}/v1/models/${String(model['id'])}/versions`, key, { config_yaml: `i: ${i}\ntag: ${tag}\n` })) === null) return;
    if ((await post(`${url}/v1/runs`, key, { config: { tag, i }, data_snapshot_id: snapId })) === null) return;
  }
}

describe('crash safety', () => {
  it(`survives ${CYCLES} SIGKILLs during concurrent writes with a consistent database`, async () => {
    expect(existsSync(BIN), 'build the server first: npx tsc -b server').toBe(true);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sq-crash-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    const key = readFileSync(path.join(dataDir, 'admin.key'), 'utf8').trim();
    const snap = await post(`${first.url}/v1/data-snapshots`, key, {
      name: 'crash', uri: snapshotFile('crash data'), date_range: { start: '2022-01-01', end: '2022-12-31' }, data_source_version: 'v1',
    });
    expect(snap).not.toBeNull();
    const snapId = String(snap?.['id']);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const { child } = await start(dataDir).then((s) => {
        const writers = Array.from({ length: 8 }, (_, w) => writer(s.url, key, snapId, `${cycle}-${w}`));
        void Promise.allSettled(writers);
        return s;
      });
      await new Promise((r) => setTimeout(r, 150 + ((cycle * 37) % 200)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    // Answers before each kill were never 5xx (concurrent requests wait for the one connection).
    expect(serverErrors).toEqual([]);
    const db = await openDatabase(dataDir);
    try {
      const q = async (sql: string) => (await db.client.execute(sql)).rows;
      expect((await q('PRAGMA integrity_check'))[0]?.['integrity_check']).toBe('ok');
      expect(await q('PRAGMA foreign_key_check')).toEqual([]);
      const packs = Number((await q('SELECT count(*) AS n FROM packs'))[0]?.['n']);
      expect(packs).toBeGreaterThan(CYCLES); // the writers really wrote between kills
      // Every entity has exactly its create audit row, and every create audit row its entity.
      for (const [table, type] of [['packs', 'pack'], ['models', 'model'], ['model_versions', 'model_version'], ['runs', 'run']] as const) {
        expect(await q(`SELECT id FROM ${table} t WHERE (SELECT count(*) FROM audit_log a WHERE a.target_id = t.id AND a.action = 'create') <> 1`), `${table} without audit`).toEqual([]);
        expect(await q(`SELECT target_id FROM audit_log a WHERE a.target_type = '${type}' AND a.action = 'create' AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id = a.target_id)`), `${type} audit without row`).toEqual([]);
      }
      expect(await q("SELECT id FROM packs p WHERE NOT EXISTS (SELECT 1 FROM hash_records h WHERE h.entity_type = 'pack' AND h.entity_id = p.id)"), 'pack without hash').toEqual([]);
      expect(await q("SELECT id FROM model_versions v WHERE NOT EXISTS (SELECT 1 FROM hash_records h WHERE h.entity_type = 'model_version' AND h.entity_id = v.id)"), 'version without hash').toEqual([]);
      expect(await q("SELECT id FROM models m WHERE NOT EXISTS (SELECT 1 FROM lineage_links l WHERE l.to_type = 'model' AND l.to_id = m.id AND l.from_id = m.pack_id)"), 'model without lineage').toEqual([]);
      expect(await q("SELECT id FROM runs r WHERE NOT EXISTS (SELECT 1 FROM lineage_links l WHERE l.to_type = 'run' AND l.to_id = r.id)"), 'run without lineage').toEqual([]);
      expect(await q("SELECT id FROM models m WHERE status = 'draft' AND EXISTS (SELECT 1 FROM model_versions v WHERE v.model_id = m.id)"), 'version without status change').toEqual([]);
      expect(await q("SELECT to_id FROM lineage_links l WHERE l.to_type = 'model_version' AND NOT EXISTS (SELECT 1 FROM model_versions v WHERE v.id = l.to_id)"), 'dangling link').toEqual([]);
    } finally {
      db.close();
    }
  }, 240_000); // 25 sidecar starts: minutes when the shared 2-core machine is loaded
});

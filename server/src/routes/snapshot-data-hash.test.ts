/**
 * data_hash of a data snapshot: the engine's content hash, sent by the importer and verified here with the engine
 * (oracle: the engine's own snapshot record, whose file name is that hash). A real engine snapshot of a small real file.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importToSnapshot, realDataDir } from '@sigmatiq/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../testing/harness.js';
import { call, newOrg } from '../testing/world.js';

let t: TestApp;
let key = '';
let dir = '';
let uri = '';
let dataHash = '';
const body = (extra: Record<string, unknown>) => ({ name: 'msft', date_range: { start: '2003-01-01', end: '2003-12-31' }, data_source_version: 'v1', ...extra });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sq-datahash-'));
  t = await makeTestApp();
  key = (await newOrg(t.app, t.adminKey, 'acme')).key;
  const { record } = await importToSnapshot(path.join(realDataDir(), 'msft_daily_2003.csv'), { storeDir: path.join(dir, 'snaps'), symbol: 'MSFT' });
  dataHash = record.hash;
  uri = path.join(dir, 'snaps', record.file);
}, 60_000);
afterAll(() => {
  t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('data snapshot data_hash', () => {
  it('refuses a data_hash the file is not named by, or whose content does not hash to it, and stores nothing', async () => {
    const other = 'f'.repeat(64);
    const wrongName = await call(t.app, key, 'POST', '/v1/data-snapshots', body({ uri, data_hash: other }));
    expect(wrongName.status).toBe(422);
    expect(((await wrongName.json()) as { code: string }).code).toBe('DATA_HASH_MISMATCH');
    // A file named by the hash but holding other bytes: the engine recomputes the content hash.
    const fakeDir = mkdtempSync(path.join(dir, 'fake-'));
    copyFileSync(path.join(path.dirname(uri), `${dataHash}.json`), path.join(fakeDir, `${dataHash}.json`));
    writeFileSync(path.join(fakeDir, `${dataHash}.parquet`), 'not parquet');
    const corrupt = await call(t.app, key, 'POST', '/v1/data-snapshots', body({ uri: path.join(fakeDir, `${dataHash}.parquet`), data_hash: dataHash }));
    expect(corrupt.status).toBe(422);
    const list = (await (await call(t.app, key, 'GET', '/v1/data-snapshots')).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
  });

  it('stores a verified data_hash, serves it, and records it as the content hash of the lineage node', async () => {
    const res = await call(t.app, key, 'POST', '/v1/data-snapshots', body({ uri, data_hash: dataHash }));
    expect(res.status).toBe(201);
    const snap = (await res.json()) as { id: string; hash: string; data_hash: string | null };
    expect(snap.data_hash).toBe(dataHash);
    expect(snap.hash).not.toBe(dataHash); // the sha256 of the Parquet bytes is another hash
    const graph = (await (await call(t.app, key, 'GET', `/v1/lineage/data_snapshot/${snap.id}`)).json()) as { nodes: { id: string; hashes: { hash_type: string; hash: string }[] }[] };
    expect(graph.nodes.find((n) => n.id === snap.id)?.hashes).toEqual(expect.arrayContaining([{ hash_type: 'data', hash: snap.hash }, { hash_type: 'content', hash: dataHash }]));
  });

  it('keeps data_hash null for a snapshot registered without it', async () => {
    const plain = path.join(dir, 'plain.parquet');
    writeFileSync(plain, 'bytes');
    const res = await call(t.app, key, 'POST', '/v1/data-snapshots', body({ uri: plain }));
    expect(res.status).toBe(201);
    expect(((await res.json()) as { data_hash: string | null }).data_hash).toBeNull();
  });
});

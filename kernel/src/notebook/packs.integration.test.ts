/**
 * %pack against a real sidecar (in-process, port 0, temp data dir): validate the swing pack with the
 * sanity backtest on real S&P 500 daily bars, and check the pack and its report the sidecar stored.
 */
import { configHash, defaultPacksDir, loadPack, realDataDir } from '@sigmatiq/engine';
import { startSidecar, type RunningSidecar } from '@sigmatiq/server/dist/sidecar.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinMagics } from '../magics/index.js';
import type { MagicContext } from '../magics/registry.js';
import { connectSidecar } from '../sidecar/client.js';
import { SidecarLocator } from '../sidecar/locate.js';
import { importData } from './data.js';
import { packCreateBody, validatePackFile } from './packs.js';

const SPX = path.join(realDataDir(), 'sp500_daily_1999_2018.csv');
let dir: string;
let sidecar: RunningSidecar;
let locator: SidecarLocator;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sq-kpacks-'));
  sidecar = await startSidecar({ dataDir: dir, port: 0, host: '127.0.0.1' });
  locator = new SidecarLocator({ SIGMATIQ_DATA_DIR: dir, SIGMATIQ_URL: sidecar.url }, dir);
});
afterAll(async () => {
  await sidecar.close();
  rmSync(dir, { recursive: true, force: true });
});

const ctx = (args: string[]): MagicContext => ({
  name: 'pack', args, body: undefined, signal: new AbortController().signal,
  out: { stream: () => undefined, display: () => undefined, clear: () => undefined },
  kernel: { versions: {}, registry: builtinMagics(), sidecar: locator },
});

describe('%pack with a real sidecar', () => {
  it('validates swing on a real data snapshot, registers the pack and its report, reuses the pack next time', async () => {
    const snap = await importData(locator, SPX, { symbol: 'SPX' });
    const v = await validatePackFile(locator, 'swing', { data: snap.snapshot.hash.slice(0, 10) });
    expect(v.report.pack_id).toBe('swing');
    expect(v.report.sanity?.length).toBeGreaterThan(0);
    expect(v.report.sanity?.[0]?.bars).toBe(snap.snapshot.row_count);
    if (!v.sidecar.registered) throw new Error(`not registered: ${v.sidecar.reason}`);

    const { client } = await connectSidecar(locator);
    const pack = await client.v1.packs[':id'].$get({ param: { id: v.sidecar.packId } });
    expect(pack.status).toBe(200);
    const stored = (await pack.json()) as { name: string; version: string; content_hash: string; spec: Record<string, unknown> };
    expect(stored).toMatchObject({ name: 'swing', version: v.report.version });
    expect(stored.spec['pack_id']).toBe('swing');
    const reports = await client.v1.packs[':id']['validation-reports'].$get({ param: { id: v.sidecar.packId }, query: {} });
    const body = (await reports.json()) as { items: { id: string; status: string; errors: unknown[]; warnings: { code: string }[] }[] };
    expect(body.items.map((r) => r.id)).toEqual([v.sidecar.reportId]);
    expect(body.items[0]).toMatchObject({ status: v.report.status, errors: v.report.errors.map((e) => ({ code: e.code, message: e.message, path: e.path })) });
    expect(body.items[0]?.warnings.map((w) => w.code)).toEqual(v.report.warnings.map((w) => w.code));
    // The sidecar's content hash is configHash of the body we sent (docs/http-api.md).
    const made = packCreateBody(loadPack('swing').pack);
    if (!('body' in made)) throw new Error(made.error);
    expect(stored.content_hash).toBe(configHash(made.body));

    // Again through the magic, from the file path: same pack row, a second report.
    // --data as a bare file name: found in the shared real-data folder.
    const out = await builtinMagics().resolve('pack', 'line').run(ctx(['validate', path.join(defaultPacksDir(), 'swing.yaml'), '--data', path.basename(SPX)]));
    expect(out?.data['text/plain']).toContain(`registered: pack ${v.sidecar.packId}`);
    expect(out?.data['text/plain']).toContain('Sanity backtest');
    const after = (await (await client.v1.packs[':id']['validation-reports'].$get({ param: { id: v.sidecar.packId }, query: {} })).json()) as { items: unknown[] };
    expect(after.items).toHaveLength(2);
  });

  it('reports errors with code, path and line:col; a pack that does not parse is not registered', async () => {
    const text = readFileSync(path.join(defaultPacksDir(), 'swing.yaml'), 'utf8');
    const broken = path.join(dir, 'broken.yaml');
    // Line of `version:` in the original file (1-based), where the invalid version is put.
    const line = text.split('\n').findIndex((l) => l.startsWith('version:')) + 1;
    writeFileSync(broken, text.replace(/^version: .*$/m, 'version: not-semver'));
    const v = await validatePackFile(locator, broken);
    expect(v.report.status).toBe('FAIL');
    const row = v.rows().find((r) => r['path'] === 'version');
    expect(row).toMatchObject({ severity: 'error', 'line:col': `${line}:10` });
    expect(v.sidecar).toEqual({ registered: false, reason: 'the pack does not parse (schema)' });
  });
});

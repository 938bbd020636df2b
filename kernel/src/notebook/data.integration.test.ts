/**
 * %data against a real sidecar (in-process, port 0, temp data dir) on real S&P 500 daily bars:
 * import, re-import (reused), list, show, and what the sidecar stored.
 */
import { realDataDir, readSnapshotRecord } from '@sigmatiq/engine';
import { startSidecar, type RunningSidecar } from '@sigmatiq/server/dist/sidecar.js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DisplayOutput } from '../display/mime.js';
import { toMimeBundle } from '../display/mime.js';
import { builtinMagics } from '../magics/index.js';
import type { MagicContext } from '../magics/registry.js';
import { connectSidecar } from '../sidecar/client.js';
import { SidecarLocator } from '../sidecar/locate.js';
import { sq } from '../api.js';
import { setDefaultLocator, snapshotStoreDir } from './context.js';
import { importData, listData, showData } from './data.js';

const FILE = path.join(realDataDir(), 'sp500_daily_1999_2018.csv');
let dir: string;
let sidecar: RunningSidecar;
let locator: SidecarLocator;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sq-kmagics-'));
  sidecar = await startSidecar({ dataDir: dir, port: 0, host: '127.0.0.1' });
  // The key is found the way the kernel finds it: <data dir>/admin.key.
  locator = new SidecarLocator({ SIGMATIQ_DATA_DIR: dir, SIGMATIQ_URL: sidecar.url }, dir);
});
afterAll(async () => {
  await sidecar.close();
  rmSync(dir, { recursive: true, force: true });
});

function magicCtx(args: string[], shown: DisplayOutput[]): MagicContext {
  const registry = builtinMagics();
  return {
    name: 'data', args, body: undefined, signal: new AbortController().signal,
    out: { stream: () => undefined, display: (o) => shown.push(o), clear: () => undefined },
    kernel: { versions: {}, registry, sidecar: locator },
  };
}

describe('%data with a real sidecar', () => {
  it('imports a real file, registers it, reuses it on re-import, lists and shows it', async () => {
    const first = await importData(locator, FILE, { symbol: 'SPX' });
    expect(first.reused).toBe(false);
    // Oracle: the engine's own record on disk, and the CSV's line count (header excluded).
    const record = readSnapshotRecord(snapshotStoreDir(locator), first.snapshot.hash);
    const csvRows = readFileSync(FILE, 'utf8').trim().split('\n').length - 1;
    expect(first.snapshot).toEqual(record);
    expect(first.snapshot.row_count).toBe(csvRows);
    expect(first.snapshot.symbol).toBe('SPX');
    expect(first.snapshot.interval).toBe('1d');
    const uri = path.join(snapshotStoreDir(locator), first.snapshot.file);
    expect(existsSync(uri)).toBe(true);

    // What the sidecar stored, fetched back through its typed client.
    const { client } = await connectSidecar(locator);
    const got = await client.v1['data-snapshots'][':id'].$get({ param: { id: first.sidecar.id } });
    expect(got.status).toBe(200);
    const stored = (await got.json()) as { uri: string; date_range: { start: string; end: string }; data_source_version: string; data_hash: string | null };
    expect(stored.uri).toBe(uri);
    // The engine's content hash travels with the registration and is a hash of the snapshot in lineage.
    expect(stored.data_hash).toBe(record.hash);
    const graph = await client.v1.lineage[':type'][':id'].$get({ param: { type: 'data_snapshot', id: first.sidecar.id }, query: {} });
    const nodes = ((await graph.json()) as { nodes: { id: string; hashes: { hash_type: string; hash: string }[] }[] }).nodes;
    expect(nodes.find((n) => n.id === first.sidecar.id)?.hashes).toContainEqual({ hash_type: 'content', hash: record.hash });
    expect(stored.date_range).toEqual({ start: record.date_range.start.slice(0, 10), end: record.date_range.end.slice(0, 10) });
    expect(stored.data_source_version).toBe(record.data_source_version);

    // Same bars again through the magic: the snapshot is reused and the registration found, not duplicated.
    const shown: DisplayOutput[] = [];
    const again = await builtinMagics().resolve('data', 'line').run(magicCtx(['import', FILE, '--symbol', 'SPX'], shown));
    const text = again?.data['text/plain'] ?? '';
    expect(text).toContain(first.snapshot.hash);
    expect(text).toMatch(/reused\s+yes/);
    expect(text).toContain(first.sidecar.id);

    const list = await listData(locator);
    expect(list.items.map((s) => s.id)).toEqual([first.sidecar.id]);
    expect(list[toMimeBundle]().data['text/html']).toContain(first.sidecar.id);

    const view = await showData(locator, first.snapshot.hash.slice(0, 8));
    expect(view.candles.x.length).toBeLessThanOrEqual(2000);
    expect(view.candles.step).toBe(Math.ceil(csvRows / 2000));
    expect(view.displayNote).toContain(`each aggregating ${view.candles.step} bars`);
    const byId = await showData(locator, first.sidecar.id);
    expect(byId.snapshot.hash).toBe(first.snapshot.hash);

    const showOut: DisplayOutput[] = [];
    const chart = await builtinMagics().resolve('data', 'line').run(magicCtx(['show', first.snapshot.hash.slice(0, 8)], showOut));
    expect(showOut[0]?.data['text/html']).toContain('aggregating');
    const fig = chart?.data['application/vnd.plotly.v1+json'] as { data: { type: string; x: unknown[] }[] } | undefined;
    expect(fig?.data[0]?.type).toBe('candlestick');
    expect(fig?.data[0]?.x.length).toBe(view.candles.x.length);
  });

  it('sq.data.* use the kernel locator and return the same typed objects the magic displays', async () => {
    setDefaultLocator(locator);
    try {
      const imported = await sq.data.import(FILE, { symbol: 'SPX' });
      expect(imported.reused).toBe(true);
      const listed = await sq.data.list();
      expect(listed.items.map((s) => s.id)).toEqual([imported.sidecar.id]);
      const view = await sq.data.show(imported.snapshot.hash);
      expect(view[toMimeBundle]().data['application/vnd.plotly.v1+json']).toBeDefined();
    } finally {
      setDefaultLocator(undefined);
    }
  });
});

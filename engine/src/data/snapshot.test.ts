import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataHash } from '../hash/index.js';
import { readBarsParquet } from './duckdb/index.js';
import { importBars } from './import.js';
import { freezeSnapshot, listSnapshots, loadSnapshot, readSnapshotRecord } from './snapshot.js';
import { generateSyntheticBars } from './synthetic.js';
import { importToSnapshot } from './store.js';

const root = mkdtempSync(join(tmpdir(), 'sigmatiq-snap-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('snapshots', () => {
  it('freeze -> load round-trips every value bit for bit, and the file is named by the data hash', async () => {
    const store = join(root, 's1');
    // Awkward values: tiny prices, long decimals, fractional volume.
    const bars = generateSyntheticBars({ length: 5000, seed: 11, interval: '5m', startPrice: 0.0000533 });
    bars.volume[3] = 0.12345678901234567;
    const { record, reused } = await freezeSnapshot(bars, { storeDir: store, source: { path: 'synthetic', format: 'synthetic' }, now: () => new Date('2026-01-01T00:00:00Z') });
    expect(reused).toBe(false);
    expect(record.hash).toBe(dataHash(bars));
    expect(record).toMatchObject({ snapshot_id: record.hash, row_count: 5000, interval: '5m', symbol: 'SYNTH', file: `${record.hash}.parquet`, created_at: '2026-01-01T00:00:00.000Z' });
    expect(record.date_range.start).toBe(new Date(bars.ts[0] ?? 0).toISOString());
    const loaded = await loadSnapshot(store, record.hash);
    for (const f of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(Buffer.from(loaded[f].buffer, loaded[f].byteOffset, loaded[f].byteLength).equals(Buffer.from(bars[f].buffer, bars[f].byteOffset, bars[f].byteLength))).toBe(true);
    }
    expect(loaded.length).toBe(5000);
    // The block-copy read path and the getItem path agree value for value.
    const slow = await readBarsParquet(join(store, record.file), false);
    expect(dataHash({ ...slow, symbol: bars.symbol, interval: bars.interval })).toBe(record.hash);
    // No temp files left behind; exactly the parquet and the record.
    expect(readdirSync(store).sort()).toEqual([`${record.hash}.json`, `${record.hash}.parquet`]);
    expect(listSnapshots(store).map((r) => r.hash)).toEqual([record.hash]);
  });

  it('re-freezing identical content reuses the files (idempotent)', async () => {
    const store = join(root, 's2');
    const bars = generateSyntheticBars({ length: 100, seed: 1, interval: '1d' });
    const a = await freezeSnapshot(bars, { storeDir: store, source: { path: 'a', format: 'synthetic' }, now: () => new Date(1000) });
    const before = readFileSync(join(store, `${a.record.hash}.parquet`));
    const b = await freezeSnapshot(generateSyntheticBars({ length: 100, seed: 1, interval: '1d' }), { storeDir: store, source: { path: 'b', format: 'synthetic' }, now: () => new Date(2000) });
    expect(b.reused).toBe(true);
    expect(b.record).toEqual(a.record);
    expect(readFileSync(join(store, `${a.record.hash}.parquet`)).equals(before)).toBe(true);
  });

  it('importing the same CSV twice gives the same hash; a different value gives another', async () => {
    const store = join(root, 's3');
    const p = join(root, 'x.csv');
    writeFileSync(p, 'ts,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,10\n2024-01-03,1.5,2,1,1.75,0\n');
    const a = await importToSnapshot(p, { storeDir: store });
    const b = await importToSnapshot(p, { storeDir: store });
    expect(b.record.hash).toBe(a.record.hash);
    expect(b.reused).toBe(true);
    expect(a.record.source).toMatchObject({ format: 'csv', path: p, bytes: 82 }); // 82 = wc -c of the text above
    writeFileSync(p, 'ts,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,10\n2024-01-03,1.5,2,1,1.75,1\n');
    const c = await importToSnapshot(p, { storeDir: store });
    expect(c.record.hash).not.toBe(a.record.hash);
    // A snapshot Parquet file imports back to the same normalized content.
    const again = await importBars(join(store, `${a.record.hash}.parquet`), { symbol: 'X', interval: '1d' });
    expect(Array.from(again.bars.close)).toEqual([1.5, 1.75]);
    expect(Array.from(again.bars.ts)).toEqual([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)]);
  });

  it('a rejected import writes nothing', async () => {
    const store = join(root, 's4');
    const p = join(root, 'bad.csv');
    writeFileSync(p, 'ts,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,10\n2024-01-03,1.5,1,2,1.75,0\n');
    await expect(importToSnapshot(p, { storeDir: store })).rejects.toMatchObject({ code: 'DATA_HIGH_LOW', details: { line: 3 } });
    expect(existsSync(store) ? readdirSync(store) : []).toEqual([]);
  });

  it('detects a tampered snapshot and unknown hashes', async () => {
    const store = join(root, 's5');
    const bars = generateSyntheticBars({ length: 50, seed: 5, interval: '1h' });
    const other = generateSyntheticBars({ length: 50, seed: 6, interval: '1h' });
    const { record } = await freezeSnapshot(bars, { storeDir: store, source: { path: 's', format: 'synthetic' } });
    const { record: r2 } = await freezeSnapshot(other, { storeDir: store, source: { path: 's', format: 'synthetic' } });
    // Swap in another snapshot's Parquet file under this hash.
    writeFileSync(join(store, `${record.hash}.parquet`), readFileSync(join(store, `${r2.hash}.parquet`)));
    await expect(loadSnapshot(store, record.hash)).rejects.toMatchObject({ code: 'DATA_SNAPSHOT_CORRUPT' });
    await expect(loadSnapshot(store, 'f'.repeat(64))).rejects.toMatchObject({ code: 'DATA_SNAPSHOT_NOT_FOUND' });
    // A record edited by hand no longer matches the schema or its file name.
    const recPath = join(store, `${r2.hash}.json`);
    writeFileSync(recPath, readFileSync(recPath, 'utf8').replace('"row_count":50', '"row_count":-1'));
    expect(() => readSnapshotRecord(store, r2.hash)).toThrow(expect.objectContaining({ code: 'DATA_SNAPSHOT_CORRUPT', details: expect.objectContaining({ field: 'row_count' }) as unknown }) as Error);
    expect(() => readSnapshotRecord(store, 'nothex')).toThrow(expect.objectContaining({ code: 'DATA_SNAPSHOT_NOT_FOUND' }) as Error);
  });
});

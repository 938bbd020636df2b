/**
 * Data snapshots: immutable, content-addressed Parquet files plus a JSON DataSnapshot record.
 *   <store>/<hash>.parquet   the normalized bars (see duckdb/parquet.ts for the columns)
 *   <store>/<hash>.json      the DataSnapshot record (canonical JSON)
 * `hash` is the data hash (hash/data-hash.ts) of the normalized bars, so freezing the same bars
 * twice reuses the same files (idempotent). Files are written to a temp name in the store and
 * renamed into place (atomic on POSIX), the Parquet file before the record.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SigmatiqError } from '../errors.js';
import { canonicalJson, dataHash } from '../hash/index.js';
import { ENGINE_VERSION } from '../version.js';
import type { Bars } from './bars.js';
import { readBarsParquet, writeBarsParquet } from './duckdb/index.js';
import { findGaps, type GapReport } from './gaps.js';
import { parseInterval } from './interval.js';
import { DataSnapshotSchema } from './snapshot-schema.js';

export interface SnapshotSource {
  /** Absolute path of the imported file, or a description (`synthetic`, `resample:<hash>`). */
  readonly path: string;
  readonly format: 'csv' | 'parquet' | 'synthetic' | 'derived';
  readonly sha256?: string;
  readonly bytes?: number;
  readonly order?: 'ascending' | 'descending';
  readonly columns?: Readonly<Record<string, string | undefined>>;
}

/** The DataSnapshot record (Sigmatiq dictionary section B, extended). */
export interface DataSnapshot {
  readonly schema_version: 1;
  /** Equal to `hash`: snapshots are content-addressed. */
  readonly snapshot_id: string;
  readonly hash: string;
  readonly instrument_id: string;
  readonly symbol: string;
  readonly interval: string;
  readonly date_range: { readonly start: string; readonly end: string };
  readonly start_ms: number;
  readonly end_ms: number;
  readonly row_count: number;
  readonly has_volume: boolean;
  /** `sha256:<source file hash>` for imports; the generator's config hash for synthetic data. */
  readonly data_source_version: string;
  readonly source: SnapshotSource;
  readonly gaps: GapReport;
  /** File name of the Parquet file in the store: `<hash>.parquet`. */
  readonly file: string;
  readonly engine_version: string;
  readonly created_at: string;
}

export interface FreezeOptions {
  readonly storeDir: string;
  readonly hasVolume?: boolean;
  readonly source: SnapshotSource;
  readonly dataSourceVersion?: string;
  readonly gaps?: GapReport;
  /** Clock for created_at (tests). */
  readonly now?: () => Date;
}

export interface FreezeResult {
  readonly record: DataSnapshot;
  /** True when the snapshot already existed and its files were reused. */
  readonly reused: boolean;
}

const HASH_RE = /^[0-9a-f]{64}$/;

function tmpName(dir: string, name: string): string {
  return join(dir, `.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}-${name}`);
}

function writeAtomic(dir: string, name: string, text: string): void {
  const tmp = tmpName(dir, name);
  writeFileSync(tmp, text);
  renameSync(tmp, join(dir, name));
}

export function snapshotPaths(storeDir: string, hash: string): { parquet: string; record: string } {
  return { parquet: join(storeDir, `${hash}.parquet`), record: join(storeDir, `${hash}.json`) };
}

export async function freezeSnapshot(bars: Bars, options: FreezeOptions): Promise<FreezeResult> {
  if (bars.length === 0) throw new SigmatiqError('DATA_EMPTY', 'cannot freeze an empty series', { param: 'bars' });
  const hasVolume = options.hasVolume ?? true;
  const hash = dataHash(bars, { hasVolume });
  const dir = options.storeDir;
  mkdirSync(dir, { recursive: true });
  const paths = snapshotPaths(dir, hash);
  if (existsSync(paths.parquet) && existsSync(paths.record)) {
    return { record: readSnapshotRecord(dir, hash), reused: true };
  }
  if (!existsSync(paths.parquet)) {
    const tmp = tmpName(dir, `${hash}.parquet`);
    try {
      await writeBarsParquet(bars, tmp, { symbol: bars.symbol, interval: bars.interval, hash, has_volume: String(hasVolume) });
      renameSync(tmp, paths.parquet);
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  const start = bars.ts[0] ?? 0;
  const end = bars.ts[bars.length - 1] ?? 0;
  const record: DataSnapshot = {
    schema_version: 1,
    snapshot_id: hash,
    hash,
    instrument_id: bars.symbol,
    symbol: bars.symbol,
    interval: bars.interval,
    date_range: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    start_ms: start,
    end_ms: end,
    row_count: bars.length,
    has_volume: hasVolume,
    data_source_version: options.dataSourceVersion ?? (options.source.sha256 !== undefined ? `sha256:${options.source.sha256}` : options.source.path),
    source: JSON.parse(JSON.stringify(options.source)) as SnapshotSource,
    gaps: options.gaps ?? findGaps(bars.ts, bars.length, parseInterval(bars.interval)),
    file: `${hash}.parquet`,
    engine_version: ENGINE_VERSION,
    created_at: (options.now?.() ?? new Date()).toISOString(),
  };
  writeAtomic(dir, `${hash}.json`, canonicalJson(record) + '\n');
  return { record, reused: false };
}

export function readSnapshotRecord(storeDir: string, hash: string): DataSnapshot {
  if (!HASH_RE.test(hash)) throw new SigmatiqError('DATA_SNAPSHOT_NOT_FOUND', `not a snapshot hash: "${hash}"`, { param: 'hash' });
  const { record } = snapshotPaths(storeDir, hash);
  let text: string;
  try {
    text = readFileSync(record, 'utf8');
  } catch {
    throw new SigmatiqError('DATA_SNAPSHOT_NOT_FOUND', `no snapshot ${hash} in ${storeDir}`, { file: record });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err: unknown) {
    throw new SigmatiqError('DATA_SNAPSHOT_CORRUPT', `snapshot record is not valid JSON`, { file: record }, { cause: err });
  }
  const parsed = DataSnapshotSchema.safeParse(json);
  if (!parsed.success || parsed.data.hash !== hash) {
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    const field = issue === undefined ? 'hash' : issue.path.map(String).join('.');
    throw new SigmatiqError('DATA_SNAPSHOT_CORRUPT', `snapshot record is invalid at ${field}`, { file: record, field });
  }
  return parsed.data;
}

export function listSnapshots(storeDir: string): DataSnapshot[] {
  if (!existsSync(storeDir)) return [];
  return readdirSync(storeDir)
    .filter((f) => f.endsWith('.json') && HASH_RE.test(f.slice(0, -5)))
    .sort()
    .map((f) => readSnapshotRecord(storeDir, f.slice(0, -5)));
}

export interface LoadOptions {
  /** Recompute the data hash and compare with the file name (default true). */
  readonly verify?: boolean;
}

/** Loads a snapshot into columnar Bars. Throws DATA_SNAPSHOT_NOT_FOUND / DATA_SNAPSHOT_CORRUPT. */
export async function loadSnapshot(storeDir: string, hash: string, options: LoadOptions = {}): Promise<Bars> {
  const record = readSnapshotRecord(storeDir, hash);
  const { parquet } = snapshotPaths(storeDir, hash);
  if (!existsSync(parquet)) throw new SigmatiqError('DATA_SNAPSHOT_NOT_FOUND', `snapshot file missing: ${parquet}`, { file: parquet });
  const cols = await readBarsParquet(parquet);
  const bars: Bars = { symbol: record.symbol, interval: record.interval, ...cols };
  if (options.verify !== false) {
    const actual = dataHash(bars, { hasVolume: record.has_volume });
    if (actual !== hash) {
      throw new SigmatiqError('DATA_SNAPSHOT_CORRUPT', `snapshot content hashes to ${actual}, not ${hash}`, { file: parquet });
    }
  }
  return bars;
}

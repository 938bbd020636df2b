/**
 * The data half of the notebook API and of `%data`: import a file into a frozen snapshot (engine),
 * register it in the sidecar, list the sidecar's snapshots, show one (summary + candlesticks).
 */
import { importToSnapshot, listSnapshots, loadSnapshot, SigmatiqError, type DataSnapshot } from '@sigmatiq/engine';
import path from 'node:path';
import { bundle, type DisplayOutput, type Displayable, table, toMimeBundle } from '../display/mime.js';
import { connectSidecar, expectOk } from '../sidecar/client.js';
import type { SidecarLocator } from '../sidecar/locate.js';
import { snapshotStoreDir } from './context.js';
import { type Candles, candlestickFigure, downsampleOhlc, MAX_CANDLES } from './ohlc.js';

/** A data snapshot as the sidecar stores it (docs/http-api.md). */
export interface SidecarSnapshot {
  id: string;
  name: string;
  uri: string;
  date_range: { start: string; end: string };
  data_source_version: string;
  hash: string;
  size_bytes: number;
  /** The engine's data hash of the normalized bars (null for snapshots registered without it). */
  data_hash: string | null;
  created_at: string;
}

export interface ImportDataOptions {
  symbol?: string;
  interval?: string;
}

function summaryRows(record: DataSnapshot, extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  const rows: Record<string, unknown> = {
    hash: record.hash,
    symbol: record.symbol,
    interval: record.interval,
    rows: record.row_count,
    range: `${record.date_range.start} → ${record.date_range.end}`,
    gaps: record.gaps.count,
    ...extra,
  };
  return Object.entries(rows).map(([field, value]) => ({ field, value }));
}

/** The result of `sq.data.import` / `%data import`. */
export class DataImport implements Displayable {
  constructor(
    readonly snapshot: DataSnapshot,
    readonly sidecar: SidecarSnapshot,
    /** True when the same bars were already frozen (nothing new was written). */
    readonly reused: boolean,
  ) {}

  [toMimeBundle](): DisplayOutput {
    return table(summaryRows(this.snapshot, { reused: this.reused ? 'yes' : 'no', 'sidecar id': this.sidecar.id }), ['field', 'value'], `Data snapshot ${this.snapshot.hash.slice(0, 12)}`);
  }
}

/** The sidecar's snapshots (`sq.data.list` / `%data list`). */
export class SnapshotList implements Displayable {
  constructor(readonly items: readonly SidecarSnapshot[]) {}

  [toMimeBundle](): DisplayOutput {
    const rows = this.items.map((s) => ({ id: s.id, name: s.name, start: s.date_range.start, end: s.date_range.end, size_bytes: s.size_bytes, created_at: s.created_at }));
    return table(rows, ['id', 'name', 'start', 'end', 'size_bytes', 'created_at'], `${this.items.length} data snapshot${this.items.length === 1 ? '' : 's'} in the sidecar`);
  }
}

/** One snapshot: its record and the candles shown (`sq.data.show` / `%data show`). */
export class SnapshotView implements Displayable {
  constructor(
    readonly snapshot: DataSnapshot,
    readonly candles: Candles,
  ) {}

  /** What the summary says about downsampling. */
  get displayNote(): string {
    return this.candles.step === 1
      ? `all ${this.snapshot.row_count} bars shown`
      : `${this.candles.x.length} candles shown, each aggregating ${this.candles.step} bars (display only; the snapshot keeps all ${this.snapshot.row_count})`;
  }

  summary(): Displayable & DisplayOutput {
    return table(summaryRows(this.snapshot, { chart: this.displayNote }), ['field', 'value'], `Data snapshot ${this.snapshot.hash.slice(0, 12)}`);
  }

  chart(): Displayable & DisplayOutput {
    const fig = candlestickFigure(this.candles, `${this.snapshot.symbol} ${this.snapshot.interval}`);
    const summary = this.summary();
    return bundle({ 'text/plain': `${summary.data['text/plain']}\n[candlestick chart: ${this.displayNote}]`, 'application/vnd.plotly.v1+json': { data: fig.data, layout: fig.layout ?? {}, config: {} } });
  }

  /** The chart, with the summary as its text twin (the magic shows the summary table first). */
  [toMimeBundle](): DisplayOutput {
    return this.chart();
  }
}

const LIST_PAGE = 500;

async function allSidecarSnapshots(locator: SidecarLocator): Promise<SidecarSnapshot[]> {
  const { client } = await connectSidecar(locator);
  const out: SidecarSnapshot[] = [];
  for (let offset = 0; ; offset += LIST_PAGE) {
    const res = await client.v1['data-snapshots'].$get({ query: { limit: String(LIST_PAGE), offset: String(offset) } });
    const page = await expectOk<{ items: SidecarSnapshot[] }>(res, 'list data snapshots');
    out.push(...page.items);
    if (page.items.length < LIST_PAGE) return out;
  }
}

/**
 * Imports `file` (CSV/Parquet, see the engine's importer) into a snapshot in `<data dir>/snapshots`,
 * then registers it in the sidecar (or finds its existing registration when the bars were already
 * frozen and registered). Fails with SIDECAR_UNAVAILABLE before writing anything when no sidecar answers.
 */
export async function importData(locator: SidecarLocator, file: string, opts: ImportDataOptions = {}): Promise<DataImport> {
  const { client } = await connectSidecar(locator);
  const storeDir = snapshotStoreDir(locator);
  const { record, reused } = await importToSnapshot(path.resolve(file), {
    storeDir,
    ...(opts.symbol === undefined ? {} : { symbol: opts.symbol }),
    ...(opts.interval === undefined ? {} : { interval: opts.interval }),
  });
  const uri = path.join(storeDir, record.file);
  const res = await client.v1['data-snapshots'].$post({
    json: {
      name: `${record.symbol} ${record.interval} ${record.hash.slice(0, 12)}`,
      uri,
      date_range: { start: record.date_range.start.slice(0, 10), end: record.date_range.end.slice(0, 10) },
      data_source_version: record.data_source_version,
      // The engine's content hash (the snapshot's name): the sidecar verifies it and shows it in lineage.
      data_hash: record.hash,
    },
    header: {},
  });
  if ((res.status as number) === 409) {
    const existing = (await allSidecarSnapshots(locator)).find((s) => s.uri === uri);
    if (existing === undefined) await expectOk(res, 'register data snapshot');
    else return new DataImport(record, existing, reused);
  }
  const created = await expectOk<SidecarSnapshot>(res, 'register data snapshot');
  return new DataImport(record, created, reused);
}

export async function listData(locator: SidecarLocator): Promise<SnapshotList> {
  return new SnapshotList(await allSidecarSnapshots(locator));
}

/**
 * The local snapshot whose engine hash starts with `ref` (at least 4 characters), or whose sidecar id
 * is `ref`. DATA_SNAPSHOT_NOT_FOUND / DATA_SNAPSHOT_AMBIGUOUS otherwise.
 */
export async function resolveSnapshot(locator: SidecarLocator, ref: string): Promise<DataSnapshot> {
  const storeDir = snapshotStoreDir(locator);
  const local = listSnapshots(storeDir);
  const needle = ref.toLowerCase();
  const byHash = needle.length >= 4 ? local.filter((s) => s.hash.startsWith(needle)) : [];
  if (byHash.length > 1) {
    throw new SigmatiqError('DATA_SNAPSHOT_AMBIGUOUS', `"${ref}" is the start of ${byHash.length} snapshot hashes; give more characters`, { param: 'snapshot', matches: byHash.map((s) => s.hash) });
  }
  const [only] = byHash;
  if (only !== undefined) return only;
  if (/^[0-9a-f-]{36}$/i.test(ref)) {
    const found = (await allSidecarSnapshots(locator)).find((s) => s.id === ref);
    const match = found === undefined ? undefined : local.find((s) => path.join(storeDir, s.file) === found.uri);
    if (match !== undefined) return match;
  }
  throw new SigmatiqError('DATA_SNAPSHOT_NOT_FOUND', `no snapshot "${ref}" in ${storeDir} (give a hash prefix of 4+ characters or a sidecar id; %data list shows them)`, { param: 'snapshot', storeDir });
}

export async function showData(locator: SidecarLocator, ref: string, maxCandles: number = MAX_CANDLES): Promise<SnapshotView> {
  const record = await resolveSnapshot(locator, ref);
  const bars = await loadSnapshot(snapshotStoreDir(locator), record.hash);
  return new SnapshotView(record, downsampleOhlc(bars, maxCandles));
}

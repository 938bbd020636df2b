/**
 * The bars a model runs on: the snapshot from `--data` or the model's `data:`, cut to
 * `--from`/`--to` (inclusive UTC dates), with the snapshot's sidecar id (registered when absent).
 */
import { loadSnapshot, SigmatiqError, sliceBars, type Bars, type DataSnapshot } from '@sigmatiq/engine';
import path from 'node:path';
import type { SigmatiqClient } from '../sidecar/client.js';
import type { SidecarLocator } from '../sidecar/locate.js';
import { snapshotStoreDir } from './context.js';
import { resolveSnapshot, type SidecarSnapshot } from './data.js';
import type { LoadedModel } from './models.js';
import { listSnapshots, registerSnapshot } from './registry.js';

export interface RangeOptions {
  /** Data snapshot (hash prefix or sidecar id); default: the model's `data:`. */
  data?: string;
  /** First day (YYYY-MM-DD, inclusive). */
  from?: string;
  /** Last day (YYYY-MM-DD, inclusive). */
  to?: string;
}

export interface ModelBars {
  readonly bars: Bars;
  readonly snapshot: DataSnapshot;
  readonly sidecar: SidecarSnapshot;
  /** The days actually covered (first and last bar, YYYY-MM-DD). */
  readonly range: { readonly start: string; readonly end: string };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function dayMs(value: string, flag: 'from' | 'to'): number {
  const ms = DAY.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (!Number.isFinite(ms)) throw new SigmatiqError('MODEL_RANGE_INVALID', `--${flag} must be a date YYYY-MM-DD, got '${value}'`, { param: flag, value });
  return ms;
}

/** Checks --from/--to before anything runs (MODEL_RANGE_INVALID). */
export function checkRange(opts: RangeOptions): { from: number | undefined; to: number | undefined } {
  const from = opts.from === undefined ? undefined : dayMs(opts.from, 'from');
  const to = opts.to === undefined ? undefined : dayMs(opts.to, 'to') + 86_400_000 - 1;
  if (from !== undefined && to !== undefined && from > to) throw new SigmatiqError('MODEL_RANGE_INVALID', `--from ${opts.from ?? ''} is after --to ${opts.to ?? ''}`, { param: 'from' });
  return { from, to };
}

/** First index with ts >= t (bars.ts ascending). */
function lowerBound(ts: Float64Array, t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] ?? 0) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The bars with from <= ts <= to (either bound optional). */
export function sliceBarsByDate(bars: Bars, from: number | undefined, to: number | undefined): Bars {
  if (from === undefined && to === undefined) return bars;
  const start = from === undefined ? 0 : lowerBound(bars.ts, from);
  const end = to === undefined ? bars.length : lowerBound(bars.ts, to + 1);
  return sliceBars(bars, start, end);
}

async function sidecarSnapshotOf(client: SigmatiqClient, locator: SidecarLocator, record: DataSnapshot): Promise<SidecarSnapshot> {
  const uri = path.join(snapshotStoreDir(locator), record.file);
  const find = async (): Promise<SidecarSnapshot | undefined> => (await listSnapshots(client)).find((s) => s.uri === uri);
  const existing = await find();
  if (existing !== undefined) return existing;
  const made = await registerSnapshot(client, {
    name: `${record.symbol} ${record.interval} ${record.hash.slice(0, 12)}`,
    uri,
    date_range: { start: record.date_range.start.slice(0, 10), end: record.date_range.end.slice(0, 10) },
    data_source_version: record.data_source_version,
    data_hash: record.hash,
  });
  const out = made ?? (await find());
  if (out === undefined) throw new SigmatiqError('DATA_SNAPSHOT_NOT_FOUND', `snapshot ${record.hash.slice(0, 12)} could not be registered in the sidecar`, { param: 'data' });
  return out;
}

export async function modelBars(locator: SidecarLocator, m: LoadedModel, opts: RangeOptions): Promise<ModelBars> {
  const { from, to } = checkRange(opts);
  const ref = opts.data ?? m.config.data;
  if (ref === undefined) {
    throw new SigmatiqError('MODEL_NO_DATA', `model '${m.model.name}' has no data snapshot: pass --data <snapshot> (a hash prefix or sidecar id from %data list) or set data: in the model`, { param: 'data', model: m.model.name });
  }
  const snapshot = await resolveSnapshot(locator, ref);
  const all = await loadSnapshot(snapshotStoreDir(locator), snapshot.hash);
  const bars = sliceBarsByDate(all, from, to);
  if (bars.length < 2) {
    throw new SigmatiqError('MODEL_RANGE_EMPTY', `the range ${opts.from ?? 'start'} .. ${opts.to ?? 'end'} leaves ${bars.length} bar(s) of snapshot ${snapshot.hash.slice(0, 12)} (${snapshot.date_range.start.slice(0, 10)} .. ${snapshot.date_range.end.slice(0, 10)})`, { param: 'from' });
  }
  const sidecar = await sidecarSnapshotOf(m.client, locator, snapshot);
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return { bars, snapshot, sidecar, range: { start: day(bars.ts[0] ?? 0), end: day(bars.ts[bars.length - 1] ?? 0) } };
}

/**
 * The sidecar calls of models, runs, sweeps and lineage, through the typed client. Bodies are
 * typed by the server's schemas; answers are narrowed to the records below (docs/http-api.md).
 */
import { configHash, isSigmatiqError, type METRIC_KEYS, SigmatiqError, type Pack } from '@sigmatiq/engine';
import { expectOk, type SigmatiqClient } from '../sidecar/client.js';
import { packCreateBody } from './packs.js';
import type { SidecarSnapshot } from './data.js';

export interface SidecarModel { id: string; pack_id: string; name: string; description: string | null; status: string; created_at: string }
export interface SidecarModelVersion { id: string; model_id: string; version: number; pack_version: string; config_yaml: string; config_hash: string; created_at: string }
export interface SidecarRun { id: string; run_hash: string; status: string; config: Record<string, unknown>; data_snapshot_id: string; data_hash: string; sweep_id: string | null; seed_root: number; created_at: string }
export interface SidecarSweep {
  id: string; model_version_id: string; data_snapshot_id: string; type: 'simple' | 'custom'; date_range: { start: string; end: string };
  parameters: Record<string, unknown>; quality_gates: Record<string, unknown> | null; tag: string | null; plan_tier: 'free' | 'premium' | 'pro';
  combo_cap: number; config_hash: string; created_at: string;
  run: { status: 'queued' | 'running' | 'cancelled' | 'completed' | 'failed'; progress: number; started_at: string | null; ended_at: string | null; pruning_used: boolean };
}
export interface SidecarCombination {
  combo_id: number; params: Record<string, unknown>; backtest_metrics: { [K in Exclude<(typeof METRIC_KEYS)[number], 'profit_factor'>]: number } & { /** null = +∞ (winners, no loser) */ profit_factor: number | null }; gate_results: Record<string, 'PASS' | 'MARGINAL' | 'FAIL'>; kept: boolean;
}

const PAGE = 500;

async function allPages<T>(fetchPage: (limit: string, offset: string) => Promise<{ items: T[] }>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await fetchPage(String(PAGE), String(offset));
    out.push(...page.items);
    if (page.items.length < PAGE) return out;
  }
}

/** The sidecar pack row of `pack` (registered now when absent). MODEL_PACK_CONFLICT when the sidecar holds other content under the same id and version. */
export async function ensurePack(client: SigmatiqClient, pack: Pack): Promise<{ id: string; version: string }> {
  const made = packCreateBody(pack);
  if ('error' in made) throw new SigmatiqError('MODEL_PACK_UNSUPPORTED', `pack '${pack.pack_id}' cannot be registered in the sidecar: ${made.error}`, { pack_id: pack.pack_id });
  const res = await client.v1.packs.$post({ json: made.body, header: {} });
  if ((res.status as number) !== 409) return expectOk<{ id: string; version: string }>(res, 'register pack');
  const list = await allPages((limit, offset) => client.v1.packs.$get({ query: { limit, offset } }).then((r) => expectOk<{ items: { id: string; name: string; version: string; content_hash: string }[] }>(r, 'list packs')));
  const found = list.find((p) => p.name === made.body.name && p.version === made.body.version);
  if (found === undefined) return expectOk(res, 'register pack');
  if (found.content_hash !== configHash(made.body)) {
    throw new SigmatiqError('MODEL_PACK_CONFLICT', `the sidecar holds ${found.name} ${found.version} (${found.id}) with other content: bump the pack's version`, { pack_id: found.id });
  }
  return found;
}

export async function listModels(client: SigmatiqClient): Promise<SidecarModel[]> {
  return allPages((limit, offset) => client.v1.models.$get({ query: { limit, offset } }).then((r) => expectOk<{ items: SidecarModel[] }>(r, 'list models')));
}

/** The model called `name` (the oldest, when several share it), or undefined. */
export async function findModel(client: SigmatiqClient, name: string): Promise<SidecarModel | undefined> {
  const matches = (await listModels(client)).filter((m) => m.name === name);
  return matches.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))[0];
}

export async function createModelRow(client: SigmatiqClient, packId: string, name: string, description?: string): Promise<SidecarModel> {
  const res = await client.v1.models.$post({ json: { pack_id: packId, name, ...(description === undefined ? {} : { description }) }, header: {} });
  return expectOk<SidecarModel>(res, 'create model');
}

/** Versions of a model, oldest first. */
export async function listModelVersions(client: SigmatiqClient, modelId: string): Promise<SidecarModelVersion[]> {
  const all = await allPages((limit, offset) => client.v1.models[':id'].versions.$get({ param: { id: modelId }, query: { limit, offset } }).then((r) => expectOk<{ items: SidecarModelVersion[] }>(r, 'list model versions')));
  return all.sort((a, b) => a.version - b.version);
}

export async function createModelVersion(client: SigmatiqClient, modelId: string, configYaml: string): Promise<SidecarModelVersion> {
  const res = await client.v1.models[':id'].versions.$post({ param: { id: modelId }, json: { config_yaml: configYaml }, header: {} });
  return expectOk<SidecarModelVersion>(res, 'create model version');
}

export async function listSnapshots(client: SigmatiqClient): Promise<SidecarSnapshot[]> {
  return allPages((limit, offset) => client.v1['data-snapshots'].$get({ query: { limit, offset } }).then((r) => expectOk<{ items: SidecarSnapshot[] }>(r, 'list data snapshots')));
}

export async function registerSnapshot(client: SigmatiqClient, body: { name: string; uri: string; date_range: { start: string; end: string }; data_source_version: string; data_hash?: string }): Promise<SidecarSnapshot | undefined> {
  const res = await client.v1['data-snapshots'].$post({ json: body, header: {} });
  if ((res.status as number) === 409) return undefined;
  return expectOk<SidecarSnapshot>(res, 'register data snapshot');
}

/** Registers a run; the same run_hash again gives the existing run (`reused: true`). */
export async function registerRun(client: SigmatiqClient, config: Record<string, unknown>, snapshotId: string): Promise<{ run: SidecarRun; reused: boolean }> {
  const res = await client.v1.runs.$post({ json: { config, data_snapshot_id: snapshotId }, header: {} });
  try {
    return { run: await expectOk<SidecarRun>(res, 'register run'), reused: false };
  } catch (e) {
    const id = isSigmatiqError(e) && e.code === 'CONFLICT' ? e.details?.['run_id'] : undefined;
    if (typeof id !== 'string') throw e;
    return { run: await expectOk<SidecarRun>(await client.v1.runs[':id'].$get({ param: { id } }), 'get run'), reused: true };
  }
}

export async function runTransition(client: SigmatiqClient, runId: string, t: 'start' | 'complete' | 'fail'): Promise<SidecarRun> {
  return expectOk<SidecarRun>(await client.v1.runs[':id'][t].$post({ param: { id: runId }, header: {} }), `${t} run`);
}

export type EntityType = 'pack' | 'model' | 'model_version' | 'data_snapshot' | 'sweep' | 'run';

export async function addLink(client: SigmatiqClient, from: { type: EntityType; id: string }, to: { type: EntityType; id: string }): Promise<void> {
  await expectOk(await client.v1.lineage.links.$post({ json: { from, to }, header: {} }), 'add lineage link');
}

export async function createSweepRow(client: SigmatiqClient, body: {
  model_version_id: string; data_snapshot_id: string; type: 'simple' | 'custom'; date_range: { start: string; end: string };
  parameters: Record<string, unknown>; quality_gates?: Record<string, unknown>; tag?: string; pruning?: boolean;
}): Promise<SidecarSweep> {
  return expectOk<SidecarSweep>(await client.v1.sweeps.$post({ json: body, header: {} }), 'create sweep');
}

export async function getSweep(client: SigmatiqClient, id: string): Promise<SidecarSweep> {
  return expectOk<SidecarSweep>(await client.v1.sweeps[':id'].$get({ param: { id } }), 'get sweep');
}

export async function sweepTransition(client: SigmatiqClient, id: string, t: 'start' | 'complete' | 'cancel'): Promise<SidecarSweep> {
  return expectOk<SidecarSweep>(await client.v1.sweeps[':id'][t].$post({ param: { id }, header: {} }), `${t} sweep`);
}

export async function failSweep(client: SigmatiqClient, id: string, reason_code: string, message: string, detail: Record<string, unknown>): Promise<SidecarSweep> {
  return expectOk<SidecarSweep>(await client.v1.sweeps[':id'].fail.$post({ param: { id }, json: { reason_code, message: message.slice(0, 2000), detail }, header: {} }), 'fail sweep');
}

/** Posts progress; resolves to the sweep's status after it (a 409 INVALID_TRANSITION gives the status the sweep is in). */
export async function postProgress(client: SigmatiqClient, id: string, progress: number): Promise<string> {
  const res = await client.v1.sweeps[':id'].progress.$post({ param: { id }, json: { progress: Math.min(1, Math.max(0, progress)) }, header: {} });
  if ((res.status as number) === 409) {
    const body = (await res.json().catch(() => null)) as { details?: { status?: unknown } } | null;
    return typeof body?.details?.status === 'string' ? body.details.status : 'unknown';
  }
  return (await expectOk<SidecarSweep>(res, 'post sweep progress')).run.status;
}

/** Bytes of JSON per combinations request at most (the sidecar takes 1 MiB bodies) and items (its schema takes 1,000). */
export const COMBO_BATCH_BYTES = 512 * 1024;
const COMBO_BATCH_ITEMS = 1000;

/** Records combinations in batches under both limits; resolves to the sweep's total stored. */
export async function postCombinations(client: SigmatiqClient, id: string, items: readonly SidecarCombination[]): Promise<number> {
  let total = 0;
  let batch: SidecarCombination[] = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const r = await expectOk<{ inserted: number; total: number }>(await client.v1.sweeps[':id'].combinations.$post({ param: { id }, json: { items: batch }, header: {} }), 'record combinations');
    total = r.total;
    batch = [];
    bytes = 0;
  };
  for (const item of items) {
    const size = JSON.stringify(item).length + 1;
    if (batch.length >= COMBO_BATCH_ITEMS || (batch.length > 0 && bytes + size > COMBO_BATCH_BYTES)) await flush();
    batch.push(item);
    bytes += size;
  }
  await flush();
  return total;
}

export async function postSweepError(client: SigmatiqClient, id: string, reason_code: string, message: string, detail: Record<string, unknown>): Promise<void> {
  await expectOk(await client.v1.sweeps[':id'].errors.$post({ param: { id }, json: { reason_code, message: message.slice(0, 2000), detail }, header: {} }), 'record sweep error');
}

export async function countCombinations(client: SigmatiqClient, id: string): Promise<number> {
  const all = await allPages((limit, offset) => client.v1.sweeps[':id'].combinations.$get({ param: { id }, query: { limit, offset } }).then((r) => expectOk<{ items: unknown[] }>(r, 'list combinations')));
  return all.length;
}

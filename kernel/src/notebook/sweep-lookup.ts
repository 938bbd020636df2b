/**
 * Read-side look-ups in the sidecar shared by `%leaderboard` and `%lineage`: a sweep by id, tag or
 * `latest`, all of a sweep's combinations, and the model/snapshot a sweep was run on.
 */
import { SigmatiqError } from '@sigmatiq/engine';
import { connectSidecar, expectOk, type SigmatiqClient } from '../sidecar/client.js';
import type { SidecarLocator } from '../sidecar/locate.js';

export type Gate = 'PASS' | 'MARGINAL' | 'FAIL';
export const GATES: readonly Gate[] = ['PASS', 'MARGINAL', 'FAIL'];

/** A sweep as the sidecar returns it (docs/http-api.md). */
export interface SidecarSweep {
  id: string;
  model_version_id: string;
  data_snapshot_id: string;
  type: 'simple' | 'custom';
  date_range: { start: string; end: string };
  parameters: Record<string, unknown>;
  quality_gates: Record<string, unknown> | null;
  tag: string | null;
  plan_tier: string;
  combo_cap: number;
  config_hash: string;
  created_at: string;
  run: { status: string; progress: number; started_at: string | null; ended_at: string | null; pruning_used: boolean };
}

/** One evaluated combination as the sidecar stores it. */
export interface SidecarCombination {
  sweep_id: string;
  combo_id: number;
  params: Record<string, unknown>;
  config_hash: string;
  backtest_metrics: Record<string, number>;
  gate_results: Record<string, Gate>;
  gate_status: Gate;
  kept: boolean;
  created_at: string;
}

const PAGE = 500;

/** Every page of a list endpoint (the sidecar caps a page at 500 rows). */
export async function allPages<T>(fetchPage: (limit: string, offset: string) => Promise<{ items: T[] }>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await fetchPage(String(PAGE), String(offset));
    out.push(...page.items);
    if (page.items.length < PAGE) return out;
  }
}

export async function listSweeps(client: SigmatiqClient): Promise<SidecarSweep[]> {
  return allPages(async (limit, offset) => expectOk<{ items: SidecarSweep[] }>(await client.v1.sweeps.$get({ query: { limit, offset } }), 'list sweeps'));
}

export async function sweepCombinations(client: SigmatiqClient, sweepId: string): Promise<SidecarCombination[]> {
  return allPages(async (limit, offset) =>
    expectOk<{ items: SidecarCombination[] }>(await client.v1.sweeps[':id'].combinations.$get({ param: { id: sweepId }, query: { limit, offset } }), `list the combinations of sweep ${sweepId}`),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The sweep `ref` names: `latest` (or undefined) = the most recently created sweep; a sidecar id;
 * else a tag (the most recent sweep carrying it). SWEEP_NONE when the sidecar has no sweep yet,
 * SWEEP_NOT_FOUND when nothing matches.
 */
export async function resolveSweep(client: SigmatiqClient, ref: string | undefined): Promise<SidecarSweep> {
  if (ref !== undefined && UUID.test(ref)) {
    const res = await client.v1.sweeps[':id'].$get({ param: { id: ref } });
    if ((res.status as number) === 404) throw new SigmatiqError('SWEEP_NOT_FOUND', `no sweep ${ref} in the sidecar (%leaderboard without argument shows the latest)`, { param: 'sweep', ref });
    return expectOk<SidecarSweep>(res, `get sweep ${ref}`);
  }
  // The list is in creation order (oldest first): the last match is the most recent.
  const sweeps = await listSweeps(client);
  if (sweeps.length === 0) throw new SigmatiqError('SWEEP_NONE', 'the sidecar has no sweep yet: run one with %sweep run or %%sweep', { param: 'sweep' });
  if (ref === undefined || ref === 'latest') return sweeps[sweeps.length - 1] as SidecarSweep;
  const tagged = sweeps.filter((s) => s.tag === ref);
  const last = tagged[tagged.length - 1];
  if (last !== undefined) return last;
  const tags = [...new Set(sweeps.map((s) => s.tag).filter((t): t is string => t !== null))];
  throw new SigmatiqError('SWEEP_NOT_FOUND', `no sweep with id or tag "${ref}" (tags: ${tags.length === 0 ? 'none' : tags.slice(-10).join(', ')})`, { param: 'sweep', ref });
}

/** Human names for a sweep's header: model name + version, snapshot name. Best effort (null when missing). */
export async function sweepContext(client: SigmatiqClient, sweep: SidecarSweep): Promise<{ model: string | null; snapshot: string | null }> {
  const mvRes = await client.v1['model-versions'][':id'].$get({ param: { id: sweep.model_version_id } });
  let model: string | null = null;
  if (mvRes.ok) {
    const mv = (await mvRes.json()) as { model_id: string; version: number };
    const mRes = await client.v1.models[':id'].$get({ param: { id: mv.model_id } });
    model = mRes.ok ? `${((await mRes.json()) as { name: string }).name} v${mv.version}` : `model version ${mv.version}`;
  }
  const sRes = await client.v1['data-snapshots'][':id'].$get({ param: { id: sweep.data_snapshot_id } });
  const snapshot = sRes.ok ? ((await sRes.json()) as { name: string }).name : null;
  return { model, snapshot };
}

export async function clientOf(locator: SidecarLocator): Promise<SigmatiqClient> {
  return (await connectSidecar(locator)).client;
}

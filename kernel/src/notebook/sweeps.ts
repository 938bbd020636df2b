/**
 * `%sweep run` / `%%sweep` / `sq.sweep.run`: a sweep of a model in the kernel process (the
 * engine's runSweep), persisted in the sidecar with every combination, its errors and lineage
 * (sweep <- model version, sweep <- snapshot, recorded by the sidecar on create).
 *
 * Lifecycle: validate everything (model, data, plan, caps) -> create the sidecar sweep -> start ->
 * run with progress (display updated in place, progress posted) -> write combinations and errors
 * -> complete, or cancel (kernel interrupt / AbortSignal / `%sweep cancel` / a cancel made in the
 * sidecar, seen as the progress POST answering that the sweep is cancelled). Partial results of a
 * cancelled sweep are kept. A failure after the sweep was created marks it failed with its code.
 */
import {
  isSigmatiqError, isSweepError, METRIC_KEYS, runSweep, SigmatiqError, SweepError, sweepSpecFor, validatePlan,
  type CombinationRow, type ComboResult, type SweepPlan, type SweepProgress, type SweepResult, type SweepSpec,
} from '@sigmatiq/engine';
import { connectSidecar } from '../sidecar/client.js';
import type { SidecarLocator } from '../sidecar/locate.js';
import { recordSweepStatistics } from './leaderboard.js';
import { modelBars } from './model-data.js';
import { loadModel, type ModelOptions } from './models.js';
import {
  countCombinations, createSweepRow, failSweep, getSweep, postCombinations, postProgress, postSweepError, sweepTransition, type SidecarCombination, type SidecarSweep,
} from './registry.js';
import { SweepRunView, SweepStatusView, type ProgressState } from './sweep-view.js';

export interface SweepRunOptions extends ModelOptions {
  /** Cancels the sweep (partial results kept). The magic passes the kernel's interrupt signal. */
  signal?: AbortSignal;
  /** Every progress report (at least once a second while running). */
  onProgress?: (state: ProgressState) => void;
  /** Worker threads (default: the engine's, one per core). */
  workers?: number;
  /** A model version number (default: the latest). */
  version?: number;
  /** Progress period in ms (default 500); also the period of the combination stream. */
  progressIntervalMs?: number;
  /**
   * Called after each streamed combinations POST succeeded, with the sidecar's total; awaited before the next
   * stream POST and before the sweep is completed (tests observe the sidecar mid-sweep through it).
   */
  onCombinationsStreamed?: (total: number) => void | Promise<void>;
}

/** Sweeps running in this kernel process, by sidecar id (for `%sweep status|cancel`). Kept on globalThis so every module copy shares it. */
interface Running { readonly controller: AbortController; state: ProgressState }
const KEY = Symbol.for('sigmatiq.kernel.sweeps');
type Holder = { [KEY]?: Map<string, Running> };
export function runningSweeps(): Map<string, Running> {
  const h = globalThis as Holder;
  return (h[KEY] ??= new Map<string, Running>());
}

const MAX_ERROR_POSTS = 200;

function reasonOf(e: unknown): { code: string; message: string } {
  if (isSweepError(e)) return { code: e.reasonCode, message: e.message };
  if (isSigmatiqError(e)) return { code: e.code, message: e.message };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** The sidecar's combination record of a result, or why it cannot be stored (failed or non-finite metrics). */
export function toSidecarCombination(r: ComboResult): SidecarCombination | { error: string } {
  if (r.metrics === undefined) return { error: r.error === undefined ? 'no metrics' : `${r.error.code}: ${r.error.message}` };
  const m = {} as SidecarCombination['backtest_metrics'];
  for (const k of METRIC_KEYS) {
    const v = r.metrics[k];
    // profit_factor is +Infinity with winners and no loser: the sidecar stores it as null (JSON has no infinity).
    if (k === 'profit_factor' && v === Number.POSITIVE_INFINITY) {
      m[k] = null;
      continue;
    }
    if (!Number.isFinite(v)) return { error: `metric ${k} is ${String(v)}` };
    m[k] = v;
  }
  const gate_results: SidecarCombination['gate_results'] = {};
  for (const c of r.gate.checks) gate_results[c.check] = c.status;
  if (r.gate.checks.length === 0) gate_results['quality'] = r.gate.status;
  return { combo_id: r.combo_id, params: { ...r.params }, backtest_metrics: m, gate_results, kept: r.kept };
}

/**
 * Combinations streamed to the sidecar while the sweep runs (the engine's onCombinations: rows before ranking, so
 * `kept` is sent as true). At most one POST per progress period, coalescing everything that arrived meanwhile;
 * `sent` remembers the kept flag sent per combo_id so the final write adds only the rest, plus the rows whose
 * final Pareto `kept` is false (the sidecar's POST replaces by combo_id).
 */
class CombinationStream {
  readonly sent = new Map<number, boolean>();
  total = 0;
  private pending: SidecarCombination[] = [];
  private inFlight: Promise<void> | undefined;
  constructor(private readonly client: Parameters<typeof postCombinations>[0], private readonly sweepId: string, private readonly onPosted: SweepRunOptions['onCombinationsStreamed']) {}
  add(rows: readonly CombinationRow[]): void {
    for (const r of rows) {
      const c = toSidecarCombination({ ...r, kept: true, rank: 0 });
      if (!('error' in c)) this.pending.push(c); // failed rows are recorded with the errors at the end
    }
  }
  /** Starts one POST of everything pending unless one is in flight. Best effort: what fails is written at the end. */
  flush(): void {
    if (this.inFlight !== undefined || this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.inFlight = postCombinations(this.client, this.sweepId, items)
      .then(async (total) => {
        for (const c of items) this.sent.set(c.combo_id, c.kept);
        this.total = total;
        await this.onPosted?.(total);
      })
      .catch(() => undefined)
      .finally(() => { this.inFlight = undefined; });
  }
  async settle(): Promise<void> {
    await this.inFlight;
  }
}

async function persist(client: Parameters<typeof postCombinations>[0], sweepId: string, result: SweepResult, stream?: CombinationStream): Promise<{ stored: number; unstored: { combo_id: number; reason: string }[] }> {
  const items: SidecarCombination[] = [];
  const unstored: { combo_id: number; reason: string }[] = [];
  for (const r of result.results) {
    const c = toSidecarCombination(r);
    if ('error' in c) unstored.push({ combo_id: r.combo_id, reason: c.error });
    else if (stream?.sent.get(c.combo_id) !== c.kept) items.push(c); // not streamed, or its final kept differs
  }
  const streamed = stream?.total ?? 0;
  const stored = items.length === 0 ? streamed : await postCombinations(client, sweepId, items);
  const errors = result.errors.map((e) => ({ reason_code: String(e.reason_code), message: e.message, detail: { ...e.detail } }));
  for (const u of unstored) {
    if (!result.errors.some((e) => e.detail?.['combo_id'] === u.combo_id)) errors.push({ reason_code: 'SWS-3001', message: `combination ${u.combo_id} not stored: ${u.reason}`, detail: { combo_id: u.combo_id } });
  }
  for (const e of errors.slice(0, MAX_ERROR_POSTS)) await postSweepError(client, sweepId, e.reason_code, e.message, e.detail);
  if (errors.length > MAX_ERROR_POSTS) await postSweepError(client, sweepId, 'SWS-3001', `${errors.length - MAX_ERROR_POSTS} more errors not recorded one by one`, { omitted: errors.length - MAX_ERROR_POSTS });
  return { stored, unstored };
}

/**
 * Runs `plan` on the model's latest version and persists it. Resolves with status `completed` or
 * `cancelled` (partials kept); throws the engine's SweepError (SWS codes) for invalid plans before
 * anything is written.
 */
export async function runModelSweep(locator: SidecarLocator, name: string, plan: SweepPlan, opts: SweepRunOptions = {}): Promise<SweepRunView> {
  const m = await loadModel(locator, name, { ...(opts.packsDir === undefined ? {} : { packsDir: opts.packsDir }), ...(opts.version === undefined ? {} : { version: opts.version }) });
  const d = await modelBars(locator, m, { ...(plan.data === undefined ? {} : { data: plan.data }), ...(plan.from === undefined ? {} : { from: plan.from }), ...(plan.to === undefined ? {} : { to: plan.to }) });
  const runOpts = { ...(opts.workers === undefined ? {} : { workers: opts.workers }) };
  // Caps, space, names, gates: checked on the most generous tier now, on the sidecar's tier once it answers.
  const check = (tier: SweepSpec['tier']): SweepSpec => {
    const spec = sweepSpecFor(m.resolved, plan, { tier });
    const v = validatePlan(spec, runOpts);
    if (v.blocks > 0 && d.bars.length < 2 * v.blocks) {
      throw new SweepError('INSUFFICIENT_DATA', `${d.bars.length} bars are too few for ${v.blocks} CSCV blocks (need ${2 * v.blocks}); set pbo_blocks: 0`, { bars: d.bars.length, blocks: v.blocks });
    }
    return spec;
  };
  check('pro');
  if (opts.signal?.aborted === true) throw new SweepError('CANCELLED', 'the sweep was cancelled before it started', {});

  const client = m.client;
  const created = await createSweepRow(client, {
    model_version_id: m.version.id,
    data_snapshot_id: d.sidecar.id,
    type: plan.type,
    date_range: d.range,
    parameters: { space: plan.params.map((p) => ({ ...p })), conditions: [...plan.conditions], sampler: plan.sampler, trials: plan.trials ?? null, seed: plan.seed ?? 0 },
    ...(plan.gates === undefined ? {} : { quality_gates: JSON.parse(JSON.stringify(plan.gates)) as Record<string, unknown> }),
    ...(plan.tag === undefined ? {} : { tag: plan.tag }),
    pruning: plan.pruning !== undefined && (plan.pruning.pareto === true || (plan.pruning.kendall ?? false) !== false),
  });
  const sweepId = created.id;
  let spec: SweepSpec;
  try {
    spec = { ...check(created.plan_tier), sweepId };
  } catch (e) {
    const r = reasonOf(e);
    await failSweep(client, sweepId, r.code, r.message, { phase: 'validate' });
    throw e;
  }
  await sweepTransition(client, sweepId, 'start');

  const controller = new AbortController();
  let remoteCancel = false;
  const onAbort = (): void => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const entry: Running = { controller, state: { sweepId, model: m.model.name, status: 'running', done: 0, total: 0, elapsedMs: 0, etaMs: Number.NaN, best: undefined, phase: 'running' } };
  runningSweeps().set(sweepId, entry);
  let inFlight: Promise<void> | undefined;
  const stream = new CombinationStream(client, sweepId, opts.onCombinationsStreamed);
  const onProgress = (p: SweepProgress): void => {
    if (p.phase === 'running') stream.flush();
    // While ranking, the engine reports done = total = combinations run; keep the planned total for display.
    const total = p.phase === 'running' || entry.state.total === 0 ? p.total : entry.state.total;
    entry.state = { sweepId, model: m.model.name, status: controller.signal.aborted ? 'cancelling' : 'running', done: p.done, total, elapsedMs: p.elapsed_ms, etaMs: p.eta_ms, best: p.best, phase: p.phase };
    opts.onProgress?.(entry.state);
    if (inFlight !== undefined || p.phase !== 'running' || controller.signal.aborted) return;
    inFlight = postProgress(client, sweepId, p.progress)
      .then((status) => {
        if (status === 'cancelled') {
          remoteCancel = true;
          controller.abort();
        }
      })
      .catch(() => undefined) // progress is best effort; the result is written at the end
      .finally(() => {
        inFlight = undefined;
      });
  };

  let result: SweepResult;
  try {
    result = await runSweep(d.bars, spec, { ...runOpts, signal: controller.signal, onProgress, progressIntervalMs: opts.progressIntervalMs ?? 500, onCombinations: (rows) => stream.add(rows) });
  } catch (e) {
    runningSweeps().delete(sweepId);
    opts.signal?.removeEventListener('abort', onAbort);
    await inFlight;
    await stream.settle();
    const r = reasonOf(e);
    if (r.code === 'SWS-4001' || controller.signal.aborted) {
      if (!remoteCancel) await sweepTransition(client, sweepId, 'cancel').catch(() => undefined);
      await postSweepError(client, sweepId, 'SWS-4001', r.message, {}).catch(() => undefined);
    } else {
      await failSweep(client, sweepId, r.code, r.message, { phase: 'run' }).catch(() => undefined);
    }
    throw e;
  }
  opts.signal?.removeEventListener('abort', onAbort);
  await inFlight;
  await stream.settle();
  try {
    entry.state = { ...entry.state, status: 'storing', phase: 'done', done: result.evaluated, total: result.planned, etaMs: 0 };
    opts.onProgress?.(entry.state);
    const { stored, unstored } = await persist(client, sweepId, result, stream);
    // Trials, DSR and PBO for %leaderboard and the Leaderboard panel, in the sidecar with the combinations.
    await recordSweepStatistics(client, sweepId, result);
    if (result.status === 'completed') {
      // A cancel made in the sidecar after the last progress post (while ranking) leaves it cancelled: keep that.
      await sweepTransition(client, sweepId, 'complete').catch((e: unknown) => {
        if (!(isSigmatiqError(e) && e.code === 'INVALID_TRANSITION')) throw e;
        remoteCancel = true;
      });
    } else if (!remoteCancel) {
      await sweepTransition(client, sweepId, 'cancel');
    }
    const final: SidecarSweep = await getSweep(client, sweepId);
    entry.state = { ...entry.state, status: result.status, phase: 'done', done: result.evaluated, total: result.planned };
    opts.onProgress?.(entry.state);
    return new SweepRunView(final, m.model.name, m.version.version, result, stored, unstored, remoteCancel);
  } catch (e) {
    const r = reasonOf(e);
    await failSweep(client, sweepId, r.code, r.message, { phase: 'store' }).catch(() => undefined);
    throw e;
  } finally {
    runningSweeps().delete(sweepId);
  }
}

/** Cancels a sweep: the one running in this kernel through its AbortSignal, any other through the sidecar. */
export async function cancelSweep(locator: SidecarLocator, id: string): Promise<{ sweepId: string; where: 'kernel' | 'sidecar'; status: string }> {
  const local = runningSweeps().get(id);
  if (local !== undefined) {
    local.controller.abort();
    return { sweepId: id, where: 'kernel', status: 'cancelling' };
  }
  const { client } = await connectSidecar(locator);
  try {
    const s = await sweepTransition(client, id, 'cancel');
    return { sweepId: id, where: 'sidecar', status: s.run.status };
  } catch (e) {
    if (isSigmatiqError(e) && e.code === 'INVALID_TRANSITION') {
      const status = typeof e.details?.['status'] === 'string' ? e.details['status'] : 'finished';
      throw new SigmatiqError('SWEEP_NOT_RUNNING', `sweep ${id} is not running (${status}): nothing to cancel`, { sweep_id: id, status });
    }
    throw e;
  }
}

/** `%sweep status` / `sq.sweep.status`: the sidecar's state, stored combinations, live progress when it runs here. */
export async function sweepStatus(locator: SidecarLocator, id: string, note?: string): Promise<SweepStatusView> {
  const { client } = await connectSidecar(locator);
  const sweep = await getSweep(client, id);
  return new SweepStatusView(sweep, await countCombinations(client, id), runningSweeps().get(id)?.state, note);
}

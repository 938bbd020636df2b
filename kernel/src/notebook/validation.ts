/**
 * `%validate` / `sq.validate` and `%walkforward` / `sq.walkforward`: statistical validation of a sweep
 * combination (named directly as `<sweep id or tag>:<combo id>`, or through a trained model trained on
 * it), persisted as AlphaForge Validation rows (POST /v1/validations, lineage trained model | combination
 * -> validation written by the sidecar).
 *
 * What is validated is the combination's strategy backtest (the same inputs as the engine's validateBacktest) on the sweep's data and range (the rules at
 * the combination's parameters): the permutation test and bootstrap need the full-period return series,
 * and the trained model's own out-of-sample filter result is in its training metrics. Walk-forward
 * re-optimizes the sweep's parameter space on each train window and evaluates the winner on its test window.
 *
 * Threading: the permutation test and the bootstrap run on a worker thread (validation-run.ts), as training does
 * (notebook/training.ts). A walk-forward runs its window sweeps through the sweep engine (`workers > 0`: the sweep
 * pool; `workers: 0`: inline, yielding to the event loop between chunks), so an interrupt reaches it between chunks;
 * the sidecar request after it still goes through `afterBlocking` (a stale keep-alive socket after a long inline run).
 */
import {
  backtestReturns, configHash, evaluateOutOfSample, SigmatiqError, sweepSpecFor, validateRun, walkForward,
  type Bars, type ParamPoint, type ParamSpec, type SweepPlan, type ValidationRecord, type WalkForwardResult,
} from '@sigmatiq/engine';
import { connectSidecar, type SigmatiqClient } from '../sidecar/client.js';
import type { SidecarLocator } from '../sidecar/locate.js';
import { loadModel, type LoadedModel } from './models.js';
import { modelBars, type ModelBars } from './model-data.js';
import { resolveSweep, sweepCombinations, type SidecarCombination, type SidecarSweep } from './sweep-lookup.js';
import { afterBlocking, getTrainedModel, storeValidation, type SidecarTrainedModel, type SidecarValidation } from './training-store.js';
import { validateRunAsync } from './validation-run.js';
import { ValidationView, WalkForwardView } from './validation-view.js';

export interface ValidateOptions {
  /** Permutations (default 500; 0 skips the test). */
  permutation?: number;
  /** Bootstrap resamples (default 1,000; 0 skips the bootstrap). */
  bootstrap?: number;
  /** Stops the computation (VALIDATE_CANCELLED, nothing stored); the magic passes the kernel's interrupt signal. */
  signal?: AbortSignal;
  packsDir?: string;
}

export interface WalkForwardOptions {
  /** Train window, e.g. `2y`, `18m`. */
  train: string;
  /** Test window, e.g. `6m`. */
  test: string;
  step?: string;
  anchored?: boolean;
  /**
   * false (default): the target's own parameters are evaluated on every window (in sample on the train part,
   * out of sample on the test part); true: the sweep's whole space is re-optimized on each train part and its
   * winner evaluated on the test part (the target then only names the sweep).
   */
  reoptimize?: boolean;
  /** Sweep worker threads (default 0: inline). */
  workers?: number;
  signal?: AbortSignal;
  packsDir?: string;
}

export interface ValidationTarget {
  readonly sweep: SidecarSweep;
  readonly combo: SidecarCombination;
  readonly trainedModel: SidecarTrainedModel | undefined;
  readonly model: LoadedModel;
  readonly data: ModelBars;
  readonly label: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A trained model id, or `<sweep id | tag | latest>:<combo id>`. VALIDATE_TARGET_INVALID / _NOT_FOUND otherwise. */
export async function resolveTarget(locator: SidecarLocator, ref: string, packsDir?: string): Promise<ValidationTarget> {
  const { client } = await connectSidecar(locator);
  let trainedModel: SidecarTrainedModel | undefined;
  let sweepRef: string;
  let comboId: number;
  if (UUID.test(ref)) {
    trainedModel = await getTrainedModel(client, ref);
    if (trainedModel === undefined) throw new SigmatiqError('VALIDATE_TARGET_NOT_FOUND', `no trained model ${ref} in the sidecar (name a combination as <sweep>:<combo id>)`, { param: 'target', ref });
    sweepRef = trainedModel.sweep_id;
    comboId = trainedModel.combo_id;
  } else {
    const colon = ref.lastIndexOf(':');
    const id = ref.slice(colon + 1);
    if (colon <= 0 || !/^\d+$/.test(id)) throw new SigmatiqError('VALIDATE_TARGET_INVALID', `'${ref}' is neither a trained model id nor <sweep id or tag>:<combo id> (e.g. swing-simple:12)`, { param: 'target', ref });
    sweepRef = ref.slice(0, colon);
    comboId = Number(id);
  }
  const sweep = await resolveSweep(client, sweepRef);
  const combo = (await sweepCombinations(client, sweep.id)).find((c) => c.combo_id === comboId);
  if (combo === undefined) throw new SigmatiqError('VALIDATE_TARGET_NOT_FOUND', `sweep ${sweep.tag ?? sweep.id} has no stored combination ${comboId}`, { param: 'target', ref, combo_id: comboId });
  const model = await modelOfSweep(locator, client, sweep, packsDir);
  const data = await modelBars(locator, model, { data: sweep.data_snapshot_id, from: sweep.date_range.start, to: sweep.date_range.end });
  const label = `${trainedModel === undefined ? '' : `trained model ${trainedModel.id.slice(0, 8)} · `}combination ${sweep.tag ?? sweep.id.slice(0, 8)}:${combo.combo_id}`;
  return { sweep, combo, trainedModel, model, data, label };
}

async function modelOfSweep(locator: SidecarLocator, client: SigmatiqClient, sweep: SidecarSweep, packsDir?: string): Promise<LoadedModel> {
  const mv = await client.v1['model-versions'][':id'].$get({ param: { id: sweep.model_version_id } });
  if (!mv.ok) throw new SigmatiqError('MODEL_NOT_FOUND', `the sweep's model version ${sweep.model_version_id} is not in the sidecar`, { model_version_id: sweep.model_version_id });
  const v = (await mv.json()) as { model_id: string; version: number };
  const m = await client.v1.models[':id'].$get({ param: { id: v.model_id } });
  if (!m.ok) throw new SigmatiqError('MODEL_NOT_FOUND', `model ${v.model_id} is not in the sidecar`, { model_id: v.model_id });
  return loadModel(locator, ((await m.json()) as { name: string }).name, { version: v.version, ...(packsDir === undefined ? {} : { packsDir }) });
}

/** The combination's backtest on the whole sweep range (the sweep's own evaluation). */
export function comboBacktest(t: Pick<ValidationTarget, 'model' | 'combo'>, bars: Bars): ReturnType<typeof evaluateOutOfSample> {
  return evaluateOutOfSample(bars, t.model.resolved.sweepTarget, t.combo.params as ParamPoint, { train: { start: 0, end: 0 }, test: { start: 0, end: bars.length } });
}

/**
 * What a validation's configuration (and so its seeds and run_hash) is made of: content only (model version
 * config, combination config, the trained model's classifier/label/threshold, data), never sidecar ids, so the same
 * target validated in another sidecar gives the same numbers.
 */
function contentOf(t: ValidationTarget): Record<string, unknown> {
  const meta = t.trainedModel?.metadata ?? null;
  // A trained model is named by its training setup (classifier, label, threshold), not by its artifact hash, whose
  // metadata holds sidecar ids: the validated backtest is the combination's either way.
  const trained = t.trainedModel === undefined ? null : { classifier: meta?.['classifier'] ?? null, label: meta?.['label'] ?? null, threshold: meta?.['threshold'] ?? null };
  return { model_config_hash: t.model.version.config_hash, combo_config_hash: t.combo.config_hash, trained, data: t.data.snapshot.hash, range: t.data.range };
}

function checkCount(name: string, v: number | undefined, max: number): void {
  if (v !== undefined && (!Number.isSafeInteger(v) || v < 0 || v > max)) throw new SigmatiqError('VALIDATE_ARG_INVALID', `--${name} must be an integer from 0 to ${max}, got ${String(v)}`, { param: name, value: v });
}

async function persist(client: SigmatiqClient, t: ValidationTarget, record: ValidationRecord): Promise<{ validation: SidecarValidation; reused: boolean }> {
  const { payload_json, ...rest } = record;
  return storeValidation(client, {
    ...rest, payload: JSON.parse(payload_json) as Record<string, unknown>,
    ...(t.trainedModel === undefined ? { sweep_id: t.sweep.id, combo_id: t.combo.combo_id } : { trained_model_id: t.trainedModel.id }),
  });
}

/** Permutation test and bootstrap CIs of the target's backtest, stored as a Validation. */
export async function validateTarget(locator: SidecarLocator, ref: string, opts: ValidateOptions = {}): Promise<ValidationView> {
  checkCount('permutation', opts.permutation, 100_000);
  checkCount('bootstrap', opts.bootstrap, 100_000);
  const t = await resolveTarget(locator, ref, opts.packsDir);
  const result = comboBacktest(t, t.data.bars);
  const permutations = opts.permutation ?? 500;
  const resamples = opts.bootstrap ?? 1000;
  const config = { kind: 'validation', ...contentOf(t), permutations, resamples, permutation_statistic: 'strategy_net' };
  // On a worker thread (seconds on minute data): the kernel thread stays free and an interrupt stops it.
  const v = await validateRunAsync({
    config, runHash: configHash(config), periodsPerYear: result.periodsPerYear,
    ...(permutations === 0 ? {} : { permutation: result.run, permutationOptions: { permutations } }),
    ...(resamples === 0 ? {} : { returns: backtestReturns(result), bootstrapOptions: { resamples } }),
  }, opts.signal);
  const stored = await persist((await connectSidecar(locator)).client, t, v.record);
  return new ValidationView(t.label, result.metrics.sharpe_ratio, result.metrics.total_trades, v.payload, stored.validation, stored.reused);
}

/** The sweep plan the target's sweep was run with (space, conditions, sampler), for re-optimizing per window. */
export function storedPlan(sweep: SidecarSweep): SweepPlan {
  const p = sweep.parameters as { space?: ParamSpec[]; conditions?: string[]; sampler?: SweepPlan['sampler']; trials?: number | null; seed?: number };
  if (!Array.isArray(p.space) || p.space.length === 0) throw new SigmatiqError('VALIDATE_TARGET_INVALID', `sweep ${sweep.id} has no stored parameter space to re-optimize per window`, { param: 'target', sweep_id: sweep.id });
  return { type: 'custom', sampler: p.sampler ?? 'grid', params: p.space, conditions: p.conditions ?? [], ...(typeof p.trials === 'number' ? { trials: p.trials } : {}), ...(p.seed === undefined ? {} : { seed: p.seed }) };
}

/** Walk-forward over the target's sweep space; stored as a Validation with the walk-forward summary. */
export async function walkForwardTarget(locator: SidecarLocator, ref: string, opts: WalkForwardOptions): Promise<WalkForwardView> {
  const t = await resolveTarget(locator, ref, opts.packsDir);
  const base = storedPlan(t.sweep);
  const plan: SweepPlan = opts.reoptimize === true ? base
    : { ...base, sampler: 'grid', params: Object.entries(t.combo.params).map(([name, v]) => ({ name, kind: 'list', values: [v as number | string | boolean] })), conditions: [] };
  const spec = sweepSpecFor(t.model.resolved, plan, { tier: 'pro' });
  const wf: WalkForwardResult = await walkForward(t.data.bars, {
    train: opts.train, test: opts.test, ...(opts.step === undefined ? {} : { step: opts.step }), ...(opts.anchored === true ? { anchored: true } : {}), sweep: spec,
  }, { workers: opts.workers ?? 0, ...(opts.signal === undefined ? {} : { signal: opts.signal }) });
  const config = { kind: 'walk_forward', ...contentOf(t), spec_hash: wf.spec_hash, reoptimize: opts.reoptimize === true };
  const v = validateRun({ config, runHash: configHash(config), walkForward: wf, periodsPerYear: 252 });
  // A repeated POST of the same run_hash answers 409 and returns the stored row: safe to retry.
  const stored = await afterBlocking(async () => persist((await connectSidecar(locator)).client, t, v.record));
  return new WalkForwardView(`${t.label}${opts.reoptimize === true ? ' (sweep space re-optimized per window)' : ' (fixed parameters)'}`, wf, v.payload, stored.validation, stored.reused);
}

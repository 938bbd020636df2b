/**
 * `%train` / `sq.train`: trains a classifier on PASS/MARGINAL combinations of a sweep (engine
 * runTrainingJob) and persists everything in the sidecar, one training job per combination:
 * job (queued -> training -> completed | failed | cancelled, with its steps), metrics (train,
 * validation, per fold; ROC and calibration points in the validation row's `extra`), feature
 * importance, the artifact uploaded by its sha256, and the trained-model record (lineage: trained
 * model <- combination <- sweep <- model version <- snapshot, written by the sidecar).
 *
 * The engine's job runs on a worker thread (engine runTrainingJobAsync), so the kernel thread stays free:
 * progress arrives while the job runs (displayed, and posted to the sidecar at most every `progressIntervalMs`),
 * a kernel interrupt aborts the running job at its next check (between steps and CV folds: stored `cancelled`)
 * and the combinations not yet trained are stored cancelled. A cancel made in the sidecar (the job's progress
 * POST answering 409 with status `cancelled`) cancels the running job too.
 */
import {
  checkSelection, classificationMetrics, configHash, purgedFolds, runTrainingJobAsync, SigmatiqError, trainingHyperparameters,
  type CalibrationKind, type ComboSelection, type CvOptions, type GbdtParams, type LabelSpec, type TrainingJob, type TrainingOutcome, type TrainingRequest,
} from '@sigmatiq/engine';
import { connectSidecar } from '../sidecar/client.js';
import type { SidecarLocator } from '../sidecar/locate.js';
import { loadModel } from './models.js';
import { modelBars } from './model-data.js';
import { resolveSweep, sweepCombinations, type SidecarCombination } from './sweep-lookup.js';
import { labelText, splitComboParams } from './training-args.js';
import {
  createTrainedModel, createTrainingJob, failJob, getTrainingJob, jobImportance, jobMetrics, jobTransition, listTrainedModels, postImportance, postLiveProgress, postMetrics, uploadArtifact,
  type MetricsItem, type SidecarTrainedModel, type SidecarTrainingJob, type SidecarTrainingStep,
} from './training-store.js';
import { TrainingReport, TrainRunView, type TrainProgress, type TrainedCombo } from './training-view.js';

export interface TrainOptions {
  /** Combination ids of the sweep (PASS or MARGINAL). */
  combos: readonly number[];
  model?: 'gbdt' | 'logreg';
  label?: LabelSpec;
  folds?: number;
  /** Embargo in ms (default 1 day). */
  embargoMs?: number;
  calibration?: CalibrationKind;
  seed?: number;
  threshold?: number;
  gbdt?: GbdtParams;
  signal?: AbortSignal;
  /** Every progress snapshot of every job (steps), as it happens. */
  onProgress?: (p: TrainProgress) => void;
  /** Period of the progress posts to the sidecar while a job runs (ms, default 500). */
  progressIntervalMs?: number;
  packsDir?: string;
}

export const DEFAULT_LABEL: LabelSpec = { kind: 'forward_return', horizon: 5, threshold: 0 };
const DEFAULT_GBDT: GbdtParams = { nEstimators: 100, maxDepth: 3, learningRate: 0.05, subsample: 0.8, colsample: 0.8 };
const ROC_POINTS = 100;
const CALIBRATION_BINS = 10;

/** Name of the model a sidecar model version belongs to, and its version number. */
async function modelOfVersion(client: Awaited<ReturnType<typeof connectSidecar>>['client'], versionId: string): Promise<{ name: string; version: number }> {
  const mv = await client.v1['model-versions'][':id'].$get({ param: { id: versionId } });
  if (!mv.ok) throw new SigmatiqError('MODEL_NOT_FOUND', `the sweep's model version ${versionId} is not in the sidecar`, { model_version_id: versionId });
  const v = (await mv.json()) as { model_id: string; version: number };
  const m = await client.v1.models[':id'].$get({ param: { id: v.model_id } });
  if (!m.ok) throw new SigmatiqError('MODEL_NOT_FOUND', `model ${v.model_id} is not in the sidecar`, { model_id: v.model_id });
  return { name: ((await m.json()) as { name: string }).name, version: v.version };
}

/** ROC points (false/true positive rates, at most `max`) and reliability bins of probabilities `p` against labels `y` (NaN rows skipped). */
export function rocAndCalibration(p: ArrayLike<number>, y: ArrayLike<number>, max = ROC_POINTS, bins = CALIBRATION_BINS): { roc: { fpr: number[]; tpr: number[] }; calibration: { mean_predicted: number[]; fraction_positive: number[]; count: number[] } } {
  const rows: { p: number; y: number }[] = [];
  for (let i = 0; i < p.length; i++) if (Number.isFinite(p[i])) rows.push({ p: p[i] as number, y: y[i] as number });
  rows.sort((a, b) => b.p - a.p);
  const pos = rows.filter((r) => r.y === 1).length;
  const neg = rows.length - pos;
  const fpr: number[] = [0];
  const tpr: number[] = [0];
  let tp = 0;
  let fp = 0;
  const step = Math.max(1, Math.ceil(rows.length / max));
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as { p: number; y: number };
    if (r.y === 1) tp++;
    else fp++;
    const last = i === rows.length - 1;
    // A point at each threshold change, thinned to about `max` points.
    if (last || ((i + 1) % step === 0 && (rows[i + 1] as { p: number }).p !== r.p)) {
      fpr.push(neg === 0 ? 0 : fp / neg);
      tpr.push(pos === 0 ? 0 : tp / pos);
    }
  }
  const sum = new Array<number>(bins).fill(0);
  const hit = new Array<number>(bins).fill(0);
  const count = new Array<number>(bins).fill(0);
  for (const r of rows) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(r.p * bins)));
    sum[b] = (sum[b] ?? 0) + r.p;
    hit[b] = (hit[b] ?? 0) + r.y;
    count[b] = (count[b] ?? 0) + 1;
  }
  const keep = count.map((c, i) => (c > 0 ? i : -1)).filter((i) => i >= 0);
  return {
    roc: { fpr, tpr },
    calibration: { mean_predicted: keep.map((i) => (sum[i] ?? 0) / (count[i] ?? 1)), fraction_positive: keep.map((i) => (hit[i] ?? 0) / (count[i] ?? 1)), count: keep.map((i) => count[i] ?? 0) },
  };
}

function stepsOf(job: TrainingJob): SidecarTrainingStep[] {
  return job.progress.map((s) => ({
    name: s.step, status: s.status,
    ...(s.started_at === undefined ? {} : { started_at: s.started_at }),
    ...(s.duration_ms === undefined ? {} : { duration_ms: Math.round(s.duration_ms) }),
  }));
}

const metricsRow = (split: 'train' | 'validation', m: NonNullable<TrainingOutcome['metrics']>['training'], extra: Record<string, unknown>): MetricsItem => ({
  split, accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1, auc_roc: m.auc_roc ?? 0.5,
  extra: { ...extra, rows: m.rows, positives: m.positives, ...(m.auc_roc === null ? { auc_undefined: true } : {}) },
});

/** Metrics rows of an outcome: train, validation (with ROC/calibration/backtest/folds in `extra`), and one validation row per fold. */
export function metricsItems(out: TrainingOutcome, cv: CvOptions = {}): MetricsItem[] {
  if (out.metrics === undefined) return [];
  const items: MetricsItem[] = [metricsRow('train', out.metrics.training, {})];
  const extra: Record<string, unknown> = {};
  if (out.oof !== undefined && out.dataset !== undefined) Object.assign(extra, rocAndCalibration(out.oof, out.dataset.y));
  if (out.backtest !== undefined) extra['backtest'] = JSON.parse(JSON.stringify(out.backtest)) as unknown;
  items.push(metricsRow('validation', out.metrics.validation, extra));
  // Per fold: the metrics of the fold's test rows (calibrated out-of-fold probabilities at 0.5), the same folds
  // the job used (purgedFolds is deterministic for the dataset and CV options); the fold's AUC is the engine's.
  const ds = out.dataset;
  const oof = out.oof;
  const folds = ds === undefined || oof === undefined ? [] : purgedFolds(ds.start, ds.end, cv);
  for (const f of out.folds ?? []) {
    const test = folds.find((x) => x.index === f.index)?.test;
    const m = test === undefined || ds === undefined || oof === undefined ? undefined
      : classificationMetrics(Uint8Array.from(test, (i) => ds.y[i] ?? 0), Float64Array.from(test, (i) => oof[i] ?? Number.NaN));
    if (m === undefined) continue;
    items.push({
      split: 'validation', fold: f.index, accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1, auc_roc: f.auc_roc ?? 0.5,
      extra: { rows: m.rows, positives: m.positives, train: f.train, test: f.test, purged: f.purged, embargoed: f.embargoed, ...(f.trees === undefined ? {} : { trees: f.trees }), ...(f.auc_roc === null ? { auc_undefined: true } : {}) },
    });
  }
  return items;
}

/**
 * The job's step list posted to the sidecar while it runs: at most one post in flight and one per `periodMs`,
 * the latest steps winning (best effort: the final list is posted after the job). A 409 answering that the job
 * is `cancelled` means it was cancelled in the sidecar: `onRemoteCancel` aborts the running job.
 */
class LiveProgress {
  remoteCancel = false;
  private inFlight: Promise<void> | undefined;
  private pending: SidecarTrainingStep[] | undefined;
  private last = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly client: Awaited<ReturnType<typeof connectSidecar>>['client'],
    private readonly jobId: string,
    private readonly periodMs: number,
    private readonly onRemoteCancel: () => void,
  ) {}

  update(steps: SidecarTrainingStep[]): void {
    this.pending = steps;
    this.pump();
  }

  private pump(): void {
    if (this.inFlight !== undefined || this.timer !== undefined || this.pending === undefined || this.remoteCancel) return;
    const wait = this.last + this.periodMs - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      return;
    }
    const steps = this.pending;
    this.pending = undefined;
    this.last = Date.now();
    this.inFlight = postLiveProgress(this.client, this.jobId, steps, steps.filter((s) => s.status === 'done').length / Math.max(1, steps.length))
      .then((status) => {
        if (status === 'cancelled') {
          this.remoteCancel = true;
          this.onRemoteCancel();
        }
      })
      .catch(() => undefined) // best effort: the final step list is posted after the job
      .finally(() => {
        this.inFlight = undefined;
        this.pump();
      });
  }

  /** Stops posting; resolves once no post is in flight. */
  async settle(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    while (this.inFlight !== undefined) await this.inFlight;
  }
}

async function trainOne(
  ctx: { locator: SidecarLocator; url: string; client: Awaited<ReturnType<typeof connectSidecar>>['client']; modelConfigHash: string; dataHash: string },
  sweepId: string, combo: SidecarCombination, selection: readonly ComboSelection[],
  base: Omit<TrainingRequest, 'combo' | 'onProgress' | 'job_id' | 'signal'>, opts: TrainOptions, report: (p: TrainProgress) => void,
): Promise<TrainedCombo> {
  const { client } = ctx;
  const hyper = trainingHyperparameters(base);
  const label = JSON.parse(JSON.stringify(base.label)) as Record<string, unknown>;
  // Default seed from content (model version config, combination config, data, training config), not from
  // sidecar ids: the same training in another sidecar gives the same model and the same artifact hash.
  const seed = opts.seed ?? Number.parseInt(configHash({ model_config_hash: ctx.modelConfigHash, combo_config_hash: combo.config_hash, data: ctx.dataHash, model_type: base.classifier, hyperparameters: hyper, label }).slice(-8), 16);
  const job = await createTrainingJob(client, {
    sweep_id: sweepId, combo_ids: [combo.combo_id], model_type: base.classifier, hyperparameters: hyper, label, data_snapshot_id: base.data_snapshot_id ?? '', seed,
  });
  report({ combo_id: combo.combo_id, job_id: job.id, status: 'queued', steps: [] });
  if (opts.signal?.aborted === true) {
    return { combo_id: combo.combo_id, job: await jobTransition(client, job.id, 'cancel'), outcome: undefined, trainedModel: undefined, trainedModelReused: false, ignoredParams: {} };
  }
  await jobTransition(client, job.id, 'start');
  const split = splitComboParams(combo.params);
  // The job's own controller: aborted by the caller's signal (kernel interrupt) or a cancel made in the sidecar.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const live = new LiveProgress(client, job.id, opts.progressIntervalMs ?? 500, () => controller.abort());
  const onProgress = (j: TrainingJob): void => {
    const steps = stepsOf(j);
    report({ combo_id: combo.combo_id, job_id: job.id, status: j.status, steps });
    if (j.status === 'training') live.update(steps);
  };
  let outcome: TrainingOutcome;
  try {
    outcome = await runTrainingJobAsync({ ...base, job_id: job.id, seed: job.seed, combo: { combo_id: combo.combo_id, gate_status: combo.gate_status, params: split.strategy }, backtestParams: split.backtest, selection }, { signal: controller.signal, onProgress });
  } catch (e) {
    // The worker died (TRAIN_WORKER_FAILED) or a check refused the request: the job is failed with that code.
    opts.signal?.removeEventListener('abort', onAbort);
    await live.settle();
    await failJob(client, job.id, e instanceof SigmatiqError ? e.code : 'TRAIN_INTERNAL', e instanceof Error ? e.message : String(e)).catch(() => undefined);
    throw e;
  }
  opts.signal?.removeEventListener('abort', onAbort);
  await live.settle();
  const steps = stepsOf(outcome.job);
  const finish = async (): Promise<{ job: SidecarTrainingJob; trained: SidecarTrainedModel | undefined; reused?: boolean }> => {
    // Cancelled in the sidecar while running (or since the last live post): the sidecar job is already
    // `cancelled` and takes no more transitions; whatever the engine finished is not stored.
    const status = live.remoteCancel ? 'cancelled' : await postLiveProgress(client, job.id, steps, steps.filter((s) => s.status === 'done').length / Math.max(1, steps.length));
    if (status === 'cancelled') return { job: await getTrainingJob(client, job.id), trained: undefined };
    if (status !== 'training') throw new SigmatiqError('INVALID_TRANSITION', `training job ${job.id} is ${status} in the sidecar: its result is not stored`, { job_id: job.id, status });
    if (outcome.job.status === 'cancelled') return { job: await jobTransition(client, job.id, 'cancel'), trained: undefined };
    if (outcome.job.status !== 'completed') {
      const e = outcome.job.error;
      return { job: await failJob(client, job.id, e?.code ?? 'TRAIN_INTERNAL', e?.message ?? 'training failed'), trained: undefined };
    }
    const items = metricsItems(outcome, base.cv ?? {});
    if (items.length > 0) await postMetrics(client, job.id, items);
    const imp = outcome.importance?.items ?? [];
    if (imp.length > 0) await postImportance(client, job.id, imp.map((i) => ({ feature: i.feature, gain: Math.max(0, i.importance), ...(Number.isFinite(i.permutation) ? { permutation: i.permutation } : {}) })));
    const sha = outcome.trained_model?.trained_model_id;
    if (sha !== undefined && outcome.artifact_json !== undefined) await uploadArtifact(ctx.locator, ctx.url, sha, outcome.artifact_json);
    const done = await jobTransition(client, job.id, 'complete');
    const created = sha === undefined ? undefined : await createTrainedModel(client, {
      training_job_id: job.id, combo_id: combo.combo_id, artifact_hash: sha,
      metadata: { engine_config_hash: outcome.trained_model?.config_hash ?? null, label: labelText(base.label), classifier: base.classifier, threshold: base.threshold ?? 0.5, warnings: outcome.warnings.map((w) => w.code) },
    });
    return { job: done, trained: created?.trained, reused: created?.reused === true };
  };
  try {
    const r = await finish();
    report({ combo_id: combo.combo_id, job_id: job.id, status: r.job.status, steps });
    return { combo_id: combo.combo_id, job: r.job, outcome, trainedModel: r.trained, trainedModelReused: r.reused === true, ignoredParams: split.backtest };
  } catch (e) {
    await failJob(client, job.id, e instanceof SigmatiqError ? e.code : 'TRAIN_INTERNAL', e instanceof Error ? e.message : String(e)).catch(() => undefined);
    throw e;
  }
}

/** Trains each selected combination of sweep `sweepRef` (id, tag or `latest`); checks everything before the first job is created. */
export async function trainSweep(locator: SidecarLocator, sweepRef: string, opts: TrainOptions): Promise<TrainRunView> {
  const { client, url } = await connectSidecar(locator);
  const sweep = await resolveSweep(client, sweepRef);
  const all = await sweepCombinations(client, sweep.id);
  const picked = opts.combos.map((id) => {
    const c = all.find((x) => x.combo_id === id);
    if (c === undefined) throw new SigmatiqError('TRAIN_COMBO_NOT_FOUND', `sweep ${sweep.tag ?? sweep.id} has no stored combination ${id} (it has ${all.length})`, { param: 'combos', combo_id: id, sweep_id: sweep.id });
    return c;
  });
  const selection: ComboSelection[] = picked.map((c) => ({ combo_id: c.combo_id, gate_status: c.gate_status, params: splitComboParams(c.params).strategy }));
  const warnings = checkSelection(selection); // TRAIN_GATE_FAILED before anything is written
  const mv = await modelOfVersion(client, sweep.model_version_id);
  const m = await loadModel(locator, mv.name, { version: mv.version, ...(opts.packsDir === undefined ? {} : { packsDir: opts.packsDir }) });
  const d = await modelBars(locator, m, { data: sweep.data_snapshot_id, from: sweep.date_range.start, to: sweep.date_range.end });
  const label = opts.label ?? DEFAULT_LABEL;
  const cv: CvOptions = { ...(opts.folds === undefined ? {} : { folds: opts.folds }), ...(opts.embargoMs === undefined ? {} : { embargoMs: opts.embargoMs }) };
  const classifier = opts.model ?? 'gbdt';
  const base = {
    model_id: m.model.id, bars: d.bars, data_snapshot_id: d.sidecar.id, pack: m.resolved.pack, model: m.config, label, classifier, cv,
    calibration: opts.calibration ?? 'sigmoid', threshold: opts.threshold ?? 0.5,
    ...(classifier === 'gbdt' ? { gbdt: { ...DEFAULT_GBDT, ...(opts.gbdt ?? {}) } } : {}),
  } as const;
  const states = new Map<number, TrainProgress>();
  const report = (p: TrainProgress): void => {
    states.set(p.combo_id, p);
    opts.onProgress?.(p);
  };
  const results: TrainedCombo[] = [];
  for (const c of picked) {
    results.push(await trainOne({ locator, url, client, modelConfigHash: m.version.config_hash, dataHash: d.snapshot.hash }, sweep.id, c, selection, base, opts, report));
  }
  return new TrainRunView({ id: sweep.id, tag: sweep.tag }, `${mv.name} v${mv.version}`, labelText(label), classifier, results, [...warnings, ...results.flatMap((r) => r.outcome?.warnings ?? [])].map((w) => `${w.code}: ${w.message}`));
}

/** `%training show <job>`: the job, its metrics, feature importance and trained models, from the sidecar. */
export async function showTraining(locator: SidecarLocator, jobId: string): Promise<TrainingReport> {
  const { client } = await connectSidecar(locator);
  const job = await getTrainingJob(client, jobId);
  const [metrics, importance, trained] = await Promise.all([jobMetrics(client, job.id), jobImportance(client, job.id), listTrainedModels(client)]);
  return new TrainingReport(job, metrics, importance, trained.filter((t) => t.training_job_id === job.id));
}

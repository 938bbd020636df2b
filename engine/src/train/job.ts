/**
 * One training job (Sigmatiq TrainingJob, dictionary section F): dataset → leakage check →
 * purged/embargoed CV → calibration → final fit → importance → out-of-sample backtest →
 * artifact. Status queued → training → completed | failed | cancelled; every step is recorded
 * with its duration. Checks that need no data (gate status, parameters) throw before a job
 * exists; failures while training (leakage, one class in a fold…) end the job as `failed`
 * with the error's code, message and details.
 */
import type { Bars } from '../data/bars.js';
import { isSigmatiqError } from '../errors.js';
import { configHash, dataHash } from '../hash/index.js';
import type { BarsInput } from '../indicators/types.js';
import { modelConfigHash, ModelConfigSchema } from '../models/index.js';
import type { Pack } from '../packs/index.js';
import { ENGINE_VERSION } from '../version.js';
import { float64Sha256, probabilities, rawScores, serializeArtifact, type ArtifactModel, type TrainedModelDoc } from './artifact.js';
import { applyCalibration, fitIsotonic, fitSigmoid, type Calibration, type CalibrationKind } from './calibrate.js';
import { DAY_MS, purgedFolds, type CvOptions } from './cv.js';
import { buildDataset, comboOverrides, computeFeatures, type Dataset, type ModelLike, type TrainWarning } from './dataset.js';
import { trainError } from './errors.js';
import { fitGbdt, type GbdtParams } from './gbdt.js';
import { normalizeGain, permutationImportance, type FeatureImportance } from './importance.js';
import { checkLabelSpec, type LabelSpec } from './labels.js';
import { checkLeakage } from './leakage.js';
import { fitLogReg, type LogRegParams } from './logreg.js';
import { sigmoid, takeLabels, takeRows, type FeatureMatrix } from './matrix.js';
import { classificationMetrics, type TrainingMetrics } from './metrics.js';
import { checkBacktestParams, oosBacktest, oosRun, type BacktestParams, type OosBacktest } from './oos.js';
import { checkSelection, type ComboSelection } from './selection.js';

export type { OosBacktest, BacktestParams } from './oos.js';

export type JobStatus = 'queued' | 'training' | 'completed' | 'failed' | 'cancelled';
export const TRAINING_STEPS = ['dataset', 'leakage_check', 'cross_validation', 'calibration', 'final_fit', 'importance', 'backtest', 'artifact'] as const;
export type TrainingStep = (typeof TRAINING_STEPS)[number];

export interface StepProgress {
  readonly step: TrainingStep;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  started_at?: string;
  duration_ms?: number;
  detail?: string;
}

export interface TrainingJob {
  readonly job_id: string;
  readonly model_id: string;
  readonly combo_id: number;
  status: JobStatus;
  readonly progress: StepProgress[];
  readonly hyperparameters: Readonly<Record<string, number | string>>;
  readonly data_snapshot_id: string;
  readonly seed: number;
  error?: { readonly code: string; readonly message: string; readonly details?: Readonly<Record<string, unknown>> };
}

/** A feature added to the pack's (for custom research features and the leakage canary test). */
export interface ExtraFeature {
  readonly name: string;
  readonly compute: (bars: BarsInput) => Float64Array;
}

export interface TrainingRequest {
  readonly job_id?: string;
  readonly model_id: string;
  readonly combo: ComboSelection;
  /** Other combinations trained in the same request (for the >5 and near-duplicate warnings). */
  readonly selection?: readonly ComboSelection[];
  readonly bars: Bars;
  /**
   * Sidecar/engine snapshot id of the job and trained-model records; default: the engine data hash of the bars.
   * The artifact itself always records the engine data hash of the bars (content, never a sidecar id).
   */
  readonly data_snapshot_id?: string;
  readonly pack: Pack;
  readonly strategy?: string;
  readonly model?: ModelLike;
  readonly features?: readonly string[];
  readonly extraFeatures?: readonly ExtraFeature[];
  readonly label: LabelSpec;
  readonly classifier: 'logreg' | 'gbdt';
  readonly logreg?: LogRegParams;
  readonly gbdt?: GbdtParams;
  readonly cv?: CvOptions;
  readonly calibration?: CalibrationKind;
  readonly seed?: number;
  /** Probability the trading filter requires (default 0.5). */
  readonly threshold?: number;
  /**
   * The combination's backtest settings, by their sweep names (`size_fraction`, `fee_bps`, `fill`, … — BACKTEST_PARAMS),
   * applied over the pack's policies in the out-of-sample backtest as the sweep applied them. Features and labels
   * do not depend on them. Unknown names: TRAIN_BAD_PARAM before the job starts.
   */
  readonly backtestParams?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (job: TrainingJob) => void;
}

export interface TrainedModelRecord {
  readonly trained_model_id: string;
  readonly model_id: string;
  readonly combo_id: number;
  readonly artifact_uri: string;
  readonly scaler_uri: string | null;
  readonly metadata_uri: string;
  readonly config_hash: string;
  readonly data_snapshot_id: string;
  readonly created_at: string;
  readonly status: 'ready' | 'deprecated';
}

export interface TrainingOutcome {
  readonly job: TrainingJob;
  readonly warnings: readonly TrainWarning[];
  readonly metrics?: TrainingMetrics;
  readonly importance?: FeatureImportance;
  readonly artifact?: TrainedModelDoc;
  /** Canonical JSON of the artifact (the stored bytes) and its sha256. */
  readonly artifact_json?: string;
  readonly trained_model?: TrainedModelRecord;
  readonly backtest?: OosBacktest;
  /** Calibrated out-of-fold probability per dataset row (NaN where the row was never tested). */
  readonly oof?: Float64Array;
  readonly dataset?: Dataset;
  /** Per fold: rows, purged, embargoed, validation AUC, trees kept. */
  readonly folds?: readonly { index: number; train: number; test: number; purged: number; embargoed: number; auc_roc: number | null; trees?: number }[];
}

class Cancelled extends Error {}

function isoNow(): string {
  return new Date().toISOString();
}

export function trainingHyperparameters(req: Pick<TrainingRequest, 'classifier' | 'logreg' | 'gbdt' | 'cv' | 'calibration' | 'threshold'>): Record<string, number | string> {
  const h: Record<string, number | string> = { classifier: req.classifier, folds: req.cv?.folds ?? 5, embargo_ms: req.cv?.embargoMs ?? DAY_MS, cv_mode: req.cv?.mode ?? 'kfold', calibration: req.calibration ?? 'sigmoid', threshold: req.threshold ?? 0.5 };
  const src: Record<string, unknown> = req.classifier === 'logreg' ? { ...req.logreg } : { ...req.gbdt };
  for (const [k, v] of Object.entries(src)) if (typeof v === 'number' && k !== 'seed') h[k] = v;
  return h;
}

/** Run a training job to completion (or failure/cancellation). */
export function runTrainingJob(req: TrainingRequest): TrainingOutcome {
  const warnings = [...checkSelection(req.selection ?? [req.combo])];
  checkSelection([req.combo]);
  checkLabelSpec(req.label);
  const btParams = checkBacktestParams(req.backtestParams);
  const seed = req.seed ?? 42;
  const threshold = req.threshold ?? 0.5;
  if (!(threshold > 0 && threshold < 1)) throw trainError('TRAIN_BAD_PARAM', `threshold must be in (0, 1), got ${threshold}`, { parameter: 'threshold', value: threshold });
  const hyper = trainingHyperparameters(req);
  const snapshot = req.data_snapshot_id ?? dataHash(req.bars);
  const job: TrainingJob = {
    job_id: req.job_id ?? configHash({ model_id: req.model_id, combo: req.combo.combo_id, hyper, seed, snapshot, label: req.label, ...backtestKey(btParams) }).slice(0, 32),
    model_id: req.model_id,
    combo_id: req.combo.combo_id,
    status: 'queued',
    progress: TRAINING_STEPS.map((step) => ({ step, status: 'pending' })),
    hyperparameters: hyper,
    data_snapshot_id: snapshot,
    seed,
  };
  const emit = (): void => req.onProgress?.(structuredClone(job));
  emit();
  const run = <T>(step: TrainingStep, fn: () => T): T => {
    if (req.signal?.aborted === true) throw new Cancelled();
    const p = job.progress.find((s) => s.step === step) as StepProgress;
    p.status = 'running';
    p.started_at = isoNow();
    emit();
    const t0 = performance.now();
    try {
      const out = fn();
      p.status = 'done';
      return out;
    } catch (e) {
      p.status = 'failed';
      throw e;
    } finally {
      p.duration_ms = Math.round((performance.now() - t0) * 1000) / 1000;
      emit();
    }
  };
  job.status = 'training';
  emit();
  try {
    const out = train(req, job, run, seed, threshold, btParams, hyper, warnings);
    job.status = 'completed';
    emit();
    return { ...out, job, warnings };
  } catch (e) {
    for (const p of job.progress) if (p.status === 'pending') p.status = 'skipped';
    if (e instanceof Cancelled) {
      job.status = 'cancelled';
      job.error = { code: 'TRAIN_CANCELLED', message: 'the job was cancelled' };
    } else if (isSigmatiqError(e)) {
      job.status = 'failed';
      job.error = { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) };
    } else {
      job.status = 'failed';
      job.error = { code: 'TRAIN_INTERNAL', message: e instanceof Error ? e.message : String(e) };
    }
    emit();
    return { job, warnings };
  }
}

type Runner = <T>(step: TrainingStep, fn: () => T) => T;

/** The combination's backtest settings as part of a hash: absent when there are none (hashes of plain combinations unchanged). */
function backtestKey(params: BacktestParams): { backtest?: BacktestParams } {
  return Object.keys(params).length === 0 ? {} : { backtest: params };
}

/**
 * Content hash of the model the job trains for (the artifact holds it instead of a sidecar id): a full model config
 * gives its `modelConfigHash` (= the sidecar's model version config_hash); otherwise the hash of what the engine was
 * given (pack, strategy, model fields, feature selection).
 */
export function modelContentHash(req: Pick<TrainingRequest, 'model' | 'pack' | 'strategy' | 'features'>): string {
  if (req.model !== undefined) {
    const parsed = ModelConfigSchema.safeParse(req.model);
    if (parsed.success) return modelConfigHash(parsed.data);
  }
  return configHash({ pack_id: req.pack.pack_id, pack_version: req.pack.version, strategy: req.strategy ?? null, model: req.model ?? null, features: req.features ?? null });
}

function addExtra(x: FeatureMatrix, bars: BarsInput, extra: readonly ExtraFeature[], rows?: Int32Array): FeatureMatrix {
  if (extra.length === 0) return x;
  const cols = extra.map((f) => {
    const full = f.compute(bars);
    if (full.length !== bars.length) throw trainError('TRAIN_BAD_INPUT', `extra feature '${f.name}' returned ${full.length} values for ${bars.length} bars`, { feature: f.name });
    return rows === undefined ? full : Float64Array.from(rows, (i) => full[i] as number);
  });
  return { names: [...x.names, ...extra.map((f) => f.name)], columns: [...x.columns, ...cols], rows: x.rows };
}

/** Cancellation inside a GBDT fit, before every tree (a worker's signal can turn during a long fold). */
const treeCheckpoint = (req: TrainingRequest) => (): void => {
  if (req.signal?.aborted === true) throw new Cancelled();
};

function fitOne(req: TrainingRequest, x: FeatureMatrix, y: Uint8Array, seed: number, valid?: { x: FeatureMatrix; y: Uint8Array }, trees?: number): { model: ArtifactModel; scaler: TrainedModelDoc['scaler']; gain: number[]; trees?: number } {
  if (req.classifier === 'logreg') {
    const m = fitLogReg(x, y, req.logreg);
    return { model: { kind: 'logreg', coef: m.coef, intercept: m.intercept }, scaler: m.scaler, gain: m.coef.map(Math.abs) };
  }
  const p: GbdtParams = { ...req.gbdt, seed, ...(trees === undefined ? {} : { nEstimators: trees, earlyStoppingRounds: 0 }) };
  const es = valid !== undefined && trees === undefined ? (p.earlyStoppingRounds ?? 20) : 0;
  const m = fitGbdt(x, y, { ...p, earlyStoppingRounds: es }, es > 0 ? valid : undefined, treeCheckpoint(req));
  return { model: { kind: 'gbdt', init: m.init, trees: m.trees }, scaler: null, gain: [...m.gain], trees: m.trees.length };
}

function train(req: TrainingRequest, job: TrainingJob, run: Runner, seed: number, threshold: number, btParams: BacktestParams, hyper: Record<string, number | string>, warnings: TrainWarning[]): Omit<TrainingOutcome, 'job' | 'warnings'> {
  const extra = req.extraFeatures ?? [];
  const ds = run('dataset', () => {
    const d = buildDataset({ bars: req.bars, pack: req.pack, ...(req.strategy === undefined ? {} : { strategy: req.strategy }), params: req.combo.params as Record<string, number>, ...(req.model === undefined ? {} : { model: req.model }), ...(req.features === undefined ? {} : { features: req.features }), label: req.label });
    warnings.push(...d.warnings);
    return d;
  });
  const x = addExtra(ds.x, req.bars, extra, ds.barIndex);
  const y = ds.y;
  run('leakage_check', () => {
    const compute = (b: BarsInput): FeatureMatrix => addExtra(computeFeatures(b, ds.specs), b, extra);
    checkLeakage(compute, req.bars);
  });
  const folds = purgedFolds(ds.start, ds.end, req.cv);
  const oofRaw = new Float64Array(x.rows).fill(NaN);
  const foldInfo: NonNullable<TrainingOutcome['folds']>[number][] = [];
  let lastModel: ReturnType<typeof fitOne> | undefined;
  run('cross_validation', () => {
    for (const f of folds) {
      if (req.signal?.aborted === true) throw new Cancelled();
      const xt = takeRows(x, f.train);
      const yt = takeLabels(y, f.train);
      const xv = takeRows(x, f.test);
      const yv = takeLabels(y, f.test);
      const m = fitOne(req, xt, yt, seed, { x: xv, y: yv });
      lastModel = m;
      const s = rawScores(m.model, m.scaler, xv);
      f.test.forEach((row, k) => {
        oofRaw[row] = s[k] as number;
      });
      const met = classificationMetrics(yv, probabilities({ model: m.model, scaler: m.scaler, calibration: null }, xv));
      foldInfo.push({ index: f.index, train: f.train.length, test: f.test.length, purged: f.purged, embargoed: f.embargoed, auc_roc: met.auc_roc, ...(m.trees === undefined ? {} : { trees: m.trees }) });
    }
  });
  const tested = Int32Array.from(Array.from(oofRaw.keys()).filter((i) => !Number.isNaN(oofRaw[i] as number)));
  const oofScores = Float64Array.from(tested, (i) => oofRaw[i] as number);
  const oofY = takeLabels(y, tested);
  const calibKind = req.calibration ?? 'sigmoid';
  const calibration: Calibration | null = run('calibration', () => (calibKind === 'none' ? null : calibKind === 'sigmoid' ? fitSigmoid(oofScores, oofY) : fitIsotonic(oofScores, oofY)));
  const sigm = (s: Float64Array): Float64Array => Float64Array.from(s, sigmoid);
  const validation = classificationMetrics(oofY, sigm(oofScores));
  const oof = new Float64Array(x.rows).fill(NaN);
  const oofCal = calibration === null ? sigm(oofScores) : applyCalibration(calibration, oofScores);
  tested.forEach((row, k) => {
    oof[row] = oofCal[k] as number;
  });
  const meanTrees = foldInfo.some((f) => f.trees !== undefined) ? Math.max(1, Math.round(foldInfo.reduce((a, f) => a + (f.trees ?? 0), 0) / foldInfo.length)) : undefined;
  if (meanTrees !== undefined) hyper['final_trees'] = meanTrees;
  const final = run('final_fit', () => fitOne(req, x, y, seed, undefined, meanTrees));
  const doc0 = { model: final.model, scaler: final.scaler, calibration };
  const trainProba = probabilities(doc0, x);
  const training = classificationMetrics(y, trainProba);
  const lastFold = folds[folds.length - 1];
  const perm = run('importance', () => {
    const m = lastModel;
    if (lastFold === undefined || m === undefined) return x.names.map(() => 0);
    // The last fold's model on its own held-out rows.
    return permutationImportance((xx) => probabilities({ model: m.model, scaler: m.scaler, calibration: null }, xx), takeRows(x, lastFold.test), takeLabels(y, lastFold.test), seed);
  });
  const overrides = comboOverrides(req.model, req.combo.params as Record<string, number>);
  const backtest = run('backtest', () => oosBacktest(req.bars, oosRun(req.pack, ds.strategy, overrides, btParams), ds.barIndex, oof, threshold, btParams));
  const config_hash = configHash({ pack_id: req.pack.pack_id, pack_version: req.pack.version, strategy: ds.strategy, params: ds.params, overrides, ...backtestKey(btParams) });
  const common = { backtest, oof, dataset: ds, folds: foldInfo };
  if (extra.length > 0) {
    // Extra features are code, not a recipe the artifact can store: no artifact.
    warnings.push({ code: 'TRAIN_NO_ARTIFACT', message: 'extra features have no stored recipe: metrics only, no artifact (train without them to publish)', details: { features: extra.map((f) => f.name) } });
    const p = job.progress.find((q) => q.step === 'artifact');
    if (p !== undefined) p.status = 'skipped';
    const gain = normalizeGain(final.gain);
    return { ...common, metrics: { job_id: job.job_id, training, validation }, importance: { trained_model_id: '', items: x.names.map((feature, j) => ({ feature, importance: gain[j] ?? 0, permutation: perm[j] ?? 0 })) } };
  }
  return run('artifact', () => {
    const artifact: TrainedModelDoc = {
      format: 'sigmatiq.trained-model/1',
      features: ds.specs,
      feature_names: x.names,
      model: final.model,
      scaler: final.scaler,
      calibration,
      metadata: {
        model_config_hash: modelContentHash(req),
        combo_id: req.combo.combo_id,
        pack_id: req.pack.pack_id,
        pack_version: req.pack.version,
        strategy_id: ds.strategy,
        side: ds.side,
        params: ds.params,
        config_hash,
        data_snapshot_id: dataHash(req.bars),
        label: req.label,
        hyperparameters: hyper,
        seed,
        threshold,
        ...(Object.keys(btParams).length === 0 ? {} : { backtest_params: { ...btParams } }),
        engine_version: ENGINE_VERSION,
        training_rows: x.rows,
        training_scores_sha256: float64Sha256(trainProba),
      },
    };
    const stored = serializeArtifact(artifact);
    const gain = normalizeGain(final.gain);
    const importance: FeatureImportance = { trained_model_id: stored.id, items: x.names.map((feature, j) => ({ feature, importance: gain[j] ?? 0, permutation: perm[j] ?? 0 })) };
    const trained_model: TrainedModelRecord = {
      trained_model_id: stored.id,
      model_id: req.model_id,
      combo_id: req.combo.combo_id,
      artifact_uri: `sha256:${stored.id}`,
      scaler_uri: final.scaler === null ? null : `sha256:${stored.id}#/scaler`,
      metadata_uri: `sha256:${stored.id}#/metadata`,
      config_hash,
      data_snapshot_id: job.data_snapshot_id,
      created_at: isoNow(),
      status: 'ready',
    };
    return { ...common, metrics: { job_id: job.job_id, training, validation }, importance, artifact, artifact_json: stored.json, trained_model };
  });
}

/**
 * The TrainedModel artifact: one JSON document (no pickle, no code) holding the model, the
 * scaler, the calibration, the feature recipe and the metadata. Its id is the sha256 of its
 * canonical JSON (engine/src/hash), so the stored bytes are the canonical JSON and any change to
 * any number changes the id. Every number is a finite double written in shortest round-trip
 * form, so loading gives back the exact doubles and scoring is bit-identical to training time.
 */
import type { BarsInput } from '../indicators/types.js';
import { canonicalJson, sha256Hex } from '../hash/index.js';
import { isSigmatiqError } from '../errors.js';
import { applyCalibration, type Calibration } from './calibrate.js';
import { computeFeatures, type FeatureSpec } from './dataset.js';
import { trainError } from './errors.js';
import { gbdtRawScores, type GbdtModel } from './gbdt.js';
import type { LabelSpec } from './labels.js';
import type { FeatureMatrix } from './matrix.js';
import type { Scaler } from './scaler.js';
import type { Tree } from './tree.js';

export const ARTIFACT_FORMAT = 'sigmatiq.trained-model/1';

export type ArtifactModel =
  | { readonly kind: 'logreg'; readonly coef: readonly number[]; readonly intercept: number }
  | { readonly kind: 'gbdt'; readonly init: number; readonly trees: readonly Tree[] };

export interface ArtifactMetadata {
  /**
   * Content hash of the model config trained for (the sidecar's model version config_hash when the job got the
   * model config): content, not a sidecar id, so the same training in two sidecars gives the same bytes.
   */
  readonly model_config_hash: string;
  readonly combo_id: number;
  readonly pack_id: string;
  readonly pack_version: string;
  readonly strategy_id: string;
  readonly side: 'long' | 'short';
  /** The combination's resolved parameters. */
  readonly params: Readonly<Record<string, number>>;
  readonly config_hash: string;
  /** The engine data hash of the training bars (content: engine snapshots are named by it), never a sidecar row id. */
  readonly data_snapshot_id: string;
  readonly label: LabelSpec;
  readonly hyperparameters: Readonly<Record<string, number | string>>;
  readonly seed: number;
  /** Probability threshold of the trading filter. */
  readonly threshold: number;
  /** The combination's backtest settings of the OOS backtest (sweep names), when it had any. */
  readonly backtest_params?: Readonly<Record<string, number | string | boolean>>;
  readonly engine_version: string;
  readonly training_rows: number;
  /** sha256 of the float64 bytes of the probabilities computed at training time on the training rows. */
  readonly training_scores_sha256: string;
}

export interface TrainedModelDoc {
  readonly format: typeof ARTIFACT_FORMAT;
  readonly features: readonly FeatureSpec[];
  readonly feature_names: readonly string[];
  readonly model: ArtifactModel;
  readonly scaler: Scaler | null;
  readonly calibration: Calibration | null;
  readonly metadata: ArtifactMetadata;
}

export interface StoredArtifact {
  /** sha256 of `json` = trained_model_id. */
  readonly id: string;
  readonly json: string;
}

export function serializeArtifact(doc: TrainedModelDoc): StoredArtifact {
  const json = canonicalJson(doc);
  return { id: sha256Hex(json), json };
}

/** Parse stored bytes; with `expectedId`, the sha256 must match (TRAIN_ARTIFACT_INVALID otherwise). */
export function loadArtifact(json: string, expectedId?: string): TrainedModelDoc {
  if (expectedId !== undefined && sha256Hex(json) !== expectedId) throw trainError('TRAIN_ARTIFACT_INVALID', `artifact bytes do not hash to ${expectedId}`, { field: 'id', expected: expectedId });
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    throw trainError('TRAIN_ARTIFACT_INVALID', `artifact is not JSON: ${(e as Error).message}`, { field: 'json' });
  }
  const d = doc as Partial<TrainedModelDoc> | null;
  if (d === null || typeof d !== 'object' || d.format !== ARTIFACT_FORMAT) throw trainError('TRAIN_ARTIFACT_INVALID', `not a ${ARTIFACT_FORMAT} document`, { field: 'format' });
  const m = d.model;
  if (m === undefined || (m.kind !== 'logreg' && m.kind !== 'gbdt') || !Array.isArray(d.features) || !Array.isArray(d.feature_names) || d.metadata === undefined) {
    throw trainError('TRAIN_ARTIFACT_INVALID', 'artifact lacks model, features or metadata', { field: 'model' });
  }
  if (m.kind === 'logreg' && (d.scaler === null || d.scaler === undefined || m.coef.length !== d.feature_names.length)) throw trainError('TRAIN_ARTIFACT_INVALID', 'logistic model needs a scaler and one coefficient per feature', { field: 'scaler' });
  return d as TrainedModelDoc;
}

/** Raw scores (log-odds) of the rows of `x`, columns in the artifact's feature order. */
export function rawScores(model: ArtifactModel, scaler: Scaler | null, x: FeatureMatrix): Float64Array {
  if (model.kind === 'gbdt') {
    const g: GbdtModel = { kind: 'gbdt', features: x.names, init: model.init, trees: model.trees, gain: [], bestIteration: model.trees.length, validLoss: [] };
    return gbdtRawScores(g, x);
  }
  const n = x.rows;
  const z = new Float64Array(n).fill(model.intercept);
  model.coef.forEach((w, j) => {
    const c = x.columns[j] as Float64Array;
    const m = scaler?.mean[j] ?? 0;
    const sd = scaler?.scale[j] ?? 1;
    for (let i = 0; i < n; i++) z[i] = (z[i] as number) + w * (((c[i] as number) - m) / sd);
  });
  return z;
}

/** Probabilities: calibrated when the artifact has a calibration, else σ(raw score). */
export function probabilities(doc: Pick<TrainedModelDoc, 'model' | 'scaler' | 'calibration'>, x: FeatureMatrix): Float64Array {
  const s = rawScores(doc.model, doc.scaler, x);
  if (doc.calibration !== null) return applyCalibration(doc.calibration, s);
  for (let i = 0; i < s.length; i++) {
    const z = s[i] as number;
    s[i] = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
  return s;
}

/** Score every bar: NaN where a feature is not yet defined (warm-up). */
export function scoreBars(doc: TrainedModelDoc, bars: BarsInput): Float64Array {
  let x: FeatureMatrix;
  try {
    x = computeFeatures(bars, doc.features);
  } catch (e) {
    if (isSigmatiqError(e)) throw trainError('TRAIN_ARTIFACT_INVALID', `artifact features cannot be computed: ${e.message}`, { field: 'features', cause: e.code });
    throw e;
  }
  const p = probabilities(doc, x);
  for (let i = 0; i < x.rows; i++) {
    for (const c of x.columns) {
      if (!Number.isFinite(c[i])) {
        p[i] = NaN;
        break;
      }
    }
  }
  return p;
}

export function float64Sha256(a: Float64Array): string {
  return sha256Hex(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

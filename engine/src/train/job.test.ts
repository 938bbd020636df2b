// End-to-end training jobs on real S&P 500 daily bars (shared/data/real) with the swing pack.
// Oracles: the artifact id is recomputed with node:crypto over the stored bytes; the leaking
// feature is one we build to read the next bar; scikit-learn/LightGBM agreement of the models
// themselves is in models.test.ts.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadRealCsv } from '../indicators/oracle/harness.js';
import { runBacktest } from '../backtest/index.js';
import { ModelConfigSchema, modelConfigHash } from '../models/index.js';
import { loadPack, resolveStrategy } from '../packs/index.js';
import { compileStrategy } from '../strategy/index.js';
import { loadArtifact, scoreBars } from './artifact.js';
import { runTrainingJob, type TrainingRequest } from './job.js';
import { checkSelection } from './selection.js';

const all = { ...loadRealCsv('sp500_daily_1999_2018.csv'), symbol: 'SPX', interval: '1d' };
const cut = (len: number): typeof all => ({ ...all, length: len, ts: all.ts.subarray(0, len), open: all.open.subarray(0, len), high: all.high.subarray(0, len), low: all.low.subarray(0, len), close: all.close.subarray(0, len), volume: all.volume.subarray(0, len) });
const bars = cut(3000);
const pack = loadPack('swing').pack;
const combo = { combo_id: 3, gate_status: 'PASS' as const, params: { 'rsi.period': 10, adx_threshold: 20 } };
const base: TrainingRequest = {
  model_id: 'm-swing',
  combo,
  bars,
  pack,
  strategy: 'momentum_swing',
  label: { kind: 'triple_barrier', profitTake: 0.03, stopLoss: 0.03, maxBars: 10 },
  classifier: 'gbdt',
  gbdt: { nEstimators: 40, maxDepth: 3, learningRate: 0.1, subsample: 0.8, colsample: 0.8, earlyStoppingRounds: 10 },
  seed: 7,
};
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('selection', () => {
  it('only PASS/MARGINAL may be trained; warns above 5; flags near duplicates', () => {
    expect(() => checkSelection([{ ...combo, gate_status: 'FAIL' }])).toThrow(expect.objectContaining({ code: 'TRAIN_GATE_FAILED' }) as Error);
    expect(() => runTrainingJob({ ...base, combo: { ...combo, gate_status: 'FAIL' } })).toThrow(expect.objectContaining({ code: 'TRAIN_GATE_FAILED' }) as Error);
    const six = Array.from({ length: 6 }, (_, i) => ({ combo_id: i, gate_status: 'MARGINAL' as const, params: { a: 10 * (i + 1) } }));
    expect(checkSelection(six).map((w) => w.code)).toEqual(['TRAIN_MANY_COMBOS']);
    const dup = checkSelection([{ combo_id: 1, gate_status: 'PASS', params: { a: 100, b: 2 } }, { combo_id: 2, gate_status: 'PASS', params: { a: 104, b: 2 } }, { combo_id: 3, gate_status: 'PASS', params: { a: 120, b: 2 } }]);
    expect(dup).toEqual([expect.objectContaining({ code: 'TRAIN_NEAR_DUPLICATE', details: { combos: [1, 2] } })]);
  });
});

describe('training job (GBDT, swing pack, S&P 500 daily)', () => {
  const events: string[] = [];
  const out = runTrainingJob({ ...base, onProgress: (j) => events.push(j.status) });
  it('completes every step with durations, in the Sigmatiq shapes', () => {
    expect(out.job.error).toBeUndefined();
    expect(out.job.status).toBe('completed');
    expect(events[0]).toBe('queued');
    expect(events).toContain('training');
    for (const p of out.job.progress) {
      expect(p.status).toBe('done');
      expect(p.duration_ms).toBeGreaterThanOrEqual(0);
    }
    expect(out.job.seed).toBe(7);
    expect(out.job.hyperparameters).toMatchObject({ classifier: 'gbdt', folds: 5, embargo_ms: 86_400_000, nEstimators: 40 });
    for (const m of [out.metrics?.training, out.metrics?.validation]) {
      for (const k of ['accuracy', 'precision', 'recall', 'f1', 'auc_roc'] as const) {
        const v = m?.[k];
        expect(typeof v === 'number' && v >= 0 && v <= 1).toBe(true);
      }
    }
    expect(out.folds).toHaveLength(5);
    expect(out.folds?.some((f) => f.purged > 0)).toBe(true); // 10-bar labels overlap every boundary
    expect(out.importance?.items.map((i) => i.feature)).toEqual(out.artifact?.feature_names);
    expect(out.importance?.items.reduce((a, i) => a + i.importance, 0)).toBeCloseTo(1, 12);
    expect(out.backtest?.entries_kept).toBeLessThanOrEqual(out.backtest?.entries ?? -1);
    expect(out.backtest?.filtered.total_trades).toBeLessThanOrEqual(out.backtest?.strategy.total_trades ?? -1);
  });
  it('artifact: content-addressed canonical JSON with config hash and data snapshot', () => {
    const json = out.artifact_json ?? '';
    expect(out.trained_model?.trained_model_id).toBe(sha(json));
    expect(out.trained_model?.artifact_uri).toBe(`sha256:${sha(json)}`);
    expect(out.trained_model?.config_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(out.trained_model?.data_snapshot_id).toBe(out.job.data_snapshot_id);
    expect(json).not.toMatch(/function|=>/); // data only
    expect(out.artifact?.metadata.params['rsi.period']).toBe(10);
  });
  it('inference: a loaded artifact scores the bars bit-identically to training time', () => {
    const doc = loadArtifact(out.artifact_json ?? '', out.trained_model?.trained_model_id);
    const p = scoreBars(doc, bars);
    const rows = out.dataset?.barIndex ?? new Int32Array();
    const atRows = Float64Array.from(rows, (i) => p[i] as number);
    expect(createHash('sha256').update(new Uint8Array(atRows.buffer)).digest('hex')).toBe(doc.metadata.training_scores_sha256);
    expect(Number.isNaN(p[0] as number)).toBe(true); // warm-up bar: no features, no score
    expect(() => loadArtifact((out.artifact_json ?? '').replace('"seed":7', '"seed":8'), out.trained_model?.trained_model_id)).toThrow(expect.objectContaining({ code: 'TRAIN_ARTIFACT_INVALID' }) as Error);
  });
  it('is deterministic: the same request gives the same artifact id, another seed another one', () => {
    const small = { ...base, bars: cut(1000), gbdt: { ...base.gbdt, nEstimators: 15 } };
    const a = runTrainingJob(small);
    const b = runTrainingJob(small);
    expect(a.job.status).toBe('completed');
    expect(b.trained_model?.trained_model_id).toBe(a.trained_model?.trained_model_id);
    expect(runTrainingJob({ ...small, seed: 8 }).trained_model?.trained_model_id).not.toBe(a.trained_model?.trained_model_id);
  });
});

describe('job failures', () => {
  const small = cut(1000);
  const quick: TrainingRequest = { ...base, bars: small, classifier: 'logreg', features: ['rsi', 'macd', 'atr'] };
  it('a feature that reads the next bar fails the job with TRAIN_LEAKAGE (canary)', () => {
    const leak = (b: { close: Float64Array; length: number }): Float64Array => Float64Array.from({ length: b.length }, (_, i) => (i + 1 < b.length ? (b.close[i + 1] as number) / (b.close[i] as number) : NaN));
    const out = runTrainingJob({ ...quick, extraFeatures: [{ name: 'next_return', compute: leak }] });
    expect(out.job.status).toBe('failed');
    expect(out.job.error).toMatchObject({ code: 'TRAIN_LEAKAGE', details: { feature: 'next_return' } });
    expect(out.job.progress.find((p) => p.step === 'leakage_check')?.status).toBe('failed');
    expect(out.job.progress.find((p) => p.step === 'cross_validation')?.status).toBe('skipped');
    expect(out.artifact).toBeUndefined();
  });
  it('a causal extra feature passes the leakage check (no artifact: code is not a recipe)', () => {
    const prev = (b: { close: Float64Array; length: number }): Float64Array => Float64Array.from({ length: b.length }, (_, i) => (i > 0 ? (b.close[i] as number) / (b.close[i - 1] as number) : NaN));
    const out = runTrainingJob({ ...quick, extraFeatures: [{ name: 'prev_return', compute: prev }] });
    expect(out.job.status).toBe('completed');
    expect(out.warnings.map((w) => w.code)).toContain('TRAIN_NO_ARTIFACT');
    expect(out.artifact).toBeUndefined();
  });
  it('cancellation between steps ends the job as cancelled', () => {
    const ac = new AbortController();
    const out = runTrainingJob({ ...quick, signal: ac.signal, onProgress: (j) => { if (j.progress.some((p) => p.step === 'leakage_check' && p.status === 'done')) ac.abort(); } });
    expect(out.job.status).toBe('cancelled');
    expect(out.job.error?.code).toBe('TRAIN_CANCELLED');
  });
  it('takes a model config: its indicator selection, params and policy overrides', () => {
    const model = ModelConfigSchema.parse({ name: 'swing-a', pack: 'swing', strategy: 'momentum_swing', indicators: ['ema_fast', 'ema_slow', 'macd', 'adx'], params: { 'adx.period': 10 }, risk: { stop_loss: 0.04 } });
    const out = runTrainingJob({ ...quick, features: undefined, model, strategy: undefined });
    expect(out.job.status).toBe('completed');
    expect(out.artifact?.feature_names).toEqual(['ema_fast', 'ema_slow', 'macd', 'macd_signal', 'macd_hist', 'adx', 'adx_plus_di', 'adx_minus_di']);
    expect(out.artifact?.metadata.params['adx.period']).toBe(10);
    const other = runTrainingJob({ ...quick, features: undefined, model: { ...model, risk: { stop_loss: 0.06 } }, strategy: undefined });
    expect(other.trained_model?.config_hash).not.toBe(out.trained_model?.config_hash); // policy overrides are part of the config
  });
  it('logistic + isotonic artifact: scaler stored, round trip bit-identical', () => {
    const out = runTrainingJob({ ...quick, calibration: 'isotonic', label: { kind: 'forward_return', horizon: 5, threshold: 0 } });
    expect(out.job.status).toBe('completed');
    const doc = loadArtifact(out.artifact_json ?? '', out.trained_model?.trained_model_id);
    expect(doc.model.kind).toBe('logreg');
    expect(doc.scaler?.mean).toHaveLength(doc.feature_names.length);
    expect(doc.calibration?.kind).toBe('isotonic');
    const p = scoreBars(doc, quick.bars);
    const atRows = Float64Array.from(out.dataset?.barIndex ?? [], (i) => p[i] as number);
    expect(createHash('sha256').update(new Uint8Array(atRows.buffer)).digest('hex')).toBe(doc.metadata.training_scores_sha256);
  });
  it('one-class labels fail the job with TRAIN_ONE_CLASS; an unknown feature with TRAIN_BAD_PARAM', () => {
    expect(runTrainingJob({ ...quick, label: { kind: 'forward_return', horizon: 1, threshold: 5 } }).job.error?.code).toBe('TRAIN_ONE_CLASS');
    expect(runTrainingJob({ ...quick, features: ['nope'] }).job.error).toMatchObject({ code: 'TRAIN_BAD_PARAM', details: { value: 'nope' } });
  });
});

describe('content-only artifact bytes and the combination\'s backtest settings', () => {
  const small = cut(1000);
  const quick: TrainingRequest = { ...base, bars: small, classifier: 'logreg', features: ['rsi', 'macd', 'atr'] };
  it('two requests differing only in sidecar ids (model_id, data_snapshot_id) give the same artifact sha256', () => {
    const a = runTrainingJob({ ...quick, model_id: 'sidecar-a-model', data_snapshot_id: 'sidecar-a-snapshot' });
    const b = runTrainingJob({ ...quick, model_id: 'sidecar-b-model', data_snapshot_id: 'sidecar-b-snapshot' });
    expect(a.job.status).toBe('completed');
    expect(a.artifact_json).not.toContain('sidecar-a');
    expect(b.trained_model?.trained_model_id).toBe(a.trained_model?.trained_model_id);
    expect(sha(b.artifact_json ?? 'b')).toBe(sha(a.artifact_json ?? 'a'));
    // The records keep the sidecar's ids for lineage.
    expect(a.trained_model?.model_id).toBe('sidecar-a-model');
    expect(a.trained_model?.data_snapshot_id).toBe('sidecar-a-snapshot');
  });
  it('the artifact names the model by its config hash (the sidecar\'s model version config_hash)', () => {
    const model = ModelConfigSchema.parse({ name: 'swing-a', pack: 'swing', strategy: 'momentum_swing', indicators: ['ema_fast', 'ema_slow', 'adx'] });
    const out = runTrainingJob({ ...quick, features: undefined, model, strategy: undefined });
    expect(out.artifact?.metadata.model_config_hash).toBe(modelConfigHash(model));
    expect(out.artifact?.metadata).not.toHaveProperty('model_id');
  });
  it('applies size_fraction (a sweep backtest setting) to the OOS backtest instead of the pack\'s Kelly sizing', () => {
    const sized = runTrainingJob({ ...quick, backtestParams: { size_fraction: 0.05 } });
    const plain = runTrainingJob(quick);
    expect(sized.job.status).toBe('completed');
    expect(sized.backtest?.backtest_params).toEqual({ size_fraction: 0.05 });
    expect(plain.backtest?.backtest_params).toEqual({});
    expect(pack.policies.sizing.method).toBe('kelly');
    // Oracle: the base OOS backtest rebuilt by hand — the pack's rules at the combination's params, entries on bars
    // that have an out-of-fold probability, config = the pack's policies with sizing replaced by fixed 5% (what the
    // sweep's bindPoint does for size_fraction).
    const r = resolveStrategy(pack, 'momentum_swing', combo.params);
    const sig = compileStrategy({ entry: r.entry, exit: r.exit }, r.compile).evaluate({ bars: small, params: r.params });
    const covered = new Uint8Array(small.length);
    (sized.dataset?.barIndex ?? []).forEach((b, k) => {
      if (!Number.isNaN(sized.oof?.[k] ?? Number.NaN)) covered[b] = 1;
    });
    const entry = Uint8Array.from(sig.entry, (e, i) => (e === 1 && covered[i] === 1 ? 1 : 0));
    const want = runBacktest(small, { entry, exit: sig.exit }, { ...r.backtest, sizing: { mode: 'fixed_fraction', fraction: 0.05 } }).metrics;
    expect(sized.backtest?.strategy).toEqual(want);
    expect(plain.backtest?.strategy).toEqual(runBacktest(small, { entry, exit: sig.exit }, r.backtest).metrics);
    expect(sized.backtest?.strategy).not.toEqual(plain.backtest?.strategy);
    // Part of the configuration: recorded in the artifact and its config hash; the model itself is unchanged.
    expect(sized.artifact?.metadata.backtest_params).toEqual({ size_fraction: 0.05 });
    expect(sized.trained_model?.config_hash).not.toBe(plain.trained_model?.config_hash);
    expect(sized.artifact?.model).toEqual(plain.artifact?.model);
  });
  it('an unknown backtest setting fails before the job with TRAIN_BAD_PARAM', () => {
    expect(() => runTrainingJob({ ...quick, backtestParams: { sizing_fraction: 0.05 } })).toThrow(expect.objectContaining({ code: 'TRAIN_BAD_PARAM', details: expect.objectContaining({ parameter: 'backtestParams.sizing_fraction' }) as unknown }) as Error);
  });
});

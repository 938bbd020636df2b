// runTrainingJobAsync (worker thread) against the synchronous runTrainingJob on real S&P 500 daily bars
// with the swing pack. Needs the built worker (engine/dist/train/worker.js: `npm run build`).
// Oracle: the synchronous runTrainingJob on the same request (an independent run of the same code on the
// caller's thread) — artifact bytes and sha256, metrics, out-of-fold probabilities must be identical.
// The worker runs the BUILT engine and the oracle the source: a build older than the source (any engine
// file changed since `npm run build`) can make them differ; rebuild first.
import { describe, expect, it } from 'vitest';
import { loadRealCsv } from '../indicators/oracle/harness.js';
import { loadPack } from '../packs/index.js';
import { runTrainingJob, type TrainingJob, type TrainingRequest } from './job.js';
import { runTrainingJobAsync } from './run-async.js';

const all = { ...loadRealCsv('sp500_daily_1999_2018.csv'), symbol: 'SPX', interval: '1d' };
const n = 1500;
const bars = { ...all, length: n, ts: all.ts.slice(0, n), open: all.open.slice(0, n), high: all.high.slice(0, n), low: all.low.slice(0, n), close: all.close.slice(0, n), volume: all.volume.slice(0, n) };
const base: TrainingRequest = {
  model_id: 'm-swing',
  combo: { combo_id: 3, gate_status: 'PASS', params: { 'rsi.period': 10, adx_threshold: 20 } },
  bars,
  pack: loadPack('swing').pack,
  strategy: 'momentum_swing',
  label: { kind: 'forward_return', horizon: 5, threshold: 0 },
  classifier: 'gbdt',
  gbdt: { nEstimators: 30, maxDepth: 3, learningRate: 0.1, subsample: 0.8, colsample: 0.8 },
  cv: { folds: 3 },
  seed: 11,
};
const bits = (a: Float64Array | undefined): number[] => Array.from(new Uint32Array(a?.buffer ?? new ArrayBuffer(0), a?.byteOffset, (a?.length ?? 0) * 2));

describe('cancellation checks of a job', () => {
  it('are made before every GBDT tree, not only between steps and folds', () => {
    // A signal that turns aborted at its 10th read. Reads: dataset, leakage_check, cross_validation steps (3),
    // fold 0 (4), then one per tree of fold 0 (5...). With checks only between steps and folds the 10th read
    // would be the final_fit step's (5 folds: reads 4-8, calibration 9), leaving cross_validation done.
    let reads = 0;
    const signal = new AbortController().signal;
    Object.defineProperty(signal, 'aborted', { get: () => ++reads >= 10 });
    const out = runTrainingJob({ ...base, cv: { folds: 5 }, signal });
    expect(out.job.status).toBe('cancelled');
    expect(reads).toBe(10);
    expect(out.job.progress.map((p) => p.status)).toEqual(['done', 'done', 'failed', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
  }, 60_000);
});

describe('runTrainingJobAsync (worker thread)', () => {
  it('gives the synchronous outcome bit for bit, with progress snapshots arriving in order while it runs', async () => {
    const syncEvents: TrainingJob[] = [];
    const sync = runTrainingJob({ ...base, onProgress: (j) => syncEvents.push(j) });
    const events: TrainingJob[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1); // the caller's event loop turns while the job runs
    const out = await runTrainingJobAsync(base, { onProgress: (j) => events.push(j) });
    clearInterval(timer);
    expect(out.job.status).toBe('completed');
    expect(out.artifact_json).toBe(sync.artifact_json);
    expect(out.trained_model?.trained_model_id).toBe(sync.trained_model?.trained_model_id);
    expect(out.trained_model?.trained_model_id).toMatch(/^[0-9a-f]{64}$/);
    expect(out.metrics).toEqual(sync.metrics);
    expect(out.importance).toEqual(sync.importance);
    expect(out.backtest).toEqual(sync.backtest);
    expect(out.folds).toEqual(sync.folds);
    expect(bits(out.oof)).toEqual(bits(sync.oof));
    expect(out.warnings).toEqual(sync.warnings);
    // Same sequence of snapshots as the synchronous callback (times aside).
    const shape = (j: TrainingJob): string => `${j.status}|${j.progress.map((p) => `${p.step}:${p.status}`).join(',')}`;
    expect(events.map(shape)).toEqual(syncEvents.map(shape));
    expect(events.length).toBeGreaterThan(10);
    expect(events[0]?.status).toBe('queued');
    expect(events[events.length - 1]?.status).toBe('completed');
    expect(ticks).toBeGreaterThan(0);
  }, 60_000);

  it('an abort after the first progress event cancels the running job with its partial state', async () => {
    const ac = new AbortController();
    const events: TrainingJob[] = [];
    const out = await runTrainingJobAsync(base, {
      signal: ac.signal,
      onProgress: (j) => {
        events.push(j);
        if (events.length === 1) ac.abort();
      },
    });
    expect(out.job.status).toBe('cancelled');
    expect(out.job.error?.code).toBe('TRAIN_CANCELLED');
    expect(out.artifact_json).toBeUndefined();
    // The worker did not stop at once: it saw the flag at a later check, so some steps may be done; the
    // rest are skipped, as in the synchronous path.
    expect(out.job.progress.some((p) => p.status === 'skipped')).toBe(true);
    expect(out.job.progress.find((p) => p.step === 'artifact')?.status).toBe('skipped');
    expect(events[events.length - 1]?.status).toBe('cancelled');
  }, 60_000);

  it('an already aborted signal ends the job cancelled before its first step, as runTrainingJob does', async () => {
    const ac = new AbortController();
    ac.abort();
    const sync = runTrainingJob({ ...base, signal: ac.signal });
    const out = await runTrainingJobAsync(base, { signal: ac.signal });
    expect(out.job.status).toBe('cancelled');
    expect(out.job.progress.map((p) => p.status)).toEqual(sync.job.progress.map((p) => p.status));
  }, 60_000);

  it('checks made before a job exists reject with their SigmatiqError code; functions are refused', async () => {
    await expect(runTrainingJobAsync({ ...base, combo: { ...base.combo, gate_status: 'FAIL' } })).rejects.toMatchObject({ name: 'SigmatiqError', code: 'TRAIN_GATE_FAILED' });
    await expect(runTrainingJobAsync({ ...base, threshold: 2 })).rejects.toMatchObject({ code: 'TRAIN_BAD_PARAM', details: { parameter: 'threshold' } });
    await expect(runTrainingJobAsync({ ...base, extraFeatures: [{ name: 'x', compute: (b) => new Float64Array(b.length) }] })).rejects.toMatchObject({ code: 'TRAIN_BAD_PARAM', details: { parameter: 'extraFeatures' } });
  }, 60_000);

  it('a throwing onProgress cancels the job and the call rejects with that error', async () => {
    let calls = 0;
    const boom = new Error('render failed');
    await expect(runTrainingJobAsync(base, {
      onProgress: () => {
        calls++;
        throw boom;
      },
    })).rejects.toBe(boom);
    expect(calls).toBeGreaterThan(1); // the snapshots already posted still arrive; the job then ends cancelled
  }, 60_000);

  it('a worker that dies (out of memory) rejects with TRAIN_WORKER_FAILED', async () => {
    await expect(runTrainingJobAsync(base, { resourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } })).rejects.toMatchObject({ code: 'TRAIN_WORKER_FAILED' });
  }, 60_000);
});

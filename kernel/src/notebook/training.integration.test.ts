/**
 * %train, %training show, %validate and %walkforward against a real sidecar (in-process, port 0, temp
 * data dir) on real S&P 500 daily bars (2008-2018) with the shipped swing pack: a 6-combination sweep
 * with loose gates, two combinations trained (job lifecycle and steps, metrics, importance, artifact
 * stored byte for byte under its sha256, trained model with its lineage chain), a FAIL combination
 * refused before anything is written, validation of a trained model and of a combination (seeded:
 * the same target gives the same stored row), a walk-forward, and an interrupt that cancels a job.
 */
import { realDataDir, sha256Hex, sweepPlan } from '@sigmatiq/engine';
import { startSidecar, type RunningSidecar } from '@sigmatiq/server/dist/sidecar.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sq } from '../api.js';
import type { DisplayOutput } from '../display/mime.js';
import { builtinMagics } from '../magics/index.js';
import type { MagicContext } from '../magics/registry.js';
import { connectSidecar, expectOk, type SigmatiqClient } from '../sidecar/client.js';
import { SidecarLocator } from '../sidecar/locate.js';
import { setDefaultLocator } from './context.js';
import { importData } from './data.js';
import { createModel } from './models.js';
import { runModelSweep } from './sweeps.js';
import { sweepCombinations } from './sweep-lookup.js';

const SPX = path.join(realDataDir(), 'sp500_daily_1999_2018.csv');
let dir: string;
let sidecar: RunningSidecar;
let locator: SidecarLocator;
let client: SigmatiqClient;
let sweepId = '';
let passing: number[] = [];
let failing: number | undefined;

interface Shown { out: DisplayOutput; displayId: string | undefined; update: boolean }
const shown: Shown[] = [];
const ctx = (name: string, args: string[], signal = new AbortController().signal): MagicContext => ({
  name, args, body: undefined, signal,
  out: { stream: () => undefined, display: (out, o) => shown.push({ out, displayId: o?.displayId, update: o?.update === true }), clear: () => undefined },
  kernel: { versions: {}, registry: builtinMagics(), sidecar: locator },
});
const magic = (name: string, args: string[], signal?: AbortSignal) => builtinMagics().resolve(name, 'line').run(ctx(name, args, signal));
const text = (o: DisplayOutput | undefined): string => String(o?.data['text/plain'] ?? '');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sq-ktrain-'));
  sidecar = await startSidecar({ dataDir: dir, port: 0, host: '127.0.0.1' });
  locator = new SidecarLocator({ SIGMATIQ_DATA_DIR: dir, SIGMATIQ_URL: sidecar.url }, dir);
  setDefaultLocator(locator);
  client = (await connectSidecar(locator)).client;
  const snap = await importData(locator, SPX, { symbol: 'SPX' });
  await createModel(locator, 'spx-mom', { pack: 'swing', strategy: 'momentum_swing', data: snap.snapshot.hash });
  // Loose gates so that several combinations PASS; a trade floor of 25 fails the sparsest ones.
  const plan = sweepPlan({ type: 'simple', tag: 'train-it', space: { adx_threshold: [15, 20, 45], 'ema_fast.period': [10, 20], size_fraction: [0.05] }, gates: { min_trades: 25, min_sharpe: -5, max_drawdown: 0.9, min_win_rate: 0, min_profit_factor: 0 }, pbo_blocks: 0, from: '2008-01-01' });
  const view = await runModelSweep(locator, 'spx-mom', plan, { workers: 0 });
  sweepId = view.sweep.id;
  const combos = await sweepCombinations(client, sweepId);
  passing = combos.filter((c) => c.gate_status !== 'FAIL').sort((a, b) => (b.backtest_metrics['sharpe_ratio'] ?? 0) - (a.backtest_metrics['sharpe_ratio'] ?? 0)).map((c) => c.combo_id);
  failing = combos.find((c) => c.gate_status === 'FAIL')?.combo_id;
}, 60_000);
afterAll(async () => {
  setDefaultLocator(undefined);
  await sidecar.close();
  rmSync(dir, { recursive: true, force: true });
});

type Graph = { nodes: { type: string; id: string }[] };

describe('training and validation with a real sidecar', () => {
  let jobId = '';
  let trainedId = '';

  it('%train trains two PASS/MARGINAL combinations: jobs, steps, metrics, importance, artifact by hash, trained model, lineage', async () => {
    expect(passing.length).toBeGreaterThanOrEqual(2);
    const [a = 0, b = 0] = passing;
    const out = await magic('train', ['train-it', '--combos', `${a},${b}`, '--label', 'fwd:5:0', '--folds', '3', '--embargo', '1d', '--trees', '40']);
    expect(text(out)).toContain('Training gbdt on sweep train-it');
    const jobs = await expectOk<{ items: { id: string; status: string; combo_ids: number[]; steps: { name: string; status: string; duration_ms?: number }[]; progress: number }[] }>(await client.v1['training-jobs'].$get({ query: {} }), 'jobs');
    expect(jobs.items.map((j) => [j.combo_ids, j.status])).toEqual([[[a], 'completed'], [[b], 'completed']]);
    const job = jobs.items[0];
    jobId = job?.id ?? '';
    expect(job?.steps.map((s) => s.name)).toEqual(['dataset', 'leakage_check', 'cross_validation', 'calibration', 'final_fit', 'importance', 'backtest', 'artifact']);
    expect(job?.steps.every((s) => s.status === 'done' && typeof s.duration_ms === 'number')).toBe(true);
    expect(job?.progress).toBe(1);
    // The live display, in place: every status change of both jobs (queued, training, completed by the engine, then
    // by the sidecar) at least; step updates in between are throttled to one per 0.5 s (magics/train.test.ts).
    const progress = shown.filter((s) => s.displayId?.startsWith('sq-train-') === true);
    expect(progress.length).toBeGreaterThanOrEqual(8);
    expect(progress.slice(1).every((s) => s.update)).toBe(true);
    expect(text(progress[progress.length - 1]?.out)).toMatch(/completed: ✓ dataset/);

    const metrics = await expectOk<{ items: { split: string; fold: number | null; auc_roc: number; extra: { roc?: { fpr: number[]; tpr: number[] } } | null }[] }>(await client.v1['training-jobs'][':id'].metrics.$get({ param: { id: jobId }, query: {} }), 'metrics');
    expect(metrics.items.filter((m) => m.fold === null).map((m) => m.split).sort()).toEqual(['train', 'validation']);
    const folds = metrics.items.filter((m) => m.fold !== null);
    expect(folds).toHaveLength(3);
    // k-fold test sets partition the out-of-fold rows: the fold rows add up to the validation rows.
    const rowsOf = (m: { extra: unknown }): number => Number((m.extra as { rows?: unknown } | null)?.rows);
    const validationRow = metrics.items.find((m) => m.split === 'validation' && m.fold === null);
    expect(folds.reduce((n, m) => n + rowsOf(m), 0)).toBe(validationRow === undefined ? -1 : rowsOf(validationRow));
    const roc = metrics.items.find((m) => m.split === 'validation' && m.fold === null)?.extra?.roc;
    expect(roc?.fpr[0]).toBe(0);
    expect(roc?.tpr[roc.tpr.length - 1]).toBe(1);
    const imp = await expectOk<{ items: { feature: string; rank: number }[] }>(await client.v1['training-jobs'][':id']['feature-importance'].$get({ param: { id: jobId }, query: {} }), 'importance');
    expect(imp.items.length).toBeGreaterThan(3);

    const tms = await expectOk<{ items: { id: string; training_job_id: string; artifact_hash: string; combo_id: number }[] }>(await client.v1['trained-models'].$get({ query: {} }), 'trained models');
    const tm = tms.items.find((t) => t.training_job_id === jobId);
    trainedId = tm?.id ?? '';
    expect(tm?.combo_id).toBe(a);
    // The stored bytes hash to the trained model's artifact hash (oracle: sha256 of the bytes read back).
    const bytes = await (await fetch(`${sidecar.url}/v1/artifacts/${tm?.artifact_hash ?? ''}`, { headers: { authorization: `Bearer ${locator.apiKey() ?? ''}` } })).text();
    expect(sha256Hex(bytes)).toBe(tm?.artifact_hash);
    expect(JSON.parse(bytes)).toMatchObject({ format: 'sigmatiq.trained-model/1', model: { kind: 'gbdt' } });
    // Lineage: trained model -> combination -> sweep -> model version -> model, and the snapshot.
    const up = await expectOk<Graph>(await client.v1.lineage[':type'][':id'].$get({ param: { type: 'trained_model', id: trainedId }, query: { direction: 'up', depth: '5' } }), 'lineage');
    const types = new Set(up.nodes.map((n) => n.type));
    for (const t of ['training_job', 'combination', 'sweep', 'model_version', 'data_snapshot']) expect(types.has(t)).toBe(true);
  }, 60_000);

  it('training is deterministic: the same training again gives the same artifact, and the trained model is reused', async () => {
    const [a = 0] = passing;
    const again = await sq.train('train-it', { combos: [a], label: 'fwd:5:0', folds: 3, embargoMs: 86_400_000, gbdt: { nEstimators: 40 }, display: false });
    const r = again.results[0];
    expect(r?.job.status).toBe('completed');
    expect(r?.job.id).not.toBe(jobId);
    expect(r?.trainedModel?.id).toBe(trainedId);
    expect(r?.trainedModelReused).toBe(true);
  }, 60_000);

  it('%training show: job, metrics tables, ROC, feature importance and calibration figures', async () => {
    shown.length = 0;
    const last = await magic('training', ['show', jobId]);
    const all = [...shown.map((s) => s.out), last];
    expect(text(all[0])).toContain(`Training job ${jobId.slice(0, 8)} (completed)`);
    expect(text(all[1])).toMatch(/validation \(out of fold\)/);
    const plots = all.filter((o) => o?.data['application/vnd.plotly.v1+json'] !== undefined).map(text);
    expect(plots).toEqual([expect.stringContaining('ROC curve'), expect.stringContaining('Feature importance'), expect.stringContaining('Calibration')]);
    const r = await sq.training.show(jobId);
    expect(r.trainedModels.map((t) => t.id)).toEqual([trainedId]);
  });

  it('refuses a FAIL combination and bad arguments before writing anything (stable codes)', async () => {
    const before = (await expectOk<{ items: unknown[] }>(await client.v1['training-jobs'].$get({ query: {} }), 'jobs')).items.length;
    expect(failing).toBeDefined();
    await expect(magic('train', ['train-it', '--combos', String(failing)])).rejects.toMatchObject({ code: 'TRAIN_GATE_FAILED' });
    await expect(magic('train', ['train-it', '--combos', '999'])).rejects.toMatchObject({ code: 'TRAIN_COMBO_NOT_FOUND' });
    await expect(magic('train', ['train-it'])).rejects.toMatchObject({ code: 'MAGIC_USAGE' });
    await expect(magic('train', ['train-it', '--combos', '1', '--label', 'fwd:x'])).rejects.toMatchObject({ code: 'TRAIN_ARG_INVALID', details: { param: 'label' } });
    await expect(magic('train', ['train-it', '--combos', '1', '--model', 'svm'])).rejects.toMatchObject({ code: 'MAGIC_USAGE' });
    await expect(magic('validate', ['nonsense'])).rejects.toMatchObject({ code: 'VALIDATE_TARGET_INVALID' });
    await expect(magic('walkforward', ['train-it:1'])).rejects.toMatchObject({ code: 'MAGIC_USAGE' });
    expect((await expectOk<{ items: unknown[] }>(await client.v1['training-jobs'].$get({ query: {} }), 'jobs')).items.length).toBe(before);
  });

  it('%validate a trained model: p-value, CIs with method and block length, stored; the same target gives the same row', async () => {
    const out = await magic('validate', [trainedId, '--permutation', '100', '--bootstrap', '200']);
    expect(text(out)).toMatch(/permutation p-value\s+\S+ \(\d+ of 100 permuted sharpe/);
    expect(text(out)).toMatch(/bootstrap\s+(hadj_bb, block length \d+|simple)/);
    const rows = await expectOk<{ items: { id: string; trained_model_id: string | null; permutation_pvalue: number | null; bootstrap_method: string | null }[] }>(await client.v1.validations.$get({ query: { trained_model_id: trainedId } }), 'validations');
    expect(rows.items).toHaveLength(1);
    const again = await sq.validate(trainedId, { permutation: 100, bootstrap: 200 });
    expect(again.reused).toBe(true);
    expect(again.stored.id).toBe(rows.items[0]?.id);
    expect(again.pValue).toBe(rows.items[0]?.permutation_pvalue);
    // A combination directly: linked to it, and its p-value agrees with the trained model's (same backtest, other seed).
    const combo = await sq.validate(`train-it:${passing[1] ?? 0}`, { permutation: 50, bootstrap: 0 });
    expect(combo.stored).toMatchObject({ sweep_id: sweepId, combo_id: passing[1], bootstrap_method: null });
    expect(combo.pValue).not.toBeNull();
  }, 30_000);

  it('%walkforward: per-window table, stitched equity chart, degradation; stored as a validation', async () => {
    shown.length = 0;
    const last = await magic('walkforward', [trainedId, '--train', '4y', '--test', '2y']);
    expect(text(shown[0]?.out)).toMatch(/windows\s+\d+ rolling \(train 4y, test 2y/);
    expect(text(last)).toContain('stitched out-of-sample equity');
    // By default the target's own parameters run in every window.
    const fixed = await sq.walkforward(trainedId, { train: '4y', test: '2y' });
    const combo = (await sweepCombinations(client, sweepId)).find((c) => c.combo_id === passing[0]);
    expect(fixed.result.windows.length).toBeGreaterThanOrEqual(2);
    expect(fixed.result.windows.every((x) => JSON.stringify(x.winner.params) === JSON.stringify(combo?.params))).toBe(true);
    expect(fixed.reused).toBe(true); // the magic above stored the same configuration
    const w = await sq.walkforward(`train-it:${passing[0] ?? 0}`, { train: '4y', test: '2y', anchored: true, reoptimize: true });
    expect(w.result.mode).toBe('anchored');
    expect(w.result.windows.every((x) => x.window.train.start === 0)).toBe(true);
    expect(w.stored.payload['walk_forward']).toMatchObject({ mode: 'anchored', train: '4y', test: '2y' });
  }, 30_000);

  it('an interrupt (AbortSignal) cancels the job; it is stored as cancelled', async () => {
    const ac = new AbortController();
    let steps = 0;
    const r = await sq.train('train-it', {
      combos: [passing[0] ?? 0], label: 'tb:3%:3%:10', folds: 3, display: false, signal: ac.signal,
      onProgress: (p) => {
        if (p.steps.some((s) => s.status === 'running') && ++steps === 2) ac.abort();
      },
    });
    expect(r.results[0]?.job.status).toBe('cancelled');
    expect(r.results[0]?.trainedModel).toBeUndefined();
    const job = await expectOk<{ status: string }>(await client.v1['training-jobs'][':id'].$get({ param: { id: r.results[0]?.job.id ?? '' } }), 'job');
    expect(job.status).toBe('cancelled');
  }, 30_000);

  it('a cancel made in the sidecar while the job trains cancels it (seen by the next progress post)', async () => {
    let cancelled: Promise<unknown> | undefined;
    const r = await sq.train('train-it', {
      combos: [passing[1] ?? 0], label: 'tb:3%:3%:10', folds: 3, display: false, progressIntervalMs: 0,
      onProgress: (p) => {
        if (cancelled === undefined && p.steps.some((s) => s.status === 'running')) cancelled = client.v1['training-jobs'][':id'].cancel.$post({ param: { id: p.job_id }, header: {} });
      },
    });
    await cancelled;
    const res = r.results[0];
    expect(res?.job.status).toBe('cancelled');
    expect(res?.outcome?.job.status).toBe('cancelled'); // the engine job itself stopped
    expect(res?.trainedModel).toBeUndefined();
    const job = await expectOk<{ status: string }>(await client.v1['training-jobs'][':id'].$get({ param: { id: res?.job.id ?? '' } }), 'job');
    expect(job.status).toBe('cancelled');
  }, 30_000);
});

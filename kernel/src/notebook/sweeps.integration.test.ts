/**
 * %model, %backtest and %sweep against a real sidecar (in-process, port 0, temp data dir) on real
 * S&P 500 daily bars with the shipped swing pack: create a model (versions only on a new
 * config_hash), backtest it (metrics checked against the engine called directly, run + lineage in
 * the sidecar), a 45-combination simple sweep stored with every combination and its lineage, and
 * two cancelled sweeps (kernel interrupt, cancel made in the sidecar) that keep their partials.
 */
import {
  configHash, loadPack, loadSnapshot, modelConfigHash, parseModelYaml, realDataDir, resolveStrategy, runStrategyBacktest, strategyBacktestRequest, sweepPlan,
} from '@sigmatiq/engine';
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
import { setDefaultLocator, snapshotStoreDir } from './context.js';
import { importData } from './data.js';
import { sweepStatistics } from './leaderboard.js';
import type { ProgressState } from './sweep-view.js';
import type { SidecarCombination } from './registry.js';
import { runModelSweep, runningSweeps, toSidecarCombination } from './sweeps.js';

const runningSweepId = (): string => [...runningSweeps().keys()].at(-1) ?? '';

const SPX = path.join(realDataDir(), 'sp500_daily_1999_2018.csv');
let dir: string;
let sidecar: RunningSidecar;
let locator: SidecarLocator;
let client: SigmatiqClient;
let snapHash: string;
let snapId: string;

interface Shown { out: DisplayOutput; displayId: string | undefined; update: boolean }
const shown: Shown[] = [];
const ctx = (name: string, args: string[], body?: string, signal = new AbortController().signal): MagicContext => ({
  name, args, body, signal,
  out: { stream: () => undefined, display: (out, o) => shown.push({ out, displayId: o?.displayId, update: o?.update === true }), clear: () => undefined },
  kernel: { versions: {}, registry: builtinMagics(), sidecar: locator },
});
const magic = (name: string, args: string[], body?: string, signal?: AbortSignal) =>
  builtinMagics().resolve(name, body === undefined ? 'line' : 'cell').run(ctx(name, args, body, signal));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sq-ksweeps-'));
  sidecar = await startSidecar({ dataDir: dir, port: 0, host: '127.0.0.1' });
  locator = new SidecarLocator({ SIGMATIQ_DATA_DIR: dir, SIGMATIQ_URL: sidecar.url }, dir);
  setDefaultLocator(locator);
  client = (await connectSidecar(locator)).client;
  const snap = await importData(locator, SPX, { symbol: 'SPX' });
  snapHash = snap.snapshot.hash;
  snapId = snap.sidecar.id;
});
afterAll(async () => {
  setDefaultLocator(undefined);
  await sidecar.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get<T>(res: Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>, what: string): Promise<T> {
  return expectOk<T>(await res, what);
}
type Versions = { items: { id: string; version: number; config_yaml: string; config_hash: string }[] };
type Graph = { nodes: { type: string; id: string }[] };
const upstream = async (type: 'run' | 'sweep', id: string): Promise<string[]> =>
  (await get<Graph>(client.v1.lineage[':type'][':id'].$get({ param: { type, id }, query: { direction: 'up', depth: '1' } }), 'lineage')).nodes.filter((n) => n.id !== id).map((n) => `${n.type}:${n.id}`).sort();

describe('models, backtests and sweeps with a real sidecar', () => {
  let modelId = '';
  let versionId = '';

  it('%model create stores a model and a version; the same config adds no version; a changed one does', async () => {
    const out = await magic('model', ['create', 'spx-mr', '--pack', 'swing', '--strategy', 'mean_reversion_swing', '--instrument', 'SPX', '--set', 'exit_k=80', '--data', snapHash.slice(0, 10)]);
    expect(out?.data['text/plain']).toContain('Model spx-mr v1 (created)');
    const again = await sq.model.create('spx-mr', { pack: 'swing', strategy: 'mean_reversion_swing', instrument: 'SPX', set: ['exit_k=80'], data: snapHash });
    expect(again.status).toBe('unchanged');
    modelId = again.model.id;
    versionId = again.version.id;
    const v = await get<Versions>(client.v1.models[':id'].versions.$get({ param: { id: modelId }, query: {} }), 'versions');
    expect(v.items).toHaveLength(1);
    // The sidecar's config_hash (sha256 of the canonical JSON of the parsed YAML) equals the engine's.
    const stored = parseModelYaml(v.items[0]?.config_yaml ?? '');
    expect(v.items[0]?.config_hash).toBe(modelConfigHash(stored));
    expect(stored).toMatchObject({ name: 'spx-mr', strategy: 'mean_reversion_swing', data: snapHash, params: { exit_k: 80 }, pack: { id: 'swing', version: loadPack('swing').pack.version } });

    const yaml = 'pack: swing\nstrategy: mean_reversion_swing\ninstrument: SPX\ndata: ' + snapHash + '\nparams:\n  exit_k: 85\n';
    const v2 = await magic('model', ['spx-mr'], yaml);
    expect(v2?.data['text/plain']).toContain('Model spx-mr v2 (new version)');
    const list = await sq.model.versions('spx-mr');
    expect(list.versions.map((x) => x.version)).toEqual([1, 2]);
    const show = await sq.model.show('spx-mr', { version: 1 });
    expect(show.config.params).toEqual({ exit_k: 80 });
    // Back to the v1 config: a third version (versions are a history, not a set).
    const v3 = await sq.model.create('spx-mr', { pack: 'swing', strategy: 'mean_reversion_swing', instrument: 'SPX', set: ['exit_k=80'], data: snapHash });
    expect(v3.version.version).toBe(3);
    versionId = v3.version.id;
    await expect(magic('model', ['show', 'nope'])).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND', message: expect.stringMatching(/models: spx-mr/) as unknown });
  });

  it('%backtest: metrics as the engine computes them, charts, trades; the run and its lineage in the sidecar', async () => {
    shown.length = 0;
    const trades = await magic('backtest', ['spx-mr', '--from', '2005-01-01', '--to', '2014-12-31']);
    expect(shown.map((s) => Object.keys(s.out.data).sort().join(','))).toEqual(['text/html,text/plain', 'application/vnd.plotly.v1+json,text/plain']);
    expect(trades?.data['text/plain']).toMatch(/^Trades: \d+/);
    // Oracle: the engine called directly (resolveStrategy + runStrategyBacktest) on the same bars cut by hand.
    const all = await loadSnapshot(snapshotStoreDir(locator), snapHash);
    const lo = all.ts.findIndex((t) => t >= Date.parse('2005-01-01T00:00:00Z'));
    const hi = all.ts.findIndex((t) => t >= Date.parse('2015-01-01T00:00:00Z'));
    const bars = { ...all, length: hi - lo, ts: all.ts.subarray(lo, hi), open: all.open.subarray(lo, hi), high: all.high.subarray(lo, hi), low: all.low.subarray(lo, hi), close: all.close.subarray(lo, hi), volume: all.volume.subarray(lo, hi) };
    const direct = await runStrategyBacktest({ ...strategyBacktestRequest(resolveStrategy(loadPack('swing').pack, 'mean_reversion_swing', { exit_k: 80 })), bars });
    const report = await sq.backtest('spx-mr', { from: '2005-01-01', to: '2014-12-31' });
    expect(report.summary.run_hash).toBe(direct.summary.run_hash);
    expect(report.summary.sharpe_ratio).toBe(direct.summary.sharpe_ratio);
    expect(report.summary.total_trades).toBe(direct.summary.total_trades);
    expect(report.data).toMatchObject({ start: '2005-01-03', end: '2014-12-31', bars: hi - lo });
    // The same run again: the sidecar's run is reused (same run_hash).
    expect(report.run.reused).toBe(true);
    const run = await get<{ status: string; run_hash: string; data_snapshot_id: string; config: Record<string, unknown> }>(client.v1.runs[':id'].$get({ param: { id: report.run.id } }), 'run');
    expect(run).toMatchObject({ status: 'completed', data_snapshot_id: snapId, config: { engine_run_hash: direct.summary.run_hash, model_version_id: versionId } });
    expect(await upstream('run', report.run.id)).toEqual([`data_snapshot:${snapId}`, `model_version:${versionId}`].sort());
    const chart = report.figure();
    expect((chart.data[0] as { y: number[] }).y.at(-1)).toBe(report.result.bars.equity.at(-1));
  });

  it('%sweep run: 45 combinations (5 x 3 x 3) stored with metrics, config_hash and gates; lineage; live progress', async () => {
    shown.length = 0;
    const out = await magic('sweep', ['run', 'spx-mr', '--type', 'simple', '--param', 'entry_k=10..30:5', '--param', 'exit_k=70,80,90', '--param', 'risk.stop_loss=0.05,0.08,0.12', '--workers', '1']);
    const text = out?.data['text/plain'] ?? '';
    const id = /Sweep ([0-9a-f-]{36})/.exec(text)?.[1] ?? '';
    expect(text).toContain('45 of 45 run, 0 failed, 45 stored');
    const sweep = await get<{ run: { status: string; progress: number }; model_version_id: string; data_snapshot_id: string; type: string }>(client.v1.sweeps[':id'].$get({ param: { id } }), 'sweep');
    expect(sweep).toMatchObject({ run: { status: 'completed', progress: 1 }, model_version_id: versionId, data_snapshot_id: snapId, type: 'simple' });
    const combos = await get<{ items: { combo_id: number; params: Record<string, number>; config_hash: string; gate_status: string; backtest_metrics: Record<string, number> }[] }>(
      client.v1.sweeps[':id'].combinations.$get({ param: { id }, query: { limit: '100' } }), 'combinations');
    expect(combos.items).toHaveLength(45);
    expect(new Set(combos.items.map((c) => JSON.stringify(c.params))).size).toBe(45);
    // config_hash as the sidecar defines it (docs/http-api.md): sha256 of {model_config_hash, data_hash, params}.
    const mv = await get<{ config_hash: string }>(client.v1['model-versions'][':id'].$get({ param: { id: versionId } }), 'version');
    const snap = await get<{ hash: string }>(client.v1['data-snapshots'][':id'].$get({ param: { id: snapId } }), 'snapshot');
    for (const c of combos.items) expect(c.config_hash).toBe(configHash({ model_config_hash: mv.config_hash, data_hash: snap.hash, params: c.params }));
    expect(await upstream('sweep', id)).toEqual([`data_snapshot:${snapId}`, `model_version:${versionId}`].sort());
    // Gates: one status per combination (the worst of its checks), the same counts as the summary.
    const counts = (g: string) => combos.items.filter((c) => c.gate_status === g).length;
    expect(text).toContain(`PASS ${counts('PASS')} · MARGINAL ${counts('MARGINAL')} · FAIL ${counts('FAIL')}`);
    // The progress display: first shown, then updated in place under the same id.
    const progress = shown.filter((s) => s.displayId?.startsWith('sq-sweep-') === true);
    expect(progress[0]?.update).toBe(false);
    expect(progress.at(-1)?.out.data['text/plain']).toMatch(/completed: 45\/45 \(100%\)/);
    expect(new Set(progress.map((s) => s.displayId)).size).toBe(1);
    // DSR/PBO recorded in the sidecar for %leaderboard and the Leaderboard panel (oracle: the engine's result the view holds).
    const st = await sweepStatistics(client, id);
    expect(st).toMatchObject({ source: 'recorded', trials: 45 });
    const status = await magic('sweep', ['status', id]);
    expect(status?.data['text/plain']).toMatch(/combinations stored\s+45/);
  });

  it('%%sweep with a YAML body: custom TPE with Pareto pruning; every combination stored with its kept flag', async () => {
    const body = ['type: custom', 'sampler: tpe', 'trials: 24', 'seed: 5', 'tag: tpe-yaml', 'space:', '  entry_k: 5..40:5', '  exit_k: 60..95:5', 'pruning: { pareto: true }', 'gates: { min_trades: 10 }', 'from: 2004-01-01'].join('\n');
    const out = await magic('sweep', ['spx-mr', '--workers', '1'], body);
    const id = /Sweep ([0-9a-f-]{36})/.exec(out?.data['text/plain'] ?? '')?.[1] ?? '';
    const sweep = await get<{ tag: string; type: string; run: { status: string; pruning_used: boolean }; quality_gates: Record<string, unknown>; date_range: { start: string } }>(client.v1.sweeps[':id'].$get({ param: { id } }), 'sweep');
    expect(sweep).toMatchObject({ tag: 'tpe-yaml', type: 'custom', run: { status: 'completed', pruning_used: true }, quality_gates: { thresholds: { min_trades: 10 } }, date_range: { start: '2004-01-02' } });
    const combos = await get<{ items: { kept: boolean; params: Record<string, number> }[] }>(client.v1.sweeps[':id'].combinations.$get({ param: { id }, query: { limit: '100' } }), 'combinations');
    expect(combos.items).toHaveLength(24);
    // Pareto pruning keeps the front and marks the rest; both are stored.
    expect(combos.items.some((c) => c.kept)).toBe(true);
    expect(combos.items.some((c) => !c.kept)).toBe(true);
    // A simple sweep over 45 is refused before anything is created (SWS-1001).
    const before = await get<{ items: unknown[] }>(client.v1.sweeps.$get({ query: { limit: '500' } }), 'sweeps');
    await expect(magic('sweep', ['run', 'spx-mr', '--param', 'entry_k=5..40:5', '--param', 'exit_k=60..95:5'])).rejects.toMatchObject({ code: 'SWEEP_CAP_EXCEEDED', message: expect.stringMatching(/^SWS-1001 /) as unknown });
    await expect(magic('sweep', ['run', 'spx-mr', '--param', 'bogus=1,2'])).rejects.toMatchObject({ code: 'SWEEP_UNKNOWN_PARAMETER' });
    const after = await get<{ items: unknown[] }>(client.v1.sweeps.$get({ query: { limit: '500' } }), 'sweeps');
    expect(after.items).toHaveLength(before.items.length);
  });

  const BIG = sweepPlan({ type: 'custom', sampler: 'random', trials: 1500, seed: 1, space: { entry_k: '5..40:1', exit_k: '60..95:1', 'stoch.fastk_period': '5..30:1' }, pbo_blocks: 0 });

  it('streams combinations to the sidecar while the sweep runs; at the end the sidecar holds each once, as the final write would', async () => {
    type Combo = { combo_id: number; kept: boolean; params: Record<string, unknown>; backtest_metrics: Record<string, unknown>; gate_results: Record<string, unknown> };
    const listAll = async (id: string): Promise<Combo[]> =>
      (await get<{ items: Combo[] }>(client.v1.sweeps[':id'].combinations.$get({ param: { id }, query: { limit: '500' } }), 'combinations')).items;
    // Observed from the stream's own callback, which runSweep's caller awaits before completing the sweep:
    // so what is seen here was in the sidecar while the sweep still ran (status read after the combinations).
    const seen: { count: number; status: string }[] = [];
    const plan = { ...BIG, trials: 240, seed: 5, pruning: { pareto: true } };
    const view = await runModelSweep(locator, 'spx-mr', plan, {
      workers: 1, progressIntervalMs: 25,
      onCombinationsStreamed: async (total) => {
        const id = runningSweepId();
        const count = (await listAll(id)).length;
        const s = await get<{ run: { status: string } }>(client.v1.sweeps[':id'].$get({ param: { id } }), 'sweep');
        expect(count).toBe(total);
        seen.push({ count, status: s.run.status });
      },
    });
    expect(view.result.status).toBe('completed');
    expect(view.sweep.run.status).toBe('completed');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((x) => x.status === 'running' && x.count > 0)).toBe(true);
    // Oracle: the records the non-streaming write posts (toSidecarCombination of every final row, kept from Pareto).
    const want = view.result.results.map(toSidecarCombination).filter((c): c is SidecarCombination => !('error' in c)).sort((a, b) => a.combo_id - b.combo_id);
    expect(view.result.pruning.pareto.pruned).toBeGreaterThan(0);
    expect(seen[0]?.count ?? 0).toBeLessThan(want.length);
    const got = await listAll(view.id);
    expect(got.length).toBe(want.length);
    expect(view.stored).toBe(want.length);
    expect(got.map((c) => ({ combo_id: c.combo_id, kept: c.kept, params: c.params, backtest_metrics: c.backtest_metrics, gate_results: c.gate_results }))).toEqual(want);
  });

  it('interrupting (AbortSignal) cancels a running sweep and keeps its partial results as cancelled', async () => {
    const ac = new AbortController();
    const states: ProgressState[] = [];
    const view = await runModelSweep(locator, 'spx-mr', BIG, {
      workers: 1, progressIntervalMs: 100, signal: ac.signal,
      onProgress: (s) => {
        states.push(s);
        if (s.done > 0) ac.abort();
      },
    });
    expect(view.result.status).toBe('cancelled');
    expect(view.result.evaluated).toBeGreaterThan(0);
    expect(view.result.evaluated).toBeLessThan(1500);
    expect(view.sweep.run.status).toBe('cancelled');
    expect(view.stored).toBe(view.result.evaluated - view.result.failed);
    const errors = await get<{ items: { reason_code: string }[] }>(client.v1.sweeps[':id'].errors.$get({ param: { id: view.id }, query: {} }), 'errors');
    expect(errors.items.map((e) => e.reason_code)).toContain('SWS-4001');
    expect(states.at(-1)?.status).toBe('cancelled');
  });

  it('a cancel made in the sidecar (the Leaderboard panel) stops the sweep running in the kernel; partials kept', async () => {
    let requested = false;
    const view = await runModelSweep(locator, 'spx-mr', { ...BIG, seed: 2 }, {
      workers: 1, progressIntervalMs: 100,
      onProgress: (s) => {
        if (s.done > 0 && !requested) {
          requested = true;
          void client.v1.sweeps[':id'].cancel.$post({ param: { id: s.sweepId }, header: {} });
        }
      },
    });
    expect(requested).toBe(true);
    expect(view.cancelledElsewhere).toBe(true);
    expect(view.result.status).toBe('cancelled');
    expect(view.result.evaluated).toBeLessThan(1500);
    expect(view.sweep.run.status).toBe('cancelled');
    const combos = await get<{ items: unknown[] }>(client.v1.sweeps[':id'].combinations.$get({ param: { id: view.id }, query: { limit: '500' } }), 'combinations');
    expect(combos.items.length).toBe(view.stored);
    expect(view.stored).toBeGreaterThan(0);
  });
});

/**
 * runSweep end to end. The pool runs engine/dist (npm test builds first; `npm run build`).
 * Oracles: the backtester's full path (runBacktest) run independently for single combinations,
 * and the DSR formula recomputed from the reported inputs.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../backtest/index.js';
import { generateSyntheticBars } from '../data/index.js';
import { loadPack } from '../packs/index.js';
import { compileStrategy } from '../strategy/index.js';
import { SweepError } from './errors.js';
import { comboConfigHash } from './finalize.js';
import { runSweep, type SweepResult } from './run.js';
import type { SweepSpec } from './spec.js';
import { deflatedSharpe, moments } from './stats/dsr.js';

const bars = generateSyntheticBars({ length: 600, seed: 11, interval: '1d' });
const BT = { fill: 'close' as const, commissionBps: 10, commissionFixed: 0, slippageBps: 0 };
const ENTRY = 'cross_above(sma(close, fast), sma(close, slow))';
const EXIT = 'cross_below(sma(close, fast), sma(close, slow))';
const spec = (over: Partial<SweepSpec> = {}): SweepSpec => ({
  target: { kind: 'rules', entry: ENTRY, exit: EXIT, params: { fast: 5, slow: 20 }, backtest: BT },
  space: { params: [{ name: 'fast', kind: 'range', start: 2, end: 14, step: 3 }, { name: 'slow', kind: 'range', start: 10, end: 40, step: 5 }], conditions: ['fast < slow'] },
  type: 'custom', tier: 'premium', pboBlocks: 8,
  ...over,
});

async function reason(p: Promise<unknown>): Promise<string | undefined> {
  try { await p; } catch (e) { if (e instanceof SweepError) return e.reasonCode; throw e; }
  return undefined;
}
const fingerprint = (r: SweepResult): unknown => ({
  rows: r.results.map((x) => [x.rank, x.combo_id, x.config_hash, x.gate.status, x.kept, x.metrics === undefined ? null : Object.values(x.metrics)]),
  stats: [r.statistics.trials, r.statistics.dsr, r.statistics.pbo, Array.from(r.statistics.pbo_logits ?? [])],
  id: r.sweep_id,
});

describe('runSweep', () => {
  it('config_hash (computed where each combination is evaluated) equals comboConfigHash of its parameters', async () => {
    const s = spec();
    for (const workers of [0, 2]) {
      const r = await runSweep(bars, s, { workers, chunkSize: 4 });
      expect(r.results.length).toBeGreaterThan(10);
      for (const row of r.results) expect(row.config_hash).toBe(comboConfigHash(s.target, row.params));
    }
  });

  it('gives bit-identical results inline and with 1, 2 and 3 workers', async () => {
    const s = spec();
    const runs = await Promise.all([0, 1, 2, 3].map((workers) => runSweep(bars, s, { workers, chunkSize: 3 })));
    const want = fingerprint(runs[0] as SweepResult);
    for (const r of runs.slice(1)) expect(fingerprint(r)).toEqual(want);
    // fast in {2, 5, 8, 11, 14} x slow in {10, 15, ..., 40} = 35; fast < slow drops (11, 10) and (14, 10): 33.
    expect(runs[0]?.evaluated).toBe(33);
  });

  it('each combination equals an independent full backtest; block sums match its returns', async () => {
    const r = await runSweep(bars, spec({ pboBlocks: 2 }), { workers: 0 });
    const best = r.results[0];
    expect(best).toBeDefined();
    const p = best?.params as { fast: number; slow: number };
    const sig = compileStrategy({ entry: ENTRY, exit: EXIT }, { params: { fast: 5, slow: 20 } }).evaluate({ bars, params: p });
    const full = runBacktest(bars, sig, BT);
    // The sweep sums all-in long stretches from the closes' prefix sums (backtest/market.ts): the
    // Sharpe ratio agrees to rounding; the trades, return and drawdown are the same bits.
    expect(Math.abs((best?.metrics?.sharpe_ratio ?? Number.NaN) - full.metrics.sharpe_ratio)).toBeLessThanOrEqual(1e-12 * Math.abs(full.metrics.sharpe_ratio));
    expect(best?.metrics?.total_return).toBe(full.metrics.total_return);
    expect(best?.metrics?.max_drawdown).toBe(full.metrics.max_drawdown);
    expect(best?.metrics?.total_trades).toBe(full.metrics.total_trades);
    // DSR inputs: recompute from the full path's equity (returns with E_-1 = initial capital).
    const eq = full.bars.equity;
    const rets = Array.from(eq, (e, t) => e / (t === 0 ? 100_000 : (eq[t - 1] as number)) - 1);
    const m = moments(rets);
    const d = r.statistics.dsr;
    expect(d?.observations).toBe(600);
    expect(d?.sr).toBeCloseTo(m.mean / m.std, 12);
    expect(d?.skewness).toBeCloseTo(m.skewness, 10);
    expect(d?.trials).toBe(r.evaluated);
    if (d === null || d === undefined) throw new Error('no DSR');
    expect(d.dsr).toBe(deflatedSharpe({ sr: d.sr, trials: d.trials, trialSrVariance: d.trialSrVariance, observations: d.observations, skewness: d.skewness, kurtosis: d.kurtosis }).dsr);
    expect(r.statistics.pbo?.splits).toBe(2);
    expect(r.heatmap?.x).toBe('fast');
    expect(r.leaderboard[0]?.rank).toBe(1);
  });

  it('checks caps, names and data before any work', async () => {
    let calls = 0;
    const onProgress = (): void => { calls++; };
    const big = spec({ type: 'simple', tier: 'pro', space: { params: [{ name: 'fast', kind: 'range', start: 2, end: 48, step: 1 }, { name: 'slow', kind: 'list', values: [50] }] } });
    expect(await reason(runSweep(bars, big, { workers: 0, onProgress }))).toBe('SWS-1001');
    expect(await reason(runSweep(bars, spec({ type: 'custom', tier: 'free' }), { workers: 0, onProgress }))).toBe('SWS-1002');
    expect(await reason(runSweep(bars, spec({ space: { params: [{ name: 'fsat', kind: 'list', values: [3] }] } }), { workers: 0, onProgress }))).toBe('SWS-1008');
    expect(await reason(runSweep(generateSyntheticBars({ length: 10, seed: 1 }), spec({ pboBlocks: 16 }), { workers: 0, onProgress }))).toBe('SWS-2001');
    expect(await reason(runSweep(bars, spec({ pboBlocks: 3 }), { workers: 0, onProgress }))).toBe('SWS-1009');
    expect(calls).toBe(0);
    // Exactly at the simple cap: 45 combinations run.
    const at = spec({ type: 'simple', tier: 'free', space: { params: [{ name: 'fast', kind: 'range', start: 2, end: 46, step: 1 }, { name: 'slow', kind: 'list', values: [50] }] } });
    expect((await runSweep(bars, at, { workers: 0 })).evaluated).toBe(45);
  });

  it('records a failing combination (SWS-3001) and keeps the others', async () => {
    const s = spec({ space: { params: [{ name: 'fast', kind: 'list', values: [0, 3, 5] }, { name: 'slow', kind: 'list', values: [20] }] } });
    const r = await runSweep(bars, s, { workers: 0 });
    expect(r.failed).toBe(1);
    expect(r.errors[0]?.reason_code).toBe('SWS-3001');
    const bad = r.results.find((x) => x.params['fast'] === 0);
    expect(bad?.gate.status).toBe('FAIL');
    expect(bad?.rank).toBe(3);
    expect(bad?.error?.reason_code).toBe('SWS-3001');
  });

  it('cancels through an AbortSignal and keeps the partial results (status cancelled, SWS-4001)', async () => {
    // Inline: the first chunk runs synchronously, then the driver yields; abort() lands there, so
    // exactly one chunk (one combination) completes.
    const ac = new AbortController();
    const pending = runSweep(bars, spec(), { workers: 0, chunkSize: 1, signal: ac.signal });
    ac.abort();
    const r = await pending;
    expect(r.status).toBe('cancelled');
    expect(r.evaluated).toBe(1);
    expect(r.results[0]?.metrics).toBeDefined();
    expect(r.errors.at(-1)?.reason_code).toBe('SWS-4001');
    // Pool: at most the tasks in flight (2 per worker) can finish; running ones are aborted.
    const ac2 = new AbortController();
    const pending2 = runSweep(bars, spec(), { workers: 2, chunkSize: 1, signal: ac2.signal });
    ac2.abort();
    const r2 = await pending2;
    expect(r2.status).toBe('cancelled');
    expect(r2.evaluated).toBeLessThanOrEqual(4);
    expect(r2.results.every((x) => x.metrics !== undefined)).toBe(true);
    expect(r2.errors.at(-1)?.reason_code).toBe('SWS-4001');
    // Already aborted before the start: SWS-4001 is thrown and nothing runs.
    expect(await reason(runSweep(bars, spec(), { workers: 0, signal: AbortSignal.abort() }))).toBe('SWS-4001');
  });

  it('reports progress with done/total, ETA and the best so far, ending at done = total', async () => {
    const seen: { done: number; total: number; best: number | undefined; eta: number; phase: string }[] = [];
    await runSweep(bars, spec(), { workers: 0, chunkSize: 2, progressIntervalMs: 1, onProgress: (p) => seen.push({ done: p.done, total: p.total, best: p.best?.sharpe_ratio, eta: p.eta_ms, phase: p.phase }) });
    const last = seen.at(-1);
    expect(seen[0]?.phase).toBe('running');
    expect(last?.phase).toBe('done');
    expect(seen.filter((x) => x.phase === 'done').length).toBe(1);
    expect(last?.done).toBe(33);
    expect(last?.total).toBe(33);
    expect(last?.eta).toBe(0);
    expect(last?.best).toBeDefined();
    for (let i = 1; i < seen.length; i++) expect((seen[i]?.done ?? 0) >= (seen[i - 1]?.done ?? 0)).toBe(true);
  });

  it('Kendall early stop and Pareto pruning are optional, reported and deterministic across workers', async () => {
    const s = spec({
      sampler: 'random', trials: 400, seed: 3, type: 'custom', tier: 'premium',
      space: { params: [{ name: 'fast', kind: 'range', start: 2, end: 40, step: 1 }, { name: 'slow', kind: 'range', start: 20, end: 120, step: 2 }], conditions: ['fast < slow'] },
      pruning: { pareto: true, kendall: { window: 25, topN: 3, checks: 2, threshold: 0.95 } },
    });
    const [a, b] = await Promise.all([runSweep(bars, s, { workers: 0 }), runSweep(bars, s, { workers: 2 })]);
    expect(fingerprint(b)).toEqual(fingerprint(a));
    const r = a;
    expect(r.pruning_used).toBe(true);
    expect(r.pruning.kendall.stopped).toBe(true);
    expect(r.evaluated % 25).toBe(0);
    expect(r.evaluated).toBeLessThan(400);
    expect(r.pruning.kendall.checks.slice(-2).every((c) => c.tau >= 0.95)).toBe(true);
    expect(r.pruning.kendall.skipped).toBe(400 - r.evaluated);
    expect(r.pruning.pareto.pruned).toBe(r.results.filter((x) => x.metrics !== undefined && !x.kept).length);
    expect(r.pruning.pareto.pruned).toBeGreaterThan(0);
    const off = await runSweep(bars, { ...s, pruning: {} }, { workers: 0 });
    expect(off.pruning_used).toBe(false);
    expect(off.evaluated).toBe(400);
  });

  it('sweeps a pack strategy over a pack key with the pack GatePolicy (overridable) and caps off when asked', async () => {
    const { pack } = loadPack('swing');
    const s: SweepSpec = {
      target: { kind: 'pack', pack },
      space: { params: [{ name: 'rsi.period', kind: 'list', values: [10, 14] }, { name: 'fee_bps', kind: 'list', values: [0, 10] }] },
      gates: { thresholds: { min_trades: 1 } },
      pboBlocks: 4,
    };
    const r = await runSweep(bars, s, { workers: 0 });
    expect(r.evaluated).toBe(4);
    expect(r.gates.thresholds).toMatchObject({ ...pack.gates.quality, min_trades: 1 });
    // Swept fee_bps reaches the backtest config, so the four config hashes differ.
    expect(new Set(r.results.map((x) => x.config_hash)).size).toBe(4);
    expect(await reason(runSweep(bars, { ...s, space: { params: [{ name: 'rsi.period', kind: 'list', values: [1] }] } }, { workers: 0 }))).toBe('SWS-1003');
    expect(await reason(runSweep(bars, { ...s, space: { params: [{ name: 'nope.period', kind: 'list', values: [3] }] } }, { workers: 0 }))).toBe('SWS-1008');
    const big = spec({ type: 'simple', tier: 'free', pboBlocks: 0, space: { params: [{ name: 'fast', kind: 'range', start: 2, end: 49, step: 1 }, { name: 'slow', kind: 'list', values: [50] }] } });
    const off = await runSweep(bars, big, { workers: 0, enforceCaps: false });
    expect(off.evaluated).toBe(48);
    expect(off.caps_enforced).toBe(false);
    expect(off.statistics.pbo).toBeNull();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { progressText } from '../notebook/sweep-view.js';
import { toSidecarCombination } from '../notebook/sweeps.js';
import { SidecarLocator } from '../sidecar/locate.js';
import { builtinMagics } from './index.js';
import type { MagicContext } from './registry.js';
import { planFromFlags, sweepMagic } from './sweep.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sq-sweepmagic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx = (args: string[], body?: string): MagicContext => ({
  name: 'sweep', args, body, signal: new AbortController().signal,
  out: { stream: () => undefined, display: () => undefined, clear: () => undefined },
  kernel: { versions: {}, registry: builtinMagics(), sidecar: new SidecarLocator({ SIGMATIQ_DATA_DIR: dir }, dir) },
});

describe('%sweep arguments (checked before any sidecar call)', () => {
  it.each([
    [[], 'MAGIC_USAGE', /needs a sub-command/],
    [['go'], 'MAGIC_USAGE', /unknown sub-command "go"/],
    [['run'], 'MAGIC_USAGE', /run needs <model>/],
    [['run', 'm'], 'MAGIC_USAGE', /at least one --param/],
    [['run', 'm', '--param', 'exit_k'], 'MAGIC_USAGE', /--param needs NAME=SPEC/],
    [['run', 'm', '--param', 'a=1,2', '--param', 'a=3'], 'MAGIC_USAGE', /--param a is given twice/],
    [['run', 'm', '--param', 'a=1,2', '--trials', '1.5'], 'MAGIC_USAGE', /--trials must be an integer >= 1/],
    [['run', 'm', '--param', 'a=1,2', '--seed', '-1'], 'MAGIC_USAGE', /--seed must be an integer >= 0/],
    [['run', 'm', '--param', 'a=1,2', '--type', 'huge'], 'SWEEP_PLAN_INVALID', /^type: /],
    [['run', 'm', '--param', 'a=1,2', '--sampler', 'anneal'], 'SWEEP_PLAN_INVALID', /^sampler: /],
    [['run', 'm', '--param', 'a=1,2', '--from', '2020/01/01'], 'SWEEP_PLAN_INVALID', /^from: must be a date/],
    [['status'], 'MAGIC_USAGE', /status needs <id>/],
    [['cancel', 'a', 'b'], 'MAGIC_USAGE', /unexpected argument "b"/],
  ])('%%sweep %j -> %s', async (args, code, message) => {
    await expect(sweepMagic.run(ctx(args))).rejects.toMatchObject({ code, message: expect.stringMatching(message) as unknown });
  });
  it('%%sweep: one model and a valid YAML body (line:col)', async () => {
    await expect(sweepMagic.run(ctx([], 'space: { a: [1] }'))).rejects.toMatchObject({ code: 'MAGIC_USAGE' });
    await expect(sweepMagic.run(ctx(['m'], 'space: { a: [1] }\nsampler: anneal\n'))).rejects.toMatchObject({ code: 'SWEEP_PLAN_INVALID', message: expect.stringMatching(/^%%sweep m:2:10: sampler:/) as unknown });
  });
  it('a valid plan needs the sidecar: SIDECAR_UNAVAILABLE', async () => {
    await expect(sweepMagic.run(ctx(['run', 'm', '--param', 'exit_k=70,80']))).rejects.toMatchObject({ code: 'SIDECAR_UNAVAILABLE' });
  });
});

describe('planFromFlags', () => {
  it('builds the plan the YAML form gives', () => {
    const plan = planFromFlags(sweepMagic, { param: ['entry_k=10..30:5', 'exit_k=70,80,90'], type: 'custom', sampler: 'tpe', trials: '100', seed: '3', cond: ['entry_k < exit_k'], pareto: true, data: 'abcd' });
    expect(plan).toEqual({
      type: 'custom', sampler: 'tpe', trials: 100, seed: 3, conditions: ['entry_k < exit_k'], pruning: { pareto: true }, data: 'abcd',
      params: [{ name: 'entry_k', kind: 'range', start: 10, end: 30, step: 5 }, { name: 'exit_k', kind: 'list', values: [70, 80, 90] }],
    });
  });
});

describe('sidecar records and progress text', () => {
  const metrics = { total_return: 0.1, annualized_return: 0.02, sharpe_ratio: 0.5, sortino_ratio: 0.7, max_drawdown: 0.1, win_rate: 0.5, profit_factor: 1.2, total_trades: 40, avg_trade_duration_days: 5, best_trade: 0.1, worst_trade: -0.05, avg_winner: 0.02, avg_loser: -0.01, calmar_ratio: 0.2, exposure: 0.3 };
  const gate = { status: 'MARGINAL' as const, checks: [{ check: 'min_trades' as const, threshold: 30, relaxed: 24, value: 40, status: 'PASS' as const }, { check: 'min_sharpe' as const, threshold: 0.7, relaxed: 0.6, value: 0.5, status: 'MARGINAL' as const }] };
  it('keeps the 13 dictionary metrics and one gate status per check', () => {
    const c = toSidecarCombination({ combo_id: 3, params: { a: 1 }, config_hash: 'h', metrics, gate, kept: true, rank: 1 });
    if ('error' in c) throw new Error(c.error);
    expect(Object.keys(c.backtest_metrics)).toHaveLength(13);
    expect(c.backtest_metrics).not.toHaveProperty('calmar_ratio');
    expect(c.gate_results).toEqual({ min_trades: 'PASS', min_sharpe: 'MARGINAL' });
  });
  it('refuses failed combinations and non-finite metrics (recorded as errors instead)', () => {
    expect(toSidecarCombination({ combo_id: 1, params: {}, config_hash: 'h', metrics: undefined, gate, kept: false, rank: 2, error: { reason_code: 'SWS-3001', code: 'EXPR', message: 'bad' } })).toEqual({ error: 'EXPR: bad' });
    expect(toSidecarCombination({ combo_id: 1, params: {}, config_hash: 'h', metrics: { ...metrics, sharpe_ratio: Number.NaN }, gate, kept: true, rank: 2 })).toEqual({ error: 'metric sharpe_ratio is NaN' });
    expect(toSidecarCombination({ combo_id: 1, params: {}, config_hash: 'h', metrics: { ...metrics, profit_factor: Number.NEGATIVE_INFINITY }, gate, kept: true, rank: 2 })).toEqual({ error: 'metric profit_factor is -Infinity' });
  });
  it('stores an infinite profit factor (winners, no loser) as null, the sidecar meaning of +∞', () => {
    const c = toSidecarCombination({ combo_id: 4, params: {}, config_hash: 'h', metrics: { ...metrics, profit_factor: Number.POSITIVE_INFINITY }, gate, kept: true, rank: 1 });
    if ('error' in c) throw new Error(c.error);
    expect(c.backtest_metrics.profit_factor).toBeNull();
    expect(c.backtest_metrics.sharpe_ratio).toBe(metrics.sharpe_ratio);
  });
  it('the progress line has done/total, percent, ETA and the best so far', () => {
    const text = progressText({ sweepId: 's1', model: 'm', status: 'running', done: 9, total: 45, elapsedMs: 2000, etaMs: 8000, best: { combo_id: 4, params: { a: 2 }, sharpe_ratio: 0.81234 }, phase: 'running' });
    expect(text).toBe('Sweep s1 [m] running: 9/45 (20%) · 2 s elapsed · ETA 8 s · best Sharpe 0.812 (combo 4: a=2)');
  });
});

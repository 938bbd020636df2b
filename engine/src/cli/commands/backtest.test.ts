// The backtest command run in-process through runCli on the real data files.
// Oracles: the data layer's own import (bars count, data hash) and the engine API called directly
// with the same rules and config (the command must add nothing and lose nothing).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStrategyBacktest } from '../../backtest/index.js';
import { importBars, realDataDir } from '../../data/index.js';
import { runCli } from '../run.js';
import { parseParams } from './backtest.js';

const dir = mkdtempSync(join(tmpdir(), 'sigmatiq-backtest-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) };
}

const SPX = join(realDataDir(), 'sp500_daily_1999_2018.csv');
const ENTRY = 'cross_above(sma(close, fast), sma(close, slow))';
const EXIT = 'cross_below(sma(close, fast), sma(close, slow))';
const METRIC_KEYS = ['total_return', 'annualized_return', 'sharpe_ratio', 'sortino_ratio', 'max_drawdown', 'win_rate', 'profit_factor', 'total_trades', 'avg_trade_duration_days', 'best_trade', 'worst_trade', 'avg_winner', 'avg_loser', 'calmar_ratio', 'exposure'];

describe('sigmatiq backtest', () => {
  it('--entry/--exit with params: one JSON object equal to the engine API on the same data', async () => {
    const io = capture();
    const code = await runCli(['backtest', SPX, '--entry', ENTRY, '--exit', EXIT, '--param', 'fast=20', '--param', 'slow=50', '--fee-bps', '2', '--slippage-bps', '3', '--size-fraction', '0.5', '--fill', 'close', '--json'], io);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    expect(io.out).toHaveLength(1);
    const got = JSON.parse(io.out[0] ?? '') as Record<string, unknown>;
    for (const k of [...METRIC_KEYS, 'run_hash', 'data_hash', 'bars', 'trades']) expect(got).toHaveProperty(k);
    const imported = await importBars(SPX);
    expect(got.bars).toBe(imported.bars.length);
    expect(got.data_hash).toBe(imported.hash);
    const direct = await runStrategyBacktest({
      bars: imported.bars,
      dataHash: imported.hash,
      entry: ENTRY,
      exit: EXIT,
      params: { fast: 20, slow: 50 },
      config: { commissionBps: 2, slippageBps: 3, sizing: { mode: 'fixed_fraction', fraction: 0.5 }, fill: 'close' },
    });
    for (const k of METRIC_KEYS) expect(got[k]).toBe(direct.summary[k as keyof typeof direct.summary]);
    expect(got.run_hash).toBe(direct.summary.run_hash);
    expect(got.trades).toBe(direct.summary.total_trades);
    expect(got.trades).toBeGreaterThan(10);
  });

  it('a repeated run with --store prints the identical object (reused by run_hash)', async () => {
    const store = join(dir, 'runs');
    const args = ['backtest', SPX, '--entry', 'close > sma(close, 50)', '--exit', 'close < sma(close, 50)', '--store', store, '--json'];
    const a = capture();
    const b = capture();
    expect(await runCli(args, a)).toBe(0);
    expect(await runCli(args, b)).toBe(0);
    expect(b.out).toEqual(a.out);
    const hash = (JSON.parse(a.out[0] ?? '') as { run_hash: string }).run_hash;
    expect(readdirSync(store)).toContain(`${hash}.json`);
  });

  it('--pack with a strategy runs the pack rules and policies', async () => {
    const io = capture();
    const code = await runCli(['backtest', SPX, '--pack', 'swing', '--strategy', 'mean_reversion_swing', '--json'], io);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    const got = JSON.parse(io.out[0] ?? '') as { bars: number; total_trades: number };
    expect(got.bars).toBe(5031);
  });

  it('bad input: exit code != 0 and one ERROR line with code and location', async () => {
    const parse = capture();
    expect(await runCli(['backtest', SPX, '--entry', 'close > sma(close, 20', '--exit', 'false', '--json'], parse)).not.toBe(0);
    expect(parse.err).toHaveLength(1);
    expect(parse.err[0]).toMatch(/^ERROR EXPR_PARSE: .*column 22/);
    const unknown = capture();
    expect(await runCli(['backtest', SPX, '--entry', 'rsy_14 < 30', '--exit', 'false'], unknown)).not.toBe(0);
    expect(unknown.err[0]).toMatch(/^ERROR EXPR_UNKNOWN_NAME: .*rsy_14/);
    const both = capture();
    expect(await runCli(['backtest', SPX, '--pack', 'swing', '--entry', 'true', '--exit', 'false'], both)).not.toBe(0);
    expect(both.err[0]).toMatch(/^ERROR CLI_MISSING_FLAG/);
    const badFill = capture();
    expect(await runCli(['backtest', SPX, '--entry', 'true', '--exit', 'false', '--fill', 'open'], badFill)).not.toBe(0);
    expect(badFill.err[0]).toMatch(/^ERROR CLI_BAD_VALUE: --fill/);
    const missing = capture();
    expect(await runCli(['backtest', join(dir, 'nope.csv'), '--entry', 'true', '--exit', 'false'], missing)).not.toBe(0);
    expect(missing.err[0]).toMatch(/^ERROR DATA_FILE_NOT_FOUND/);
  });

  it('parses --param k=v', () => {
    expect(parseParams(['fast=10', 'risk.stop_loss=0.05', 'x=-1e-3'])).toEqual({ fast: 10, 'risk.stop_loss': 0.05, x: -0.001 });
    expect(() => parseParams(['fast'])).toThrow(/name=number/);
    expect(() => parseParams(['fast=abc'])).toThrow(/name=number/);
    expect(() => parseParams(['a=1', 'a=2'])).toThrow(/twice/);
  });
});

describe('sigmatiq backtest on every real data file', () => {
  const files = readdirSync(realDataDir()).filter((f) => f.endsWith('.csv')).sort();
  it.each(files)('%s', async (file) => {
    const io = capture();
    const code = await runCli(['backtest', join(realDataDir(), file), '--entry', 'cross_above(ema(close, 5), sma(close, 20))', '--exit', 'cross_below(ema(close, 5), sma(close, 20))', '--json'], io);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    const got = JSON.parse(io.out[0] ?? '') as Record<string, number>;
    for (const k of METRIC_KEYS) {
      // profit_factor is +∞ (null in JSON) exactly when there are winners and no loser (docs/backtest.md),
      // e.g. msft_daily_2003 (65 bars) has a single, winning trade.
      if (k === 'profit_factor' && got[k] === null) expect([got.win_rate, got.avg_loser]).toEqual([1, 0]);
      else expect(Number.isFinite(got[k])).toBe(true);
    }
    expect(got.bars).toBeGreaterThan(0);
  });
});

// Oracle: the CSV rows are checked against runSweep's own API result only for shape; the values of
// a combination are checked against an independent full backtest in engine/src/sweep/run.test.ts.
// Here: the command's contract (columns, one row per combination, summary line, exit codes).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realDataDir } from '../../data/index.js';
import { METRIC_KEYS } from '../../sweep/leaderboard/types.js';
import { runCli } from '../run.js';

const dir = mkdtempSync(join(tmpdir(), 'sigmatiq-sweep-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bars = join(realDataDir(), 'nvda_daily_1999_2014.csv');

function capture(): { out: string[]; err: string[]; stdout: (l: string) => void; stderr: (l: string) => void } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
}

describe('sigmatiq sweep', () => {
  it('writes one CSV row per combination and a summary line with combos, seconds, DSR and PBO', async () => {
    const io = capture();
    const out = join(dir, 'results.csv');
    const code = await runCli([
      'sweep', bars, '--entry', 'cross_above(sma(close, fast), sma(close, slow))', '--exit', 'cross_below(sma(close, fast), sma(close, slow))',
      '--param', 'fast=5..25:5', '--param', 'slow=20,50,100', '--cond', 'fast < slow', '--fill', 'close', '--fee-bps', '10',
      '--workers', '0', '--type', 'simple', '--tier', 'free', '--out', out,
    ], io);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    // fast 5..25 step 5 (5 values) x slow {20, 50, 100} with fast < slow: 3 + 5 + 5 = 13.
    expect(lines.length).toBe(1 + 13);
    expect(lines[0]).toBe(['rank', 'combo_id', 'fast', 'slow', ...METRIC_KEYS, 'calmar_ratio', 'exposure', 'gate', 'kept', 'config_hash', 'error'].join(','));
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    for (const l of lines.slice(1)) expect(l).toMatch(/,(PASS|MARGINAL|FAIL),true,[0-9a-f]{64},$/);
    expect(io.out.at(-1)).toMatch(/^sweep sw_[0-9a-f]+ completed: combos 13\/13 \(failed 0\) in [\d.]+ s; DSR [\d.]+ \(trials 13.*; PBO [\d.]+ \(16 blocks, 12870 splits\)/);
  });

  it('runs a pack strategy (swing) over a pack parameter', async () => {
    const io = capture();
    const code = await runCli(['sweep', bars, '--pack', 'swing', '--param', 'rsi.period=10,14', '--workers', '0', '--pbo-blocks', '4'], io);
    expect(io.err).toEqual([]);
    expect(code).toBe(0);
    expect(io.out[0]?.startsWith('rank,combo_id,rsi.period,')).toBe(true);
    expect(io.out.length).toBe(1 + 2 + 1);
  });

  it('refuses a sweep over its cap before any work, with the SWS code on one line', async () => {
    const io = capture();
    const code = await runCli(['sweep', bars, '--entry', 'close > sma(close, n)', '--exit', 'close < sma(close, n)', '--param', 'n=2..50', '--workers', '0'], io);
    expect(code).toBe(1);
    expect(io.err.length).toBe(1);
    expect(io.err[0]).toMatch(/^ERROR SWEEP_CAP_EXCEEDED: SWS-1001 /);
    const io2 = capture();
    expect(await runCli(['sweep', bars, '--entry', 'close > sma(close, n)', '--exit', 'close < sma(close, n)', '--param', 'n=2..5', '--type', 'custom'], io2)).toBe(1);
    expect(io2.err[0]).toMatch(/^ERROR SWEEP_TIER_NOT_ALLOWED: SWS-1002 /);
    const io3 = capture();
    expect(await runCli(['sweep', bars, '--entry', 'close > sma(close, n)', '--exit', 'close < sma(close, n)', '--param', 'n=5..2'], io3)).toBe(1);
    expect(io3.err[0]).toMatch(/^ERROR SWEEP_INVALID_SPACE: SWS-1003 /);
  });
});

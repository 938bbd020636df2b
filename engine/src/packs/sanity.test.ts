import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bars } from '../data/bars.js';
import { runStrategyBacktest } from '../backtest/index.js';
import { parsePack } from './load.js';
import { resolveStrategy, strategyBacktestRequest } from './resolve.js';
import { SANITY_THRESHOLDS, sanityStep } from './sanity.js';
import { loadSanityBars, validatePackOnData } from './sanity-data.js';
import { validatePackYaml } from './validate.js';

const PACKS = resolve(__dirname, '../../../packs');
const text = (id: string): string => readFileSync(join(PACKS, `${id}.yaml`), 'utf8');

function mutate(src: string, from: string, to: string): string {
  const at = src.indexOf(from);
  expect(at, `'${from}' must occur in the pack`).toBeGreaterThanOrEqual(0);
  expect(src.indexOf(from, at + 1), `'${from}' must occur once`).toBe(-1);
  return src.slice(0, at) + to + src.slice(at + from.length);
}

/** Each shipped pack and the real data file it is proven on (docs/packs.md). */
const SHIPPED = [
  ['swing', 'yhoo_daily_1996_2015.csv', 3],
  ['futures-trend', 'sp500_daily_1999_2018.csv', 2],
  ['index-mean-reversion', 'sp500_daily_1999_2018.csv', 2],
] as const;

let sp500: Bars;
let eurusdH1: Bars;

beforeAll(async () => {
  sp500 = await loadSanityBars('sp500_daily_1999_2018.csv');
  eurusdH1 = await loadSanityBars('eurusd_h1_2017_2018.csv');
});

describe('shipped packs pass validation, sanity backtest included, on real data', () => {
  for (const [id, file, strategies] of SHIPPED) {
    it(`${id} on ${file}`, async () => {
      const r = await validatePackOnData(id, file);
      expect(r.errors).toEqual([]);
      expect(r.status).toBe('PASS');
      expect(r.pack_id).toBe(id);
      expect(r.sanity).toHaveLength(strategies);
      for (const s of r.sanity ?? []) {
        expect(s.years).toBeGreaterThanOrEqual(SANITY_THRESHOLDS.min_years);
        expect(s.total_trades).toBeGreaterThanOrEqual(SANITY_THRESHOLDS.min_trades);
      }
    });
  }
});

describe('sanity failures carry their codes', () => {
  it('PACK_SANITY_FEW_TRADES: an RSI(3) level of 2 almost never triggers', () => {
    const src = mutate(text('index-mean-reversion'), 'default: 15, step: 5', 'default: 2, step: 5');
    const r = validatePackYaml(src, { sanity: sanityStep(sp500) });
    expect(r.status).toBe('FAIL');
    expect(r.errors).toContainEqual(expect.objectContaining({ code: 'PACK_SANITY_FEW_TRADES', path: 'strategies[0]', strategy: 'rsi_pullback' }));
    const trades = r.sanity?.find((s) => s.strategy === 'rsi_pullback')?.total_trades ?? Infinity;
    expect(trades).toBeLessThan(30);
  });

  it('PACK_SANITY_SHORT_HISTORY: 5000 hourly EUR/USD bars are 5000 / (252 x 24 = 6048) = 0.83 years', () => {
    const src = mutate(text('futures-trend'), 'timeframes: [1d]', 'timeframes: [1d, 1h]');
    const r = validatePackYaml(src, { sanity: sanityStep(eurusdH1) });
    expect(eurusdH1.length).toBe(5000);
    expect(r.errors).toEqual([expect.objectContaining({ code: 'PACK_SANITY_SHORT_HISTORY' })]);
    expect(r.errors[0]?.message).toContain('0.827 years');
  });

  it('PACK_SANITY_TIMEFRAME_MISMATCH: a daily pack on hourly bars', () => {
    const r = validatePackYaml(text('swing'), { sanity: sanityStep(eurusdH1) });
    expect(r.errors).toEqual([expect.objectContaining({ code: 'PACK_SANITY_TIMEFRAME_MISMATCH', path: 'timeframes' })]);
  });

  it('PACK_SANITY_LOW_SHARPE for the default strategy, PACK_SANITY_WEAK_STRATEGY (warning) for another', () => {
    const src = text('futures-trend');
    const shortDefault = mutate(src, 'side: long\n    entry_logic: mom > mom_entry', 'side: short\n    entry_logic: mom > mom_entry');
    const r = validatePackYaml(shortDefault, { sanity: sanityStep(sp500) });
    expect(r.status).toBe('FAIL');
    expect(r.errors).toContainEqual(expect.objectContaining({ code: 'PACK_SANITY_LOW_SHARPE', strategy: 'time_series_momentum' }));
    const shortOther = mutate(src, 'side: long\n    entry_logic: ema_fast > ema_slow', 'side: short\n    entry_logic: ema_fast > ema_slow');
    const r2 = validatePackYaml(shortOther, { sanity: sanityStep(sp500) });
    expect(r2.status).toBe('PASS');
    expect(r2.warnings).toEqual([expect.objectContaining({ code: 'PACK_SANITY_WEAK_STRATEGY', strategy: 'ema_trend', path: 'strategies[1]' })]);
  });

  it('PACK_SANITY_NO_DATA for empty bars; looser thresholds are refused', () => {
    const empty: Bars = { ...sp500, length: 0, ts: new Float64Array(0), open: new Float64Array(0), high: new Float64Array(0), low: new Float64Array(0), close: new Float64Array(0), volume: new Float64Array(0) };
    expect(validatePackYaml(text('swing'), { sanity: sanityStep(empty) }).errors).toEqual([expect.objectContaining({ code: 'PACK_SANITY_NO_DATA' })]);
    const loose = validatePackYaml(text('futures-trend'), { sanity: sanityStep(sp500, { thresholds: { min_trades: 5 } }) });
    expect(loose.errors).toEqual([expect.objectContaining({ code: 'PACK_SANITY_FAILED' })]);
  });

  it('a pack with errors skips the sanity backtest (warning) instead of running it', () => {
    const src = mutate(text('futures-trend'), 'indicator: roc', 'indicator: rocc');
    const r = validatePackYaml(src, { sanity: sanityStep(sp500) });
    expect(r.errors.map((e) => e.code)).toEqual(['PACK_INDICATOR_UNKNOWN']);
    expect(r.warnings.map((w) => w.code)).toEqual(['PACK_SANITY_SKIPPED']);
    expect(r.sanity).toBeUndefined();
  });

  it('validatePackOnData reports a broken pack file instead of throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'packs-'));
    writeFileSync(join(dir, 'broken.yaml'), mutate(text('swing'), 'pack_id: swing', 'pack_id: broken\nvibe: 1'));
    const r = await validatePackOnData('broken', 'sp500_daily_1999_2018.csv', { packsDir: dir });
    expect(r.status).toBe('FAIL');
    expect(r.errors).toEqual([expect.objectContaining({ code: 'PACK_SCHEMA', path: 'vibe', line: 4, col: 1 })]);
  });
});

describe('the resolver feeds runStrategyBacktest', () => {
  it('the full backtest path gives the sanity (metrics-only) path the same numbers for futures-trend', async () => {
    // Two independent routes through the engine: runStrategyBacktest (full records) vs the sanity
    // step's backtestMetrics fast path. futures-trend sizes by volatility target, so the sanity
    // run uses the pack config unchanged and both must agree bit for bit.
    const { pack } = parsePack(text('futures-trend'));
    const sanity = validatePackYaml(text('futures-trend'), { sanity: sanityStep(sp500) }).sanity ?? [];
    for (const s of pack.strategies) {
      const out = await runStrategyBacktest({ bars: sp500, ...strategyBacktestRequest(resolveStrategy(pack, s.id)) });
      const fast = sanity.find((x) => x.strategy === s.id);
      expect(out.summary.total_trades).toBe(fast?.total_trades);
      expect(out.summary.sharpe_ratio).toBe(fast?.sharpe_ratio);
      expect(out.summary.max_drawdown).toBe(fast?.max_drawdown);
    }
  });
});

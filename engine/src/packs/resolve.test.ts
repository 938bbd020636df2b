import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBacktestConfig } from '../backtest/index.js';
import { compileStrategy } from '../strategy/index.js';
import { parsePack } from './load.js';
import { resolveStrategy } from './resolve.js';

const { pack } = parsePack(readFileSync(resolve(__dirname, '../../../packs/swing.yaml'), 'utf8'), 'swing.yaml');

describe('resolveStrategy', () => {
  it('joins entry rules with and, exit rules with or; params are levels + strategy params', () => {
    const r = resolveStrategy(pack, 'mean_reversion_swing');
    expect(r.entry).toBe('(stoch_k < entry_k) and (cross_above(stoch_k, stoch_d))');
    expect(r.exit).toBe('stoch_k > exit_k');
    expect(r.params).toEqual({ rsi_overbought: 70, rsi_oversold: 30, adx_threshold: 25, entry_k: 20, exit_k: 80 });
    const two = { ...pack, strategies: [{ ...pack.strategies[0], id: 'two', name: 'Two', side: 'long' as const, params: {}, entry_logic: ['close > 1'], exit_logic: ['close < 1', 'rsi > 80'] }] };
    expect(resolveStrategy(two, 'two')).toMatchObject({ entry: 'close > 1', exit: '(close < 1) or (rsi > 80)' });
    expect(r.side).toBe('long');
    expect(r.gates.quality).toEqual({ min_trades: 30, min_sharpe: 0.7, max_drawdown: 0.25, min_win_rate: 0.4 });
  });

  it('indicator outputs become aliases of registry columns', () => {
    const r = resolveStrategy(pack, 'momentum_swing');
    expect(r.compile.aliases).toMatchObject({
      rsi: 'rsi_14',
      macd: 'macd_12_26_9',
      macd_signal: 'macd_signal_12_26_9',
      ema_fast: 'ema_20',
      ema_slow: 'ema_50',
      bb_lower: 'bb_lower_20_2',
      adx: 'adx_14',
      adx_plus_di: 'plus_di_14',
    });
    // and the whole strategy compiles with them
    expect(() => compileStrategy({ entry: r.entry, exit: r.exit }, r.compile)).not.toThrow();
  });

  it('maps the policies to the backtest engine config (swing: Kelly capped at 5 %, 8 % stop, 16 % target, 5 % trail, 10-bar time stop)', () => {
    const r = resolveStrategy(pack, 'breakout_swing');
    const cfg = resolveBacktestConfig(r.backtest);
    expect(cfg).toMatchObject({
      fill: 'next_open',
      direction: 'long',
      commissionBps: 1,
      commissionFixed: 0,
      slippageBps: 5,
      stopLoss: 0.08,
      takeProfit: 0.16,
      trailingStop: 0.05,
      timeStopBars: 10,
      sizing: { mode: 'kelly', multiplier: 1, cap: 0.05, minTrades: 10, warmupFraction: 0.05 },
      tradingDaysPerYear: 252,
    });
  });

  it('overrides: strategy params, levels, indicator params, policy fields — each range-checked', () => {
    const r = resolveStrategy(pack, 'breakout_swing', { lookback: 30, rsi_oversold: 25, 'ema_fast.period': 10, 'risk.stop_loss': 0.05 });
    expect(r.params).toMatchObject({ lookback: 30, rsi_oversold: 25, volume_mult: 1.2 });
    expect(r.compile.aliases?.ema_fast).toBe('ema_10');
    expect(r.indicator_params.ema_fast).toEqual({ period: 10 });
    expect(r.backtest.stopLoss).toBe(0.05);
    // the pack is not changed by overrides
    expect(pack.policies.risk.stop_loss).toBe(0.08);
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
        return undefined;
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(code(() => resolveStrategy(pack, 'nope'))).toBe('PACK_STRATEGY_UNKNOWN');
    expect(code(() => resolveStrategy(pack, 'breakout_swing', { lookbak: 30 }))).toBe('PACK_OVERRIDE_UNKNOWN');
    expect(code(() => resolveStrategy(pack, 'breakout_swing', { lookback: 61 }))).toBe('PACK_OVERRIDE_INVALID');
    expect(code(() => resolveStrategy(pack, 'breakout_swing', { lookback: 20.5 }))).toBe('PACK_OVERRIDE_INVALID');
    expect(code(() => resolveStrategy(pack, 'breakout_swing', { 'rsi.length': 3 }))).toBe('PACK_OVERRIDE_UNKNOWN');
    expect(code(() => resolveStrategy(pack, 'breakout_swing', { 'risk.stop_loss': 1.5 }))).toBe('PACK_OVERRIDE_INVALID');
    expect(code(() => resolveStrategy(pack, 'breakout_swing', { 'sizing.method': 1 }))).toBe('PACK_OVERRIDE_UNKNOWN');
    expect(code(() => resolveStrategy(pack, 'breakout_swing', { 'gates.min_trades': 1 }))).toBe('PACK_OVERRIDE_UNKNOWN');
  });

  it('defaults to the pack default strategy', () => {
    expect(resolveStrategy(pack).strategy_id).toBe('momentum_swing');
  });
});

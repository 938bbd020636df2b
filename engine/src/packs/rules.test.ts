import { describe, expect, it } from 'vitest';
import type { PackIssue } from './report.js';
import { validatePackYaml } from './validate.js';

// A small valid pack (3 indicators, no features): every rule test mutates one thing in it.
const MINI = `pack_id: mini
name: Mini
version: 0.1.0
description: test pack
author: tests
created_at: 2026-11-21T00:00:00Z
tags: [test]
metadata:
  vibe: { style: trend_following, time_horizon: days, risk_appetite: moderate, decision_style: systematic, market_preference: trending, execution_character: patient }
supported_instruments: [stock]
default_instrument: stock
timeframes: [1d]
default_timeframe: 1d
indicators:
  - id: fast
    name: EMA fast
    indicator: ema
    params_schema:
      period: { type: integer, minimum: 5, maximum: 50, default: 10 }
  - id: slow
    name: EMA slow
    indicator: ema
    params_schema:
      period: { type: integer, minimum: 20, maximum: 200, default: 50 }
  - id: osc
    name: RSI
    indicator: rsi
    params_schema:
      period: { type: integer, minimum: 2, maximum: 50, default: 14 }
    levels:
      high: { type: number, minimum: 50, maximum: 95, default: 70 }
strategies:
  - id: cross
    name: Cross
    entry_logic:
      - cross_above(fast, slow)
      - osc < osc_high
    exit_logic: cross_below(fast, slow)
    params:
      k: { type: integer, minimum: 1, maximum: 10, default: 2 }
default_strategy: cross
gates:
  quality: { min_trades: 30, min_sharpe: 0.5, max_drawdown: 0.3 }
  execution: { max_slippage_bps: 10, min_volume: 0, max_spread: 0.01 }
  risk: { max_position_size: 1, max_correlation: 0.7, max_var_95: 0.1 }
policies:
  exec: { commission_bps: 1, slippage_bps: 2 }
  sizing: { method: fixed_fraction, fraction: 1 }
  risk: { stop_loss: 0.1, take_profit: 0.2, max_position_size: 1 }
`;

function mutate(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  expect(at, `'${from}' must occur in the fixture`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(from, at + 1), `'${from}' must occur once`).toBe(-1);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Oracle: 1-based line/col of `needle` (unique) by counting newlines. */
function posOf(text: string, needle: string): { line: number; col: number } {
  const at = text.indexOf(needle);
  expect(at).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, at);
  return { line: before.split('\n').length, col: at - (before.lastIndexOf('\n') + 1) + 1 };
}

const errorsOf = (text: string): readonly PackIssue[] => validatePackYaml(text, { file: 'mini.yaml' }).errors;

describe('pack rules', () => {
  it('the fixture itself has no errors; without bars the sanity step is skipped with a warning', () => {
    const r = validatePackYaml(MINI);
    expect(r.errors).toEqual([]);
    expect(r.status).toBe('PASS');
    expect(r.warnings.map((w) => w.code)).toEqual(['PACK_SANITY_SKIPPED']);
  });

  it('PACK_INDICATOR_UNKNOWN at the registry name', () => {
    const text = mutate(MINI, 'indicator: rsi', 'indicator: rsx');
    expect(errorsOf(text)).toContainEqual(expect.objectContaining({ code: 'PACK_INDICATOR_UNKNOWN', path: 'indicators[2].indicator', ...posOf(text, 'rsx') }));
  });

  it('PACK_INDICATOR_PARAM_UNKNOWN / _INVALID against the registry ParamDefs', () => {
    const unknown = mutate(MINI, 'period: { type: integer, minimum: 2, maximum: 50, default: 14 }', 'length: { type: integer, minimum: 2, maximum: 50, default: 14 }');
    expect(errorsOf(unknown)).toEqual([expect.objectContaining({ code: 'PACK_INDICATOR_PARAM_UNKNOWN', path: 'indicators[2].params_schema.length' })]);
    // the registry's rsi period starts at 2: a sweep range down to 1 is invalid
    const range = mutate(MINI, 'period: { type: integer, minimum: 2, maximum: 50, default: 14 }', 'period: { type: integer, minimum: 1, maximum: 50, default: 14 }');
    expect(errorsOf(range)).toEqual([expect.objectContaining({ code: 'PACK_INDICATOR_PARAM_INVALID', path: 'indicators[2].params_schema.period' })]);
    const kind = mutate(MINI, 'period: { type: integer, minimum: 2, maximum: 50, default: 14 }', 'period: { type: number, minimum: 2, maximum: 50, default: 14 }');
    expect(errorsOf(kind)).toEqual([expect.objectContaining({ code: 'PACK_INDICATOR_PARAM_INVALID', path: 'indicators[2].params_schema.period.type' })]);
  });

  it('PACK_EXPR_PARSE with the column inside the expression and the file position of that character', () => {
    const text = mutate(MINI, '- osc < osc_high', '- osc < < osc_high');
    // 'osc < < osc_high': the second '<' is at column 7 of the expression
    const errs = errorsOf(text);
    expect(errs).toEqual([expect.objectContaining({ code: 'PACK_EXPR_PARSE', path: 'strategies[0].entry_logic[1]', expr_col: 7, ...posOf(text, '< osc_high') })]);
  });

  it('quoted expressions: the column skips the opening quote', () => {
    const text = mutate(MINI, 'exit_logic: cross_below(fast, slow)', 'exit_logic: "cross_below(fast, slwo)"');
    // 'slwo' starts at column 19 of the expression
    expect(errorsOf(text)).toEqual([
      expect.objectContaining({ code: 'PACK_EXPR_UNKNOWN_NAME', path: 'strategies[0].exit_logic[0]', expr_col: 19, ...posOf(text, 'slwo') }),
    ]);
  });

  it('PACK_EXPR_TYPE for a rule that is a number, not a condition', () => {
    const text = mutate(MINI, '- osc < osc_high', '- osc + k');
    expect(errorsOf(text)).toEqual([expect.objectContaining({ code: 'PACK_EXPR_TYPE', path: 'strategies[0].entry_logic[1]' })]);
  });

  it('strategy params and levels are known names; anything else is PACK_EXPR_UNKNOWN_NAME', () => {
    expect(errorsOf(mutate(MINI, '- osc < osc_high', '- osc < osc_high + k'))).toEqual([]);
    expect(errorsOf(mutate(MINI, '- osc < osc_high', '- osc < osc_low'))).toEqual([expect.objectContaining({ code: 'PACK_EXPR_UNKNOWN_NAME', expr_col: 7 })]);
  });

  it('PACK_DUPLICATE_ID, PACK_NAME_COLLISION, unknown defaults', () => {
    expect(errorsOf(mutate(MINI, '- id: slow', '- id: fast'))).toContainEqual(expect.objectContaining({ code: 'PACK_DUPLICATE_ID', path: 'indicators[1].id' }));
    expect(errorsOf(mutate(MINI, '- id: osc', '- id: close'))).toContainEqual(expect.objectContaining({ code: 'PACK_NAME_COLLISION', path: 'indicators[2]' }));
    expect(errorsOf(mutate(MINI, 'k: { type', 'osc_high: { type'))).toContainEqual(expect.objectContaining({ code: 'PACK_NAME_COLLISION', path: 'strategies[0].params.osc_high' }));
    expect(errorsOf(mutate(MINI, 'default_strategy: cross', 'default_strategy: nope'))).toEqual([expect.objectContaining({ code: 'PACK_DEFAULT_STRATEGY_UNKNOWN', path: 'default_strategy' })]);
    expect(errorsOf(mutate(MINI, 'default_instrument: stock', 'default_instrument: future'))).toEqual([expect.objectContaining({ code: 'PACK_DEFAULT_INSTRUMENT_UNSUPPORTED' })]);
    expect(errorsOf(mutate(MINI, 'default_timeframe: 1d', 'default_timeframe: 1h'))).toEqual([expect.objectContaining({ code: 'PACK_DEFAULT_TIMEFRAME_UNSUPPORTED' })]);
  });

  it('features: unknown calculation, unknown input, custom expression checked as a number', () => {
    const withFeature = (f: string): string => mutate(MINI, 'strategies:\n', `features:\n${f}strategies:\n`);
    expect(errorsOf(withFeature('  - { id: f1, name: F, calculation: no_such_feature }\n'))).toEqual([expect.objectContaining({ code: 'PACK_FEATURE_UNKNOWN', path: 'features[0].calculation' })]);
    expect(errorsOf(withFeature('  - { id: f1, name: F, calculation: expression, expression: "fast - slow", inputs: [fast, nope] }\n'))).toEqual([
      expect.objectContaining({ code: 'PACK_FEATURE_INPUT_UNKNOWN', path: 'features[0].inputs[1]' }),
    ]);
    // a custom feature is a number; a condition is a type error
    const cond = withFeature('  - { id: f1, name: F, calculation: expression, expression: "fast > slow" }\n');
    expect(errorsOf(cond)).toEqual([expect.objectContaining({ code: 'PACK_EXPR_TYPE', path: 'features[0].expression' })]);
    // a valid custom feature can be read by a rule
    const ok = mutate(withFeature('  - { id: spread, name: Spread, calculation: expression, expression: "(fast - slow) / slow" }\n'), '- osc < osc_high', '- spread > 0');
    expect(errorsOf(ok)).toEqual([]);
  });

  it('PACK_POLICY_INCONSISTENT and the policy warnings', () => {
    const big = mutate(MINI, 'fraction: 1 }', 'fraction: 1 }\n').replace('risk: { stop_loss: 0.1, take_profit: 0.2, max_position_size: 1 }', 'risk: { stop_loss: 0.1, take_profit: 0.2, max_position_size: 0.5 }');
    expect(errorsOf(big)).toEqual([expect.objectContaining({ code: 'PACK_POLICY_INCONSISTENT', path: 'policies.sizing.fraction' })]);
    const slip = mutate(MINI, 'slippage_bps: 2', 'slippage_bps: 20');
    expect(errorsOf(slip)).toEqual([expect.objectContaining({ code: 'PACK_POLICY_INCONSISTENT', path: 'policies.exec.slippage_bps' })]);
    const hours = mutate(MINI, 'slippage_bps: 2', 'slippage_bps: 2, trading_hours: { start: "09:00", end: "16:00" }');
    expect(errorsOf(hours)).toEqual([expect.objectContaining({ code: 'PACK_POLICY_INCONSISTENT', path: 'policies.exec.trading_hours' })]);
    const r = validatePackYaml(mutate(MINI, 'commission_bps: 1, slippage_bps: 2', 'commission_bps: 0, slippage_bps: 0, commission_fixed: 0').replace('take_profit: 0.2', 'take_profit: 0.05'));
    expect(r.status).toBe('PASS');
    expect(r.warnings.map((w) => w.code).sort()).toEqual(['PACK_POLICY_REWARD_BELOW_RISK', 'PACK_POLICY_ZERO_COSTS', 'PACK_SANITY_SKIPPED']);
  });

  it('PACK_UNUSED_INDICATOR warns about an indicator nothing reads', () => {
    const r = validatePackYaml(mutate(MINI, '      - osc < osc_high\n', ''));
    expect(r.status).toBe('PASS');
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'PACK_UNUSED_INDICATOR', path: 'indicators[2]' }));
  });
});

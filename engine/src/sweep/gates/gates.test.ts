import { describe, expect, it } from 'vitest';
import { SweepError } from '../errors.js';
import { evaluateGates, resolveGates, type GatedMetrics } from './gates.js';

const ok: GatedMetrics = { total_trades: 40, sharpe_ratio: 1, max_drawdown: 0.2, win_rate: 0.6, profit_factor: 1.5 };
const G = resolveGates();
const status = (m: Partial<GatedMetrics>, g = G): string => evaluateGates({ ...ok, ...m }, g).status;

describe('gates: defaults min_trades 20, min_sharpe 0, max_drawdown 0.5; tolerances 20 % trades, 0.1 Sharpe, 0.05 drawdown, 0.05 win rate', () => {
  it('min_trades: 20 PASS, 19 and 16 (= 20 x 0.8) MARGINAL, 15 FAIL', () => {
    expect(status({ total_trades: 20 })).toBe('PASS');
    expect(status({ total_trades: 19 })).toBe('MARGINAL');
    expect(status({ total_trades: 16 })).toBe('MARGINAL');
    expect(status({ total_trades: 15 })).toBe('FAIL');
  });
  it('min_sharpe: 0 PASS, -0.1 MARGINAL, just below -0.1 FAIL', () => {
    expect(status({ sharpe_ratio: 0 })).toBe('PASS');
    expect(status({ sharpe_ratio: -1e-12 })).toBe('MARGINAL');
    expect(status({ sharpe_ratio: -0.1 })).toBe('MARGINAL');
    expect(status({ sharpe_ratio: -0.1 - 1e-12 })).toBe('FAIL');
  });
  it('max_drawdown: 0.5 PASS, 0.5 + 0.05 MARGINAL, above FAIL', () => {
    expect(status({ max_drawdown: 0.5 })).toBe('PASS');
    expect(status({ max_drawdown: 0.5 + 1e-12 })).toBe('MARGINAL');
    expect(status({ max_drawdown: 0.5 + 0.05 })).toBe('MARGINAL');
    expect(status({ max_drawdown: 0.5 + 0.05 + 1e-12 })).toBe('FAIL');
  });
  it('min_win_rate is checked only when set', () => {
    expect(status({ win_rate: 0 })).toBe('PASS');
    const g = resolveGates({ thresholds: { min_win_rate: 0.5 } });
    expect(status({ win_rate: 0.5 }, g)).toBe('PASS');
    expect(status({ win_rate: 0.45 }, g)).toBe('MARGINAL');
    expect(status({ win_rate: 0.44 }, g)).toBe('FAIL');
  });
  it('min_profit_factor (from a pack GatePolicy) with tolerance 0.1', () => {
    const g = resolveGates({ thresholds: { min_profit_factor: 1.2 } });
    expect(status({ profit_factor: 1.2 }, g)).toBe('PASS');
    expect(status({ profit_factor: 1.2 - 0.1 }, g)).toBe('MARGINAL');
    expect(status({ profit_factor: 1.09 }, g)).toBe('FAIL');
  });
  it('MARGINAL needs every miss within tolerance; one FAIL fails the whole', () => {
    expect(status({ total_trades: 18, sharpe_ratio: -0.05, max_drawdown: 0.52 })).toBe('MARGINAL');
    expect(status({ total_trades: 18, sharpe_ratio: -0.05, max_drawdown: 0.6 })).toBe('FAIL');
    const r = evaluateGates({ ...ok, total_trades: 18 }, G);
    expect(r.checks.map((c) => [c.check, c.status])).toEqual([['min_trades', 'MARGINAL'], ['min_sharpe', 'PASS'], ['max_drawdown', 'PASS']]);
    expect(r.checks[0]).toMatchObject({ threshold: 20, relaxed: 16, value: 18 });
  });
  it('NaN metrics fail', () => {
    expect(status({ sharpe_ratio: Number.NaN })).toBe('FAIL');
    expect(status({ max_drawdown: Number.NaN })).toBe('FAIL');
  });
  it('layers merge (later wins) and invalid values are SWS-1007', () => {
    const g = resolveGates({ thresholds: { min_trades: 30 } }, { thresholds: { min_sharpe: 0.5 }, tolerances: { sharpe: 0 } });
    expect(g.thresholds).toEqual({ min_trades: 30, min_sharpe: 0.5, max_drawdown: 0.5 });
    expect(status({ sharpe_ratio: 0.49 }, g)).toBe('FAIL');
    expect(() => resolveGates({ thresholds: { max_drawdown: 50 } })).toThrow(SweepError);
    let err: unknown;
    try { resolveGates({ thresholds: { min_trades: -1 } }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(SweepError);
    expect(err).toMatchObject({ reasonCode: 'SWS-1007', details: { field: 'min_trades' } });
  });
});

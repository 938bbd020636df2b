/**
 * Quality gates: PASS / MARGINAL / FAIL per combination (REQUIREMENTS.md: only PASS and MARGINAL
 * may be trained).
 *
 * Thresholds (the GatePolicy `quality` section, overridable per sweep), defaults
 * min_trades 20, min_sharpe 0.0, max_drawdown 0.5 (a fraction: 50 %), min_win_rate and
 * min_profit_factor none (the pack's GatePolicy.quality may set them).
 * A check is met when total_trades >= min_trades, sharpe_ratio >= min_sharpe,
 * max_drawdown <= max_drawdown, win_rate >= min_win_rate (bounds inclusive).
 *
 * MARGINAL, precisely: at least one check is not met, and no check misses by more than its
 * tolerance, i.e. every value is within the relaxed bound
 *   total_trades >= min_trades × (1 − trades_fraction)     (default trades_fraction 0.2: 16 of 20)
 *   sharpe_ratio >= min_sharpe − sharpe                    (default 0.1)
 *   max_drawdown <= max_drawdown + drawdown                (default 0.05: 55 % for a 50 % limit)
 *   win_rate     >= min_win_rate − win_rate                (default 0.05)
 *   profit_factor >= min_profit_factor − profit_factor     (default 0.1)
 * with every relaxed bound computed in float64 exactly as written (inclusive). FAIL otherwise,
 * and always when a gated metric is NaN (e.g. no trades). Each check is reported.
 */
import { SweepError } from '../errors.js';

export type GateStatus = 'PASS' | 'MARGINAL' | 'FAIL';

export interface GateThresholds {
  readonly min_trades: number;
  readonly min_sharpe: number;
  readonly max_drawdown: number;
  readonly min_win_rate?: number | undefined;
  readonly min_profit_factor?: number | undefined;
}

export interface GateTolerances {
  readonly trades_fraction: number;
  readonly sharpe: number;
  readonly drawdown: number;
  readonly win_rate: number;
  readonly profit_factor: number;
}

export interface GatePolicyInput {
  readonly thresholds?: Partial<GateThresholds>;
  readonly tolerances?: Partial<GateTolerances>;
}

export const DEFAULT_GATES: GateThresholds = { min_trades: 20, min_sharpe: 0, max_drawdown: 0.5 };
export const DEFAULT_TOLERANCES: GateTolerances = { trades_fraction: 0.2, sharpe: 0.1, drawdown: 0.05, win_rate: 0.05, profit_factor: 0.1 };

export interface GatedMetrics {
  readonly total_trades: number;
  readonly sharpe_ratio: number;
  readonly max_drawdown: number;
  readonly win_rate: number;
  readonly profit_factor: number;
}

export type GateCheckName = 'min_trades' | 'min_sharpe' | 'max_drawdown' | 'min_win_rate' | 'min_profit_factor';

export interface GateCheck {
  readonly check: GateCheckName;
  readonly threshold: number;
  readonly relaxed: number;
  readonly value: number;
  readonly status: GateStatus;
}

export interface GateResult {
  readonly status: GateStatus;
  readonly checks: readonly GateCheck[];
}

export interface ResolvedGates { readonly thresholds: GateThresholds; readonly tolerances: GateTolerances }

function finiteIn(name: string, v: number, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    throw new SweepError('INVALID_GATES', `gate '${name}' must be a number in [${lo}, ${hi}], got ${String(v)}`, { field: name, value: v });
  }
}

/** Merges defaults, the pack's policy and the sweep's overrides (later wins) and validates. */
export function resolveGates(...layers: (GatePolicyInput | undefined)[]): ResolvedGates {
  let t: GateThresholds = DEFAULT_GATES;
  let tol: GateTolerances = DEFAULT_TOLERANCES;
  for (const l of layers) {
    if (l === undefined) continue;
    t = { ...t, ...Object.fromEntries(Object.entries(l.thresholds ?? {}).filter(([, v]) => v !== undefined)) };
    tol = { ...tol, ...Object.fromEntries(Object.entries(l.tolerances ?? {}).filter(([, v]) => v !== undefined)) };
  }
  finiteIn('min_trades', t.min_trades, 0, 1e9);
  finiteIn('min_sharpe', t.min_sharpe, -1e6, 1e6);
  finiteIn('max_drawdown', t.max_drawdown, 0, 1);
  if (t.min_win_rate !== undefined) finiteIn('min_win_rate', t.min_win_rate, 0, 1);
  if (t.min_profit_factor !== undefined) finiteIn('min_profit_factor', t.min_profit_factor, 0, 1e9);
  finiteIn('trades_fraction', tol.trades_fraction, 0, 1);
  finiteIn('sharpe', tol.sharpe, 0, 1e6);
  finiteIn('drawdown', tol.drawdown, 0, 1);
  finiteIn('win_rate', tol.win_rate, 0, 1);
  finiteIn('profit_factor', tol.profit_factor, 0, 1e9);
  return { thresholds: t, tolerances: tol };
}

function atLeast(check: GateCheckName, value: number, threshold: number, relaxed: number): GateCheck {
  const status: GateStatus = Number.isNaN(value) ? 'FAIL' : value >= threshold ? 'PASS' : value >= relaxed ? 'MARGINAL' : 'FAIL';
  return { check, threshold, relaxed, value, status };
}

function atMost(check: GateCheckName, value: number, threshold: number, relaxed: number): GateCheck {
  const status: GateStatus = Number.isNaN(value) ? 'FAIL' : value <= threshold ? 'PASS' : value <= relaxed ? 'MARGINAL' : 'FAIL';
  return { check, threshold, relaxed, value, status };
}

/** Runs once per combination (on the main thread while the workers evaluate): no closures, one pass for the status. */
export function evaluateGates(m: GatedMetrics, gates: ResolvedGates): GateResult {
  const t = gates.thresholds;
  const tol = gates.tolerances;
  const checks: GateCheck[] = [
    atLeast('min_trades', m.total_trades, t.min_trades, t.min_trades * (1 - tol.trades_fraction)),
    atLeast('min_sharpe', m.sharpe_ratio, t.min_sharpe, t.min_sharpe - tol.sharpe),
    atMost('max_drawdown', m.max_drawdown, t.max_drawdown, t.max_drawdown + tol.drawdown),
  ];
  if (t.min_win_rate !== undefined) checks.push(atLeast('min_win_rate', m.win_rate, t.min_win_rate, t.min_win_rate - tol.win_rate));
  if (t.min_profit_factor !== undefined) checks.push(atLeast('min_profit_factor', m.profit_factor, t.min_profit_factor, t.min_profit_factor - tol.profit_factor));
  let fail = false;
  let marginal = false;
  for (const c of checks) {
    if (c.status === 'FAIL') fail = true;
    else if (c.status === 'MARGINAL') marginal = true;
  }
  const status: GateStatus = fail ? 'FAIL' : marginal ? 'MARGINAL' : 'PASS';
  return { status, checks };
}

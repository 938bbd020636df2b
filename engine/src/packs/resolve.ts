/**
 * `resolveStrategy(pack, strategyId, overrides)`: one strategy of a pack as everything a backtest,
 * a sweep or a model needs: entry/exit expression text, the CompileContext (aliases + parameters),
 * parameter values (defaults merged with overrides), the backtest engine's config and the pack's
 * policies and gates.
 *
 * Override keys (all numbers):
 * - `<name>`: a strategy parameter or an indicator level (`exit_rsi`, `rsi_oversold`);
 * - `<indicator or feature id>.<param>`: a kernel parameter (`rsi.period`, `ema_fast.period`);
 * - `risk.<field>`, `exec.<field>`, `sizing.<field>`: a numeric policy field (`risk.stop_loss`).
 * Each is checked against its declared range (ParamSpec) or the policy schema.
 */
import type { BacktestConfigInput, SizingConfig, StrategyBacktestRequest } from '../backtest/index.js';
import { SigmatiqError } from '../errors.js';
import { ENGINE_INDICATORS, type CompileContext, type IndicatorLookup } from '../strategy/index.js';
import { packContext } from './context.js';
import {
  PoliciesSchema,
  type Calendar,
  type GatePolicy,
  type Pack,
  type ParamSpec,
  type Policies,
  type StrategyDef,
} from './schema.js';

export type Overrides = Readonly<Record<string, number>>;

export interface ResolvedStrategy {
  readonly pack_id: string;
  readonly pack_version: string;
  readonly strategy_id: string;
  readonly side: 'long' | 'short';
  /** `entry_logic` items AND-ed: `(a) and (b)`. */
  readonly entry: string;
  /** `exit_logic` items OR-ed: `(a) or (b)`. */
  readonly exit: string;
  /** Levels and strategy params: defaults merged with overrides (what `evaluate` binds). */
  readonly params: Readonly<Record<string, number>>;
  /** Kernel params per indicator/feature id, defaults merged with overrides. */
  readonly indicator_params: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Pass to `compileStrategy({ entry, exit }, compile)`. */
  readonly compile: CompileContext;
  /** The backtest engine's config (engine/src/backtest/config.ts). */
  readonly backtest: BacktestConfigInput;
  readonly policies: Policies;
  readonly gates: GatePolicy;
  readonly calendar: Calendar;
}

function fail(code: string, message: string, details: Record<string, unknown>): never {
  throw new SigmatiqError(code, message, details);
}

function checkAgainst(spec: ParamSpec, key: string, v: number): void {
  if (!Number.isFinite(v)) fail('PACK_OVERRIDE_INVALID', `override '${key}' must be a finite number`, { key, value: v });
  if (spec.type === 'integer' && !Number.isInteger(v)) fail('PACK_OVERRIDE_INVALID', `override '${key}' must be an integer, got ${v}`, { key, value: v });
  if (v < spec.minimum || v > spec.maximum) {
    fail('PACK_OVERRIDE_INVALID', `override '${key}' = ${v} is outside its declared range [${spec.minimum}, ${spec.maximum}]`, { key, value: v, minimum: spec.minimum, maximum: spec.maximum });
  }
}

function specDefaults(specs: Readonly<Record<string, ParamSpec>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, s] of Object.entries(specs)) out[k] = s.default;
  return out;
}

const POLICY_SECTIONS = new Set(['risk', 'exec', 'sizing']);

function applyPolicyOverrides(pack: Pack, entries: readonly (readonly [string, string, number])[]): Policies {
  if (entries.length === 0) return pack.policies;
  const raw = structuredClone(pack.policies) as unknown as Record<string, Record<string, unknown>>;
  for (const [section, field, v] of entries) {
    const sec = raw[section];
    if (sec === undefined || (field in sec && typeof sec[field] !== 'number') || field === 'method') {
      fail('PACK_OVERRIDE_UNKNOWN', `override '${section}.${field}' is not a numeric policy field`, { key: `${section}.${field}` });
    }
    sec[field] = v;
  }
  const res = PoliciesSchema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    const where = issue === undefined ? '' : issue.path.map(String).join('.');
    fail('PACK_OVERRIDE_INVALID', `policy override rejected at ${where}: ${issue?.message ?? 'invalid'}`, { path: where });
  }
  return res.data;
}

/** The backtest engine's config for these policies (docs/packs.md, "Mapping to the backtest"). */
export function backtestConfigFor(policies: Policies, side: 'long' | 'short', calendar: Calendar): BacktestConfigInput {
  const { exec, sizing, risk } = policies;
  let sz: SizingConfig;
  switch (sizing.method) {
    case 'fixed_fraction':
      sz = { mode: 'fixed_fraction', fraction: Math.min(sizing.fraction, risk.max_position_size) };
      break;
    case 'vol_target':
      sz = { mode: 'volatility_target', targetVol: sizing.target_vol, lookback: sizing.lookback, maxFraction: Math.min(sizing.max_leverage, risk.max_position_size) };
      break;
    case 'kelly':
      sz = {
        mode: 'kelly',
        multiplier: sizing.kelly_fraction,
        cap: Math.min(sizing.cap, risk.max_position_size),
        minTrades: sizing.min_trades,
        warmupFraction: Math.min(sizing.warmup_fraction ?? sizing.cap, sizing.cap, risk.max_position_size),
      };
      break;
  }
  return {
    fill: exec.fill,
    direction: side,
    commissionBps: exec.commission_bps,
    commissionFixed: exec.commission_fixed,
    slippageBps: exec.slippage_bps,
    sizing: sz,
    stopLoss: risk.stop_loss ?? 0,
    takeProfit: risk.take_profit ?? 0,
    trailingStop: risk.trailing_stop ?? 0,
    timeStopBars: risk.time_stop_bars ?? 0,
    tradingHours: exec.trading_hours === undefined ? [] : [exec.trading_hours],
    minOrderValue: exec.min_order_value,
    tradingDaysPerYear: calendar.trading_days_per_year,
    sessionMinutes: calendar.session_minutes,
  };
}

function findStrategy(pack: Pack, strategyId: string): StrategyDef {
  const s = pack.strategies.find((x) => x.id === strategyId);
  if (s === undefined) {
    fail('PACK_STRATEGY_UNKNOWN', `pack '${pack.pack_id}' has no strategy '${strategyId}' (strategies: ${pack.strategies.map((x) => x.id).join(', ')})`, {
      pack_id: pack.pack_id,
      strategy: strategyId,
    });
  }
  return s;
}

const join = (items: readonly string[], op: 'and' | 'or'): string => (items.length === 1 ? (items[0] ?? '') : items.map((e) => `(${e})`).join(` ${op} `));

/**
 * Resolve one strategy of a (schema-valid) pack. Throws `PACK_STRATEGY_UNKNOWN`,
 * `PACK_OVERRIDE_UNKNOWN` (a key that names nothing), `PACK_OVERRIDE_INVALID` (out of range).
 */
export function resolveStrategy(pack: Pack, strategyId: string = pack.default_strategy, overrides: Overrides = {}, lookup: IndicatorLookup = ENGINE_INDICATORS): ResolvedStrategy {
  const strategy = findStrategy(pack, strategyId);
  const levelSpecs = new Map<string, ParamSpec>();
  for (const ind of pack.indicators) for (const [lv, spec] of Object.entries(ind.levels)) levelSpecs.set(`${ind.id}_${lv}`, spec);
  const kernelSpecs = new Map<string, Readonly<Record<string, ParamSpec>>>();
  for (const ind of pack.indicators) kernelSpecs.set(ind.id, ind.params_schema);
  for (const f of pack.features) if (f.calculation !== 'expression') kernelSpecs.set(f.id, f.params);

  const params: Record<string, number> = { ...specDefaults(Object.fromEntries(levelSpecs)), ...specDefaults(strategy.params) };
  const indicatorParams: Record<string, Record<string, number>> = {};
  for (const [id, specs] of kernelSpecs) indicatorParams[id] = specDefaults(specs);
  const policyOverrides: [string, string, number][] = [];

  for (const key of Object.keys(overrides).sort()) {
    const v = overrides[key] as number;
    const dot = key.indexOf('.');
    if (dot < 0) {
      const spec = strategy.params[key] ?? levelSpecs.get(key);
      if (spec === undefined) fail('PACK_OVERRIDE_UNKNOWN', `override '${key}' is not a parameter of strategy '${strategyId}' nor an indicator level`, { key });
      checkAgainst(spec, key, v);
      params[key] = v;
      continue;
    }
    const head = key.slice(0, dot);
    const tail = key.slice(dot + 1);
    const specs = kernelSpecs.get(head);
    if (specs !== undefined) {
      const spec = specs[tail];
      if (spec === undefined) fail('PACK_OVERRIDE_UNKNOWN', `override '${key}': '${head}' declares no parameter '${tail}' in its params_schema`, { key });
      checkAgainst(spec, key, v);
      (indicatorParams[head] ??= {})[tail] = v;
      continue;
    }
    if (POLICY_SECTIONS.has(head)) {
      if (!Number.isFinite(v)) fail('PACK_OVERRIDE_INVALID', `override '${key}' must be a finite number`, { key, value: v });
      policyOverrides.push([head, tail, v]);
      continue;
    }
    fail('PACK_OVERRIDE_UNKNOWN', `override '${key}' names no indicator, feature or policy section`, { key });
  }

  const policies = applyPolicyOverrides(pack, policyOverrides);
  const ctx = packContext(pack, lookup, indicatorParams);
  return {
    pack_id: pack.pack_id,
    pack_version: pack.version,
    strategy_id: strategy.id,
    side: strategy.side,
    entry: join(strategy.entry_logic, 'and'),
    exit: join(strategy.exit_logic, 'or'),
    params,
    indicator_params: indicatorParams,
    compile: { indicators: lookup, aliases: ctx.aliases, params },
    backtest: backtestConfigFor(policies, strategy.side, pack.calendar),
    policies,
    gates: pack.gates,
    calendar: pack.calendar,
  };
}

/** The rules/config part of a `runStrategyBacktest` request (add `bars`, and a store if any). */
export function strategyBacktestRequest(r: ResolvedStrategy): Pick<StrategyBacktestRequest, 'entry' | 'exit' | 'params' | 'context' | 'config'> {
  return { entry: r.entry, exit: r.exit, params: r.params, context: r.compile, config: r.backtest };
}

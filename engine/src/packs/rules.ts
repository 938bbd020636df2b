/**
 * The pack rules beyond the schema (REQUIREMENTS.md "Packs"): unique ids, defaults that exist,
 * indicators and features known to the registry with valid params, expressions that parse and
 * read only known names, consistent policies. Pure: every finding is returned, nothing thrown.
 */
import type { IndicatorDef as RegistryDef } from '../indicators/types.js';
import type { IndicatorLookup } from '../strategy/index.js';
import { Collector, type Path } from './collector.js';
import { checkExpressions } from './expr-rules.js';
import type { PackIssue } from './report.js';
import type { Pack, ParamSpec } from './schema.js';
import type { PackSource } from './yaml-source.js';

function checkIds(pack: Pack, c: Collector): void {
  const seen = new Map<string, string>();
  const visit = (section: 'indicators' | 'features' | 'strategies', id: string, i: number): void => {
    const prev = seen.get(id);
    if (prev !== undefined) c.add('PACK_DUPLICATE_ID', [section, i, 'id'], `id '${id}' is already used by ${prev}`);
    else seen.set(id, `${section}[${i}]`);
  };
  pack.indicators.forEach((d, i) => visit('indicators', d.id, i));
  pack.features.forEach((d, i) => visit('features', d.id, i));
  pack.strategies.forEach((d, i) => visit('strategies', d.id, i));
  if (!pack.strategies.some((s) => s.id === pack.default_strategy)) {
    c.add('PACK_DEFAULT_STRATEGY_UNKNOWN', ['default_strategy'], `default_strategy '${pack.default_strategy}' is not one of the pack's strategies (${pack.strategies.map((s) => s.id).join(', ')})`);
  }
  if (!pack.supported_instruments.includes(pack.default_instrument)) {
    c.add('PACK_DEFAULT_INSTRUMENT_UNSUPPORTED', ['default_instrument'], `default_instrument '${pack.default_instrument}' is not in supported_instruments`);
  }
  if (!pack.timeframes.includes(pack.default_timeframe)) {
    c.add('PACK_DEFAULT_TIMEFRAME_UNSUPPORTED', ['default_timeframe'], `default_timeframe '${pack.default_timeframe}' is not in timeframes`);
  }
}

/** params_schema entries against the registry's ParamDefs, then the defaults through resolveParams. */
function checkParams(def: RegistryDef, specs: Readonly<Record<string, ParamSpec>>, base: Path, c: Collector): void {
  let ok = true;
  for (const [name, spec] of Object.entries(specs)) {
    const pd = def.params.find((p) => p.name === name);
    const path = [...base, name];
    if (pd === undefined) {
      ok = false;
      c.add('PACK_INDICATOR_PARAM_UNKNOWN', path, `'${def.name}' has no parameter '${name}' (known: ${def.params.map((p) => p.name).join(', ') || 'none'})`);
      continue;
    }
    if (pd.kind === 'int' && spec.type !== 'integer') {
      ok = false;
      c.add('PACK_INDICATOR_PARAM_INVALID', [...path, 'type'], `'${def.name}.${name}' is an integer parameter: use type: integer`);
    }
    if (spec.minimum < pd.min || spec.maximum > pd.max) {
      ok = false;
      c.add('PACK_INDICATOR_PARAM_INVALID', path, `'${def.name}.${name}' range [${spec.minimum}, ${spec.maximum}] exceeds the registry's [${pd.min}, ${pd.max}]`);
    }
  }
  if (!ok) return;
  const defaults: Record<string, number> = {};
  for (const [name, spec] of Object.entries(specs)) defaults[name] = spec.default;
  try {
    def.resolveParams(defaults);
  } catch (e) {
    c.add('PACK_INDICATOR_PARAM_INVALID', base, `'${def.name}' rejects the default params: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function checkRegistry(pack: Pack, lookup: IndicatorLookup, c: Collector): void {
  pack.indicators.forEach((ind, i) => {
    const def = lookup.get(ind.indicator);
    if (def === undefined || def.kind !== 'indicator') {
      c.add('PACK_INDICATOR_UNKNOWN', ['indicators', i, 'indicator'], `indicator '${ind.indicator}' is not in the indicator registry`);
      return;
    }
    checkParams(def, ind.params_schema, ['indicators', i, 'params_schema'], c);
  });
  const indicatorIds = new Set(pack.indicators.map((d) => d.id));
  pack.features.forEach((f, i) => {
    f.inputs.forEach((inp, k) => {
      if (!indicatorIds.has(inp)) c.add('PACK_FEATURE_INPUT_UNKNOWN', ['features', i, 'inputs', k], `feature '${f.id}' reads '${inp}', which is not an indicator of this pack`);
    });
    if (f.calculation === 'expression') return;
    const def = lookup.get(f.calculation);
    if (def === undefined || def.kind !== 'feature') {
      c.add('PACK_FEATURE_UNKNOWN', ['features', i, 'calculation'], `feature calculation '${f.calculation}' is not a known feature (nor 'expression')`);
      return;
    }
    checkParams(def, f.params, ['features', i, 'params'], c);
  });
}

function positionSize(pack: Pack): number | undefined {
  const s = pack.policies.sizing;
  if (s.method === 'fixed_fraction') return s.fraction;
  if (s.method === 'kelly') return s.cap;
  return undefined;
}

function checkPolicies(pack: Pack, c: Collector): void {
  const { exec, risk } = pack.policies;
  const size = positionSize(pack);
  if (size !== undefined && size > risk.max_position_size) {
    const field = pack.policies.sizing.method === 'kelly' ? 'cap' : 'fraction';
    c.add('PACK_POLICY_INCONSISTENT', ['policies', 'sizing', field], `sizing allows ${size} of equity per position, above policies.risk.max_position_size ${risk.max_position_size}`);
  }
  const sizing = pack.policies.sizing;
  if (sizing.method === 'kelly' && sizing.warmup_fraction !== undefined && sizing.warmup_fraction > sizing.cap) {
    c.add('PACK_POLICY_INCONSISTENT', ['policies', 'sizing', 'warmup_fraction'], `warmup_fraction ${sizing.warmup_fraction} is above the Kelly cap ${sizing.cap}`);
  }
  if (risk.max_position_size > pack.gates.risk.max_position_size) {
    c.add('PACK_POLICY_INCONSISTENT', ['policies', 'risk', 'max_position_size'], `policies.risk.max_position_size ${risk.max_position_size} exceeds gates.risk.max_position_size ${pack.gates.risk.max_position_size}`);
  }
  if (exec.slippage_bps > pack.gates.execution.max_slippage_bps) {
    c.add('PACK_POLICY_INCONSISTENT', ['policies', 'exec', 'slippage_bps'], `assumed slippage ${exec.slippage_bps} bps exceeds gates.execution.max_slippage_bps ${pack.gates.execution.max_slippage_bps}`);
  }
  if (exec.trading_hours !== undefined) {
    if (exec.trading_hours.start === exec.trading_hours.end) {
      c.add('PACK_POLICY_INCONSISTENT', ['policies', 'exec', 'trading_hours'], 'trading_hours start equals end: no bar could ever trade');
    }
    if (pack.timeframes.every((t) => t === '1d' || t === '1w' || t === '1mo')) {
      c.add('PACK_POLICY_INCONSISTENT', ['policies', 'exec', 'trading_hours'], 'trading_hours need intraday timeframes; this pack only has daily or longer bars');
    }
  }
  if (exec.commission_bps === 0 && exec.commission_fixed === 0 && exec.slippage_bps === 0) {
    c.add('PACK_POLICY_ZERO_COSTS', ['policies', 'exec'], 'no commission and no slippage: backtests will overstate returns');
  }
  if (risk.stop_loss !== undefined && risk.take_profit !== undefined && risk.take_profit < risk.stop_loss) {
    c.add('PACK_POLICY_REWARD_BELOW_RISK', ['policies', 'risk', 'take_profit'], `take_profit ${risk.take_profit} is below stop_loss ${risk.stop_loss}`);
  }
  if (risk.stop_loss !== undefined && risk.trailing_stop !== undefined && risk.trailing_stop > risk.stop_loss) {
    c.add('PACK_POLICY_TRAILING_WIDER_THAN_STOP', ['policies', 'risk', 'trailing_stop'], `trailing_stop ${risk.trailing_stop} is wider than stop_loss ${risk.stop_loss}, so it never binds before the stop`);
  }
}

/** Every rule except the sanity backtest, on a schema-valid pack. */
export function checkPackRules(pack: Pack, lookup: IndicatorLookup, source?: PackSource): PackIssue[] {
  const c = new Collector(source);
  checkIds(pack, c);
  checkRegistry(pack, lookup, c);
  const { used, ok } = checkExpressions(pack, lookup, c);
  checkPolicies(pack, c);
  if (ok) {
    pack.indicators.forEach((d, i) => {
      if (!used.has(d.id)) c.add('PACK_UNUSED_INDICATOR', ['indicators', i], `indicator '${d.id}' is read by no strategy or feature`);
    });
  }
  return c.issues;
}

/**
 * How a pack becomes a CompileContext for the expression language (docs/packs.md, "Names"):
 *
 * - an indicator with one output is an alias of its registry column: `rsi` -> `rsi_14`;
 *   with several outputs each is `<id>_<output>` (`macd_signal` -> `macd_signal_12_26_9`),
 *   except an output named like the registry indicator itself, which is the bare id (`macd`);
 * - a Sigmatiq feature the same way over its registry columns; a custom feature
 *   (`calculation: expression`) is an alias of its expression;
 * - an indicator level `<id>_<level>` (`rsi_oversold`) and a strategy parameter are declared
 *   parameters (scalars a sweep can vary), with their defaults.
 *
 * Indicator parameters are baked into the column names, so overriding them changes the alias
 * text; levels and strategy params stay parameters of one compiled program.
 */
import { BAR_FIELDS } from '../data/bars.js';
import type { IndicatorDef as RegistryDef } from '../indicators/types.js';
import { BUILTIN_FUNCTIONS, type CompileContext, type IndicatorLookup } from '../strategy/index.js';
import type { Pack, ParamSpec, StrategyDef } from './schema.js';

export type NameKind = 'bar' | 'reserved' | 'indicator' | 'level' | 'feature' | 'param';

export interface NameEntry {
  readonly kind: NameKind;
  /** Path in the pack of the definition (`indicators[2]`), `''` for built-in names. */
  readonly path: string;
  /** Pack id of the indicator/feature this name belongs to. */
  readonly owner?: string;
}

/** Names an expression can never redefine. */
export const RESERVED_NAMES: readonly string[] = [...BAR_FIELDS, ...BUILTIN_FUNCTIONS, 'and', 'or', 'not', 'true', 'false'];

/** Expression names of an indicator's or feature's outputs. */
export function outputNames(id: string, registryName: string, outputs: readonly string[]): string[] {
  if (outputs.length <= 1) return [id];
  return outputs.map((o) => (o === registryName ? id : `${id}_${o}`));
}

export interface NameCollision {
  readonly name: string;
  readonly first: NameEntry;
  readonly second: NameEntry;
}

/** Indicator/feature parameter values by pack id (`{ rsi: { period: 10 } }`), replacing defaults. */
export type IndicatorParamValues = Readonly<Record<string, Readonly<Record<string, number>>>>;

export interface PackContext {
  /** Every name with its origin (built-ins first). */
  readonly names: ReadonlyMap<string, NameEntry>;
  readonly collisions: readonly NameCollision[];
  /** Alias name -> expression text (registry columns or custom feature expressions). */
  readonly aliases: Readonly<Record<string, string>>;
  /** Level parameters `<id>_<level>` with their defaults. */
  readonly levels: Readonly<Record<string, number>>;
}

function defaults(specs: Readonly<Record<string, ParamSpec>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, s] of Object.entries(specs)) out[k] = s.default;
  return out;
}

/** Columns of a registry def for the given params, or undefined when the params are rejected. */
function columnsOf(def: RegistryDef, params: Readonly<Record<string, number>>): readonly string[] | undefined {
  try {
    return def.columns(def.resolveParams(params));
  } catch {
    return undefined;
  }
}

/**
 * Names, aliases and levels of a pack. `paramValues` (optional) replaces indicator/feature
 * parameter defaults per pack id; unknown indicators contribute their bare id so later errors
 * name the indicator rather than every expression that reads it.
 */
export function packContext(pack: Pack, lookup: IndicatorLookup, paramValues: IndicatorParamValues = {}): PackContext {
  const names = new Map<string, NameEntry>();
  const collisions: NameCollision[] = [];
  const aliases: Record<string, string> = {};
  const levels: Record<string, number> = {};
  const add = (name: string, entry: NameEntry): boolean => {
    const first = names.get(name);
    if (first !== undefined) {
      collisions.push({ name, first, second: entry });
      return false;
    }
    names.set(name, entry);
    return true;
  };
  for (const f of BAR_FIELDS) add(f, { kind: 'bar', path: '' });
  for (const r of RESERVED_NAMES) if (!names.has(r)) add(r, { kind: 'reserved', path: '' });

  const addOutputs = (id: string, registryName: string, specs: Readonly<Record<string, ParamSpec>>, kind: 'indicator' | 'feature', path: string): void => {
    const def = lookup.get(registryName);
    const params = { ...defaults(specs), ...paramValues[id] };
    // Params the registry rejects are reported by the registry rules; names still resolve (with
    // the registry defaults) so expressions are not blamed for them.
    const cols = def === undefined ? undefined : (columnsOf(def, params) ?? columnsOf(def, {}));
    const outs = outputNames(id, registryName, def?.outputs ?? ['value']);
    outs.forEach((n, k) => {
      const col = cols?.[k];
      // A name equal to its own column (`rsi_14` for rsi(14)) resolves through the registry directly.
      if (add(n, { kind, path, owner: id }) && col !== undefined && col !== n) aliases[n] = col;
    });
  };
  pack.indicators.forEach((ind, i) => {
    addOutputs(ind.id, ind.indicator, ind.params_schema, 'indicator', `indicators[${i}]`);
    for (const [level, spec] of Object.entries(ind.levels)) {
      const name = `${ind.id}_${level}`;
      if (add(name, { kind: 'level', path: `indicators[${i}].levels.${level}`, owner: ind.id })) levels[name] = spec.default;
    }
  });
  pack.features.forEach((f, i) => {
    if (f.calculation === 'expression') {
      if (add(f.id, { kind: 'feature', path: `features[${i}]`, owner: f.id }) && f.expression !== undefined) aliases[f.id] = `(${f.expression})`;
      return;
    }
    addOutputs(f.id, f.calculation, f.params, 'feature', `features[${i}]`);
  });
  return { names, collisions, aliases, levels };
}

/** The CompileContext of one strategy: pack aliases, level and strategy parameters. */
export function strategyCompileContext(ctx: PackContext, strategy: StrategyDef, lookup: IndicatorLookup): CompileContext {
  return { indicators: lookup, aliases: ctx.aliases, params: { ...ctx.levels, ...defaults(strategy.params) } };
}

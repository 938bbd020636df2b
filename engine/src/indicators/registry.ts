import { SigmatiqError } from '../errors.js';
import type { IndicatorDef } from './types.js';
import { BUILTIN_INDICATORS } from './builtins.js';
import { BUILTIN_FEATURES } from '../features/builtins.js';

const registry = new Map<string, IndicatorDef>();

/** Add an indicator or feature to the registry (names are unique, lower-case). */
export function registerIndicator(def: IndicatorDef): void {
  if (!/^[a-z][a-z0-9_]*$/.test(def.name)) {
    throw new SigmatiqError('INDICATOR_NAME', `indicator name '${def.name}' must be lower-case letters, digits and _`, { name: def.name });
  }
  if (registry.has(def.name)) {
    throw new SigmatiqError('INDICATOR_NAME', `indicator '${def.name}' is already registered`, { name: def.name });
  }
  registry.set(def.name, def);
}

for (const def of BUILTIN_INDICATORS) registerIndicator(def);
for (const def of BUILTIN_FEATURES) registerIndicator(def);

/** An indicator or feature by name (`sma`, `macd`, `bb_squeeze`), or undefined. */
export function getIndicator(name: string): IndicatorDef | undefined {
  return registry.get(name);
}

/** A Sigmatiq feature by name (only `kind: 'feature'`), or undefined. */
export function getFeature(name: string): IndicatorDef | undefined {
  const def = registry.get(name);
  return def?.kind === 'feature' ? def : undefined;
}

/** Every registered indicator and feature, in registration order (optionally one kind). */
export function listIndicators(kind?: 'indicator' | 'feature'): IndicatorDef[] {
  return [...registry.values()].filter((d) => kind === undefined || d.kind === kind);
}

/** Every registered feature. */
export function listFeatures(): IndicatorDef[] {
  return listIndicators('feature');
}

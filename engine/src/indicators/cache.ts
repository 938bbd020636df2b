import { SigmatiqError } from '../errors.js';
import type { BarsInput, IndicatorDef, IndicatorParams } from './types.js';

let nextId = 1;
const ids = new WeakMap<object, number>();
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return id;
}

function paramKey(def: IndicatorDef, params: IndicatorParams): string {
  const p = def.resolveParams(params);
  return `${idOf(def)}:${def.name}(${def.params.map((d) => `${d.name}=${p[d.name]}`).join(',')})`;
}

/**
 * Memoizes indicator outputs per (indicator, resolved params, input identity), so a parameter
 * grid computes each distinct parameter set once (vectorbt's indicator-factory idea).
 * Inputs are keyed by object identity through WeakMaps: entries go when the bars/arrays go.
 * The returned arrays are SHARED between callers: treat them as read-only.
 */
export class IndicatorCache {
  private readonly store = new WeakMap<object, Map<string, readonly Float64Array[]>>();
  /** Number of lookups answered from the cache. */
  hits = 0;
  /** Number of lookups that ran a kernel. */
  misses = 0;

  /** `def.compute(bars, params)`, memoized on (def, params, bars object). */
  compute(def: IndicatorDef, bars: BarsInput, params: IndicatorParams = {}): readonly Float64Array[] {
    return this.lookup(bars, paramKey(def, params), () => def.compute(bars, params));
  }

  /** `def.computeFrom(inputs, params, ts)`, memoized on (def, params, identity of every array). */
  computeFrom(def: IndicatorDef, inputs: readonly Float64Array[], params: IndicatorParams = {}, ts?: Float64Array): readonly Float64Array[] {
    const anchor: object | undefined = inputs[0] ?? ts;
    if (anchor === undefined) return def.computeFrom(inputs, params, ts);
    const arrays = inputs.map((a) => idOf(a)).join(',');
    const key = `${paramKey(def, params)}[${arrays}|${ts === undefined ? '' : idOf(ts)}]`;
    return this.lookup(anchor, key, () => def.computeFrom(inputs, params, ts));
  }

  private lookup(anchor: object, key: string, run: () => readonly Float64Array[]): readonly Float64Array[] {
    let entries = this.store.get(anchor);
    if (entries === undefined) {
      entries = new Map();
      this.store.set(anchor, entries);
    }
    const hit = entries.get(key);
    if (hit !== undefined) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const outputs = run();
    entries.set(key, outputs);
    return outputs;
  }
}

/** A grid: values per parameter (cartesian product, last parameter varying fastest) or explicit sets. */
export type ParamGrid = Readonly<Record<string, readonly number[]>> | readonly IndicatorParams[];

export interface GridResult {
  /** Parameters with defaults filled in. */
  readonly params: Readonly<Record<string, number>>;
  readonly columns: readonly string[];
  /** Shared with the cache: read-only. */
  readonly outputs: readonly Float64Array[];
}

/** Expand a grid into explicit parameter sets (in the indicator's parameter order). */
export function expandGrid(def: IndicatorDef, grid: ParamGrid): IndicatorParams[] {
  if (Array.isArray(grid)) return [...(grid as readonly IndicatorParams[])];
  const axes = grid as Readonly<Record<string, readonly number[]>>;
  for (const name of Object.keys(axes)) {
    if (!def.params.some((p) => p.name === name)) {
      throw new SigmatiqError('INDICATOR_PARAM', `${def.name}: parameter '${name}' is unknown`, { indicator: def.name, param: name });
    }
    if ((axes[name] ?? []).length === 0) {
      throw new SigmatiqError('INDICATOR_PARAM', `${def.name}: parameter '${name}' has no values in the grid`, { indicator: def.name, param: name });
    }
  }
  let sets: Record<string, number>[] = [{}];
  for (const p of def.params) {
    const values = axes[p.name];
    if (values === undefined) continue;
    const next: Record<string, number>[] = [];
    for (const s of sets) for (const v of values) next.push({ ...s, [p.name]: v });
    sets = next;
  }
  return sets;
}

/**
 * Compute `def` for every parameter set of `grid`; repeated sets (after defaults are filled in)
 * are computed once. Pass a shared cache to reuse results across calls.
 */
export function computeGrid(def: IndicatorDef, bars: BarsInput, grid: ParamGrid, cache: IndicatorCache = new IndicatorCache()): GridResult[] {
  const sets = expandGrid(def, grid);
  // Validate every set before computing anything.
  const resolved = sets.map((s) => def.resolveParams(s));
  return resolved.map((params) => ({
    params,
    columns: def.columns(params),
    outputs: cache.compute(def, bars, params),
  }));
}

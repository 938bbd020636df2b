import { SigmatiqError } from '../errors.js';
import type { BarField } from '../data/bars.js';
import type { BarsInput, IndicatorDef, IndicatorParams, ParamDef } from './types.js';

/** Resolved parameters: every declared parameter present, checked. */
export type ResolvedParams = Readonly<Record<string, number>>;

/** What an indicator author writes; `defineIndicator` turns it into an `IndicatorDef`. */
export interface IndicatorSpec {
  readonly name: string;
  readonly description: string;
  readonly kind?: 'indicator' | 'feature';
  readonly inputs: readonly BarField[];
  readonly usesTime?: boolean;
  readonly params: readonly ParamDef[];
  readonly outputs: readonly string[];
  /** Column prefix per output (default: the indicator name when there is one output). */
  readonly columnPrefixes?: readonly string[];
  /** First valid bar per output, for resolved params. */
  lookbacks(p: ResolvedParams): readonly number[];
  /** Cross-parameter checks (throw `paramError`). */
  validate?(p: ResolvedParams): void;
  /**
   * The kernel: reads `inputs` (all the same length, no leading NaN), writes every cell of every
   * `out` array (NaN before the first valid bar). Must not allocate per bar.
   */
  kernel(inputs: readonly Float64Array[], p: ResolvedParams, out: readonly Float64Array[], ts: Float64Array | undefined): void;
}

export function paramError(indicator: string, param: string, message: string, value?: unknown): SigmatiqError {
  return new SigmatiqError('INDICATOR_PARAM', `${indicator}: parameter '${param}' ${message}`, {
    indicator,
    param,
    ...(value === undefined ? {} : { value }),
  });
}

/** `2` -> `2`, `2.5` -> `2p5` (a dot would not survive as an expression identifier). */
export function formatParamForColumn(v: number): string {
  return String(v).replace('.', 'p').replace('-', 'm');
}

function resolve(spec: IndicatorSpec, params: IndicatorParams): ResolvedParams {
  if (typeof params !== 'object' || params === null) {
    throw new SigmatiqError('INDICATOR_PARAM', `${spec.name}: parameters must be an object`, { indicator: spec.name });
  }
  for (const key of Object.keys(params)) {
    if (!spec.params.some((p) => p.name === key)) {
      const known = spec.params.map((p) => p.name).join(', ') || '(none)';
      throw paramError(spec.name, key, `is unknown (known: ${known})`, params[key]);
    }
  }
  const out: Record<string, number> = {};
  for (const def of spec.params) {
    const raw: unknown = params[def.name] ?? def.default;
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      throw paramError(spec.name, def.name, 'must be a finite number', raw);
    }
    if (def.kind === 'int' && !Number.isInteger(raw)) {
      throw paramError(spec.name, def.name, `must be an integer, got ${raw}`, raw);
    }
    if (raw < def.min || raw > def.max) {
      throw paramError(spec.name, def.name, `must be in [${def.min}, ${def.max}], got ${raw}`, raw);
    }
    out[def.name] = raw;
  }
  spec.validate?.(out);
  return out;
}

/** Output arrays; the kernel writes every cell, so they are NaN-filled only where it does not run. */
function allocArrays(count: number, length: number): Float64Array[] {
  const outs: Float64Array[] = [];
  for (let k = 0; k < count; k++) outs.push(new Float64Array(length));
  return outs;
}

function fillNaN(outs: readonly Float64Array[], from: number, to: number): readonly Float64Array[] {
  for (const o of outs) o.fill(NaN, from, to);
  return outs;
}

/** Build an `IndicatorDef` from a kernel: parameter checks, leading-NaN skip, naming. */
export function defineIndicator(spec: IndicatorSpec): IndicatorDef {
  const prefixes = spec.columnPrefixes ?? (spec.outputs.length === 1 ? [spec.name] : spec.outputs.map((o) => `${spec.name}_${o}`));
  if (prefixes.length !== spec.outputs.length) {
    throw new Error(`defineIndicator(${spec.name}): columnPrefixes must match outputs`);
  }
  const usesTime = spec.usesTime ?? false;

  const computeFrom = (inputs: readonly Float64Array[], params: IndicatorParams, ts?: Float64Array): Float64Array[] => {
    const p = resolve(spec, params);
    if (inputs.length !== spec.inputs.length) {
      throw new SigmatiqError('INDICATOR_INPUT', `${spec.name}: expected ${spec.inputs.length} input series (${spec.inputs.join(', ')}), got ${inputs.length}`, { indicator: spec.name });
    }
    const n = inputs[0]?.length ?? ts?.length ?? 0;
    for (let k = 0; k < inputs.length; k++) {
      if (inputs[k]?.length !== n) {
        throw new SigmatiqError('INDICATOR_INPUT', `${spec.name}: input '${spec.inputs[k] ?? k}' has length ${inputs[k]?.length}, expected ${n}`, { indicator: spec.name, input: spec.inputs[k] });
      }
    }
    if (usesTime && ts?.length !== n) {
      throw new SigmatiqError('INDICATOR_INPUT', `${spec.name}: needs timestamps of length ${n}`, { indicator: spec.name, input: 'ts' });
    }
    const outs = allocArrays(spec.outputs.length, n);
    // Skip leading NaNs (TA-Lib's Python wrapper does the same): start where every input is a number.
    let start = 0;
    for (; start < n; start++) {
      let ok = true;
      for (const input of inputs) if (Number.isNaN(input[start])) ok = false;
      if (ok) break;
    }
    if (start >= n) return fillNaN(outs, 0, n) as Float64Array[];
    const lbs = spec.lookbacks(p);
    let maxLb = 0;
    for (const lb of lbs) maxLb = Math.max(maxLb, lb);
    // Fewer bars than the shortest lookback: all NaN (already), no kernel call.
    let minLb = Infinity;
    for (const lb of lbs) minLb = Math.min(minLb, lb);
    if (n - start <= minLb) return fillNaN(outs, 0, n) as Float64Array[];
    if (start === 0) {
      spec.kernel(inputs, p, outs, ts);
    } else {
      fillNaN(outs, 0, start);
      spec.kernel(
        inputs.map((a) => a.subarray(start)),
        p,
        outs.map((a) => a.subarray(start)),
        ts?.subarray(start),
      );
    }
    return outs;
  };

  return {
    name: spec.name,
    description: spec.description,
    kind: spec.kind ?? 'indicator',
    inputs: spec.inputs,
    usesTime,
    params: spec.params,
    outputs: spec.outputs,
    lookback(params) {
      let lb = 0;
      for (const v of spec.lookbacks(resolve(spec, params))) lb = Math.max(lb, v);
      return lb;
    },
    lookbacks(params) {
      return spec.lookbacks(resolve(spec, params));
    },
    columns(params, source) {
      const p = resolve(spec, params);
      const parts = spec.params.map((d) => formatParamForColumn(p[d.name] ?? d.default));
      const defaultSource = spec.inputs.length === 1 ? spec.inputs[0] : undefined;
      if (source !== undefined && source !== defaultSource) {
        if (spec.inputs.length !== 1) {
          throw new SigmatiqError('INDICATOR_INPUT', `${spec.name}: only single-input indicators take a source field`, { indicator: spec.name, source });
        }
        parts.unshift(source);
      }
      const suffix = parts.length > 0 ? `_${parts.join('_')}` : '';
      return prefixes.map((prefix) => `${prefix}${suffix}`);
    },
    resolveParams(params) {
      return resolve(spec, params);
    },
    compute(bars: BarsInput, params) {
      const inputs = spec.inputs.map((f) => bars[f]);
      return computeFrom(inputs, params, usesTime ? bars.ts : undefined);
    },
    computeFrom,
  };
}

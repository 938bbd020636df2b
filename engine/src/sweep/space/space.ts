/**
 * A parameter space: the product of its parameters' domains (first declared parameter varies
 * slowest, like nested loops), filtered by its conditions. Every space is finite and discrete.
 */
import { SweepError } from '../errors.js';
import { parseCondition, type Condition } from './conditions.js';
import { domainValues, type ParamSpec, type ParamValue } from './domain.js';

export type ParamPoint = Readonly<Record<string, ParamValue>>;

export interface SpaceSpec {
  readonly params: readonly ParamSpec[];
  /** Conditions every point must satisfy, ANDed: `fast < slow`. */
  readonly conditions?: readonly string[];
}

/** Raw products above this are not enumerated to count the conditioned space (SWS-1003). */
export const MAX_ENUMERATED_RAW = 20_000_000;

export class ParameterSpace {
  readonly names: readonly string[];
  readonly values: readonly (readonly ParamValue[])[];
  readonly conditions: readonly Condition[];
  /** Size of the unconditioned product. */
  readonly rawSize: number;

  constructor(spec: SpaceSpec) {
    const params: readonly ParamSpec[] = spec.params;
    const raw: unknown = spec.params;
    const isList = Array.isArray(raw);
    if (!isList || params.length === 0) {
      throw new SweepError('INVALID_SPACE', 'the space declares no parameter', { field: 'params' });
    }
    const names: string[] = [];
    const values: ParamValue[][] = [];
    for (const p of params) {
      if (names.includes(p.name)) throw new SweepError('INVALID_SPACE', `parameter '${p.name}' is declared twice`, { parameter: p.name });
      names.push(p.name);
      values.push(domainValues(p));
    }
    this.names = names;
    this.values = values;
    const declared = new Set(names);
    this.conditions = (spec.conditions ?? []).map((c) => parseCondition(c, declared));
    this.rawSize = values.reduce((acc, v) => acc * v.length, 1);
  }

  /** The point at a raw (unconditioned) mixed-radix index. */
  rawPoint(index: number): ParamPoint {
    const p: Record<string, ParamValue> = {};
    let rest = index;
    for (let d = this.names.length - 1; d >= 0; d--) {
      const vals = this.values[d] ?? [];
      const k = rest % vals.length;
      rest = Math.floor(rest / vals.length);
      p[this.names[d] ?? ''] = vals[k] as ParamValue;
    }
    // Re-insert in declared order so canonical output reads naturally.
    const ordered: Record<string, ParamValue> = {};
    for (const n of this.names) ordered[n] = p[n] as ParamValue;
    return ordered;
  }

  /** Point from per-dimension value indices. */
  pointFromIndices(idx: readonly number[]): ParamPoint {
    const p: Record<string, ParamValue> = {};
    this.names.forEach((n, d) => { p[n] = (this.values[d] ?? [])[idx[d] ?? 0] as ParamValue; });
    return p;
  }

  accepts(point: ParamPoint): boolean {
    for (const c of this.conditions) if (!c.test(point)) return false;
    return true;
  }

  /**
   * Every point satisfying the conditions, in grid order, or stops with `exceeded: true` as soon
   * as more than `limit` are found (so a cap check never enumerates more than it must).
   */
  enumerate(limit = Number.POSITIVE_INFINITY): { points: ParamPoint[]; exceeded: boolean } {
    if (this.conditions.length > 0 && this.rawSize > MAX_ENUMERATED_RAW) {
      throw new SweepError('INVALID_SPACE', `the raw space has ${this.rawSize} points, more than ${MAX_ENUMERATED_RAW} to filter by conditions; narrow the ranges`, { raw_size: this.rawSize });
    }
    if (this.conditions.length === 0 && this.rawSize > limit) return { points: [], exceeded: true };
    const points: ParamPoint[] = [];
    for (let i = 0; i < this.rawSize; i++) {
      const p = this.rawPoint(i);
      if (!this.accepts(p)) continue;
      if (points.length >= limit) return { points, exceeded: true };
      points.push(p);
    }
    return { points, exceeded: false };
  }
}

/**
 * Heatmap data over two parameters: z[yi][xi] is the metric of the combination with those two
 * values (the best by that metric when other parameters also vary: `agg: 'max'`), null where no
 * combination ran or the metric is NaN. `autoHeatmap` returns the data only when exactly two
 * parameters take more than one value in the results.
 */
import type { ParamValue } from '../space/domain.js';
import type { ComboResult } from './types.js';

export interface HeatmapData {
  readonly x: string;
  readonly y: string;
  readonly metric: string;
  readonly x_values: readonly ParamValue[];
  readonly y_values: readonly ParamValue[];
  readonly z: readonly (readonly (number | null)[])[];
}

/**
 * Identity of a value for grouping: numbers by value (Map keys compare by SameValueZero, so 0 and
 * -0 are one value, as are NaNs), other values by type and text: the same groups as the key
 * `${typeof v}:${String(v)}` without building a string per row.
 */
function keyOf(v: ParamValue): number | string {
  return typeof v === 'number' ? v : `${typeof v}:${String(v)}`;
}

function distinct(rows: readonly ComboResult[], name: string): ParamValue[] {
  const seen = new Map<number | string, ParamValue>();
  for (const r of rows) {
    const v = r.params[name];
    if (v !== undefined) seen.set(keyOf(v), v);
  }
  const vals = [...seen.values()];
  const nums = vals.filter((v): v is number => typeof v === 'number');
  return nums.length === vals.length ? nums.sort((a, b) => a - b) : vals;
}

function grid(rows: readonly ComboResult[], x: string, y: string, metric: string, xs: ParamValue[], ys: ParamValue[]): HeatmapData {
  const xi = new Map(xs.map((v, i) => [keyOf(v), i]));
  const yi = new Map(ys.map((v, i) => [keyOf(v), i]));
  const z: (number | null)[][] = ys.map(() => xs.map(() => null));
  for (const r of rows) {
    const vx = r.params[x];
    const vy = r.params[y];
    const m = r.metrics?.[metric];
    if (vx === undefined || vy === undefined || m === undefined || Number.isNaN(m)) continue;
    const i = xi.get(keyOf(vx));
    const j = yi.get(keyOf(vy));
    if (i === undefined || j === undefined) continue;
    const row = z[j];
    if (row === undefined) continue;
    const cur = row[i];
    if (cur === null || cur === undefined || m > cur) row[i] = m;
  }
  return { x, y, metric, x_values: xs, y_values: ys, z };
}

export function heatmap(rows: readonly ComboResult[], x: string, y: string, metric = 'sharpe_ratio'): HeatmapData {
  return grid(rows, x, y, metric, distinct(rows, x), distinct(rows, y));
}

export function autoHeatmap(paramNames: readonly string[], rows: readonly ComboResult[], metric = 'sharpe_ratio'): HeatmapData | undefined {
  const varying: { name: string; values: ParamValue[] }[] = [];
  for (const name of paramNames) {
    const values = distinct(rows, name);
    if (values.length > 1) varying.push({ name, values });
  }
  const [a, b] = varying;
  if (varying.length !== 2 || a === undefined || b === undefined) return undefined;
  return grid(rows, a.name, b.name, metric, a.values, b.values);
}

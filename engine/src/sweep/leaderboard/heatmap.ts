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

function distinct(rows: readonly ComboResult[], name: string): ParamValue[] {
  const seen = new Map<string, ParamValue>();
  for (const r of rows) {
    const v = r.params[name];
    if (v !== undefined) seen.set(`${typeof v}:${String(v)}`, v);
  }
  const vals = [...seen.values()];
  const nums = vals.filter((v): v is number => typeof v === 'number');
  return nums.length === vals.length ? nums.sort((a, b) => a - b) : vals;
}

export function heatmap(rows: readonly ComboResult[], x: string, y: string, metric = 'sharpe_ratio'): HeatmapData {
  const xs = distinct(rows, x);
  const ys = distinct(rows, y);
  const xi = new Map(xs.map((v, i) => [`${typeof v}:${String(v)}`, i]));
  const yi = new Map(ys.map((v, i) => [`${typeof v}:${String(v)}`, i]));
  const z: (number | null)[][] = ys.map(() => xs.map(() => null));
  for (const r of rows) {
    const vx = r.params[x];
    const vy = r.params[y];
    const m = r.metrics?.[metric];
    if (vx === undefined || vy === undefined || m === undefined || Number.isNaN(m)) continue;
    const i = xi.get(`${typeof vx}:${String(vx)}`);
    const j = yi.get(`${typeof vy}:${String(vy)}`);
    if (i === undefined || j === undefined) continue;
    const row = z[j];
    if (row === undefined) continue;
    const cur = row[i];
    if (cur === null || cur === undefined || m > cur) row[i] = m;
  }
  return { x, y, metric, x_values: xs, y_values: ys, z };
}

export function autoHeatmap(paramNames: readonly string[], rows: readonly ComboResult[], metric = 'sharpe_ratio'): HeatmapData | undefined {
  const varying = paramNames.filter((p) => distinct(rows, p).length > 1);
  if (varying.length !== 2) return undefined;
  return heatmap(rows, varying[0] ?? '', varying[1] ?? '', metric);
}

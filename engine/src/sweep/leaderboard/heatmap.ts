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

/**
 * The values of `name` row by row when every row has it as a plain number (not NaN, not -0, whose
 * Map keys would merge with another value's): then the distinct values are the sorted unique
 * numbers and a value's index is found by binary search, with no Map. Undefined otherwise.
 */
function plainColumn(rows: readonly ComboResult[], name: string): Float64Array | undefined {
  const col = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as ComboResult).params[name];
    if (typeof v !== 'number' || Number.isNaN(v) || Object.is(v, -0)) return undefined;
    col[i] = v;
  }
  return col;
}

/** Sorted unique values of a plain column (the same values, in the same order, as `distinct`). */
function uniqueSorted(col: Float64Array): number[] {
  const s = col.slice().sort();
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const v = s[i] as number;
    if (i === 0 || v !== s[i - 1]) out.push(v);
  }
  return out;
}

function indexOfSorted(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = xs[mid] as number;
    if (m === v) return mid;
    if (m < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function distinct(rows: readonly ComboResult[], name: string, col?: Float64Array): ParamValue[] {
  if (col !== undefined) return uniqueSorted(col);
  const seen = new Map<number | string, ParamValue>();
  for (const r of rows) {
    const v = r.params[name];
    if (v !== undefined) seen.set(keyOf(v), v);
  }
  const vals = [...seen.values()];
  const nums = vals.filter((v): v is number => typeof v === 'number');
  return nums.length === vals.length ? nums.sort((a, b) => a - b) : vals;
}

function emptyGrid(xs: readonly ParamValue[], ys: readonly ParamValue[]): (number | null)[][] {
  const z: (number | null)[][] = [];
  for (let j = 0; j < ys.length; j++) {
    const row: (number | null)[] = [];
    for (let i = 0; i < xs.length; i++) row.push(null);
    z.push(row);
  }
  return z;
}

/** z[j][i] = max over rows, skipping NaN (the first of equal values stays: `m > cur`). */
function put(z: (number | null)[][], i: number, j: number, m: number): void {
  const row = z[j];
  if (row === undefined) return;
  const cur = row[i];
  if (cur === null || cur === undefined || m > cur) row[i] = m;
}

function grid(rows: readonly ComboResult[], x: string, y: string, metric: string, xs: ParamValue[], ys: ParamValue[], cols?: { x: Float64Array; y: Float64Array }): HeatmapData {
  const z = emptyGrid(xs, ys);
  if (cols !== undefined) {
    // Plain numeric columns (see plainColumn): xs and ys are their sorted unique values.
    const xn = xs as number[];
    const yn = ys as number[];
    for (let r = 0; r < rows.length; r++) {
      const m = (rows[r] as ComboResult).metrics?.[metric];
      if (m === undefined || Number.isNaN(m)) continue;
      const i = indexOfSorted(xn, cols.x[r] as number);
      const j = indexOfSorted(yn, cols.y[r] as number);
      if (i >= 0 && j >= 0) put(z, i, j, m);
    }
    return { x, y, metric, x_values: xs, y_values: ys, z };
  }
  const xi = new Map(xs.map((v, i) => [keyOf(v), i]));
  const yi = new Map(ys.map((v, i) => [keyOf(v), i]));
  for (const r of rows) {
    const vx = r.params[x];
    const vy = r.params[y];
    const m = r.metrics?.[metric];
    if (vx === undefined || vy === undefined || m === undefined || Number.isNaN(m)) continue;
    const i = xi.get(keyOf(vx));
    const j = yi.get(keyOf(vy));
    if (i === undefined || j === undefined) continue;
    put(z, i, j, m);
  }
  return { x, y, metric, x_values: xs, y_values: ys, z };
}

export function heatmap(rows: readonly ComboResult[], x: string, y: string, metric = 'sharpe_ratio'): HeatmapData {
  const cx = plainColumn(rows, x);
  const cy = plainColumn(rows, y);
  return grid(rows, x, y, metric, distinct(rows, x, cx), distinct(rows, y, cy), cx !== undefined && cy !== undefined ? { x: cx, y: cy } : undefined);
}

export function autoHeatmap(paramNames: readonly string[], rows: readonly ComboResult[], metric = 'sharpe_ratio'): HeatmapData | undefined {
  const varying: { name: string; values: ParamValue[]; col: Float64Array | undefined }[] = [];
  for (const name of paramNames) {
    const col = plainColumn(rows, name);
    const values = distinct(rows, name, col);
    if (values.length > 1) varying.push({ name, values, col });
  }
  const [a, b] = varying;
  if (varying.length !== 2 || a === undefined || b === undefined) return undefined;
  return grid(rows, a.name, b.name, metric, a.values, b.values, a.col !== undefined && b.col !== undefined ? { x: a.col, y: b.col } : undefined);
}

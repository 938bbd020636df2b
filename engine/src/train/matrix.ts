/**
 * A feature matrix: column-major float64 (one Float64Array per feature, all of length `rows`).
 * Column-major matches how indicators are computed and how the scaler and binner read features.
 */
import { trainError } from './errors.js';

export interface FeatureMatrix {
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
  readonly rows: number;
}

export function checkMatrix(x: FeatureMatrix, where = 'features'): void {
  if (x.columns.length !== x.names.length) throw trainError('TRAIN_BAD_INPUT', `${where}: ${x.names.length} names for ${x.columns.length} columns`, { field: where });
  x.columns.forEach((c, j) => {
    if (c.length !== x.rows) throw trainError('TRAIN_BAD_INPUT', `${where}: column '${x.names[j] ?? j}' has ${c.length} rows, expected ${x.rows}`, { field: where, column: x.names[j] });
  });
}

/** Rows `idx` of every column (a copy). */
export function takeRows(x: FeatureMatrix, idx: Int32Array | readonly number[]): FeatureMatrix {
  const n = idx.length;
  const columns = x.columns.map((c) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = c[idx[i] as number] as number;
    return out;
  });
  return { names: x.names, columns, rows: n };
}

export function takeLabels(y: Uint8Array, idx: Int32Array | readonly number[]): Uint8Array {
  const out = new Uint8Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = y[idx[i] as number] as number;
  return out;
}

export function checkLabels(y: Uint8Array, rows: number, where = 'labels'): void {
  if (y.length !== rows) throw trainError('TRAIN_BAD_INPUT', `${where}: ${y.length} labels for ${rows} rows`, { field: where });
  let pos = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (v > 1) throw trainError('TRAIN_BAD_INPUT', `${where}: label at row ${i} is ${v}, expected 0 or 1`, { field: where, row: i });
    pos += v;
  }
  if (pos === 0 || pos === y.length) throw trainError('TRAIN_ONE_CLASS', `${where}: every label is ${pos === 0 ? 0 : 1}; a classifier needs both classes`, { field: where, rows });
}

/** Logistic function, stable for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

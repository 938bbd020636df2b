// Test support: seeded synthetic classification data (a known logistic model plus a nonlinear
// term), so oracle tests do not depend on any code under test.
import { createRng } from '../random/index.js';
import type { FeatureMatrix } from './matrix.js';

export function synthetic(rows: number, features: number, seed: number, nonlinear = false): { x: FeatureMatrix; y: Uint8Array } {
  const rng = createRng(seed);
  const columns = Array.from({ length: features }, () => new Float64Array(rows));
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = -0.3;
    for (let j = 0; j < features; j++) {
      const v = rng.normal() * (j + 1) + j; // different scales and means: the scaler matters
      (columns[j] as Float64Array)[i] = v;
      z += ((j % 2 === 0 ? 0.8 : -0.5) * (v - j)) / (j + 1);
    }
    if (nonlinear) {
      const a = ((columns[0] as Float64Array)[i] as number);
      z += a * a > 1 ? 1.5 : -1;
    }
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { x: { names: columns.map((_, j) => `f${j}`), columns, rows }, y };
}

import { describe, expect, it } from 'vitest';
import type { CmpOp } from './ir.js';
import { compare, compareSignal, TRUE } from './kernels.js';

describe('compareSignal', () => {
  // Oracle: the Kleene kernel `compare`, then "1 where TRUE, else 0" (what evaluate() did before).
  const vals = [NaN, -Infinity, -1, -0, 0, 0.5, 1, Infinity];
  const a = new Float64Array(vals.length * vals.length);
  const b = new Float64Array(a.length);
  vals.forEach((x, i) => vals.forEach((y, j) => {
    a[i * vals.length + j] = x;
    b[i * vals.length + j] = y;
  }));
  for (const op of ['<', '<=', '>', '>=', '==', '!='] as CmpOp[]) {
    it(`'${op}' equals compare() collapsed to 0/1, NaN included`, () => {
      const kleene = new Uint8Array(a.length);
      compare(op, a, b, kleene);
      const expected = Array.from(kleene, (v) => (v === TRUE ? 1 : 0));
      const out = new Uint8Array(a.length).fill(7);
      compareSignal(op, a, b, out);
      expect(Array.from(out)).toEqual(expected);
    });
  }
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CmpOp } from './ir.js';
import { between, compare, cross, FALSE, logic, not, shiftBool, TRUE, UNKNOWN } from './kernels.js';
import { andMask, betweenMask, cmpMask, crossMask, NEGATED, orMask, shiftMask } from './masks.js';

// Oracle throughout: the Kleene kernels of kernels.ts (0 false, 1 true, 2 unknown). A mask pair is
// correct when T = (kleene === TRUE) and F = (kleene === FALSE) at every bar, NaN/inf/-0 included.
const VALS = [NaN, -Infinity, -1, -0, 0, 0.5, 1, Infinity];
const ONE_OF = fc.constantFrom(...VALS);
const OPS: CmpOp[] = ['<', '<=', '>', '>=', '==', '!='];

function tOf(k: Uint8Array): number[] {
  return Array.from(k, (v) => (v === TRUE ? 1 : 0));
}
function fOf(k: Uint8Array): number[] {
  return Array.from(k, (v) => (v === FALSE ? 1 : 0));
}
function f64(xs: readonly number[]): Float64Array {
  return Float64Array.from(xs);
}
const pairs = fc.array(fc.tuple(ONE_OF, ONE_OF), { minLength: 0, maxLength: 40 });

describe('cmpMask', () => {
  const a: number[] = [];
  const b: number[] = [];
  for (const x of VALS) {
    for (const y of VALS) {
      a.push(x);
      b.push(y);
    }
  }
  for (const op of OPS) {
    it(`'${op}': T = op, F = NEGATED[op], on every pair of ${VALS.length} special values`, () => {
      const k = new Uint8Array(a.length);
      compare(op, f64(a), f64(b), k);
      const t = new Uint8Array(a.length).fill(7);
      const f = new Uint8Array(a.length).fill(7);
      cmpMask(op, f64(a), f64(b), t);
      cmpMask(NEGATED[op], f64(a), f64(b), f);
      expect(Array.from(t)).toEqual(tOf(k));
      expect(Array.from(f)).toEqual(fOf(k));
    });
  }
});

describe('andMask / orMask', () => {
  it('give the Kleene and/or on all nine pairs of states, in both polarities', () => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const x of [FALSE, TRUE, UNKNOWN]) {
      for (const y of [FALSE, TRUE, UNKNOWN]) {
        xs.push(x);
        ys.push(y);
      }
    }
    const ka = Uint8Array.from(xs);
    const kb = Uint8Array.from(ys);
    const T = (k: Uint8Array): Uint8Array => Uint8Array.from(tOf(k));
    const F = (k: Uint8Array): Uint8Array => Uint8Array.from(fOf(k));
    for (const op of ['and', 'or'] as const) {
      const k = new Uint8Array(9);
      logic(op, ka, kb, k);
      const t = new Uint8Array(9);
      const f = new Uint8Array(9);
      (op === 'and' ? andMask : orMask)(T(ka), T(kb), t);
      (op === 'and' ? orMask : andMask)(F(ka), F(kb), f);
      expect(Array.from(t)).toEqual(tOf(k));
      expect(Array.from(f)).toEqual(fOf(k));
    }
    // not: T(not a) = F(a), F(not a) = T(a) (the evaluator just swaps polarity).
    const kn = new Uint8Array(9);
    not(ka, kn);
    expect(tOf(kn)).toEqual(fOf(ka));
    expect(fOf(kn)).toEqual(tOf(ka));
  });
});

describe('crossMask', () => {
  for (const above of [true, false]) {
    it(`${above ? 'cross_above' : 'cross_below'}: T and F masks equal the Kleene cross on random series with NaN/inf/-0`, () => {
      fc.assert(
        fc.property(pairs, (ps) => {
          const a = f64(ps.map((p) => p[0]));
          const b = f64(ps.map((p) => p[1]));
          const k = new Uint8Array(ps.length);
          cross(above, a, b, k);
          const t = new Uint8Array(ps.length).fill(7);
          const f = new Uint8Array(ps.length).fill(7);
          crossMask(above, true, a, b, t);
          crossMask(above, false, a, b, f);
          expect(Array.from(t)).toEqual(tOf(k));
          expect(Array.from(f)).toEqual(fOf(k));
        }),
        { seed: 4, numRuns: 300 },
      );
    });
  }
});

describe('betweenMask', () => {
  it('T and F masks equal the Kleene between on every triple of special values', () => {
    const x: number[] = [];
    const lo: number[] = [];
    const hi: number[] = [];
    for (const v of VALS) {
      for (const l of VALS) {
        for (const h of VALS) {
          x.push(v);
          lo.push(l);
          hi.push(h);
        }
      }
    }
    const k = new Uint8Array(x.length);
    between(f64(x), f64(lo), f64(hi), k);
    const t = new Uint8Array(x.length).fill(7);
    const f = new Uint8Array(x.length).fill(7);
    betweenMask(true, f64(x), f64(lo), f64(hi), t);
    betweenMask(false, f64(x), f64(lo), f64(hi), f);
    expect(Array.from(t)).toEqual(tOf(k));
    expect(Array.from(f)).toEqual(fOf(k));
  });
});

describe('shiftMask', () => {
  it('equals the Kleene shift (first k bars unknown) in both polarities, k beyond the length included', () => {
    const k0 = Uint8Array.from([TRUE, FALSE, UNKNOWN, TRUE, TRUE, FALSE, UNKNOWN]);
    for (const s of [0, 1, 3, 7, 9]) {
      const k = new Uint8Array(k0.length);
      shiftBool(k0, s, k);
      const t = new Uint8Array(k0.length).fill(7);
      const f = new Uint8Array(k0.length).fill(7);
      shiftMask(Uint8Array.from(tOf(k0)), s, t);
      shiftMask(Uint8Array.from(fOf(k0)), s, f);
      expect(Array.from(t)).toEqual(tOf(k));
      expect(Array.from(f)).toEqual(fOf(k));
    }
  });
});

describe('word-packed and byte paths agree', () => {
  // Oracle: the same kernel on word-aligned buffers vs on buffers at byte offset 1 (byte loops
  // only); lengths 0..13 cover every tail. Both are also checked against Kleene above.
  it('cmpMask, andMask, orMask and crossMask give the same bytes at offsets 0 and 1', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(ONE_OF, ONE_OF), { minLength: 0, maxLength: 13 }), (ps) => {
        const n = ps.length;
        const a = f64(ps.map((p) => p[0]));
        const b = f64(ps.map((p) => p[1]));
        const at1 = (): Uint8Array => new Uint8Array(n + 1).subarray(1);
        for (const op of OPS) {
          const w = new Uint8Array(n);
          const u = at1();
          cmpMask(op, a, b, w);
          cmpMask(op, a, b, u);
          expect(Array.from(u)).toEqual(Array.from(w));
          const kl = new Uint8Array(n);
          compare(op, a, b, kl);
          expect(Array.from(w)).toEqual(tOf(kl));
        }
        for (const above of [true, false]) {
          for (const pos of [true, false]) {
            const w = new Uint8Array(n);
            const u = at1();
            crossMask(above, pos, a, b, w);
            crossMask(above, pos, a, b, u);
            expect(Array.from(u)).toEqual(Array.from(w));
          }
        }
        const x = new Uint8Array(n);
        const y = new Uint8Array(n);
        cmpMask('<', a, b, x);
        cmpMask('<=', b, a, y);
        for (const f of [andMask, orMask]) {
          const w = new Uint8Array(n);
          const u = at1();
          f(x, y, w);
          f(x, y, u);
          expect(Array.from(u)).toEqual(Array.from(w));
          expect(Array.from(w)).toEqual(Array.from(x, (v, i) => (f === andMask ? v & (y[i] ?? 0) : v | (y[i] ?? 0))));
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

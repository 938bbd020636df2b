import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndicatorCache } from '../indicators/cache.js';
import { compileCondition, compileStrategy } from './expression.js';
import type { CmpOp } from './ir.js';
import { compare, cross, TRUE } from './kernels.js';
import { pairMasks, swapRule, type PairRule } from './pair.js';

// Oracle: the Kleene kernels of kernels.ts (an independent per-bar implementation): a rule's
// signal is 1 exactly where its Kleene value is TRUE. NaN, ±Infinity, -0 and ties included.
const VALS = [NaN, -Infinity, -1, -0, 0, 0.5, 1, Infinity];
const OPS: CmpOp[] = ['<', '<=', '>', '>=', '==', '!='];
const RULES: PairRule[] = [...OPS.map((op) => ({ cross: false, op })), { cross: true, op: '>' }, { cross: true, op: '<' }];

function oracle(r: PairRule, x: Float64Array, y: Float64Array): number[] {
  const k = new Uint8Array(x.length);
  if (r.cross) cross(r.op === '>', x, y, k);
  else compare(r.op, x, y, k);
  return Array.from(k, (v) => (v === TRUE ? 1 : 0));
}

const series = fc.array(fc.tuple(fc.constantFrom(...VALS), fc.constantFrom(...VALS)), { minLength: 0, maxLength: 37 });

describe('pairMasks (entry and exit over the same two series in one pass)', () => {
  it('equals the Kleene oracle of each rule, for every pair of rules, lengths 0..37 and offsets 0..3', () => {
    fc.assert(
      fc.property(series, fc.constantFrom(...RULES), fc.constantFrom(...RULES), fc.integer({ min: 0, max: 3 }), (ps, r1, r2, off) => {
        const x = Float64Array.from(ps, (p) => p[0]);
        const y = Float64Array.from(ps, (p) => p[1]);
        // Outputs at an offset exercise the unaligned (byte) path; stale bytes must be overwritten.
        const o1 = new Uint8Array(ps.length + off).fill(9).subarray(off);
        const o2 = new Uint8Array(ps.length + off).fill(9).subarray(off);
        pairMasks(r1, r2, x, y, o1, o2);
        expect(Array.from(o1)).toEqual(oracle(r1, x, y));
        expect(Array.from(o2)).toEqual(oracle(r2, x, y));
      }),
      { numRuns: 600 },
    );
  });

  it('swapRule: rule(x, y) = swapRule(rule)(y, x)', () => {
    fc.assert(
      fc.property(series, fc.constantFrom(...RULES), (ps, r) => {
        const x = Float64Array.from(ps, (p) => p[0]);
        const y = Float64Array.from(ps, (p) => p[1]);
        expect(oracle(swapRule(r), y, x)).toEqual(oracle(r, x, y));
      }),
      { numRuns: 200 },
    );
  });
});

describe('CompiledStrategy.evaluate with pairable rules', () => {
  const n = 403;
  const close = new Float64Array(n);
  for (let i = 0; i < n; i++) close[i] = 100 + 10 * Math.sin(i / 7) + (i % 5 === 0 ? 0.5 : 0);
  close[60] = NaN;
  const bars = { length: n, ts: Float64Array.from({ length: n }, (_, i) => i * 86_400_000), open: close, high: close, low: close, close, volume: new Float64Array(n).fill(1) };
  const cases: [string, string][] = [
    ['cross_above(sma(close, f), sma(close, s))', 'cross_below(sma(close, f), sma(close, s))'],
    ['cross_above(sma(close, f), sma(close, s))', 'cross_above(sma(close, s), sma(close, f))'],
    ['sma(close, f) > sma(close, s)', 'sma(close, s) >= sma(close, f)'],
    ['sma(close, f) > sma(close, s)', 'cross_below(sma(close, f), sma(close, s))'],
    ['cross_above(sma(close, f), sma(close, s))', 'cross_above(sma(close, f), sma(close, s))'],
    ['close > sma(close, s)', 'close < sma(close, f)'],
    ['rsi(close, f) < 30', 'rsi(close, f) > 70'],
    ['sma(close, f) > sma(close, s) and close > 1', 'cross_below(sma(close, f), sma(close, s))'],
  ];
  for (const [entry, exit] of cases) {
    it(`same signals as each rule alone: ${entry} / ${exit}`, () => {
      const ctx = { params: { f: 5, s: 12 } };
      for (const params of [{ f: 5, s: 12 }, { f: 3, s: 3 }, { f: 9, s: 4 }]) {
        const want = { entry: compileCondition(entry, ctx).evaluate({ bars, params }), exit: compileCondition(exit, ctx).evaluate({ bars, params }) };
        const strategy = compileStrategy({ entry, exit }, ctx);
        for (const indicators of [undefined, new IndicatorCache()]) {
          const got = strategy.evaluate({ bars, params, indicators }, { entry: new Uint8Array(n).fill(3), exit: new Uint8Array(n).fill(3) });
          expect(Array.from(got.entry)).toEqual(Array.from(want.entry));
          expect(Array.from(got.exit)).toEqual(Array.from(want.exit));
        }
      }
    });
  }

  it('checks the output length before evaluating (EXPR_INPUT)', () => {
    const strategy = compileStrategy({ entry: 'close > 1', exit: 'close < 1' });
    expect(() => strategy.evaluate({ bars }, { entry: new Uint8Array(n - 1), exit: new Uint8Array(n) })).toThrow(expect.objectContaining({ code: 'EXPR_INPUT' }));
    expect(() => strategy.evaluate({ bars }, { entry: new Uint8Array(n), exit: new Uint8Array(n + 1) })).toThrow(expect.objectContaining({ code: 'EXPR_INPUT' }));
  });
});

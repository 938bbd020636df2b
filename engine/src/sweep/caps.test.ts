import { describe, expect, it } from 'vitest';
import { comboCap, planCount } from './caps.js';
import { SWS, SweepError } from './errors.js';
import { ParameterSpace } from './space/space.js';

function reason(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { if (e instanceof SweepError) return e.reasonCode; throw e; }
  return undefined;
}
const grid = (n: number, m = 1): ParameterSpace =>
  new ParameterSpace({ params: [{ name: 'a', kind: 'range', start: 1, end: n, step: 1 }, { name: 'b', kind: 'range', start: 1, end: m, step: 1 }] });

describe('caps (REQUIREMENTS.md: simple <= 45, custom <= 1,000 premium / <= 3,000 pro, free simple only)', () => {
  it('gives the cap of each type and tier', () => {
    expect(comboCap('simple', 'free')).toBe(45);
    expect(comboCap('simple', 'pro')).toBe(45);
    expect(comboCap('custom', 'premium')).toBe(1000);
    expect(comboCap('custom', 'pro')).toBe(3000);
    expect(reason(() => comboCap('custom', 'free'))).toBe(SWS.TIER_NOT_ALLOWED);
  });
  it('accepts exactly the cap and rejects one more (SWS-1001), grid and trials', () => {
    expect(planCount(grid(45), 'grid', undefined, 45)).toBe(45);
    expect(reason(() => planCount(grid(46), 'grid', undefined, 45))).toBe(SWS.CAP_EXCEEDED);
    expect(planCount(grid(1000), 'grid', undefined, 1000)).toBe(1000);
    expect(reason(() => planCount(grid(1001), 'grid', undefined, 1000))).toBe(SWS.CAP_EXCEEDED);
    expect(planCount(grid(100, 30), 'grid', undefined, 3000)).toBe(3000);
    expect(reason(() => planCount(grid(3001), 'grid', undefined, 3000))).toBe(SWS.CAP_EXCEEDED);
    expect(planCount(grid(100, 100), 'tpe', 3000, 3000)).toBe(3000);
    expect(reason(() => planCount(grid(100, 100), 'random', 3001, 3000))).toBe(SWS.CAP_EXCEEDED);
  });
  it('counts the conditioned grid (9 x 9 with a < b has 36 points)', () => {
    const s = new ParameterSpace({ params: [{ name: 'a', kind: 'range', start: 1, end: 9, step: 1 }, { name: 'b', kind: 'range', start: 1, end: 9, step: 1 }], conditions: ['a < b'] });
    // 9·8/2 = 36 pairs with a < b.
    expect(planCount(s, 'grid', undefined, 45)).toBe(36);
  });
  it('fails fast on a huge unconditioned grid without enumerating it', () => {
    const huge = new ParameterSpace({ params: [{ name: 'a', kind: 'range', start: 1, end: 1e6, step: 1 }, { name: 'b', kind: 'range', start: 1, end: 1e6, step: 1 }] });
    expect(reason(() => planCount(huge, 'grid', undefined, 45))).toBe(SWS.CAP_EXCEEDED);
  });
  it('reports an empty conditioned space (SWS-1004) and bad trials (SWS-1006)', () => {
    const s = new ParameterSpace({ params: [{ name: 'a', kind: 'list', values: [1, 2] }], conditions: ['a > 5'] });
    expect(reason(() => planCount(s, 'grid', undefined, 45))).toBe(SWS.EMPTY_SPACE);
    expect(reason(() => planCount(grid(5), 'random', 0, 45))).toBe(SWS.INVALID_SAMPLER);
    expect(reason(() => planCount(grid(5), 'lhs', 2.5, 45))).toBe(SWS.INVALID_SAMPLER);
  });
  it('every SWS code is unique, in the SWS-1001..4001 range, and its error carries it', () => {
    const codes = Object.values(SWS);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) {
      const n = Number(c.slice(4));
      expect(c).toMatch(/^SWS-\d{4}$/);
      expect(n >= 1001 && n <= 4001).toBe(true);
    }
    const e = new SweepError('CANCELLED', 'x', { done: 3 });
    expect(e.code).toBe('SWEEP_CANCELLED');
    expect(e.details).toEqual({ done: 3, reason_code: 'SWS-4001' });
  });
});

import { describe, expect, it } from 'vitest';
import { SweepError } from '../errors.js';
import { parseCondition } from './conditions.js';
import { domainValues, parseDomain } from './domain.js';
import { ParameterSpace } from './space.js';

/** The SweepError `fn` throws (the test fails when it throws nothing or something else). */
function caught(fn: () => unknown): SweepError {
  try { fn(); } catch (e) { if (e instanceof SweepError) return e; throw e; }
  throw new Error('expected a SweepError');
}

function reason(fn: () => unknown): string | undefined {
  try { fn(); } catch (e) { if (e instanceof SweepError) return e.reasonCode; throw e; }
  return undefined;
}

describe('domains', () => {
  it('ranges include the end and round to the decimals of start and step', () => {
    expect(domainValues({ name: 'a', kind: 'range', start: 2, end: 10, step: 2 })).toEqual([2, 4, 6, 8, 10]);
    expect(domainValues({ name: 'a', kind: 'range', start: 0.1, end: 0.5, step: 0.1 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(domainValues({ name: 'a', kind: 'range', start: 2, end: 11, step: 3 })).toEqual([2, 5, 8, 11]);
    expect(domainValues({ name: 'a', kind: 'range', start: 2, end: 12, step: 3 })).toEqual([2, 5, 8, 11]);
    expect(domainValues({ name: 'a', kind: 'range', start: 5, end: 5, step: 1 })).toEqual([5]);
  });
  it('log ranges are geometric with exact ends; integer ones drop repeats', () => {
    // 1, 10, 100, 1000: 1·10^(i) for i = 0..3.
    const v = domainValues({ name: 'a', kind: 'log', start: 1, end: 1000, num: 4 });
    expect(v[0]).toBe(1);
    expect(v[3]).toBe(1000);
    expect(v[1]).toBeCloseTo(10, 12);
    expect(v[2]).toBeCloseTo(100, 12);
    // 1..4 with 5 points: 1, 1.414, 2, 2.83, 4 -> rounded 1, 1, 2, 3, 4 -> 1, 2, 3, 4.
    expect(domainValues({ name: 'a', kind: 'log', start: 1, end: 4, num: 5, integer: true })).toEqual([1, 2, 3, 4]);
  });
  it('rejects malformed domains with SWS-1003 naming the parameter', () => {
    expect(reason(() => domainValues({ name: 'a', kind: 'list', values: [] }))).toBe('SWS-1003');
    expect(reason(() => domainValues({ name: 'a', kind: 'list', values: [1, 1] }))).toBe('SWS-1003');
    expect(reason(() => domainValues({ name: 'a', kind: 'range', start: 1, end: 5, step: 0 }))).toBe('SWS-1003');
    expect(reason(() => domainValues({ name: 'a', kind: 'range', start: 5, end: 1, step: 1 }))).toBe('SWS-1003');
    expect(reason(() => domainValues({ name: 'a', kind: 'log', start: 0, end: 5, num: 3 }))).toBe('SWS-1003');
    expect(reason(() => domainValues({ name: '1a', kind: 'list', values: [1] }))).toBe('SWS-1003');
    expect(caught(() => domainValues({ name: 'fast', kind: 'range', start: 1, end: 5, step: -1 }))).toMatchObject({ code: 'SWEEP_INVALID_SPACE', details: { parameter: 'fast', reason_code: 'SWS-1003' } });
  });
  it('parses the CLI forms', () => {
    expect(parseDomain('f', '2..10:2')).toEqual({ name: 'f', kind: 'range', start: 2, end: 10, step: 2 });
    expect(parseDomain('f', '2..5')).toEqual({ name: 'f', kind: 'range', start: 2, end: 5, step: 1 });
    expect(parseDomain('f', 'log:1..100:5:int')).toEqual({ name: 'f', kind: 'log', start: 1, end: 100, num: 5, integer: true });
    expect(parseDomain('f', '5,10,abc,true')).toEqual({ name: 'f', kind: 'list', values: [5, 10, 'abc', true] });
  });
  it('parses decimal bounds of log ranges and ranges; malformed log/range specs are SWS-1003 naming the parameter', () => {
    // Was a one-value list ['log:0.02..0.1:3'] (the log pattern refused a '.' in START).
    expect(parseDomain('stop', 'log:0.02..0.1:3')).toEqual({ name: 'stop', kind: 'log', start: 0.02, end: 0.1, num: 3, integer: false });
    // Hand check: ratio 0.1 / 0.02 = 5, middle value 0.02 * 5^(1/2) = 0.0447213595...
    const v = domainValues(parseDomain('stop', 'log:0.02..0.1:3')) as number[];
    expect(v[0]).toBe(0.02);
    expect(v[1]).toBeCloseTo(0.0447213595, 9);
    expect(v[2]).toBe(0.1);
    expect(parseDomain('f', 'log:.5..2e1:4:int')).toEqual({ name: 'f', kind: 'log', start: 0.5, end: 20, num: 4, integer: true });
    expect(parseDomain('x', '-0.5..0.5:0.25')).toEqual({ name: 'x', kind: 'range', start: -0.5, end: 0.5, step: 0.25 });
    for (const bad of ['log:0.02..0.1', 'log:0.02..:3', 'log:a..1:3', 'log:0.02..0.1:3:float', 'log:0.02..0.1:x', '0.1..abc', '1..5:', '1..5:2:3']) {
      expect(caught(() => parseDomain('stop', bad)), bad).toMatchObject({ code: 'SWEEP_INVALID_SPACE', details: { parameter: 'stop', reason_code: 'SWS-1003', value: bad } });
    }
  });
});

describe('conditions', () => {
  const names = new Set(['fast', 'slow', 'mode']);
  it('evaluates comparisons, arithmetic and and', () => {
    const c = parseCondition('fast < slow and slow >= 2 * fast + 1', names);
    expect(c.test({ fast: 5, slow: 11 })).toBe(true);
    expect(c.test({ fast: 5, slow: 10 })).toBe(false);
    expect(c.test({ fast: 12, slow: 11 })).toBe(false);
    expect(parseCondition('mode != mode', names).test({ mode: 'x' })).toBe(false);
    expect(parseCondition('-(fast - slow) > 0', names).test({ fast: 1, slow: 2 })).toBe(true);
    expect(parseCondition('rsi.period < 2 * ema.period', new Set(['rsi.period', 'ema.period'])).test({ 'rsi.period': 10, 'ema.period': 6 })).toBe(true);
  });
  it('reports unknown names and syntax errors with SWS-1005 and a column', () => {
    expect(reason(() => parseCondition('fast < sloww', names))).toBe('SWS-1005');
    expect(reason(() => parseCondition('fast slow', names))).toBe('SWS-1005');
    expect(reason(() => parseCondition('fast < slow $', names))).toBe('SWS-1005');
    // 'fast < sloww': the unknown name starts at column 8 (1-based).
    expect(caught(() => parseCondition('fast < sloww', names))).toMatchObject({ details: { column: 8 } });
  });
});

describe('ParameterSpace', () => {
  it('enumerates in nested-loop order (first parameter slowest) and filters by conditions', () => {
    const s = new ParameterSpace({
      params: [{ name: 'fast', kind: 'range', start: 1, end: 3, step: 1 }, { name: 'slow', kind: 'list', values: [2, 3] }],
      conditions: ['fast < slow'],
    });
    expect(s.rawSize).toBe(6);
    expect(s.enumerate().points).toEqual([{ fast: 1, slow: 2 }, { fast: 1, slow: 3 }, { fast: 2, slow: 3 }]);
    expect(s.enumerate(2)).toEqual({ points: [{ fast: 1, slow: 2 }, { fast: 1, slow: 3 }], exceeded: true });
  });
  it('rejects duplicate and empty declarations', () => {
    expect(reason(() => new ParameterSpace({ params: [] }))).toBe('SWS-1003');
    expect(reason(() => new ParameterSpace({ params: [{ name: 'a', kind: 'list', values: [1] }, { name: 'a', kind: 'list', values: [2] }] }))).toBe('SWS-1003');
  });
});

describe('ParameterSpace properties (fast-check)', () => {
  it('enumerates exactly the conditioned product, in nested-loop order (oracle: explicit loops)', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 5 }),
        fc.uniqueArray(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 5 }),
        fc.uniqueArray(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 4 }),
        (a, b, c) => {
          const s = new ParameterSpace({
            params: [{ name: 'a', kind: 'list', values: a }, { name: 'b', kind: 'list', values: b }, { name: 'c', kind: 'list', values: c }],
            conditions: ['a < b + c'],
          });
          const want: Record<string, number>[] = [];
          for (const x of a) for (const y of b) for (const z of c) if (x < y + z) want.push({ a: x, b: y, c: z });
          expect(s.enumerate().points).toEqual(want);
          expect(s.rawSize).toBe(a.length * b.length * c.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

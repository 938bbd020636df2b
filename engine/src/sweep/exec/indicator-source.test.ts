/**
 * The sweep's bounded indicator store, with and without a ScanArena. Oracle: the values each
 * compute callback produced (a series filled with its own key number), checked after every
 * eviction and slot reuse.
 */
import { describe, expect, it } from 'vitest';
import type { IndicatorRequirement } from '../../strategy/index.js';
import { ScanArena } from '../../strategy/scan-wasm.js';
import { BoundedIndicatorSource } from './indicator-source.js';

const N = 100;
const req = (k: number): IndicatorRequirement => ({ name: 'sma', params: { timeperiod: k }, inputs: ['close'], fieldsOnly: true, key: `sma(timeperiod=${k})[close]` });
const series = (k: number, n = N): Float64Array => new Float64Array(n).fill(k);

describe('BoundedIndicatorSource', () => {
  it('computes each key once while it fits, and stays within its byte budget (plain arrays)', () => {
    const src = new BoundedIndicatorSource(3 * 8 * N);
    let computed = 0;
    const get = (k: number): Float64Array => src.get(req(k), () => { computed++; return [series(k)]; })[0] as Float64Array;
    for (const k of [1, 2, 3, 1, 2, 3]) expect(get(k)[0]).toBe(k);
    expect(computed).toBe(3);
    expect(get(4)[0]).toBe(4); // drops 1, the least recently used
    expect(computed).toBe(4);
    expect(get(2)[0]).toBe(2);
    expect(computed).toBe(4);
    expect(get(1)[0]).toBe(1);
    expect(computed).toBe(5);
    expect(src.hits).toBe(4);
    expect(src.misses).toBe(5);
  });

  it('keeps values of the bars\' length in arena slots, reuses the slots of dropped entries, and never the current combination\'s', () => {
    const arena = ScanArena.create(N, 2);
    if (arena === null) throw new Error('no ScanArena');
    const src = new BoundedIndicatorSource(10 * 8 * N, arena);
    const get = (k: number, n = N): Float64Array => src.get(req(k + 1000 * n), () => [series(k, n)])[0] as Float64Array;
    src.beginCombination();
    const a = get(1);
    const b = get(2);
    expect(arena.addressOf(a)).toBeGreaterThanOrEqual(0);
    expect(arena.addressOf(b)).toBeGreaterThanOrEqual(0);
    // Both slots are pinned by this combination: a third series stays a plain array, a and b intact.
    const c = get(3);
    expect(arena.addressOf(c)).toBe(-1);
    expect([a[0], b[N - 1], c[0]]).toEqual([1, 2, 3]);
    // Another length never goes to the arena.
    expect(arena.addressOf(get(4, 7))).toBe(-1);
    // Next combination: 1 is used again (pinned), 5 takes 2's slot (the oldest arena entry not pinned).
    src.beginCombination();
    expect(get(1)).toBe(a);
    const e = get(5);
    expect(arena.addressOf(e)).toBe(b.byteOffset);
    expect([a[0], e[0], e[N - 1]]).toEqual([1, 5, 5]);
    // 2 was dropped: asking again recomputes it (no slot free and both pinned: a plain array).
    const b2 = get(2);
    expect(b2).not.toBe(b);
    expect(b2[0]).toBe(2);
    expect(arena.addressOf(b2)).toBe(-1);
    expect(src.misses).toBe(6);
  });

  it('stays within its byte budget with an arena too', () => {
    const arena = ScanArena.create(N, 8);
    if (arena === null) throw new Error('no ScanArena');
    const src = new BoundedIndicatorSource(3 * 8 * N, arena);
    const seen: Float64Array[] = [];
    for (let k = 1; k <= 20; k++) {
      src.beginCombination();
      const v = src.get(req(k), () => [series(k)])[0] as Float64Array;
      expect(v[0]).toBe(k);
      seen.push(v);
      // At most three entries are kept, so at most three slots are taken.
      expect(arena.slots - arena.available).toBeLessThanOrEqual(3);
    }
    // The last three are still cached and intact.
    for (let k = 18; k <= 20; k++) expect(src.get(req(k), () => { throw new Error(`recomputed ${k}`); })[0]).toBe(seen[k - 1]);
  });
});

/**
 * The WebAssembly crossover scan (scan-wasm.ts) and its arena. Oracles: the JavaScript reference
 * `nextCrossAbove` of pair-signals.ts (read bar by bar, no summaries), itself checked here against
 * the definition written out naively (first t >= max(from, 1), t < n, with x[t-1] <= y[t-1] and
 * x[t] > y[t]; comparisons with NaN false).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextCrossAbove } from './pair-signals.js';
import { ScanArena } from './scan-wasm.js';

function naive(x: Float64Array, y: Float64Array, from: number, n: number): number {
  for (let t = Math.max(from, 1); t < n; t++) if ((x[t - 1] as number) <= (y[t - 1] as number) && (x[t] as number) > (y[t] as number)) return t;
  return n;
}

/** Series on a coarse grid {1, 2, 3} (ties everywhere) or in runs of one sign (whole blocks skippable), with NaNs. */
const pair = fc.record({
  n: fc.integer({ min: 0, max: 130 }),
  family: fc.constantFrom('ties', 'runs'),
  nanPct: fc.constantFrom(0, 1, 10),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
}).map(({ n, family, nanPct, seed }) => {
  let s = seed;
  const rnd = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let sign = 1;
  for (let i = 0; i < n; i++) {
    if (family === 'ties') {
      x[i] = 1 + Math.floor(rnd() * 3);
      y[i] = 1 + Math.floor(rnd() * 3);
    } else {
      if (rnd() < 0.05) sign = -sign;
      const base = 10 + rnd();
      y[i] = base;
      x[i] = base + sign * (0.5 + rnd());
    }
    if (rnd() * 100 < nanPct) x[i] = Number.NaN;
    if (rnd() * 100 < nanPct) y[i] = Number.NaN;
  }
  return { x, y };
});

describe('ScanArena', () => {
  it('exists on this runtime (Node has WebAssembly SIMD): the kernel path is what the sweep runs', () => {
    const a = ScanArena.create(8, 2);
    expect(a).not.toBeNull();
    a?.close();
  });

  it('hands out whole, 16-byte aligned slots, a fresh view each time, and takes them back', () => {
    const arena = ScanArena.create(5, 3);
    expect(arena).not.toBeNull();
    if (arena === null) return;
    expect(arena.slots).toBe(3);
    const a = arena.alloc();
    const b = arena.alloc();
    const c = arena.alloc();
    expect(arena.alloc()).toBeNull();
    for (const v of [a, b, c]) {
      expect(v?.length).toBe(5);
      expect((v?.byteOffset ?? 1) % 16).toBe(0);
    }
    expect(new Set([a?.byteOffset, b?.byteOffset, c?.byteOffset]).size).toBe(3);
    if (a === null || b === null) return;
    arena.release(a);
    arena.release(a); // twice: still one free slot
    expect(arena.available).toBe(1);
    const again = arena.alloc();
    expect(again).not.toBe(a); // a new view object over the same slot
    expect(again?.byteOffset).toBe(a.byteOffset);
    expect(arena.addressOf(b)).toBe(b.byteOffset);
    // Not slots of this arena: plain arrays, part of a slot, another arena's slot.
    expect(arena.addressOf(new Float64Array(5))).toBe(-1);
    expect(arena.addressOf(b.subarray(1))).toBe(-1);
    const second = ScanArena.create(5, 1);
    const other = second?.alloc();
    if (other === null || other === undefined) throw new Error('no second arena');
    expect(arena.addressOf(other)).toBe(-1);
    second?.close();
    arena.release(new Float64Array(5)); // ignored
    expect(arena.available).toBe(0);
    arena.close();
  });

  it('caps its memory at MAX_ARENA_BYTES and refuses what cannot hold one slot', () => {
    expect(ScanArena.create(0, 4)).toBeNull();
    expect(ScanArena.create(10, 0)).toBeNull();
    expect(ScanArena.create(1.5, 4)).toBeNull();
    const big = ScanArena.create(1 << 20, 1000); // 8 MiB slots: 128 fit in 1 GiB (not allocated until touched)
    expect(big?.slots).toBe(128);
    big?.close();
  });
});

describe('the WebAssembly scan equals the JavaScript reference', () => {
  it('the reference equals the naive definition', () => {
    fc.assert(fc.property(pair, ({ x, y }) => {
      const n = x.length;
      for (let from = -1; from <= n + 1; from++) {
        expect(nextCrossAbove(x, y, from, n)).toBe(naive(x, y, from, n));
        expect(nextCrossAbove(y, x, from, n)).toBe(naive(y, x, from, n));
      }
    }), { numRuns: 200 });
  });

  it('for every start, both argument orders, aligned and unaligned addresses, ties and NaNs', () => {
    fc.assert(fc.property(pair, ({ x, y }) => {
      const n = x.length;
      const arena = ScanArena.create(n + 1, 2);
      const xs = arena?.alloc();
      const ys = arena?.alloc();
      if (arena === null || xs === null || ys === null || xs === undefined || ys === undefined) throw new Error('no ScanArena');
      xs.fill(Number.NaN);
      ys.fill(Number.NaN);
      // Aligned: the series at each slot's start; unaligned: one bar further (x[0] at an odd 8-byte address).
      for (const shift of [0, 1]) {
        xs.set(x, shift);
        ys.set(y, shift);
        const xp = xs.byteOffset + 8 * shift;
        const yp = ys.byteOffset + 8 * shift;
        for (let from = -1; from <= n + 1; from++) {
          expect(arena.nextCrossAbove(xp, yp, from, n), `x,y from ${from} shift ${shift}`).toBe(nextCrossAbove(x, y, from, n));
          expect(arena.nextCrossAbove(yp, xp, from, n), `y,x from ${from} shift ${shift}`).toBe(nextCrossAbove(y, x, from, n));
        }
      }
      arena.close();
    }), { numRuns: 400 });
  });

  it('on long moving-average pairs of a random walk (the sweep workload), every event of the alternating walk', () => {
    const n = 5000;
    const arena = ScanArena.create(n, 4);
    if (arena === null) throw new Error('no ScanArena');
    let s = 20261122;
    const rnd = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
    const close = new Float64Array(n);
    let c = 100;
    for (let i = 0; i < n; i++) close[i] = c *= Math.exp(0.01 * (rnd() - 0.5));
    const sma = (w: number): Float64Array => {
      const o = arena.alloc();
      if (o === null) throw new Error('arena full');
      let acc = 0;
      for (let i = 0; i < n; i++) {
        acc += close[i] as number;
        if (i >= w) acc -= close[i - w] as number;
        o[i] = i >= w - 1 ? acc / w : Number.NaN;
      }
      return o;
    };
    const fast = sma(3);
    const slow = sma(40);
    let events = 0;
    let t = 0;
    let held = false;
    while (t < n) {
      const want = held ? nextCrossAbove(slow, fast, t, n) : nextCrossAbove(fast, slow, t, n);
      const got = held ? arena.nextCrossAbove(slow.byteOffset, fast.byteOffset, t, n) : arena.nextCrossAbove(fast.byteOffset, slow.byteOffset, t, n);
      expect(got).toBe(want);
      if (want >= n) break;
      events++;
      held = !held;
      t = want + 1;
    }
    expect(events).toBeGreaterThan(100);
    arena.close();
  });
});

describe('ScanArena: the thread\'s memory and kernel serve one arena at a time', () => {
  it('a closed arena\'s memory and kernel go to the next arena (the same function object: optimized callers stay valid)', () => {
    // Every test above closes its arenas, so the thread's memory is free here; a new one of 4 MiB becomes the thread's.
    const first = ScanArena.create(1000, 200, 4 << 20); // 1.6 MB of slots: more than any arena above took
    first?.close();
    const a = ScanArena.create(64, 4);
    if (a === null || first === null) throw new Error('no ScanArena');
    expect(a.nextCrossAbove).toBe(first.nextCrossAbove);
    // While `a` is open, another arena gets a memory and a kernel of its own.
    const b = ScanArena.create(64, 4);
    expect(b?.nextCrossAbove).not.toBe(a.nextCrossAbove);
    b?.close();
    a.close();
    expect(a.alloc()).toBeNull(); // closed: no slots, no addresses
    // Another bar count and slot count within the reserved memory: same kernel, never grown.
    const c = ScanArena.create(1000, 100);
    expect(c?.nextCrossAbove).toBe(a.nextCrossAbove);
    const x = c?.alloc();
    const y = c?.alloc();
    if (c === null || x === null || y === null || x === undefined || y === undefined) throw new Error('no slots');
    expect(a.addressOf(x)).toBe(-1);
    for (let i = 0; i < 1000; i++) {
      x[i] = Math.sin(i / 7);
      y[i] = Math.cos(i / 11);
    }
    for (const from of [0, 1, 17, 500, 999, 1000]) expect(c.nextCrossAbove(c.addressOf(x), c.addressOf(y), from, 1000)).toBe(nextCrossAbove(x, y, from, 1000));
    // A view of the same memory and length, aligned, but past this arena's slots: not one of them.
    const past = new Float64Array(x.buffer, 100 * 8000, 1000);
    expect(c.addressOf(past)).toBe(-1);
    c.release(past); // ignored
    expect(c.available).toBe(98);
    c.close();
    c.close(); // idempotent
    // More than the memory holds: a new memory (and kernel), which becomes the thread's.
    const d = ScanArena.create(1 << 18, 8);
    expect(d?.nextCrossAbove).not.toBe(a.nextCrossAbove);
    d?.close();
    expect(ScanArena.create(1 << 18, 8)?.nextCrossAbove).toBe(d?.nextCrossAbove);
  });
});

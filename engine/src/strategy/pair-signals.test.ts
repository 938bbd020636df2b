/**
 * SignalSource contract (backtest/signals.ts), run against every implementation: MaskSignals over
 * crossMask's masks, CrossPairSignals without and with block summaries, and whatever
 * CompiledStrategy.signals picks. Oracle: the masks of crossMask (masks.ts, itself tested against
 * hand-checked cases) read bar by bar — the first 1 at or after `from`, the byte at t.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaskSignals, type SignalSource } from '../backtest/signals.js';
import { generateSyntheticBars } from '../data/index.js';
import { compileStrategy } from './expression.js';
import { crossMask } from './masks.js';
import { CrossPairSignals, SeriesSummaries } from './pair-signals.js';
import { ScanArena } from './scan-wasm.js';

/** Random walks on a coarse grid (ties), with NaN runs and single NaNs, 0..200 bars. */
const seriesPair = fc.integer({ min: 0, max: 200 }).chain((n) =>
  fc.tuple(
    fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: 0, max: 99 }), { minLength: n, maxLength: n }),
    fc.integer({ min: 0, max: 3 }),
  ).map(([dx, dy, holes, nanRate]) => {
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      a += dx[i] as number;
      b += dy[i] as number;
      const h = holes[i] as number;
      x[i] = h < nanRate * 3 || i < nanRate * 4 ? Number.NaN : a / 2;
      y[i] = h >= 97 - nanRate ? Number.NaN : b / 2;
    }
    return { x, y };
  }),
);

type Make = (x: Float64Array, y: Float64Array, entryAbove: boolean, exitAbove: boolean) => SignalSource;

const IMPLEMENTATIONS: [string, Make][] = [
  ['MaskSignals', (x, y, ea, xa) => {
    const e = new Uint8Array(x.length);
    const q = new Uint8Array(x.length);
    crossMask(ea, true, x, y, e);
    crossMask(xa, true, x, y, q);
    return new MaskSignals(e, q);
  }],
  ['CrossPairSignals', (x, y, ea, xa) => new CrossPairSignals(x, y, ea, xa)],
  ['CrossPairSignals with block summaries', (x, y, ea, xa) => new CrossPairSignals(x, y, ea, xa, undefined, new SeriesSummaries())],
  ['CrossPairSignals over a ScanArena (WebAssembly scan)', (x, y, ea, xa) => {
    const arena = ScanArena.create(Math.max(1, x.length), 2);
    const xs = arena?.alloc();
    const ys = arena?.alloc();
    if (x.length === 0) return new CrossPairSignals(x, y, ea, xa, undefined, new SeriesSummaries(arena ?? undefined));
    if (arena === null || xs === null || ys === null || xs === undefined || ys === undefined) throw new Error('no ScanArena on this runtime');
    xs.set(x);
    ys.set(y);
    // Both series in the arena: CrossPairSignals takes the kernel path.
    if (arena.addressOf(xs) < 0 || arena.addressOf(ys) < 0) throw new Error('arena views not recognised');
    return new CrossPairSignals(xs, ys, ea, xa, undefined, new SeriesSummaries(arena));
  }],
];

function firstOne(m: Uint8Array, from: number): number {
  for (let t = from; t < m.length; t++) if (m[t] === 1) return t;
  return m.length;
}

describe.each(IMPLEMENTATIONS)('SignalSource contract: %s', (_name, make) => {
  it('nextEntry / nextExit / entryAt / exitAt / masks agree with the crossMask masks', () => {
    fc.assert(
      fc.property(seriesPair, fc.boolean(), fc.boolean(), ({ x, y }, ea, xa) => {
        const n = x.length;
        const want = { entry: new Uint8Array(n), exit: new Uint8Array(n) };
        crossMask(ea, true, x, y, want.entry);
        crossMask(xa, true, x, y, want.exit);
        const s = make(x, y, ea, xa);
        expect(s.length).toBe(n);
        for (let from = 0; from <= n; from++) {
          expect(s.nextEntry(from), `nextEntry(${from})`).toBe(firstOne(want.entry, from));
          expect(s.nextExit(from), `nextExit(${from})`).toBe(firstOne(want.exit, from));
        }
        for (let t = 0; t < n; t++) {
          expect(s.entryAt(t)).toBe(want.entry[t] === 1);
          expect(s.exitAt(t)).toBe(want.exit[t] === 1);
        }
        const m = s.masks();
        expect(Array.from(m.entry)).toEqual(Array.from(want.entry));
        expect(Array.from(m.exit)).toEqual(Array.from(want.exit));
      }),
      { numRuns: 300 },
    );
  });
});

describe('block summaries', () => {
  it('hold the max and min of each whole 16-bar block, NaN when the block has one', () => {
    const a = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i));
    a[20] = Number.NaN;
    const s = new SeriesSummaries().summary(a);
    expect(s.length).toBe(6); // 3 whole blocks; bars 48..49 are read bar by bar
    for (let j = 0; j < 3; j++) {
      const block = Array.from(a.subarray(16 * j, 16 * j + 16));
      if (j === 1) {
        expect(s[2]).toBeNaN();
        expect(s[3]).toBeNaN();
      } else {
        expect(s[2 * j]).toBe(Math.max(...block));
        expect(s[2 * j + 1]).toBe(Math.min(...block));
      }
    }
  });
});

describe('CompiledStrategy.signals', () => {
  const bars = generateSyntheticBars({ length: 500, seed: 11, interval: '1d' });
  const cases: [string, string][] = [
    ['cross_above(sma(close, fast), sma(close, slow))', 'cross_below(sma(close, fast), sma(close, slow))'],
    ['cross_below(sma(close, slow), sma(close, fast))', 'cross_above(sma(close, slow), sma(close, fast))'], // swapped operands
    ['cross_above(close, sma(close, slow))', 'cross_above(sma(close, slow), close)'],
    ['cross_above(sma(close, fast), sma(close, slow))', 'sma(close, fast) < sma(close, slow)'], // not a cross pair: masks
    ['cross_above(sma(close, fast), sma(close, slow)) and close > 0', 'cross_below(sma(close, fast), sma(close, slow))'],
  ];
  it.each(cases)('%s / %s gives the signals of evaluate', (entry, exit) => {
    const strategy = compileStrategy({ entry, exit }, { params: { fast: 5, slow: 20 } });
    const params = { fast: 7, slow: 30 };
    const want = strategy.evaluate({ bars, params });
    const e = Array.from(want.entry);
    const x = Array.from(want.exit);
    const s = strategy.signals({ bars, params }, undefined, new SeriesSummaries());
    const got = s.masks();
    expect(Array.from(got.entry)).toEqual(e);
    expect(Array.from(got.exit)).toEqual(x);
    expect(s.nextEntry(0)).toBe(e.indexOf(1) < 0 ? bars.length : e.indexOf(1));
    expect(e.some((v) => v === 1)).toBe(true); // the case is not vacuous
  });
  it('is lazy for a cross pair over the same two series and evaluates masks otherwise', () => {
    const lazy = compileStrategy({ entry: cases[0]?.[0] ?? '', exit: cases[0]?.[1] ?? '' }, { params: { fast: 5, slow: 20 } });
    expect(lazy.signals({ bars, params: { fast: 5, slow: 20 } })).toBeInstanceOf(CrossPairSignals);
    const masks = compileStrategy({ entry: cases[3]?.[0] ?? '', exit: cases[3]?.[1] ?? '' }, { params: { fast: 5, slow: 20 } });
    expect(masks.signals({ bars, params: { fast: 5, slow: 20 } })).toBeInstanceOf(MaskSignals);
  });
});

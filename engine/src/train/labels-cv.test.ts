// Oracles: hand-computed labels on tiny series (computations in the comments), scikit-learn's
// IsotonicRegression and _SigmoidCalibration (oracle/sk_oracle.py) for calibration, and a
// brute-force overlap check for purging.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyCalibration, fitIsotonic, fitSigmoid } from './calibrate.js';
import { DAY_MS, purgedFolds } from './cv.js';
import { forwardReturnLabels, tripleBarrierLabels } from './labels.js';
import { runSk } from './oracle/harness.js';
import { synthetic } from './testdata.test-util.js';

describe('labels', () => {
  it('forward return over a horizon with a threshold (long and short)', () => {
    const close = Float64Array.from([100, 101, 99, 103, 103]);
    // h=2: 99/100−1 = −1% → 0; 103/101−1 = +1.98% → 1; 103/99−1 = 4.04% → 1; last two: no label
    const l = forwardReturnLabels(close, 2, 0.01);
    expect(Array.from(l.y.subarray(0, 3))).toEqual([0, 1, 1]);
    expect(Array.from(l.valid)).toEqual([1, 1, 1, 0, 0]);
    expect(Array.from(l.end.subarray(0, 3))).toEqual([2, 3, 4]);
    // short: −1% < −0.5% → 1
    expect(forwardReturnLabels(close, 2, 0.005, 'short').y[0]).toBe(1);
  });
  it('triple barrier: profit-take, stop, stop first on a two-sided bar, time limit', () => {
    // close 100 at bar 0, pt 5% → 105, sl 3% → 97
    const bars = {
      close: Float64Array.from([100, 101, 102, 100, 100, 100]),
      high: Float64Array.from([100, 102, 106, 101, 104, 101]),
      low: Float64Array.from([100, 99, 100, 96, 99, 99]),
      length: 6,
    };
    const l = tripleBarrierLabels(bars, 0.05, 0.03, 3);
    // bar 0: bar 2 high 106 ≥ 105 first → 1, end 2
    expect([l.y[0], l.end[0]]).toEqual([1, 2]);
    // bar 1 (101): pt 106.05, sl 97.97; bar 2 high 106 < 106.05; bar 3 low 96 ≤ 97.97 → 0, end 3
    expect([l.y[1], l.end[1]]).toEqual([0, 3]);
    // bar 2 (102): pt 107.1, sl 98.94: bar 3 low 96 → 0
    expect(l.y[2]).toBe(0);
    // bar 3 (100): bars 4, 5 touch nothing; limit bar 6 is beyond the data → no label
    expect(l.valid[3]).toBe(0);
    const both = tripleBarrierLabels({ close: Float64Array.from([100, 100]), high: Float64Array.from([100, 110]), low: Float64Array.from([100, 90]), length: 2 }, 0.05, 0.05, 5);
    expect(both.y[0]).toBe(0); // both barriers on one bar: the stop
    const timed = tripleBarrierLabels({ close: Float64Array.from([100, 100.5, 101]), high: Float64Array.from([100, 101, 101]), low: Float64Array.from([100, 100, 100]), length: 3 }, 0.05, 0.05, 2);
    expect([timed.y[0], timed.end[0]]).toEqual([1, 2]); // +1% at the limit → 1 ('sign')
  });
});

describe('purged, embargoed folds', () => {
  it('no training label overlaps the test period; embargo drops the day after it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 40, max: 300 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 2, max: 6 }), fc.constantFrom<'kfold' | 'expanding'>('kfold', 'expanding'), (n, h, k, mode) => {
        const hour = 3_600_000;
        const start = Float64Array.from({ length: n }, (_, i) => i * hour * 6);
        const end = Float64Array.from({ length: n }, (_, i) => start[Math.min(n - 1, i + h)] as number);
        for (const f of purgedFolds(start, end, { folds: k, mode })) {
          const t0 = start[f.test[0] as number] as number;
          let t1 = 0;
          for (const i of f.test) t1 = Math.max(t1, end[i] as number);
          for (const i of f.train) {
            const s = start[i] as number;
            if (!((end[i] as number) < t0 || s > t1)) return false; // not purged
            if (s > t1 && s <= t1 + DAY_MS) return false; // not embargoed
            if (mode === 'expanding' && i >= (f.test[0] as number)) return false;
          }
          if (f.train.length + f.test.length + f.purged + f.embargoed !== (mode === 'kfold' ? n : (f.test[0] as number) + f.test.length)) return false;
        }
        return true;
      }),
      { numRuns: 40, seed: 7 },
    );
  });
  it('hand example: 10 daily samples, 2-day labels, 2 folds', () => {
    const start = Float64Array.from({ length: 10 }, (_, i) => i * DAY_MS);
    const end = Float64Array.from({ length: 10 }, (_, i) => Math.min(9, i + 2) * DAY_MS);
    const [f0, f1] = purgedFolds(start, end, { folds: 2, embargoMs: DAY_MS });
    // fold 0 tests days 0..4 (labels end by day 6): days 5, 6 purged (start ≤ 6), day 7 embargoed
    expect(Array.from(f0?.train ?? [])).toEqual([8, 9]);
    // fold 1 tests days 5..9: days 3, 4 overlap (end ≥ 5) → purged; nothing after → no embargo
    expect(Array.from(f1?.train ?? [])).toEqual([0, 1, 2]);
  });
});

describe('calibration vs scikit-learn', () => {
  const { y } = synthetic(800, 1, 9);
  const s = Float64Array.from({ length: 800 }, (_, i) => Math.round(((i * 7919) % 997) / 37) / 3 - 4 + (y[i] as number));
  const q = Float64Array.from([-10, -4, -1.5, 0, 0.37, 2, 9]);
  let sk: [{ a: number; b: number }, { pred: number[] }];
  beforeAll(() => {
    sk = runSk([{ task: 'sigmoid', s: Array.from(s), y: Array.from(y) }, { task: 'isotonic', s: Array.from(s), y: Array.from(y), q: Array.from(q) }]);
  });
  it('sigmoid (Platt) parameters within 1e-4 of _SigmoidCalibration (its L-BFGS tolerance)', () => {
    const c = fitSigmoid(s, y);
    if (c.kind !== 'sigmoid') throw new Error('expected sigmoid');
    expect(Math.abs(c.a - sk[0].a)).toBeLessThan(1e-4);
    expect(Math.abs(c.b - sk[0].b)).toBeLessThan(1e-4);
  });
  it('isotonic predictions equal IsotonicRegression(out_of_bounds=clip)', () => {
    const p = applyCalibration(fitIsotonic(s, y), q);
    p.forEach((v, i) => expect(v).toBeCloseTo(sk[1].pred[i] as number, 12));
  });
});

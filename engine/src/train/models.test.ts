// Oracles: scikit-learn 1.9.1 (StandardScaler + LogisticRegression, newton-cholesky, tol 1e-12)
// and LightGBM 4.7.0 (LGBMClassifier, one thread) via oracle/sk_oracle.py in .venv, on the same
// seeded synthetic data; roc_auc_score for the AUC. All oracle requests go in one Python run.
import { beforeAll, describe, expect, it } from 'vitest';
import { fitGbdt, predictGbdt } from './gbdt.js';
import { fitLogReg, predictLogReg } from './logreg.js';
import { aucRoc } from './metrics.js';
import { takeLabels, takeRows } from './matrix.js';
import { rowsOf, runSk } from './oracle/harness.js';
import { synthetic } from './testdata.test-util.js';

const lr = synthetic(1500, 6, 11);
const g = synthetic(6000, 8, 3, true);
const tr = Int32Array.from({ length: 4500 }, (_, i) => i);
const va = Int32Array.from({ length: 1500 }, (_, i) => 4500 + i);
const xt = takeRows(g.x, tr);
const yt = takeLabels(g.y, tr);
const xv = takeRows(g.x, va);
const yv = takeLabels(g.y, va);
const CS = [1, 0.05];
const SUBS = [1, 0.8];
const gbdtParams = (sub: number): Record<string, number> => ({ nEstimators: 100, learningRate: 0.1, maxDepth: 4, minChildSamples: 20, lambdaL2: 0, subsample: sub, colsample: sub });
const tieScores = Float64Array.from({ length: 500 }, (_, i) => Math.round(((i * 7919) % 101) / 10));
const tieLabels = Uint8Array.from({ length: 500 }, (_, i) => ((i * 31) % 7 < 3 ? 1 : 0));

interface LrOut { coef: number[]; intercept: number; scale: number[] }
let oracle: { lr: LrOut[]; gbdt: { auc: number }[]; auc: number };

beforeAll(() => {
  const reqs = [
    ...CS.map((C) => ({ task: 'logreg', X: rowsOf(lr.x), y: Array.from(lr.y), params: { C } })),
    ...SUBS.map((s) => ({ task: 'gbdt', X: rowsOf(xt), y: Array.from(yt), Xv: rowsOf(xv), yv: Array.from(yv), params: gbdtParams(s) })),
    { task: 'auc', y: Array.from(tieLabels), s: Array.from(tieScores) },
  ];
  const out = runSk<unknown[]>(reqs);
  oracle = { lr: out.slice(0, 2) as LrOut[], gbdt: out.slice(2, 4) as { auc: number }[], auc: (out[4] as { auc: number }).auc };
});

describe('logistic regression vs scikit-learn', () => {
  CS.forEach((C, k) => {
    it(`coefficients within 1e-6 (C=${C})`, () => {
      const m = fitLogReg(lr.x, lr.y, { C });
      const sk = oracle.lr[k] as LrOut;
      m.coef.forEach((c, j) => expect(Math.abs(c - (sk.coef[j] as number))).toBeLessThan(1e-6));
      expect(Math.abs(m.intercept - sk.intercept)).toBeLessThan(1e-6);
      m.scaler.scale.forEach((s, j) => expect(s).toBeCloseTo(sk.scale[j] as number, 12));
    });
  });
  it('is deterministic and rejects one-class labels and bad C', () => {
    const { x, y } = synthetic(300, 3, 5);
    const a = predictLogReg(fitLogReg(x, y), x);
    const b = predictLogReg(fitLogReg(x, y), x);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(() => fitLogReg(x, new Uint8Array(300))).toThrow(expect.objectContaining({ code: 'TRAIN_ONE_CLASS' }) as Error);
    expect(() => fitLogReg(x, y, { C: 0 })).toThrow(expect.objectContaining({ code: 'TRAIN_BAD_PARAM' }) as Error);
  });
});

describe('GBDT vs LightGBM', () => {
  SUBS.forEach((sub, k) => {
    it(`validation AUC within 0.01 of LightGBM (subsample=colsample=${sub})`, () => {
      const m = fitGbdt(xt, yt, { ...gbdtParams(sub), seed: 7 });
      const ours = aucRoc(yv, predictGbdt(m, xv));
      expect(Math.abs(ours - (oracle.gbdt[k]?.auc ?? NaN))).toBeLessThan(0.01);
      expect(ours).toBeGreaterThan(0.6); // the data has signal: an AUC near 0.5 would mean a broken model
    });
  });
  it('our AUC equals scikit-learn roc_auc_score (ties included)', () => {
    expect(aucRoc(tieLabels, tieScores)).toBeCloseTo(oracle.auc, 12);
  });
  it('is deterministic for a seed, differs across seeds with subsampling, early-stops on validation', () => {
    const p = { nEstimators: 60, subsample: 0.7, colsample: 0.6 };
    const a = predictGbdt(fitGbdt(xt, yt, { ...p, seed: 1 }), xv);
    const b = predictGbdt(fitGbdt(xt, yt, { ...p, seed: 1 }), xv);
    const c = predictGbdt(fitGbdt(xt, yt, { ...p, seed: 2 }), xv);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
    const es = fitGbdt(xt, yt, { nEstimators: 400, learningRate: 0.5, earlyStoppingRounds: 5 }, { x: xv, y: yv });
    expect(es.trees.length).toBeLessThan(400);
    expect(es.trees.length).toBe(es.bestIteration);
    expect(es.validLoss[es.bestIteration - 1]).toBe(Math.min(...es.validLoss));
  });
});

import { describe, expect, it } from 'vitest';
import { parseCombos, parseEmbargo, parseLabel, labelText, splitComboParams } from './training-args.js';
import { rocAndCalibration } from './training.js';

describe('training arguments', () => {
  it('labels: forward return and triple barrier, percentages or fractions', () => {
    expect(parseLabel('fwd:5d:0.5%')).toEqual({ kind: 'forward_return', horizon: 5, threshold: 0.005 });
    expect(parseLabel('fwd:10')).toEqual({ kind: 'forward_return', horizon: 10, threshold: 0 });
    expect(parseLabel('tb:3%:0.02:10')).toEqual({ kind: 'triple_barrier', profitTake: 0.03, stopLoss: 0.02, maxBars: 10 });
    expect(labelText(parseLabel('tb:3%:2%:10'))).toBe('tb:3%:2%:10');
    for (const bad of ['fwd', 'fwd:0', 'fwd:x', 'fwd:5:abc', 'tb:3%:3%', 'tb:0:3%:10', 'tb:3%:3%:1.5', 'rsi:5']) {
      expect(() => parseLabel(bad), bad).toThrow(expect.objectContaining({ code: 'TRAIN_ARG_INVALID', details: { param: 'label', value: bad } }) as Error);
    }
  });

  it('embargo durations and combination lists', () => {
    expect(parseEmbargo('1d')).toBe(86_400_000);
    expect(parseEmbargo('12h')).toBe(43_200_000);
    expect(parseEmbargo('0')).toBe(0);
    expect(() => parseEmbargo('1 day')).toThrow(expect.objectContaining({ code: 'TRAIN_ARG_INVALID' }) as Error);
    expect(parseCombos('3, 1,3')).toEqual([3, 1]);
    expect(() => parseCombos('1,x')).toThrow(expect.objectContaining({ code: 'TRAIN_ARG_INVALID', details: { param: 'combos', value: '1,x' } }) as Error);
  });

  it('combination params: backtest settings are set apart', () => {
    expect(splitComboParams({ adx_threshold: 20, 'ema_fast.period': 10, size_fraction: 0.05, fee_bps: 2 })).toEqual({ strategy: { adx_threshold: 20, 'ema_fast.period': 10 }, backtest: { size_fraction: 0.05, fee_bps: 2 } });
  });

  it('ROC points and calibration bins (hand-computed)', () => {
    // Scores 0.9(1) 0.8(0) 0.35(1) 0.3(0), NaN skipped. Sorted descending, cumulative (tp, fp):
    // (1,0) (1,1) (2,1) (2,2) -> with pos = neg = 2: (fpr, tpr) = (0,.5) (.5,.5) (.5,1) (1,1), after the origin.
    const r = rocAndCalibration([0.3, 0.9, Number.NaN, 0.8, 0.35], [0, 1, 1, 0, 1], 100, 10);
    expect(r.roc).toEqual({ fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1] });
    // Bins of width 0.1: bin 3 holds 0.3(0) and 0.35(1) -> mean 0.325, positive 0.5; bin 8: 0.8(0); bin 9: 0.9(1).
    expect(r.calibration.count).toEqual([2, 1, 1]);
    expect(r.calibration.mean_predicted[0]).toBeCloseTo(0.325, 15);
    expect(r.calibration.fraction_positive).toEqual([0.5, 0, 1]);
  });
});

import { describe, expect, it } from 'vitest';
import type { TrainingJob, TrainingMetricsRow } from './api';
import { formatDuration, importanceFigure, isLive, jobView, metricsLines, sortJobs } from './data';

const job = (over: Partial<TrainingJob> = {}): TrainingJob => ({
  id: 'j1', model_id: 'm', model_version_id: 'mv', sweep_id: 'abcdef0123456789', combo_ids: [3, 1], data_snapshot_id: 'd', model_type: 'gbdt',
  status: 'training', steps: [], progress: 0.4, hyperparameters: {}, label: null, seed: 7, config_hash: 'h', error: null,
  created_at: '2026-11-21T20:01:02.000Z', started_at: null, ended_at: null, ...over,
});

const metric = (split: TrainingMetricsRow['split'], fold: number | null, v: number, id = `${split}-${fold}`): TrainingMetricsRow => ({
  id, job_id: 'j1', split, fold, accuracy: v, precision: v, recall: v, f1: v, auc_roc: v, created_at: '2026-11-21T20:00:00.000Z',
});

describe('Training panel view model', () => {
  it('formats durations (hand-checked: 125 000 ms = 2 min 05 s, 3 720 000 ms = 1 h 02 min)', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatDuration(-1)).toBe('');
  });

  it('turns a job into its list line: percent, sorted combos, step durations (recorded, running, from timestamps)', () => {
    const now = Date.parse('2026-11-21T20:05:03.500Z');
    const v = jobView(job({
      steps: [
        { name: 'dataset', status: 'done', duration_ms: 1_200 },
        { name: 'cv', status: 'done', started_at: '2026-11-21T20:04:00.000Z', ended_at: '2026-11-21T20:05:00.000Z' },
        { name: 'fit', status: 'running', started_at: '2026-11-21T20:05:00.000Z' },
        { name: 'artifact', status: 'pending' },
      ],
    }), now);
    expect(v).toMatchObject({ percent: 40, live: true, model: 'gbdt', combos: '1, 3', sweep: 'abcdef01', created: '2026-11-21 20:01', stepSummary: '2/4 steps', error: null });
    expect(v.steps.map((s) => s.duration)).toEqual(['1.2 s', '1 min 00 s', '3.5 s so far', '']);
    // A finished job's stale running step gets no clock.
    expect(jobView(job({ status: 'completed', steps: [{ name: 'fit', status: 'running', started_at: '2026-11-21T20:05:00.000Z' }] }), now).steps[0]?.duration).toBe('');
    expect(jobView(job({ status: 'failed', progress: 2, error: { error_code: 'LEAKAGE', message: 'feature x' } }), now)).toMatchObject({ percent: 100, live: false, error: 'LEAKAGE: feature x', stepSummary: 'no steps yet' });
    expect(isLive({ status: 'queued' })).toBe(true);
    expect(isLive({ status: 'cancelled' })).toBe(false);
  });

  it('sorts jobs newest first, ties by id', () => {
    const a = job({ id: 'b', created_at: '2026-01-01T00:00:00.000Z' });
    const b = job({ id: 'a', created_at: '2026-01-01T00:00:00.000Z' });
    const c = job({ id: 'c', created_at: '2026-02-01T00:00:00.000Z' });
    expect(sortJobs([a, b, c]).map((j) => j.id)).toEqual(['c', 'a', 'b']);
  });

  it('takes the overall figure of a split when recorded, else the mean over folds (hand-checked: (0.6 + 0.7 + 0.8) / 3 = 0.7)', () => {
    const lines = metricsLines([metric('validation', 0, 0.6), metric('validation', 1, 0.7), metric('validation', 2, 0.8), metric('train', 0, 0.1), metric('train', null, 0.9)]);
    expect(lines.map((l) => [l.split, l.folds])).toEqual([['train', null], ['validation', 3]]);
    expect(lines[0]?.values.auc_roc).toBe(0.9);
    expect(lines[1]?.values.f1).toBeCloseTo(0.7, 12);
    expect(metricsLines([])).toEqual([]);
  });

  it('draws the top features by gain, rank 1 at the top, with permutation bars when recorded', () => {
    const items = [
      { feature: 'rsi', gain: 5, permutation: 0.02, rank: 2 },
      { feature: 'atr', gain: 9, permutation: null, rank: 1 },
      { feature: 'vol', gain: 1, permutation: 0.01, rank: 3 },
    ];
    const fig = importanceFigure(items, 2);
    expect(fig?.data).toHaveLength(2);
    // Plotly draws the first category at the bottom: the list is reversed so rank 1 ends on top.
    expect(fig?.data[0]).toMatchObject({ type: 'bar', orientation: 'h', y: ['rsi', 'atr'], x: [5, 9] });
    expect(fig?.data[1]).toMatchObject({ name: 'permutation', x: [0.02, null], xaxis: 'x2' });
    expect(fig?.layout?.['xaxis2']).toMatchObject({ domain: [0.52, 1] });
    expect(importanceFigure(items.map((i) => ({ ...i, permutation: null })))?.data).toHaveLength(1);
    expect(importanceFigure([])).toBeNull();
  });
});

/** Pure functions of the Training panel: sidecar training jobs, metrics and importance -> what the panel draws. */
import type { Figure } from '../../renderers/plotly';
import type { FeatureImportanceRow, Split, TrainingJob, TrainingMetricsRow, TrainingStatus } from './api';

export const LIVE_STATUSES: readonly TrainingStatus[] = ['queued', 'training'];
export const isLive = (job: Pick<TrainingJob, 'status'>): boolean => LIVE_STATUSES.includes(job.status);

/** `850 ms`, `12.3 s`, `2 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const s = Math.floor(ms / 1_000);
  if (s < 3_600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3_600)} h ${String(Math.floor((s % 3_600) / 60)).padStart(2, '0')} min`;
}

export interface StepView {
  name: string;
  status: string;
  /** The recorded duration; for a running step of a live job, the time since it started (`3.2 s so far`); '' when unknown. */
  duration: string;
}

export interface JobView {
  id: string;
  status: TrainingStatus;
  live: boolean;
  /** 0-100, rounded. */
  percent: number;
  model: string;
  combos: string;
  sweep: string;
  created: string;
  steps: StepView[];
  /** `<done>/<total> steps`. */
  stepSummary: string;
  error: string | null;
}

const minute = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

/** One job as the list shows it; `now` (ms since epoch) times the running step. */
export function jobView(job: TrainingJob, now: number): JobView {
  const live = isLive(job);
  const steps = job.steps.map((s): StepView => {
    let duration = '';
    if (s.duration_ms !== undefined) duration = formatDuration(s.duration_ms);
    else if (s.status === 'running') {
      // Elapsed time only while the job is live: a finished job's stale `running` step has no meaningful clock.
      const t = s.started_at === undefined ? NaN : Date.parse(s.started_at);
      if (live && Number.isFinite(t)) duration = `${formatDuration(Math.max(0, now - t))} so far`;
    } else if (s.started_at !== undefined && s.ended_at !== undefined) {
      const d = Date.parse(s.ended_at) - Date.parse(s.started_at);
      if (Number.isFinite(d)) duration = formatDuration(d);
    }
    return { name: s.name, status: s.status, duration };
  });
  const done = job.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length;
  const progress = Number.isFinite(job.progress) ? Math.min(1, Math.max(0, job.progress)) : 0;
  return {
    id: job.id,
    status: job.status,
    live,
    percent: Math.round(progress * 100),
    model: job.model_type,
    combos: [...job.combo_ids].sort((a, b) => a - b).join(', '),
    sweep: job.sweep_id.slice(0, 8),
    created: minute(job.created_at),
    steps,
    stepSummary: job.steps.length === 0 ? 'no steps yet' : `${done}/${job.steps.length} steps`,
    error: job.error === null ? null : `${job.error.error_code}: ${job.error.message}`,
  };
}

/** Newest first, ties by id (stable across polls). */
export function sortJobs(jobs: readonly TrainingJob[]): TrainingJob[] {
  return [...jobs].sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));
}

export const METRIC_KEYS = ['accuracy', 'precision', 'recall', 'f1', 'auc_roc'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export interface MetricsLine {
  split: Split;
  /** How many folds were averaged; null when the job recorded one overall figure for the split. */
  folds: number | null;
  values: Record<MetricKey, number>;
}

/**
 * One line per split (train, validation, test; only those recorded): the overall figure (fold null, the latest
 * when several) when the job recorded one, else the mean over its folds.
 */
export function metricsLines(rows: readonly TrainingMetricsRow[]): MetricsLine[] {
  const out: MetricsLine[] = [];
  for (const split of ['train', 'validation', 'test'] as const) {
    const mine = rows.filter((r) => r.split === split);
    if (mine.length === 0) continue;
    const overall = mine.filter((r) => r.fold === null).sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id))[0];
    if (overall !== undefined) {
      out.push({ split, folds: null, values: pick(overall) });
      continue;
    }
    const mean = (k: MetricKey): number => mine.reduce((acc, r) => acc + r[k], 0) / mine.length;
    out.push({ split, folds: mine.length, values: { accuracy: mean('accuracy'), precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), auc_roc: mean('auc_roc') } });
  }
  return out;
}

function pick(r: TrainingMetricsRow): Record<MetricKey, number> {
  return { accuracy: r.accuracy, precision: r.precision, recall: r.recall, f1: r.f1, auc_roc: r.auc_roc };
}

/** Horizontal bars of the `top` features by gain (rank 1 at the top), with permutation importance beside when recorded. */
export function importanceFigure(items: readonly FeatureImportanceRow[], top = 20): Figure | null {
  const shown = [...items].sort((a, b) => a.rank - b.rank).slice(0, top).reverse();
  if (shown.length === 0) return null;
  const names = shown.map((f) => f.feature);
  const data: Record<string, unknown>[] = [{ type: 'bar', orientation: 'h', name: 'gain', x: shown.map((f) => f.gain), y: names }];
  const both = shown.some((f) => f.permutation !== null);
  // Permutation importance has another scale (a metric drop): its own panel on the right, same feature rows.
  if (both) data.push({ type: 'bar', orientation: 'h', name: 'permutation', x: shown.map((f) => f.permutation), y: names, xaxis: 'x2', yaxis: 'y' });
  return {
    data,
    layout: {
      title: { text: `Feature importance (top ${shown.length} of ${items.length} by gain)`, font: { size: 13 } },
      yaxis: { type: 'category', automargin: true },
      xaxis: { title: { text: 'gain' }, ...(both ? { domain: [0, 0.48] } : {}) },
      ...(both ? { xaxis2: { title: { text: 'permutation importance' }, domain: [0.52, 1], anchor: 'y' } } : {}),
      showlegend: false,
      height: Math.max(240, 80 + 24 * shown.length),
    },
  };
}

/** Displays of training: the live per-step progress, the result of `%train`, and `%training show`. */
import type { TrainingOutcome } from '@sigmatiq/engine';
import { bundle, type DisplayOutput, type Displayable, escapeHtml, table, toMimeBundle } from '../display/mime.js';
import { plot, type PlotlyFigure } from '../display/plotly.js';
import type { SidecarImportanceRow, SidecarMetricsRow, SidecarTrainedModel, SidecarTrainingJob, SidecarTrainingStep } from './training-store.js';

export interface TrainProgress {
  readonly combo_id: number;
  readonly job_id: string;
  readonly status: string;
  readonly steps: readonly SidecarTrainingStep[];
}

export interface TrainedCombo {
  readonly combo_id: number;
  /** The sidecar job after the run (completed, failed or cancelled). */
  readonly job: SidecarTrainingJob;
  /** The engine's outcome (metrics, importance, OOS backtest, artifact); undefined when cancelled before it started. */
  readonly outcome: TrainingOutcome | undefined;
  readonly trainedModel: SidecarTrainedModel | undefined;
  /** True when an identical earlier training had already registered this artifact (same seed and data: same bytes). */
  readonly trainedModelReused: boolean;
  /** Backtest settings of the combination (size_fraction, fee_bps...) that do not change features or labels. */
  readonly ignoredParams: Readonly<Record<string, unknown>>;
}

const f3 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(3));

/** The live display: one line per combination with its steps (✓ done, ▶ running, ✗ failed, · pending). */
export function trainProgressDisplay(states: readonly TrainProgress[]): DisplayOutput {
  const mark = { done: '✓', running: '▶', failed: '✗', skipped: '–', pending: '·' } as const;
  const lines = states.map((s) => {
    const steps = s.steps.map((st) => `${mark[st.status]} ${st.name}${st.duration_ms === undefined ? '' : ` ${st.duration_ms} ms`}`).join('  ');
    return `Training combo ${s.combo_id} (job ${s.job_id.slice(0, 8)}) ${s.status}${steps === '' ? '' : `: ${steps}`}`;
  });
  const text = lines.join('\n') || 'Training: preparing…';
  return bundle({ 'text/plain': text, 'text/html': `<pre class="sq-train-progress">${escapeHtml(text)}</pre>` });
}

/** The result of `%train` / `sq.train`: one row per combination, with its job, metrics and trained model. */
export class TrainRunView implements Displayable {
  constructor(
    readonly sweep: { readonly id: string; readonly tag: string | null },
    readonly model: string,
    readonly label: string,
    readonly classifier: 'gbdt' | 'logreg',
    readonly results: readonly TrainedCombo[],
    readonly warnings: readonly string[],
  ) {}

  rows(): Record<string, unknown>[] {
    return this.results.map((r) => {
      const m = r.outcome?.metrics;
      const bt = r.outcome?.backtest;
      return {
        combo: r.combo_id, job: r.job.id, status: r.job.status, 'train AUC': f3(m?.training.auc_roc), 'val AUC': f3(m?.validation.auc_roc), 'val F1': f3(m?.validation.f1),
        'OOS Sharpe (rules)': f3(bt?.strategy.sharpe_ratio), 'OOS Sharpe (filtered)': f3(bt?.filtered.sharpe_ratio), 'entries kept': bt === undefined ? '' : `${bt.entries_kept}/${bt.entries}`,
        'trained model': r.trainedModel === undefined ? '' : `${r.trainedModel.id}${r.trainedModelReused ? ' (same artifact as before)' : ''}`, error: r.job.error === null ? '' : `${r.job.error.error_code}: ${r.job.error.message}`,
      };
    });
  }

  [toMimeBundle](): DisplayOutput {
    const notes = [...this.warnings];
    for (const r of this.results) if (Object.keys(r.ignoredParams).length > 0) notes.push(`combo ${r.combo_id}: backtest settings ${Object.entries(r.ignoredParams).map(([k, v]) => `${k}=${String(v)}`).join(', ')} do not change features or labels (not trained on); the out-of-sample backtest of the job applies them over the pack\'s policies, as the sweep did`);
    const t = table(this.rows(), undefined, `Training ${this.classifier} on sweep ${this.sweep.tag ?? this.sweep.id} (${this.model}), label ${this.label}`);
    if (notes.length === 0) return t;
    const text = `${String(t.data['text/plain'])}\n${notes.map((n) => `note: ${n}`).join('\n')}`;
    return bundle({ 'text/plain': text, 'text/html': `${String(t.data['text/html'])}<ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` });
  }
}

const METRIC_COLUMNS = ['accuracy', 'precision', 'recall', 'f1', 'auc_roc'] as const;

interface Extra { roc?: { fpr: number[]; tpr: number[] }; calibration?: { mean_predicted: number[]; fraction_positive: number[]; count: number[] }; backtest?: { strategy?: Record<string, number>; filtered?: Record<string, number>; entries?: number; entries_kept?: number } }

/** `%training show <job>` / `sq.training.show`: metrics tables, ROC curve, feature importance, calibration plot. */
export class TrainingReport implements Displayable {
  constructor(
    readonly job: SidecarTrainingJob,
    readonly metrics: readonly SidecarMetricsRow[],
    readonly importance: readonly SidecarImportanceRow[],
    readonly trainedModels: readonly SidecarTrainedModel[],
  ) {}

  private summaryRow(split: 'train' | 'validation'): SidecarMetricsRow | undefined {
    return this.metrics.find((m) => m.split === split && m.fold === null);
  }

  private extra(): Extra {
    return (this.summaryRow('validation')?.extra ?? {});
  }

  jobTable(): Displayable & DisplayOutput {
    const j = this.job;
    const rows = [
      { field: 'job', value: j.id }, { field: 'status', value: j.status }, { field: 'sweep', value: j.sweep_id }, { field: 'combinations', value: j.combo_ids.join(', ') },
      { field: 'model type', value: j.model_type }, { field: 'label', value: JSON.stringify(j.label) }, { field: 'seed', value: j.seed }, { field: 'config_hash', value: j.config_hash },
      { field: 'steps', value: j.steps.map((s) => `${s.name} ${s.status}${s.duration_ms === undefined ? '' : ` (${s.duration_ms} ms)`}`).join(', ') },
      ...this.trainedModels.map((t) => ({ field: 'trained model', value: `${t.id} (artifact sha256 ${t.artifact_hash.slice(0, 16)})` })),
      ...(j.error === null ? [] : [{ field: 'error', value: `${j.error.error_code}: ${j.error.message}` }]),
    ];
    return table(rows, ['field', 'value'], `Training job ${j.id.slice(0, 8)} (${j.status})`);
  }

  metricsTable(): Displayable & DisplayOutput {
    const rows = (['train', 'validation'] as const).flatMap((split) => {
      const m = this.summaryRow(split);
      return m === undefined ? [] : [{ split: split === 'train' ? 'train (in sample)' : 'validation (out of fold)', ...Object.fromEntries(METRIC_COLUMNS.map((k) => [k, f3(m[k])])) }];
    });
    const folds = this.metrics.filter((m) => m.fold !== null).map((m) => ({ split: `validation fold ${String(m.fold)}`, ...Object.fromEntries(METRIC_COLUMNS.map((k) => [k, f3(m[k])])) }));
    const bt = this.extra().backtest;
    const btRows = bt === undefined ? [] : [
      { split: 'OOS backtest: rules', auc_roc: '', accuracy: `Sharpe ${f3(bt.strategy?.['sharpe_ratio'])}`, precision: `return ${f3(bt.strategy?.['total_return'])}`, recall: `trades ${String(bt.strategy?.['total_trades'] ?? '')}` },
      { split: 'OOS backtest: filtered', auc_roc: '', accuracy: `Sharpe ${f3(bt.filtered?.['sharpe_ratio'])}`, precision: `return ${f3(bt.filtered?.['total_return'])}`, recall: `trades ${String(bt.filtered?.['total_trades'] ?? '')} (${String(bt.entries_kept ?? '')}/${String(bt.entries ?? '')} entries)` },
    ];
    return table([...rows, ...folds, ...btRows], ['split', ...METRIC_COLUMNS], 'Metrics (threshold 0.5)');
  }

  rocFigure(): PlotlyFigure {
    const roc = this.extra().roc ?? { fpr: [], tpr: [] };
    return {
      data: [
        { type: 'scatter', mode: 'lines', name: `ROC (AUC ${f3(this.summaryRow('validation')?.auc_roc)})`, x: roc.fpr, y: roc.tpr },
        { type: 'scatter', mode: 'lines', name: 'chance', x: [0, 1], y: [0, 1], line: { dash: 'dash', color: '#999' } },
      ],
      layout: { title: { text: 'ROC curve (out-of-fold)' }, xaxis: { title: { text: 'False positive rate' }, range: [0, 1] }, yaxis: { title: { text: 'True positive rate' }, range: [0, 1] }, height: 380, width: 420 },
    };
  }

  importanceFigure(): PlotlyFigure {
    const items = [...this.importance].sort((a, b) => a.rank - b.rank).slice(0, 20).reverse();
    return {
      data: [
        { type: 'bar', orientation: 'h', name: 'gain share', x: items.map((i) => i.gain), y: items.map((i) => i.feature) },
        { type: 'bar', orientation: 'h', name: 'permutation (AUC drop)', x: items.map((i) => i.permutation ?? 0), y: items.map((i) => i.feature) },
      ],
      layout: { title: { text: 'Feature importance' }, barmode: 'group', height: 120 + 28 * items.length, margin: { l: 140 } },
    };
  }

  calibrationFigure(): PlotlyFigure {
    const c = this.extra().calibration ?? { mean_predicted: [], fraction_positive: [], count: [] };
    return {
      data: [
        { type: 'scatter', mode: 'lines+markers', name: 'model', x: c.mean_predicted, y: c.fraction_positive, text: c.count.map((n) => `${n} rows`) },
        { type: 'scatter', mode: 'lines', name: 'perfectly calibrated', x: [0, 1], y: [0, 1], line: { dash: 'dash', color: '#999' } },
      ],
      layout: { title: { text: 'Calibration (out-of-fold, calibrated probabilities)' }, xaxis: { title: { text: 'Mean predicted probability' }, range: [0, 1] }, yaxis: { title: { text: 'Fraction positive' }, range: [0, 1] }, height: 380, width: 420 },
    };
  }

  /** Every part, for a magic to display one by one. */
  parts(): DisplayOutput[] {
    return [this.jobTable(), this.metricsTable(), plot(this.rocFigure()), plot(this.importanceFigure()), plot(this.calibrationFigure())];
  }

  [toMimeBundle](): DisplayOutput {
    const j = this.jobTable();
    const m = this.metricsTable();
    const fig = this.importanceFigure();
    return bundle({
      'text/plain': `${String(j.data['text/plain'])}\n\n${String(m.data['text/plain'])}`,
      'text/html': `${String(j.data['text/html'])}${String(m.data['text/html'])}`,
      'application/vnd.plotly.v1+json': { data: fig.data, layout: fig.layout ?? {}, config: {} },
    });
  }
}

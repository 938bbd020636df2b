import type { Message } from '@lumino/messaging';
import type { Widget } from '@lumino/widgets';
import type { ISidecarConnection } from '../../tokens';
import { type Page, allPages } from '../common/api';
import { Poller } from '../common/poll';
import { Chart, SidecarPanel, button, h } from '../common/view';
import type { FeatureImportanceRow, TrainingJob, TrainingMetricsRow } from './api';
import { METRIC_KEYS, importanceFigure, isLive, jobView, metricsLines, sortJobs } from './data';

/** What the panel remembers across reloads (saved through the layout restorer into the state DB). */
export interface TrainingState {
  jobId: string | null;
}

/** Polling period while any job is queued or training (the issue asks for at least 1/s). */

const enc = encodeURIComponent;
const detailKey = (j: TrainingJob): string => `${j.status} ${j.progress} ${j.steps.length}`;

/**
 * Training panel: the organization's training jobs (status, progress with per-step durations, model kind,
 * combinations, created), live while any job is queued or training; selecting a job shows its train/validation
 * metrics and a feature-importance bar chart.
 */
export class TrainingPanel extends SidecarPanel {
  private state: TrainingState;
  private jobs: TrainingJob[] = [];
  private readonly poller = new Poller(() => this.poll());
  /** Bumped on every selection: answers for an older selection are dropped. */
  private generation = 0;
  /** The selected job's status/progress/steps when its results were last loaded (reloaded when they change). */
  private loadedKey: string | null = null;
  private readonly summary = h('div', { class: 'sq-Training-summary' });
  private readonly tableHost = h('div', { class: 'sq-Training-list' });
  private readonly detail = h('div', { class: 'sq-Training-detail' });
  private readonly importance = new Chart('sq-Importance');
  private readonly cancelButton = button('Cancel job', () => void this.cancelJob(), { 'data-action': 'cancel-job', title: 'Cancel the selected queued or training job: the kernel running it stops at its next progress report' });

  constructor(sidecar: ISidecarConnection, initial: Partial<TrainingState>, private readonly onStateChanged: (state: TrainingState) => void) {
    super(sidecar);
    this.addClass('sq-TrainingPanel');
    this.id = 'sigmatiq-training';
    this.title.label = 'Sigmatiq Training';
    this.title.caption = 'Training jobs: progress, metrics and feature importance';
    this.title.closable = true;
    this.state = { jobId: initial.jobId ?? null };
    this.toolbarNode.append(button('Refresh', () => void this.refresh(), { 'data-action': 'refresh' }), this.cancelButton);
    this.cancelButton.disabled = true;
    this.bodyNode.append(this.summary, this.tableHost, this.detail, this.importance.node);
    void this.refresh();
  }

  get currentState(): TrainingState {
    return this.state;
  }

  async refresh(): Promise<void> {
    this.poller.stop();
    this.loadedKey = null;
    await this.poll();
  }

  /** Selects a job (null: none) and loads its results. */
  async pick(jobId: string | null): Promise<void> {
    this.generation++;
    this.state = { jobId };
    this.loadedKey = null;
    this.onStateChanged(this.state);
    this.drawList();
    await this.loadDetail();
  }

  private async poll(): Promise<void> {
    try {
      const list = await this.guard(() => allPages((p) => this.sidecar.json<Page<TrainingJob>>(p), 'v1/training-jobs', 2_000));
      if (list === undefined || this.isDisposed) return;
      this.jobs = sortJobs(list);
      this.drawList();
      const sel = this.selected();
      if (sel !== null && detailKey(sel) !== this.loadedKey) await this.loadDetail();
      else if (sel === null) this.clearDetail();
    } finally {
      if (!this.isDisposed && this.jobs.some(isLive)) this.poller.schedule();
    }
  }

  private selected(): TrainingJob | null {
    return this.jobs.find((j) => j.id === this.state.jobId) ?? null;
  }

  /**
   * Cancels the selected job in the sidecar (`POST /v1/training-jobs/{id}/cancel`). The kernel training it
   * learns it from the answer to its next live progress post (409 cancelled) and stops the job before its next
   * step, fold or tree (docs/training.md).
   */
  private async cancelJob(): Promise<void> {
    const job = this.selected();
    if (job === null || !isLive(job)) return;
    this.cancelButton.disabled = true;
    await this.guard(() => this.sidecar.json<TrainingJob>(`v1/training-jobs/${enc(job.id)}/cancel`, { method: 'POST' }));
    await this.refresh();
  }

  private drawList(): void {
    const sel = this.selected();
    this.cancelButton.disabled = sel === null || !isLive(sel);
    const live = this.jobs.filter(isLive).length;
    this.node.dataset['live'] = String(live);
    this.summary.textContent = this.jobs.length === 0
      ? 'No training jobs yet. In a notebook: %train <sweep> --combos 1,2 (or the Train button of a Leaderboard row).'
      : `${this.jobs.length} training job${this.jobs.length === 1 ? '' : 's'}${live > 0 ? ` · ${live} queued or training · updating every second` : ''}`;
    const table = h('table', { class: 'sq-Training-table' });
    const head = table.createTHead().insertRow();
    for (const c of ['created', 'status', 'progress', 'steps', 'model', 'sweep', 'combos']) head.append(h('th', {}, c));
    const body = table.createTBody();
    const now = Date.now();
    for (const job of this.jobs) {
      const v = jobView(job, now);
      const tr = body.insertRow();
      tr.className = `sq-Training-row sq-job-${v.status}${v.id === this.state.jobId ? ' sq-selected' : ''}`;
      tr.dataset['job'] = v.id;
      tr.dataset['status'] = v.status;
      tr.title = v.id;
      const bar = h('div', { class: 'sq-Bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(v.percent) }, h('div', { class: 'sq-Bar-fill', style: `width: ${v.percent}%` }));
      const steps = h('ol', { class: 'sq-Steps' }, ...v.steps.map((s) => h('li', { class: `sq-step-${s.status}`, 'data-step': s.name }, `${s.name} `, h('span', { class: 'sq-Step-status' }, s.status), s.duration === '' ? null : h('span', { class: 'sq-Step-time' }, ` ${s.duration}`))));
      tr.insertCell().textContent = v.created;
      tr.insertCell().append(h('span', { class: `sq-Badge sq-status-${v.status}` }, v.status), v.error === null ? '' : h('div', { class: 'sq-Training-error' }, v.error));
      tr.insertCell().append(bar, h('span', { class: 'sq-Bar-label' }, `${v.percent}%`));
      tr.insertCell().append(h('div', { class: 'sq-Step-summary' }, v.stepSummary), steps);
      tr.insertCell().textContent = v.model;
      tr.insertCell().textContent = v.sweep;
      tr.insertCell().textContent = v.combos;
      tr.addEventListener('click', () => void this.pick(v.id));
    }
    this.tableHost.replaceChildren(table);
  }

  private clearDetail(): void {
    this.detail.replaceChildren(h('p', { class: 'sq-hint' }, this.jobs.length === 0 ? '' : 'Pick a job to see its metrics and feature importance.'));
    void this.importance.show(null);
  }

  /** Loads the selected job's metrics and feature importance. */
  private async loadDetail(): Promise<void> {
    const job = this.selected();
    const generation = this.generation;
    if (job === null) {
      this.clearDetail();
      return;
    }
    const got = await this.guard(async () => {
      const [metrics, importance] = await Promise.all([
        allPages((p) => this.sidecar.json<Page<TrainingMetricsRow>>(p), `v1/training-jobs/${enc(job.id)}/metrics`),
        allPages((p) => this.sidecar.json<Page<FeatureImportanceRow>>(p), `v1/training-jobs/${enc(job.id)}/feature-importance`),
      ]);
      return { metrics, importance };
    });
    if (got === undefined || generation !== this.generation || this.isDisposed) return;
    this.loadedKey = detailKey(job);
    const lines = metricsLines(got.metrics);
    const card = h('div', { class: 'sq-Training-card', 'data-job': job.id },
      h('h3', {}, `${job.model_type} job ${job.id.slice(0, 8)} · ${job.status}`),
      h('div', { class: 'sq-hash', title: job.config_hash }, `config hash ${job.config_hash.slice(0, 16)}… · seed ${job.seed} · sweep ${job.sweep_id} · combos ${job.combo_ids.join(', ')}`),
    );
    if (lines.length === 0) {
      card.append(h('p', { class: 'sq-hint' }, isLive(job) ? 'Metrics appear when the job records them.' : 'No metrics recorded for this job.'));
    } else {
      const table = h('table', { class: 'sq-Metrics-table' });
      const head = table.createTHead().insertRow();
      for (const c of ['split', ...METRIC_KEYS]) head.append(h('th', {}, c === 'auc_roc' ? 'AUC-ROC' : c));
      const body = table.createTBody();
      for (const l of lines) {
        const tr = body.insertRow();
        tr.dataset['split'] = l.split;
        tr.insertCell().textContent = l.folds === null ? l.split : `${l.split} (mean of ${l.folds} folds)`;
        for (const k of METRIC_KEYS) {
          const td = tr.insertCell();
          td.textContent = l.values[k].toFixed(4);
          td.dataset['metric'] = k;
        }
      }
      card.append(table);
    }
    this.detail.replaceChildren(card);
    const fig = importanceFigure(got.importance);
    if (fig === null) this.detail.append(h('p', { class: 'sq-hint' }, 'No feature importance recorded for this job.'));
    await this.importance.show(fig);
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.importance.resize();
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.importance.resize();
  }

  override dispose(): void {
    this.poller.stop();
    this.importance.dispose();
    super.dispose();
  }
}

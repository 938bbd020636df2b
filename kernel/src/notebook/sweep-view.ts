/** Displays of sweeps: the live progress line, the finished sweep, `%sweep status`. */
import type { SweepProgress, SweepResult } from '@sigmatiq/engine';
import { bundle, type DisplayOutput, type Displayable, escapeHtml, table, toMimeBundle } from '../display/mime.js';
import type { SidecarSweep } from './registry.js';

export interface ProgressState {
  readonly sweepId: string;
  readonly model: string;
  /** `storing`: the run is over and its combinations are being written to the sidecar. */
  readonly status: 'running' | 'cancelling' | 'storing' | 'completed' | 'cancelled';
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
  /** NaN before the first result. */
  readonly etaMs: number;
  readonly best: SweepProgress['best'];
  readonly phase: SweepProgress['phase'];
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '…';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const fmt = (x: number | undefined | null, digits = 3): string => (x === undefined || x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits));

/** The one-line progress text (text/plain of the live display). */
export function progressText(p: ProgressState): string {
  const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 0;
  const phase = p.phase === 'statistics' ? ' · computing ranks, DSR and PBO' : '';
  const eta = p.status === 'running' && p.phase === 'running' ? ` · ETA ${formatDuration(p.etaMs)}` : '';
  const best = p.best === undefined ? 'best: none yet' : `best Sharpe ${fmt(p.best.sharpe_ratio)} (combo ${p.best.combo_id}: ${Object.entries(p.best.params).map(([k, v]) => `${k}=${String(v)}`).join(' ')})`;
  return `Sweep ${p.sweepId} [${p.model}] ${p.status}: ${p.done}/${p.total} (${pct}%) · ${formatDuration(p.elapsedMs)} elapsed${eta}${phase} · ${best}`;
}

/** The live progress display: a bar and the progress line. */
export function progressDisplay(p: ProgressState): DisplayOutput {
  const pct = p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : 0;
  const colour = p.status === 'cancelled' || p.status === 'cancelling' ? '#d62728' : p.status === 'completed' ? '#2ca02c' : '#1f77b4';
  const html = `<div class="sq-sweep-progress"><div style="background:#e0e0e0;height:8px;border-radius:4px;max-width:480px">` +
    `<div style="width:${pct.toFixed(1)}%;background:${colour};height:8px;border-radius:4px"></div></div><div>${escapeHtml(progressText(p))}</div></div>`;
  return bundle({ 'text/plain': progressText(p), 'text/html': html });
}

/** The result of `%sweep run` / `%%sweep` / `sq.sweep.run`. */
export class SweepRunView implements Displayable {
  constructor(
    /** The sidecar sweep after the run (status completed or cancelled). */
    readonly sweep: SidecarSweep,
    readonly model: string,
    readonly modelVersion: number,
    /** The engine's full result: every combination in leaderboard order, statistics, errors. */
    readonly result: SweepResult,
    /** Combinations stored in the sidecar. */
    readonly stored: number,
    /** Combinations that could not be stored (failed, or a non-finite metric), recorded as sweep errors. */
    readonly unstored: readonly { readonly combo_id: number; readonly reason: string }[],
    /** True when the cancel came from the sidecar (e.g. the Leaderboard panel). */
    readonly cancelledElsewhere: boolean,
  ) {}

  get id(): string {
    return this.sweep.id;
  }

  summaryRows(): Record<string, unknown>[] {
    const r = this.result;
    const st = r.statistics;
    const rows: [string, unknown][] = [
      ['sweep', this.sweep.id],
      ['status', `${r.status}${this.cancelledElsewhere ? ' (cancelled in the sidecar)' : ''}`],
      ['model', `${this.model} v${this.modelVersion}`],
      ['type / sampler', `${r.type} / ${r.sampler}${r.sampler === 'grid' ? '' : ` (seed ${r.seed})`}`],
      ['combinations', `${r.evaluated} of ${r.planned} run, ${r.failed} failed, ${this.stored} stored (cap ${this.sweep.combo_cap}, ${this.sweep.plan_tier} plan)`],
      ['gates', `PASS ${r.gates.pass} · MARGINAL ${r.gates.marginal} · FAIL ${r.gates.fail}`],
      ['DSR', st.dsr === null ? 'n/a' : `${fmt(st.dsr.dsr)} (trials ${st.trials})`],
      ['PBO', st.pbo === null ? 'n/a' : fmt(st.pbo.pbo)],
      ['pruning', r.pruning_used ? `pareto pruned ${r.pruning.pareto.pruned}${r.pruning.kendall.stopped ? `, Kendall stop skipped ${r.pruning.kendall.skipped}` : ''}` : 'off'],
      ['data', `${r.data.symbol} ${r.data.interval}, ${r.data.bars} bars, ${this.sweep.date_range.start} → ${this.sweep.date_range.end}`],
      ['time', `${r.timing.seconds.toFixed(2)} s (${r.timing.combos_per_second.toFixed(1)} combos/s, ${r.timing.workers} workers)`],
    ];
    return rows.map(([field, value]) => ({ field, value }));
  }

  /** The top `n` combinations (rank, params, Sharpe, return, drawdown, trades, gate). */
  leaderboardRows(n = 10): Record<string, unknown>[] {
    return this.result.results.slice(0, n).map((c) => ({
      rank: c.rank,
      combo: c.combo_id,
      params: Object.entries(c.params).map(([k, v]) => `${k}=${String(v)}`).join(' '),
      sharpe: c.metrics?.sharpe_ratio,
      return: c.metrics?.total_return,
      max_dd: c.metrics?.max_drawdown,
      trades: c.metrics?.total_trades,
      gate: c.gate.status,
      kept: c.kept ? '' : 'pruned',
    }));
  }

  [toMimeBundle](): DisplayOutput {
    const s = table(this.summaryRows(), ['field', 'value'], `Sweep ${this.sweep.id}`);
    const top = table(this.leaderboardRows(), ['rank', 'combo', 'params', 'sharpe', 'return', 'max_dd', 'trades', 'gate', 'kept'], `Top ${Math.min(10, this.result.results.length)} (%leaderboard ${this.sweep.id} for all)`);
    return bundle({ 'text/plain': `${s.data['text/plain']}\n\n${top.data['text/plain']}`, 'text/html': `${String(s.data['text/html'])}${String(top.data['text/html'])}` });
  }
}

/** `%sweep status <id>` / `sq.sweep.status`. */
export class SweepStatusView implements Displayable {
  constructor(
    readonly sweep: SidecarSweep,
    readonly combinations: number,
    /** Live progress when the sweep runs in this kernel. */
    readonly local: ProgressState | undefined,
    /** What was just done (e.g. by `%sweep cancel`). */
    readonly note?: string,
  ) {}

  get status(): SidecarSweep['run']['status'] {
    return this.sweep.run.status;
  }

  [toMimeBundle](): DisplayOutput {
    const s = this.sweep;
    const rows: [string, unknown][] = [
      ['sweep', s.id],
      ['status', s.run.status],
      ['progress', `${(100 * s.run.progress).toFixed(0)}%`],
      ['type', `${s.type} (cap ${s.combo_cap}, ${s.plan_tier} plan)`],
      ['combinations stored', this.combinations],
      ['started', s.run.started_at ?? ''],
      ['ended', s.run.ended_at ?? ''],
      ['model version', s.model_version_id],
      ['data snapshot', s.data_snapshot_id],
      ['range', `${s.date_range.start} → ${s.date_range.end}`],
    ];
    if (this.local !== undefined) rows.push(['in this kernel', progressText(this.local)]);
    if (this.note !== undefined) rows.unshift(['note', this.note]);
    return table(rows.map(([field, value]) => ({ field, value })), ['field', 'value'], `Sweep ${s.id}: ${s.run.status}`);
  }
}

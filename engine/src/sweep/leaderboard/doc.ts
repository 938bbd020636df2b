/**
 * A sweep result as the `application/vnd.sigmatiq.leaderboard.v1+json` document (mime/leaderboard.ts)
 * that the kernel emits and the JupyterLab extension renders.
 */
import type { LeaderboardDocV1 } from '../../mime/leaderboard.js';
import type { ComboResult } from './types.js';

export interface LeaderboardSource {
  readonly sweep_id: string;
  readonly params: readonly string[];
  readonly results: readonly ComboResult[];
  readonly statistics: { readonly trials: number; readonly dsr: { readonly dsr: number } | null; readonly pbo: { readonly pbo: number } | null };
}

const DOC_METRICS = ['sharpe_ratio', 'total_return', 'max_drawdown', 'total_trades', 'win_rate', 'profit_factor'];

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

export function toLeaderboardDoc(r: LeaderboardSource, opts: { title?: string; limit?: number; metrics?: readonly string[] } = {}): LeaderboardDocV1 {
  const metrics = [...(opts.metrics ?? DOC_METRICS)];
  return {
    version: 1,
    title: opts.title ?? `Sweep ${r.sweep_id}`,
    sweep_id: r.sweep_id,
    params: [...r.params],
    metrics,
    stats: { trials: r.statistics.trials, dsr: finite(r.statistics.dsr?.dsr), pbo: finite(r.statistics.pbo?.pbo) },
    rows: r.results.slice(0, opts.limit ?? r.results.length).map((row) => ({
      rank: row.rank,
      gate: row.gate.status,
      config_hash: row.config_hash,
      params: { ...row.params },
      metrics: Object.fromEntries(metrics.map((m) => [m, finite(row.metrics?.[m])])),
    })),
  };
}

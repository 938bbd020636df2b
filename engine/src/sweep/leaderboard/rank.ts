/**
 * Leaderboard ranking (the one rule of docs/sweeps.md, "Leaderboard order", shared with the sidecar and the
 * kernel): by sharpe_ratio descending; ties by total_return descending, then by combo_id ascending (unique per
 * combination, so the order is total and deterministic; and the sidecar holds the same combo_id, whereas its
 * config_hash is computed from other inputs).
 * Failed combinations and NaN Sharpe ratios rank after every number; Pareto-pruned rows keep their
 * rank (the `kept` flag says they were pruned).
 */
import type { ComboResult, LeaderboardEntry } from './types.js';

function desc(a: number | undefined, b: number | undefined): number {
  const na = a === undefined || Number.isNaN(a);
  const nb = b === undefined || Number.isNaN(b);
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  return a === b ? 0 : a > b ? -1 : 1;
}

export function compareRows(a: ComboResult, b: ComboResult): number {
  return (
    desc(a.metrics?.sharpe_ratio, b.metrics?.sharpe_ratio) ||
    desc(a.metrics?.total_return, b.metrics?.total_return) ||
    a.combo_id - b.combo_id
  );
}

/** desc() on numbers where NaN stands for a missing value. */
function descNum(a: number, b: number): number {
  const na = Number.isNaN(a);
  const nb = Number.isNaN(b);
  if (na || nb) return na === nb ? 0 : na ? 1 : -1;
  return a === b ? 0 : a > b ? -1 : 1;
}

/**
 * Sorts a copy and sets `rank` (1-based) on every row. The order of `compareRows`, computed on the
 * sort keys read once into typed arrays (a missing metric is NaN, which `desc` treats alike).
 */
export function rankResults(rows: readonly ComboResult[]): ComboResult[] {
  const n = rows.length;
  const sharpe = new Float64Array(n);
  const ret = new Float64Array(n);
  const ids = new Float64Array(n);
  const order: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as ComboResult;
    sharpe[i] = r.metrics?.sharpe_ratio ?? Number.NaN;
    ret[i] = r.metrics?.total_return ?? Number.NaN;
    ids[i] = r.combo_id;
    order[i] = i;
  }
  order.sort((i, j) => descNum(sharpe[i] as number, sharpe[j] as number) || descNum(ret[i] as number, ret[j] as number) || (ids[i] as number) - (ids[j] as number));
  const sorted = order.map((i) => rows[i] as ComboResult);
  sorted.forEach((r, i) => { r.rank = i + 1; });
  return sorted;
}

export function leaderboardEntries(sweepId: string, ranked: readonly ComboResult[]): LeaderboardEntry[] {
  return ranked.map((r) => ({
    sweep_id: sweepId,
    rank: r.rank,
    combo_id: r.combo_id,
    sharpe: r.metrics?.sharpe_ratio ?? Number.NaN,
    return: r.metrics?.total_return ?? Number.NaN,
    trades: r.metrics?.total_trades ?? 0,
    max_drawdown: r.metrics?.max_drawdown ?? Number.NaN,
    gate_status: r.gate.status,
    config_hash: r.config_hash,
    params: r.params,
  }));
}

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

/**
 * Sorts a copy and sets `rank` (1-based) on every row. The order of `compareRows`, computed on the
 * sort keys read once into typed arrays: a missing or NaN metric is flagged (1: after every number,
 * as `desc` puts it) and stored as -Infinity, so the comparator compares plain numbers (0 and -0
 * compare equal, as in `desc`).
 */
export function rankResults(rows: readonly ComboResult[]): ComboResult[] {
  const n = rows.length;
  const sharpe = new Float64Array(n);
  const ret = new Float64Array(n);
  const nanS = new Uint8Array(n);
  const nanR = new Uint8Array(n);
  const ids = new Float64Array(n);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as ComboResult;
    const s = r.metrics?.sharpe_ratio ?? Number.NaN;
    const t = r.metrics?.total_return ?? Number.NaN;
    if (Number.isNaN(s)) { nanS[i] = 1; sharpe[i] = Number.NEGATIVE_INFINITY; } else sharpe[i] = s;
    if (Number.isNaN(t)) { nanR[i] = 1; ret[i] = Number.NEGATIVE_INFINITY; } else ret[i] = t;
    ids[i] = r.combo_id;
    order[i] = i;
  }
  order.sort((i, j) => {
    let f = (nanS[i] as number) - (nanS[j] as number);
    if (f !== 0) return f;
    const a = sharpe[i] as number;
    const b = sharpe[j] as number;
    if (a !== b) return a > b ? -1 : 1;
    f = (nanR[i] as number) - (nanR[j] as number);
    if (f !== 0) return f;
    const c = ret[i] as number;
    const d = ret[j] as number;
    if (c !== d) return c > d ? -1 : 1;
    return (ids[i] as number) - (ids[j] as number);
  });
  const sorted: ComboResult[] = [];
  for (let k = 0; k < n; k++) {
    const r = rows[order[k] as number] as ComboResult;
    r.rank = k + 1;
    sorted.push(r);
  }
  return sorted;
}

export function leaderboardEntries(sweepId: string, ranked: readonly ComboResult[]): LeaderboardEntry[] {
  const out: LeaderboardEntry[] = [];
  for (const r of ranked) {
    out.push({
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
    });
  }
  return out;
}

/**
 * Pure functions of the Leaderboard panel: sidecar combinations -> the leaderboard document the table renders
 * (kept only, ranked like the sidecar: Sharpe desc, total return desc, combo_id asc), filters, CSV, heatmap grid.
 */
import type { LeaderboardDocV1, LeaderboardRowV1, ParamValue } from '@sigmatiq/engine/dist/mime/leaderboard';
import type { Combination, GatePolicy, GateStatus, Sweep, SweepStatistics } from '../common/api';

/** Metric columns, in order (BacktestMetrics keys). */
export const METRICS = ['sharpe_ratio', 'total_return', 'max_drawdown', 'win_rate', 'profit_factor', 'total_trades'] as const;

const isParamValue = (v: unknown): v is ParamValue => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

/** Parameter names taking more than one value across the combinations (sorted); the others are fixed. */
export function sweptParams(combos: readonly Combination[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const c of combos) for (const [k, v] of Object.entries(c.params)) (values.get(k) ?? values.set(k, new Set()).get(k))?.add(JSON.stringify(v));
  return [...values.entries()].filter(([, s]) => s.size > 1).map(([k]) => k).sort();
}

export function allParams(combos: readonly Combination[]): string[] {
  const names = new Set<string>();
  for (const c of combos) for (const k of Object.keys(c.params)) names.add(k);
  return [...names].sort();
}

/**
 * Kept combinations ranked by the one leaderboard rule (docs/sweeps.md, "Leaderboard order"; the sidecar's and the
 * engine's): Sharpe descending (missing = last), ties by total return descending, then combo_id ascending.
 */
export function rank(combos: readonly Combination[]): (Combination & { rank: number })[] {
  const metric = (c: Combination, k: string): number => {
    const v = c.backtest_metrics[k];
    return typeof v === 'number' && Number.isFinite(v) ? v : Number.NEGATIVE_INFINITY;
  };
  const desc = (a: number, b: number): number => (a === b ? 0 : a > b ? -1 : 1);
  return combos
    .filter((c) => c.kept)
    .sort((a, b) => desc(metric(a, 'sharpe_ratio'), metric(b, 'sharpe_ratio')) || desc(metric(a, 'total_return'), metric(b, 'total_return')) || a.combo_id - b.combo_id)
    .map((c, i) => ({ ...c, rank: i + 1 }));
}

export interface Filter {
  gates: readonly GateStatus[];
  /** Case-insensitive substring of `name=value` pairs, e.g. `period=14`. */
  text: string;
}

export function matches(c: Combination, f: Filter): boolean {
  if (!f.gates.includes(c.gate_status)) return false;
  const q = f.text.trim().toLowerCase();
  if (q === '') return true;
  const hay = Object.entries(c.params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ').toLowerCase();
  return q.split(/\s+/).every((term) => hay.includes(term));
}

export function sweepTitle(s: Sweep): string {
  return `${s.tag ?? s.type} sweep ${s.id.slice(0, 8)}`;
}

export function toDoc(sweep: Sweep, combos: readonly Combination[], stats: SweepStatistics | null, filter: Filter): LeaderboardDocV1 {
  const ranked = rank(combos);
  const params = allParams(combos);
  const rows: LeaderboardRowV1[] = ranked.filter((c) => matches(c, filter)).map((c) => {
    const p: Record<string, ParamValue> = {};
    for (const [k, v] of Object.entries(c.params)) if (isParamValue(v)) p[k] = v;
    const metrics: Record<string, number | null> = {};
    for (const m of METRICS) {
      const v = c.backtest_metrics[m];
      metrics[m] = typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
    return { rank: c.rank, gate: c.gate_status, config_hash: c.config_hash, params: p, metrics };
  });
  return {
    version: 1,
    title: `${sweepTitle(sweep)} · ${sweep.run.status} · ${ranked.length} kept of ${combos.length}`,
    sweep_id: sweep.id,
    params,
    metrics: [...METRICS],
    stats: { trials: stats?.trials ?? combos.length, dsr: stats?.dsr ?? null, pbo: stats?.pbo ?? null },
    rows,
  };
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every combination (kept or not), by rank then combo_id: full metrics, params, gates and hashes. */
export function toCsv(combos: readonly Combination[]): string {
  const params = allParams(combos);
  const metricKeys = [...new Set(combos.flatMap((c) => Object.keys(c.backtest_metrics)))].sort();
  const ranks = new Map(rank(combos).map((c) => [c.combo_id, c.rank]));
  const ordered = [...combos].sort((a, b) => (ranks.get(a.combo_id) ?? Infinity) - (ranks.get(b.combo_id) ?? Infinity) || a.combo_id - b.combo_id);
  const header = ['rank', 'combo_id', 'gate_status', 'kept', ...params, ...metricKeys, 'config_hash'];
  const lines = [header.map(csvCell).join(',')];
  for (const c of ordered) {
    lines.push([ranks.get(c.combo_id) ?? '', c.combo_id, c.gate_status, c.kept, ...params.map((p) => c.params[p]), ...metricKeys.map((m) => (m === 'profit_factor' && c.backtest_metrics[m] === null ? 'Infinity' : c.backtest_metrics[m])), c.config_hash].map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

export interface Heatmap {
  x: string;
  y: string;
  xs: (string | number)[];
  ys: (string | number)[];
  /** z[yi][xi]: the metric of the combination at (xs[xi], ys[yi]); null where none (or the best when several). */
  z: (number | null)[][];
}

const sortValues = (vs: (string | number)[]): (string | number)[] =>
  [...vs].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));

/** The metric over the two swept parameters (null unless exactly two are swept). */
export function heatmap(combos: readonly Combination[], metric = 'sharpe_ratio'): Heatmap | null {
  const swept = sweptParams(combos);
  if (swept.length !== 2) return null;
  const [x, y] = swept as [string, string];
  const key = (v: unknown): string | number => (typeof v === 'number' ? v : String(v));
  const xs = sortValues([...new Set(combos.map((c) => key(c.params[x])))]);
  const ys = sortValues([...new Set(combos.map((c) => key(c.params[y])))]);
  const z: (number | null)[][] = ys.map(() => xs.map(() => null));
  for (const c of combos) {
    const v = c.backtest_metrics[metric];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const row = z[ys.indexOf(key(c.params[y]))];
    const xi = xs.indexOf(key(c.params[x]));
    if (row === undefined) continue;
    const cur = row[xi];
    if (cur === undefined) continue;
    row[xi] = cur === null ? v : Math.max(cur, v);
  }
  return { x, y, xs, ys, z };
}

const num = (x: number): string => String(Number(x.toPrecision(6)));
const pct = (x: number): string => `${num(x * 100)}%`;

/**
 * One line saying which gates judged the sweep: each check's PASS bound and, in brackets, its MARGINAL
 * bound, computed as the engine computes them (engine/src/sweep/gates/gates.ts: min_trades × (1 − trades_fraction),
 * min_sharpe − sharpe, max_drawdown + drawdown, …), e.g.
 * `Gates: trades ≥ 20 (MARGINAL ≥ 16) · Sharpe ≥ 0 (≥ -0.1) · drawdown ≤ 50% (≤ 55%)`.
 */
export function gatePolicyText(g: GatePolicy): string {
  const t = g.thresholds;
  const tol = g.tolerances;
  const parts = [
    `trades ≥ ${num(t.min_trades)} (MARGINAL ≥ ${num(t.min_trades * (1 - tol.trades_fraction))})`,
    `Sharpe ≥ ${num(t.min_sharpe)} (≥ ${num(t.min_sharpe - tol.sharpe)})`,
    `drawdown ≤ ${pct(t.max_drawdown)} (≤ ${pct(t.max_drawdown + tol.drawdown)})`,
  ];
  if (t.min_win_rate !== undefined) parts.push(`win rate ≥ ${pct(t.min_win_rate)} (≥ ${pct(t.min_win_rate - tol.win_rate)})`);
  if (t.min_profit_factor !== undefined) parts.push(`profit factor ≥ ${num(t.min_profit_factor)} (≥ ${num(t.min_profit_factor - tol.profit_factor)})`);
  return `Gates: ${parts.join(' · ')}`;
}


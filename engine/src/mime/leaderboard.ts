/**
 * `application/vnd.sigmatiq.leaderboard.v1+json` — the leaderboard document the kernel emits and
 * the JupyterLab extension renders (docs/mime-types.md). Pure data and a validator; no Node APIs,
 * so the extension can bundle this file.
 */
export const LEADERBOARD_MIME = 'application/vnd.sigmatiq.leaderboard.v1+json';

export type GateStatus = 'PASS' | 'MARGINAL' | 'FAIL';
export type ParamValue = number | string | boolean;

export interface LeaderboardRowV1 {
  /** 1-based rank (by Sharpe, ties broken deterministically). */
  rank: number;
  gate: GateStatus;
  config_hash: string;
  params: Record<string, ParamValue>;
  /**
   * Metric values; null where undefined (e.g. Sharpe of a flat equity curve), except `profit_factor`, whose
   * null means +∞ (winning trades and no losing one; JSON has no infinity): shown as `∞` (metricValue).
   */
  metrics: Record<string, number | null>;
}

/** The one metric whose null stands for +∞ in a leaderboard document (winners and no loser). */
export const INFINITE_WHEN_NULL: ReadonlySet<string> = new Set(['profit_factor']);

/** A row's metric as a number for sorting and display: `profit_factor` null is +Infinity, any other null stays null. */
export function metricValue(name: string, v: number | null | undefined): number | null {
  if (v === null || v === undefined) return INFINITE_WHEN_NULL.has(name) ? Number.POSITIVE_INFINITY : null;
  return v;
}

export interface LeaderboardStatsV1 {
  /** Number of combinations evaluated (the trials count that DSR and PBO depend on). */
  trials: number;
  /** Deflated Sharpe ratio of the winner, a probability in [0, 1]; null when not computable. */
  dsr: number | null;
  /** Probability of backtest overfitting (CSCV), in [0, 1]; null when not computable. */
  pbo: number | null;
}

export interface LeaderboardDocV1 {
  version: 1;
  title: string;
  sweep_id: string | null;
  /** Parameter names, in column order. */
  params: string[];
  /** Metric keys, in column order (BacktestMetrics keys such as sharpe_ratio, max_drawdown). */
  metrics: string[];
  stats: LeaderboardStatsV1;
  rows: LeaderboardRowV1[];
}

const GATES: readonly string[] = ['PASS', 'MARGINAL', 'FAIL'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isNullableNumber(v: unknown): v is number | null {
  return v === null || (typeof v === 'number' && Number.isFinite(v));
}

/** Returns the problems found (empty when `doc` is a valid v1 leaderboard), each naming its path. */
export function leaderboardProblems(doc: unknown): string[] {
  if (!isRecord(doc)) return ['$: not an object'];
  const problems: string[] = [];
  if (doc['version'] !== 1) problems.push('$.version: must be 1');
  if (typeof doc['title'] !== 'string') problems.push('$.title: must be a string');
  if (doc['sweep_id'] !== null && typeof doc['sweep_id'] !== 'string') problems.push('$.sweep_id: must be a string or null');
  if (!isStringArray(doc['params'])) problems.push('$.params: must be an array of strings');
  if (!isStringArray(doc['metrics'])) problems.push('$.metrics: must be an array of strings');
  const stats = doc['stats'];
  if (!isRecord(stats)) {
    problems.push('$.stats: must be an object');
  } else {
    if (typeof stats['trials'] !== 'number' || !Number.isInteger(stats['trials']) || stats['trials'] < 0) problems.push('$.stats.trials: must be a non-negative integer');
    if (!isNullableNumber(stats['dsr'])) problems.push('$.stats.dsr: must be a number or null');
    if (!isNullableNumber(stats['pbo'])) problems.push('$.stats.pbo: must be a number or null');
  }
  const rows = doc['rows'];
  if (!Array.isArray(rows)) return [...problems, '$.rows: must be an array'];
  rows.forEach((row: unknown, i) => {
    const at = `$.rows[${i}]`;
    if (!isRecord(row)) {
      problems.push(`${at}: must be an object`);
      return;
    }
    if (typeof row['rank'] !== 'number' || !Number.isInteger(row['rank']) || row['rank'] < 1) problems.push(`${at}.rank: must be a positive integer`);
    if (typeof row['gate'] !== 'string' || !GATES.includes(row['gate'])) problems.push(`${at}.gate: must be PASS, MARGINAL or FAIL`);
    if (typeof row['config_hash'] !== 'string') problems.push(`${at}.config_hash: must be a string`);
    const params = row['params'];
    if (!isRecord(params) || !Object.values(params).every((v) => ['number', 'string', 'boolean'].includes(typeof v))) {
      problems.push(`${at}.params: must map names to numbers, strings or booleans`);
    }
    const metrics = row['metrics'];
    if (!isRecord(metrics) || !Object.values(metrics).every(isNullableNumber)) problems.push(`${at}.metrics: must map names to finite numbers or null`);
  });
  return problems;
}

/** A fixed-width text table: the text/plain fallback of a leaderboard. */
export function leaderboardToText(doc: LeaderboardDocV1): string {
  const header = ['#', 'gate', ...doc.params, ...doc.metrics, 'config_hash'];
  const fmt = (v: number | string | boolean | null | undefined): string => {
    if (v === null || v === undefined) return '—';
    if (v === Number.POSITIVE_INFINITY) return '∞';
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
    return String(v);
  };
  const body = doc.rows.map((r) => [String(r.rank), r.gate, ...doc.params.map((p) => fmt(r.params[p])), ...doc.metrics.map((m) => fmt(metricValue(m, r.metrics[m]))), r.config_hash.slice(0, 12)]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => (row[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  const stat = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(4));
  return [
    `${doc.title} — trials ${doc.stats.trials}, DSR ${stat(doc.stats.dsr)}, PBO ${stat(doc.stats.pbo)}`,
    line(header),
    ...body.map(line),
  ].join('\n');
}

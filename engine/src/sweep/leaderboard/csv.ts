/**
 * CSV export of a ranked sweep: header `rank,combo_id,<params…>,<BacktestMetrics keys…>,<extra
 * metrics…>,gate,kept,config_hash,error`, one row per combination in rank order. Numbers are
 * written with JavaScript's shortest round-trip form (parsing gives back the same float64);
 * NaN and missing values are empty cells; text is quoted per RFC 4180 when needed.
 */
import { METRIC_KEYS, type ComboResult } from './types.js';

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isNaN(v) ? '' : Object.is(v, -0) ? '0' : String(v);
  const s = typeof v === 'string' ? v : typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function metricColumns(rows: readonly ComboResult[]): string[] {
  const extra = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.metrics ?? {})) if (!(METRIC_KEYS as readonly string[]).includes(k)) extra.add(k);
  return [...METRIC_KEYS, ...[...extra].sort()];
}

export function toCsv(paramNames: readonly string[], ranked: readonly ComboResult[]): string {
  const metrics = metricColumns(ranked);
  const header = ['rank', 'combo_id', ...paramNames, ...metrics, 'gate', 'kept', 'config_hash', 'error'];
  const lines = [header.map(cell).join(',')];
  for (const r of ranked) {
    lines.push([
      r.rank, r.combo_id,
      ...paramNames.map((p) => r.params[p]),
      ...metrics.map((m) => r.metrics?.[m]),
      r.gate.status, r.kept, r.config_hash, r.error === undefined ? '' : `${r.error.reason_code} ${r.error.message}`,
    ].map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

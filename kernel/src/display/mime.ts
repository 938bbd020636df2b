import { inspect } from 'node:util';

/**
 * Rich outputs. A value shown by the kernel becomes a MIME bundle with `text/plain` always
 * present. Objects opt into rich display by implementing `[toMimeBundle]()` (or a
 * `toMimeBundle()` method), returning a DisplayOutput.
 */
export type MimeBundle = Record<string, unknown> & { 'text/plain': string };

export interface DisplayOutput {
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export const MIME = {
  plain: 'text/plain',
  html: 'text/html',
  markdown: 'text/markdown',
  json: 'application/json',
  plotly: 'application/vnd.plotly.v1+json',
} as const;

/** The symbol a value implements to display itself richly. */
export const toMimeBundle: unique symbol = Symbol.for('sigmatiq.toMimeBundle');

export interface Displayable {
  [toMimeBundle](): DisplayOutput;
}

function isDisplayOutput(v: unknown): v is DisplayOutput {
  if (typeof v !== 'object' || v === null) return false;
  const data: unknown = (v as { data?: unknown }).data;
  return typeof data === 'object' && data !== null && typeof (data as Record<string, unknown>)['text/plain'] === 'string';
}

/** The DisplayOutput of any value: its own bundle if it has one, else util.inspect text. */
export function displayOf(value: unknown): DisplayOutput {
  if (typeof value === 'object' && value !== null) {
    const withSymbol = value as Partial<Displayable> & { toMimeBundle?: unknown };
    const method = withSymbol[toMimeBundle] ?? withSymbol.toMimeBundle;
    if (typeof method === 'function') {
      const out: unknown = (method as () => unknown).call(value);
      if (isDisplayOutput(out)) return { data: out.data, metadata: out.metadata };
    }
  }
  const text = typeof value === 'string' ? `'${value}'` : inspect(value, { depth: 4, colors: false, maxArrayLength: 50 });
  return { data: { 'text/plain': text }, metadata: {} };
}

/** A Displayable built from a bundle (text/plain required). */
export function bundle(data: MimeBundle, metadata: Record<string, unknown> = {}): Displayable & DisplayOutput {
  return { data, metadata, [toMimeBundle]: () => ({ data, metadata }) };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A simple HTML table with a text/plain twin: used by magics that show records. */
export function table(rows: readonly Record<string, unknown>[], columns?: readonly string[], caption?: string): Displayable & DisplayOutput {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string =>
    v === null || v === undefined ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(6)) : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : inspect(v);
  const head = `<tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${cols.map((c) => `<td>${escapeHtml(cell(r[c]))}</td>`).join('')}</tr>`).join('');
  const html = `<table class="sq-table">${caption === undefined ? '' : `<caption>${escapeHtml(caption)}</caption>`}<thead>${head}</thead><tbody>${body}</tbody></table>`;
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (cells: string[]): string => cells.map((s, i) => s.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const text = [...(caption === undefined ? [] : [caption]), line([...cols]), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
  return bundle({ 'text/plain': text, 'text/html': html });
}

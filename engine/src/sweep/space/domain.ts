/**
 * Parameter domains: the finite set of values one swept parameter takes.
 * - list:  explicit values (numbers, strings or booleans), in the given order, no duplicates;
 * - range: start, start+step, … up to end inclusive (step > 0, start ≤ end); values are computed
 *          as start + i·step and rounded to the decimals of start and step, so 0.1..0.5:0.1 gives
 *          exactly 0.1, 0.2, 0.3, 0.4, 0.5 (not 0.30000000000000004);
 * - log:   num values geometrically spaced from start to end inclusive (0 < start < end, num ≥ 2);
 *          `integer: true` rounds each to the nearest integer and drops repeats.
 */
import { SweepError } from '../errors.js';

export type ParamValue = number | string | boolean;

export type Domain =
  | { readonly kind: 'list'; readonly values: readonly ParamValue[] }
  | { readonly kind: 'range'; readonly start: number; readonly end: number; readonly step: number }
  | { readonly kind: 'log'; readonly start: number; readonly end: number; readonly num: number; readonly integer?: boolean };

export type ParamSpec = { readonly name: string } & Domain;

/** Largest number of values one domain may have (a guard, far above every cap). */
export const MAX_DOMAIN_VALUES = 1_000_000;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function decimals(x: number): number {
  if (Number.isInteger(x)) return 0;
  const s = String(x);
  const e = s.indexOf('e-');
  if (e >= 0) return Math.min(15, Number(s.slice(e + 2)) + (s.slice(0, e).split('.')[1]?.length ?? 0));
  return Math.min(15, s.split('.')[1]?.length ?? 0);
}

function bad(param: string, message: string, extra: Record<string, unknown> = {}): SweepError {
  return new SweepError('INVALID_SPACE', `parameter '${param}': ${message}`, { parameter: param, ...extra });
}

/** Every value of a domain, in order. Throws SWS-1003 naming the parameter when malformed. */
export function domainValues(spec: ParamSpec): ParamValue[] {
  const { name } = spec;
  if (!NAME_RE.test(name)) throw bad(name, 'name must be an identifier, dotted for pack keys (rsi.period)');
  switch (spec.kind) {
    case 'list': {
      if (spec.values.length === 0) throw bad(name, 'list is empty');
      const seen = new Set<string>();
      for (const [i, v] of spec.values.entries()) {
        if (typeof v === 'number' && !Number.isFinite(v)) throw bad(name, `value #${i} is not finite`, { index: i });
        if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') throw bad(name, `value #${i} must be a number, string or boolean`, { index: i });
        const key = `${typeof v}:${String(v)}`;
        if (seen.has(key)) throw bad(name, `value ${String(v)} is repeated`, { index: i });
        seen.add(key);
      }
      if (spec.values.length > MAX_DOMAIN_VALUES) throw bad(name, `more than ${MAX_DOMAIN_VALUES} values`);
      return [...spec.values];
    }
    case 'range': {
      const { start, end, step } = spec;
      if (![start, end, step].every(Number.isFinite)) throw bad(name, 'start, end and step must be finite numbers', { start, end, step });
      if (!(step > 0)) throw bad(name, `step must be > 0, got ${step}`, { step });
      if (start > end) throw bad(name, `start ${start} is greater than end ${end}`, { start, end });
      const d = Math.max(decimals(start), decimals(step));
      const scale = 10 ** d;
      // Count on the rounded grid so an end that is a multiple of step is included exactly.
      const count = Math.floor(Math.round(((end - start) / step) * 1e9) / 1e9) + 1;
      if (count > MAX_DOMAIN_VALUES) throw bad(name, `range has ${count} values, more than ${MAX_DOMAIN_VALUES}`);
      const out: number[] = [];
      for (let i = 0; i < count; i++) {
        const raw = start + i * step;
        out.push(d === 0 ? raw : Math.round(raw * scale) / scale);
      }
      return out;
    }
    case 'log': {
      const { start, end, num } = spec;
      if (![start, end].every(Number.isFinite) || !(start > 0) || !(end > start)) {
        throw bad(name, `log range needs 0 < start < end, got ${start}..${end}`, { start, end });
      }
      if (!Number.isInteger(num) || num < 2 || num > MAX_DOMAIN_VALUES) throw bad(name, `log range needs an integer num >= 2, got ${num}`, { num });
      const out: number[] = [];
      const ratio = Math.log(end / start);
      for (let i = 0; i < num; i++) {
        let v = i === 0 ? start : i === num - 1 ? end : start * Math.exp((ratio * i) / (num - 1));
        if (spec.integer === true) v = Math.round(v);
        if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
      }
      return out;
    }
    default: {
      const kind: unknown = (spec as { kind?: unknown }).kind;
      throw bad(name, `unknown domain kind '${String(kind)}' (list, range, log)`);
    }
  }
}

/** A decimal number as the CLI writes it: 2, -3, 0.02, .5, 1e-3 (no `..` ambiguity: `1..5` is 1 to 5). */
const NUM = String.raw`[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?`;
const LOG_RE = new RegExp(String.raw`^log:(${NUM})\.\.(${NUM}):(\d+)(:int)?$`);
const RANGE_RE = new RegExp(String.raw`^(${NUM})\.\.(${NUM})(?::(${NUM}))?$`);

/**
 * Parses the CLI forms: `START..END[:STEP]` (step 1 by default), `log:START..END:NUM[:int]` (decimal
 * bounds allowed: `log:0.02..0.1:3`), or `a,b,c` (numbers where they parse as numbers, else strings;
 * `true`/`false` booleans). A `log:` form or a `..` that does not parse is SWS-1003 naming the
 * parameter (never a one-value list of the text).
 */
export function parseDomain(name: string, text: string): ParamSpec {
  const t = text.trim();
  if (t.startsWith('log:')) {
    const log = LOG_RE.exec(t);
    if (log === null) throw bad(name, `'${t}' is not a log range: write log:START..END:NUM[:int], e.g. log:0.02..0.1:3`, { value: t });
    return { name, kind: 'log', start: Number(log[1]), end: Number(log[2]), num: Number(log[3]), integer: log[4] !== undefined };
  }
  const range = RANGE_RE.exec(t);
  if (range) {
    return { name, kind: 'range', start: Number(range[1]), end: Number(range[2]), step: range[3] === undefined ? 1 : Number(range[3]) };
  }
  if (t.includes('..')) throw bad(name, `'${t}' is not a range: write START..END[:STEP], e.g. 0.1..0.5:0.1`, { value: t });
  if (t === '') throw bad(name, 'empty value list');
  const values: ParamValue[] = t.split(',').map((raw) => {
    const s = raw.trim();
    if (s === 'true') return true;
    if (s === 'false') return false;
    const n = Number(s);
    return s !== '' && Number.isFinite(n) ? n : s;
  });
  return { name, kind: 'list', values };
}

/**
 * Canonical JSON: the one byte form of a value that config, run and artifact hashes are taken over.
 * - objects: keys sorted by UTF-16 code units (Array.prototype.sort default), recursively;
 * - no whitespace; strings escaped exactly as JSON.stringify does;
 * - numbers in JavaScript's shortest round-trip form (`String(n)`, as JSON.stringify), `-0` -> `0`;
 * - only null, booleans, finite numbers, strings, arrays and plain objects are allowed: NaN,
 *   ±Infinity, undefined (also as an object value or array element), bigint, functions, symbols,
 *   Dates, Maps, typed arrays and class instances throw `HASH_NOT_CANONICAL` naming the path.
 * This matches RFC 8785 (JCS) for every value whose numbers are integers or already shortest-form.
 */
import { SigmatiqError } from '../errors.js';

function fail(path: string, what: string): never {
  throw new SigmatiqError('HASH_NOT_CANONICAL', `cannot canonicalize ${what} at ${path}`, { path });
}

function isPlainObject(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function write(value: unknown, path: string, out: string[]): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) fail(path, String(value));
      out.push(Object.is(value, -0) ? '0' : String(value));
      return;
    case 'undefined':
      fail(path, 'undefined');
    case 'bigint':
    case 'function':
    case 'symbol':
      fail(path, `a ${typeof value}`);
    case 'object':
      break;
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i] as unknown, `${path}[${i}]`, out);
    }
    out.push(']');
    return;
  }
  if (!isPlainObject(value)) fail(path, `a ${value.constructor?.name ?? 'non-plain'} object`);
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  out.push('{');
  keys.forEach((k, i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(k), ':');
    write(obj[k], `${path}.${k}`, out);
  });
  out.push('}');
}

/**
 * The canonical text of a plain object whose values are all finite numbers (a combination's
 * parameters: one per sweep combination), or undefined for anything else. The same text as
 * `write`, built without its path strings and pieces, and on its own code path: while `write` only
 * ever saw numbers in a sweep, V8 optimized it for them and dropped that code at the next job's
 * first string.
 */
function flatNumbers(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !isPlainObject(value)) return undefined;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = obj[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    if (i > 0) out += ',';
    out += `${JSON.stringify(k)}:${String(v)}`; // String(-0) is '0'
  }
  return `${out}}`;
}

/** Canonical JSON text of `value` (see module doc). Throws HASH_NOT_CANONICAL. */
export function canonicalJson(value: unknown): string {
  const flat = flatNumbers(value);
  if (flat !== undefined) return flat;
  const out: string[] = [];
  write(value, '$', out);
  return out.join('');
}

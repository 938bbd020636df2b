import { SigmatiqError, isSigmatiqError } from '../errors.js';
import { BAR_FIELDS, type BarField } from '../data/bars.js';
import { getIndicator } from './registry.js';
import type { IndicatorDef } from './types.js';

/** One parsed item of an indicator spec such as `sma(20),macd(12,26,9),sma(high, 10)`. */
export interface IndicatorSpecItem {
  readonly def: IndicatorDef;
  /** Resolved parameters (defaults filled in). */
  readonly params: Readonly<Record<string, number>>;
  /** Input field for single-input indicators when not the default (`sma(high, 10)`). */
  readonly source: BarField | undefined;
  readonly columns: readonly string[];
  /** 1-based column of the item in the spec text. */
  readonly column: number;
}

function specError(code: string, message: string, column: number, extra: Record<string, unknown> = {}): SigmatiqError {
  return new SigmatiqError(code, message, { ...extra, column });
}

/**
 * Parse `name(arg, …), …`. Arguments are numbers, positional in the indicator's parameter order
 * or named (`bbands(period=20, stddev=2.5)`); a single-input indicator may take a bar field first
 * (`sma(high, 10)`). `obv` and `vwap` may omit the parentheses. Errors: INDICATOR_SPEC (syntax),
 * INDICATOR_UNKNOWN, INDICATOR_PARAM — each with the 1-based column.
 */
export function parseIndicatorSpec(text: string): IndicatorSpecItem[] {
  const items: IndicatorSpecItem[] = [];
  let pos = 0;
  const col = (): number => pos + 1;
  const skipWs = (): void => {
    while (pos < text.length && /\s/.test(text[pos] ?? '')) pos++;
  };
  const ident = (): string => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos));
    if (m === null) return '';
    pos += m[0].length;
    return m[0];
  };
  skipWs();
  if (pos >= text.length) throw specError('INDICATOR_SPEC', 'empty indicator spec', 1);
  while (pos < text.length) {
    skipWs();
    const start = col();
    const rawName = ident();
    if (rawName === '') throw specError('INDICATOR_SPEC', `expected an indicator name, found '${text[pos] ?? 'end'}'`, col());
    const name = rawName.toLowerCase();
    const def = getIndicator(name);
    if (def === undefined) throw specError('INDICATOR_UNKNOWN', `unknown indicator '${rawName}'`, start, { name: rawName });
    skipWs();
    const positional: { value: number; column: number }[] = [];
    const named: Record<string, number> = {};
    let source: BarField | undefined;
    if (text[pos] === '(') {
      pos++;
      skipWs();
      let first = true;
      while (text[pos] !== ')') {
        if (pos >= text.length) throw specError('INDICATOR_SPEC', `missing ')' for ${name}`, col());
        if (!first) {
          if (text[pos] !== ',') throw specError('INDICATOR_SPEC', `expected ',' or ')', found '${text[pos] ?? 'end'}'`, col());
          pos++;
          skipWs();
        }
        const argCol = col();
        const word = ident();
        if (word !== '') {
          skipWs();
          if (text[pos] === '=') {
            pos++;
            skipWs();
            const valueCol = col();
            const value = number();
            if (value === undefined) throw specError('INDICATOR_SPEC', `expected a number after '${word}='`, valueCol);
            if (!def.params.some((d) => d.name === word)) throw specError('INDICATOR_PARAM', `${name}: parameter '${word}' is unknown`, argCol, { indicator: name, param: word });
            named[word] = value;
          } else if (first && (BAR_FIELDS as readonly string[]).includes(word.toLowerCase()) && def.inputs.length === 1) {
            source = word.toLowerCase() as BarField;
          } else {
            throw specError('INDICATOR_SPEC', `unexpected '${word}' in ${name}(…)`, argCol);
          }
        } else {
          const value = number();
          if (value === undefined) throw specError('INDICATOR_SPEC', `expected a number, found '${text[pos] ?? 'end'}'`, argCol);
          positional.push({ value, column: argCol });
        }
        skipWs();
        first = false;
      }
      pos++;
    }
    if (positional.length > def.params.length) {
      const extra = positional[def.params.length];
      throw specError('INDICATOR_PARAM', `${name} takes at most ${def.params.length} parameter(s)`, extra?.column ?? start, { indicator: name });
    }
    const params: Record<string, number> = { ...named };
    positional.forEach((a, k) => {
      const pd = def.params[k];
      if (pd !== undefined) params[pd.name] = a.value;
    });
    let resolved: Readonly<Record<string, number>>;
    try {
      resolved = def.resolveParams(params);
    } catch (err) {
      if (isSigmatiqError(err)) {
        const param = err.details?.['param'];
        const at = positional.find((_, k) => def.params[k]?.name === param)?.column ?? start;
        throw specError(err.code, err.message, at, { ...err.details });
      }
      throw err;
    }
    items.push({ def, params: resolved, source, columns: def.columns(resolved, source), column: start });
    skipWs();
    if (pos < text.length) {
      if (text[pos] !== ',') throw specError('INDICATOR_SPEC', `expected ',' between indicators, found '${text[pos] ?? ''}'`, col());
      pos++;
      skipWs();
      if (pos >= text.length) throw specError('INDICATOR_SPEC', 'trailing comma', col());
    }
  }
  return items;

  function number(): number | undefined {
    const m = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (m === null) return undefined;
    pos += m[0].length;
    return Number(m[0]);
  }
}

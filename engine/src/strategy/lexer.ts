import { exprError } from './errors.js';

export type TokenKind = 'num' | 'id' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name (lower-cased keywords kept as written), operator text, or number text. */
  readonly text: string;
  readonly value: number;
  /** 0-based offset of the first character. */
  readonly pos: number;
}

const TWO_CHAR_OPS = new Set(['<=', '>=', '==', '!=', '&&', '||']);
const ONE_CHAR_OPS = new Set(['<', '>', '+', '-', '*', '/', '!']);

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}

/** Hand-written tokenizer. Throws `EXPR_PARSE` with the column of the offending character. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === '.' && isDigit(source.charAt(i + 1)))) {
      while (i < n && isDigit(source.charAt(i))) i++;
      if (source.charAt(i) === '.') {
        i++;
        while (i < n && isDigit(source.charAt(i))) i++;
      }
      if (source.charAt(i) === 'e' || source.charAt(i) === 'E') {
        let j = i + 1;
        if (source.charAt(j) === '+' || source.charAt(j) === '-') j++;
        if (!isDigit(source.charAt(j))) throw exprError('EXPR_PARSE', 'malformed number exponent', source, i);
        i = j;
        while (i < n && isDigit(source.charAt(i))) i++;
      }
      if (i < n && isIdentStart(source.charAt(i))) {
        throw exprError('EXPR_PARSE', `unexpected character '${source.charAt(i)}' after number`, source, i);
      }
      const text = source.slice(start, i);
      tokens.push({ kind: 'num', text, value: Number(text), pos: start });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(source.charAt(i))) i++;
      tokens.push({ kind: 'id', text: source.slice(start, i), value: NaN, pos: start });
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, value: NaN, pos: start });
      i++;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ kind: 'op', text: two, value: NaN, pos: start });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      tokens.push({ kind: 'op', text: c, value: NaN, pos: start });
      i++;
      continue;
    }
    if (c === '=') throw exprError('EXPR_PARSE', "unexpected '=' (use '==' to compare)", source, i);
    if (c === '$') throw exprError('EXPR_PARSE', "unexpected '$' (parameters are bare names declared as params, e.g. sma(close, fast))", source, i);
    throw exprError('EXPR_PARSE', `unexpected character '${c}'`, source, i);
  }
  tokens.push({ kind: 'eof', text: '', value: NaN, pos: n });
  return tokens;
}

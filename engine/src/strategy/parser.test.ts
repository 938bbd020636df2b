import { describe, expect, it } from 'vitest';
import { SigmatiqError } from '../errors.js';
import { parseExpression } from './parser.js';
import type { Ast } from './ast.js';

/** Fully parenthesized print of the tree: the oracle for precedence is written by hand below. */
function show(a: Ast): string {
  switch (a.t) {
    case 'num':
      return String(a.value);
    case 'bool':
      return String(a.value);
    case 'id':
      return a.name;
    case 'neg':
      return `(-${show(a.a)})`;
    case 'not':
      return `(not ${show(a.a)})`;
    case 'bin':
      return `(${show(a.a)} ${a.op} ${show(a.b)})`;
    case 'call':
      return `${a.name}(${a.args.map(show).join(', ')})`;
  }
}

function parseError(src: string): SigmatiqError {
  try {
    parseExpression(src);
  } catch (e) {
    if (e instanceof SigmatiqError) return e;
    throw e;
  }
  throw new Error(`expected a parse error for ${src}`);
}

describe('parseExpression', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b / c', '((a / b) / c)'],
    ['-a * b', '((-a) * b)'],
    ['- -a', '(-(-a))'],
    ['a < b and c > d or e == f', '(((a < b) and (c > d)) or (e == f))'],
    ['a < b && c >= d || !(e != f)', '(((a < b) and (c >= d)) or (not (e != f)))'],
    ['not a < b and c <= 1.5e2', '((not (a < b)) and (c <= 150))'],
    ['cross_above(sma(close, fast), sma(close, slow))', 'cross_above(sma(close, fast), sma(close, slow))'],
    ['f()', 'f()'],
    ['true or false', '(true or false)'],
    ['.5 + 2.', '(0.5 + 2)'],
    ['rsi_14 < 30\n and x', '((rsi_14 < 30) and x)'],
  ])('%s', (src, expected) => {
    expect(show(parseExpression(src))).toBe(expected);
  });

  it.each([
    // [source, 1-based column of the error]
    ['rsi_14 < ', 10], // end of expression: column = length + 1
    ['rsi_14 < )', 10],
    ['(close > open', 14],
    ['close > open)', 13],
    ['close = open', 7],
    ['close > $x', 9],
    ['a < b < c', 7],
    ['sma(close 10)', 11],
    ['close # 1', 7],
    ['', 1],
    ['close open', 7],
    ['1.2.3', 4],
    ['2e', 2],
    ['and', 1],
  ])('EXPR_PARSE for %j at column %i', (src, column) => {
    const e = parseError(src);
    expect(e.code).toBe('EXPR_PARSE');
    expect(e.details?.column).toBe(column);
    // The caret line points at the same column: two spaces of indent, then column-1 spaces.
    const lines = e.message.split('\n');
    expect(lines[2]).toBe(`  ${' '.repeat(column - 1)}^`);
  });
});

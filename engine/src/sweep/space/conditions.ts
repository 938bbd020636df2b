/**
 * Conditions on a parameter space: `fast < slow`, `slow >= 2 * fast`, `fast + 5 <= slow and stop != 0`.
 * Grammar (no eval; a small recursive-descent parser):
 *   condition := comparison ('and' comparison)*
 *   comparison := sum ('<' | '<=' | '>' | '>=' | '==' | '!=') sum
 *   sum := product (('+' | '-') product)*      product := unary (('*' | '/') unary)*
 *   unary := '-' unary | NUMBER | NAME | '(' sum ')'
 * NAME must be a declared parameter. String and boolean parameters may only be compared with
 * `==` / `!=` against another parameter (numbers compare numerically).
 */
import { SweepError } from '../errors.js';
import type { ParamValue } from './domain.js';

type Node =
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'name'; readonly v: string }
  | { readonly t: 'neg'; readonly a: Node }
  | { readonly t: 'bin'; readonly op: '+' | '-' | '*' | '/'; readonly a: Node; readonly b: Node };

type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
interface Comparison { readonly op: CmpOp; readonly a: Node; readonly b: Node }

export interface Condition {
  readonly source: string;
  /** Parameter names the condition reads. */
  readonly names: readonly string[];
  test(point: Readonly<Record<string, ParamValue>>): boolean;
}

const TOKEN_RE = /\s*(<=|>=|==|!=|<|>|\+|-|\*|\/|\(|\)|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)/y;

function tokenize(src: string): { tok: string; col: number }[] {
  const out: { tok: string; col: number }[] = [];
  TOKEN_RE.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(src);
    if (!m || m[1] === undefined) {
      const col = pos + (src.slice(pos).length - src.slice(pos).trimStart().length);
      throw new SweepError('INVALID_CONDITION', `condition '${src}': unexpected character at column ${col + 1}`, { condition: src, column: col + 1 });
    }
    out.push({ tok: m[1], col: m.index + m[0].length - m[1].length });
    pos = TOKEN_RE.lastIndex;
  }
  return out;
}

export function parseCondition(src: string, declared: ReadonlySet<string>): Condition {
  const toks = tokenize(src);
  let i = 0;
  const names = new Set<string>();
  const fail = (msg: string): never => {
    const col = (toks[i]?.col ?? src.length) + 1;
    throw new SweepError('INVALID_CONDITION', `condition '${src}': ${msg} at column ${col}`, { condition: src, column: col });
  };
  const peek = (): string | undefined => toks[i]?.tok;
  const unary = (): Node => {
    const t = peek();
    if (t === undefined) return fail('unexpected end');
    if (t === '-') { i++; return { t: 'neg', a: unary() }; }
    if (t === '(') {
      i++;
      const e = sum();
      if (peek() !== ')') fail("expected ')'");
      i++;
      return e;
    }
    if (/^[0-9.]/.test(t)) { i++; return { t: 'num', v: Number(t) }; }
    if (/^[A-Za-z_]/.test(t) && t !== 'and') {
      if (!declared.has(t)) fail(`unknown parameter '${t}'`);
      names.add(t);
      i++;
      return { t: 'name', v: t };
    }
    return fail(`unexpected '${t}'`);
  };
  const product = (): Node => {
    let a = unary();
    for (let t = peek(); t === '*' || t === '/'; t = peek()) { i++; a = { t: 'bin', op: t, a, b: unary() }; }
    return a;
  };
  const sum = (): Node => {
    let a = product();
    for (let t = peek(); t === '+' || t === '-'; t = peek()) { i++; a = { t: 'bin', op: t, a, b: product() }; }
    return a;
  };
  const comparisons: Comparison[] = [];
  for (;;) {
    const a = sum();
    const op = peek();
    if (op !== '<' && op !== '<=' && op !== '>' && op !== '>=' && op !== '==' && op !== '!=') return fail('expected a comparison (<, <=, >, >=, ==, !=)');
    i++;
    comparisons.push({ op, a, b: sum() });
    if (peek() === undefined) break;
    if (peek() !== 'and') fail(`expected 'and' or the end`);
    i++;
  }
  const evalNode = (n: Node, p: Readonly<Record<string, ParamValue>>): ParamValue => {
    switch (n.t) {
      case 'num': return n.v;
      case 'name': {
        const v = p[n.v];
        if (v === undefined) throw new SweepError('INVALID_CONDITION', `condition '${src}': parameter '${n.v}' has no value`, { condition: src, parameter: n.v });
        return v;
      }
      case 'neg': return -num(evalNode(n.a, p));
      case 'bin': {
        const a = num(evalNode(n.a, p));
        const b = num(evalNode(n.b, p));
        return n.op === '+' ? a + b : n.op === '-' ? a - b : n.op === '*' ? a * b : a / b;
      }
    }
  };
  const num = (v: ParamValue): number => {
    if (typeof v !== 'number') throw new SweepError('INVALID_CONDITION', `condition '${src}': arithmetic or ordering on a non-number value '${String(v)}'`, { condition: src, value: String(v) });
    return v;
  };
  return {
    source: src,
    names: [...names],
    test(p) {
      for (const c of comparisons) {
        const a = evalNode(c.a, p);
        const b = evalNode(c.b, p);
        let ok: boolean;
        switch (c.op) {
          case '==': ok = a === b; break;
          case '!=': ok = a !== b; break;
          case '<': ok = num(a) < num(b); break;
          case '<=': ok = num(a) <= num(b); break;
          case '>': ok = num(a) > num(b); break;
          case '>=': ok = num(a) >= num(b); break;
        }
        if (!ok) return false;
      }
      return true;
    },
  };
}

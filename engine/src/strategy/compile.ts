import { BAR_FIELDS, type BarField } from '../data/bars.js';
import { SigmatiqError } from '../errors.js';
import type { IndicatorDef } from '../indicators/types.js';
import type { Ast } from './ast.js';
import { exprError } from './errors.js';
import type { ArithOp, CmpOp, Node, ValueType } from './ir.js';
import { scalarArith } from './kernels.js';
import { parseExpression } from './parser.js';
import type { CompileContext, IndicatorLookup } from './types.js';

/** Built-in functions (checked before indicator names). `lag` = `shift`. */
export const BUILTIN_FUNCTIONS = ['cross_above', 'cross_below', 'shift', 'lag', 'highest', 'lowest', 'between', 'abs'] as const;
const BUILTINS = new Set<string>(BUILTIN_FUNCTIONS);
const FIELDS = new Set<string>(BAR_FIELDS);
const COLUMN_NUMBER = /^m?\d+(p\d+)?$/;

type Dist<T> = T extends unknown ? Omit<T, 'id'> : never;
type NodeInit = Dist<Node>;

function columnNumber(part: string): number {
  return Number(part.replace('p', '.').replace(/^m/, '-'));
}

/** Resolve a column identifier (`rsi_14`, `macd_signal_12_26_9`, `sma_high_20`) through the registry. */
function resolveColumn(name: string, registry: IndicatorLookup): { def: IndicatorDef; output: number; params: number[]; source: BarField | undefined } | undefined {
  const parts = name.split('_');
  let numeric = 0;
  while (numeric < parts.length - 1 && COLUMN_NUMBER.test(parts[parts.length - 1 - numeric] ?? '')) numeric++;
  const numbers = parts.slice(parts.length - numeric).map(columnNumber);
  for (const def of registry.list()) {
    const np = def.params.length;
    if (np > numbers.length) continue;
    const values = numbers.slice(numbers.length - np);
    const params: Record<string, number> = {};
    def.params.forEach((p, i) => {
      params[p.name] = values[i] ?? p.default;
    });
    const sources: (BarField | undefined)[] = def.inputs.length === 1 ? [undefined, ...BAR_FIELDS] : [undefined];
    for (const source of sources) {
      let cols: readonly string[];
      try {
        cols = def.columns(params, source);
      } catch {
        continue;
      }
      const output = cols.indexOf(name);
      if (output >= 0) return { def, output, params: values, source };
    }
  }
  return undefined;
}

/** Where an expression starts in the source (a binary node's own pos is its operator). */
function startOf(ast: Ast): number {
  return ast.t === 'bin' ? startOf(ast.a) : ast.pos;
}

class Compiler {
  readonly nodes: Node[] = [];
  readonly paramNames: string[] = [];
  private readonly aliasStack: string[] = [];

  constructor(
    private readonly ctx: CompileContext,
    private readonly registry: IndicatorLookup,
  ) {
    const declared = Object.keys(ctx.params ?? {});
    const seen = new Map<string, string>();
    const claim = (name: string, what: string): void => {
      if (FIELDS.has(name) || BUILTINS.has(name) || ['and', 'or', 'not', 'true', 'false'].includes(name)) {
        throw new SigmatiqError('EXPR_PARAM', `${what} '${name}' collides with a reserved name`, { name });
      }
      const prev = seen.get(name);
      if (prev !== undefined) throw new SigmatiqError('EXPR_PARAM', `${what} '${name}' is also declared as ${prev}`, { name });
      seen.set(name, what);
    };
    for (const p of declared) {
      claim(p, 'parameter');
      const v = ctx.params?.[p];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new SigmatiqError('EXPR_PARAM', `parameter '${p}' default must be a finite number`, { param: p });
      }
    }
    for (const a of Object.keys(ctx.aliases ?? {})) claim(a, 'alias');
    for (const s of ctx.series ?? []) claim(s, 'series');
  }

  add(init: NodeInit): Node {
    const node = { ...init, id: this.nodes.length } as Node;
    this.nodes.push(node);
    return node;
  }

  compile(ast: Ast, src: string): Node {
    switch (ast.t) {
      case 'num':
        return this.add({ k: 'const', v: ast.value, type: 'scalar', pos: ast.pos });
      case 'bool':
        return this.add({ k: 'bconst', v: ast.value, type: 'bool', pos: ast.pos });
      case 'id':
        return this.identifier(ast.name, ast.pos, src);
      case 'neg': {
        const a = this.compile(ast.a, src);
        this.expectNumeric(a, src, 'unary -');
        if (a.k === 'const') return this.add({ k: 'const', v: -a.v, type: 'scalar', pos: ast.pos });
        return a.type === 'scalar' ? this.add({ k: 'sneg', a, type: 'scalar', pos: ast.pos }) : this.add({ k: 'neg', a, type: 'series', pos: ast.pos });
      }
      case 'not': {
        const a = this.compile(ast.a, src);
        this.expectBool(a, src, 'not');
        return this.add({ k: 'not', a, type: 'bool', pos: ast.pos });
      }
      case 'bin': {
        const a = this.compile(ast.a, src);
        const b = this.compile(ast.b, src);
        if (ast.op === 'and' || ast.op === 'or') {
          this.expectBool(a, src, ast.op);
          this.expectBool(b, src, ast.op);
          return this.add({ k: 'logic', op: ast.op, a, b, type: 'bool', pos: startOf(ast) });
        }
        this.expectNumeric(a, src, `'${ast.op}'`);
        this.expectNumeric(b, src, `'${ast.op}'`);
        if (ast.op === '+' || ast.op === '-' || ast.op === '*' || ast.op === '/') {
          const op: ArithOp = ast.op;
          if (a.k === 'const' && b.k === 'const') return this.add({ k: 'const', v: scalarArith(op, a.v, b.v), type: 'scalar', pos: startOf(ast) });
          if (a.type === 'scalar' && b.type === 'scalar') return this.add({ k: 'sbin', op, a, b, type: 'scalar', pos: startOf(ast) });
          return this.add({ k: 'arith', op, a, b, type: 'series', pos: startOf(ast) });
        }
        const op: CmpOp = ast.op;
        return this.add({ k: 'cmp', op, a, b, type: 'bool', pos: startOf(ast) });
      }
      case 'call':
        return this.call(ast.name, ast.args, ast.pos, src);
    }
  }

  private expectNumeric(n: Node, src: string, where: string): void {
    if (n.type === 'bool') throw exprError('EXPR_TYPE', `${where} needs a number, got a condition`, src, n.pos, { expected: 'number' });
  }
  private expectBool(n: Node, src: string, where: string): void {
    if (n.type !== 'bool') throw exprError('EXPR_TYPE', `${where} needs a condition, got a number`, src, n.pos, { expected: 'condition' });
  }
  private expectScalar(n: Node, src: string, where: string, min: number): void {
    if (n.type !== 'scalar') throw exprError('EXPR_TYPE', `${where} needs a constant number or parameter`, src, n.pos, { expected: 'scalar' });
    if (n.k === 'const' && (!Number.isInteger(n.v) || n.v < min)) {
      throw exprError('EXPR_TYPE', `${where} needs an integer >= ${min}, got ${n.v}`, src, n.pos, { expected: `integer >= ${min}` });
    }
  }

  private identifier(name: string, pos: number, src: string): Node {
    if (FIELDS.has(name)) return this.add({ k: 'field', field: name as BarField, type: 'series', pos });
    if (this.ctx.params !== undefined && Object.hasOwn(this.ctx.params, name)) {
      if (!this.paramNames.includes(name)) this.paramNames.push(name);
      return this.add({ k: 'param', name, type: 'scalar', pos });
    }
    const alias = this.ctx.aliases !== undefined && Object.hasOwn(this.ctx.aliases, name) ? this.ctx.aliases[name] : undefined;
    if (alias !== undefined) {
      if (this.aliasStack.includes(name)) {
        throw exprError('EXPR_TYPE', `alias '${name}' refers to itself (${[...this.aliasStack, name].join(' -> ')})`, src, pos, { name });
      }
      this.aliasStack.push(name);
      try {
        return this.compile(parseExpression(alias), alias);
      } finally {
        this.aliasStack.pop();
      }
    }
    if (this.ctx.series?.includes(name) === true) return this.add({ k: 'ext', name, type: 'series', pos });
    const col = resolveColumn(name, this.registry);
    if (col !== undefined) {
      const params = col.params.map((v) => this.add({ k: 'const', v, type: 'scalar', pos }));
      const inputs = col.source === undefined ? undefined : [this.add({ k: 'field', field: col.source, type: 'series', pos })];
      return this.add({ k: 'ind', def: col.def, output: col.output, inputs, params, type: 'series', pos });
    }
    if (BUILTINS.has(name) || this.registry.get(name) !== undefined) {
      throw exprError('EXPR_TYPE', `'${name}' is a function: call it with arguments`, src, pos, { name });
    }
    throw exprError('EXPR_UNKNOWN_NAME', `unknown name '${name}' (not a bar field, parameter, alias, series or indicator column)`, src, pos, { name });
  }

  private call(name: string, argAsts: readonly Ast[], pos: number, src: string): Node {
    const arity = (min: number, max: number): void => {
      if (argAsts.length < min || argAsts.length > max) {
        const want = min === max ? `${min}` : `${min} to ${max}`;
        throw exprError('EXPR_TYPE', `${name} takes ${want} argument(s), got ${argAsts.length}`, src, pos, { name, arity: argAsts.length });
      }
    };
    if (BUILTINS.has(name)) {
      switch (name) {
        case 'cross_above':
        case 'cross_below': {
          arity(2, 2);
          const [a, b] = argAsts.map((x) => this.compile(x, src)) as [Node, Node];
          this.expectNumeric(a, src, name);
          this.expectNumeric(b, src, name);
          return this.add({ k: 'cross', above: name === 'cross_above', a, b, type: 'bool', pos });
        }
        case 'shift':
        case 'lag': {
          arity(2, 2);
          const [x, n] = argAsts.map((y) => this.compile(y, src)) as [Node, Node];
          this.expectScalar(n, src, `${name} bars`, 0);
          return this.add({ k: 'shift', x, n, type: x.type === 'bool' ? 'bool' : 'series', pos });
        }
        case 'highest':
        case 'lowest': {
          arity(2, 2);
          const [x, n] = argAsts.map((y) => this.compile(y, src)) as [Node, Node];
          this.expectNumeric(x, src, name);
          this.expectScalar(n, src, `${name} window`, 1);
          return this.add({ k: 'roll', max: name === 'highest', x, n, type: 'series', pos });
        }
        case 'between': {
          arity(3, 3);
          const [x, lo, hi] = argAsts.map((y) => this.compile(y, src)) as [Node, Node, Node];
          for (const v of [x, lo, hi]) this.expectNumeric(v, src, name);
          return this.add({ k: 'between', x, lo, hi, type: 'bool', pos });
        }
        default: {
          arity(1, 1);
          const [a] = argAsts.map((y) => this.compile(y, src)) as [Node];
          this.expectNumeric(a, src, name);
          return this.add({ k: 'abs', a, type: a.type === 'scalar' ? 'scalar' : 'series', pos });
        }
      }
    }
    const def = this.registry.get(name);
    if (def === undefined) {
      throw exprError('EXPR_UNKNOWN_NAME', `unknown function '${name}'`, src, pos, { name });
    }
    const args = argAsts.map((a) => this.compile(a, src));
    let k = 0;
    let inputs: Node[] | undefined;
    if (args[0] !== undefined && args[0].type !== 'scalar') {
      inputs = args.slice(0, def.inputs.length);
      k = inputs.length;
      if (inputs.length !== def.inputs.length || inputs.some((n) => n.type !== 'series')) {
        const bad = inputs.find((n) => n.type !== 'series') ?? args[args.length - 1] ?? args[0];
        throw exprError('EXPR_TYPE', `${name} takes ${def.inputs.length} input series (${def.inputs.join(', ')}) before its parameters`, src, bad.pos, { name });
      }
    }
    const params = args.slice(k);
    if (params.length > def.params.length) {
      const extra = params[def.params.length] ?? args[0];
      throw exprError('EXPR_TYPE', `${name} takes at most ${def.params.length} parameter(s) (${def.params.map((p) => p.name).join(', ')})`, src, extra?.pos ?? pos, { name });
    }
    for (const p of params) {
      if (p.type !== 'scalar') throw exprError('EXPR_TYPE', `${name} parameters must be constant numbers or parameters`, src, p.pos, { name });
    }
    return this.add({ k: 'ind', def, output: 0, inputs, params, type: 'series', pos });
  }
}

export interface CompiledProgram {
  readonly source: string;
  readonly root: Node;
  readonly nodes: readonly Node[];
  readonly paramNames: readonly string[];
  readonly type: ValueType;
}

export function compileProgram(source: string, ctx: CompileContext, registry: IndicatorLookup): CompiledProgram {
  if (typeof source !== 'string') throw new SigmatiqError('EXPR_PARSE', 'expression must be a string', { column: 1 });
  const ast = parseExpression(source);
  const c = new Compiler(ctx, registry);
  const root = c.compile(ast, source);
  return { source, root, nodes: c.nodes, paramNames: c.paramNames, type: root.type };
}

/**
 * Expression rules: every custom feature and every strategy rule must compile in the pack's
 * context (names, aliases, parameters), and report the column of the first problem.
 */
import { isSigmatiqError } from '../errors.js';
import { compileCondition, parseExpression, type Ast, type IndicatorLookup } from '../strategy/index.js';
import { splitPath, type Collector, type Path } from './collector.js';
import { packContext, strategyCompileContext, type NameEntry, type PackContext } from './context.js';
import type { PackIssueCode } from './report.js';
import type { Pack } from './schema.js';

const CODE_MAP: Readonly<Record<string, PackIssueCode>> = {
  EXPR_PARSE: 'PACK_EXPR_PARSE',
  EXPR_UNKNOWN_NAME: 'PACK_EXPR_UNKNOWN_NAME',
  EXPR_TYPE: 'PACK_EXPR_TYPE',
  EXPR_PARAM: 'PACK_NAME_COLLISION',
};

function identifiers(ast: Ast, out: Set<string>): void {
  switch (ast.t) {
    case 'id':
      out.add(ast.name);
      return;
    case 'neg':
    case 'not':
      identifiers(ast.a, out);
      return;
    case 'bin':
      identifiers(ast.a, out);
      identifiers(ast.b, out);
      return;
    case 'call':
      for (const a of ast.args) identifiers(a, out);
      return;
    default:
      return;
  }
}

function describeEntry(e: NameEntry): string {
  if (e.kind === 'bar') return 'a bar field';
  if (e.kind === 'reserved') return 'a reserved word or built-in function';
  return `the ${e.kind} at ${e.path}`;
}

/**
 * Compile `text`; on failure add one issue located at the expression's column. `offset` is how
 * many characters the checked text has before the user's text (a wrapper such as `(`).
 */
function tryCompile(c: Collector, path: Path, text: string, checked: string, offset: number, compile: (s: string) => void, declared: ReadonlyMap<string, NameEntry>): boolean {
  try {
    compile(checked);
    return true;
  } catch (e) {
    if (!isSigmatiqError(e)) throw e;
    // A pack name whose definition is broken (unknown indicator) is reported there, not here.
    const name = e.details?.name;
    if (e.code === 'EXPR_UNKNOWN_NAME' && typeof name === 'string' && declared.has(name)) return false;
    const code = CODE_MAP[e.code] ?? 'PACK_EXPR_PARSE';
    const rawCol = typeof e.details?.column === 'number' ? e.details.column : 1;
    const inUserText = e.details?.expression === undefined || e.details.expression === checked;
    const col = inUserText ? Math.min(Math.max(1, rawCol - offset), text.length + 1) : 1;
    const first = e.message.split('\n')[0] ?? e.message;
    const msg = inUserText ? first.replace(/ at column \d+$/, '') : `in a name it reads: ${first}`;
    c.addExpr(code, path, `${msg} (column ${col} of '${text}')`, col);
    return false;
  }
}

/** Returns the pack ids (indicators, features) the expressions read, for unused-name warnings. */
export function checkExpressions(pack: Pack, lookup: IndicatorLookup, c: Collector): { used: Set<string>; ok: boolean } {
  const ctx: PackContext = packContext(pack, lookup);
  for (const col of ctx.collisions) {
    c.add('PACK_NAME_COLLISION', splitPath(col.second.path), `name '${col.name}' (${col.second.kind}) is already ${describeEntry(col.first)}`);
  }
  let ok = ctx.collisions.length === 0;
  const used = new Set<string>();
  const markUsed = (text: string): void => {
    const ids = new Set<string>();
    try {
      identifiers(parseExpression(text), ids);
    } catch {
      return;
    }
    for (const id of ids) {
      const owner = ctx.names.get(id)?.owner;
      if (owner !== undefined) used.add(owner);
    }
  };
  const baseCtx = { indicators: lookup, aliases: ctx.aliases, params: ctx.levels };
  pack.features.forEach((f, i) => {
    f.inputs.forEach((inp) => used.add(inp));
    if (f.expression === undefined) return;
    // A feature is a number: `(expr) > 0` compiles only when expr is numeric.
    const good = tryCompile(c, ['features', i, 'expression'], f.expression, `(${f.expression}) > 0`, 1, (s) => compileCondition(s, baseCtx), ctx.names);
    ok &&= good;
    markUsed(f.expression);
  });
  pack.strategies.forEach((s, i) => {
    let clash = false;
    for (const p of Object.keys(s.params)) {
      const prev = ctx.names.get(p);
      if (prev !== undefined) {
        c.add('PACK_NAME_COLLISION', ['strategies', i, 'params', p], `strategy param '${p}' is already ${describeEntry(prev)}`);
        clash = true;
      }
    }
    if (clash) {
      ok = false;
      return;
    }
    const sctx = strategyCompileContext(ctx, s, lookup);
    const rules = [...s.entry_logic.map((e, k) => ['entry_logic', k, e] as const), ...s.exit_logic.map((e, k) => ['exit_logic', k, e] as const)];
    for (const [field, k, text] of rules) {
      ok = tryCompile(c, ['strategies', i, field, k], text, text, 0, (src) => compileCondition(src, sctx), ctx.names) && ok;
      markUsed(text);
    }
  });
  pack.features.forEach((f) => {
    if (f.expression !== undefined && used.has(f.id)) markUsed(f.expression);
  });
  return { used, ok };
}

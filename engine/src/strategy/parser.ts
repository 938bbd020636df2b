import type { Ast, BinaryOp } from './ast.js';
import { exprError } from './errors.js';
import { tokenize, type Token } from './lexer.js';

/**
 * Pratt parser. Precedence, loosest first:
 *   or (||)  <  and (&&)  <  not (!)  <  comparison (non-associative)  <  + -  <  * /  <  unary -
 * Calls `name(arg, ...)`, parentheses, numbers, `true`/`false`, identifiers.
 */
const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false']);

const BP_OR = 1;
const BP_AND = 2;
const BP_NOT = 3;
const BP_CMP = 4;
const BP_ADD = 5;
const BP_MUL = 6;
const BP_NEG = 7;

function infixOf(tok: Token): { op: BinaryOp; bp: number } | undefined {
  if (tok.kind === 'id') {
    if (tok.text === 'or') return { op: 'or', bp: BP_OR };
    if (tok.text === 'and') return { op: 'and', bp: BP_AND };
    return undefined;
  }
  if (tok.kind !== 'op') return undefined;
  switch (tok.text) {
    case '||':
      return { op: 'or', bp: BP_OR };
    case '&&':
      return { op: 'and', bp: BP_AND };
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '==':
    case '!=':
      return { op: tok.text, bp: BP_CMP };
    case '+':
    case '-':
      return { op: tok.text, bp: BP_ADD };
    case '*':
    case '/':
      return { op: tok.text, bp: BP_MUL };
    default:
      return undefined;
  }
}

function describe(tok: Token): string {
  return tok.kind === 'eof' ? 'end of expression' : `'${tok.text}'`;
}

class Parser {
  private i = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(): Token {
    const t = this.tokens[this.i];
    if (t === undefined) throw new Error('parser ran past eof');
    return t;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private fail(tok: Token, message: string): never {
    throw exprError('EXPR_PARSE', message, this.source, tok.pos, { token: tok.text });
  }

  parseAll(): Ast {
    if (this.peek().kind === 'eof') this.fail(this.peek(), 'empty expression');
    const ast = this.expr(0);
    const tok = this.peek();
    if (tok.kind !== 'eof') {
      this.fail(tok, tok.kind === 'rparen' ? "unmatched ')'" : `unexpected ${describe(tok)} (expected an operator or end of expression)`);
    }
    return ast;
  }

  private expr(minBp: number): Ast {
    let left = this.prefix();
    for (;;) {
      const tok = this.peek();
      const inf = infixOf(tok);
      if (inf === undefined || inf.bp <= minBp) {
        if (inf === undefined && (tok.kind === 'num' || tok.kind === 'id' || tok.kind === 'lparen')) {
          this.fail(tok, `unexpected ${describe(tok)} (missing operator?)`);
        }
        return left;
      }
      this.next();
      const right = this.expr(inf.bp);
      if (inf.bp === BP_CMP) {
        const after = infixOf(this.peek());
        if (after !== undefined && after.bp === BP_CMP) {
          this.fail(this.peek(), 'comparisons cannot be chained (use and)');
        }
      }
      left = { t: 'bin', op: inf.op, a: left, b: right, pos: tok.pos };
    }
  }

  private prefix(): Ast {
    const tok = this.next();
    switch (tok.kind) {
      case 'num':
        if (!Number.isFinite(tok.value)) this.fail(tok, `number out of range '${tok.text}'`);
        return { t: 'num', value: tok.value, pos: tok.pos };
      case 'lparen': {
        const inner = this.expr(0);
        const close = this.next();
        if (close.kind !== 'rparen') this.fail(close, `expected ')' but found ${describe(close)}`);
        return inner;
      }
      case 'op':
        if (tok.text === '-') return { t: 'neg', a: this.expr(BP_NEG - 1 + 0.5), pos: tok.pos };
        if (tok.text === '+') return this.expr(BP_NEG - 1 + 0.5);
        if (tok.text === '!') return { t: 'not', a: this.expr(BP_NOT - 1 + 0.5), pos: tok.pos };
        return this.fail(tok, `unexpected ${describe(tok)} (expected a value)`);
      case 'id':
        return this.identifier(tok);
      default:
        return this.fail(tok, `unexpected ${describe(tok)} (expected a value)`);
    }
  }

  private identifier(tok: Token): Ast {
    const name = tok.text;
    if (name === 'true' || name === 'false') return { t: 'bool', value: name === 'true', pos: tok.pos };
    if (name === 'not') return { t: 'not', a: this.expr(BP_NOT - 1 + 0.5), pos: tok.pos };
    if (KEYWORDS.has(name)) this.fail(tok, `unexpected keyword '${name}' (expected a value)`);
    if (this.peek().kind !== 'lparen') return { t: 'id', name, pos: tok.pos };
    this.next();
    const args: Ast[] = [];
    if (this.peek().kind === 'rparen') {
      this.next();
      return { t: 'call', name, args, pos: tok.pos };
    }
    for (;;) {
      args.push(this.expr(0));
      const sep = this.next();
      if (sep.kind === 'rparen') break;
      if (sep.kind !== 'comma') this.fail(sep, `expected ',' or ')' in call to ${name} but found ${describe(sep)}`);
    }
    return { t: 'call', name, args, pos: tok.pos };
  }
}

/** Parse an expression. Throws `EXPR_PARSE` (details.column 1-based, caret line in the message). */
export function parseExpression(source: string): Ast {
  return new Parser(source, tokenize(source)).parseAll();
}

import { SigmatiqError } from '../errors.js';

/** Codes thrown by the expression language (documented in docs/expressions.md). */
export type ExprErrorCode = 'EXPR_PARSE' | 'EXPR_UNKNOWN_NAME' | 'EXPR_TYPE' | 'EXPR_PARAM' | 'EXPR_INPUT';

/** The source on one line with a caret under `pos` (0-based). Newlines/tabs shown as spaces. */
export function caretLine(source: string, pos: number): string {
  const flat = source.replace(/[\r\n\t]/g, ' ');
  return `  ${flat}\n  ${' '.repeat(Math.max(0, Math.min(pos, flat.length)))}^`;
}

/** An error located in the expression source: `details.column` is 1-based. */
export function exprError(
  code: ExprErrorCode,
  message: string,
  source: string,
  pos: number,
  details: Record<string, unknown> = {},
): SigmatiqError {
  const column = pos + 1;
  return new SigmatiqError(code, `${message} at column ${column}\n${caretLine(source, pos)}`, {
    ...details,
    column,
    expression: source,
  });
}

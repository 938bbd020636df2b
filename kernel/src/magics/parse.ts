/**
 * Splits a cell into segments: `%%name args` cells, `%name args` lines and TypeScript code.
 * Pure and total: every input gives segments or a MagicSyntaxError naming line and column.
 *
 * Rules:
 * - A cell whose first non-blank line starts with `%%` is a cell magic: that line gives the name
 *   and arguments, everything after it is the body (kept verbatim).
 * - Otherwise a line starting with `%` in column 1 followed by a name is a line magic; every run
 *   of other lines is one TypeScript code segment. `%` after leading white space is TypeScript
 *   (the modulo operator on a continued line), never a magic.
 * - Arguments are split on white space; single or double quotes group words (no escapes inside
 *   single quotes; `\"` and `\\` inside double quotes).
 */
export type Segment =
  | { kind: 'code'; code: string; line: number }
  | { kind: 'line-magic'; name: string; args: string[]; raw: string; line: number }
  | { kind: 'cell-magic'; name: string; args: string[]; body: string; raw: string; line: number };

export class MagicSyntaxError extends Error {
  readonly code = 'MAGIC_SYNTAX';
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(`${message} (line ${line}, column ${column})`);
    this.name = 'MagicSyntaxError';
    this.line = line;
    this.column = column;
  }
}

const NAME = /^[A-Za-z_][\w-]*/;

export function tokenizeArgs(text: string, line = 1, columnOffset = 0): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | null = null;
  let quoteStart = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quote !== null) {
      if (ch === quote) {
        quote = null;
      } else if (quote === '"' && ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
        current += text.charAt(i + 1);
        i++;
      } else {
        current += ch;
      }
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      quoteStart = i;
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quote !== null) throw new MagicSyntaxError(`unterminated ${quote} quote`, line, columnOffset + quoteStart + 1);
  if (inToken) tokens.push(current);
  return tokens;
}

function magicHead(text: string, prefixLength: number, line: number): { name: string; args: string[] } {
  const rest = text.slice(prefixLength);
  const match = NAME.exec(rest);
  if (match === null) throw new MagicSyntaxError(`expected a magic name after '${'%'.repeat(prefixLength)}'`, line, prefixLength + 1);
  const name = match[0];
  return { name, args: tokenizeArgs(rest.slice(name.length), line, prefixLength + name.length) };
}

export function parseCell(source: string): Segment[] {
  const lines = source.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first >= 0 && lines[first]?.trimStart().startsWith('%%')) {
    const headLine = (lines[first] ?? '').trimStart();
    const { name, args } = magicHead(headLine, 2, first + 1);
    return [{ kind: 'cell-magic', name, args, body: lines.slice(first + 1).join('\n'), raw: headLine, line: first + 1 }];
  }
  const segments: Segment[] = [];
  let code: string[] = [];
  let codeStart = 1;
  const flush = (): void => {
    if (code.some((l) => l.trim() !== '')) segments.push({ kind: 'code', code: code.join('\n'), line: codeStart });
    code = [];
  };
  lines.forEach((text, index) => {
    if (text.startsWith('%') && !text.startsWith('%%')) {
      flush();
      const { name, args } = magicHead(text, 1, index + 1);
      segments.push({ kind: 'line-magic', name, args, raw: text, line: index + 1 });
    } else if (text.startsWith('%%')) {
      throw new MagicSyntaxError("a cell magic ('%%') must start the cell", index + 1, 1);
    } else {
      if (code.length === 0) codeStart = index + 1;
      code.push(text);
    }
  });
  flush();
  return segments;
}

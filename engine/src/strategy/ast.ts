/**
 * Syntax tree of a strategy expression, as the parser produces it (before names are resolved).
 * `pos` is the 0-based offset of the node's first character in the source.
 */
export type BinaryOp = 'or' | 'and' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '+' | '-' | '*' | '/';

export type Ast =
  | { readonly t: 'num'; readonly value: number; readonly pos: number }
  | { readonly t: 'bool'; readonly value: boolean; readonly pos: number }
  | { readonly t: 'id'; readonly name: string; readonly pos: number }
  | { readonly t: 'neg'; readonly a: Ast; readonly pos: number }
  | { readonly t: 'not'; readonly a: Ast; readonly pos: number }
  | { readonly t: 'bin'; readonly op: BinaryOp; readonly a: Ast; readonly b: Ast; readonly pos: number }
  | { readonly t: 'call'; readonly name: string; readonly args: readonly Ast[]; readonly pos: number };

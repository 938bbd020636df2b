/**
 * YAML parsing that keeps source positions, so every error about a pack can name the line and
 * column of the offending node. `locate(path)` maps a zod-style path (`['strategies', 1,
 * 'entry_logic', 0]`) back to the YAML node's range.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node } from 'yaml';

export interface SourcePos {
  readonly line: number;
  readonly col: number;
}

export interface Located extends SourcePos {
  /** True when the path does not exist in the YAML; the position is then the deepest existing parent. */
  readonly missing: boolean;
}

export interface YamlSyntaxIssue extends SourcePos {
  readonly message: string;
  readonly yaml_code: string;
}

export interface PackSource {
  readonly file: string | undefined;
  readonly text: string;
  /** Position of the node at `path` (a map key's position when `onKey`). */
  locate(path: readonly PropertyKey[], onKey?: boolean): Located;
  /**
   * Position of a column inside a string value (for expression errors): exact for single-line
   * plain and quoted scalars, the scalar's first line otherwise.
   */
  locateInString(path: readonly PropertyKey[], exprCol: number): SourcePos;
}

export type ParsedYaml =
  | { readonly ok: true; readonly value: unknown; readonly source: PackSource }
  | { readonly ok: false; readonly issues: readonly YamlSyntaxIssue[] };

function keyMatches(key: unknown, seg: PropertyKey): boolean {
  const k = isScalar(key) ? key.value : key;
  return String(k) === String(seg);
}

interface Walk {
  node: Node | null;
  keyNode: Node | null;
  missing: boolean;
}

function walk(doc: Document, path: readonly PropertyKey[]): Walk {
  let node: Node | null = doc.contents;
  let keyNode: Node | null = null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyMatches(p.key, seg));
      if (pair === undefined) return { node, keyNode: null, missing: true };
      keyNode = isScalar(pair.key) || isMap(pair.key) || isSeq(pair.key) ? pair.key : null;
      const v = pair.value;
      node = isScalar(v) || isMap(v) || isSeq(v) ? v : keyNode;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!(isScalar(item) || isMap(item) || isSeq(item))) return { node, keyNode: null, missing: true };
      node = item;
      keyNode = null;
    } else if (isScalar(node) && seg === 0) {
      // A one-string rule stands for a one-item list (`exit_logic: a > b`): item 0 is the string.
      keyNode = null;
    } else {
      return { node, keyNode: null, missing: true };
    }
  }
  return { node, keyNode, missing: false };
}

export function parsePackYaml(text: string, file?: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const toPos = (offset: number): SourcePos => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const p = e.linePos?.[0] ?? toPos(e.pos[0]);
        return { line: p.line, col: p.col, message: e.message.split('\n')[0] ?? e.message, yaml_code: e.code };
      }),
    };
  }
  const rootPos = (): SourcePos => toPos(doc.contents?.range?.[0] ?? 0);
  const source: PackSource = {
    file,
    text,
    locate(path, onKey = false) {
      const w = walk(doc, path);
      const target = onKey && w.keyNode !== null ? w.keyNode : w.node;
      const start = target?.range?.[0];
      const pos = start === undefined ? rootPos() : toPos(start);
      return { ...pos, missing: w.missing };
    },
    locateInString(path, exprCol) {
      const w = walk(doc, path);
      const n = w.node;
      if (w.missing || !isScalar(n) || n.range === undefined || n.range === null) return source.locate(path);
      const [start, end] = n.range;
      const raw = text.slice(start, end);
      const quoted = n.type === Scalar.QUOTE_DOUBLE || n.type === Scalar.QUOTE_SINGLE;
      const plainOneLine = n.type === Scalar.PLAIN && !raw.includes('\n');
      const quotedOneLine = quoted && !raw.includes('\n') && !raw.includes('\\') && !raw.includes("''");
      if (plainOneLine || quotedOneLine) {
        const base = toPos(start);
        return { line: base.line, col: base.col + (quoted ? 1 : 0) + exprCol - 1 };
      }
      return toPos(start);
    },
  };
  return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) as unknown, source };
}

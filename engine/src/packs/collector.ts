import type { PackIssue, PackIssueCode } from './report.js';
import { formatPath } from './report.js';
import type { PackSource } from './yaml-source.js';

export type Path = readonly PropertyKey[];

/** Collects PackIssues, locating each in the YAML source when there is one. */
export class Collector {
  readonly issues: PackIssue[] = [];
  constructor(private readonly source: PackSource | undefined) {}

  add(code: PackIssueCode, path: Path, message: string, extra: Partial<PackIssue> = {}): void {
    const pos = this.source?.locate(path);
    this.issues.push({ code, message, path: formatPath(path), ...(pos === undefined ? {} : { line: pos.line, col: pos.col }), ...extra });
  }

  /** An issue at 1-based column `exprCol` of the string at `path`. */
  addExpr(code: PackIssueCode, path: Path, message: string, exprCol: number): void {
    const pos = this.source?.locateInString(path, exprCol);
    this.issues.push({ code, message, path: formatPath(path), expr_col: exprCol, ...(pos === undefined ? {} : { line: pos.line, col: pos.col }) });
  }
}

/** `strategies[1].params.x` -> `['strategies', 1, 'params', 'x']`. */
export function splitPath(p: string): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

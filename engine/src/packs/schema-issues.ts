/**
 * Turns zod issues into PackIssues: a stable code (the REQUIREMENTS rules get their own codes,
 * everything else is PACK_SCHEMA) and the line/column of the offending YAML node.
 */
import type { z } from 'zod';
import { formatPath, type PackIssue, type PackIssueCode } from './report.js';
import type { PackSource } from './yaml-source.js';

function getAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function classify(issue: z.core.$ZodIssue, input: unknown): PackIssueCode {
  const p = issue.path;
  const top = p[0];
  const absent = getAt(input, p) === undefined;
  if (p.length === 1 && top === 'indicators') {
    if (issue.code === 'too_big') return 'PACK_TOO_MANY_INDICATORS';
    if (issue.code === 'too_small' || absent) return 'PACK_TOO_FEW_INDICATORS';
  }
  if (p.length === 1 && top === 'strategies' && (issue.code === 'too_small' || absent)) return 'PACK_NO_STRATEGY';
  if (top === 'gates' && p.length <= 2 && absent) return 'PACK_GATE_SECTION_MISSING';
  return 'PACK_SCHEMA';
}

function describe(issue: z.core.$ZodIssue, input: unknown): string {
  const where = formatPath(issue.path) || '(pack)';
  if (issue.code === 'invalid_type' && getAt(input, issue.path) === undefined) {
    return `${where}: required field is missing (expected ${issue.expected})`;
  }
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (issue.code === 'too_small' && issue.origin === 'array') return `${where}: needs at least ${String(issue.minimum)} item(s)`;
  if (issue.code === 'too_big' && issue.origin === 'array') return `${where}: at most ${String(issue.maximum)} item(s) allowed`;
  return `${where}: ${issue.message}`;
}

/** One PackIssue per zod issue (one per unknown key), located in `source` when given. */
export function schemaIssues(error: z.ZodError, input: unknown, source?: PackSource): PackIssue[] {
  const out: PackIssue[] = [];
  for (const issue of error.issues) {
    const code = classify(issue, input);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const pos = source?.locate(path, true);
        out.push({
          code,
          message: `${formatPath(path)}: unknown field '${key}'`,
          path: formatPath(path),
          ...(pos === undefined ? {} : { line: pos.line, col: pos.col }),
        });
      }
      continue;
    }
    const onKey = issue.code === 'invalid_key';
    const pos = source?.locate(issue.path, onKey);
    out.push({
      code,
      message: describe(issue, input),
      path: formatPath(issue.path),
      ...(pos === undefined ? {} : { line: pos.line, col: pos.col }),
    });
  }
  return out;
}

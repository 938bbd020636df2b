/**
 * Loading a pack from YAML text or a file: YAML syntax errors -> `PACK_YAML` with the parser's
 * line/column; schema errors -> `PACK_SCHEMA` with every issue located in the source.
 */
import { readFileSync } from 'node:fs';
import { SigmatiqError } from '../errors.js';
import type { PackIssue } from './report.js';
import { PackSchema, type Pack } from './schema.js';
import { schemaIssues } from './schema-issues.js';
import { parsePackYaml, type PackSource } from './yaml-source.js';

export interface LoadedPack {
  readonly pack: Pack;
  readonly source: PackSource;
}

export type PackParseResult =
  | { readonly ok: true; readonly pack: Pack; readonly source: PackSource; readonly raw: unknown }
  | { readonly ok: false; readonly stage: 'yaml' | 'schema'; readonly issues: readonly PackIssue[]; readonly raw: unknown; readonly source?: PackSource };

/** Parse and schema-check YAML text, never throwing: every problem is a located PackIssue. */
export function parsePackText(text: string, file?: string): PackParseResult {
  const parsed = parsePackYaml(text, file);
  if (!parsed.ok) {
    return {
      ok: false,
      stage: 'yaml',
      raw: undefined,
      issues: parsed.issues.map((i) => ({ code: 'PACK_YAML', message: `YAML ${i.yaml_code}: ${i.message}`, path: '', line: i.line, col: i.col })),
    };
  }
  const result = PackSchema.safeParse(parsed.value);
  if (!result.success) {
    return { ok: false, stage: 'schema', raw: parsed.value, source: parsed.source, issues: schemaIssues(result.error, parsed.value, parsed.source) };
  }
  return { ok: true, pack: result.data, source: parsed.source, raw: parsed.value };
}

function where(file: string | undefined, issue: PackIssue): string {
  const pos = issue.line === undefined ? '' : `:${issue.line}:${issue.col ?? 1}`;
  return `${file ?? '<pack>'}${pos}`;
}

/**
 * Parse YAML text into a schema-valid Pack or throw `PACK_YAML` / `PACK_SCHEMA`. The message is
 * the first issue (`file:line:col: ...`); `details.issues` holds all of them.
 */
export function parsePack(text: string, file?: string): LoadedPack {
  const res = parsePackText(text, file);
  if (res.ok) return { pack: res.pack, source: res.source };
  const first = res.issues[0];
  const code = res.stage === 'yaml' ? 'PACK_YAML' : 'PACK_SCHEMA';
  const head = first === undefined ? 'invalid pack' : `${where(file, first)}: ${first.message}`;
  const more = res.issues.length > 1 ? ` (and ${res.issues.length - 1} more)` : '';
  throw new SigmatiqError(code, `${head}${more}`, {
    file,
    line: first?.line,
    col: first?.col,
    path: first?.path,
    issues: res.issues,
  });
}

/** Read and parse a pack file (see `parsePack`); a missing file is `PACK_NOT_FOUND`. */
export function readPackFile(file: string): LoadedPack {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SigmatiqError('PACK_NOT_FOUND', `cannot read pack file ${file}`, { file }, { cause: e });
  }
  return parsePack(text, file);
}

/**
 * Model config YAML: parse with located errors (`MODEL_YAML` with the parser's line/column,
 * `MODEL_SCHEMA` with the line/column of the offending node), write in one canonical form, hash.
 */
import { stringify } from 'yaml';
import type { z } from 'zod';
import { SigmatiqError } from '../errors.js';
import { configHash } from '../hash/index.js';
import { formatPath } from '../packs/report.js';
import { parsePackYaml, type PackSource } from '../packs/yaml-source.js';
import { ModelConfigSchema, POLICY_SECTIONS, type ModelConfig } from './schema.js';

/** One located problem of a model config. */
export interface ModelIssue {
  readonly message: string;
  /** Path in the config (`params.rsi.period`, `pack.version`); '' for the whole document. */
  readonly path: string;
  readonly line?: number;
  readonly col?: number;
}

export interface ParseModelOptions {
  /** File name for messages. */
  readonly file?: string;
  /** The model name when the YAML has no `name:` (a `%%model <name>` cell); a different `name:` is MODEL_NAME_MISMATCH. */
  readonly name?: string;
}

function located(file: string | undefined, i: ModelIssue): string {
  return `${file ?? '<model>'}${i.line === undefined ? '' : `:${i.line}:${i.col ?? 1}`}`;
}

function schemaIssues(error: z.ZodError, source: PackSource): ModelIssue[] {
  const out: ModelIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const pos = source.locate(path, true);
        out.push({ message: `${formatPath(path)}: unknown field '${key}'`, path: formatPath(path), line: pos.line, col: pos.col });
      }
      continue;
    }
    const pos = source.locate(issue.path, issue.code === 'invalid_key');
    const where = formatPath(issue.path) || '(model)';
    const missing = issue.code === 'invalid_type' && pos.missing;
    const message = missing ? `${where}: required field is missing (expected ${issue.expected})` : `${where}: ${issue.message}`;
    out.push({ message, path: formatPath(issue.path), line: pos.line, col: pos.col });
  }
  return out;
}

function fail(code: string, file: string | undefined, issues: readonly ModelIssue[]): never {
  const first = issues[0];
  const head = first === undefined ? 'invalid model config' : `${located(file, first)}: ${first.message}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new SigmatiqError(code, `${head}${more}`, { file, line: first?.line, col: first?.col, path: first?.path, issues });
}

/** Drops absent optional fields and puts keys in one order (so YAML and hashes are stable). */
export function normalizeModel(m: ModelConfig): ModelConfig {
  const sorted = (r: Readonly<Record<string, number>> | undefined): Record<string, number> | undefined => {
    if (r === undefined || Object.keys(r).length === 0) return undefined;
    return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k] as number]));
  };
  const out: Record<string, unknown> = { name: m.name };
  if (m.description !== undefined) out['description'] = m.description;
  out['pack'] = { id: m.pack.id, ...(m.pack.version === undefined ? {} : { version: m.pack.version }), ...(m.pack.content_hash === undefined ? {} : { content_hash: m.pack.content_hash }) };
  out['strategy'] = m.strategy;
  if (m.instrument !== undefined) out['instrument'] = m.instrument;
  if (m.data !== undefined) out['data'] = m.data;
  if (m.indicators !== undefined) out['indicators'] = [...m.indicators].sort();
  const params = sorted(m.params);
  if (params !== undefined) out['params'] = params;
  for (const s of POLICY_SECTIONS) {
    const sec = sorted(m[s]);
    if (sec !== undefined) out[s] = sec;
  }
  return out as ModelConfig;
}

/**
 * Parse model YAML into a normalized ModelConfig or throw `MODEL_YAML` (syntax) / `MODEL_SCHEMA`
 * (shape) with `file:line:col` in the message and every issue in `details.issues`.
 */
export function parseModelYaml(text: string, opts: ParseModelOptions = {}): ModelConfig {
  const parsed = parsePackYaml(text, opts.file);
  if (!parsed.ok) fail('MODEL_YAML', opts.file, parsed.issues.map((i) => ({ message: `YAML ${i.yaml_code}: ${i.message}`, path: '', line: i.line, col: i.col })));
  let value = parsed.value;
  if (value === null || value === undefined) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) fail('MODEL_SCHEMA', opts.file, [{ message: 'a model config is a YAML mapping (name:, pack:, strategy:, ...)', path: '', line: 1, col: 1 }]);
  const obj = value as Record<string, unknown>;
  if (opts.name !== undefined) {
    if (obj['name'] === undefined) value = { name: opts.name, ...obj };
    else if (obj['name'] !== opts.name) {
      const pos = parsed.source.locate(['name']);
      throw new SigmatiqError('MODEL_NAME_MISMATCH', `${located(opts.file, { message: '', path: 'name', line: pos.line, col: pos.col })}: name ${JSON.stringify(obj['name'])} differs from the model name '${opts.name}'`, { path: 'name', line: pos.line, col: pos.col });
    }
  }
  const res = ModelConfigSchema.safeParse(value);
  if (!res.success) fail('MODEL_SCHEMA', opts.file, schemaIssues(res.error, parsed.source));
  return normalizeModel(res.data);
}

/** Validate an object (e.g. built from magic flags) as a ModelConfig: `MODEL_SCHEMA` naming the field. */
export function modelConfig(input: unknown): ModelConfig {
  const res = ModelConfigSchema.safeParse(input);
  if (!res.success) {
    fail('MODEL_SCHEMA', undefined, res.error.issues.map((i) => ({ message: `${formatPath(i.path) || '(model)'}: ${i.message}`, path: formatPath(i.path) })));
  }
  return normalizeModel(res.data);
}

/** The canonical YAML of a model config (what a model version stores as config_yaml). */
export function modelToYaml(config: ModelConfig): string {
  return stringify(normalizeModel(config), { lineWidth: 0 });
}

/** sha256 of the canonical JSON of the config: equals the sidecar's config_hash of `modelToYaml(config)`. */
export function modelConfigHash(config: ModelConfig): string {
  return configHash(normalizeModel(config));
}

/**
 * The pack validator: schema, structural rules, registry and expression checks, then (when bars
 * are given) the sanity backtest of every strategy. Pure: it reads nothing from disk and never
 * throws for a bad pack; everything it finds is in the PackValidationReport.
 */
import { ENGINE_INDICATORS, type IndicatorLookup } from '../strategy/index.js';
import { parsePackText } from './load.js';
import { makeReport, type PackIssue, type PackValidationReport, type SanityResult } from './report.js';
import { checkPackRules } from './rules.js';
import { PackSchema, type Pack } from './schema.js';
import { schemaIssues } from './schema-issues.js';
import type { PackSource } from './yaml-source.js';

/** The sanity step, given a structurally valid pack (see sanity.ts for the real one). */
export type SanityStep = (pack: Pack, source: PackSource | undefined) => { issues: PackIssue[]; results: SanityResult[] };

export interface ValidateOptions {
  /** Indicator/feature registry (the engine's by default). */
  readonly indicators?: IndicatorLookup;
  /** Where the pack came from, for line/column in issues. */
  readonly source?: PackSource;
  /** Run the sanity backtest; without it the report warns `PACK_SANITY_SKIPPED`. */
  readonly sanity?: SanityStep;
}

function rawField(raw: unknown, key: string): string {
  if (raw !== null && typeof raw === 'object') {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v === 'string') return v;
  }
  return '';
}

/** Validate an already-parsed pack value (a JS object, e.g. from JSON or YAML). */
export function validatePack(input: unknown, opts: ValidateOptions = {}): PackValidationReport {
  const parsed = PackSchema.safeParse(input);
  if (!parsed.success) {
    return makeReport(rawField(input, 'pack_id'), rawField(input, 'version'), schemaIssues(parsed.error, input, opts.source));
  }
  return validateParsed(parsed.data, opts);
}

function validateParsed(pack: Pack, opts: ValidateOptions): PackValidationReport {
  const issues = checkPackRules(pack, opts.indicators ?? ENGINE_INDICATORS, opts.source);
  const failed = makeReport('', '', issues).status === 'FAIL';
  if (opts.sanity === undefined) {
    issues.push({ code: 'PACK_SANITY_SKIPPED', message: 'no bars given: the sanity backtest did not run, so the pack is not proven on data', path: '' });
    return makeReport(pack.pack_id, pack.version, issues);
  }
  if (failed) {
    issues.push({ code: 'PACK_SANITY_SKIPPED', message: 'the sanity backtest did not run because the pack has errors', path: '' });
    return makeReport(pack.pack_id, pack.version, issues);
  }
  const sanity = opts.sanity(pack, opts.source);
  return makeReport(pack.pack_id, pack.version, [...issues, ...sanity.issues], sanity.results);
}

/** Validate YAML text: syntax (`PACK_YAML`), schema, rules, sanity; every issue with line/col. */
export function validatePackYaml(text: string, opts: Omit<ValidateOptions, 'source'> & { readonly file?: string } = {}): PackValidationReport {
  const res = parsePackText(text, opts.file);
  if (!res.ok) return makeReport(rawField(res.raw, 'pack_id'), rawField(res.raw, 'version'), res.issues);
  return validateParsed(res.pack, { ...opts, source: res.source });
}

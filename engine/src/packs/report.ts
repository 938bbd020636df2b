/**
 * PackValidationReport (dictionary section C) and the stable codes it carries.
 * Every code is documented in docs/packs.md; tests assert them by name.
 */

/** Error codes: any of these makes the report FAIL. */
export const PACK_ERROR_CODES = [
  'PACK_YAML',
  'PACK_SCHEMA',
  'PACK_TOO_FEW_INDICATORS',
  'PACK_TOO_MANY_INDICATORS',
  'PACK_NO_STRATEGY',
  'PACK_GATE_SECTION_MISSING',
  'PACK_DUPLICATE_ID',
  'PACK_NAME_COLLISION',
  'PACK_DEFAULT_STRATEGY_UNKNOWN',
  'PACK_DEFAULT_INSTRUMENT_UNSUPPORTED',
  'PACK_DEFAULT_TIMEFRAME_UNSUPPORTED',
  'PACK_INDICATOR_UNKNOWN',
  'PACK_INDICATOR_PARAM_UNKNOWN',
  'PACK_INDICATOR_PARAM_INVALID',
  'PACK_FEATURE_UNKNOWN',
  'PACK_FEATURE_INPUT_UNKNOWN',
  'PACK_EXPR_PARSE',
  'PACK_EXPR_UNKNOWN_NAME',
  'PACK_EXPR_TYPE',
  'PACK_POLICY_INCONSISTENT',
  'PACK_SANITY_NO_DATA',
  'PACK_SANITY_TIMEFRAME_MISMATCH',
  'PACK_SANITY_SHORT_HISTORY',
  'PACK_SANITY_FEW_TRADES',
  'PACK_SANITY_LOW_SHARPE',
  'PACK_SANITY_FAILED',
] as const;

/** Warning codes: reported, but the pack still PASSes. */
export const PACK_WARNING_CODES = [
  'PACK_UNUSED_INDICATOR',
  'PACK_POLICY_ZERO_COSTS',
  'PACK_POLICY_REWARD_BELOW_RISK',
  'PACK_POLICY_TRAILING_WIDER_THAN_STOP',
  'PACK_SANITY_SKIPPED',
  'PACK_SANITY_WEAK_STRATEGY',
] as const;

export type PackErrorCode = (typeof PACK_ERROR_CODES)[number];
export type PackWarningCode = (typeof PACK_WARNING_CODES)[number];
export type PackIssueCode = PackErrorCode | PackWarningCode;

export interface PackIssue {
  readonly code: PackIssueCode;
  readonly message: string;
  /** Where in the pack: `strategies[1].entry_logic[0]`, `gates.quality`; `''` for the whole pack. */
  readonly path: string;
  /** 1-based line and column in the YAML source, when the pack was loaded from YAML. */
  readonly line?: number;
  readonly col?: number;
  /** For expression errors: 1-based column inside the expression text. */
  readonly expr_col?: number;
  /** For sanity-backtest issues: the strategy concerned. */
  readonly strategy?: string;
}

/** Result of the sanity backtest of one strategy. */
export interface SanityResult {
  readonly strategy: string;
  readonly symbol: string;
  readonly interval: string;
  readonly bars: number;
  readonly years: number;
  readonly total_trades: number;
  readonly sharpe_ratio: number;
  readonly max_drawdown: number;
  readonly total_return: number;
}

export interface PackValidationReport {
  readonly pack_id: string;
  readonly version: string;
  readonly status: 'PASS' | 'FAIL';
  readonly errors: readonly PackIssue[];
  readonly warnings: readonly PackIssue[];
  /** Present when a sanity backtest ran. */
  readonly sanity?: readonly SanityResult[];
}

const WARNING_SET: ReadonlySet<string> = new Set(PACK_WARNING_CODES);

export function isWarningCode(code: PackIssueCode): code is PackWarningCode {
  return WARNING_SET.has(code);
}

/** Formats a zod/yaml path as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

export function makeReport(
  packId: string,
  version: string,
  issues: readonly PackIssue[],
  sanity?: readonly SanityResult[],
): PackValidationReport {
  const errors = issues.filter((i) => !isWarningCode(i.code));
  const warnings = issues.filter((i) => isWarningCode(i.code));
  return {
    pack_id: packId,
    version,
    status: errors.length === 0 ? 'PASS' : 'FAIL',
    errors,
    warnings,
    ...(sanity === undefined ? {} : { sanity }),
  };
}

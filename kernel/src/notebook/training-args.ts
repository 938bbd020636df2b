/**
 * Argument parsing shared by `%train`, `sq.train`, `%walkforward`: label specs (`fwd:5:0.5%`,
 * `tb:3%:3%:10`), durations (`1d`, `12h`) and combination lists (`1,2`). Errors: TRAIN_ARG_INVALID
 * with `details.param` and `details.value`.
 */
import { BACKTEST_PARAMS, DAY_MS, SigmatiqError, type LabelSpec } from '@sigmatiq/engine';

function bad(param: string, value: string, message: string): SigmatiqError {
  return new SigmatiqError('TRAIN_ARG_INVALID', `--${param}: ${message}, got '${value}'`, { param, value });
}

/** `0.5%` -> 0.005, `0.005` -> 0.005. */
export function fraction(param: string, s: string): number {
  const pct = s.endsWith('%');
  const v = Number(pct ? s.slice(0, -1) : s);
  if (s.trim() === '' || !Number.isFinite(v)) throw bad(param, s, 'expected a number or a percentage');
  return pct ? v / 100 : v;
}

function positiveInt(param: string, s: string, what: string): number {
  const v = Number(s);
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(v) || v < 1) throw bad(param, s, `${what} must be a positive integer`);
  return v;
}

/**
 * `fwd:H[:T]` forward return over H bars (a `d`/`b` suffix is allowed: `5d` = 5 bars of daily data) above
 * threshold T (default 0); `tb:PT:SL:N` triple barrier, profit-take and stop as fractions or percentages,
 * time limit N bars.
 */
export function parseLabel(s: string): LabelSpec {
  try {
    return parseLabelParts(s);
  } catch (e) {
    if (e instanceof SigmatiqError && e.code === 'TRAIN_ARG_INVALID' && e.details?.['value'] !== s) throw bad('label', s, e.message.replace(/^--label: /, '').replace(/, got '[^']*'$/, ''));
    throw e;
  }
}

function parseLabelParts(s: string): LabelSpec {
  const parts = s.split(':');
  const kind = parts[0];
  if (kind === 'fwd' && (parts.length === 2 || parts.length === 3)) {
    const horizon = positiveInt('label', (parts[1] ?? '').replace(/[db]$/, ''), 'the horizon (bars)');
    return { kind: 'forward_return', horizon, threshold: parts[2] === undefined ? 0 : fraction('label', parts[2]) };
  }
  if (kind === 'tb' && parts.length === 4) {
    const profitTake = fraction('label', parts[1] ?? '');
    const stopLoss = fraction('label', parts[2] ?? '');
    if (!(profitTake > 0) || !(stopLoss > 0)) throw bad('label', s, 'profit-take and stop must be > 0');
    return { kind: 'triple_barrier', profitTake, stopLoss, maxBars: positiveInt('label', (parts[3] ?? '').replace(/[db]$/, ''), 'the time limit (bars)') };
  }
  throw bad('label', s, 'expected fwd:HORIZON[:THRESHOLD] (e.g. fwd:5:0.5%) or tb:PROFIT:STOP:BARS (e.g. tb:3%:3%:10)');
}

export function labelText(l: LabelSpec): string {
  const pct = (v: number): string => `${+(v * 100).toPrecision(6)}%`;
  return l.kind === 'forward_return' ? `fwd:${l.horizon}:${pct(l.threshold ?? 0)}` : `tb:${pct(l.profitTake)}:${pct(l.stopLoss)}:${l.maxBars}`;
}

const UNITS: Record<string, number> = { d: DAY_MS, h: 3_600_000, m: 60_000 };

/** `1d`, `12h`, `30m`, `0` -> milliseconds. */
export function parseEmbargo(s: string): number {
  if (s === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)([dhm])$/.exec(s);
  const unit = m === null ? undefined : UNITS[m[2] ?? ''];
  if (m === null || unit === undefined) throw bad('embargo', s, 'expected a duration like 1d, 12h, 30m or 0');
  return Number(m[1]) * unit;
}

/** `1,2,5` -> [1, 2, 5] (distinct, in the given order). */
export function parseCombos(s: string): number[] {
  const out: number[] = [];
  for (const p of s.split(',')) {
    const t = p.trim();
    if (!/^\d+$/.test(t)) throw bad('combos', s, 'expected combination ids separated by commas, e.g. 1,2');
    const v = Number(t);
    if (!out.includes(v)) out.push(v);
  }
  if (out.length === 0) throw bad('combos', s, 'expected at least one combination id');
  return out;
}

/**
 * A sweep combination's params split for training: strategy/indicator overrides (numbers) go to the
 * dataset; backtest settings (`size_fraction`, `fee_bps`, ...) change neither features nor labels and are
 * returned apart (reported, not trained on).
 */
export function splitComboParams(params: Readonly<Record<string, unknown>>): { strategy: Record<string, number>; backtest: Record<string, unknown> } {
  const strategy: Record<string, number> = {};
  const backtest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (BACKTEST_PARAMS[k] !== undefined || typeof v !== 'number') backtest[k] = v;
    else strategy[k] = v;
  }
  return { strategy, backtest };
}

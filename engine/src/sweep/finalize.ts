/**
 * Turns raw combination results into the leaderboard: metrics objects, config hashes, gates,
 * Pareto flags, ranks, and the multiple-testing statistics (DSR of the winner, PBO by CSCV) with
 * their inputs.
 */
import { resolveBacktestConfig } from '../backtest/config.js';
import { configHash } from '../hash/index.js';
import type { RawCombo } from './exec/driver.js';
import type { JobEvaluator } from './exec/evaluate.js';
import { bindPoint, type SweepTarget } from './exec/target.js';
import { evaluateGates, type ResolvedGates } from './gates/gates.js';
import type { ComboResult, SweepMetrics } from './leaderboard/types.js';
import { paretoFront } from './pruning/pareto.js';
import { deflatedSharpe, moments, sampleVariance, type DsrResult } from './stats/dsr.js';
import { blockBounds, probabilityOfBacktestOverfittingAsync, type BlockStats, type PboResult } from './stats/pbo.js';
import { rankResults } from './leaderboard/rank.js';
import { SWS } from './errors.js';

/** config_hash = sha256 of the canonical JSON of the bound run: rules, parameter values, resolved backtest config. */
export function comboConfigHash(target: SweepTarget, point: RawCombo['point']): string {
  const run = bindPoint(target, point);
  let backtest: unknown;
  try {
    backtest = resolveBacktestConfig(run.backtest);
  } catch {
    backtest = run.backtest;
  }
  return configHash({ entry: run.entry, exit: run.exit, aliases: run.aliases, params: run.params, backtest });
}

/**
 * The metrics object of one raw metrics row, keys in RESULT_METRICS order (finalize.test.ts checks
 * them): one object literal, so every row gets its final shape at once.
 */
export function metricsObject(a: Float64Array): SweepMetrics {
  const v = (k: number): number => a[k] ?? Number.NaN;
  return {
    total_return: v(0), annualized_return: v(1), sharpe_ratio: v(2), sortino_ratio: v(3), max_drawdown: v(4), win_rate: v(5), profit_factor: v(6),
    total_trades: v(7), avg_trade_duration_days: v(8), best_trade: v(9), worst_trade: v(10), avg_winner: v(11), avg_loser: v(12), calmar_ratio: v(13), exposure: v(14),
  };
}

/** One leaderboard row (rank 0, kept) from one raw result. */
export function buildRow(target: SweepTarget, r: RawCombo, gates: ResolvedGates): ComboResult {
  const metrics = r.error === undefined ? metricsObject(r.metrics) : undefined;
  let hash: string;
  try {
    hash = r.configHash ?? comboConfigHash(target, r.point);
  } catch {
    hash = configHash({ invalid: r.point });
  }
  const gate = metrics === undefined ? { status: 'FAIL' as const, checks: [] } : evaluateGates(metrics, gates);
  return {
    combo_id: r.id,
    params: r.point,
    config_hash: hash,
    metrics,
    gate,
    error: r.error === undefined ? undefined : { reason_code: SWS.COMBO_FAILED, code: r.error.code, message: r.error.message },
    kept: true,
    rank: 0,
  };
}

export function buildRows(target: SweepTarget, raw: readonly RawCombo[], gates: ResolvedGates): ComboResult[] {
  const out: ComboResult[] = [];
  for (const r of raw) out.push(buildRow(target, r, gates));
  return out;
}

/**
 * Rows built while the sweep runs (`add`, from the driver's onAccepted: this thread is mostly idle
 * while the workers evaluate), so that after the last combination only what needs every result is
 * left (ranks, DSR, PBO). A row is reused only for the very raw result it was built from (a result
 * the Kendall stop dropped is never accepted again, but the check costs nothing); any other raw
 * result gets its row built on demand by `rowOf`: the same `buildRow` either way.
 */
export class RowBuilder {
  private readonly rows: (ComboResult | undefined)[] = [];
  private readonly from: (RawCombo | undefined)[] = [];
  constructor(private readonly target: SweepTarget, private readonly gates: ResolvedGates) {}

  add(raw: readonly RawCombo[]): void {
    for (const r of raw) {
      this.rows[r.id] = buildRow(this.target, r, this.gates);
      this.from[r.id] = r;
    }
  }

  rowOf(r: RawCombo): ComboResult {
    const row = this.rows[r.id];
    return row !== undefined && this.from[r.id] === r ? row : buildRow(this.target, r, this.gates);
  }

  rowsOf(raw: readonly RawCombo[]): ComboResult[] {
    const out: ComboResult[] = [];
    for (const r of raw) out.push(this.rowOf(r));
    return out;
  }
}

export interface DsrReport extends DsrResult {
  readonly winner_combo_id: number;
  readonly periods_per_year: number;
  readonly sr_annualized: number;
  readonly sr0_annualized: number;
}

export interface Statistics {
  readonly trials: number;
  readonly dsr: DsrReport | null;
  readonly pbo: Omit<PboResult, 'logits'> | null;
  /** λ per CSCV split (for a histogram). */
  readonly pbo_logits: Float64Array | null;
  readonly notes: readonly string[];
}

export function applyPareto(rows: ComboResult[]): number {
  const ok = rows.filter((r) => r.metrics !== undefined);
  const kept = paretoFront(ok.map((r) => r.metrics as SweepMetrics));
  let pruned = 0;
  ok.forEach((r, i) => { r.kept = kept[i] ?? false; if (!r.kept) pruned++; });
  // Failed combinations are not on any front (kept = false) but are not counted as pruned.
  for (const r of rows) if (r.metrics === undefined) r.kept = false;
  return pruned;
}

/** Computes PBO from block statistics: on the worker pool when there is one, else on this thread (same result). */
export type PboRunner = (st: BlockStats) => Promise<PboResult>;

/** A PBO started before the rows are built (see `startPbo`), or the note saying why there is none. */
export interface PboStart {
  readonly run: Promise<PboResult> | undefined;
  readonly notes: readonly string[];
}

/**
 * Starts the PBO from the raw results as soon as the combinations are done: its input (the block
 * sums of every successful combination with a finite Sharpe ratio, in combo_id order) does not
 * depend on rows, ranks or gates, so on the pool it runs on the workers while this thread builds
 * the leaderboard and computes the DSR. The same rows, in the same order, as `statistics` trials.
 */
export function startPbo(raw: readonly RawCombo[], blocks: number, bars: number, runPbo: PboRunner = probabilityOfBacktestOverfittingAsync, shared = false, prefilled?: PboPrefill): PboStart {
  if (blocks === 0) return { run: undefined, notes: ['PBO disabled (pboBlocks: 0)'] };
  const st = prefilled?.take(raw) ?? pboInput(raw, blocks, bars, shared);
  if (st === undefined) return { run: undefined, notes: ['PBO needs at least 2 successful combinations'] };
  const run = runPbo(st);
  // Marked handled here: a failure before `statistics` awaits it must not be an unhandled rejection
  // (awaiting `run` itself still throws).
  run.catch(() => undefined);
  return { run, notes: [] };
}

const pboTrial = (r: RawCombo): boolean => r.error === undefined && Number.isFinite(r.metrics[2] ?? Number.NaN);

/**
 * The PBO's input written while the sweep runs (`add`, from the driver's onAccepted), for the
 * common case where every planned combination is a trial: combination `id` is then column `id`.
 * `take` hands the arrays over only in that case (every planned id was added, none failed or has a
 * NaN Sharpe ratio, none was dropped); otherwise startPbo assembles them after the drive
 * (`pboInput`), the same BlockStats either way.
 */
export class PboPrefill {
  private readonly sums: Float64Array;
  private readonly sumsq: Float64Array;
  private allTrials = true;
  private taken = false;
  /** Which ids were written, and how many distinct ones: `take` needs every planned id. */
  private readonly written: Uint8Array;
  private count = 0;
  constructor(readonly blocks: number, readonly planned: number, readonly bars: number, shared: boolean) {
    const alloc = (n: number): Float64Array => (shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n));
    this.sums = alloc(blocks * planned);
    this.sumsq = alloc(blocks * planned);
    this.written = new Uint8Array(planned);
  }

  add(raw: readonly RawCombo[]): void {
    const S = this.blocks;
    const N = this.planned;
    for (const r of raw) {
      const c = r.id;
      if (!pboTrial(r) || !(c >= 0 && c < N)) { this.allTrials = false; continue; }
      const row = r.blocks;
      for (let b = 0; b < S; b++) {
        this.sums[b * N + c] = row[b] ?? 0;
        this.sumsq[b * N + c] = row[S + b] ?? 0;
      }
      if (this.written[c] === 0) { this.written[c] = 1; this.count++; }
    }
  }

  /** The BlockStats when `raw` (the final results) is every planned combination, all trials; else undefined. */
  take(raw: readonly RawCombo[]): BlockStats | undefined {
    if (this.taken || !this.allTrials || this.count !== this.planned || raw.length !== this.planned || this.planned < 2) return undefined;
    this.taken = true;
    return { blocks: this.blocks, combos: this.planned, counts: blockBounds(this.bars, this.blocks).map(({ start, end }) => end - start), sums: this.sums, sumsq: this.sumsq };
  }
}

/**
 * The PBO's BlockStats (stats/blocks.ts assembleBlockStats of the trials' block sums, in combo_id
 * order), written straight from the raw results in one pass; undefined below two trials. `shared`:
 * in SharedArrayBuffers, so posting them to the pool's workers shares them instead of copying.
 */
export function pboInput(raw: readonly RawCombo[], blocks: number, bars: number, shared = false): BlockStats | undefined {
  let inOrder = true;
  for (let i = 1; i < raw.length && inOrder; i++) inOrder = (raw[i] as RawCombo).id > (raw[i - 1] as RawCombo).id;
  const src = inOrder ? raw : raw.slice().sort((a, b) => a.id - b.id);
  let N = 0;
  for (const r of src) if (pboTrial(r)) N++;
  if (N < 2) return undefined;
  const alloc = (n: number): Float64Array => (shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n));
  const sums = alloc(blocks * N);
  const sumsq = alloc(blocks * N);
  let c = 0;
  for (const r of src) {
    if (!pboTrial(r)) continue;
    const row = r.blocks;
    for (let b = 0; b < blocks; b++) {
      sums[b * N + c] = row[b] ?? 0;
      sumsq[b * N + c] = row[blocks + b] ?? 0;
    }
    c++;
  }
  return { blocks, combos: N, counts: blockBounds(bars, blocks).map(({ start, end }) => end - start), sums, sumsq };
}

export async function statistics(target: SweepTarget, ranked: readonly ComboResult[], pboStart: PboStart, evaluator: JobEvaluator): Promise<Statistics> {
  // The trials: successful rows with a finite Sharpe ratio, in rank order (the winner first).
  const ok: SweepMetrics[] = [];
  let winner: ComboResult | undefined;
  for (const r of ranked) {
    const m = r.metrics;
    if (m === undefined || !Number.isFinite(m.sharpe_ratio)) continue;
    winner ??= r;
    ok.push(m);
  }
  const notes: string[] = [];
  let dsr: DsrReport | null = null;
  if (winner !== undefined) {
    const run = bindPoint(target, winner.params);
    const ppy = evaluator.periodsPerYear(run);
    const scale = Math.sqrt(ppy);
    const srs = new Float64Array(ok.length);
    for (let i = 0; i < ok.length; i++) srs[i] = (ok[i] as SweepMetrics).sharpe_ratio / scale;
    const rets = evaluator.returnsOf(run);
    const m = moments(rets);
    const sr = m.std > 0 ? m.mean / m.std : 0;
    const d = deflatedSharpe({ sr, trials: ok.length, trialSrVariance: ok.length >= 2 ? sampleVariance(srs) : 0, observations: m.n, skewness: m.skewness, kurtosis: m.kurtosis });
    dsr = { ...d, winner_combo_id: winner.combo_id, periods_per_year: ppy, sr_annualized: sr * scale, sr0_annualized: d.sr0 * scale };
    if (Number.isNaN(d.dsr)) notes.push('DSR is NaN: the winner has no return variance or the radicand 1 − γ3·SR + (γ4 − 1)/4·SR² is not positive');
  } else {
    notes.push('no successful combination: no DSR');
  }
  notes.push(...pboStart.notes);
  let pbo: Omit<PboResult, 'logits'> | null = null;
  let logits: Float64Array | null = null;
  if (pboStart.run !== undefined) {
    const { logits: l, ...rest } = await pboStart.run;
    pbo = rest;
    logits = l;
  }
  return { trials: ok.length, dsr, pbo, pbo_logits: logits, notes };
}

export { rankResults };

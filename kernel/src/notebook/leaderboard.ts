/**
 * The leaderboard half of the notebook API and of `%leaderboard`: a sweep's kept combinations from
 * the sidecar, ranked as the sidecar ranks them (Sharpe descending, ties by combo_id), as our
 * leaderboard MIME document with the trials count, DSR and PBO, plus a Plotly heatmap when two
 * parameters vary (or the two asked for).
 */
import { heatmap as heatmapData, type ComboResult, type HeatmapData, type LeaderboardDocV1, SigmatiqError, SweepStore, type SweepResult } from '@sigmatiq/engine';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { leaderboard as leaderboardBundle } from '../display/leaderboard.js';
import { bundle, type DisplayOutput, type Displayable, toMimeBundle } from '../display/mime.js';
import type { PlotlyFigure } from '../display/plotly.js';
import type { SidecarLocator } from '../sidecar/locate.js';
import { clientOf, GATES, type Gate, resolveSweep, type SidecarCombination, type SidecarSweep, sweepCombinations, sweepContext } from './sweep-lookup.js';

export const DEFAULT_TOP = 20;
export const MAX_TOP = 1000;
const DOC_METRICS = ['sharpe_ratio', 'total_return', 'max_drawdown', 'total_trades', 'win_rate', 'profit_factor'] as const;

export interface LeaderboardOptions {
  /** Rows shown (default 20, at most 1,000). */
  top?: number;
  /** Only rows whose gate status is one of these (default: all). Ranks stay over all kept combinations. */
  gates?: readonly Gate[];
  /** The two parameters of the heatmap (default: the two that vary, when exactly two do). */
  heatmap?: readonly [string, string];
}

/** A kept combination with its leaderboard rank. */
export interface RankedCombination extends SidecarCombination {
  rank: number;
}

/** DSR/PBO of a sweep, and where they came from. */
export interface SweepStats {
  trials: number;
  dsr: number | null;
  pbo: number | null;
  /** `unavailable`: the store file stayed locked by another process (DSR/PBO then null). */
  source: 'sweep store' | 'not recorded' | 'unavailable';
}

/** The engine's sweep store in the data dir: `%sweep` writes each run's summary (statistics included) there. */
export function sweepStoreFile(locator: SidecarLocator): string {
  return path.join(path.resolve(locator.dataDir()), 'sweeps.duckdb');
}

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * DSR and PBO recorded for `sweepId` in the engine's sweep store (`sweep_runs.summary.statistics`),
 * or `not recorded` (DSR/PBO null, trials = the combinations the sidecar holds) when the sweep was
 * stored by another client. The store is only read, never created here.
 */
export async function sweepStatistics(locator: SidecarLocator, sweepId: string, combos: number): Promise<SweepStats> {
  const none: SweepStats = { trials: combos, dsr: null, pbo: null, source: 'not recorded' };
  const file = sweepStoreFile(locator);
  if (!existsSync(file)) return none;
  let store: SweepStore;
  try {
    store = await withStoreRetry(() => SweepStore.open(file));
  } catch {
    // Another process (the sidecar serving the Leaderboard panel) kept the file locked: say so, do not guess.
    return { ...none, source: 'unavailable' };
  }
  try {
    const [row] = await store.query('SELECT summary FROM sweep_runs WHERE sweep_id = $1', [sweepId]);
    if (row === undefined || typeof row['summary'] !== 'string') return none;
    const summary = JSON.parse(row['summary']) as { statistics?: { trials?: unknown; dsr?: { dsr?: unknown } | null; pbo?: { pbo?: unknown } | null } };
    const st = summary.statistics;
    if (st === undefined) return none;
    return { trials: typeof st.trials === 'number' ? st.trials : combos, dsr: finite(st.dsr?.dsr), pbo: finite(st.pbo?.pbo), source: 'sweep store' };
  } finally {
    store.close();
  }
}

const LOCK_RETRIES = 40;
const LOCK_WAIT_MS = 125;

/**
 * DuckDB lets one process at a time open the store file; the sidecar opens it briefly to serve
 * `GET /v1/sweeps/{id}/statistics`. A lock conflict is retried for up to ~5 s; other errors are not.
 */
export async function withStoreRetry<T>(open: () => Promise<T>, retries = LOCK_RETRIES, waitMs = LOCK_WAIT_MS): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await open();
    } catch (e) {
      const text = e instanceof Error ? `${e.message} ${e.cause instanceof Error ? e.cause.message : ''}` : String(e);
      if (attempt >= retries || !/lock/i.test(text)) throw e;
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}

/**
 * Records a finished (or cancelled) sweep's run summary, statistics included, in the engine's sweep
 * store under `result.sweep_id` (the sidecar id when the spec set `sweepId`), as `runSweep` does with
 * `options.store`: what `sweepStatistics` reads back. Combinations are in the sidecar, not repeated here.
 */
export async function recordSweepStatistics(locator: SidecarLocator, result: SweepResult): Promise<void> {
  const { results: _r, leaderboard: _l, heatmap: _h, statistics, ...run } = result;
  const store = await withStoreRetry(() => SweepStore.open(sweepStoreFile(locator)));
  try {
    await store.writeRun(result.sweep_id, { ...run, statistics: { ...statistics, pbo_logits: null } });
  } finally {
    store.close();
  }
}

/** The sidecar's leaderboard order: kept only, Sharpe descending, ties by combo_id ascending. */
export function rankCombinations(combos: readonly SidecarCombination[]): RankedCombination[] {
  const kept = combos.filter((c) => c.kept);
  const sharpe = (c: SidecarCombination): number => c.backtest_metrics['sharpe_ratio'] ?? Number.NEGATIVE_INFINITY;
  kept.sort((a, b) => sharpe(b) - sharpe(a) || a.combo_id - b.combo_id);
  return kept.map((c, i) => ({ ...c, rank: i + 1 }));
}

type Scalar = number | string | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
function scalarParams(params: Record<string, unknown>): Record<string, Scalar> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, Scalar] => isScalar(e[1])));
}

/** Parameter names in first-seen order over the combinations. */
export function paramNames(combos: readonly SidecarCombination[]): string[] {
  const names = new Set<string>();
  for (const c of combos) for (const k of Object.keys(scalarParams(c.params))) names.add(k);
  return [...names];
}

function varying(combos: readonly SidecarCombination[], names: readonly string[]): string[] {
  return names.filter((n) => new Set(combos.map((c) => JSON.stringify(c.params[n] ?? null))).size > 1);
}

/** Heatmap cells: the best Sharpe per (x, y) over the other parameters (engine `heatmap`). */
export function combinationsHeatmap(combos: readonly SidecarCombination[], x: string, y: string): HeatmapData {
  const rows: ComboResult[] = combos.map((c) => ({
    combo_id: c.combo_id, params: scalarParams(c.params), config_hash: c.config_hash, kept: c.kept, rank: 0,
    metrics: c.backtest_metrics as ComboResult['metrics'], gate: { status: c.gate_status, checks: [] },
  }));
  return heatmapData(rows, x, y, 'sharpe_ratio');
}

export function heatmapFigure(h: HeatmapData, title: string): PlotlyFigure {
  const label = (v: unknown): string => String(v);
  return {
    data: [{
      type: 'heatmap', x: h.x_values.map(label), y: h.y_values.map(label), z: h.z.map((r) => [...r]),
      colorscale: 'RdYlGn', zmid: 0, colorbar: { title: { text: 'Sharpe' } },
      hovertemplate: `${h.x}=%{x}<br>${h.y}=%{y}<br>best Sharpe=%{z:.3f}<extra></extra>`,
    }],
    layout: { title: { text: title }, xaxis: { title: { text: h.x }, type: 'category' }, yaxis: { title: { text: h.y }, type: 'category' }, height: 420 },
  };
}

/** The result of `sq.leaderboard(sweep)` / `%leaderboard`. */
export class SweepLeaderboard implements Displayable {
  constructor(
    readonly sweep: SidecarSweep,
    /** The document shown (our MIME type). */
    readonly doc: LeaderboardDocV1,
    /** Every kept combination, ranked (not only the rows shown). */
    readonly ranked: readonly RankedCombination[],
    /** Every combination the sidecar holds for the sweep (kept or pruned). */
    readonly combinations: readonly SidecarCombination[],
    readonly stats: SweepStats,
    readonly heatmap: HeatmapData | undefined,
  ) {}

  /** Rank 1 (whatever the gate filter), or undefined for an empty sweep. */
  get winner(): RankedCombination | undefined {
    return this.ranked[0];
  }

  /** The heatmap as a Plotly figure output, when there is one. */
  heatmapOutput(): (Displayable & DisplayOutput) | undefined {
    const h = this.heatmap;
    if (h === undefined) return undefined;
    const fig = heatmapFigure(h, `Best Sharpe by ${h.x} × ${h.y}`);
    const text = `[heatmap: best Sharpe over ${h.x} (${h.x_values.length} values) × ${h.y} (${h.y_values.length} values)]`;
    return bundle({ 'text/plain': text, 'application/vnd.plotly.v1+json': { data: fig.data, layout: fig.layout ?? {}, config: {} } });
  }

  [toMimeBundle](): DisplayOutput {
    return leaderboardBundle(this.doc);
  }
}

function checkOptions(opts: LeaderboardOptions): { top: number; gates: readonly Gate[] } {
  const top = opts.top ?? DEFAULT_TOP;
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    throw new SigmatiqError('LEADERBOARD_TOP_INVALID', `top must be an integer in [1, ${MAX_TOP}], got ${String(top)}`, { param: 'top', value: top });
  }
  const gates = opts.gates ?? GATES;
  const bad = gates.filter((g) => !GATES.includes(g));
  if (gates.length === 0 || bad.length > 0) {
    throw new SigmatiqError('LEADERBOARD_GATE_INVALID', `gates must be one or more of ${GATES.join(', ')}${bad.length > 0 ? `, got ${bad.join(', ')}` : ''}`, { param: 'gate', value: [...gates] });
  }
  return { top, gates };
}

/**
 * The leaderboard of the sweep `ref` (id, tag or `latest`; default latest). Options are checked
 * before the sidecar is called.
 */
export async function loadLeaderboard(locator: SidecarLocator, ref?: string, opts: LeaderboardOptions = {}): Promise<SweepLeaderboard> {
  const { top, gates } = checkOptions(opts);
  const client = await clientOf(locator);
  const sweep = await resolveSweep(client, ref);
  const combos = await sweepCombinations(client, sweep.id);
  const ranked = rankCombinations(combos);
  const names = paramNames(combos);
  let heat: HeatmapData | undefined;
  if (opts.heatmap !== undefined) {
    const unknown = opts.heatmap.filter((n) => !names.includes(n));
    if (unknown.length > 0 || opts.heatmap[0] === opts.heatmap[1]) {
      throw new SigmatiqError('LEADERBOARD_HEATMAP_INVALID', `heatmap needs two different parameters of the sweep (${names.join(', ')}), got ${opts.heatmap.join(', ')}`, { param: 'heatmap', value: [...opts.heatmap] });
    }
    heat = combinationsHeatmap(combos, opts.heatmap[0], opts.heatmap[1]);
  } else {
    const vary = varying(combos, names);
    if (vary.length === 2) heat = combinationsHeatmap(combos, vary[0] ?? '', vary[1] ?? '');
  }
  const stats = await sweepStatistics(locator, sweep.id, combos.length);
  const ctx = await sweepContext(client, sweep);
  const what = sweep.tag ?? `${sweep.type} sweep ${sweep.id.slice(0, 8)}`;
  const on = [ctx.model, ctx.snapshot === null ? null : `on ${ctx.snapshot}`].filter((s) => s !== null).join(' ');
  const filtered = gates.length === GATES.length ? '' : ` (gates ${gates.join(', ')})`;
  const title = `${what}${on === '' ? '' : ` — ${on}`}: ${ranked.length} kept of ${combos.length}, ${sweep.run.status}${filtered}${stats.source === 'not recorded' ? ' — DSR/PBO not recorded for this sweep' : stats.source === 'unavailable' ? ' — DSR/PBO unavailable (sweep store busy; run again)' : ''}`;
  const shown = ranked.filter((r) => gates.includes(r.gate_status)).slice(0, top);
  const doc: LeaderboardDocV1 = {
    version: 1,
    title,
    sweep_id: sweep.id,
    params: names,
    metrics: [...DOC_METRICS],
    stats: { trials: stats.trials, dsr: stats.dsr, pbo: stats.pbo },
    rows: shown.map((r) => ({
      rank: r.rank,
      gate: r.gate_status,
      config_hash: r.config_hash,
      params: scalarParams(r.params),
      metrics: Object.fromEntries(DOC_METRICS.map((m) => [m, finite(r.backtest_metrics[m])])),
    })),
  };
  return new SweepLeaderboard(sweep, doc, ranked, combos, stats, heat);
}

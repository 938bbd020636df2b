/**
 * The leaderboard half of the notebook API and of `%leaderboard`: a sweep's kept combinations from
 * the sidecar, ranked by the one leaderboard rule (docs/sweeps.md: Sharpe desc, total return desc, combo_id asc), as our
 * leaderboard MIME document with the trials count, DSR and PBO, plus a Plotly heatmap when two
 * parameters vary (or the two asked for).
 */
import { heatmap as heatmapData, type ComboResult, type HeatmapData, type LeaderboardDocV1, SigmatiqError, type SweepResult } from '@sigmatiq/engine';
import { expectOk, type SigmatiqClient } from '../sidecar/client.js';
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
  /** `recorded`: posted by the sweep's runner; `not recorded`: nothing posted (trials = combinations held, DSR/PBO null). */
  source: 'recorded' | 'not recorded';
}

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Trials, DSR and PBO of `sweepId` as the sidecar holds them (`GET /v1/sweeps/{id}/statistics`). */
export async function sweepStatistics(client: SigmatiqClient, sweepId: string): Promise<SweepStats> {
  const st = await expectOk<{ trials: number; dsr: number | null; pbo: number | null; source: 'recorded' | 'not recorded' }>(
    await client.v1.sweeps[':id'].statistics.$get({ param: { id: sweepId } }), 'read sweep statistics');
  return { trials: st.trials, dsr: finite(st.dsr), pbo: finite(st.pbo), source: st.source };
}

/**
 * Records a finished (or cancelled) sweep's trials, DSR and PBO in the sidecar
 * (`POST /v1/sweeps/{id}/statistics`, which replaces what was recorded for the sweep): what
 * `sweepStatistics`, `%leaderboard` and the Leaderboard panel read back. A sweep that evaluated
 * nothing has no statistics (trials must be >= 1): nothing is posted. Returns what was recorded.
 */
export async function recordSweepStatistics(client: SigmatiqClient, sweepId: string, result: Pick<SweepResult, 'statistics'>): Promise<SweepStats | undefined> {
  const st = result.statistics;
  if (!(st.trials >= 1)) return undefined;
  const body = { trials: st.trials, dsr: finite(st.dsr?.dsr), pbo: finite(st.pbo?.pbo) };
  const r = await expectOk<{ trials: number; dsr: number | null; pbo: number | null }>(
    await client.v1.sweeps[':id'].statistics.$post({ param: { id: sweepId }, json: body, header: {} }), 'record sweep statistics');
  return { trials: r.trials, dsr: r.dsr, pbo: r.pbo, source: 'recorded' };
}

/**
 * The leaderboard order (docs/sweeps.md, "Leaderboard order"; the engine's and the sidecar's too): kept only,
 * Sharpe descending, ties by total return descending, then combo_id ascending.
 */
export function rankCombinations(combos: readonly SidecarCombination[]): RankedCombination[] {
  const kept = combos.filter((c) => c.kept);
  const metric = (c: SidecarCombination, k: 'sharpe_ratio' | 'total_return'): number => c.backtest_metrics[k] ?? Number.NEGATIVE_INFINITY;
  const desc = (a: number, b: number): number => (a === b ? 0 : a > b ? -1 : 1);
  kept.sort((a, b) => desc(metric(a, 'sharpe_ratio'), metric(b, 'sharpe_ratio')) || desc(metric(a, 'total_return'), metric(b, 'total_return')) || a.combo_id - b.combo_id);
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
  const stats = await sweepStatistics(client, sweep.id);
  const ctx = await sweepContext(client, sweep);
  const what = sweep.tag ?? `${sweep.type} sweep ${sweep.id.slice(0, 8)}`;
  const on = [ctx.model, ctx.snapshot === null ? null : `on ${ctx.snapshot}`].filter((s) => s !== null).join(' ');
  const filtered = gates.length === GATES.length ? '' : ` (gates ${gates.join(', ')})`;
  const title = `${what}${on === '' ? '' : ` — ${on}`}: ${ranked.length} kept of ${combos.length}, ${sweep.run.status}${filtered}${stats.source === 'not recorded' ? ' — DSR/PBO not recorded for this sweep' : ''}`;
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

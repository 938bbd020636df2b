/**
 * GET /v1/sweeps/{id}/combinations/{combo_id}/backtest: re-runs one recorded combination with the engine and
 * returns its equity curve, drawdown and trades (what the Leaderboard panel charts). Deterministic: the same
 * model-version config + data snapshot + params give bit-identical results, and the answer says whether the
 * recomputed metrics equal the ones the sweep recorded (`reproduced`).
 *
 * The engine modules (pack resolution, DuckDB snapshot reader, simulator) are imported on first use, so
 * they cost nothing at sidecar start.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Bars } from '@sigmatiq/engine/dist/data/bars.js';
import path from 'node:path';
import YAML from 'yaml';
import { sweepCombinations } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { SigmatiqError } from '../engine.js';
import { IdParam, jsonResponse, notFound } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { BacktestMetrics } from './sweep-schemas.js';
import { loadSweep } from './sweeps.js';

/** Charts never need more points than a screen has pixels: curves are decimated to this many. */
export const MAX_CURVE_POINTS = 2_000;
/** Trades listed at most (the most recent ones when there are more). */
export const MAX_TRADES = 2_000;

const Params = IdParam.extend({
  combo_id: z.coerce.number().int().min(0).max(1_000_000).openapi({ param: { name: 'combo_id', in: 'path' }, example: 7 }),
});

const Trade = z.object({
  entry_time: z.string(), exit_time: z.string(), side: z.enum(['long', 'short']), qty: z.number(),
  entry_price: z.number(), exit_price: z.number(), pnl: z.number(), return: z.number(), exit_reason: z.string(), open: z.boolean(),
});

export const ComboBacktest = z
  .object({
    sweep_id: z.string(), combo_id: z.number().int(), config_hash: z.string(), params: z.record(z.string(), z.unknown()),
    run_hash: z.string(), data_hash: z.string(), engine_version: z.string(), bars: z.number().int(),
    metrics: z.record(z.string(), z.number().nullable()).openapi({ description: 'Recomputed BacktestMetrics (a non-finite value as null)' }),
    recorded_metrics: BacktestMetrics,
    reproduced: z.boolean().openapi({ description: 'true when every recomputed metric equals the recorded one exactly' }),
    curve: z.object({
      ts: z.array(z.string()), equity: z.array(z.number()), drawdown: z.array(z.number()),
      decimated: z.boolean().openapi({ description: `at most ${MAX_CURVE_POINTS} points: every k-th bar plus the last and the deepest drawdown` }),
    }),
    trades: z.array(Trade), trades_total: z.number().int(),
  })
  .openapi('ComboBacktest');

const route = defineRoute('sweeps:read', {
  method: 'get', path: '/sweeps/{id}/combinations/{combo_id}/backtest', tags: ['sweeps'],
  summary: "Re-run one combination (model version config + data snapshot + params): equity, drawdown and trades",
  request: { params: Params }, responses: { 200: jsonResponse('Backtest', ComboBacktest), ...errorResponses(400, 401, 403, 404, 409, 422, 429) },
});

/** Indices of at most `max` points: every k-th, always the last and the deepest drawdown. */
export function decimate(n: number, max: number, drawdown: Float64Array): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const step = Math.ceil(n / (max - 2));
  const keep = new Set<number>();
  for (let i = 0; i < n; i += step) keep.add(i);
  keep.add(n - 1);
  let worst = 0;
  for (let i = 1; i < n; i++) if ((drawdown[i] ?? 0) > (drawdown[worst] ?? 0)) worst = i;
  keep.add(worst);
  return [...keep].sort((a, b) => a - b);
}

const day = (iso: string, endOfDay: boolean): number => Date.parse(`${iso}T00:00:00.000Z`) + (endOfDay ? 86_400_000 : 0);

const barsCache = new Map<string, Promise<Bars>>();
async function snapshotBars(uri: string) {
  let p = barsCache.get(uri);
  if (p === undefined) {
    const { loadSnapshot } = await import('@sigmatiq/engine/dist/data/snapshot.js');
    p = loadSnapshot(path.dirname(uri), path.basename(uri).replace(/\.parquet$/, ''));
    p.catch(() => barsCache.delete(uri));
    if (barsCache.size >= 2) barsCache.clear();
    barsCache.set(uri, p);
  }
  return p;
}

export function comboBacktestRoutes(deps: AppDeps) {
  const store = deps.store;
  return new OpenAPIHono<AppEnv>()
  .openapi(route, async (c) => {
    const { id, combo_id } = c.req.valid('param');
    const orgId = c.get('auth').orgId;
    const sweep = await loadSweep(store, orgId, id);
    const [combo] = await store.exec.select().from(sweepCombinations)
      .where(and(eq(sweepCombinations.org_id, orgId), eq(sweepCombinations.sweep_id, id), eq(sweepCombinations.combo_id, combo_id))).limit(1);
    if (combo === undefined) return notFound('combination', `${id}/${combo_id}`);
    const mv = await store.get('model_versions', orgId, sweep.model_version_id);
    const snap = await store.get('data_snapshots', orgId, sweep.data_snapshot_id);
    if (mv === null || snap === null) throw new SigmatiqError('CONFLICT', "The sweep's model version or data snapshot is gone.", { sweep_id: id });
    const modelRow = await store.get('models', orgId, mv.model_id);
    const packRow = modelRow === null ? null : await store.get('packs', orgId, modelRow.pack_id);
    if (packRow === null) throw new SigmatiqError('CONFLICT', "The model's pack is gone.", { model_version_id: mv.id });

    const [{ parsePackText }, { bindPoint }, { runStrategyBacktest }, { sliceBars }, { REASON }, { modelConfig }, { resolveModel }] = await Promise.all([
      import('@sigmatiq/engine/dist/packs/load.js'), import('@sigmatiq/engine/dist/sweep/exec/target.js'),
      import('@sigmatiq/engine/dist/backtest/strategy-run.js'), import('@sigmatiq/engine/dist/data/make.js'),
      import('@sigmatiq/engine/dist/backtest/records.js'), import('@sigmatiq/engine/dist/models/load.js'),
      import('@sigmatiq/engine/dist/models/resolve.js'),
    ]);
    const parsedPack = parsePackText(JSON.stringify(packRow.spec));
    if (!parsedPack.ok) throw new SigmatiqError('COMBO_PACK_INVALID', 'The pack stored for this model no longer parses.', { pack_id: packRow.id });
    // The sweep's target exactly as the kernel's %sweep built it: the model version's config resolved on its pack.
    const model = resolveModel(modelConfig(YAML.parse(mv.config_yaml)), parsedPack.pack);
    const comboParams = (combo.params ?? {}) as Record<string, unknown>;
    const point: Record<string, number | string> = {};
    for (const [k, v] of Object.entries(comboParams)) {
      if (typeof v === 'number' || typeof v === 'string') point[k] = v;
      else throw new SigmatiqError('COMBO_PARAM_INVALID', `Parameter '${k}' of the combination is neither a number nor a string.`, { parameter: k, combo_id });
    }
    const run = bindPoint(model.sweepTarget, point);

    const all = await snapshotBars(snap.uri);
    const from = day(sweep.date_range.start, false);
    const to = day(sweep.date_range.end, true);
    let s = 0;
    while (s < all.length && (all.ts[s] ?? 0) < from) s++;
    let e = s;
    while (e < all.length && (all.ts[e] ?? 0) < to) e++;
    const bars = sliceBars(all, s, e);
    if (bars.length === 0) throw new SigmatiqError('COMBO_NO_BARS', "The data snapshot has no bars in the sweep's date range.", { date_range: sweep.date_range, snapshot_id: snap.id });

    const outcome = await runStrategyBacktest({
      bars, entry: run.entry, exit: run.exit, params: run.params, context: { params: run.declared, aliases: run.aliases }, config: run.backtest,
    });
    const result = outcome.result;
    if (result === undefined) throw new Error('backtest result missing without a store');
    const recomputed = result.metrics as unknown as Readonly<Record<string, number>>;
    const recorded = BacktestMetrics.parse(combo.backtest_metrics);
    // profit_factor null is +Infinity (winners, no loser): JSON has no infinity.
    const reproduced = Object.entries(recorded).every(([k, v]) => Object.is(v ?? (k === 'profit_factor' ? Number.POSITIVE_INFINITY : v), recomputed[k]));
    const metrics: Record<string, number | null> = {};
    for (const k of Object.keys(recorded)) {
      const v = recomputed[k];
      metrics[k] = v !== undefined && Number.isFinite(v) ? v : null;
    }

    const iso = (i: number): string => new Date(bars.ts[i] ?? 0).toISOString();
    const idx = decimate(bars.length, MAX_CURVE_POINTS, result.bars.drawdown);
    const t = result.trades;
    const n = t.pnl.length;
    const trades = [];
    for (let i = Math.max(0, n - MAX_TRADES); i < n; i++) {
      trades.push({
        entry_time: iso(t.entryBar[i] ?? 0), exit_time: iso(t.exitBar[i] ?? 0), side: (t.side[i] ?? 1) > 0 ? ('long' as const) : ('short' as const),
        qty: t.qty[i] ?? 0, entry_price: t.entryPrice[i] ?? 0, exit_price: t.exitPrice[i] ?? 0, pnl: t.pnl[i] ?? 0, return: t.ret[i] ?? 0,
        exit_reason: REASON[t.exitReason[i] ?? 0] ?? 'unknown', open: (t.open[i] ?? 0) === 1,
      });
    }
    return c.json({
      sweep_id: id, combo_id, config_hash: combo.config_hash, params: point,
      run_hash: outcome.summary.run_hash, data_hash: outcome.summary.data_hash, engine_version: outcome.summary.engine_version, bars: bars.length,
      metrics, recorded_metrics: recorded, reproduced,
      curve: { ts: idx.map(iso), equity: idx.map((i) => result.bars.equity[i] ?? 0), drawdown: idx.map((i) => result.bars.drawdown[i] ?? 0), decimated: idx.length < bars.length },
      trades, trades_total: n,
    }, 200);
  });
}

import { OpenAPIHono, z } from '@hono/zod-openapi';
import { SigmatiqError, configHash } from '../engine.js';
import { and, asc, count, eq, inArray, sql as dsql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { sweepCombinations } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { IdParam, IdempotencyHeaders, ListQuery, jsonBody, jsonResponse, jsonText, listOf, notFound, withoutOrg } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { loadSweep } from './sweeps.js';
import { judgeCombination, sweepGatePolicy } from './sweep-gates.js';
import { BacktestMetrics, Combination, CombinationBatch, FailBody, GateStatus, LeaderboardEntry, SweepError } from './sweep-schemas.js';

const tags = ['sweeps'];
const E = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);

const addCombos = defineRoute('sweeps:write', {
  method: 'post', path: '/sweeps/{id}/combinations', tags,
  summary: 'Record evaluated combinations (config_hash, gate_results and gate_status computed here: the engine\'s evaluateGates under the sweep\'s gate policy; a sent gate_results that disagrees is 422 GATE_MISMATCH; capped at the sweep combo_cap; idempotent per combo_id: a stored combo_id is replaced, not duplicated)',
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(CombinationBatch) },
  responses: { 201: jsonResponse('Recorded', z.object({ inserted: z.number().int(), total: z.number().int() })), ...E },
});
const listCombos = defineRoute('sweeps:read', {
  method: 'get', path: '/sweeps/{id}/combinations', tags, summary: 'Combinations of a sweep by combo_id',
  request: { params: IdParam, query: ListQuery }, responses: { 200: jsonResponse('Combinations', listOf(Combination)), ...E },
});
const LeaderboardQuery = ListQuery.extend({
  gate_status: GateStatus.optional().openapi({ param: { name: 'gate_status', in: 'query' } }),
});
const Leaderboard = z.object({ sweep_id: z.string(), items: z.array(LeaderboardEntry), limit: z.number().int(), offset: z.number().int() }).openapi('Leaderboard');
const leaderboard = defineRoute('sweeps:read', {
  method: 'get', path: '/sweeps/{id}/leaderboard', tags,
  summary: 'Kept combinations ranked by Sharpe desc, ties by total return desc, then combo_id asc (docs/sweeps.md); rank is over all kept combinations',
  request: { params: IdParam, query: LeaderboardQuery },
  responses: { 200: jsonResponse('Leaderboard', Leaderboard), ...E },
});
const addError = defineRoute('sweeps:write', {
  method: 'post', path: '/sweeps/{id}/errors', tags, summary: 'Record a sweep error (reason codes SWS-xxxx or engine codes)',
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(FailBody) }, responses: { 201: jsonResponse('Created', SweepError), ...E },
});
const listErrors = defineRoute('sweeps:read', {
  method: 'get', path: '/sweeps/{id}/errors', tags, summary: 'Errors of a sweep',
  request: { params: IdParam, query: ListQuery }, responses: { 200: jsonResponse('Errors', listOf(SweepError)), ...E },
});

function toCombination(r: typeof sweepCombinations.$inferSelect) {
  return Combination.parse({
    sweep_id: r.sweep_id, combo_id: r.combo_id, params: r.params, config_hash: r.config_hash, backtest_metrics: r.backtest_metrics,
    gate_results: r.gate_results, gate_status: r.gate_status, kept: r.kept, created_at: r.created_at,
  });
}

/** The unfiltered leaderboard page: (org, sweep, limit, offset). Exported for the query-plan test. */
export const LEADERBOARD_PAGE_SQL = `SELECT combo_id, sharpe, total_return, trades, max_drawdown, gate_status, config_hash, params
  FROM sweep_combinations WHERE org_id = ? AND sweep_id = ? AND kept = 1
  ORDER BY sharpe DESC, total_return DESC, combo_id ASC LIMIT ? OFFSET ?`;

/** A JSON number exactly as JSON.stringify writes it (non-finite -> null). */
function jsonNumber(v: unknown): string {
  const n = Number(v);
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * The leaderboard body, serialized once: byte for byte what `c.json({ sweep_id, items, limit, offset })` gives
 * (same key order), without parsing `params` only to stringify it again: the column holds JSON.stringify output
 * (drizzle json mode), which is already its own serialization. Rows are [combo_id, sharpe, total_return, trades,
 * max_drawdown, gate_status, config_hash, params], preceded by rank when `firstRank` is null (window query);
 * otherwise rank is firstRank + 1 + position.
 */
export function leaderboardJson(sweepId: string, rows: readonly unknown[][], firstRank: number | null, limit: number, offset: number): string {
  let out = `{"sweep_id":${JSON.stringify(sweepId)},"items":[`;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] ?? [];
    const k = firstRank === null ? 1 : 0;
    const rank = firstRank === null ? r[0] : firstRank + 1 + i;
    out += `${i === 0 ? '' : ','}{"rank":${jsonNumber(rank)},"combo_id":${jsonNumber(r[k])},"sharpe":${jsonNumber(r[k + 1])},"return":${jsonNumber(r[k + 2])},` +
      `"trades":${jsonNumber(r[k + 3])},"max_drawdown":${jsonNumber(r[k + 4])},"gate_status":${JSON.stringify(String(r[k + 5]))},` +
      `"config_hash":${JSON.stringify(String(r[k + 6]))},"params":${String(r[k + 7])}}`;
  }
  return `${out}],"limit":${jsonNumber(limit)},"offset":${jsonNumber(offset)}}`;
}

export function sweepResultRoutes(deps: AppDeps) {
  const store = deps.store;
  return new OpenAPIHono<AppEnv>()
    .openapi(addCombos, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'sweep_combinations' }, body, async (tx, auth) => {
        const sweep = await loadSweep(tx, auth.orgId, id);
        // A cancelled sweep still takes the partial results its runner writes after it stopped (SWS-4001: partials are kept).
        if (sweep.run.status !== 'queued' && sweep.run.status !== 'running' && sweep.run.status !== 'cancelled') {
          throw new SigmatiqError('INVALID_TRANSITION', `Cannot add combinations to a ${sweep.run.status} sweep.`, { status: sweep.run.status });
        }
        // Idempotent per combo_id: a combination already stored is replaced (a runner streams rows while the sweep
        // runs, then re-sends those whose final Pareto `kept` differs); only new ids count against the cap.
        const ofSweep = and(eq(sweepCombinations.org_id, auth.orgId), eq(sweepCombinations.sweep_id, id));
        const [existing] = await tx.exec.select({ n: count() }).from(sweepCombinations).where(ofSweep);
        const ids = body.items.map((it) => it.combo_id);
        const [again] = await tx.exec.select({ n: count() }).from(sweepCombinations).where(and(ofSweep, inArray(sweepCombinations.combo_id, ids)));
        const inserted = body.items.length - (again?.n ?? 0);
        const total = (existing?.n ?? 0) + inserted;
        if (total > sweep.combo_cap) {
          throw new SigmatiqError('QUOTA_EXCEEDED', `The sweep's combo cap is ${sweep.combo_cap} combinations (${sweep.type}, ${sweep.plan_tier} plan).`, {
            limit: 'combo_cap', value: sweep.combo_cap, requested_total: total,
          });
        }
        const mv = await tx.get('model_versions', auth.orgId, sweep.model_version_id);
        const snap = await tx.get('data_snapshots', auth.orgId, sweep.data_snapshot_id);
        if (mv === null || snap === null) throw new SigmatiqError('CONFLICT', 'The sweep\'s model version or data snapshot is gone.', { sweep_id: id });
        const gates = await sweepGatePolicy(tx, auth.orgId, sweep);
        const seen = new Set<number>();
        const rows = body.items.map((it, i) => {
          if (seen.has(it.combo_id)) throw new SigmatiqError('INVALID_PARAM', `combo_id ${it.combo_id} appears twice.`, { field: `items.${i}.combo_id` });
          seen.add(it.combo_id);
          const m = BacktestMetrics.parse(it.backtest_metrics);
          const judged = judgeCombination(m, gates, it.gate_results, i);
          return {
            org_id: auth.orgId, sweep_id: id, combo_id: it.combo_id, params: it.params,
            config_hash: configHash({ model_config_hash: mv.config_hash, data_hash: snap.hash, params: it.params }),
            backtest_metrics: m, gate_results: judged.gate_results, gate_status: judged.gate_status,
            sharpe: m.sharpe_ratio, total_return: m.total_return, trades: m.total_trades, max_drawdown: m.max_drawdown, kept: it.kept,
          };
        });
        const replaced = Object.fromEntries((['params', 'config_hash', 'backtest_metrics', 'gate_results', 'gate_status', 'sharpe', 'total_return', 'trades', 'max_drawdown', 'kept'] as const)
          .map((k) => [k, dsql.raw(`excluded.${k}`)]));
        for (let i = 0; i < rows.length; i += 200) {
          await tx.exec.insert(sweepCombinations).values(rows.slice(i, i + 200)).onConflictDoUpdate({ target: [sweepCombinations.sweep_id, sweepCombinations.combo_id], set: replaced });
        }
        return { status: 201 as const, body: { inserted, total }, target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(listCombos, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const orgId = c.get('auth').orgId;
      if ((await store.get('sweeps', orgId, id)) === null) return notFound('sweep', id);
      const rows = await store.exec.select().from(sweepCombinations)
        .where(and(eq(sweepCombinations.org_id, orgId), eq(sweepCombinations.sweep_id, id)))
        .orderBy(asc(sweepCombinations.combo_id)).limit(q.limit).offset(q.offset);
      return c.json({ items: rows.map(toCombination), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(leaderboard, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const orgId = c.get('auth').orgId;
      const gate = q.gate_status ?? null;
      // Without a gate filter the rank is the position in (sharpe DESC, total_return DESC, combo_id ASC), the order of the
      // index sweep_combinations_org_rank: one range scan of `limit` rows, no sort, rank = offset + position.
      // With a filter, ranks over ALL kept combinations come from a window function.
      const [sql, args] = gate === null
        ? [LEADERBOARD_PAGE_SQL, [orgId, id, q.limit, q.offset]]
        : [`SELECT rank, combo_id, sharpe, total_return, trades, max_drawdown, gate_status, config_hash, params FROM (
              SELECT ROW_NUMBER() OVER (ORDER BY sharpe DESC, total_return DESC, combo_id ASC) AS rank, combo_id, sharpe, total_return, trades,
                     max_drawdown, gate_status, config_hash, params
              FROM sweep_combinations WHERE org_id = ? AND sweep_id = ? AND kept = 1)
            WHERE gate_status = ? ORDER BY rank LIMIT ? OFFSET ?`, [orgId, id, gate, q.limit, q.offset]];
      const render = (rows: unknown[][]): string | null =>
        rows.length === 0 ? null : leaderboardJson(id, rows, gate === null ? q.offset : null, q.limit, q.offset);
      // File databases: the read-only connection, with the rendered page memoized until the next commit.
      const reader = store.db.reader;
      let text = reader !== null
        ? reader.memoized(sql, args, render)
        : render((await store.db.client.execute({ sql, args })).rows.map((r) => Array.from(r)));
      if (text === null) {
        // An empty page may mean "no such sweep here": only then is the sweep looked up (one query on the hot path).
        if ((await store.get('sweeps', orgId, id)) === null) return notFound('sweep', id);
        text = leaderboardJson(id, [], gate === null ? q.offset : null, q.limit, q.offset);
      }
      return jsonText<z.infer<typeof Leaderboard>>(c, text);
    })
    .openapi(addError, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'sweep_error' }, body, async (tx, auth) => {
        if ((await tx.get('sweeps', auth.orgId, id)) === null) return notFound('sweep', id);
        const errId = randomUUID();
        const row = await tx.insert('sweep_errors', auth.orgId, errId, { sweep_id: id, reason_code: body.reason_code, message: body.message, detail: body.detail ?? null });
        return { status: 201 as const, body: SweepError.parse(withoutOrg(row)), target_id: errId };
      });
      return c.json(r.body, r.status);
    })
    .openapi(listErrors, async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      const orgId = c.get('auth').orgId;
      if ((await store.get('sweeps', orgId, id)) === null) return notFound('sweep', id);
      const rows = await store.list('sweep_errors', orgId, { ...q, where: { sweep_id: id } });
      return c.json({ items: rows.map((r) => SweepError.parse(withoutOrg(r))), limit: q.limit, offset: q.offset }, 200);
    });
}

/**
 * The multiple-testing statistics of a sweep, in the sidecar's own database:
 * - `POST /v1/sweeps/{id}/statistics` (sweeps:write): the runner (the kernel's %sweep) records trials, DSR and
 *   PBO when the sweep finishes or is cancelled; posting again for the same sweep replaces the row (idempotent
 *   replace), audited like every mutation.
 * - `GET /v1/sweeps/{id}/statistics` (sweeps:read): what was recorded (`source: recorded`), or `not recorded`
 *   with trials = the combinations the sidecar holds and DSR/PBO null.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { and, count, eq } from 'drizzle-orm';
import { sweepCombinations, sweepStatistics } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { IdParam, IdempotencyHeaders, jsonBody, jsonResponse, notFound } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';

const probability = (what: string) => z.number().min(0).max(1).nullable().openapi({ description: `${what} in [0, 1]; null when the engine could not compute it` });

export const SweepStatisticsBody = z
  .object({
    trials: z.number().int().min(1).max(1_000_000_000).openapi({ description: 'Combinations tried (the number of trials the DSR deflates for), >= 1' }),
    dsr: probability('Deflated Sharpe ratio of the winner (a probability)'),
    pbo: probability('Probability of backtest overfitting (CSCV)'),
  })
  .strict()
  .openapi('SweepStatisticsBody');

export const SweepStatistics = z
  .object({
    sweep_id: z.string(), trials: z.number().int(), dsr: z.number().nullable(), pbo: z.number().nullable(),
    source: z.enum(['recorded', 'not recorded']).openapi({
      description: "'recorded': posted by the sweep's runner (POST /v1/sweeps/{id}/statistics); 'not recorded': nothing posted, trials = the combinations held, DSR/PBO null",
    }),
    recorded_at: z.string().nullable(),
  })
  .openapi('SweepStatistics');

const E = errorResponses(400, 401, 403, 404, 413, 422, 429);

const getRoute = defineRoute('sweeps:read', {
  method: 'get', path: '/sweeps/{id}/statistics', tags: ['sweeps'],
  summary: 'Multiple-testing statistics of a sweep (trials, deflated Sharpe ratio, PBO) as its runner recorded them',
  request: { params: IdParam }, responses: { 200: jsonResponse('Statistics', SweepStatistics), ...errorResponses(400, 401, 403, 404, 429) },
});

const postRoute = defineRoute('sweeps:write', {
  method: 'post', path: '/sweeps/{id}/statistics', tags: ['sweeps'],
  summary: "Record a sweep's trials, DSR and PBO (replaces what was recorded for the sweep)",
  request: { params: IdParam, headers: IdempotencyHeaders, ...jsonBody(SweepStatisticsBody) },
  responses: { 200: jsonResponse('Recorded', SweepStatistics), ...E },
});

type Row = typeof sweepStatistics.$inferSelect;
const recorded = (r: Row) => ({ sweep_id: r.sweep_id, trials: r.trials, dsr: r.dsr, pbo: r.pbo, source: 'recorded' as const, recorded_at: r.created_at });

export function sweepStatisticsRoutes(deps: AppDeps) {
  const store = deps.store;
  return new OpenAPIHono<AppEnv>()
    .openapi(getRoute, async (c) => {
      const { id } = c.req.valid('param');
      const orgId = c.get('auth').orgId;
      if ((await store.get('sweeps', orgId, id)) === null) return notFound('sweep', id);
      const [row] = await store.exec.select().from(sweepStatistics)
        .where(and(eq(sweepStatistics.org_id, orgId), eq(sweepStatistics.sweep_id, id))).limit(1);
      if (row !== undefined) return c.json(recorded(row), 200);
      const [n] = await store.exec.select({ n: count() }).from(sweepCombinations)
        .where(and(eq(sweepCombinations.org_id, orgId), eq(sweepCombinations.sweep_id, id)));
      return c.json({ sweep_id: id, trials: n?.n ?? 0, dsr: null, pbo: null, source: 'not recorded' as const, recorded_at: null }, 200);
    })
    .openapi(postRoute, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'record', target_type: 'sweep_statistics' }, body, async (tx, auth) => {
        if ((await tx.get('sweeps', auth.orgId, id)) === null) return notFound('sweep', id);
        // Replace: one row per sweep, the latest post wins (a re-run of the runner's final step changes nothing).
        await tx.exec.delete(sweepStatistics).where(and(eq(sweepStatistics.org_id, auth.orgId), eq(sweepStatistics.sweep_id, id)));
        const [row] = await tx.exec.insert(sweepStatistics)
          .values({ sweep_id: id, org_id: auth.orgId, trials: body.trials, dsr: body.dsr, pbo: body.pbo }).returning();
        if (row === undefined) throw new Error('sweep_statistics insert returned no row');
        return { status: 200 as const, body: recorded(row), target_id: id };
      });
      return c.json(r.body, r.status);
    });
}

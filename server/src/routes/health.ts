import { OpenAPIHono, z } from '@hono/zod-openapi';
import { statfs } from 'node:fs/promises';
import { defineRoute } from '../http/route.js';
import type { AppEnv } from '../http/env.js';
import type { AppDeps } from '../deps.js';

const ComponentStatus = z.enum(['ok', 'degraded', 'down']);

export const HealthCheckSchema = z
  .object({
    status: z.enum(['healthy', 'degraded', 'unhealthy']),
    version: z.string(),
    uptime: z.number().nonnegative().openapi({ description: 'Seconds since the sidecar started' }),
    ts: z.string().openapi({ description: 'ISO-8601 UTC time of the check' }),
    components: z.array(
      z.object({
        name: z.enum(['database', 'disk']),
        status: ComponentStatus,
        latency_ms: z.number().optional(),
        free_bytes: z.number().optional(),
        detail: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  })
  .openapi('HealthCheck');

export type HealthCheck = z.infer<typeof HealthCheckSchema>;

/** Free space below which the disk is `degraded` / `down`. */
export const DISK_DEGRADED_BYTES = 1024 ** 3;
export const DISK_DOWN_BYTES = 64 * 1024 ** 2;
/** A database round trip slower than this is `degraded`. */
export const DB_DEGRADED_MS = 250;

const healthRoute = defineRoute('public', {
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'Sidecar health with component checks (no authentication)',
  responses: {
    200: { description: 'Healthy or degraded', content: { 'application/json': { schema: HealthCheckSchema } } },
    503: { description: 'Unhealthy', content: { 'application/json': { schema: HealthCheckSchema } } },
  },
});

const IndexSchema = z
  .object({ name: z.string(), version: z.string(), health: z.string(), openapi: z.string(), docs: z.string() })
  .openapi('SidecarIndex');

const indexRoute = defineRoute('public', {
  method: 'get',
  path: '/',
  tags: ['health'],
  summary: 'What this is and where its docs are (relative links; also the readiness probe of jupyter-server-proxy)',
  responses: { 200: { description: 'Index', content: { 'application/json': { schema: IndexSchema } } } },
});

export async function checkHealth(deps: AppDeps): Promise<HealthCheck> {
  const components: HealthCheck['components'] = [];
  try {
    const ms = await deps.db.ping();
    components.push({ name: 'database', status: ms > DB_DEGRADED_MS ? 'degraded' : 'ok', latency_ms: round3(ms) });
  } catch (err) {
    components.push({ name: 'database', status: 'down', detail: { error: err instanceof Error ? err.message : String(err) } });
  }
  try {
    const fs = await statfs(deps.dataDir ?? process.cwd());
    const free = Number(fs.bavail) * Number(fs.bsize);
    const status = free < DISK_DOWN_BYTES ? 'down' : free < DISK_DEGRADED_BYTES ? 'degraded' : 'ok';
    components.push({ name: 'disk', status, free_bytes: free });
  } catch (err) {
    components.push({ name: 'disk', status: 'down', detail: { error: err instanceof Error ? err.message : String(err) } });
  }
  const statuses = components.map((c) => c.status);
  const status = statuses.includes('down') ? 'unhealthy' : statuses.includes('degraded') ? 'degraded' : 'healthy';
  const now = deps.now();
  return {
    status,
    version: deps.version,
    uptime: Math.max(0, (now.getTime() - deps.startedAt.getTime()) / 1000),
    ts: now.toISOString(),
    components,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function healthRoutes(deps: AppDeps) {
  return new OpenAPIHono<AppEnv>()
    .openapi(healthRoute, async (c) => {
      const body = await checkHealth(deps);
      return body.status === 'unhealthy' ? c.json(body, 503) : c.json(body, 200);
    })
    .openapi(indexRoute, (c) =>
      c.json({ name: 'Sigmatiq sidecar', version: deps.version, health: './health', openapi: './openapi.json', docs: './docs' }, 200),
    );
}

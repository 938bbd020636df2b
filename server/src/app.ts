import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps } from './deps.js';
import type { AppEnv } from './http/env.js';
import { httpError, toErrorResponse } from './http/errors.js';
import { contentLengthLimit } from './http/body-limit.js';
import { authenticate } from './auth/middleware.js';
import { proxyCsrfGuard } from './auth/proxy-csrf.js';
import { recordDenial } from './http/denials.js';
import { docsRoutes } from './routes/docs.js';
import { healthRoutes } from './routes/health.js';
import { v1Routes } from './routes/v1.js';

export const OPENAPI_INFO = {
  title: 'Sigmatiq sidecar',
  description:
    'Registry, lineage, auth and quotas of Sigmatiq Workbench. Authenticate with `Authorization: Bearer sq_...` ' +
    '(the local platform-admin key is in `<data-dir>/admin.key`). Every operation names its scope in `x-sigmatiq-scope`.',
} as const;

/** Turns zod validation failures into 400 VALIDATION_FAILED with the offending fields in `details`. */
function validationHook(
  result: { success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; code: string; message: string; keys?: readonly string[] }[] } },
  _c: Context,
): void {
  if (result.success) return;
  const issues = result.error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? p.toString() : p)).join('.'),
    code: i.code,
    message: i.message,
    ...(i.keys !== undefined ? { keys: [...i.keys] } : {}),
  }));
  const unknown = issues.filter((i) => i.code === 'unrecognized_keys');
  if (unknown.length > 0) {
    throw httpError('UNKNOWN_FIELD', 'The request has fields this route does not accept.', { issues });
  }
  throw httpError('VALIDATION_FAILED', 'The request does not match the route\'s schema.', { issues });
}

function buildRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use(
    '/v1/*',
    contentLengthLimit(deps.maxBodyBytes, () => {
      throw httpError('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${deps.maxBodyBytes} bytes.`, { limit_bytes: deps.maxBodyBytes });
    }),
  );
  app.use('/v1/*', proxyCsrfGuard());
  app.use('/v1/*', authenticate(deps));
  return app.route('/', healthRoutes(deps)).route('/v1', v1Routes(deps));
}

/** The typed route tree, for `hc<AppType>` clients. */
export type AppType = ReturnType<typeof buildRoutes>;

/**
 * Builds the sidecar: routes chained on sub-apps mounted with `app.route()`, one error mapper, the OpenAPI
 * document at /openapi.json and the docs page at /docs.
 */
export function createApp(deps: AppDeps): AppType {
  const app = buildRoutes(deps);
  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'API key `sq_...`',
  });
  let doc: unknown;
  app.get('/openapi.json', (c) => {
    doc ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: { ...OPENAPI_INFO, version: deps.version },
      // Relative server: the document works standalone and behind the /sigmatiq proxy prefix.
      servers: [{ url: '.' }],
    });
    return c.json(doc);
  });
  app.route('/', docsRoutes());
  app.notFound((c) => c.json({ code: 'NOT_FOUND', message: `No route ${c.req.method} ${c.req.path}.` }, 404));
  app.onError(async (err, c) => {
    const { status, body } = toErrorResponse(err);
    if (status >= 500) console.error(err);
    await recordDenial(deps, c, body);
    const retry = body.details?.['retry_after_s'];
    if (status === 429 && typeof retry === 'number') c.header('Retry-After', String(retry));
    return c.json(body, status);
  });
  return app;
}

import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { RouteScope } from '../auth/scopes.js';
import type { AppEnv } from './env.js';
import { httpError } from './errors.js';

/** Every route declared through defineRoute, keyed `METHOD path` (path relative to its sub-app), for tests. */
export const DECLARED_ROUTES = new Map<string, RouteConfig>();

/** OpenAPI extension carrying a route's scope; a test fails if an operation lacks it. */
export const SCOPE_EXTENSION = 'x-sigmatiq-scope';

/** Rejects the request with 403 FORBIDDEN unless the caller's key carries `scope` (auth already resolved). */
export function requireScope(scope: RouteScope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (scope !== 'public') {
      const auth = c.get('auth');
      if (!auth.scopes.has(scope)) {
        throw httpError('FORBIDDEN', `This API key lacks the scope ${scope}.`, { scope });
      }
    }
    await next();
  };
}

/**
 * Declares a route together with the scope it requires: the scope goes into the OpenAPI document
 * (`x-sigmatiq-scope`, plus the bearer security requirement) and into a middleware that enforces it.
 */
export function defineRoute<const R extends Omit<RouteConfig, 'middleware'>>(
  scope: RouteScope,
  config: R,
): R & { middleware: MiddlewareHandler<AppEnv>; getRoutingPath(): string } {
  const security = scope === 'public' ? [] : [{ ApiKey: [] }];
  DECLARED_ROUTES.set(`${config.method.toUpperCase()} ${config.path}`, config);
  return createRoute({
    ...config,
    security,
    [SCOPE_EXTENSION]: scope,
    middleware: requireScope(scope),
  });
}

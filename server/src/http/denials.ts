import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { authFailures } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import type { AppEnv } from './env.js';
import type { ErrorBody } from './errors.js';
import type { AuthContext } from '../auth/context.js';

const DENIED = new Set(['FORBIDDEN', 'QUOTA_EXCEEDED']);

/**
 * Logs refused requests: 403s (missing scope, quota) as AuditLog rows with outcome `denied` in the caller's
 * org; 401s in auth_failures (no org is known). Failures to log never change the answer.
 */
export async function recordDenial(deps: AppDeps, c: Context<AppEnv>, body: ErrorBody): Promise<void> {
  try {
    if (body.code === 'UNAUTHENTICATED') {
      const keyId = body.details?.['key_id'];
      await deps.db.writes.run(() =>
        deps.db.orm.insert(authFailures).values({
          key_id: typeof keyId === 'string' ? keyId : null, reason: body.message, method: c.req.method, path: c.req.path.slice(0, 500),
        }),
      );
      return;
    }
    if (!DENIED.has(body.code)) return;
    const auth = c.get('auth') as AuthContext | undefined;
    if (auth === undefined) return;
    await deps.store.insert('audit_log', auth.orgId, randomUUID(), {
      actor_type: 'key', actor_id: auth.keyId, action: `${c.req.method} ${c.req.routePath}`.slice(0, 300), outcome: 'denied',
      target_type: 'route', target_id: c.req.path.slice(0, 500), payload: { code: body.code, details: body.details ?? null },
    });
  } catch {
    // logging a refusal must not turn it into a 500
  }
}

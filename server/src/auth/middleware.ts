import { eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { apiKeys, orgs, quotas } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import type { AppEnv } from '../http/env.js';
import { httpError } from '../http/errors.js';
import { PLAN_LIMITS } from '../quota/plans.js';
import { keyMatches, parseKeyId } from './keys.js';
import { isScope, type Scope } from './scopes.js';

const LAST_USED_EVERY_MS = 60_000;
/** Resolved keys are cached this long; a revocation in this process clears the entry at once. */
export const KEY_CACHE_TTL_MS = 2_000;

interface CachedKey {
  at: number;
  row: { key: typeof apiKeys.$inferSelect; plan_tier: 'free' | 'premium' | 'pro'; limits: Record<string, number | null> | null };
  /** The key's scopes, built once per resolution instead of once per request. */
  scopes: ReadonlySet<Scope>;
}
const keyCache = new Map<string, CachedKey>();

/** Drops a key from the resolution cache (called when a key is revoked). */
export function forgetKey(keyId: string): void {
  for (const [secret, entry] of keyCache) if (entry.row.key.id === keyId) keyCache.delete(secret);
}

/**
 * Resolves `Authorization: Bearer sq_...` into the caller (401 UNAUTHENTICATED if missing, malformed, unknown,
 * revoked or expired), then applies the per-key rate limit (429 RATE_LIMITED with Retry-After). Platform-admin
 * keys (the local operator's admin.key) are not rate limited.
 */
export function authenticate(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const lastUsedWritten = new Map<string, number>();
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (m === null) throw httpError('UNAUTHENTICATED', 'Send an API key: Authorization: Bearer sq_...', { header: 'authorization' });
    const secret = m[1] ?? '';
    const keyId = parseKeyId(secret);
    if (keyId === null) throw httpError('UNAUTHENTICATED', 'Malformed API key.', { header: 'authorization' });
    const now = deps.now();
    let entry = keyCache.get(secret);
    if (entry === undefined || Date.now() - entry.at > KEY_CACHE_TTL_MS) {
      const [fresh] = await deps.db.orm
        .select({ key: apiKeys, plan_tier: orgs.plan_tier, limits: quotas.limits })
        .from(apiKeys)
        .innerJoin(orgs, eq(orgs.id, apiKeys.org_id))
        .leftJoin(quotas, eq(quotas.org_id, apiKeys.org_id))
        .where(eq(apiKeys.id, keyId))
        .limit(1);
      if (fresh === undefined || !keyMatches(secret, fresh.key.hash)) {
        keyCache.delete(secret);
        throw httpError('UNAUTHENTICATED', 'Unknown API key.', { key_id: keyId });
      }
      if (keyCache.size > 10_000) keyCache.clear();
      entry = { at: Date.now(), row: fresh, scopes: new Set(fresh.key.scopes.filter(isScope)) };
      keyCache.set(secret, entry);
    }
    const { row } = entry;
    if (row.key.revoked_at !== null) throw httpError('UNAUTHENTICATED', 'This API key was revoked.', { key_id: keyId });
    if (row.key.expires_at !== null && Date.parse(row.key.expires_at) <= now.getTime()) {
      throw httpError('UNAUTHENTICATED', 'This API key has expired.', { key_id: keyId });
    }
    const scopes = entry.scopes;
    c.set('auth', { keyId, orgId: row.key.org_id, userId: row.key.user_id, planTier: row.plan_tier, scopes });
    if (!scopes.has('platform:admin')) {
      const perMinute = row.limits?.['requests_per_minute'] ?? PLAN_LIMITS[row.plan_tier].requests_per_minute;
      const wait = deps.rateLimiter.take(keyId, perMinute);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        throw httpError('RATE_LIMITED', `More than ${perMinute} requests per minute for this key.`, { retry_after_s: wait, limit_per_minute: perMinute });
      }
    }
    const last = lastUsedWritten.get(keyId) ?? 0;
    if (now.getTime() - last >= LAST_USED_EVERY_MS) {
      lastUsedWritten.set(keyId, now.getTime());
      deps.db.writes
        .run(() => deps.db.orm.update(apiKeys).set({ last_used_at: now.toISOString() }).where(eq(apiKeys.id, keyId)))
        .catch(() => undefined);
    }
    await next();
  };
}

import { configHash } from '../engine.js';
import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { randomUUID } from 'node:crypto';
import { auditLog, idempotencyKeys } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import type { LibsqlTenantStore } from '../repo/libsql-store.js';
import type { AuthContext } from '../auth/context.js';
import type { AppEnv } from './env.js';
import { httpError } from './errors.js';

export interface MutationSpec {
  /** CRUD verb or action recorded in the audit log: create, update, delete, revoke, start, ... */
  action: string;
  target_type: string;
}

export interface MutationResult<T, S extends number> {
  status: S;
  body: T;
  target_id: string;
}

const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,200}$/;

/**
 * Runs one mutation: in ONE write transaction (queued behind every other write of the process) it replays or
 * rejects a reused Idempotency-Key, runs `fn`, appends the AuditLog row and records the idempotent answer.
 * Same Idempotency-Key + same body -> the first answer again (nothing re-executed); another body -> 422
 * IDEMPOTENCY_KEY_REUSED. Keys are scoped to the API key that sent them.
 */
export async function mutate<T, S extends number>(
  c: Context<AppEnv>,
  deps: AppDeps,
  spec: MutationSpec,
  requestBody: unknown,
  fn: (tx: LibsqlTenantStore, auth: AuthContext) => Promise<MutationResult<T, S>>,
): Promise<{ status: S; body: T }> {
  const auth = c.get('auth');
  const idemKey = c.req.header('idempotency-key');
  if (idemKey !== undefined && !IDEMPOTENCY_KEY_RE.test(idemKey)) {
    throw httpError('INVALID_PARAM', 'Idempotency-Key must be 1-200 printable ASCII characters.', { header: 'idempotency-key' });
  }
  // Only an Idempotency-Key needs the body's hash (canonical JSON + SHA-256): not computed without one.
  const bodyHash = idemKey === undefined ? '' : configHash({ method: c.req.method, path: c.req.path, body: requestBody ?? null });
  return deps.store.transaction(async (tx) => {
    if (idemKey !== undefined) {
      const [prev] = await tx.exec
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.org_id, auth.orgId), eq(idempotencyKeys.api_key_id, auth.keyId), eq(idempotencyKeys.key, idemKey)))
        .limit(1);
      if (prev !== undefined) {
        if (prev.body_hash !== bodyHash) {
          throw httpError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request.', { header: 'idempotency-key', first_path: prev.path });
        }
        return { status: prev.status as S, body: JSON.parse(prev.response) as T };
      }
    }
    const result = await fn(tx, auth);
    // Inserted without RETURNING (nobody reads the row back): same row as tx.insert('audit_log', ...) writes.
    await tx.exec.insert(auditLog).values({
      id: randomUUID(),
      org_id: auth.orgId,
      actor_type: 'key',
      actor_id: auth.keyId,
      action: spec.action,
      outcome: 'success',
      target_type: spec.target_type,
      target_id: result.target_id,
      payload: { method: c.req.method, path: c.req.path },
    });
    if (idemKey !== undefined) {
      await tx.exec.insert(idempotencyKeys).values({
        org_id: auth.orgId,
        api_key_id: auth.keyId,
        key: idemKey,
        method: c.req.method,
        path: c.req.path,
        body_hash: bodyHash,
        status: result.status,
        response: JSON.stringify(result.body),
      });
    }
    return { status: result.status, body: result.body };
  });
}

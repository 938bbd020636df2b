import { configHash } from '../engine.js';
import type { Context } from 'hono';
import { randomUUID } from 'node:crypto';
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

// Fixed SQL for the three statements every mutation may add (the same rows drizzle wrote through the
// audit_log and idempotency_keys table definitions; payload is JSON text, ts/created_at take their default).
const FIND_IDEMPOTENT = 'SELECT body_hash, status, response, path FROM idempotency_keys WHERE org_id = ? AND api_key_id = ? AND key = ? LIMIT 1';
const INSERT_AUDIT = 'INSERT INTO audit_log (id, org_id, actor_type, actor_id, action, outcome, target_type, target_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
const INSERT_IDEMPOTENT = 'INSERT INTO idempotency_keys (org_id, api_key_id, key, method, path, body_hash, status, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

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
      const [found] = await tx.db.channel.run([{ sql: FIND_IDEMPOTENT, args: [auth.orgId, auth.keyId, idemKey] }]);
      const prev = found?.rows[0];
      if (prev !== undefined) {
        const [prevHash, prevStatus, prevResponse, prevPath] = prev;
        if (prevHash !== bodyHash) {
          throw httpError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request.', { header: 'idempotency-key', first_path: prevPath });
        }
        return { status: Number(prevStatus) as S, body: JSON.parse(String(prevResponse)) as T };
      }
    }
    const result = await fn(tx, auth);
    // Pipelined: sent with the transaction's next statement (its RELEASE), no round trip of their own.
    tx.pipeline({
      sql: INSERT_AUDIT,
      args: [randomUUID(), auth.orgId, 'key', auth.keyId, spec.action, 'success', spec.target_type, result.target_id, JSON.stringify({ method: c.req.method, path: c.req.path })],
    });
    if (idemKey !== undefined) {
      tx.pipeline({
        sql: INSERT_IDEMPOTENT,
        args: [auth.orgId, auth.keyId, idemKey, c.req.method, c.req.path, bodyHash, result.status, JSON.stringify(result.body)],
      });
    }
    return { status: result.status, body: result.body };
  });
}

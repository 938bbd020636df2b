import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { sweepCombinations } from '../db/schema.js';
import type { LibsqlTenantStore } from '../repo/libsql-store.js';

export const ENTITY_TYPES = ['pack', 'model', 'model_version', 'data_snapshot', 'sweep', 'run', 'indicator_set', 'policy', 'training_job', 'trained_model', 'validation', 'combination'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface EntityRef {
  type: EntityType;
  id: string;
}

/** Records `from` -> `to` (upstream -> derived) in the caller's org; a duplicate edge is a no-op. */
export async function addLink(tx: LibsqlTenantStore, orgId: string, from: EntityRef, to: EntityRef): Promise<void> {
  const existing = await tx.list('lineage_links', orgId, {
    limit: 1,
    offset: 0,
    where: { from_type: from.type, from_id: from.id, to_type: to.type, to_id: to.id },
  });
  if (existing.length > 0) return;
  await tx.insert('lineage_links', orgId, randomUUID(), { from_type: from.type, from_id: from.id, to_type: to.type, to_id: to.id });
}

/**
 * Records (upserts) an entity's hash. Queued on the transaction's pipeline, not awaited: it runs in order with
 * the mutation's other statements, and a failure fails the mutation.
 */
export function addHash(
  tx: LibsqlTenantStore,
  orgId: string,
  entity: EntityRef,
  hashType: 'config' | 'data' | 'content' | 'artifact',
  hash: string,
): Promise<void> {
  tx.recordHashLater(orgId, entity.type, entity.id, hashType, hash);
  return Promise.resolve();
}

/** A sweep combination as a lineage entity: id `<sweep id>:<combo id>`. */
export function comboRef(sweepId: string, comboId: number): EntityRef {
  return { type: 'combination', id: `${sweepId}:${comboId}` };
}

/** Whether `<sweep id>:<combo id>` names a stored combination of the org. */
export async function comboExists(tx: LibsqlTenantStore, orgId: string, ref: string): Promise<boolean> {
  const m = /^(.+):(\d{1,9})$/.exec(ref);
  if (m === null) return false;
  const [row] = await tx.exec
    .select({ id: sweepCombinations.combo_id })
    .from(sweepCombinations)
    .where(and(eq(sweepCombinations.org_id, orgId), eq(sweepCombinations.sweep_id, m[1] ?? ''), eq(sweepCombinations.combo_id, Number(m[2]))))
    .limit(1);
  return row !== undefined;
}

import { randomUUID } from 'node:crypto';
import type { PlanTier } from '../db/enums.js';
import { orgs, quotas } from '../db/schema.js';
import type { LibsqlTenantStore } from '../repo/libsql-store.js';
import { PLAN_LIMITS } from '../quota/plans.js';
import { BUILTIN_ROLES, type Scope } from './scopes.js';
import { generateKey } from './keys.js';

export interface CreatedOrg {
  org: { id: string; name: string; plan_tier: PlanTier; created_at: string };
  user_id: string;
  key_id: string;
  /** The full secret, returned exactly once. */
  key: string;
}

/**
 * Creates an organization with its Quota row (limits of its plan), an admin user with `role`, and that
 * user's first API key. Must run inside a transaction (`tx`).
 */
export async function createOrgWithAdmin(
  tx: LibsqlTenantStore,
  input: { name: string; plan_tier: PlanTier; admin_email: string; role?: 'org_admin' | 'platform_admin' },
): Promise<CreatedOrg> {
  const orgId = randomUUID();
  const role = input.role ?? 'org_admin';
  const [org] = await tx.exec.insert(orgs).values({ id: orgId, name: input.name, plan_tier: input.plan_tier }).returning();
  if (org === undefined) throw new Error('org insert returned nothing');
  await tx.exec.insert(quotas).values({ org_id: orgId, plan_tier: input.plan_tier, limits: { ...PLAN_LIMITS[input.plan_tier] } });
  const userId = randomUUID();
  await tx.insert('users', orgId, userId, { email: input.admin_email, name: 'admin', role_id: role, mfa_enabled: false });
  const key = generateKey();
  const scopes: readonly Scope[] = BUILTIN_ROLES[role] ?? [];
  await tx.insert('api_keys', orgId, key.id, { user_id: userId, name: `${role} key`, hash: key.hash, scopes: [...scopes] });
  return { org, user_id: userId, key_id: key.id, key: key.secret };
}

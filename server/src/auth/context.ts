import type { PlanTier } from '../db/enums.js';
import type { Scope } from './scopes.js';

/** The authenticated caller of a request, resolved from its API key. */
export interface AuthContext {
  readonly keyId: string;
  readonly orgId: string;
  readonly userId: string | null;
  readonly planTier: PlanTier;
  readonly scopes: ReadonlySet<Scope>;
}

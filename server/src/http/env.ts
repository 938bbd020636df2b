import type { AuthContext } from '../auth/context.js';

/** Hono environment of every sidecar route: the authenticated caller, set by the auth middleware. */
export interface AppEnv {
  Variables: {
    auth: AuthContext;
  };
}

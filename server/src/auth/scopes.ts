/**
 * Machine scopes. Every route declares exactly one (`public` for the unauthenticated ones: /health,
 * /openapi.json, /docs). A role is a named set of scopes; an API key carries a set of scopes.
 */
export const SCOPES = [
  'platform:admin',
  'org:admin',
  'org:read',
  'audit:read',
  'packs:read',
  'packs:write',
  'models:read',
  'models:write',
  'data:read',
  'data:write',
  'sweeps:read',
  'sweeps:write',
  'runs:read',
  'runs:write',
  'registry:read',
  'registry:write',
  'lineage:read',
  'lineage:write',
  'training:read',
  'training:write',
] as const;

export type Scope = (typeof SCOPES)[number];
export type RouteScope = Scope | 'public';

const READ_SCOPES: readonly Scope[] = ['org:read', 'packs:read', 'models:read', 'data:read', 'sweeps:read', 'runs:read', 'registry:read', 'lineage:read', 'training:read'];
const WRITE_SCOPES: readonly Scope[] = ['packs:write', 'models:write', 'data:write', 'sweeps:write', 'runs:write', 'registry:write', 'lineage:write', 'training:write'];

/** Built-in roles (seeded at start-up). `platform_admin` is the local operator: everything, in its own org too. */
export const BUILTIN_ROLES: Readonly<Record<string, readonly Scope[]>> = {
  platform_admin: [...SCOPES],
  org_admin: ['org:admin', 'audit:read', ...READ_SCOPES, ...WRITE_SCOPES],
  researcher: [...READ_SCOPES, ...WRITE_SCOPES],
  viewer: [...READ_SCOPES],
};

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

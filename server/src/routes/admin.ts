import { OpenAPIHono, z } from '@hono/zod-openapi';
import { SigmatiqError } from '../engine.js';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { generateKey } from '../auth/keys.js';
import { forgetKey } from '../auth/middleware.js';
import { createOrgWithAdmin } from '../auth/orgs.js';
import { BUILTIN_ROLES } from '../auth/scopes.js';
import { orgs, roles, usageCounters } from '../db/schema.js';
import { PLAN_TIERS } from '../db/enums.js';
import type { AppDeps } from '../deps.js';
import { IdParam, IdempotencyHeaders, ListQuery, Timestamp, jsonBody, jsonResponse, listOf, notFound, withoutOrg } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { loadLimits } from '../quota/check.js';

const GrantableRole = z.enum(['org_admin', 'researcher', 'viewer']);
const OrgSchema = z.object({ id: z.string(), name: z.string(), plan_tier: z.enum(PLAN_TIERS), created_at: Timestamp }).openapi('Organization');
export const OrgCreate = z
  .object({
    name: z.string().min(1).max(200),
    plan_tier: z.enum(PLAN_TIERS).openapi({ description: 'Set by the platform operator only (this route needs platform:admin)' }),
    admin_email: z.email().max(320),
  })
  .strict()
  .openapi('OrganizationCreate');
const OrgCreated = z.object({ org: OrgSchema, user_id: z.string(), key_id: z.string(), key: z.string().openapi({ description: 'Shown once' }) }).openapi('OrganizationCreated');
const OrgInfo = z
  .object({
    org: OrgSchema,
    limits: z.record(z.string(), z.number().nullable()),
    usage: z.array(z.object({ counter_name: z.string(), period: z.string(), value: z.number().int() })),
    key: z.object({ id: z.string(), scopes: z.array(z.string()) }),
  })
  .openapi('OrganizationInfo');

const KeyCreate = z
  .object({
    name: z.string().min(1).max(200),
    role: GrantableRole,
    user_id: z.string().min(1).max(100).optional(),
    expires_at: z.iso.datetime().optional(),
  })
  .strict()
  .openapi('ApiKeyCreate');
const KeySchema = z
  .object({
    id: z.string(), name: z.string(), user_id: z.string().nullable(), scopes: z.array(z.string()), created_at: Timestamp,
    expires_at: z.string().nullable(), revoked_at: z.string().nullable(), last_used_at: z.string().nullable(),
  })
  .openapi('ApiKey');
const KeyCreated = KeySchema.extend({ key: z.string().openapi({ description: 'The secret, shown once' }) }).openapi('ApiKeyCreated');
const UserCreate = z.object({ email: z.email().max(320), name: z.string().max(200).optional(), role: GrantableRole }).strict().openapi('UserCreate');
const UserPatch = z.object({ name: z.string().max(200).nullable().optional(), role: GrantableRole.optional() }).strict().openapi('UserPatch');
const UserSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string().nullable(), role_id: z.string(), mfa_enabled: z.boolean(), created_at: Timestamp })
  .openapi('User');
const AuditEntry = z
  .object({
    id: z.string(), actor_type: z.string(), actor_id: z.string(), action: z.string(), outcome: z.enum(['success', 'denied']),
    target_type: z.string(), target_id: z.string(), ts: Timestamp, payload: z.unknown(),
  })
  .openapi('AuditLogEntry');

const E = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);

const createOrg = defineRoute('platform:admin', {
  method: 'post', path: '/orgs', tags: ['organizations'], summary: 'Create an organization and return its first admin key (platform admin only)',
  request: { headers: IdempotencyHeaders, ...jsonBody(OrgCreate) }, responses: { 201: jsonResponse('Created', OrgCreated), ...E },
});
const getOrg = defineRoute('org:read', {
  method: 'get', path: '/org', tags: ['organizations'], summary: 'The caller\'s organization, its limits and usage, and the calling key',
  responses: { 200: jsonResponse('Organization', OrgInfo), ...E },
});
const createKey = defineRoute('org:admin', {
  method: 'post', path: '/keys', tags: ['api keys'], summary: 'Create an API key with a role\'s scopes (the secret is returned once)',
  request: { headers: IdempotencyHeaders, ...jsonBody(KeyCreate) }, responses: { 201: jsonResponse('Created', KeyCreated), ...E },
});
const listKeys = defineRoute('org:admin', {
  method: 'get', path: '/keys', tags: ['api keys'], summary: 'List API keys (never their secrets)', request: { query: ListQuery },
  responses: { 200: jsonResponse('Keys', listOf(KeySchema)), ...E },
});
const getKey = defineRoute('org:admin', {
  method: 'get', path: '/keys/{id}', tags: ['api keys'], summary: 'Get an API key', request: { params: IdParam },
  responses: { 200: jsonResponse('Key', KeySchema), ...E },
});
const revokeKey = defineRoute('org:admin', {
  method: 'delete', path: '/keys/{id}', tags: ['api keys'], summary: 'Revoke an API key (effective immediately)', request: { params: IdParam },
  responses: { 200: jsonResponse('Revoked', KeySchema), ...E },
});
const createUser = defineRoute('org:admin', {
  method: 'post', path: '/users', tags: ['users'], summary: 'Add a user with a role',
  request: { headers: IdempotencyHeaders, ...jsonBody(UserCreate) }, responses: { 201: jsonResponse('Created', UserSchema), ...E },
});
const listUsers = defineRoute('org:admin', {
  method: 'get', path: '/users', tags: ['users'], summary: 'List users', request: { query: ListQuery },
  responses: { 200: jsonResponse('Users', listOf(UserSchema)), ...E },
});
const getUser = defineRoute('org:admin', {
  method: 'get', path: '/users/{id}', tags: ['users'], summary: 'Get a user', request: { params: IdParam },
  responses: { 200: jsonResponse('User', UserSchema), ...E },
});
const patchUser = defineRoute('org:admin', {
  method: 'patch', path: '/users/{id}', tags: ['users'], summary: 'Rename a user or change their role', request: { params: IdParam, ...jsonBody(UserPatch) },
  responses: { 200: jsonResponse('User', UserSchema), ...E },
});
const listAudit = defineRoute('audit:read', {
  method: 'get', path: '/audit', tags: ['audit'], summary: 'The organization\'s audit log (append-only), oldest first', request: { query: ListQuery },
  responses: { 200: jsonResponse('Audit log', listOf(AuditEntry)), ...E },
});

type AnyRow = Parameters<typeof withoutOrg>[0] & Record<string, unknown>;
const toKey = (r: AnyRow) => KeySchema.parse(withoutOrg(r));
const toUser = (r: AnyRow) => UserSchema.parse(withoutOrg(r));

export function adminRoutes(deps: AppDeps) {
  const store = deps.store;
  return new OpenAPIHono<AppEnv>()
    .openapi(createOrg, async (c) => {
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'organization' }, body, async (tx) => {
        const created = await createOrgWithAdmin(tx, { name: body.name, plan_tier: body.plan_tier, admin_email: body.admin_email });
        return { status: 201 as const, body: OrgCreated.parse(created), target_id: created.org.id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(getOrg, async (c) => {
      const auth = c.get('auth');
      const [org] = await store.exec.select().from(orgs).where(eq(orgs.id, auth.orgId)).limit(1);
      if (org === undefined) return notFound('organization', auth.orgId);
      const { limits } = await loadLimits(store, auth.orgId);
      const usage = await store.exec.select().from(usageCounters).where(eq(usageCounters.org_id, auth.orgId));
      return c.json(OrgInfo.parse({
        org, limits, usage: usage.map((u) => ({ counter_name: u.counter_name, period: u.period, value: u.value })),
        key: { id: auth.keyId, scopes: [...auth.scopes].sort() },
      }), 200);
    })
    .openapi(createKey, async (c) => {
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'api_key' }, body, async (tx, auth) => {
        const scopes = [...(BUILTIN_ROLES[body.role] ?? [])];
        const beyond = scopes.filter((s) => !auth.scopes.has(s));
        if (beyond.length > 0) throw new SigmatiqError('FORBIDDEN', 'A key cannot carry scopes its creator lacks.', { scopes: beyond });
        if (body.user_id !== undefined && (await tx.get('users', auth.orgId, body.user_id)) === null) return notFound('user', body.user_id);
        if (body.expires_at !== undefined && Date.parse(body.expires_at) <= deps.now().getTime()) {
          throw new SigmatiqError('INVALID_PARAM', 'expires_at is in the past.', { field: 'expires_at' });
        }
        const key = generateKey();
        const row = await tx.insert('api_keys', auth.orgId, key.id, {
          name: body.name, user_id: body.user_id ?? null, hash: key.hash, scopes, expires_at: body.expires_at ?? null,
        });
        return { status: 201 as const, body: KeyCreated.parse({ ...toKey(row), key: key.secret }), target_id: key.id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(listKeys, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.list('api_keys', c.get('auth').orgId, q);
      return c.json({ items: rows.map(toKey), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(getKey, async (c) => {
      const { id } = c.req.valid('param');
      const row = await store.get('api_keys', c.get('auth').orgId, id);
      return row === null ? notFound('api_key', id) : c.json(toKey(row), 200);
    })
    .openapi(revokeKey, async (c) => {
      const { id } = c.req.valid('param');
      const r = await mutate(c, deps, { action: 'revoke', target_type: 'api_key' }, null, async (tx, auth) => {
        const row = await tx.get('api_keys', auth.orgId, id);
        if (row === null) return notFound('api_key', id);
        const updated = row.revoked_at !== null ? row : await tx.update('api_keys', auth.orgId, id, { revoked_at: deps.now().toISOString() });
        forgetKey(id);
        return updated === null ? notFound('api_key', id) : { status: 200 as const, body: toKey(updated), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(createUser, async (c) => {
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'user' }, body, async (tx, auth) => {
        const [role] = await tx.exec.select().from(roles).where(eq(roles.id, body.role)).limit(1);
        if (role === undefined) throw new SigmatiqError('INVALID_PARAM', `Unknown role ${body.role}.`, { field: 'role' });
        const id = randomUUID();
        const row = await tx.insert('users', auth.orgId, id, { email: body.email, name: body.name ?? null, role_id: body.role, mfa_enabled: false });
        return { status: 201 as const, body: toUser(row), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(listUsers, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.list('users', c.get('auth').orgId, q);
      return c.json({ items: rows.map(toUser), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(getUser, async (c) => {
      const { id } = c.req.valid('param');
      const row = await store.get('users', c.get('auth').orgId, id);
      return row === null ? notFound('user', id) : c.json(toUser(row), 200);
    })
    .openapi(patchUser, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'update', target_type: 'user' }, body, async (tx, auth) => {
        const patch: { name?: string | null; role_id?: string } = {};
        if (body.name !== undefined) patch.name = body.name;
        if (body.role !== undefined) patch.role_id = body.role;
        const row = Object.keys(patch).length === 0 ? await tx.get('users', auth.orgId, id) : await tx.update('users', auth.orgId, id, patch);
        return row === null ? notFound('user', id) : { status: 200 as const, body: toUser(row), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(listAudit, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.list('audit_log', c.get('auth').orgId, q);
      return c.json({ items: rows.map((r) => AuditEntry.parse(withoutOrg(r))), limit: q.limit, offset: q.offset }, 200);
    });
}

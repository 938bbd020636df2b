import { z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import { httpError } from './errors.js';

export const IdParam = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, example: '0b9c7a4e-2f1d-4c51-9e55-0a1b2c3d4e5f' }),
});

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({ param: { name: 'offset', in: 'query' } }),
});

/** Optional on every POST: same key + same body -> the first answer again; another body -> 422. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().optional().openapi({ param: { name: 'idempotency-key', in: 'header' }, description: 'Replays the first answer for the same key and body' }),
});

export const Timestamp = z.string().openapi({ description: 'ISO-8601 UTC', example: '2026-01-02T03:04:05.678Z' });
export const Json = z.unknown();
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
export const DateRange = z.object({ start: z.iso.date(), end: z.iso.date() }).strict();

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } } as const;
}

export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } } as const;
}

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), limit: z.number().int(), offset: z.number().int() });
}

export function notFound(type: string, id: string): never {
  throw httpError('NOT_FOUND', `No ${type} ${id} in this organization.`, { type, id });
}

/** Drops org_id from a row: the tenant is implicit in every answer. */
export function withoutOrg<T extends { org_id: string }>(row: T): Omit<T, 'org_id'> {
  const { org_id: _org, ...rest } = row;
  return rest;
}

/**
 * A 200 JSON response whose body the route serialized itself (hot paths), typed exactly as `c.json(value, 200)`
 * would be so the typed client sees the same shape. The caller guarantees `text` is the JSON of a `T`.
 */
export function jsonText<T>(c: Context, text: string): Response & TypedResponse<JSONParsed<T>, 200, 'json'> {
  const res: Response = c.body(text, 200, { 'content-type': 'application/json' });
  return res as Response & TypedResponse<JSONParsed<T>, 200, 'json'>;
}

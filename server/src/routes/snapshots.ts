import { OpenAPIHono, z } from '@hono/zod-openapi';
import { SigmatiqError } from '../engine.js';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AppDeps } from '../deps.js';
import { DateRange, IdParam, IdempotencyHeaders, ListQuery, Timestamp, jsonBody, jsonResponse, listOf, notFound, withoutOrg } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { addHash } from '../lineage/record.js';

export const DataSnapshotCreate = z
  .object({
    name: z.string().min(1).max(200),
    uri: z.string().min(1).max(4096).openapi({ description: 'Absolute path of the frozen snapshot file; the sidecar hashes its bytes' }),
    date_range: DateRange,
    data_source_version: z.string().min(1).max(200),
    data_hash: z.string().regex(/^[0-9a-f]{64}$/).optional().openapi({
      description: "The engine's data hash of the snapshot's normalized bars (its files are <data_hash>.parquet/.json). Verified here with the engine: the file must be named by it and its content must hash to it (else 422 DATA_HASH_MISMATCH)",
    }),
  })
  .strict()
  .openapi('DataSnapshotCreate');
export const DataSnapshot = z
  .object({
    id: z.string(), name: z.string(), uri: z.string(), date_range: z.object({ start: z.string(), end: z.string() }),
    data_source_version: z.string(), hash: z.string(), size_bytes: z.number().int(),
    data_hash: z.string().nullable().openapi({ description: "The engine's content hash (null for snapshots registered without it)" }),
    created_at: Timestamp,
  })
  .openapi('DataSnapshot');

/**
 * Checks that `uri` is the engine snapshot named by `dataHash` and that its bars hash to it (the engine recomputes the
 * hash of the normalized content while loading). A hash from the client is never stored unverified.
 */
export async function verifyDataHash(uri: string, dataHash: string): Promise<void> {
  const mismatch = (why: string, cause?: unknown): SigmatiqError =>
    new SigmatiqError('DATA_HASH_MISMATCH', `data_hash does not match the snapshot file: ${why}`, { field: 'data_hash', uri }, cause === undefined ? undefined : { cause });
  if (path.basename(uri) !== `${dataHash}.parquet`) throw mismatch(`the file is not named ${dataHash}.parquet`);
  const { loadSnapshot } = await import('@sigmatiq/engine/dist/data/snapshot.js');
  try {
    await loadSnapshot(path.dirname(uri), dataHash);
  } catch (e) {
    throw mismatch(e instanceof Error ? e.message : String(e), e);
  }
}

const tags = ['data snapshots'];
const E = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);

const create = defineRoute('data:write', {
  method: 'post', path: '/data-snapshots', tags, summary: 'Register a frozen data snapshot (hash = sha256 of its bytes, computed here)',
  request: { headers: IdempotencyHeaders, ...jsonBody(DataSnapshotCreate) }, responses: { 201: jsonResponse('Created', DataSnapshot), ...E },
});
const list = defineRoute('data:read', {
  method: 'get', path: '/data-snapshots', tags, summary: 'List data snapshots', request: { query: ListQuery },
  responses: { 200: jsonResponse('Snapshots', listOf(DataSnapshot)), ...E },
});
const get = defineRoute('data:read', {
  method: 'get', path: '/data-snapshots/{id}', tags, summary: 'Get a data snapshot', request: { params: IdParam },
  responses: { 200: jsonResponse('Snapshot', DataSnapshot), ...E },
});
const del = defineRoute('data:write', {
  method: 'delete', path: '/data-snapshots/{id}', tags, summary: 'Forget a data snapshot no sweep or run uses', request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...E },
});

/** sha256 (hex) and size of a file, streamed. */
export async function hashFile(file: string): Promise<{ hash: string; size: number }> {
  if (!path.isAbsolute(file)) throw new SigmatiqError('INVALID_PARAM', 'uri must be an absolute file path.', { field: 'uri' });
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new SigmatiqError('SNAPSHOT_FILE_NOT_FOUND', `No readable snapshot file at ${file}.`, { field: 'uri' });
  }
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return { hash: h.digest('hex'), size };
}

const toSnapshot = (r: Parameters<typeof withoutOrg>[0] & Record<string, unknown>) => DataSnapshot.parse(withoutOrg(r));

export function snapshotRoutes(deps: AppDeps) {
  const store = deps.store;
  return new OpenAPIHono<AppEnv>()
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      const { hash, size } = await hashFile(body.uri);
      if (body.data_hash !== undefined) await verifyDataHash(body.uri, body.data_hash);
      const r = await mutate(c, deps, { action: 'create', target_type: 'data_snapshot' }, body, async (tx, auth) => {
        const id = randomUUID();
        const row = await tx.insert('data_snapshots', auth.orgId, id, { ...body, hash, size_bytes: size, data_hash: body.data_hash ?? null });
        await addHash(tx, auth.orgId, { type: 'data_snapshot', id }, 'data', hash);
        if (body.data_hash !== undefined) await addHash(tx, auth.orgId, { type: 'data_snapshot', id }, 'content', body.data_hash);
        return { status: 201 as const, body: toSnapshot(row), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.list('data_snapshots', c.get('auth').orgId, q);
      return c.json({ items: rows.map(toSnapshot), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(get, async (c) => {
      const { id } = c.req.valid('param');
      const row = await store.get('data_snapshots', c.get('auth').orgId, id);
      return row === null ? notFound('data_snapshot', id) : c.json(toSnapshot(row), 200);
    })
    .openapi(del, async (c) => {
      const { id } = c.req.valid('param');
      await mutate(c, deps, { action: 'delete', target_type: 'data_snapshot' }, null, async (tx, auth) => {
        if (!(await tx.remove('data_snapshots', auth.orgId, id))) return notFound('data_snapshot', id);
        return { status: 204 as const, body: null, target_id: id };
      });
      return c.body(null, 204);
    });
}

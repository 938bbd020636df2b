/**
 * Content-addressed artifacts and trained-model records. An artifact is a JSON document (model, scaler, metadata;
 * never code) uploaded with the sha256 it claims: the sidecar hashes the UTF-8 bytes it received and refuses a
 * mismatch; uploading the same bytes again is a no-op (200 with the stored record). A trained model points at an
 * artifact of its org and links lineage: data snapshot, model version -> sweep -> combination -> trained model.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { configHash, sha256Hex } from '../engine.js';
import { artifacts } from '../db/schema.js';
import type { AppDeps } from '../deps.js';
import { IdParam, IdempotencyHeaders, ListQuery, Sha256, jsonBody, jsonResponse, jsonText, listOf, notFound, withoutOrg } from '../http/common.js';
import type { AppEnv } from '../http/env.js';
import { httpError } from '../http/errors.js';
import { mutate } from '../http/mutate.js';
import { defineRoute } from '../http/route.js';
import { errorResponses } from '../http/schemas.js';
import { addHash, addLink, comboRef } from '../lineage/record.js';
import type { Row } from '../repo/tables.js';
import { loadJob } from './training.js';
import { Artifact, TrainedModel, TrainedModelCreate } from './training-schemas.js';

const tags = ['training'];
const E = errorResponses(400, 401, 403, 404, 409, 413, 422, 429);
const UploadQuery = z.object({ sha256: Sha256.openapi({ param: { name: 'sha256', in: 'query' }, description: 'sha256 (hex) of the body bytes' }) });

const upload = defineRoute('training:write', {
  method: 'post', path: '/artifacts', tags,
  summary: 'Upload a JSON artifact by content hash (sha256 of the body bytes must equal ?sha256=; 422 ARTIFACT_HASH_MISMATCH otherwise); idempotent',
  request: { query: UploadQuery, headers: IdempotencyHeaders, ...jsonBody(z.record(z.string(), z.unknown()).openapi('ArtifactDocument')) },
  responses: { 200: jsonResponse('Already stored', Artifact), 201: jsonResponse('Stored', Artifact), ...E },
});
const listArtifacts = defineRoute('training:read', {
  method: 'get', path: '/artifacts', tags, summary: 'List artifacts (metadata only)', request: { query: ListQuery },
  responses: { 200: jsonResponse('Artifacts', listOf(Artifact)), ...E },
});
const getArtifact = defineRoute('training:read', {
  method: 'get', path: '/artifacts/{id}', tags, summary: 'The artifact\'s stored bytes, verbatim (id = its sha256)', request: { params: IdParam },
  responses: { 200: jsonResponse('Artifact document', z.record(z.string(), z.unknown())), ...E },
});
const create = defineRoute('training:write', {
  method: 'post', path: '/trained-models', tags,
  summary: 'Register a trained model of a completed training job (its artifact must be uploaded first); links lineage',
  request: { headers: IdempotencyHeaders, ...jsonBody(TrainedModelCreate) }, responses: { 201: jsonResponse('Created', TrainedModel), ...E },
});
const list = defineRoute('training:read', {
  method: 'get', path: '/trained-models', tags, summary: 'List trained models', request: { query: ListQuery },
  responses: { 200: jsonResponse('Trained models', listOf(TrainedModel)), ...E },
});
const get = defineRoute('training:read', {
  method: 'get', path: '/trained-models/{id}', tags, summary: 'Get a trained model', request: { params: IdParam },
  responses: { 200: jsonResponse('Trained model', TrainedModel), ...E },
});

const toArtifact = (r: typeof artifacts.$inferSelect) => Artifact.parse({ hash: r.hash, media_type: r.media_type, size_bytes: r.size_bytes, created_at: r.created_at });
const toModel = (r: Row<'trained_models'>) => TrainedModel.parse(withoutOrg(r));

export function trainedModelRoutes(deps: AppDeps) {
  const store = deps.store;
  return new OpenAPIHono<AppEnv>()
    .openapi(upload, async (c) => {
      const { sha256 } = c.req.valid('query');
      c.req.valid('json'); // a JSON object (validated); the hash is over the bytes as received
      const text = await c.req.text();
      const actual = sha256Hex(text);
      if (actual !== sha256) {
        throw httpError('ARTIFACT_HASH_MISMATCH', 'The sha256 of the uploaded bytes differs from the claimed hash.', { field: 'sha256', claimed: sha256, actual });
      }
      const size = Buffer.byteLength(text, 'utf8');
      const r = await mutate(c, deps, { action: 'create', target_type: 'artifact' }, { sha256 }, async (tx, auth) => {
        const [prev] = await tx.exec.select().from(artifacts).where(and(eq(artifacts.org_id, auth.orgId), eq(artifacts.hash, sha256))).limit(1);
        if (prev !== undefined) return { status: 200 as const, body: toArtifact(prev), target_id: sha256 };
        const [row] = await tx.exec.insert(artifacts).values({ org_id: auth.orgId, hash: sha256, media_type: 'application/json', size_bytes: size, content: text }).returning();
        if (row === undefined) throw new Error('artifact not stored');
        return { status: 201 as const, body: toArtifact(row), target_id: sha256 };
      });
      return r.status === 201 ? c.json(r.body, 201) : c.json(r.body, 200);
    })
    .openapi(listArtifacts, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.exec
        .select({ org_id: artifacts.org_id, hash: artifacts.hash, media_type: artifacts.media_type, size_bytes: artifacts.size_bytes, content: artifacts.media_type, created_at: artifacts.created_at })
        .from(artifacts).where(eq(artifacts.org_id, c.get('auth').orgId)).orderBy(desc(artifacts.created_at), artifacts.hash).limit(q.limit).offset(q.offset);
      return c.json({ items: rows.map(toArtifact), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(getArtifact, async (c) => {
      const { id } = c.req.valid('param');
      const [row] = await store.exec.select({ content: artifacts.content }).from(artifacts).where(and(eq(artifacts.org_id, c.get('auth').orgId), eq(artifacts.hash, id))).limit(1);
      if (row === undefined) return notFound('artifact', id);
      return jsonText<Record<string, unknown>>(c, row.content);
    })
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      const r = await mutate(c, deps, { action: 'create', target_type: 'trained_model' }, body, async (tx, auth) => {
        const job = await loadJob(tx, auth.orgId, body.training_job_id);
        if (job.status !== 'completed') {
          throw httpError('INVALID_TRANSITION', `Training job ${job.id} is ${job.status}; only a completed job has trained models.`, { status: job.status, field: 'training_job_id' });
        }
        if (!job.combo_ids.includes(body.combo_id)) {
          throw httpError('INVALID_PARAM', `Combination ${body.combo_id} was not trained by job ${job.id} (${job.combo_ids.join(', ')}).`, { field: 'combo_id', combo_ids: job.combo_ids });
        }
        const [art] = await tx.exec.select({ hash: artifacts.hash }).from(artifacts).where(and(eq(artifacts.org_id, auth.orgId), eq(artifacts.hash, body.artifact_hash))).limit(1);
        if (art === undefined) return notFound('artifact', body.artifact_hash);
        const [dup] = await tx.list('trained_models', auth.orgId, { limit: 1, offset: 0, where: { artifact_hash: body.artifact_hash } });
        if (dup !== undefined) throw httpError('CONFLICT', 'A trained model with this artifact exists; reuse it.', { trained_model_id: dup.id, artifact_hash: body.artifact_hash });
        const snap = await tx.get('data_snapshots', auth.orgId, job.data_snapshot_id);
        if (snap === null) return notFound('data_snapshot', job.data_snapshot_id);
        const config_hash = configHash({ training_config_hash: job.config_hash, combo_id: body.combo_id });
        const id = randomUUID();
        const row = await tx.insert('trained_models', auth.orgId, id, {
          training_job_id: job.id, model_id: job.model_id, sweep_id: job.sweep_id, combo_id: body.combo_id, artifact_hash: body.artifact_hash,
          config_hash, data_snapshot_id: job.data_snapshot_id, status: 'ready', metadata: body.metadata ?? null,
        });
        const combo = comboRef(job.sweep_id, body.combo_id);
        const me = { type: 'trained_model' as const, id };
        // The whole chain, each edge idempotent: data snapshot and model version -> sweep -> combination -> trained model.
        await addLink(tx, auth.orgId, { type: 'model_version', id: job.model_version_id }, { type: 'sweep', id: job.sweep_id });
        const sweep = await tx.get('sweeps', auth.orgId, job.sweep_id);
        if (sweep !== null) await addLink(tx, auth.orgId, { type: 'data_snapshot', id: sweep.data_snapshot_id }, { type: 'sweep', id: job.sweep_id });
        await addLink(tx, auth.orgId, { type: 'sweep', id: job.sweep_id }, combo);
        await addLink(tx, auth.orgId, combo, me);
        await addLink(tx, auth.orgId, { type: 'training_job', id: job.id }, me);
        await addHash(tx, auth.orgId, me, 'artifact', body.artifact_hash);
        await addHash(tx, auth.orgId, me, 'config', config_hash);
        return { status: 201 as const, body: toModel(row), target_id: id };
      });
      return c.json(r.body, r.status);
    })
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const rows = await store.list('trained_models', c.get('auth').orgId, q);
      return c.json({ items: rows.map(toModel), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(get, async (c) => {
      const { id } = c.req.valid('param');
      const row = await store.get('trained_models', c.get('auth').orgId, id);
      return row === null ? notFound('trained_model', id) : c.json(toModel(row), 200);
    });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { discoverSidecar } from './discover.js';
import { startSidecar, type RunningSidecar } from './sidecar.js';
import { samplePack } from './testing/fixtures.js';

let dir: string;
let sidecar: RunningSidecar;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sq-client-'));
  sidecar = await startSidecar({ dataDir: dir, port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await sidecar.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('typed client over real HTTP', () => {
  it('finds the key through discoverSidecar and drives the API with typed calls', async () => {
    const found = discoverSidecar(dir);
    expect(found.key).toMatch(/^sq_/);
    const client = createClient(`${sidecar.url}/`, found.key);
    const health = await client.health.$get();
    expect(health.status).toBe(200);
    expect((await health.json()).status).toBe('healthy');
    const created = await client.v1.packs.$post({ json: samplePack('client') as Parameters<typeof client.v1.packs.$post>[0]['json'], header: {} });
    expect(created.status).toBe(201);
    if (created.status !== 201) return;
    const pack = await created.json();
    const got = await client.v1.packs[':id'].$get({ param: { id: pack.id } });
    expect(got.status).toBe(200);
    if (got.status === 200) expect((await got.json()).content_hash).toBe(pack.content_hash);
    const anonymous = createClient(sidecar.url, null);
    expect((await anonymous.v1.packs.$get({ query: {} })).status).toBe(401);
  });
});

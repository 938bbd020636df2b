import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../testing/harness.js';
import { samplePack } from '../testing/fixtures.js';

describe('proxy CSRF guard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
  });
  afterAll(() => t.close());

  const post = (headers: Record<string, string>) =>
    t.app.request('/v1/packs', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(samplePack(`p-${Object.keys(headers).join('-') || 'none'}`)),
    });

  it('refuses a proxied mutation without the extension header (403 CSRF_HEADER_REQUIRED), before anything is written', async () => {
    const res = await post({ 'x-sigmatiq-proxy': 'jupyter-server-proxy' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('CSRF_HEADER_REQUIRED');
    const list = (await (await t.app.request('/v1/packs', { headers: { authorization: `Bearer ${t.adminKey}` } })).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(0);
  });

  it('accepts a proxied mutation with the header, a direct one without it, and proxied reads', async () => {
    expect((await post({ 'x-sigmatiq-proxy': 'jupyter-server-proxy', 'x-sigmatiq-client': 'jupyterlab' })).status).toBe(201);
    expect((await post({})).status).toBe(201);
    const read = await t.app.request('/v1/packs', { headers: { authorization: `Bearer ${t.adminKey}`, 'x-sigmatiq-proxy': 'jupyter-server-proxy' } });
    expect(read.status).toBe(200);
  });
});

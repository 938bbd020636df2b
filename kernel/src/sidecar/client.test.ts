import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectSidecar, expectOk } from './client.js';
import { SidecarLocator } from './locate.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sq-kclient-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A port nobody listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  await new Promise<void>((r) => srv.close(() => r()));
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

describe('connectSidecar', () => {
  it('SIDECAR_UNAVAILABLE with how to start it when no sidecar is found', async () => {
    const locator = new SidecarLocator({ SIGMATIQ_DATA_DIR: dir }, dir);
    await expect(connectSidecar(locator)).rejects.toMatchObject({ code: 'SIDECAR_UNAVAILABLE', message: expect.stringContaining('npx sigmatiq server') as unknown });
  });
  it('SIDECAR_UNAVAILABLE when the URL does not answer', async () => {
    const port = await closedPort();
    const locator = new SidecarLocator({ SIGMATIQ_DATA_DIR: dir, SIGMATIQ_URL: `http://127.0.0.1:${port}`, SIGMATIQ_API_KEY: 'k' }, dir);
    await expect(connectSidecar(locator, 500)).rejects.toMatchObject({ code: 'SIDECAR_UNAVAILABLE', details: { url: `http://127.0.0.1:${port}` } });
  });
});

describe('expectOk', () => {
  const res = (ok: boolean, status: number, body: unknown) => ({ ok, status, json: () => Promise.resolve(body) });
  it('returns the body of a 2xx answer', async () => {
    await expect(expectOk(res(true, 200, { a: 1 }), 'get')).resolves.toEqual({ a: 1 });
  });
  it("rethrows the sidecar's error code, message and details", async () => {
    await expect(expectOk(res(false, 409, { code: 'CONFLICT', message: 'dup', details: { field: 'hash' } }), 'register')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'sidecar: register failed: dup',
      details: { status: 409, field: 'hash' },
    });
  });
  it('HTTP_<status> when the body is not an error document', async () => {
    await expect(expectOk({ ok: false, status: 502, json: () => Promise.reject(new Error('not json')) }, 'x')).rejects.toMatchObject({ code: 'HTTP_502' });
  });
});

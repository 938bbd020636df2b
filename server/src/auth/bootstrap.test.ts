import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapDatabase } from '../bootstrap.js';
import { createApp } from '../app.js';
import { call } from '../testing/world.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'sq-boot-'));
  dirs.push(d);
  return d;
}

describe('first start', () => {
  it('writes a working platform-admin key to admin.key (0600) and keeps it across restarts', async () => {
    const dir = tmp();
    const first = await bootstrapDatabase({ dataDir: dir, version: 'test' });
    const file = path.join(dir, 'admin.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readFileSync(file, 'utf8').trim();
    expect(key).toBe(first.adminKey);
    expect(key).toMatch(/^sq_[A-Za-z0-9_-]{16}_[A-Za-z0-9_-]{43}$/);
    const app = createApp(first.deps);
    const org = (await (await call(app, key, 'GET', '/v1/org')).json()) as { key: { scopes: string[] }; org: { plan_tier: string } };
    expect(org.key.scopes).toContain('platform:admin');
    expect(org.org.plan_tier).toBe('pro');
    first.deps.db.close();
    const second = await bootstrapDatabase({ dataDir: dir, version: 'test' });
    expect(second.adminKey).toBe(key);
    second.deps.db.close();
  });

  it('stores only the sha256 of keys', async () => {
    const dir = tmp();
    const b = await bootstrapDatabase({ dataDir: dir, version: 'test' });
    const rows = await b.deps.db.client.execute('SELECT hash FROM api_keys');
    const dump = JSON.stringify(rows.rows);
    expect(dump).not.toContain(b.adminKey);
    expect(dump).not.toContain(b.adminKey.slice(20)); // sq_ + 16-char key id + _ = 20 chars before the secret
    b.deps.db.close();
  });

  it('replaces an admin.key this database does not know', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'admin.key'), `sq_${'A'.repeat(16)}_${'B'.repeat(43)}\n`);
    const b = await bootstrapDatabase({ dataDir: dir, version: 'test' });
    expect(readFileSync(path.join(dir, 'admin.key'), 'utf8').trim()).toBe(b.adminKey);
    expect(b.adminKey).not.toContain('AAAA');
    b.deps.db.close();
  });
});

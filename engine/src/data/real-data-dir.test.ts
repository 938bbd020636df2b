/**
 * realDataDir's look-up order on made-up folder trees (hand-built: each case names the folder it
 * must return).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { realDataDir } from './real-data.js';

const top = mkdtempSync(join(tmpdir(), 'sq-realdir-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

/** <top>/<name>/{work/main, shared/data/real} and a clone elsewhere whose origin is work/main. */
function tree(name: string, originUrl: (main: string) => string): { main: string; clone: string; data: string } {
  const base = join(top, name);
  const main = join(base, 'work', 'main');
  const data = join(base, 'work', 'shared', 'data', 'real');
  const clone = join(base, 'tmp', 'fresh');
  mkdirSync(main, { recursive: true });
  mkdirSync(data, { recursive: true });
  mkdirSync(join(clone, '.git'), { recursive: true });
  writeFileSync(join(clone, '.git', 'config'), `[core]\n\tbare = false\n[remote "origin"]\n\turl = ${originUrl(main)}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n\tremote = origin\n`);
  return { main, clone, data };
}

describe('realDataDir', () => {
  it('prefers $SIGMATIQ_SHARED_DIR, then the folder beside the checkout', () => {
    const t = tree('a', (m) => m);
    expect(realDataDir({ SIGMATIQ_SHARED_DIR: join(top, 'elsewhere') }, t.clone)).toBe(join(top, 'elsewhere', 'data', 'real'));
    expect(realDataDir({}, t.main)).toBe(t.data);
  });

  it('finds the folder beside the repository a local clone came from (path, path/., file: URL)', () => {
    for (const [name, url] of [['b', (m: string) => m], ['c', (m: string) => `${m}/.`], ['d', (m: string) => pathToFileURL(m).href]] as const) {
      const t = tree(name, url);
      expect(realDataDir({}, t.clone), name).toBe(t.data);
    }
  });

  it('falls back to <repo>/../shared/data/real for a remote origin or no git config', () => {
    const t = tree('e', () => 'https://example.invalid/sigmatiq.git');
    expect(realDataDir({}, t.clone)).toBe(join(top, 'e', 'tmp', 'shared', 'data', 'real'));
    const bare = join(top, 'f', 'repo');
    mkdirSync(bare, { recursive: true });
    expect(realDataDir({}, bare)).toBe(join(top, 'f', 'shared', 'data', 'real'));
  });
});

import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPacksDir, listPacks, loadPack, resolvePackFile } from './registry.js';

const PACKS = resolve(__dirname, '../../../packs');

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

describe('pack registry', () => {
  afterEach(() => {
    delete process.env.SIGMATIQ_PACKS_DIR;
  });

  it('the default folder is the repository packs/ folder', () => {
    expect(defaultPacksDir()).toBe(PACKS);
  });

  it('listPacks lists every shipped pack, sorted by file name', () => {
    const list = listPacks();
    expect(list.map((l) => l.pack_id)).toEqual(['futures-trend', 'fx-intraday-mean-reversion', 'index-mean-reversion', 'swing']);
    expect(list.find((l) => l.pack_id === 'swing')).toMatchObject({
      name: 'Swing Trading',
      version: '1.0.0',
      style: 'swing',
      strategies: ['momentum_swing', 'mean_reversion_swing', 'breakout_swing'],
    });
    expect(list.every((l) => l.error === undefined)).toBe(true);
  });

  it('loadPack resolves an id against the packs folder, or loads a path', () => {
    expect(loadPack('futures-trend').pack.default_strategy).toBe('time_series_momentum');
    const byPath = loadPack(join(PACKS, 'swing.yaml'));
    expect(byPath.pack.pack_id).toBe('swing');
    expect(byPath.source.file).toBe(join(PACKS, 'swing.yaml'));
    expect(codeOf(() => loadPack('no-such-pack'))).toBe('PACK_NOT_FOUND');
    expect(codeOf(() => loadPack('./missing.yaml'))).toBe('PACK_NOT_FOUND');
    expect(codeOf(() => loadPack('Bad Id'))).toBe('PACK_NOT_FOUND');
    expect(resolvePackFile('swing')).toBe(join(PACKS, 'swing.yaml'));
  });

  it('a folder with a broken file: listPacks reports it, loadPack throws its code; SIGMATIQ_PACKS_DIR overrides the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'packs-'));
    copyFileSync(join(PACKS, 'swing.yaml'), join(dir, 'swing.yaml'));
    copyFileSync(join(PACKS, 'swing.yaml'), join(dir, 'other.yaml'));
    writeFileSync(join(dir, 'bad.yaml'), 'pack_id: bad\n  name: x\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a pack');
    process.env.SIGMATIQ_PACKS_DIR = dir;
    const list = listPacks();
    expect(list.map((l) => [l.file.slice(dir.length + 1), l.pack_id ?? l.error?.split(':')[0]])).toEqual([
      ['bad.yaml', 'PACK_YAML'],
      ['other.yaml', 'swing'],
      ['swing.yaml', 'swing'],
    ]);
    expect(codeOf(() => loadPack('bad'))).toBe('PACK_YAML');
    // other.yaml declares pack_id swing
    expect(codeOf(() => loadPack('other'))).toBe('PACK_ID_MISMATCH');
  });
});

import { loadPack } from '@sigmatiq/engine';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packCreateBody, PackValidation } from '../notebook/packs.js';
import { SidecarLocator } from '../sidecar/locate.js';
import { builtinMagics } from './index.js';
import { packMagic } from './pack.js';
import type { MagicContext } from './registry.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sq-packmagic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx = (args: string[]): MagicContext => ({
  name: 'pack', args, body: undefined, signal: new AbortController().signal,
  out: { stream: () => undefined, display: () => undefined, clear: () => undefined },
  kernel: { versions: {}, registry: builtinMagics(), sidecar: new SidecarLocator({ SIGMATIQ_DATA_DIR: dir }, dir) },
});

describe('%pack arguments and outputs', () => {
  it.each([
    [[], /needs a sub-command/],
    [['nope'], /unknown sub-command "nope"/],
    [['show'], /show needs <id>/],
    [['list', 'x'], /unexpected argument "x"/],
    [['validate'], /validate needs <file\|id>/],
    [['validate', 'swing', '--data'], /--data needs a value/],
    [['validate', 'swing', '--bogus'], /unknown flag --bogus/],
  ])('%%pack %j -> MAGIC_USAGE', async (args, message) => {
    await expect(packMagic.run(ctx(args))).rejects.toMatchObject({ code: 'MAGIC_USAGE', message: expect.stringMatching(message) as unknown });
  });
  it('PACK_NOT_FOUND for an unknown pack', async () => {
    await expect(packMagic.run(ctx(['show', 'no-such-pack']))).rejects.toMatchObject({ code: 'PACK_NOT_FOUND' });
  });
  it('lists the repository packs and shows one as HTML tables (no sidecar needed)', async () => {
    const list = await packMagic.run(ctx(['list']));
    expect(list?.data['text/plain']).toMatch(/swing\s+Swing Trading/);
    const show = await packMagic.run(ctx(['show', 'swing']));
    const html = String(show?.data['text/html']);
    for (const caption of ['Vibe', 'Indicators', 'Strategies', 'Gates']) expect(html).toContain(`<caption>${caption}</caption>`);
    expect(html).toContain('<td>rsi</td>');
  });
  it('validate needs a sidecar for a pack that parses: SIDECAR_UNAVAILABLE', async () => {
    await expect(packMagic.run(ctx(['validate', 'swing']))).rejects.toMatchObject({ code: 'SIDECAR_UNAVAILABLE' });
  });
});

describe('packCreateBody', () => {
  const swing = loadPack('swing').pack;
  it('drops the engine-only vibe style and keeps the whole pack as spec', () => {
    const made = packCreateBody(swing);
    if (!('body' in made)) throw new Error(made.error);
    expect(made.body.metadata.vibe).not.toHaveProperty('style');
    expect(made.body.spec['pack_id']).toBe('swing');
    expect(made.body.name).toBe('swing');
  });
  it('registers fx and crypto packs as they are (the sidecar accepts every engine instrument kind since migration 0004)', () => {
    const made = packCreateBody({ ...swing, supported_instruments: ['fx'], default_instrument: 'fx' });
    expect('body' in made && [made.body.supported_instruments, made.body.default_instrument]).toEqual([['fx'], 'fx']);
    const both = packCreateBody({ ...swing, supported_instruments: ['fx', 'crypto'], default_instrument: 'crypto' });
    expect('body' in both && both.body.default_instrument).toBe('crypto');
  });
});

describe('PackValidation display', () => {
  it('one row per issue with line:col, errors first', () => {
    const v = new PackValidation(
      {
        pack_id: 'p', version: '1.0.0', status: 'FAIL',
        errors: [{ code: 'PACK_SCHEMA', message: 'bad', path: 'version', line: 4, col: 10 }],
        warnings: [{ code: 'PACK_UNUSED_INDICATOR', message: 'none', path: 'strategies[0]' }],
      },
      'p.yaml',
      { registered: false, reason: 'test' },
    );
    expect(v.rows()).toEqual([
      { severity: 'error', code: 'PACK_SCHEMA', message: 'bad', path: 'version', 'line:col': '4:10' },
      { severity: 'warning', code: 'PACK_UNUSED_INDICATOR', message: 'none', path: 'strategies[0]', 'line:col': '' },
    ]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DisplayOutput } from '../display/mime.js';
import { SidecarLocator } from '../sidecar/locate.js';
import { dataMagic } from './data.js';
import { builtinMagics } from './index.js';
import type { MagicContext } from './registry.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sq-datamagic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ctx(args: string[]): MagicContext {
  const shown: DisplayOutput[] = [];
  return {
    name: 'data',
    args,
    body: undefined,
    out: { stream: () => undefined, display: (o) => shown.push(o), clear: () => undefined },
    signal: new AbortController().signal,
    kernel: { versions: {}, registry: builtinMagics(), sidecar: new SidecarLocator({ SIGMATIQ_DATA_DIR: dir }, dir) },
  };
}

describe('%data arguments', () => {
  it('is registered', () => {
    expect(builtinMagics().resolve('data', 'line')).toBe(dataMagic);
  });
  it.each([
    [[], /needs a sub-command/],
    [['frobnicate'], /unknown sub-command "frobnicate"/],
    [['import'], /import needs <file>/],
    [['import', 'a.csv', 'b.csv'], /unexpected argument "b.csv"/],
    [['import', 'a.csv', '--bogus', 'x'], /unknown flag --bogus/],
    [['import', 'a.csv', '--symbol'], /--symbol needs a value/],
    [['import', 'a.csv', '--symbol', 'A', '--symbol', 'B'], /--symbol given more than once/],
    [['list', 'extra'], /unexpected argument "extra"/],
    [['show'], /show needs <snapshot>/],
  ])('%%data %j -> MAGIC_USAGE', async (args, message) => {
    const err = await dataMagic.run(ctx(args)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MAGIC_USAGE', message: expect.stringMatching(message) as unknown });
    expect((err as Error).message).toContain('Usage: %data import');
  });
  it('SIDECAR_UNAVAILABLE (before writing a snapshot) when no sidecar runs', async () => {
    await expect(dataMagic.run(ctx(['import', path.join(dir, 'x.csv')]))).rejects.toMatchObject({ code: 'SIDECAR_UNAVAILABLE' });
    await expect(dataMagic.run(ctx(['list']))).rejects.toMatchObject({ code: 'SIDECAR_UNAVAILABLE' });
  });
  it('DATA_SNAPSHOT_NOT_FOUND for an unknown snapshot', async () => {
    await expect(dataMagic.run(ctx(['show', 'abcdef']))).rejects.toMatchObject({ code: 'DATA_SNAPSHOT_NOT_FOUND' });
  });
});

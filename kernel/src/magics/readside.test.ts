import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SidecarLocator } from '../sidecar/locate.js';
import { builtinMagics } from './index.js';
import { leaderboardMagic } from './leaderboard.js';
import { lineageMagic } from './lineage.js';
import type { Magic, MagicContext } from './registry.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sq-readmagic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ctx(name: string, args: string[]): MagicContext {
  return {
    name, args, body: undefined,
    out: { stream: () => undefined, display: () => undefined, clear: () => undefined },
    signal: new AbortController().signal,
    kernel: { versions: {}, registry: builtinMagics(), sidecar: new SidecarLocator({ SIGMATIQ_DATA_DIR: dir }, dir) },
  };
}

async function usage(magic: Magic, args: string[]): Promise<unknown> {
  return magic.run(ctx(magic.name, args)).catch((e: unknown) => e);
}

describe('%leaderboard and %lineage arguments', () => {
  it('are registered with help text', () => {
    expect(builtinMagics().resolve('leaderboard', 'line')).toBe(leaderboardMagic);
    expect(builtinMagics().resolve('lineage', 'line')).toBe(lineageMagic);
    expect(leaderboardMagic.help).toContain('sq.leaderboard');
    expect(lineageMagic.help).toContain('sq.lineage');
  });
  it.each([
    [['a', 'b'], /unexpected argument "b"/],
    [['--top', '0'], /--top must be an integer in \[1, 1000\], got "0"/],
    [['--top', '2.5'], /--top must be an integer/],
    [['--top', '1001'], /--top must be an integer/],
    [['--gate', 'PASS,GOOD'], /--gate takes PASS, MARGINAL, FAIL/],
    [['--gate', ','], /--gate takes/],
    [['--heatmap', 'fast'], /--heatmap takes two parameter names/],
    [['--heatmap', 'a,b,c'], /--heatmap takes two parameter names/],
    [['--bogus'], /unknown flag --bogus/],
    [['--top'], /--top needs a value/],
  ])('%%leaderboard %j -> MAGIC_USAGE', async (args, message) => {
    const err = await usage(leaderboardMagic, args);
    expect(err).toMatchObject({ code: 'MAGIC_USAGE', message: expect.stringMatching(message) as unknown });
    expect((err as Error).message).toContain('Usage: %leaderboard');
  });
  it.each([
    [[], /needs <type>/],
    [['widget', 'x'], /unknown type "widget"/],
    [['sweep'], /needs <id> after sweep/],
    [['sweep', 'a', 'b'], /unexpected argument "b"/],
    [['sweep', 'a', '--direction', 'sideways'], /--direction must be both, up or down/],
    [['sweep', 'a', '--depth', '0'], /--depth must be an integer in \[1, 50\]/],
    [['sweep', 'a', '--depth', '51'], /--depth must be an integer/],
  ])('%%lineage %j -> MAGIC_USAGE', async (args, message) => {
    const err = await usage(lineageMagic, args);
    expect(err).toMatchObject({ code: 'MAGIC_USAGE', message: expect.stringMatching(message) as unknown });
  });
  it('SIDECAR_UNAVAILABLE when no sidecar runs (valid arguments)', async () => {
    await expect(leaderboardMagic.run(ctx('leaderboard', []))).rejects.toMatchObject({ code: 'SIDECAR_UNAVAILABLE' });
    await expect(lineageMagic.run(ctx('lineage', ['sweep', 'latest']))).rejects.toMatchObject({ code: 'SIDECAR_UNAVAILABLE' });
  });
});

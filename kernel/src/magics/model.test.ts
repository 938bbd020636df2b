import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SidecarLocator } from '../sidecar/locate.js';
import { backtestMagic } from './backtest.js';
import { builtinMagics } from './index.js';
import { listFlag, modelMagic } from './model.js';
import type { Magic, MagicContext } from './registry.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sq-modelmagic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// No sidecar here: every case below must fail on its arguments before any sidecar call.
const ctx = (name: string, args: string[], body?: string): MagicContext => ({
  name, args, body, signal: new AbortController().signal,
  out: { stream: () => undefined, display: () => undefined, clear: () => undefined },
  kernel: { versions: {}, registry: builtinMagics(), sidecar: new SidecarLocator({ SIGMATIQ_DATA_DIR: dir }, dir) },
});
const run = (m: Magic, args: string[], body?: string) => m.run(ctx(m.name, args, body));

describe('%model arguments', () => {
  it.each([
    [[], /needs a sub-command/],
    [['drop', 'x'], /unknown sub-command "drop"/],
    [['create'], /create needs <name>/],
    [['create', 'm', '--strategy', 'momentum_swing'], /create needs --pack P/],
    [['create', 'm', '--pack', 'swing'], /create needs --strategy S/],
    [['create', 'm', 'extra', '--pack', 'swing', '--strategy', 's'], /unexpected argument "extra"/],
    [['create', 'm', '--pack', 'swing', '--strategy', 's', '--bogus', '1'], /unknown flag --bogus/],
    [['show'], /show needs <name>/],
    [['show', 'm', '--version', '0'], /--version must be an integer >= 1/],
    [['versions'], /versions needs <name>/],
  ])('%%model %j -> MAGIC_USAGE', async (args, message) => {
    await expect(run(modelMagic, args)).rejects.toMatchObject({ code: 'MAGIC_USAGE', message: expect.stringMatching(message) as unknown });
  });
  it.each([
    [['--set', 'exit_k'], 'MODEL_SET_INVALID'],
    [['--set', 'exit_k=high'], 'MODEL_SET_INVALID'],
    [['--set', 'bogus=1'], 'MODEL_PARAM_UNKNOWN'],
    [['--set', 'exit_k=200'], 'MODEL_PARAM_INVALID'],
    [['--set', 'risk.stop_loss=-0.1'], 'MODEL_PARAM_INVALID'],
    [['--indicators', 'stoch,nope'], 'MODEL_INDICATOR_UNKNOWN'],
    [['--indicators', 'rsi'], 'MODEL_INDICATOR_MISSING'],
  ])('create with %j -> %s before any sidecar call', async (extra, code) => {
    await expect(run(modelMagic, ['create', 'm', '--pack', 'swing', '--strategy', 'mean_reversion_swing', ...extra])).rejects.toMatchObject({ code });
  });
  it('unknown pack and strategy', async () => {
    await expect(run(modelMagic, ['create', 'm', '--pack', 'nope', '--strategy', 's'])).rejects.toMatchObject({ code: 'PACK_NOT_FOUND' });
    await expect(run(modelMagic, ['create', 'm', '--pack', 'swing', '--strategy', 'nope'])).rejects.toMatchObject({ code: 'MODEL_STRATEGY_UNKNOWN' });
  });
  it('%%model: one name, a YAML body, located schema errors', async () => {
    await expect(run(modelMagic, [], 'pack: swing')).rejects.toMatchObject({ code: 'MAGIC_USAGE', message: expect.stringMatching(/exactly one <name>/) as unknown });
    await expect(run(modelMagic, ['m'], '  \n')).rejects.toMatchObject({ code: 'MAGIC_USAGE', message: expect.stringMatching(/needs a YAML body/) as unknown });
    // `strategee:` is on line 3, column 1 of the body.
    await expect(run(modelMagic, ['m'], 'pack: swing\nstrategy: mean_reversion_swing\nstrategee: x\n')).rejects.toMatchObject({ code: 'MODEL_SCHEMA', message: expect.stringMatching(/^%%model m:3:1: strategee: unknown field/) as unknown });
  });
  it('a valid model needs the sidecar: SIDECAR_UNAVAILABLE', async () => {
    await expect(run(modelMagic, ['create', 'm', '--pack', 'swing', '--strategy', 'mean_reversion_swing', '--set', 'exit_k=85'])).rejects.toMatchObject({ code: 'SIDECAR_UNAVAILABLE' });
  });
  it('listFlag splits repeated and comma-separated values', () => {
    expect(listFlag({ set: ['a=1,b=2', ' c=3 '] }, 'set')).toEqual(['a=1', 'b=2', 'c=3']);
    expect(listFlag({ set: 'a=1' }, 'set')).toEqual(['a=1']);
    expect(listFlag({}, 'set')).toBeUndefined();
  });
});

describe('%backtest arguments', () => {
  it.each([
    [[], /needs <model>/],
    [['a', 'b'], /unexpected argument "b"/],
    [['m', '--from'], /--from needs a value/],
    [['m', '--version', 'x'], /--version must be an integer/],
  ])('%%backtest %j -> MAGIC_USAGE', async (args, message) => {
    await expect(run(backtestMagic, args)).rejects.toMatchObject({ code: 'MAGIC_USAGE', message: expect.stringMatching(message) as unknown });
  });
});

describe('%help text', () => {
  it.each(['model', 'backtest', 'sweep'])('%%help %s names the usage and the notebook API', async (name) => {
    const out = await builtinMagics().resolve('help', 'line').run(ctx('help', [name]));
    expect(out?.data['text/plain']).toContain(`%${name}`);
    expect(out?.data['text/plain']).toContain('Notebook API: ');
  });
});

describe('instrumentNotes', () => {
  it('notes a model instrument that is not the data symbol (case-insensitive), nothing otherwise', async () => {
    const { instrumentNotes } = await import('../notebook/backtest.js');
    expect(instrumentNotes('spx', 'SPX')).toEqual([]);
    expect(instrumentNotes(undefined, 'SPX')).toEqual([]);
    expect(instrumentNotes('EURUSD', 'SPX')).toEqual(["the model's instrument is EURUSD but the data's symbol is SPX"]);
  });
});

import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { configHash } from '../hash/index.js';
import { loadPack, resolveStrategy } from '../packs/index.js';
import { applySets, modelConfig, modelConfigHash, modelToYaml, packContentHash, parseModelYaml, parseSet, pinModel, resolveModel } from './index.js';

const swing = loadPack('swing').pack;
const base = modelConfig({ name: 'swing-mom', pack: 'swing', strategy: 'momentum_swing' });

describe('parseModelYaml', () => {
  it('parses, accepts the pack shorthand and normalizes key order', () => {
    const m = parseModelYaml('strategy: momentum_swing\npack: swing\nname: m1\nparams: { rsi.period: 10, exit_k: 80 }\nrisk: { stop_loss: 0.05 }\nindicators: [macd, adx]\n');
    expect(m).toEqual({ name: 'm1', pack: { id: 'swing' }, strategy: 'momentum_swing', indicators: ['adx', 'macd'], params: { exit_k: 80, 'rsi.period': 10 }, risk: { stop_loss: 0.05 } });
    expect(Object.keys(m)).toEqual(['name', 'pack', 'strategy', 'indicators', 'params', 'risk']);
  });
  it('takes the name from the options when the YAML has none; a different name is MODEL_NAME_MISMATCH at its line', () => {
    expect(parseModelYaml('pack: swing\nstrategy: momentum_swing\n', { name: 'cell' }).name).toBe('cell');
    expect(() => parseModelYaml('pack: swing\nname: other\nstrategy: x\n', { name: 'cell' })).toThrow(expect.objectContaining({ code: 'MODEL_NAME_MISMATCH', details: expect.objectContaining({ line: 2, col: 7 }) as unknown }));
  });
  it('MODEL_YAML with the line and column of a syntax error', () => {
    // Line 2 opens a flow map that is never closed: the parser reports it where the document ends (line 3, column 1).
    expect(() => parseModelYaml('name: m\npack: { id: swing\n', { file: 'm.yaml' })).toThrow(expect.objectContaining({ code: 'MODEL_YAML', message: expect.stringMatching(/^m\.yaml:3:1: YAML BAD_INDENT/) as unknown }));
  });
  it('MODEL_SCHEMA locates an unknown field (hand-checked: `bogus:` is line 3, column 1) and a bad value', () => {
    const text = 'name: m\npack: swing\nbogus: 1\nstrategy: momentum_swing\n';
    expect(() => parseModelYaml(text, { file: 'm.yaml' })).toThrow(expect.objectContaining({ code: 'MODEL_SCHEMA', message: "m.yaml:3:1: bogus: unknown field 'bogus'" }));
    // `rsi.period: ten` -> the value node, line 3 column 23 ("params: { rsi.period: " is 22 characters).
    expect(() => parseModelYaml('name: m\npack: swing\nparams: { rsi.period: ten }\nstrategy: s\n')).toThrow(expect.objectContaining({ code: 'MODEL_SCHEMA', details: expect.objectContaining({ line: 3, col: 23, path: 'params.rsi.period' }) as unknown }));
  });
  it('names a missing required field and rejects policy keys under params', () => {
    expect(() => parseModelYaml('name: m\npack: swing\n')).toThrow(/strategy: required field is missing/);
    expect(() => parseModelYaml('name: m\npack: swing\nstrategy: s\nparams: { risk.stop_loss: 0.1 }\n')).toThrow(/put it under risk:/);
  });
});

describe('modelToYaml / modelConfigHash', () => {
  it('the hash equals the sidecar computation: configHash of the parsed YAML (independent yaml parse)', () => {
    const m = applySets(pinModel(base, swing), ['rsi.period=10', 'risk.stop_loss=0.05', 'exit_k=85']);
    const yaml = modelToYaml(m);
    expect(configHash(parseYaml(yaml))).toBe(modelConfigHash(m));
    expect(parseModelYaml(yaml)).toEqual(m);
  });
  it('does not depend on key or list order', () => {
    const a = modelConfig({ name: 'x', pack: 'swing', strategy: 's', indicators: ['b', 'a'], params: { z: 1, a: 2 } });
    const b = modelConfig({ params: { a: 2, z: 1 }, indicators: ['a', 'b'], strategy: 's', pack: { id: 'swing' }, name: 'x' });
    expect(modelConfigHash(a)).toBe(modelConfigHash(b));
  });
});

describe('parseSet / applySets', () => {
  it.each(['x', '=1', 'k=', 'k=abc', 'k=Infinity', 'k=1e400'])('MODEL_SET_INVALID for %j', (t) => {
    expect(() => parseSet(t)).toThrow(expect.objectContaining({ code: 'MODEL_SET_INVALID' }));
  });
  it('routes policy keys to their section and the rest to params', () => {
    const m = applySets(base, ['exec.slippage_bps=2', 'sizing.cap=0.04', 'adx_threshold=20', 'rsi.period=9']);
    expect(m).toMatchObject({ params: { adx_threshold: 20, 'rsi.period': 9 }, exec: { slippage_bps: 2 }, sizing: { cap: 0.04 } });
  });
});

describe('resolveModel', () => {
  it('gives the same strategy as resolveStrategy with the flat overrides (oracle: the packs resolver)', () => {
    const m = applySets(pinModel(base, swing), ['adx_threshold=20', 'ema_fast.period=10', 'risk.stop_loss=0.05']);
    const r = resolveModel(m, swing);
    expect(r.overrides).toEqual({ adx_threshold: 20, 'ema_fast.period': 10, 'risk.stop_loss': 0.05 });
    expect(r.strategy).toEqual(resolveStrategy(swing, 'momentum_swing', r.overrides));
    expect(r.backtest.config?.stopLoss).toBe(0.05);
    expect(r.backtest.params?.['adx_threshold']).toBe(20);
    expect(r.sweepTarget).toMatchObject({ kind: 'pack', strategy: 'momentum_swing', overrides: r.overrides });
    expect(r.config_hash).toBe(modelConfigHash(m));
    // momentum_swing reads ema_fast > ema_slow, macd > macd_signal, adx > adx_threshold.
    expect(r.uses).toEqual(['adx', 'ema_fast', 'ema_slow', 'macd']);
  });
  it('typed errors with the config path', () => {
    expect(() => resolveModel(applySets(base, ['bogus=1']), swing)).toThrow(expect.objectContaining({ code: 'MODEL_PARAM_UNKNOWN', details: expect.objectContaining({ path: 'params.bogus' }) as unknown }));
    expect(() => resolveModel(applySets(base, ['rsi.period=500']), swing)).toThrow(expect.objectContaining({ code: 'MODEL_PARAM_INVALID', details: expect.objectContaining({ path: 'params.rsi.period' }) as unknown }));
    expect(() => resolveModel(applySets(base, ['risk.stop_loss=-1']), swing)).toThrow(expect.objectContaining({ code: 'MODEL_PARAM_INVALID' }));
    expect(() => resolveModel({ ...base, strategy: 'nope' }, swing)).toThrow(expect.objectContaining({ code: 'MODEL_STRATEGY_UNKNOWN' }));
  });
  it('checks the indicator subset against the pack and the strategy', () => {
    expect(resolveModel({ ...base, indicators: ['adx', 'ema_fast', 'ema_slow', 'macd', 'rsi'] }, swing).uses).toHaveLength(4);
    expect(() => resolveModel({ ...base, indicators: ['adx', 'macd'] }, swing)).toThrow(expect.objectContaining({ code: 'MODEL_INDICATOR_MISSING', details: expect.objectContaining({ missing: ['ema_fast', 'ema_slow'] }) as unknown }));
    expect(() => resolveModel({ ...base, indicators: ['nope'] }, swing)).toThrow(expect.objectContaining({ code: 'MODEL_INDICATOR_UNKNOWN', details: expect.objectContaining({ path: 'indicators[0]' }) as unknown }));
  });
  it('pins and checks the pack version and content hash', () => {
    const pinned = pinModel(base, swing);
    expect(pinned.pack).toEqual({ id: 'swing', version: swing.version, content_hash: packContentHash(swing) });
    const changed = { ...swing, description: `${swing.description} (edited)` };
    expect(() => resolveModel(pinned, changed)).toThrow(expect.objectContaining({ code: 'MODEL_PACK_MISMATCH', details: expect.objectContaining({ path: 'pack.content_hash' }) as unknown }));
    expect(() => resolveModel({ ...pinned, pack: { id: 'swing', version: '9.9.9' } }, swing)).toThrow(expect.objectContaining({ code: 'MODEL_PACK_MISMATCH', details: expect.objectContaining({ path: 'pack.version' }) as unknown }));
    expect(() => resolveModel({ ...base, pack: { id: 'other' } }, swing)).toThrow(expect.objectContaining({ code: 'MODEL_PACK_MISMATCH' }));
  });
});

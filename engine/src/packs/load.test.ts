import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSigmatiqError } from '../errors.js';
import { parsePack, parsePackText } from './load.js';
import type { PackIssue } from './report.js';

const SWING = readFileSync(resolve(__dirname, '../../../packs/swing.yaml'), 'utf8');

/** Replace the one occurrence of `from` (the test fails if it is missing or repeated). */
function mutate(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  expect(at, `'${from}' must occur in the fixture`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(from, at + 1), `'${from}' must occur once`).toBe(-1);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Oracle for positions: 1-based line/col of the first char of `needle` (unique), by counting newlines. */
function posOf(text: string, needle: string, nth = 0): { line: number; col: number } {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(needle, at + 1);
  expect(at).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const col = at - (before.lastIndexOf('\n') + 1) + 1;
  return { line, col };
}

function issuesOf(text: string): readonly PackIssue[] {
  const r = parsePackText(text, 'x.yaml');
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.issues;
}

describe('pack YAML loader', () => {
  it('parses the shipped swing pack into the typed Pack', () => {
    const { pack } = parsePack(SWING, 'swing.yaml');
    expect(pack.pack_id).toBe('swing');
    expect(pack.indicators).toHaveLength(10);
    expect(pack.features).toHaveLength(6);
    expect(pack.strategies.map((s) => s.id)).toEqual(['momentum_swing', 'mean_reversion_swing', 'breakout_swing']);
    expect(pack.strategies[0]?.entry_logic).toEqual(['ema_fast > ema_slow', 'macd > macd_signal', 'adx > adx_threshold']);
    // a one-string rule becomes a one-item list; defaults are filled in
    expect(pack.strategies[2]?.exit_logic).toEqual(['close < ema_fast']);
    expect(pack.policies.exec.commission_fixed).toBe(0);
    expect(pack.indicators[8]?.params_schema).toEqual({});
  });

  it('reports YAML syntax errors as PACK_YAML with the parser line/col', () => {
    // duplicate key `name` on line 3: the parser points at the second key, column 1
    const text = 'pack_id: x\nname: a\nname: b\n';
    const issues = issuesOf(text);
    expect(issues[0]).toMatchObject({ code: 'PACK_YAML', line: 3, col: 1 });
    try {
      parsePack(text, 'dup.yaml');
      expect.unreachable();
    } catch (e) {
      expect(isSigmatiqError(e) && e.code).toBe('PACK_YAML');
      expect(String(e)).toContain('dup.yaml:3:1');
    }
  });

  it('reports a tab used as indentation at its line', () => {
    const issues = issuesOf('pack_id: x\ntags:\n\t- a\n');
    expect(issues[0]).toMatchObject({ code: 'PACK_YAML', line: 3, col: 1 });
  });

  it('locates a wrong value at the value node', () => {
    const text = mutate(SWING, 'max_drawdown: 0.25', 'max_drawdown: 25');
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'PACK_SCHEMA', path: 'gates.quality.max_drawdown', ...posOf(text, '25\n') });
  });

  it('locates an unknown field at its key', () => {
    const text = mutate(SWING, '    trailing_stop: 0.05\n', '    trailing_stop: 0.05\n    trailng: 3\n');
    const issues = issuesOf(text);
    expect(issues).toEqual([expect.objectContaining({ code: 'PACK_SCHEMA', path: 'policies.risk.trailng', ...posOf(text, 'trailng:') })]);
  });

  it('reports a missing required field at its parent map', () => {
    const text = mutate(SWING, 'author: Sigmatiq\n', '');
    const issues = issuesOf(text);
    // the root map starts at `pack_id` (line 3 of the file: two comment lines come first)
    expect(issues).toEqual([expect.objectContaining({ code: 'PACK_SCHEMA', path: 'author', ...posOf(text, 'pack_id:') })]);
    expect(issues[0]?.message).toContain('missing');
  });

  it('checks param specs: default inside [minimum, maximum], integers for type integer', () => {
    const text = mutate(SWING, 'period: { type: integer, minimum: 2, maximum: 50, default: 14 }', 'period: { type: integer, minimum: 2, maximum: 50, default: 14.5 }');
    const issues = issuesOf(text);
    expect(issues).toEqual([expect.objectContaining({ code: 'PACK_SCHEMA', path: 'indicators[0].params_schema.period.default', ...posOf(text, '14.5') })]);
    const text2 = mutate(SWING, 'volume_mult: { type: number, minimum: 1, maximum: 3, default: 1.2', 'volume_mult: { type: number, minimum: 1, maximum: 3, default: 3.5');
    expect(issuesOf(text2)[0]).toMatchObject({ code: 'PACK_SCHEMA', path: 'strategies[2].params.volume_mult.default', ...posOf(text2, '3.5') });
  });

  it('rejects an unknown sizing method with the discriminator position', () => {
    const text = mutate(SWING, 'method: kelly', 'method: martingale');
    expect(issuesOf(text)[0]).toMatchObject({ code: 'PACK_SCHEMA', path: 'policies.sizing.method', ...posOf(text, 'martingale') });
  });

  it('gives PACK_TOO_FEW_INDICATORS / PACK_TOO_MANY_INDICATORS at the indicators list', () => {
    const start = SWING.indexOf('  - id: stoch');
    const end = SWING.indexOf('features:');
    // keep rsi and macd only
    const few = SWING.slice(0, start) + '\n' + SWING.slice(end);
    expect(issuesOf(few)).toEqual([expect.objectContaining({ code: 'PACK_TOO_FEW_INDICATORS', path: 'indicators', ...posOf(few, '- id: rsi') })]);
    const extra = Array.from({ length: 6 }, (_, k) => `  - { id: extra_${k}, name: E${k}, indicator: sma }\n`).join('');
    const many = SWING.slice(0, end) + extra + '\n' + SWING.slice(end);
    expect(issuesOf(many)).toEqual([expect.objectContaining({ code: 'PACK_TOO_MANY_INDICATORS', path: 'indicators' })]);
  });

  it('gives PACK_NO_STRATEGY for an empty strategy list', () => {
    const start = SWING.indexOf('strategies:\n');
    const end = SWING.indexOf('default_strategy:');
    const text = SWING.slice(0, start) + 'strategies: []\n' + SWING.slice(end);
    expect(issuesOf(text)).toEqual([expect.objectContaining({ code: 'PACK_NO_STRATEGY', path: 'strategies', ...posOf(text, '[]') })]);
  });

  it('gives PACK_GATE_SECTION_MISSING for each missing gate section, at the gates map', () => {
    const start = SWING.indexOf('  execution:\n    max_slippage_bps');
    const end = SWING.indexOf('  risk:\n    max_position_size: 0.05\n    max_correlation');
    const text = SWING.slice(0, start) + SWING.slice(end);
    expect(issuesOf(text)).toEqual([expect.objectContaining({ code: 'PACK_GATE_SECTION_MISSING', path: 'gates.execution', ...posOf(text, 'quality:\n    min_trades') })]);
  });
});

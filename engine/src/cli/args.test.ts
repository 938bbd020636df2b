import { describe, expect, it } from 'vitest';
import { Args, parseArgs, type FlagSpec } from './args.js';

const specs: FlagSpec[] = [
  { name: 'symbol', type: 'string' },
  { name: 'param', type: 'string', multiple: true },
  { name: 'json', type: 'boolean' },
  { name: 'fee-bps', type: 'string' },
];

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('parseArgs', () => {
  it('reads --x v, --x=v, booleans, repeated flags and positionals in any order', () => {
    const p = parseArgs(['a.csv', '--symbol', 'SPX', '--param=k=1', '--json', 'b', '--param', 'j=2', '--fee-bps=5'], specs);
    expect(p.positionals).toEqual(['a.csv', 'b']);
    expect(p.flags).toEqual({ symbol: 'SPX', param: ['k=1', 'j=2'], json: true, 'fee-bps': '5' });
  });

  it('treats everything after -- as positionals, and values may start with a dash', () => {
    const p = parseArgs(['--symbol', '-x', '--', '--json'], specs);
    expect(p.flags).toEqual({ symbol: '-x' });
    expect(p.positionals).toEqual(['--json']);
  });

  it('accepts --bool=true/false and an empty value with =', () => {
    expect(parseArgs(['--json=false', '--symbol='], specs).flags).toEqual({ json: false, symbol: '' });
  });

  it('rejects unknown flags, missing values, repeated single flags and bad booleans', () => {
    expect(code(() => parseArgs(['--nope'], specs))).toBe('CLI_UNKNOWN_FLAG');
    expect(code(() => parseArgs(['--symbol'], specs))).toBe('CLI_MISSING_VALUE');
    expect(code(() => parseArgs(['--symbol', 'a', '--symbol', 'b'], specs))).toBe('CLI_REPEATED_FLAG');
    expect(code(() => parseArgs(['--json=yes'], specs))).toBe('CLI_BAD_VALUE');
  });
});

describe('Args', () => {
  it('gives typed access and names the flag in errors', () => {
    const a = new Args(parseArgs(['f', '--fee-bps', '2.5', '--param', 'x=1'], specs));
    expect(a.positional(0, 'file')).toBe('f');
    expect(a.number('fee-bps')).toBe(2.5);
    expect(a.all('param')).toEqual(['x=1']);
    expect(a.all('symbol')).toEqual([]);
    expect(a.boolean('json')).toBe(false);
    expect(a.string('symbol')).toBeUndefined();
    expect(code(() => a.positional(1, 'other'))).toBe('CLI_MISSING_ARGUMENT');
    expect(code(() => a.requiredString('symbol'))).toBe('CLI_MISSING_FLAG');
    const bad = new Args(parseArgs(['--fee-bps', 'abc'], specs));
    expect(() => bad.number('fee-bps')).toThrow(expect.objectContaining({ code: 'CLI_BAD_VALUE', details: { flag: '--fee-bps' } }) as Error);
  });
});

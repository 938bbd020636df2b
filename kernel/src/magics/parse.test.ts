import { describe, expect, it } from 'vitest';
import { MagicSyntaxError, parseCell, tokenizeArgs } from './parse.js';

describe('parseCell', () => {
  it('treats plain TypeScript as one code segment', () => {
    expect(parseCell('const a = 1;\na + 1')).toEqual([{ kind: 'code', code: 'const a = 1;\na + 1', line: 1 }]);
  });

  it('returns nothing for an empty or blank cell', () => {
    expect(parseCell('')).toEqual([]);
    expect(parseCell('  \n\n')).toEqual([]);
  });

  it('splits line magics from the code around them, in order, with line numbers', () => {
    const segs = parseCell('%help sweep\nconst x = 2;\nx * 3\n%version');
    expect(segs).toEqual([
      { kind: 'line-magic', name: 'help', args: ['sweep'], raw: '%help sweep', line: 1 },
      { kind: 'code', code: 'const x = 2;\nx * 3', line: 2 },
      { kind: 'line-magic', name: 'version', args: [], raw: '%version', line: 4 },
    ]);
  });

  it('parses a cell magic with its body verbatim', () => {
    const segs = parseCell('\n%%sweep my-model --type custom\nspace:\n  fast: [5, 10]\n');
    expect(segs).toEqual([
      { kind: 'cell-magic', name: 'sweep', args: ['my-model', '--type', 'custom'], body: 'space:\n  fast: [5, 10]\n', raw: '%%sweep my-model --type custom', line: 2 },
    ]);
  });

  it('keeps an indented % as TypeScript (modulo on a continued line)', () => {
    expect(parseCell('const r = 10\n  % 3;')).toEqual([{ kind: 'code', code: 'const r = 10\n  % 3;', line: 1 }]);
  });

  it('reports a %% that does not start the cell, and a missing name, with line and column', () => {
    expect(() => parseCell('1 + 1\n%%sweep x')).toThrow(MagicSyntaxError);
    try {
      parseCell('const a = 1\n% oops');
    } catch (e) {
      expect(e).toBeInstanceOf(MagicSyntaxError);
      expect((e as MagicSyntaxError).line).toBe(2);
      expect((e as MagicSyntaxError).column).toBe(2);
    }
  });
});

describe('tokenizeArgs', () => {
  it('splits on white space and honours quotes', () => {
    expect(tokenizeArgs(`  a "b c" 'd "e"' --x="y z"`)).toEqual(['a', 'b c', 'd "e"', '--x=y z']);
    expect(tokenizeArgs(String.raw`"a \"q\" \\ b"`)).toEqual(['a "q" \\ b']);
    expect(tokenizeArgs(`''`)).toEqual(['']);
  });

  it('reports an unterminated quote with its column', () => {
    expect(() => tokenizeArgs(`abc "def`, 3, 6)).toThrow(/unterminated " quote \(line 3, column 11\)/);
  });
});

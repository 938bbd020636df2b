import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, configHash, dataHash, Sha256Prefix, sha256Hex } from './index.js';
import type { Bars } from '../data/bars.js';

describe('sha256Hex', () => {
  it('matches FIPS 180-2 vectors', () => {
    // Oracle: FIPS 180-2 appendix B.1 ("abc") and the empty-string digest (also `sha256sum`).
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('Sha256Prefix', () => {
  it('hashes prefix + tail like sha256Hex, for every tail of one prefix', () => {
    // Oracle: sha256Hex of the concatenation (itself checked against FIPS vectors above).
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string(), { minLength: 1, maxLength: 5 }), (prefix, tails) => {
        const p = new Sha256Prefix(prefix);
        for (const t of tails) expect(p.hex(t)).toBe(sha256Hex(prefix + t));
      }),
    );
    expect(new Sha256Prefix('ab').hex('c')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('every prefix and tail length from 0 to 130 bytes (the 55/56/64-byte padding edges), one prefix state reused', () => {
    // Oracle: node:crypto's sha256 of the concatenation.
    const text = Array.from({ length: 131 }, (_, i) => String.fromCharCode(33 + ((i * 37) % 94))).join('');
    for (let p = 0; p <= 130; p++) {
      const prefix = text.slice(0, p);
      const h = new Sha256Prefix(prefix);
      for (let t = 0; t <= 130; t++) {
        const tail = text.slice(130 - t);
        expect(h.hex(tail)).toBe(sha256Hex(prefix + tail));
      }
    }
  });

  it('non-ASCII prefixes and tails hash their UTF-8 bytes (2-, 3- and 4-byte characters, a lone surrogate)', () => {
    // Oracle: node:crypto, which encodes a lone surrogate as U+FFFD like TextEncoder.
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.array(fc.string({ unit: 'binary', maxLength: 80 }), { minLength: 1, maxLength: 4 }), (prefix, tails) => {
        const p = new Sha256Prefix(prefix);
        for (const t of tails) expect(p.hex(t)).toBe(sha256Hex(prefix + t));
      }),
    );
    const cases: [string, string][] = [['é€', '𝄞x'], ['a'.repeat(63), 'é'], ['{"k":', '"\ud800"}'], ['\ud83d', 'y'], ['x', '\udc00'.repeat(40)]];
    for (const [prefix, tail] of cases) {
      expect(new Sha256Prefix(prefix).hex(tail)).toBe(sha256Hex(prefix + tail));
    }
  });
});

describe('canonicalJson', () => {
  it('a flat record of numbers (a combination\'s parameters) gets the same text as inside an array', () => {
    // Oracle: the general writer, reached by wrapping the record in an array (then unwrapped).
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('10', '2', '-1', '"q"', 'a\nb', 'é', '__proto__x'));
    const num = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(-0, 0, 1e21, 1e-7, 5e-324, -1.5));
    fc.assert(
      fc.property(fc.dictionary(key, num, { maxKeys: 6 }), (rec) => {
        expect(canonicalJson(rec)).toBe(canonicalJson([rec]).slice(1, -1));
      }),
    );
    expect(canonicalJson({ slow: 50, fast: 10, '10': 1, '2': -0 })).toBe('{"10":1,"2":0,"fast":10,"slow":50}');
    expect(canonicalJson({})).toBe('{}');
    // Not finite, or not a number: the general writer, which names the path.
    expect(() => canonicalJson({ a: 1, b: Number.NaN })).toThrow(/\$\.b/);
    expect(canonicalJson({ a: 1, b: 'x' })).toBe('{"a":1,"b":"x"}');
  });
  it('sorts keys recursively, no whitespace, shortest numbers', () => {
    expect(canonicalJson({ b: { d: true, c: null }, a: [1, 2.5, 'x'] })).toBe('{"a":[1,2.5,"x"],"b":{"c":null,"d":true}}');
    expect(canonicalJson([0.1, 1e21, 1e-7, -0, 100])).toBe('[0.1,1e+21,1e-7,0,100]');
    expect(canonicalJson({ 'é': 1, Z: 2, a: 3 })).toBe('{"Z":2,"a":3,"é":1}');
    expect(canonicalJson('a"b\n')).toBe('"a\\"b\\n"');
  });

  it('configHash is sha256 of the canonical text, independent of key order', () => {
    // Oracle: Python hashlib.sha256(b'{"a":[1,2.5,"x"],"b":{"c":null,"d":true}}').hexdigest()
    const expected = '3f2209c9470486da010ac643a0abb7892811de0d5da1cca29f5c5a88356dce1d';
    expect(configHash({ b: { d: true, c: null }, a: [1, 2.5, 'x'] })).toBe(expected);
    expect(configHash({ a: [1, 2.5, 'x'], b: { c: null, d: true } })).toBe(expected);
  });

  it('rejects NaN, Infinity, undefined and non-plain values with a path', () => {
    const bad: [unknown, string][] = [
      [{ a: NaN }, '$.a'],
      [{ a: [1, Infinity] }, '$.a[1]'],
      [{ a: { b: undefined } }, '$.a.b'],
      [[undefined], '$[0]'],
      [{ d: new Date(0) }, '$.d'],
      [{ n: 1n }, '$.n'],
      [{ f: () => 1 }, '$.f'],
      [new Map(), '$'],
    ];
    for (const [v, path] of bad) {
      expect(() => canonicalJson(v)).toThrow(expect.objectContaining({ code: 'HASH_NOT_CANONICAL', details: { path } }) as Error);
    }
  });

  it('round-trips through JSON.parse to an equal value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

function twoBars(volume1 = 0): Bars {
  return {
    symbol: 'SPX', interval: '1d', length: 2,
    ts: new Float64Array([86400000, 172800000]),
    open: new Float64Array([10, 11]), high: new Float64Array([12, 13]),
    low: new Float64Array([9, 10]), close: new Float64Array([11, 12.5]),
    volume: new Float64Array([100, volume1]),
  };
}

describe('dataHash', () => {
  it('matches an independent implementation of the documented layout', () => {
    // Oracle: Python struct.pack of the layout in data-hash.ts:
    // b'SIGMATIQBARS1' + pack('<III', 2, flags, 3) + b'SPX' + pack('<I', 2) + b'1d'
    // + pack('<2d', ...) for ts, open, high, low, close, volume.
    expect(dataHash(twoBars())).toBe('82c9e45f37df4103ec18b845e4ca9ed1153b474909b4775ac4180115336b8ac4');
    expect(dataHash(twoBars(), { hasVolume: false })).toBe('a710ced2c9fb35a3817a6d586a72ad375a5a257c3ed87a43172e39cc302eaeae');
  });

  it('changes when any value changes, and hashes only the first `length` values', () => {
    const base = dataHash(twoBars());
    expect(dataHash(twoBars(1))).not.toBe(base);
    const b = twoBars();
    const longer: Bars = { ...b, ts: new Float64Array([...b.ts, 9e12]), close: new Float64Array([...b.close, 5]) };
    expect(dataHash(longer)).toBe(base);
  });
});

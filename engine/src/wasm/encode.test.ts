/** LEB128 encodings. Oracle: the examples of the WebAssembly spec and of DWARF 5 (7.6), by hand. */
import { describe, expect, it } from 'vitest';
import { name, section, sleb, uleb, vec } from './encode.js';

describe('wasm encoding', () => {
  it('encodes unsigned and signed LEB128', () => {
    expect(uleb(0)).toEqual([0x00]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(0)).toEqual([0x00]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });
  it('builds vectors, sections and names', () => {
    expect(vec([[1, 2], [3]])).toEqual([2, 1, 2, 3]);
    expect(section(7, [9, 9, 9])).toEqual([7, 3, 9, 9, 9]);
    expect(name('m')).toEqual([1, 0x6d]);
  });
});

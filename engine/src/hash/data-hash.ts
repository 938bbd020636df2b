/**
 * Data hash: sha256 over a fixed byte layout of normalized bars (version 1).
 *
 *   magic     13 bytes  ASCII "SIGMATIQBARS1"
 *   rows      uint32 LE number of bars
 *   flags     uint32 LE bit 0 = volume present in the source (0 when the source had none)
 *   symbol    uint32 LE byte length, then UTF-8 bytes
 *   interval  uint32 LE byte length, then UTF-8 bytes
 *   columns   column-major: all ts, then all open, high, low, close, volume;
 *             each value an IEEE-754 float64, little-endian (ts = epoch ms UTC)
 *
 * The same normalized bars therefore always hash the same, whichever file or format they came
 * from; any change to a value, the symbol, the interval or the volume flag changes the hash.
 */
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import type { Bars } from '../data/bars.js';

const MAGIC = Buffer.from('SIGMATIQBARS1', 'ascii');
const LITTLE_ENDIAN = endianness() === 'LE';

export interface DataHashOptions {
  /** Whether the source carried volume (default true). */
  readonly hasVolume?: boolean;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}

function columnBytes(col: Float64Array, length: number): Buffer {
  const view = col.subarray(0, length);
  if (LITTLE_ENDIAN) return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  const b = Buffer.alloc(length * 8);
  for (let i = 0; i < length; i++) b.writeDoubleLE(view[i] ?? 0, i * 8);
  return b;
}

/** Bytes of the header of the layout above (exported for tests and docs). */
export function dataHashHeader(bars: Pick<Bars, 'symbol' | 'interval' | 'length'>, options: DataHashOptions = {}): Buffer {
  const sym = Buffer.from(bars.symbol, 'utf8');
  const iv = Buffer.from(bars.interval, 'utf8');
  const flags = options.hasVolume === false ? 0 : 1;
  return Buffer.concat([MAGIC, u32(bars.length), u32(flags), u32(sym.length), sym, u32(iv.length), iv]);
}

/** sha256 hex of the normalized bars in the layout above. */
export function dataHash(bars: Bars, options: DataHashOptions = {}): string {
  const h = createHash('sha256');
  h.update(dataHashHeader(bars, options));
  for (const col of [bars.ts, bars.open, bars.high, bars.low, bars.close, bars.volume]) {
    h.update(columnBytes(col, bars.length));
  }
  return h.digest('hex');
}

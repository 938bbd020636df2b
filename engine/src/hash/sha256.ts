import { createHash, type Hash } from 'node:crypto';
import { canonicalJson } from './canonical.js';

/** Lower-case hex sha256 of bytes, or of a string's UTF-8 encoding. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of the canonical JSON of a config object (the config hash of runs, sweeps, models). */
export function configHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/**
 * sha256 of many strings that share a prefix: the prefix is hashed once and each string's tail is
 * hashed after a copy of that state. `hex(tail)` === sha256Hex(prefix + tail).
 */
export class Sha256Prefix {
  private readonly base: Hash;
  constructor(prefix: string) {
    this.base = createHash('sha256').update(prefix);
  }
  hex(tail: string): string {
    return this.base.copy().update(tail).digest('hex');
  }
}

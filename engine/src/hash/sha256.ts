import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';

/** Lower-case hex sha256 of bytes, or of a string's UTF-8 encoding. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of the canonical JSON of a config object (the config hash of runs, sweeps, models). */
export function configHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `sq_<key id>_<secret>`: the key id (public, 16 base64url chars) names the row, the
 * secret is 32 random bytes in base64url. Only sha256(whole key) is stored; the key is shown once.
 */
export const KEY_PREFIX = 'sq_';
const KEY_RE = /^sq_([A-Za-z0-9_-]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewKey {
  id: string;
  secret: string;
  hash: string;
}

export function generateKey(): NewKey {
  const id = randomBytes(12).toString('base64url');
  const secret = `${KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  return { id, secret, hash: hashKey(secret) };
}

export function hashKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The key id of a well-formed key, or null. */
export function parseKeyId(secret: string): string | null {
  const m = KEY_RE.exec(secret);
  return m?.[1] ?? null;
}

/** Constant-time comparison of a presented key against a stored hash. */
export function keyMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashKey(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

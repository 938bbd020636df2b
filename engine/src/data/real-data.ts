import { join, resolve } from 'node:path';

/**
 * The shared real OHLCV folder: `$SIGMATIQ_SHARED_DIR/data/real` when the variable is set,
 * else `<repo root>/../shared/data/real` (CI clones the repo beside `shared/`).
 */
export function realDataDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const shared = env.SIGMATIQ_SHARED_DIR;
  if (shared !== undefined && shared !== '') return join(resolve(shared), 'data', 'real');
  // This file is engine/src/data/real-data.ts (or engine/dist/data/real-data.js): the repo root is 3 levels up.
  return resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'real');
}

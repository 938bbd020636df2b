/**
 * The pack registry: pack files in a folder (the repository's top-level `packs/` by default,
 * or `$SIGMATIQ_PACKS_DIR`), looked up by pack id or loaded from a path.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { isSigmatiqError, SigmatiqError } from '../errors.js';
import { readPackFile, type LoadedPack } from './load.js';
import { PACK_ID_RE } from './schema.js';

/** `<repo>/packs` (this file lives in `engine/src/packs` or `engine/dist/packs`), or `$SIGMATIQ_PACKS_DIR`. */
export function defaultPacksDir(): string {
  const env = process.env.SIGMATIQ_PACKS_DIR;
  if (env !== undefined && env !== '') return resolve(env);
  return resolve(__dirname, '..', '..', '..', 'packs');
}

export interface PackListing {
  readonly file: string;
  /** Present when the file parsed and passed the schema. */
  readonly pack_id?: string;
  readonly name?: string;
  readonly version?: string;
  readonly style?: string;
  readonly strategies?: readonly string[];
  /** Present when the file does not load: `CODE: message`. */
  readonly error?: string;
}

const PACK_EXT = new Set(['.yaml', '.yml']);

/** Every `*.yaml` / `*.yml` pack in `dir`, sorted by file name; files that fail to load carry `error`. */
export function listPacks(dir: string = defaultPacksDir()): PackListing[] {
  if (!existsSync(dir)) throw new SigmatiqError('PACK_NOT_FOUND', `packs folder ${dir} does not exist`, { dir });
  const files = readdirSync(dir)
    .filter((f) => PACK_EXT.has(extname(f)))
    .sort();
  return files.map((f) => {
    const file = join(dir, f);
    try {
      const { pack } = readPackFile(file);
      return { file, pack_id: pack.pack_id, name: pack.name, version: pack.version, style: pack.metadata.vibe.style, strategies: pack.strategies.map((s) => s.id) };
    } catch (e) {
      if (!isSigmatiqError(e)) throw e;
      return { file, error: e.toLine() };
    }
  });
}

function looksLikePath(s: string): boolean {
  return s.includes('/') || s.includes('\\') || PACK_EXT.has(extname(s));
}

/**
 * The file of a pack id (`<dir>/<id>.yaml` or `.yml`) or an existing path, without parsing it.
 * Throws `PACK_NOT_FOUND`.
 */
export function resolvePackFile(idOrPath: string, dir: string = defaultPacksDir()): string {
  if (looksLikePath(idOrPath)) {
    if (!existsSync(idOrPath)) throw new SigmatiqError('PACK_NOT_FOUND', `pack file ${idOrPath} does not exist`, { path: idOrPath });
    return idOrPath;
  }
  for (const ext of PACK_EXT) {
    const file = join(dir, `${idOrPath}${ext}`);
    if (existsSync(file)) return file;
  }
  throw new SigmatiqError('PACK_NOT_FOUND', `no pack file ${idOrPath}.yaml in ${dir}`, { id: idOrPath, dir });
}

/**
 * Load a pack by id (`swing` -> `<dir>/swing.yaml`, or the file whose `pack_id` is the id) or by
 * path. Throws `PACK_NOT_FOUND`, `PACK_YAML`, `PACK_SCHEMA`.
 */
export function loadPack(idOrPath: string, dir: string = defaultPacksDir()): LoadedPack {
  if (looksLikePath(idOrPath)) {
    if (!existsSync(idOrPath)) throw new SigmatiqError('PACK_NOT_FOUND', `pack file ${idOrPath} does not exist`, { path: idOrPath });
    return readPackFile(idOrPath);
  }
  if (!PACK_ID_RE.test(idOrPath)) {
    throw new SigmatiqError('PACK_NOT_FOUND', `'${idOrPath}' is neither a pack id nor a .yaml path`, { id: idOrPath });
  }
  for (const ext of PACK_EXT) {
    const file = join(dir, `${idOrPath}${ext}`);
    if (existsSync(file)) {
      const loaded = readPackFile(file);
      if (loaded.pack.pack_id !== idOrPath) {
        throw new SigmatiqError('PACK_ID_MISMATCH', `${basename(file)} declares pack_id '${loaded.pack.pack_id}', expected '${idOrPath}'`, { file, pack_id: loaded.pack.pack_id });
      }
      return loaded;
    }
  }
  const hit = existsSync(dir) ? listPacks(dir).find((l) => l.pack_id === idOrPath) : undefined;
  if (hit !== undefined) return readPackFile(hit.file);
  throw new SigmatiqError('PACK_NOT_FOUND', `no pack '${idOrPath}' in ${dir}`, { id: idOrPath, dir });
}

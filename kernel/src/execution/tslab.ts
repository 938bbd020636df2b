import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { type Converter, createConverter } from 'tslab/dist/converter';
import { type ConsoleInterface, createExecutor, type Executor } from 'tslab/dist/executor';

/**
 * Builds tslab's converter and executor (tslab is pinned to an exact version in package.json:
 * we rely on its internals `tslab/dist/{converter,executor,jupyter}`), and makes our own
 * packages importable from notebooks anywhere on disk:
 * - at run time through NODE_PATH (the kernelspec sets it; `ensureNodePath` covers direct starts);
 * - at compile time by forwarding `<any dir>/node_modules/@sigmatiq/...` lookups of tslab's
 *   TypeScript to the project's node_modules when the notebook's own tree has no such package
 *   (the same technique tslab uses for its own `tslab` module).
 */
interface TsSys {
  fileExists(p: string): boolean;
  directoryExists(p: string): boolean;
  readFile(p: string, encoding?: string): string | undefined;
  readDirectory(p: string, ...rest: unknown[]): string[];
  getDirectories(p: string): string[];
}

const FORWARDED_SCOPE = `${path.sep}node_modules${path.sep}@sigmatiq`;

/** Maps `<dir>/node_modules/@sigmatiq/...` to `<projectNodeModules>/@sigmatiq/...` (pure; tested). */
export function forwardPath(p: string, projectNodeModules: string): string | null {
  const at = p.indexOf(FORWARDED_SCOPE);
  if (at < 0) return null;
  const rest = p.slice(at + FORWARDED_SCOPE.length);
  if (rest !== '' && !rest.startsWith(path.sep)) return null;
  const target = path.join(projectNodeModules, '@sigmatiq', rest);
  return target === p ? null : target;
}

let patched = false;

function patchTypeScriptSys(sys: TsSys, projectNodeModules: string): void {
  if (patched) return;
  patched = true;
  const orig = {
    fileExists: sys.fileExists.bind(sys),
    directoryExists: sys.directoryExists.bind(sys),
    readFile: sys.readFile.bind(sys),
    readDirectory: sys.readDirectory.bind(sys),
    getDirectories: sys.getDirectories.bind(sys),
  };
  const route = (p: string, exists: (q: string) => boolean): string => {
    if (exists(p)) return p;
    return forwardPath(p, projectNodeModules) ?? p;
  };
  sys.fileExists = (p) => orig.fileExists(route(p, orig.fileExists));
  sys.directoryExists = (p) => orig.directoryExists(route(p, orig.directoryExists));
  sys.readFile = (p, encoding) => orig.readFile(route(p, orig.fileExists), encoding);
  sys.readDirectory = (p, ...rest) => orig.readDirectory(route(p, orig.directoryExists), ...rest);
  sys.getDirectories = (p) => orig.getDirectories(route(p, orig.directoryExists));
}

/** Adds the project's node_modules to Node's global module paths (what NODE_PATH does at start-up). */
export function ensureNodePath(projectNodeModules: string): void {
  const current = (process.env['NODE_PATH'] ?? '').split(path.delimiter).filter((s) => s !== '');
  if (current.includes(projectNodeModules)) return;
  process.env['NODE_PATH'] = [projectNodeModules, ...current].join(path.delimiter);
  const initPaths = (Module as unknown as { _initPaths?: () => void })._initPaths;
  if (typeof initPaths === 'function') initPaths.call(Module);
}

export interface TslabParts {
  /** tslab's executor; its close() also closes the converter. */
  executor: Executor;
}

/** Creates tslab's Node converter and executor rooted at `rootDir` (the notebook's folder). */
export function createTslab(rootDir: string, projectNodeModules: string, console: ConsoleInterface): TslabParts {
  ensureNodePath(projectNodeModules);
  // tslab's own TypeScript (resolved from tslab's folder: the same module instance its converter
  // uses). The converter reads ts.sys through Object.create(ts.sys), so the patch applies to it.
  const fromTslab = createRequire(require.resolve('tslab/package.json'));
  const tsForTslab = fromTslab('@tslab/typescript-for-tslab') as { sys: TsSys };
  patchTypeScriptSys(tsForTslab.sys, projectNodeModules);
  let node: Converter | undefined;
  const convs = {
    get node(): Converter {
      node ??= createConverter({ isJS: false, isBrowser: false });
      return node;
    },
    get browser(): Converter {
      throw new Error('browser mode (//%browser) is not supported by the Sigmatiq kernel');
    },
    close(): void {
      node?.close();
    },
  };
  void convs.node; // warm the converter (several hundred ms) before the first request
  const executor = createExecutor(rootDir, convs, console);
  return { executor };
}

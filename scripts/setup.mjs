// Idempotent set-up, run first by `npm start` and `npm test` (and alone by `npm run setup`).
// Fast when nothing changed: each step keeps a stamp in .setup/ and reruns only when its
// inputs changed. Steps: npm dependencies, the Python virtual environment (.venv, pinned
// requirements.txt), Debian's Chromium for UI tests (--with-browser), the TypeScript build,
// the prebuilt JupyterLab extension, the kernelspec `sigmatiq`, the extension and the
// jupyter-server-proxy entry installed into .venv.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashPaths, log, ROOT, run, STAMPS, VENV, VENV_BIN } from './lib.mjs';

function stamp(name) {
  const file = path.join(STAMPS, name);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
function setStamp(name, value) {
  mkdirSync(STAMPS, { recursive: true });
  writeFileSync(path.join(STAMPS, name), value);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) throw new Error(`Node >= 20.19 is required (found ${process.versions.node})`);
}

function npmDependencies() {
  const key = hashPaths(['package.json', 'package-lock.json', 'engine/package.json', 'server/package.json', 'kernel/package.json', 'extension/package.json']);
  if (existsSync(path.join(ROOT, 'node_modules', '.package-lock.json')) && stamp('npm') === key) return;
  // `npm install` rather than `npm ci`: it installs exactly the locked versions too, and tolerates
  // npm's habit of leaving other platforms' optional binaries out of the lock file.
  log('installing npm dependencies (package-lock.json)');
  run('npm', ['install', '--no-audit', '--no-fund']);
  setStamp('npm', key);
}

function pythonEnvironment() {
  const key = hashPaths(['requirements.txt']);
  const python = path.join(VENV_BIN, 'python');
  if (existsSync(python) && stamp('venv') === key) return;
  if (!existsSync(python)) {
    log('creating the Python virtual environment .venv');
    run('python3', ['-m', 'venv', VENV]);
  }
  log('installing pinned Python packages into .venv (requirements.txt)');
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', 'requirements.txt']);
  setStamp('venv', key);
}

// The project's TypeScript, by path: node_modules/.bin/tsc may be tslab's bundled TypeScript 5.0
// (npm links the bins of hoisted packages in no guaranteed order).
export const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

export const CHROMIUM = process.env.SIGMATIQ_CHROMIUM ?? '/usr/bin/chromium';

function chromium() {
  if (existsSync(CHROMIUM)) return;
  log(`installing Debian's chromium (UI tests need it; ${CHROMIUM} is missing)`);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = asRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => (sudo.length ? run(sudo[0], [...sudo.slice(1), 'apt-get', ...args], { env }) : run('apt-get', args, { env }));
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-liberation']);
  if (!existsSync(CHROMIUM)) throw new Error(`chromium was installed but ${CHROMIUM} does not exist`);
}

function build() {
  log('building TypeScript packages (tsc -b)');
  run(process.execPath, [TSC, '-b']);
  const key = hashPaths(['extension/src', 'extension/style', 'extension/package.json', 'extension/tsconfig.json', 'engine/src/mime', 'package-lock.json', 'requirements.txt']);
  const out = path.join(ROOT, 'extension', 'labextension', 'package.json');
  if (existsSync(out) && stamp('labextension') === key) return;
  log('building the JupyterLab extension (prebuilt)');
  run(process.execPath, [TSC, '-p', 'extension/tsconfig.json']);
  // @jupyterlab/builder directly, against the core of the JupyterLab installed in .venv
  // (`jupyter labextension build` now only forwards to a separate jupyter-builder tool).
  const corePath = path.join(pythonSitePackages(), 'jupyterlab', 'staging');
  run(process.execPath, [path.join(ROOT, 'node_modules', '@jupyterlab', 'builder', 'lib', 'build-labextension.js'), '--core-path', corePath, 'extension']);
  setStamp('labextension', key);
}

function pythonSitePackages() {
  const res = spawnSync(path.join(VENV_BIN, 'python'), ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`cannot locate .venv site-packages: ${res.stderr}`);
  return res.stdout.trim();
}

function fillTemplate(template, target) {
  const text = readFileSync(path.join(ROOT, template), 'utf8').replaceAll('@PROJECT@', ROOT).replaceAll('@NODE@', process.execPath);
  mkdirSync(path.dirname(target), { recursive: true });
  if (!existsSync(target) || readFileSync(target, 'utf8') !== text) writeFileSync(target, text);
}

function installIntoVenv() {
  const share = path.join(VENV, 'share', 'jupyter');
  fillTemplate('jupyter-config/kernelspec/kernel.json.in', path.join(share, 'kernels', 'sigmatiq', 'kernel.json'));
  // The proxy entry must be in the main config file: Jupyter reads the .d folders only to enable extensions.
  // Python, not JSON: the sidecar credential header is a callable (docs/auth.md, "Browser access through Jupyter").
  // A JSON file of the same name would be loaded after it and replace its ServerProxy.servers, so the one an
  // earlier set-up wrote is removed.
  const etc = path.join(VENV, 'etc', 'jupyter');
  fillTemplate('jupyter-config/jupyter_server_config.py.in', path.join(etc, 'jupyter_server_config.py'));
  rmSync(path.join(etc, 'jupyter_server_config.json'), { force: true });
  const link = path.join(share, 'labextensions', '@sigmatiq', 'extension');
  const target = path.join(ROOT, 'extension', 'labextension');
  let ok = false;
  try {
    ok = lstatSync(link).isSymbolicLink();
  } catch {
    ok = false;
  }
  if (!ok) {
    rmSync(link, { recursive: true, force: true });
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  }
}

export function setup({ withBrowser = false } = {}) {
  const started = Date.now();
  checkNode();
  npmDependencies();
  pythonEnvironment();
  if (withBrowser) chromium();
  build();
  installIntoVenv();
  log(`set-up done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    setup({ withBrowser: process.argv.includes('--with-browser') });
  } catch (e) {
    process.stderr.write(`[sigmatiq] set-up failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

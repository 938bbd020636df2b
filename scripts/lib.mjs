// Helpers shared by the set-up, start and test scripts. Node built-ins only: these scripts run
// on a fresh clone before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const VENV = path.join(ROOT, '.venv');
export const VENV_BIN = path.join(VENV, 'bin');
export const STAMPS = path.join(ROOT, '.setup');

export function log(message) {
  process.stdout.write(`[sigmatiq] ${message}\n`);
}

/** Runs a command with inherited stdio; throws with the command line when it fails. */
export function run(cmd, args, options = {}) {
  const res = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (res.error) throw new Error(`${cmd} ${args.join(' ')}: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${res.status ?? res.signal}`);
}

/** Runs a command and resolves with its exit code (never throws on a non-zero exit). */
export function runAsync(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options });
    child.on('error', (e) => {
      process.stderr.write(`${cmd}: ${e.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** sha256 over files and folders (recursively, sorted), ignoring build outputs. */
export function hashPaths(paths) {
  const h = createHash('sha256');
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (['node_modules', 'lib', 'dist', 'labextension', '__pycache__'].includes(name)) continue;
        visit(path.join(p, name));
      }
    } else {
      h.update(path.relative(ROOT, p));
      h.update(readFileSync(p));
    }
  };
  for (const p of paths) visit(path.resolve(ROOT, p));
  return h.digest('hex');
}

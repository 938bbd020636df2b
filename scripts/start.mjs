// `npm start`: set-up, then JupyterLab on 127.0.0.1 (port 8888 or `npm start -- --port N`) with
// the root at notebooks/, the welcome notebook open, the Sigmatiq kernel and extension, and the
// sidecar behind Jupyter at /sigmatiq/ (started on demand by jupyter-server-proxy; warmed up here).
// Honours JUPYTER_TOKEN; otherwise a random token is made and printed with the URL.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { log, ROOT, VENV_BIN } from './lib.mjs';
import { setup } from './setup.mjs';

function parseArgs(argv) {
  const opts = { port: 8888, open: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--port' || a.startsWith('--port=')) opts.port = Number(value());
    else if (a === '--no-browser') opts.open = false;
    else if (a === '--help') {
      process.stdout.write('usage: npm start [-- --port N] [-- --no-browser]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a} (npm start -- --help)`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error(`--port must be an integer in 0..65535`);
  return opts;
}

async function warmSidecar(base, token) {
  // jupyter-server-proxy starts the sidecar on the first request to /sigmatiq/.
  for (let i = 0; i < 60; i++) {
    try {
      const res = await fetch(`${base}sigmatiq/health`, { headers: { Authorization: `token ${token}` } });
      if (res.ok) {
        const body = await res.json();
        log(`sidecar ${body.status ?? 'up'} at ${base}sigmatiq/ (API docs: ${base}sigmatiq/docs)`);
        return;
      }
    } catch {
      // Jupyter not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  log('the sidecar did not answer within 60 s; see the Jupyter log above');
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
    setup();
  } catch (e) {
    process.stderr.write(`[sigmatiq] ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
  const token = process.env.JUPYTER_TOKEN ?? randomBytes(24).toString('hex');
  const args = [
    'lab',
    '--ip=127.0.0.1',
    `--port=${opts.port}`,
    '--port-retries=0',
    `--ServerApp.root_dir=${path.join(ROOT, 'notebooks')}`,
    `--IdentityProvider.token=${token}`,
    `--LabApp.default_url=/lab/tree/00-welcome.ipynb`,
    opts.open ? '--ServerApp.open_browser=True' : '--no-browser',
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
  ];
  const env = { ...process.env, JUPYTER_TOKEN: token, PATH: `${VENV_BIN}${path.delimiter}${process.env.PATH ?? ''}` };
  const jupyter = spawn(path.join(VENV_BIN, 'jupyter'), args, { cwd: ROOT, stdio: 'inherit', env });
  const base = `http://127.0.0.1:${opts.port}/`;
  log(`JupyterLab: ${base}lab/tree/00-welcome.ipynb?token=${token}`);
  log('stop with Ctrl+C');
  void warmSidecar(base, token);
  const stop = () => jupyter.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  jupyter.on('exit', (code) => process.exit(code ?? 0));
}

void main();

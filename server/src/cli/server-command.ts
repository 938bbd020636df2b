import { parseArgs } from 'node:util';
import path from 'node:path';
import { SigmatiqError } from '../engine.js';
import { startSidecar } from '../sidecar.js';
import { SERVER_VERSION } from '../version.js';
import { defaultDataDir } from './paths.js';
import { removeSidecarFile, writeSidecarFile } from './sidecar-file.js';
import { processAlive } from './process-alive.js';

export const SERVER_HELP = `Usage: sigmatiq server [--port N] [--data-dir DIR] [--host HOST]

Starts the Sigmatiq sidecar (registry, lineage, auth) on http://127.0.0.1:PORT.
  --port N        port to listen on; 0 picks a free port (default 8787)
  --data-dir DIR  database, admin.key and sidecar.json live here
                  (default $SIGMATIQ_DATA_DIR, else <repo root>/.sigmatiq)
  --host HOST     interface to bind; only 127.0.0.1 unless given explicitly
  --exit-with-parent
                  stop (as on SIGTERM) when the process that started it dies; set by
                  the jupyter-server-proxy entry, so no sidecar outlives a killed Jupyter
On listening it prints one line "Sigmatiq sidecar listening on URL" and writes
<data-dir>/sidecar.json; SIGTERM/SIGINT remove that file and exit 0.
`;

export const DEFAULT_PORT = 8787;

export interface ServerArgs {
  port: number;
  dataDir: string;
  host: string;
  exitWithParent: boolean;
}

/** Parses `server` arguments; throws SigmatiqError(INVALID_PARAM) naming the bad option. */
export function parseServerArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerArgs | 'help' {
  let values: { port?: string; 'data-dir'?: string; host?: string; help?: boolean; 'exit-with-parent'?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        'exit-with-parent': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new SigmatiqError('INVALID_PARAM', err instanceof Error ? err.message : String(err), { command: 'server' });
  }
  if (values.help === true) return 'help';
  const portText = values.port ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SigmatiqError('INVALID_PARAM', `--port must be an integer in 0..65535, got "${portText}".`, { parameter: 'port' });
  }
  const host = values.host ?? '127.0.0.1';
  if (host === '') throw new SigmatiqError('INVALID_PARAM', '--host must not be empty.', { parameter: 'host' });
  const dataDir = values['data-dir'] !== undefined ? path.resolve(values['data-dir']) : defaultDataDir(env);
  return { port, dataDir, host, exitWithParent: values['exit-with-parent'] === true };
}

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** `sigmatiq server`: runs until SIGTERM/SIGINT, then removes sidecar.json, closes the DB and exits 0. */
export async function runServerCommand(argv: readonly string[], io: CliIo): Promise<number | 'running'> {
  const args = parseServerArgs(argv);
  if (args === 'help') {
    io.stdout(SERVER_HELP);
    return 0;
  }
  const sidecar = await startSidecar(args);
  writeSidecarFile(args.dataDir, {
    url: sidecar.url,
    port: sidecar.port,
    pid: process.pid,
    version: SERVER_VERSION,
    started_at: new Date().toISOString(),
  });
  io.stdout(`Sigmatiq sidecar listening on ${sidecar.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const g = sidecar.db.batcher.stats;
    if (g.batches > 0) {
      io.stderr(`group commit: ${g.transactions} write transactions in ${g.batches} commits (mean ${(g.transactions / g.batches).toFixed(1)}, largest ${g.largest})\n`);
    }
    removeSidecarFile(args.dataDir);
    sidecar.close().then(
      () => process.exit(0),
      (err: unknown) => {
        io.stderr(`error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (args.exitWithParent) {
    // Re-parenting (ppid changes) or the starter's pid vanishing both mean it died without stopping us.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent || !processAlive(parent)) {
        io.stderr(`parent process ${parent} is gone; stopping\n`);
        stop();
      }
    }, 1000).unref();
  }
  return 'running';
}

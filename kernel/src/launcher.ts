#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENGINE_VERSION } from '@sigmatiq/engine';
import { processAlive } from '@sigmatiq/server/dist/cli/process-alive.js';
import { createTslab } from './execution/tslab.js';
import { KernelSession } from './execution/session.js';
import { currentSink } from './display/sink.js';
import { SigmatiqKernel } from './kernel.js';
import { builtinMagics, type KernelContext } from './magics/index.js';
import { KernelServer, readConnectionFile } from './protocol/server.js';
import { setDefaultLocator } from './notebook/context.js';
import { SidecarLocator } from './sidecar/locate.js';
import type * as TslabJupyter from 'tslab/dist/jupyter';

/**
 * Entry point of the Jupyter kernel "Sigmatiq (TypeScript)":
 *   node kernel/dist/launcher.js <connection_file>
 * The kernelspec (installed by scripts/setup.mjs) runs it with the notebook's folder as cwd.
 */
function readVersion(packageJson: string): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

function main(argv: string[]): void {
  const connectionFile = argv[2];
  if (connectionFile === undefined) {
    process.stderr.write('usage: launcher.js <connection_file>\n');
    process.exit(2);
  }
  const projectRoot = process.env['SIGMATIQ_HOME'] ?? path.resolve(__dirname, '..', '..');
  const nodeModules = path.join(projectRoot, 'node_modules');
  const stderrWrite = process.stderr.write.bind(process.stderr);
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const log = (text: string): void => {
    stderrWrite(`[sigmatiq-kernel] ${text}\n`);
  };

  const versions: Record<string, string> = {
    kernel: readVersion(path.join(__dirname, '..', 'package.json')),
    engine: ENGINE_VERSION,
    tslab: readVersion(require.resolve('tslab/package.json')),
    typescript: readVersion(require.resolve('@tslab/typescript-for-tslab/package.json', { paths: [path.dirname(require.resolve('tslab/package.json'))] })),
    node: process.versions.node,
    protocol: '5.3',
  };
  const context: KernelContext = { versions, registry: builtinMagics(), sidecar: new SidecarLocator(process.env, projectRoot) };
  setDefaultLocator(context.sidecar);
  const session = new KernelSession((console) => createTslab(process.cwd(), nodeModules, console).executor, context);

  // Cell output: stdout/stderr of user code and tslab's own display API go to the running cell.
  const redirect = (name: 'stdout' | 'stderr') => (chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const sink = currentSink();
    if (sink === undefined) (name === 'stderr' ? stderrWrite : stdoutWrite)(text);
    else sink.stream(name, text);
    return true;
  };
  process.stdout.write = redirect('stdout');
  process.stderr.write = redirect('stderr');
  // The real module object (not an interop copy): tslab's display API reads lastWriteDisplayData from it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tslabJupyter = require('tslab/dist/jupyter') as typeof TslabJupyter;
  Object.assign(tslabJupyter, {
    lastWriteDisplayData: (d: { data: Record<string, unknown>; metadata?: Record<string, unknown>; transient?: { display_id?: string } }, update: boolean) => {
      const data = { 'text/plain': '', ...d.data };
      const displayId = d.transient?.display_id;
      currentSink()?.display({ data, metadata: d.metadata ?? {} }, displayId === undefined ? { update } : { displayId, update });
    },
  });

  const tslabHandler = new tslabJupyter.JupyterHandlerImpl(session.tslab, false);
  const shutdown = { close: (): void => undefined };
  const kernel = new SigmatiqKernel(session, tslabHandler, context, () => {
    setTimeout(() => {
      shutdown.close();
      session.close();
      process.exit(0);
    }, 50);
  });
  const server = new KernelServer(readConnectionFile(connectionFile), (ctx) => kernel.handle(ctx), log);
  shutdown.close = () => server.close();
  process.on('SIGINT', () => session.interrupt());
  // Exit with the process that started us (Jupyter): a kernel must not outlive its server when the
  // server is killed without shutting its kernels down. Jupyter names its pid in JPY_PARENT_PID.
  const parentPid = Number(process.env['JPY_PARENT_PID'] ?? process.ppid);
  setInterval(() => {
    if (!processAlive(parentPid)) {
      log(`parent process ${parentPid} is gone; exiting`);
      server.close();
      process.exit(0);
    }
  }, 2000).unref();
  process.on('SIGTERM', () => {
    server.close();
    process.exit(0);
  });
  process.on('unhandledRejection', (reason) => log(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  process.on('uncaughtException', (err) => log(`uncaught exception: ${err.stack ?? err.message}`));
  server.start().catch((e: unknown) => {
    log(`cannot start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}

main(process.argv);

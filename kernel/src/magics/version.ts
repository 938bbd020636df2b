import { table } from '../display/mime.js';
import { type Magic, usageError } from './registry.js';

export const versionMagic: Magic = {
  name: 'version',
  summary: 'Show the versions of the kernel, engine, tslab, TypeScript and Node',
  usage: '%version',
  help: 'Prints the component versions; include them in bug reports. The engine version is part of every run_hash.',
  forms: ['line'],
  run({ args, kernel }) {
    if (args.length > 0) return Promise.reject(usageError(versionMagic, 'takes no arguments'));
    const rows = Object.entries(kernel.versions).map(([component, version]) => ({ component, version }));
    return Promise.resolve(table(rows, ['component', 'version']));
  },
};

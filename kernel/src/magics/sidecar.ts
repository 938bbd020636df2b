import { table } from '../display/mime.js';
import { type Magic, usageError } from './registry.js';

export const sidecarMagic: Magic = {
  name: 'sidecar',
  summary: "Show the sidecar's URL and health",
  usage: '%sidecar',
  help:
    'Finds the sidecar (SIGMATIQ_URL, else <data dir>/sidecar.json written by a running sidecar) and calls its /health. ' +
    'JupyterLab started with `npm start` runs it behind /sigmatiq/; standalone: `npx sigmatiq server`.',
  forms: ['line'],
  async run({ args, kernel }) {
    if (args.length > 0) throw usageError(sidecarMagic, 'takes no arguments');
    const h = await kernel.sidecar.health();
    const rawComponents = h.body?.['components'];
    const components = Array.isArray(rawComponents)
      ? (rawComponents as { name?: unknown; status?: unknown }[]).map((c) => `${String(c.name)}: ${String(c.status)}`).join(', ')
      : '';
    const rows = [
      { field: 'url', value: h.endpoint?.url ?? '—' },
      { field: 'found via', value: h.endpoint?.source ?? '—' },
      { field: 'data dir', value: kernel.sidecar.dataDir() },
      { field: 'status', value: h.status },
      { field: 'version', value: typeof h.body?.['version'] === 'string' ? h.body['version'] : '—' },
      { field: 'components', value: components || '—' },
      ...(h.error === null ? [] : [{ field: 'error', value: h.error }]),
    ];
    return table(rows, ['field', 'value'], h.reachable ? 'Sigmatiq sidecar' : 'Sigmatiq sidecar (not reachable)');
  },
};

import { escapeHtml, bundle, table } from '../display/mime.js';
import { type Magic, usageError } from './registry.js';

export const helpMagic: Magic = {
  name: 'help',
  summary: 'List the magics, or show the help of one',
  usage: '%help [NAME]',
  help: 'Without argument, lists every magic with its summary. With a NAME (with or without %), shows its usage and help.',
  forms: ['line'],
  run({ args, kernel }) {
    if (args.length > 1) return Promise.reject(usageError(helpMagic, 'expected at most one NAME'));
    const registry = kernel.registry;
    const name = args[0]?.replace(/^%+/, '');
    if (name === undefined) {
      const rows = registry.list().map((m) => ({ magic: `%${m.name}`, usage: m.usage, summary: m.summary }));
      return Promise.resolve(table(rows, ['magic', 'usage', 'summary'], 'Sigmatiq magics (%help NAME for details; other code runs as TypeScript)'));
    }
    const forms = ['line', 'cell'] as const;
    const form = forms.find((f) => registry.list().some((m) => m.name === name && m.forms.includes(f))) ?? 'line';
    const magic = registry.resolve(name, form);
    const text = `%${magic.name} — ${magic.summary}\nUsage: ${magic.usage}\n\n${magic.help}`;
    const html = `<div class="sq-help"><h4>%${escapeHtml(magic.name)} — ${escapeHtml(magic.summary)}</h4><pre>${escapeHtml(magic.usage)}</pre><p>${escapeHtml(magic.help)}</p></div>`;
    return Promise.resolve(bundle({ 'text/plain': text, 'text/html': html }));
  },
};
